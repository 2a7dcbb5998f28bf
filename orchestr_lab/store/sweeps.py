"""Sweeps: one deployment run over many parameter sets, each member a normal deployment run.

A sweep row holds the deployment, the cap (``max_parallel``) and the parameter names; its
members are flow runs carrying ``sweep_id`` and ``sweep_index``. Members are made SCHEDULED
all at once; :mod:`.claims` keeps at most ``max_parallel`` of them active, so the rest wait
SCHEDULED. A sweep's state is read off its members (and its ``cancelled`` time); when every
member is final, :func:`finish_sweeps` stamps ``finished`` and emits ``sweep.completed`` or
``sweep.failed`` once.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..core.errors import Conflict, NotFound
from ..core.states import FINAL_TYPES, StateType
from .database import read_connection, write_transaction
from .deployment_runs import insert_runs, new_runs, retry_run_in
from .events import event_row, insert_events
from .models import flow_runs, sweeps
from .rows import iso
from .run_logs import recorded_values_of
from .sql_helpers import as_datetime

__all__ = [
    "create_sweep",
    "finish_sweeps",
    "list_sweeps",
    "mark_cancelled",
    "read_sweep",
    "retry_sweep_members",
    "sweep_member_ids",
    "sweep_state",
]

_FINAL = frozenset(t.value for t in FINAL_TYPES)
_COMPLETED = StateType.COMPLETED.value
_MEMBER_COLUMNS = (
    flow_runs.c.id,
    flow_runs.c.sweep_index,
    flow_runs.c.parameters,
    flow_runs.c.state_type,
    flow_runs.c.state_name,
    flow_runs.c.start_time,
    flow_runs.c.end_time,
)


def create_sweep(
    engine: Engine,
    deployment: Mapping[str, Any],
    parameter_sets: Sequence[Mapping[str, Any]],
    *,
    max_parallel: int,
    parameter_names: Sequence[str],
    job_variables: Mapping[str, Any] | None = None,
) -> str:
    """A new sweep of ``deployment`` with one SCHEDULED member per parameter set; its id.

    One transaction: a worker never sees a member without its sweep (and so without its cap).
    """
    sweep_id = str(uuid.uuid4())
    now = as_datetime(None)
    names = [f"{deployment['name']}-sweep-{sweep_id[:8]}-{index}" for index in range(len(parameter_sets))]
    members = new_runs(deployment, parameter_sets, when=now, names=names, job_variables=job_variables)
    for index, (row, _, _) in enumerate(members):
        row["sweep_id"], row["sweep_index"] = sweep_id, index

    def work(conn: Connection) -> str:
        conn.execute(
            insert(sweeps).values(
                id=sweep_id,
                deployment_id=deployment["id"],
                deployment_name=deployment["name"],
                max_parallel=max_parallel,
                parameter_names=list(parameter_names),
                created=now,
            )
        )
        events = insert_runs(conn, members)  # two INSERTs for all members: 1,000 stay well under a second
        payload = {"deployment_id": deployment["id"], "members": len(parameter_sets), "max_parallel": max_parallel}
        events.append(event_row("sweep.created", sweep_id, payload))
        insert_events(conn, events)
        return sweep_id

    return write_transaction(engine, work)


def sweep_state(cancelled: Any, counts: Mapping[str, int]) -> str:
    """RUNNING until every member is final; then COMPLETED (all completed) or FAILED; CANCELLED
    once cancelled (until a retry)."""
    if cancelled is not None:
        return "CANCELLED"
    total = sum(counts.values())
    if total and counts.get(_COMPLETED, 0) == total:
        return "COMPLETED"
    if all(state in _FINAL for state in counts):
        return "FAILED"
    return "RUNNING"


def _summary(row: Any, counts: Mapping[str, int]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "deployment_id": row["deployment_id"],
        "deployment_name": row["deployment_name"],
        "created": iso(row["created"]),
        "max_parallel": row["max_parallel"],
        "state": sweep_state(row["cancelled"], counts),
        "counts": dict(counts),
        "parameter_names": list(row["parameter_names"] or []),
    }


def _counts(conn: Connection, sweep_ids: list[str]) -> dict[str, Counter[str]]:
    stmt = (
        select(flow_runs.c.sweep_id, flow_runs.c.state_type, func.count())
        .where(flow_runs.c.sweep_id.in_(sweep_ids))
        .group_by(flow_runs.c.sweep_id, flow_runs.c.state_type)
    )
    out: dict[str, Counter[str]] = {sid: Counter() for sid in sweep_ids}
    for sweep_id, state, n in conn.execute(stmt):
        out[sweep_id][state or "SCHEDULED"] += int(n)
    return out


def _duration(start: _dt.datetime | None, end: _dt.datetime | None) -> float | None:
    return None if start is None or end is None else round((end - start).total_seconds(), 3)


def read_sweep(engine: Engine, sweep_id: str) -> dict[str, Any]:
    """A sweep with its members in order: parameters, state, times, duration, recorded outputs."""
    with read_connection(engine) as conn:
        row = conn.execute(select(sweeps).where(sweeps.c.id == sweep_id)).mappings().first()
        if row is None:
            raise NotFound(f"No sweep with id {sweep_id!r}")
        rows = conn.execute(
            select(*_MEMBER_COLUMNS).where(flow_runs.c.sweep_id == sweep_id).order_by(flow_runs.c.sweep_index)
        ).all()
        outputs = recorded_values_of(conn, [r.id for r in rows])
    counts: Counter[str] = Counter(r.state_type or "SCHEDULED" for r in rows)
    members = [
        {
            "index": r.sweep_index,
            "flow_run_id": r.id,
            "parameters": r.parameters or {},
            "state": {"type": r.state_type, "name": r.state_name},
            "start_time": iso(r.start_time),
            "end_time": iso(r.end_time),
            "duration": _duration(r.start_time, r.end_time),
            "outputs": outputs.get(r.id, {}),
        }
        for r in rows
    ]
    names = list(dict.fromkeys(name for m in members for name in m["outputs"]))
    return {**_summary(row, counts), "output_names": names, "members": members}


def list_sweeps(
    engine: Engine, *, deployment_id: str | None = None, limit: int = 50, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """A page of sweeps, newest first, with their member counts; and how many there are."""
    conditions = [] if deployment_id is None else [sweeps.c.deployment_id == deployment_id]
    with read_connection(engine) as conn:
        total = conn.execute(select(func.count()).select_from(sweeps).where(*conditions)).scalar_one()
        rows = (
            conn.execute(
                select(sweeps)
                .where(*conditions)
                .order_by(sweeps.c.created.desc(), sweeps.c.id.desc())
                .limit(limit)
                .offset(offset)
            )
            .mappings()
            .all()
        )
        counts = _counts(conn, [r["id"] for r in rows])
    return [_summary(r, counts[r["id"]]) for r in rows], int(total)


def sweep_member_ids(engine: Engine, sweep_id: str, states: Sequence[str] | None = None) -> list[str]:
    """The ids of a sweep's members (in those ``states``, if given), in order."""
    stmt = select(flow_runs.c.id).where(flow_runs.c.sweep_id == sweep_id).order_by(flow_runs.c.sweep_index)
    if states is not None:
        stmt = stmt.where(flow_runs.c.state_type.in_(list(states)))
    with read_connection(engine) as conn:
        return [r for (r,) in conn.execute(stmt)]


def mark_cancelled(engine: Engine, sweep_id: str) -> None:
    """Stamp a sweep cancelled (now); its members are cancelled by the caller."""

    def work(conn: Connection) -> None:
        stmt = update(sweeps).where(sweeps.c.id == sweep_id).values(cancelled=as_datetime(None))
        found = conn.execute(stmt).rowcount
        if not found:
            raise NotFound(f"No sweep with id {sweep_id!r}")

    write_transaction(engine, work)


def retry_sweep_members(engine: Engine, sweep_id: str) -> int:
    """Rerun the FAILED, CRASHED or CANCELLED members of a final sweep, in one transaction with
    clearing its cancelled and finished marks (so claims count it again before any member is
    due); how many. A sweep with members still active is a :class:`Conflict`."""
    retryable = (StateType.FAILED.value, StateType.CRASHED.value, StateType.CANCELLED.value)

    def work(conn: Connection) -> int:
        found = conn.execute(select(sweeps.c.id).where(sweeps.c.id == sweep_id).with_for_update()).first()
        if found is None:
            raise NotFound(f"No sweep with id {sweep_id!r}")
        members = conn.execute(
            select(flow_runs.c.id, flow_runs.c.state_type)
            .where(flow_runs.c.sweep_id == sweep_id)
            .order_by(flow_runs.c.sweep_index)
        ).all()
        if any(state not in _FINAL for _, state in members):
            raise Conflict(f"Sweep {sweep_id} is still running; retry it once every member is final")
        conn.execute(update(sweeps).where(sweeps.c.id == sweep_id).values(cancelled=None, finished=None))
        when = as_datetime(None)
        again = [run_id for run_id, state in members if state in retryable]
        for run_id in again:
            retry_run_in(conn, run_id, when)
        return len(again)

    return write_transaction(engine, work)


def finish_sweeps(engine: Engine, *, limit: int = 100) -> int:
    """Stamp unfinished sweeps whose members are all final; emit ``sweep.completed`` or
    ``sweep.failed`` for each (once: ``finished`` is set in the same transaction)."""
    active = select(flow_runs.c.sweep_id).where(
        flow_runs.c.sweep_id == sweeps.c.id, flow_runs.c.state_type.not_in(list(_FINAL))
    )

    def work(conn: Connection) -> int:
        stmt = select(sweeps).where(sweeps.c.finished.is_(None), ~active.exists()).limit(limit)
        if conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update(skip_locked=True, of=sweeps)
        rows = conn.execute(stmt).mappings().all()
        if not rows:
            return 0
        counts = _counts(conn, [r["id"] for r in rows])
        events = []
        for row in rows:
            state = sweep_state(row["cancelled"], counts[row["id"]])
            kind = "sweep.completed" if state == "COMPLETED" else "sweep.failed"
            payload = {"deployment_id": row["deployment_id"], "state": state, "counts": dict(counts[row["id"]])}
            events.append(event_row(kind, row["id"], payload))
        conn.execute(update(sweeps).where(sweeps.c.id.in_([r["id"] for r in rows])).values(finished=as_datetime(None)))
        insert_events(conn, events)
        return len(rows)

    return write_transaction(engine, work)
