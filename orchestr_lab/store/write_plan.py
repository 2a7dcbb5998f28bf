"""The batch writer's fold: the engine's ops, in order, become the rows of one transaction.

Pure (no connection), so what a batch will write can be read and tested on its own.
:func:`runs_to_read` names the runs whose stored state the fold needs (state ops on runs the
batch did not insert before them); ``runs.write_batch`` reads those (:class:`Stored`), folds
the ops with :func:`fold` into a :class:`WritePlan` and applies it: one INSERT per table, one
executemany UPDATE per set of changed columns.

Runs inserted and moved through several states in one batch become one row with their final
state. A flow run's states become ``run_states`` rows, and each flow run whose state changed
gets one ``flow_run.state`` event per batch with the state the batch left it in; a task run's
states are appended to its ``history`` list, and each flow run whose task runs changed gets one
``task_runs.changed`` event per batch (not one per task run).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ..core.output_cap import cap_text
from ..core.states import State, StateType
from ..core.wire import FlowOp, FlowRunOp, LogOp, Op, RecordOp, StateOp, TaskRunOp
from .events import event_row
from .models import flow_runs, task_runs
from .transitions import (
    FIELDS,
    flow_state_event,
    fold_state,
    history_entry,
    history_row,
    unknown_fields,
)

__all__ = ["Stored", "WritePlan", "fold", "runs_to_read", "task_runs_event"]

#: Every column of a new run row, by kind, so one compiled INSERT fits every row of a batch.
_NEW_RUN: dict[str, dict[str, Any]] = {
    kind: {c.name: (0 if c.name == "run_count" else None) for c in table.c}
    for kind, table in (("flow", flow_runs), ("task", task_runs))
}
_MISSING: Any = object()
_NEW = None  # the state type of a run this batch inserts, before its first state


def _by_kind() -> dict[str, Any]:
    return {"flow": {}, "task": {}}


@dataclass
class Stored:
    """What the store holds about the runs a batch's state ops touch (see :func:`runs_to_read`).

    ``states``: kind -> run id -> current state type (None: no state yet). ``histories``: a task
    run's ``history`` list. ``owners``: what events need, a task run's flow run id under
    ``"task"``, a flow run's ``(name, deployment_id)`` under ``"flow"``.
    """

    states: dict[str, dict[str, StateType | None]] = field(default_factory=_by_kind)
    histories: dict[str, list[Any]] = field(default_factory=dict)
    owners: dict[str, dict[str, Any]] = field(default_factory=_by_kind)


@dataclass
class WritePlan:
    """The rows one batch writes, parents before children, and what it refused.

    ``new_runs``/``changes``: kind -> run id -> the new row / the changed columns. ``history``:
    flow runs' ``run_states`` rows (a task run's states are in its row's ``history``).
    ``refusals``: ``(index of the op in the batch, message)``. ``flow_names``: name -> created,
    for the ``flows`` rows new flow runs need.
    """

    new_runs: dict[str, dict[str, dict[str, Any]]] = field(default_factory=_by_kind)
    changes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=_by_kind)
    history: list[dict[str, Any]] = field(default_factory=list)
    logs: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    refusals: list[tuple[int, str]] = field(default_factory=list)
    flow_names: dict[str, float] = field(default_factory=dict)


def runs_to_read(ops: Iterable[tuple[int, Op]]) -> dict[str, set[str]]:
    """kind -> ids of the runs whose stored state the fold needs (not inserted before their state op)."""
    inserted: dict[str, set[str]] = {"flow": set(), "task": set()}
    wanted: dict[str, set[str]] = {"flow": set(), "task": set()}
    op: Any  # dispatched on its class below: an ``is`` test, cheaper than isinstance
    for _, op in ops:
        cls = op.__class__
        if cls is StateOp:
            if op.run_id not in inserted.get(op.kind, ()):
                wanted.setdefault(op.kind, set()).add(op.run_id)
        elif cls is TaskRunOp:
            inserted["task"].add(op.row["id"])
        elif cls is FlowRunOp:
            inserted["flow"].add(op.row["id"])
    return wanted


def fold(ops: Iterable[tuple[int, Op]], stored: Stored, *, now: float, log_cap: int) -> WritePlan:
    """Fold ``(index, op)`` pairs, in order, into a :class:`WritePlan` (``stored`` is left as it is).

    Every state passes the rule book (:func:`.transitions.fold_state`); an op that cannot be
    written is refused with a message naming the run and skipped, the rest is kept. Log lines and
    recorded reprs are capped at ``log_cap`` bytes.
    """
    plan = WritePlan()
    refusals = plan.refusals
    new_runs, changes = plan.new_runs, plan.changes
    current = {kind: dict(stored.states.get(kind, ())) for kind in ("flow", "task")}
    histories = stored.histories
    task_flow: dict[str, str | None] = {}  # this batch's new task runs -> their flow run
    touched_tasks: set[str] = set()
    flow_states: dict[str, State] = {}  # flow run -> its last state in this batch
    op: Any  # dispatched on its class, as in runs_to_read
    for index, op in ops:
        cls = op.__class__
        if cls is StateOp:
            kind, run_id, state, fields = op
            known = current.get(kind)
            was = _MISSING if known is None else known.get(run_id, _MISSING)
            if was is _MISSING:
                refusals.append((index, f"{kind} run {run_id}: not found; state {state.name} not recorded"))
                continue
            if fields and not FIELDS[kind].issuperset(fields):
                unknown = unknown_fields(kind, fields)
                refusals.append((index, f"{kind} run {run_id}: ignored unknown field(s) {', '.join(unknown)}"))
                fields = {k: v for k, v in fields.items() if k not in unknown}
            target = new_runs[kind].get(run_id)
            if target is None:
                target = changes[kind].setdefault(run_id, {})
            refused = fold_state(kind, run_id, was, state, fields, target)
            if refused is not None:
                refusals.append((index, str(refused)))
                continue
            known[run_id] = state.type  # type: ignore[index]
            if kind == "task":
                # A new run's row holds its list already; an existing run's UPDATE gets a copy now.
                entries = target.get("history")
                if entries is None:
                    entries = target["history"] = list(histories[run_id])
                entries.append(history_entry(state))
                touched_tasks.add(run_id)
            else:
                plan.history.append(history_row(run_id, state))
                flow_states[run_id] = state  # the event says where the batch left the run
        elif cls is TaskRunOp or cls is FlowRunOp:
            kind = "task" if cls is TaskRunOp else "flow"
            src = op.row
            run_id = src["id"]
            if run_id in new_runs[kind]:
                refusals.append((index, f"{kind} run {run_id}: inserted twice; second insert skipped"))
                continue
            row = {**_NEW_RUN[kind], **src, "updated": now}
            new_runs[kind][run_id] = row
            current[kind][run_id] = _NEW
            if kind == "task":
                row["history"] = []
                task_flow[run_id] = row["flow_run_id"]
                touched_tasks.add(run_id)
            else:
                plan.flow_names.setdefault(row["flow_name"], row["created"])
        elif cls is LogOp or cls is RecordOp:
            text_column = "message" if cls is LogOp else "repr"
            row = _text_row(op.row, text_column, log_cap)
            if row["flow_run_id"] is None and row["task_run_id"] in task_flow:
                row["flow_run_id"] = task_flow[row["task_run_id"]]
            if cls is LogOp:
                plan.logs.append(row)
            else:
                row.setdefault("value", None)
                plan.records.append(row)
        elif cls is FlowOp:
            plan.flow_names.setdefault(op.name, now)
        else:
            refusals.append((index, f"unknown store operation {_tag(op)!r} skipped"))
    if flow_states:
        plan.events.extend(_flow_events(flow_states, new_runs["flow"], stored.owners["flow"]))
    if touched_tasks:
        plan.events.extend(_task_events(touched_tasks, task_flow, stored.owners["task"], current["task"]))
    return plan


def _tag(op: Any) -> Any:
    return op[0] if isinstance(op, (tuple, list)) and op else op


def _text_row(src: dict[str, Any], text_column: str, cap: int) -> dict[str, Any]:
    """A log or record row with both run ids, its text capped and free of NUL.

    Whoever wrote it (a remote engine's batch too): no line past the cap, and no NUL, which
    PostgreSQL text cannot hold (a printed NUL must not fail the whole batch).
    """
    row = {"flow_run_id": None, "task_run_id": None, **src}
    text = row.get(text_column)
    if isinstance(text, str):
        row[text_column] = cap_text(text.replace("\x00", "\ufffd"), cap)
    return row


def task_runs_event(flow_run_id: str, counts: dict[str, int]) -> dict[str, Any]:
    """``task_runs.changed``: which task runs of a flow run changed, counted by their new state.

    Stored as ``{counts}`` only: ``events.list_events`` adds ``flow_run_id`` (the event's
    resource) and ``changed`` (the sum of the counts) back.
    """
    return event_row("task_runs.changed", flow_run_id, {"counts": counts})


def _flow_events(
    last: dict[str, State], new_runs: dict[str, dict[str, Any]], stored_flow: dict[str, Any]
) -> list[dict[str, Any]]:
    """One ``flow_run.state`` per flow run whose state this batch moved, with the state it ends in.

    A run that starts and finishes inside one batch (a short flow call) gets one event, not one
    per state: the live stream only needs to know that the run changed and where it is now, and
    every state stays in ``run_states``.
    """
    out = []
    for run_id, state in last.items():
        new = new_runs.get(run_id)
        name, deployment_id = (new["name"], new["deployment_id"]) if new is not None else stored_flow[run_id]
        out.append(flow_state_event(run_id, state, name=name, deployment_id=deployment_id))
    return out


def _task_events(
    touched: set[str],
    task_flow: dict[str, str | None],
    stored_flow: dict[str, Any],
    states: dict[str, StateType | None],
) -> list[dict[str, Any]]:
    """One ``task_runs.changed`` event per flow run whose task runs this batch wrote."""
    counts: dict[str, dict[str, int]] = {}
    for run_id in touched:
        flow_run_id = task_flow[run_id] if run_id in task_flow else stored_flow.get(run_id)
        if flow_run_id is None:
            continue  # a task run called outside any flow: nothing to notify about
        state = states.get(run_id)
        key = state._value_ if state is not None else "NEW"
        per_flow = counts.setdefault(flow_run_id, {})
        per_flow[key] = per_flow.get(key, 0) + 1
    return [task_runs_event(flow_run_id, c) for flow_run_id, c in counts.items()]
