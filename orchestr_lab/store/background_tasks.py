"""Background task runs (``Task.delay()``): stored SCHEDULED, claimed once, finished with a result.

A task worker claims the oldest SCHEDULED run of the task keys it serves. The claim is a
compare-and-set (``UPDATE ... WHERE state_type = 'SCHEDULED'``), so of two workers reaching for
the same row one moves it to RUNNING and the other sees no row changed and looks again: each run
is executed once. On PostgreSQL the candidate is read ``FOR UPDATE SKIP LOCKED`` so concurrent
claimers pass over each other's rows; on SQLite write transactions are serialised already.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from ..core.states import StateType
from .database import read_connection, write_transaction
from .models import background_task_runs as bt
from .rows import iso
from .sql_helpers import utc_now

__all__ = ["claim_background_task", "create_background_task", "finish_background_task", "get_background_task"]

_SCHEDULED = StateType.SCHEDULED.value
_RUNNING = StateType.RUNNING.value
_FINAL = {StateType.COMPLETED.value, StateType.FAILED.value, StateType.CRASHED.value, StateType.CANCELLED.value}
_CLAIM_TRIES = 20  # candidates another claimer took between our read and our update


def _out(row: RowMapping) -> dict[str, Any]:
    state = None
    if row["state_type"] is not None:
        state = {
            "type": row["state_type"],
            "name": row["state_name"],
            "message": row["state_message"],
            "timestamp": iso(row["state_timestamp"]),
        }
    return {
        "id": row["id"],
        "task_key": row["task_key"],
        "name": row["name"],
        "parameters": row["parameters"] or {},
        "tags": row["tags"] or [],
        "state": state,
        "worker_name": row["worker_name"],
        "result": row["result"],
        "created": iso(row["created"]),
        "start_time": iso(row["start_time"]),
        "end_time": iso(row["end_time"]),
    }


def _state(state_type: str, state_name: str, message: str | None, now: Any) -> dict[str, Any]:
    return {
        "state_type": state_type,
        "state_name": state_name,
        "state_message": message,
        "state_timestamp": now,
        "updated": now,
    }


def _read(conn: Connection, run_id: str) -> RowMapping | None:
    return conn.execute(select(bt).where(bt.c.id == run_id)).mappings().first()


def create_background_task(
    engine: Engine, *, task_key: str, name: str, parameters: dict[str, Any], tags: list[str]
) -> dict[str, Any]:
    """A new SCHEDULED background task run; its id is also the id of the task run it becomes."""
    now = utc_now()
    values = {
        "id": str(uuid.uuid4()),
        "task_key": task_key,
        "name": name,
        "parameters": parameters,
        "tags": tags,
        **_state(_SCHEDULED, "Scheduled", None, now),
        "created": now,
    }

    def work(conn: Connection) -> dict[str, Any]:
        conn.execute(bt.insert().values(values))
        return _out(_read(conn, values["id"]))  # type: ignore[arg-type]

    return write_transaction(engine, work)


def get_background_task(engine: Engine, run_id: str) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        row = _read(conn, run_id)
    return None if row is None else _out(row)


def claim_background_task(engine: Engine, *, task_keys: list[str], worker_name: str) -> dict[str, Any] | None:
    """Move the oldest SCHEDULED run of ``task_keys`` to RUNNING for ``worker_name``; None if none waits."""
    keys = list(dict.fromkeys(task_keys))

    def work(conn: Connection) -> dict[str, Any] | None:
        pg = conn.dialect.name == "postgresql"
        for _ in range(_CLAIM_TRIES):
            stmt = (
                select(bt.c.id)
                .where(bt.c.task_key.in_(keys), bt.c.state_type == _SCHEDULED)
                .order_by(bt.c.created, bt.c.id)
                .limit(1)
            )
            if pg:
                stmt = stmt.with_for_update(skip_locked=True)
            run_id = conn.execute(stmt).scalar()
            if run_id is None:
                return None
            now = utc_now()
            taken = conn.execute(
                update(bt)
                .where(bt.c.id == run_id, bt.c.state_type == _SCHEDULED)
                .values(**_state(_RUNNING, "Running", None, now), worker_name=worker_name, start_time=now)
            ).rowcount
            if taken == 1:
                return _out(_read(conn, run_id))  # type: ignore[arg-type]
        return None

    return write_transaction(engine, work)


def finish_background_task(
    engine: Engine,
    run_id: str,
    *,
    state_type: str,
    state_name: str,
    message: str | None,
    result: dict[str, Any] | None,
) -> dict[str, Any]:
    """Record how a claimed (RUNNING) run ended. A run that is not RUNNING cannot be finished
    (:class:`Conflict`): it was never claimed, or another worker already finished it."""
    if state_type not in _FINAL:
        raise Conflict(f"A background task run ends in a final state, not {state_type}")

    def work(conn: Connection) -> dict[str, Any]:
        now = utc_now()
        done = conn.execute(
            update(bt)
            .where(bt.c.id == run_id, bt.c.state_type == _RUNNING)
            .values(**_state(state_type, state_name, message, now), result=result, end_time=now)
        ).rowcount
        row = _read(conn, run_id)
        if row is None:
            raise NotFound(f"No background task run with id {run_id!r}")
        if done != 1:
            raise Conflict(f"Background task run {run_id!r} is {row['state_type']}, not RUNNING: it cannot be finished")
        return _out(row)

    return write_transaction(engine, work)
