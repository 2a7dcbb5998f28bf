"""The reaper: marks runs nobody started Late, and runs whose worker went silent CRASHED.

A worker heartbeats every few seconds for each run it holds (``heartbeat_at``). A RUNNING run,
or a PENDING run a worker claimed, whose heartbeat is older than ``heartbeat_timeout`` lost
its worker: it becomes CRASHED and, with attempts left, goes on to AwaitingRetry through
``finish_attempt`` (the same rule a worker's own failure follows). A CANCELLING run whose
worker went silent can no longer be stopped by anyone: it becomes CANCELLED. A PAUSED run not
resumed before its pause expired FAILS (a suspended one has no process to notice). Runs without a
heartbeat (flows called in a notebook, which have no worker) are never touched.

Workers on other machines heartbeat through the server's API, so while the server is down no
heartbeat can arrive: a server reaps silent runs only once it has itself been listening for
``heartbeat_timeout`` (``listening_since``), and a restart does not crash the runs of workers
that were waiting for it.

Each run is settled in a savepoint of its own: a run the store refuses to move is logged and
left for the next pass, and the others are settled all the same (one bad row used to roll
the whole pass back, every pass, so no silent run was ever reaped again). A silent run whose
retry cannot be scheduled (a retry delay out of range, stored by an older version) ends
CRASHED rather than staying RUNNING forever.
"""

from __future__ import annotations

import datetime as _dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from ..core.states import Cancelled, Crashed, Failed, Late, StateType
from ..store.database import write_transaction
from ..store.deployment_runs import finish_attempt_in
from ..store.events import insert_events
from ..store.global_leases import reap_expired
from ..store.models import flow_runs
from ..store.pauses import expired_pauses, never_resumed
from ..store.slas import record_breaches
from ..store.sql_helpers import as_datetime
from ..store.sweeps import finish_sweeps
from ..store.transitions import transition_flow_run
from .loop import ServiceLoop

__all__ = ["reap_tick", "reaper_service"]

log = logging.getLogger("orchestr_lab.services.reaper")

_ST = StateType
_BATCH = 500  # runs handled per kind per tick; the next tick takes the rest


def reap_tick(
    engine: Engine,
    *,
    now: _dt.datetime | None = None,
    heartbeat_timeout: float = 30.0,
    late_after: float = 15.0,
    listening_since: _dt.datetime | None = None,
) -> dict[str, int]:
    """One pass; returns counts ``{"late", "crashed", "retried", "cancelled", "expired"}``
    (expired: PAUSED runs not resumed in time, FAILED as Prefect's pause expiry fails them).

    ``late_after``: seconds past its scheduled time before a SCHEDULED run is marked Late.
    ``listening_since``: when this server started hearing heartbeats (silent runs are left
    alone until ``heartbeat_timeout`` after it).
    """
    when = as_datetime(now)
    counts = {"late": 0, "crashed": 0, "retried": 0, "cancelled": 0, "expired": 0}
    late_before = when - _dt.timedelta(seconds=late_after)
    silent_before = when - _dt.timedelta(seconds=heartbeat_timeout)
    reap_silent = listening_since is None or as_datetime(listening_since) <= silent_before

    def work(conn: Connection) -> dict[str, int]:
        events: list[dict[str, Any]] = []
        for row in _rows(
            conn,
            flow_runs.c.state_type == _ST.SCHEDULED.value,
            flow_runs.c.state_name != "Late",
            flow_runs.c.scheduled_start_time < late_before,
        ):
            state = Late(_late_message(row["scheduled_start_time"], when), scheduled_time=row["scheduled_start_time"])
            state.timestamp = when.timestamp()
            if (
                _settle(
                    conn,
                    row,
                    events,
                    lambda out, r=row, s=state: transition_flow_run(conn, r["id"], s, events=out, row=r),  # type: ignore[misc]  # mypy cannot type a lambda whose defaults bind loop values
                )
                is not None
            ):
                counts["late"] += 1
        for row in _silent(conn, (_ST.RUNNING.value, _ST.PENDING.value), silent_before) if reap_silent else ():
            crashed = Crashed(_crash_message(row, when), timestamp=when.timestamp())
            stored = _settle(
                conn,
                row,
                events,
                lambda out, r=row, c=crashed: finish_attempt_in(conn, r["id"], c, events=out, now=when, row=r),  # type: ignore[misc]  # mypy cannot type a lambda whose defaults bind loop values
            )
            if stored is None:  # its retry cannot be scheduled (e.g. a delay out of range): it still ends
                final = Crashed(f"{crashed.message}; its retry could not be scheduled", timestamp=crashed.timestamp)
                stored = _settle(
                    conn,
                    row,
                    events,
                    lambda out, r=row, c=final: transition_flow_run(  # type: ignore[misc]  # mypy cannot type a lambda whose defaults bind loop values
                        conn, r["id"], c, events=out, row=r, fields={"end_time": when}
                    ),
                )
            if stored is not None:
                counts["crashed"] += 1
                counts["retried"] += stored["state_type"] == _ST.SCHEDULED.value
        ending = [
            (
                row,
                "cancelled",
                Cancelled(f"Cancelled: worker {row['worker_name']} stopped heartbeating while cancelling"),
            )
            for row in (_silent(conn, (_ST.CANCELLING.value,), silent_before) if reap_silent else ())
        ]
        ending += [
            (row, "expired", Failed(never_resumed(details)))
            for row, details in expired_pauses(conn, when.timestamp(), grace=heartbeat_timeout, limit=_BATCH)
        ]
        for row, count, state in ending:
            state.timestamp = when.timestamp()
            if (
                _settle(
                    conn,
                    row,
                    events,
                    lambda out, r=row, s=state: transition_flow_run(  # type: ignore[misc]  # mypy cannot type a lambda whose defaults bind loop values
                        conn, r["id"], s, events=out, row=r, fields={"end_time": when}
                    ),
                )
                is not None
            ):
                counts[count] += 1
        insert_events(conn, events)
        return counts

    return write_transaction(engine, work)


def _settle(
    conn: Connection,
    row: Any,
    events: list[dict[str, Any]],
    move: Callable[[list[dict[str, Any]]], dict[str, Any]],
) -> dict[str, Any] | None:
    """Apply ``move`` to one run inside a savepoint; the stored row, or None when the store
    refused it (logged; the pass goes on, and the next pass tries the run again)."""
    mine: list[dict[str, Any]] = []
    try:
        with conn.begin_nested():
            stored = move(mine)
    except Exception:
        log.exception("reaper: could not settle run %s (%s); left for the next pass", row["id"], row["state_type"])
        return None
    events.extend(mine)
    return stored


def _rows(conn: Connection, *conditions: Any) -> list[Any]:
    stmt = select(flow_runs).where(*conditions).order_by(flow_runs.c.id).limit(_BATCH)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)  # a worker busy with a run keeps it
    return list(conn.execute(stmt).mappings())


def _silent(conn: Connection, states: tuple[str, ...], before: _dt.datetime) -> list[Any]:
    return _rows(
        conn,
        flow_runs.c.state_type.in_(states),
        flow_runs.c.heartbeat_at.is_not(None),
        flow_runs.c.heartbeat_at < before,
    )


def _late_message(scheduled: _dt.datetime | None, now: _dt.datetime) -> str:
    if scheduled is None:
        return "Not started at its scheduled time"
    return f"Not started {int((now - scheduled).total_seconds())} s after its scheduled time"


def _crash_message(row: Any, now: _dt.datetime) -> str:
    silent = int((now - row["heartbeat_at"]).total_seconds())
    who = row["worker_name"] or "its worker"
    return f"Worker {who} stopped heartbeating ({silent} s without a heartbeat while {row['state_type']})"


def reaper_service(engine: Engine, *, interval: float = 10.0, **tick_options: Any) -> ServiceLoop:
    """A :class:`ServiceLoop` running :func:`reap_tick` (safe to run in several servers at once)."""
    started = as_datetime(None)

    def tick() -> None:
        reap_tick(engine, listening_since=started, **tick_options)
        # Expired global-concurrency leases (holders that died) give their slots back, even
        # when nobody is waiting to acquire them, so the limits show what is really held.
        reap_expired(engine)
        finish_sweeps(engine)  # sweeps whose members are all final: sweep.completed / sweep.failed
        # Deployment SLAs breached since the last tick emit their events (once each).
        record_breaches(engine)

    return ServiceLoop("reaper", tick, interval)
