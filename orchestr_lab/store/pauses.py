"""A flow run waiting for a person: its PAUSED state (with the input's schema in the state's
details), the move back to RUNNING with the input received, and the events automations react to.

No table of its own: what a pause asks for is the PAUSED state's ``details`` and what it got
is the RUNNING state's, both kept in the run's state history (``run_states``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection, Engine

from ..core.errors import Conflict, NotFound
from ..core.states import State, StateType
from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import flow_runs, run_states

__all__ = ["ATTEMPT_STARTS", "current_pause", "move_with_event", "received_input"]


def _current_row(conn: Connection, run_id: str) -> Any:
    from sqlalchemy import select

    row = conn.execute(select(flow_runs).where(flow_runs.c.id == run_id).with_for_update()).mappings().first()
    if row is None:
        raise NotFound(f"No flow run with id {run_id!r}")
    return row


def move_with_event(
    engine: Engine,
    run_id: str,
    state: State,
    kinds: list[tuple[str, dict[str, Any]]],
    *,
    require: StateType,
) -> dict[str, Any]:
    """Move the run to ``state`` and write the ``kinds`` events (name, payload) with it, in one
    transaction; refused (Conflict) unless the run is in state ``require`` now."""
    from .transitions import transition_flow_run

    def work(conn: Connection) -> dict[str, Any]:
        row = _current_row(conn, run_id)
        if row["state_type"] != require.value:
            raise Conflict(f"Flow run {run_id} is {row['state_type'] or 'new'}, not {require.value}")
        events: list[dict[str, Any]] = []
        stored = transition_flow_run(conn, run_id, state, events=events, row=row)
        events.extend(event_row(kind, run_id, {"name": row["name"], **payload}) for kind, payload in kinds)
        insert_events(conn, events)
        return stored

    return write_transaction(engine, work)


def current_pause(engine: Engine, run_id: str) -> dict[str, Any] | None:
    """The PAUSED state's details when the run is paused now, else None (NotFound: no such run)."""
    from sqlalchemy import select

    with read_connection(engine) as conn:
        state_type = conn.execute(select(flow_runs.c.state_type).where(flow_runs.c.id == run_id)).first()
        if state_type is None:
            raise NotFound(f"No flow run with id {run_id!r}")
        if state_type[0] != StateType.PAUSED.value:
            return None
        stmt = (
            select(run_states.c.details)
            .where(run_states.c.flow_run_id == run_id)
            .order_by(run_states.c.id.desc())
            .limit(1)
        )
        last = conn.execute(stmt).first()
    return dict(last[0] or {}) if last is not None else {}


#: State names that start a new attempt of a run (a retry or rerun): a pause asks again after one.
ATTEMPT_STARTS = ("AwaitingRetry", "Retrying", "Rerun")


def received_input(engine: Engine, run_id: str, key: str) -> tuple[bool, Any]:
    """``(True, input)`` when pause ``key`` was answered in the run's current attempt (input
    None for a pause without one), else ``(False, None)``: a retried run asks again."""
    from sqlalchemy import func, select

    c = run_states.c
    attempt = select(func.coalesce(func.max(c.id), 0)).where(c.flow_run_id == run_id, c.name.in_(ATTEMPT_STARTS))
    stmt = (
        select(c.details)
        .where(c.flow_run_id == run_id, c.type == StateType.RUNNING.value, c.id > attempt.scalar_subquery())
        .order_by(c.id.desc())
    )
    with read_connection(engine) as conn:
        for (details,) in conn.execute(stmt):
            if details and details.get("pause_key") == key:
                return True, details.get("run_input")
    return False, None
