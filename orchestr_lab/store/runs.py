"""Writing flow runs and task runs: the engine's batched writer and single-run transitions.

Both paths go through :func:`.transitions.fold_state`, the one place where the store applies the
rule book (:func:`orchestr_lab.core.states.transition_error`), so a run's history tells a legal
story no matter who wrote it. What a batch writes is worked out without the database in
:mod:`.write_plan`; here it is read, locked and written. Reads live in :mod:`.run_reads` and
:mod:`.run_logs`.

Events for the live stream are written in the same transaction: per flow run per batch, one
``flow_run.state`` with the state the batch left it in and one ``task_runs.changed``.

A flow run's states are rows of ``run_states``; a task run's states are the JSON list
``task_runs.history`` (entries from :func:`.transitions.history_entry`), so a batch of new task
runs is one INSERT whatever the number of states.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from ..core.errors import Conflict, NotFound, StoreError
from ..core.settings import max_cell_output_bytes
from ..core.states import State
from ..core.wire import OP_TYPES, TAGS, FlowRunOp, LogOp, Op, RecordOp, TaskRunOp, as_op
from .bulk import insert_rows, update_rows
from .database import write_transaction
from .events import insert_events
from .models import flow_runs, logs, recorded, run_states, task_runs
from .rows import ensure_flows
from .transitions import (
    as_type,
    fold_state,
    history_entry,
    transition_flow_run,
    unknown_fields,
)
from .write_plan import Stored, WritePlan, fold, runs_to_read, task_runs_event

__all__ = ["BatchRefused", "set_state", "write_batch"]

_TABLES: dict[str, Table] = {"flow": flow_runs, "task": task_runs}
# IN-list size per SELECT: below SQLite's and PostgreSQL's bound-parameter limits.
_CHUNK = 10_000
_TYPED = frozenset(OP_TYPES)

_COLUMNS: dict[str, tuple[str, ...]] = {kind: tuple(c.name for c in table.c) for kind, table in _TABLES.items()}
_HISTORY_COLUMNS = ("flow_run_id", "type", "name", "message", "timestamp", "details")
_LOG_COLUMNS = ("flow_run_id", "task_run_id", "level", "logger_name", "message", "timestamp")
_RECORD_COLUMNS = ("flow_run_id", "task_run_id", "name", "value", "repr", "timestamp")


def _check_kind(kind: str) -> Table:
    try:
        return _TABLES[kind]
    except KeyError:
        raise ValueError(f"kind must be 'flow' or 'task', not {kind!r}") from None


# -- single-run transition --------------------------------------------------------------------


def set_state(
    engine: Engine,
    kind: str,
    run_id: str,
    state: State,
    *,
    fields: Mapping[str, Any] | None = None,
    force: bool = False,
) -> State:
    """Move one run to ``state`` (servers, workers, CLI) and record it in the history.

    The current state is read under the write lock, so two writers cannot both pass the rule
    book against the same old state. Raises :class:`IllegalTransition` unless ``force``, and
    :class:`NotFound` for an unknown id. Returns the state now current.
    """
    table = _check_kind(kind)
    unknown = unknown_fields(kind, fields)
    if unknown:
        raise ValueError(f"{kind} runs have no field(s) {', '.join(unknown)}")

    def work(conn: Connection) -> State:
        events: list[dict[str, Any]] = []
        if kind == "flow":
            transition_flow_run(conn, run_id, state, events=events, fields=fields, force=force)
            insert_events(conn, events)
            return state
        columns = (task_runs.c.state_type, task_runs.c.history, task_runs.c.flow_run_id)
        row = conn.execute(select(*columns).where(task_runs.c.id == run_id).with_for_update()).first()
        if row is None:
            raise NotFound(f"No {kind} run with id {run_id!r}")
        values: dict[str, Any] = {}
        refused = fold_state(kind, run_id, as_type(row[0]), state, fields or {}, values, force=force)
        if refused is not None:
            raise refused
        values["updated"] = time.time()
        values["history"] = [*(row[1] or ()), history_entry(state)]
        conn.execute(update(table).where(table.c.id == run_id).values(values))
        if row[2] is not None:
            insert_events(conn, [task_runs_event(row[2], {state.type._value_: 1})])
        return state

    return write_transaction(engine, work)


# -- the batched writer -------------------------------------------------------------------------


class BatchRefused(Conflict):
    """An all-or-nothing batch held ops the store refuses; nothing of it was written.

    ``refused``: ``{"index", "message"}`` per refused op, ``index`` its place in the batch.
    """

    def __init__(self, refused: list[dict[str, Any]]) -> None:
        first = refused[0]
        super().__init__(
            f"Nothing of the batch was written: {len(refused)} operation(s) refused "
            f"(op {first['index']}: {first['message']})"
        )
        self.refused = refused
        self.detail = refused


def write_batch(engine: Engine, ops: Sequence[Op], *, atomic: bool = False) -> list[str]:
    """Write everything the engine did since the last call (``core.wire`` ops), in one transaction.

    Returns one message per refused op (illegal transition, unknown run, bad op); those ops
    are skipped and the rest is written. With ``atomic`` a refused op writes nothing at all:
    :class:`BatchRefused` lists the refused ops with their indexes (what the server does for
    a batch a remote engine sends, so a half-refused batch cannot leave half its rows).
    Runs inserted and moved through several states here become one INSERT with their final
    state; existing runs get one UPDATE each. The older plain tuples (``("state", kind, id,
    state, fields)``...) are taken too.
    """
    if not ops:
        return []
    indexed = [(i, op if op.__class__ in _TYPED else (as_op(op) or op)) for i, op in enumerate(ops)]

    def work(write: Any) -> Any:
        def run(conn: Connection) -> list[str]:
            refused = write(conn, indexed)
            if atomic and refused:
                raise BatchRefused([{"index": i, "message": m} for i, m in sorted(refused)])  # rolls back
            return [m for _, m in refused]

        return run

    try:
        return write_transaction(engine, work(_write))
    except IntegrityError:
        pass  # a reference to a run that is not there (deleted, duplicated): sort it out below
    try:
        return write_transaction(engine, work(_write_checked))
    except IntegrityError as exc:
        raise StoreError(f"Could not write a batch of {len(ops)} operations: {exc.orig}") from exc


# Internally each op travels with its index in the batch, and each refusal names it.
_Indexed = list[tuple[int, Op]]


def _write(conn: Connection, ops: _Indexed) -> list[tuple[int, str]]:
    """Read what the ops need, fold them into a plan, write it: the whole batch's work."""
    stored = Stored()
    for kind, ids in runs_to_read(ops).items():
        if ids:
            _read_stored(conn, kind, ids, stored)
    now = time.time()
    plan = fold(ops, stored, now=now, log_cap=max_cell_output_bytes())
    _apply(conn, plan, now)
    return plan.refusals


def _read_stored(conn: Connection, kind: str, ids: Iterable[str], stored: Stored) -> None:
    """Current state types of existing runs (locked FOR UPDATE where the database has it).

    In the same SELECT: task runs' ``history`` lists, and what their events need (a task run's
    flow run id; a flow run's name and deployment).
    """
    table = _TABLES.get(kind)
    if table is None:
        return  # no such kind of run: its state ops are refused as not found
    states = stored.states[kind]
    owners = stored.owners[kind]
    histories = stored.histories
    if kind == "task":
        columns = [table.c.id, table.c.state_type, table.c.history, table.c.flow_run_id]
    else:
        columns = [table.c.id, table.c.state_type, table.c.name, table.c.deployment_id]
    id_list = list(ids)
    for start in range(0, len(id_list), _CHUNK):  # one SELECT unless the batch is huge
        chunk = id_list[start : start + _CHUNK]
        for row in conn.execute(select(*columns).where(table.c.id.in_(chunk)).with_for_update()):
            states[row[0]] = as_type(row[1])
            if kind == "task":
                histories[row[0]] = row[2] or []
                owners[row[0]] = row[3]
            else:
                owners[row[0]] = (row[2], row[3])


def _apply(conn: Connection, plan: WritePlan, now: float) -> None:
    """Write a plan: parents before children, one INSERT per table, events last."""
    if plan.flow_names:
        ids = ensure_flows(conn, plan.flow_names)
        for row in plan.new_runs["flow"].values():
            row["flow_id"] = ids[row["flow_name"]]
    for kind in ("flow", "task"):
        insert_rows(conn, _TABLES[kind], _COLUMNS[kind], list(plan.new_runs[kind].values()))
    for kind in ("flow", "task"):
        if plan.changes[kind]:
            _update_many(conn, _TABLES[kind], plan.changes[kind], now)
    insert_rows(conn, run_states, _HISTORY_COLUMNS, plan.history)
    insert_rows(conn, logs, _LOG_COLUMNS, plan.logs)
    insert_rows(conn, recorded, _RECORD_COLUMNS, plan.records)
    insert_events(conn, plan.events)


def _update_many(conn: Connection, table: Table, changes: dict[str, dict[str, Any]], now: float) -> None:
    """One executemany UPDATE per distinct set of changed columns (usually one or two)."""
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for run_id, values in changes.items():
        if values:
            values["updated"] = now
            values["id"] = run_id
            groups.setdefault(tuple(sorted(values)), []).append(values)
    for key, rows in groups.items():
        update_rows(conn, table, tuple(k for k in key if k != "id"), rows)


# -- the slow path, after an integrity error ------------------------------------------------------


def _existing_ids(conn: Connection, table: Table, ids: set[str]) -> set[str]:
    found: set[str] = set()
    id_list = list(ids)
    for start in range(0, len(id_list), _CHUNK):
        chunk = id_list[start : start + _CHUNK]
        found.update(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    return found


_NEW_RUN_KIND = {FlowRunOp: "flow", TaskRunOp: "task"}


def _write_checked(conn: Connection, ops: _Indexed) -> list[tuple[int, str]]:
    """Slow path after an integrity error: drop ops whose references cannot hold, then write."""
    new_ids: dict[str, set[str]] = {"flow": set(), "task": set()}
    for _, op in ops:
        if isinstance(op, (FlowRunOp, TaskRunOp)):
            new_ids[_NEW_RUN_KIND[type(op)]].add(op.row["id"])
    dupes = {k: _existing_ids(conn, _TABLES[k], v) for k, v in new_ids.items()}
    wanted_flow_runs = {ref for _, op in ops if (ref := _flow_run_ref(op))}
    # Stored already (including duplicated inserts) or inserted by this batch.
    present = _existing_ids(conn, flow_runs, wanted_flow_runs - (new_ids["flow"] - dupes["flow"]))
    present |= new_ids["flow"]
    messages: list[tuple[int, str]] = []
    kept: _Indexed = []
    for index, op in ops:
        if isinstance(op, (FlowRunOp, TaskRunOp)):
            kind = _NEW_RUN_KIND[type(op)]
            if op.row["id"] in dupes[kind]:
                messages.append((index, f"{kind} run {op.row['id']}: already exists; insert skipped"))
                continue
        ref = _flow_run_ref(op)
        if ref and ref not in present:
            messages.append((index, f"{TAGS[type(op)]} refers to flow run {ref}, which does not exist; skipped"))
            continue
        kept.append((index, op))
    # Duplicated inserts' state ops now apply to the stored runs (looked up as existing).
    return messages + _write(conn, kept)


def _flow_run_ref(op: Op) -> Any:
    """The flow run a new task run, log line or record names (None for other ops)."""
    return op.row.get("flow_run_id") if isinstance(op, (TaskRunOp, LogOp, RecordOp)) else None
