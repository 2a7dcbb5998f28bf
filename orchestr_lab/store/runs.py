"""Writing flow runs and task runs: the engine's batched writer and single-run transitions.

Both paths go through :func:`.transitions.fold_state`, the one place where the store applies the
rule book (:func:`orchestr_lab.core.states.transition_error`), so a run's history tells a legal
story no matter who wrote it. Reads live in :mod:`.run_reads` and :mod:`.run_logs`, re-exported here.

Events for the live stream are written in the same transaction: ``flow_run.state`` per flow-run
state change, and one ``task_runs.changed`` per flow run per batch (not one per task run: a
batch of 1,000 task runs of one flow adds one event row).

A flow run's states are rows of ``run_states``; a task run's states are the JSON list
``task_runs.history`` (entries from :func:`_history_entry`), so a batch of new task runs is one
INSERT whatever the number of states.
"""

from __future__ import annotations

import time
import uuid
from typing import Any, Iterable, Mapping

from sqlalchemy import Table, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import IntegrityError

from ..core.errors import Conflict, NotFound, StoreError
from ..core.output_cap import cap_text
from ..core.settings import max_cell_output_bytes
from ..core.states import State, StateType
from .bulk import insert_rows, update_rows
from .database import write_transaction
from .events import event_row, insert_events
from .models import flow_runs, flows, logs, recorded, run_states, task_runs
from .run_reads import (
    get_flow_run,
    get_logs,
    get_recorded,
    get_task_run,
    list_flow_runs,
    list_task_runs,
    state_history,
)
from .transitions import FIELDS as _FIELDS
from .transitions import as_type as _as_type
from .transitions import flow_state_event, transition_flow_run
from .transitions import fold_state as _fold_state
from .transitions import history_entry as _history_entry
from .transitions import history_row as _history_row
from .transitions import unknown_fields as _unknown_fields

__all__ = [
    "BatchRefused",
    "get_flow_run",
    "get_logs",
    "get_recorded",
    "get_task_run",
    "list_flow_runs",
    "list_task_runs",
    "set_state",
    "state_history",
    "write_batch",
]

_TABLES: dict[str, Table] = {"flow": flow_runs, "task": task_runs}
# IN-list size per SELECT: below SQLite's and PostgreSQL's bound-parameter limits.
_CHUNK = 10_000
_MISSING: Any = object()

_COLUMNS: dict[str, tuple[str, ...]] = {
    "flow": tuple(c.name for c in flow_runs.c),
    "task": tuple(c.name for c in task_runs.c),
}
_HISTORY_COLUMNS = ("flow_run_id", "type", "name", "message", "timestamp", "details")
_LOG_COLUMNS = ("flow_run_id", "task_run_id", "level", "logger_name", "message", "timestamp")
_RECORD_COLUMNS = ("flow_run_id", "task_run_id", "name", "value", "repr", "timestamp")

# Every column of a new run row, so one compiled INSERT fits every row of a batch.
_DEFAULTS: dict[str, dict[str, Any]] = {
    kind: {c.name: (0 if c.name == "run_count" else None) for c in table.c}
    for kind, table in _TABLES.items()
}


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
    unknown = _unknown_fields(kind, fields)
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
        refused = _fold_state(kind, run_id, _as_type(row[0]), state, fields or {}, values, force=force)
        if refused is not None:
            raise refused
        values["updated"] = time.time()
        values["history"] = [*(row[1] or ()), _history_entry(state)]
        conn.execute(update(table).where(table.c.id == run_id).values(values))
        if row[2] is not None:
            insert_events(conn, [_task_runs_event(row[2], {state.type._value_: 1})])
        return state

    return write_transaction(engine, work)


# -- the batched writer -------------------------------------------------------------------------


class BatchRefused(Conflict):
    """An all-or-nothing batch held ops the store refuses; nothing of it was written.

    ``refused``: ``{"index", "message"}`` per refused op, ``index`` its place in the batch.
    """

    def __init__(self, refused: list[dict[str, Any]]) -> None:
        first = refused[0]
        super().__init__(f"Nothing of the batch was written: {len(refused)} operation(s) refused "
                         f"(op {first['index']}: {first['message']})")
        self.refused = refused
        self.detail = refused


def write_batch(engine: Engine, ops: list[tuple[Any, ...]], *, atomic: bool = False) -> list[str]:
    """Write everything the engine did since the last call, in one transaction.

    Returns one message per refused op (illegal transition, unknown run, bad op); those ops
    are skipped and the rest is written. With ``atomic`` a refused op writes nothing at all:
    :class:`BatchRefused` lists the refused ops with their indexes (what the server does for
    a batch a remote engine sends, so a half-refused batch cannot leave half its rows).
    Runs inserted and moved through several states here become one INSERT with their final
    state; existing runs get one UPDATE each.
    """
    if not ops:
        return []
    indexed = list(enumerate(ops))

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


def _select_states(
    conn: Connection,
    kind: str,
    ids: Iterable[str],
    histories: dict[str, list[Any]],
    owners: dict[str, Any],
) -> dict[str, StateType | None]:
    """Current state types of existing runs (locked FOR UPDATE where the database has it).

    In the same SELECT: task runs' ``history`` lists into ``histories``, and what their
    events need into ``owners`` (a task run's flow run id; a flow run's name and deployment).
    """
    table = _TABLES[kind]
    found: dict[str, StateType | None] = {}
    id_list = list(ids)
    if kind == "task":
        columns = [table.c.id, table.c.state_type, table.c.history, table.c.flow_run_id]
    else:
        columns = [table.c.id, table.c.state_type, table.c.name, table.c.deployment_id]
    for start in range(0, len(id_list), _CHUNK):  # one SELECT unless the batch is huge
        chunk = id_list[start : start + _CHUNK]
        stmt = select(*columns).where(table.c.id.in_(chunk)).with_for_update()
        for row in conn.execute(stmt):
            found[row[0]] = _as_type(row[1])
            if kind == "task":
                histories[row[0]] = list(row[2] or ())
                owners[row[0]] = row[3]
            else:
                owners[row[0]] = (row[2], row[3])
    return found


def _existing_ids(conn: Connection, table: Table, ids: set[str]) -> set[str]:
    found: set[str] = set()
    id_list = list(ids)
    for start in range(0, len(id_list), _CHUNK):
        chunk = id_list[start : start + _CHUNK]
        found.update(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    return found


# Internally each op travels with its index in the batch, and each refusal names it.
_Indexed = list[tuple[int, tuple[Any, ...]]]


def _write_checked(conn: Connection, ops: _Indexed) -> list[tuple[int, str]]:
    """Slow path after an integrity error: drop ops whose references cannot hold, then write."""
    new_ids: dict[str, set[str]] = {"flow": set(), "task": set()}
    for _, op in ops:
        if op[0] == "flow_run":
            new_ids["flow"].add(op[1]["id"])
        elif op[0] == "task_run":
            new_ids["task"].add(op[1]["id"])
    dupes = {k: _existing_ids(conn, _TABLES[k], v) for k, v in new_ids.items()}
    wanted_flow_runs = {
        op[1].get("flow_run_id")
        for _, op in ops
        if op[0] in ("task_run", "log", "record") and op[1].get("flow_run_id")
    }
    # Stored already (including duplicated inserts) or inserted by this batch.
    present = _existing_ids(conn, flow_runs, wanted_flow_runs - (new_ids["flow"] - dupes["flow"]))
    present |= new_ids["flow"]
    messages: list[tuple[int, str]] = []
    kept: _Indexed = []
    for index, op in ops:
        tag = op[0]
        if tag in ("flow_run", "task_run"):
            kind = "flow" if tag == "flow_run" else "task"
            if op[1]["id"] in dupes[kind]:
                messages.append((index, f"{kind} run {op[1]['id']}: already exists; insert skipped"))
                continue
        if tag in ("task_run", "log", "record"):
            ref = op[1].get("flow_run_id")
            if ref and ref not in present:
                messages.append((index, f"{tag} refers to flow run {ref}, which does not exist; skipped"))
                continue
        kept.append((index, op))
    # Duplicated inserts' state ops now apply to the stored runs (looked up as existing).
    return messages + _write(conn, kept)


def _write(conn: Connection, ops: _Indexed) -> list[tuple[int, str]]:
    now = time.time()
    messages: list[tuple[int, str]] = []
    # Pass 1: which runs do state ops touch that this batch has not inserted before them?
    seen: dict[str, set[str]] = {"flow": set(), "task": set()}
    lookup: dict[str, set[str]] = {"flow": set(), "task": set()}
    for _, op in ops:
        tag = op[0]
        if tag == "state":
            if op[2] not in seen.get(op[1], ()):
                lookup.setdefault(op[1], set()).add(op[2])
        elif tag == "task_run":
            seen["task"].add(op[1]["id"])
        elif tag == "flow_run":
            seen["flow"].add(op[1]["id"])
    current: dict[str, dict[str, StateType | None]] = {"flow": {}, "task": {}}
    # Task runs' history lists: read for existing runs, started empty for new ones; states
    # are appended in place and the list is written with the run's INSERT or UPDATE.
    histories: dict[str, list[Any]] = {}
    # For events: an existing task run's flow run id; an existing flow run's (name, deployment).
    owners: dict[str, dict[str, Any]] = {"flow": {}, "task": {}}
    for kind in ("flow", "task"):
        if lookup[kind]:
            current[kind] = _select_states(conn, kind, lookup[kind], histories, owners[kind])

    # Pass 2: fold the ops, in order, into rows.
    new_rows: dict[str, dict[str, dict[str, Any]]] = {"flow": {}, "task": {}}
    changes: dict[str, dict[str, dict[str, Any]]] = {"flow": {}, "task": {}}
    task_flow: dict[str, str | None] = {}
    flow_names: dict[str, float] = {}
    history: list[dict[str, Any]] = []
    log_rows: list[dict[str, Any]] = []
    record_rows: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    touched_tasks: set[str] = set()
    task_defaults = _DEFAULTS["task"]
    cap: int | None = None  # the per-line log cap, read once per batch when it has a log line
    for index, op in ops:
        tag = op[0]
        if tag == "state":
            _, kind, run_id, state, fields = op
            known = current.get(kind)
            was = _MISSING if known is None else known.get(run_id, _MISSING)
            if was is _MISSING:
                messages.append((index, f"{kind} run {run_id}: not found; state {state.name} not recorded"))
                continue
            if fields and not _FIELDS[kind].issuperset(fields):
                unknown = _unknown_fields(kind, fields)
                messages.append((index, f"{kind} run {run_id}: ignored unknown field(s) {', '.join(unknown)}"))
                fields = {k: v for k, v in fields.items() if k not in unknown}
            target = new_rows[kind].get(run_id)
            if target is None:
                target = changes[kind].setdefault(run_id, {})
            refused = _fold_state(kind, run_id, was, state, fields, target)
            if refused is not None:
                messages.append((index, str(refused)))
                continue
            known[run_id] = state.type  # type: ignore[index]
            if kind == "task":
                # A new run's row holds its list already; an existing run's UPDATE gets it now.
                entries = target.get("history")
                if entries is None:
                    entries = target["history"] = histories[run_id]
                entries.append(_history_entry(state))
                touched_tasks.add(run_id)
            else:
                history.append(_history_row(run_id, state))
                new = new_rows["flow"].get(run_id)
                name, deployment_id = (
                    (new["name"], new["deployment_id"]) if new is not None else owners["flow"][run_id]
                )
                events.append(flow_state_event(run_id, state, name=name, deployment_id=deployment_id))
        elif tag == "task_run":
            src = op[1]
            run_id = src["id"]
            if run_id in new_rows["task"]:
                messages.append((index, f"task run {run_id}: inserted twice; second insert skipped"))
                continue
            row = dict(task_defaults)
            row.update(src)
            row["updated"] = now
            row["history"] = histories[run_id] = []
            new_rows["task"][run_id] = row
            current["task"][run_id] = None
            task_flow[run_id] = row["flow_run_id"]
            touched_tasks.add(run_id)
        elif tag == "log" or tag == "record":
            row = {"flow_run_id": None, "task_run_id": None, **op[1]}
            text_column = "message" if tag == "log" else "repr"
            if isinstance(row.get(text_column), str):
                # Whoever wrote it (a remote engine's batch too): no line past the cap, and no NUL,
                # which PostgreSQL text cannot hold (a printed NUL must not fail the whole batch).
                if cap is None:
                    cap = max_cell_output_bytes()
                row[text_column] = cap_text(row[text_column].replace("\x00", "\ufffd"), cap)
            if row.get("flow_run_id") is None and row.get("task_run_id") in task_flow:
                row["flow_run_id"] = task_flow[row["task_run_id"]]
            (log_rows if tag == "log" else record_rows).append(row)
        elif tag == "flow_run":
            src = op[1]
            run_id = src["id"]
            if run_id in new_rows["flow"]:
                messages.append((index, f"flow run {run_id}: inserted twice; second insert skipped"))
                continue
            row = dict(_DEFAULTS["flow"])
            row.update(src)
            row["updated"] = now
            new_rows["flow"][run_id] = row
            current["flow"][run_id] = None
            flow_names.setdefault(row["flow_name"], row["created"])
        elif tag == "flow":
            flow_names.setdefault(op[1], now)
        else:
            messages.append((index, f"unknown store operation {tag!r} skipped"))

    # Writes, parents before children.
    if flow_names:
        ids = _ensure_flows(conn, flow_names)
        for row in new_rows["flow"].values():
            row["flow_id"] = ids[row["flow_name"]]
    for kind in ("flow", "task"):
        insert_rows(conn, _TABLES[kind], _COLUMNS[kind], list(new_rows[kind].values()))
    for kind in ("flow", "task"):
        if changes[kind]:
            _update_many(conn, _TABLES[kind], changes[kind], now)
    insert_rows(conn, run_states, _HISTORY_COLUMNS, history)
    insert_rows(conn, logs, _LOG_COLUMNS, log_rows)
    for row in record_rows:
        row.setdefault("value", None)
    insert_rows(conn, recorded, _RECORD_COLUMNS, record_rows)
    if touched_tasks:
        events.extend(_task_events(touched_tasks, task_flow, owners["task"], current["task"]))
    insert_events(conn, events)
    return messages


def _task_runs_event(flow_run_id: str, counts: dict[str, int]) -> dict[str, Any]:
    """``task_runs.changed``: which task runs of a flow run changed, counted by their new state."""
    payload = {"flow_run_id": flow_run_id, "counts": counts, "changed": sum(counts.values())}
    return event_row("task_runs.changed", flow_run_id, payload)


def _task_events(
    touched: set[str],
    task_flow: dict[str, str | None],
    existing_flow: dict[str, Any],
    states: dict[str, StateType | None],
) -> list[dict[str, Any]]:
    """One ``task_runs.changed`` event per flow run whose task runs this batch wrote."""
    counts: dict[str, dict[str, int]] = {}
    for run_id in touched:
        flow_run_id = task_flow[run_id] if run_id in task_flow else existing_flow.get(run_id)
        if flow_run_id is None:
            continue  # a task run called outside any flow: nothing to notify about
        state = states.get(run_id)
        key = state._value_ if state is not None else "NEW"
        per_flow = counts.setdefault(flow_run_id, {})
        per_flow[key] = per_flow.get(key, 0) + 1
    return [_task_runs_event(flow_run_id, c) for flow_run_id, c in counts.items()]


def _ensure_flows(conn: Connection, names: dict[str, float]) -> dict[str, str]:
    """Create missing ``flows`` rows (racing writers tolerated) and return name -> id."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    rows = [{"id": str(uuid.uuid4()), "name": n, "created": c} for n, c in names.items()]
    conn.execute(upsert(flows).on_conflict_do_nothing(index_elements=["name"]), rows)
    found = conn.execute(select(flows.c.name, flows.c.id).where(flows.c.name.in_(list(names))))
    return {name: flow_id for name, flow_id in found}


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
