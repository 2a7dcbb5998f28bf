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

__all__ = [
    "ATTEMPT_STARTS",
    "current_pause",
    "expired_pauses",
    "fired_before_rerun",
    "move_with_event",
    "never_resumed",
    "received_input",
]


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
#: A RUNNING "Retrying" right after a suspended run's "Resuming" continues that attempt instead.
ATTEMPT_STARTS = ("AwaitingRetry", "Retrying", "Rerun")


def received_input(engine: Engine, run_id: str, key: str) -> tuple[bool, Any]:
    """``(True, input)`` when pause ``key`` was answered in the run's current attempt (input
    None for a pause without one), else ``(False, None)``: a retried run asks again. A resumed
    pause's RUNNING state holds the answer, a resumed suspend's SCHEDULED "Resuming" one."""
    from sqlalchemy import select

    c = run_states.c
    stmt = select(c.type, c.name, c.details).where(c.flow_run_id == run_id).order_by(c.id.desc())
    with read_connection(engine) as conn:
        rows = [tuple(r) for r in conn.execute(stmt)]
    for i, (type_, name, details) in enumerate(rows):
        if name in ATTEMPT_STARTS and not (name == "Retrying" and _resumed_before(rows[i + 1 :])):
            break
        if type_ in (StateType.RUNNING.value, StateType.SCHEDULED.value) and (details or {}).get("pause_key") == key:
            return True, (details or {}).get("run_input")
    return False, None


def _resumed_before(older: list[tuple[Any, ...]]) -> bool:
    """Whether the latest of ``older`` states that is not PENDING is a suspended run's resume (or
    that resume marked Late or handed back): the run that follows is the same attempt rerun."""
    for type_, name, _ in older:
        if type_ != StateType.PENDING.value:
            return type_ == StateType.SCHEDULED.value and name in _SAME_ATTEMPT
    return False


#: SCHEDULED states that do not start the run afresh: a suspend that fired before one of them
#: (resumed, then marked Late or handed back at a worker's shutdown) has still fired.
_SAME_ATTEMPT = ("Resuming", "Late", "HandedBack")


def fired_before_rerun(engine: Engine, run_id: str, key: str) -> bool:
    """Whether the pause or suspend ``key`` was resumed before a suspension that this attempt
    reruns (since the run last started afresh: its creation or a retry). The rerun reaches the
    same call again and goes on with the input it got, as Prefect keeps a suspended run's fired
    keys; a pause in a run never suspended asks each time."""
    from sqlalchemy import select

    stmt = (
        select(run_states.c.type, run_states.c.name, run_states.c.details)
        .where(
            run_states.c.flow_run_id == run_id,
            run_states.c.type.in_((StateType.SCHEDULED.value, StateType.RUNNING.value)),
        )
        .order_by(run_states.c.id.desc())
    )
    rerun = False
    with read_connection(engine) as conn:
        for type_, name, details in conn.execute(stmt):
            if type_ == StateType.SCHEDULED.value and name not in _SAME_ATTEMPT:
                return False
            resumed = (details or {}).get("pause_key") == key
            if name == "Resuming":
                if resumed:
                    return True
                rerun = True
            elif rerun and resumed and type_ == StateType.RUNNING.value:
                return True
    return False


def never_resumed(details: dict[str, Any]) -> str:
    """The message a run fails with when its pause (or suspension) timed out."""
    return f"The flow was {'suspended' if details.get('pause_reschedule') else 'paused'} and never resumed."


def expired_pauses(conn: Connection, now: float, *, grace: float, limit: int) -> list[tuple[Any, dict[str, Any]]]:
    """PAUSED runs whose pause expired before ``now`` (epoch seconds), with their pause's details.

    A suspended run has no process waiting for it: it expires at its time. A pause's own process
    fails the run when it gives up; it is expired here only ``grace`` seconds later (its process
    is gone)."""
    from sqlalchemy import select

    stmt = select(flow_runs).where(flow_runs.c.state_type == StateType.PAUSED.value).order_by(flow_runs.c.id)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # a run being resumed now is left to its resume
    expired = []
    for row in conn.execute(stmt.limit(limit)).mappings():
        last = conn.execute(
            select(run_states.c.details)
            .where(run_states.c.flow_run_id == row["id"])
            .order_by(run_states.c.id.desc())
            .limit(1)
        ).first()
        details = dict((last[0] if last is not None else None) or {})
        expires = details.get("pause_expiration_time")
        if expires is not None and float(expires) + (0.0 if details.get("pause_reschedule") else grace) < now:
            expired.append((row, details))
    return expired
