"""The scheduler: keeps each active schedule's next runs inserted, and decides about missed ones.

Idempotent by construction: a run is keyed by (deployment, schedule, scheduled time) with a
unique index, inserts use ``ON CONFLICT DO NOTHING``, so a second tick, or a second scheduler
on the same database, never makes a duplicate. :class:`SchedulerLock` only saves the wasted
work of several schedulers computing the same runs.

Where a schedule left off is its latest run's scheduled time (or, if the deployment was edited
or resumed since, the time of that edit: pausing is not downtime). Slots between there and
now are either just due (late by less than ``late_grace``: always inserted, the next worker
runs them) or missed, and then the ``missed`` policy decides: ``skip`` none, ``once`` the latest
only, ``all`` every one (up to 1,000 per tick; later ticks continue).
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import socket
import uuid
import zlib
from typing import Any, Iterator

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from ...actions.deployment_view import schedule_of
from ...core.schedules import Cron, Interval
from ...store.database import write_transaction
from ...store.deployment_runs import create_run_in
from ...store.deployments import deployment_in, scheduled_deployment_ids
from ...store.events import insert_events
from ...store.leases import acquire_lease, release_lease
from ...store.models import flow_runs
from ...store.sql_helpers import as_datetime
from .loop import ServiceLoop

__all__ = ["MISSED_POLICIES", "SchedulerLock", "plan_times", "schedule_tick", "scheduler_service"]

log = logging.getLogger("orchestr_lab.services.scheduler")

MISSED_POLICIES = ("skip", "once", "all")
_MAX_CATCH_UP = 1000
_LOOKBACKS = (_dt.timedelta(hours=1), _dt.timedelta(days=1), _dt.timedelta(days=32), _dt.timedelta(days=367), None)
_MAX_STEPS = 200_000  # fire times walked per search: bounds a tick after years of downtime
_TINY = _dt.timedelta(microseconds=1)


def _times(schedule: Cron | Interval, after: _dt.datetime, until: _dt.datetime, limit: int) -> Iterator[_dt.datetime]:
    """Fire times in (after, until], soonest first, at most ``limit``."""
    if limit <= 0 or after >= until:
        return
    n = 0
    for when in schedule.iter_times(after):
        if when > until or n >= limit:
            return
        n += 1
        yield when


def _latest(schedule: Cron | Interval, after: _dt.datetime, until: _dt.datetime) -> _dt.datetime | None:
    """The latest fire time in (after, until], looking back in widening windows (cheap for
    frequent schedules, still exact for rare ones)."""
    for lookback in _LOOKBACKS:
        start = after if lookback is None else max(after, until - lookback)
        found = None
        for found in _times(schedule, start, until, _MAX_STEPS):  # noqa: B007 - keep the last
            pass
        if found is not None or start == after:
            return found
    return None


def plan_times(
    schedule: Cron | Interval,
    *,
    last: _dt.datetime | None,
    since: _dt.datetime | None,
    now: _dt.datetime,
    horizon: _dt.timedelta,
    max_runs: int,
    missed: str,
    late_grace: _dt.timedelta,
) -> list[_dt.datetime]:
    """The fire times one tick should insert for one schedule.

    ``last``: the latest scheduled time of the schedule's runs (None: it never ran, so it
    starts now). ``since``: the deployment's last edit, before which nothing counts as missed.
    """
    if last is None:
        cursor = now - _TINY  # a slot exactly at ``now`` is due, not missed
    else:
        cursor = max(last, since) if since is not None else last
    out: list[_dt.datetime] = []
    cutoff = now - late_grace
    if cursor < cutoff and missed != "skip":
        if missed == "all":
            out.extend(_times(schedule, cursor, cutoff, _MAX_CATCH_UP))
        else:
            latest = _latest(schedule, cursor, cutoff)
            if latest is not None:
                out.append(latest)
    if len(out) >= _MAX_CATCH_UP:
        return out  # still catching up; the next tick goes on from the last of these
    out.extend(_times(schedule, max(cursor, cutoff), now, _MAX_CATCH_UP))  # just due: late < grace
    # The next ``max_runs`` fire times within the horizon, less those made by earlier ticks.
    out.extend(t for t in _times(schedule, now, now + horizon, max_runs) if t > cursor)
    return out


def schedule_tick(
    engine: Engine,
    *,
    now: _dt.datetime | None = None,
    horizon: _dt.timedelta = _dt.timedelta(hours=1),
    max_runs: int = 3,
    missed: str = "once",
    late_grace: _dt.timedelta = _dt.timedelta(seconds=60),
) -> int:
    """Insert the upcoming (and, per ``missed``, the missed) runs of every active schedule of
    every unpaused deployment; returns how many runs were inserted.

    Upcoming: the next ``max_runs`` fire times of each schedule within ``horizon`` of now, so a
    schedule has at most that many runs waiting ahead. Schedules are independent: one that
    fails to compute is logged and the others still run.
    """
    if missed not in MISSED_POLICIES:
        raise ValueError(f"missed must be one of {', '.join(MISSED_POLICIES)}, not {missed!r}")
    when = as_datetime(now)
    total = 0
    for dep_id in scheduled_deployment_ids(engine):
        try:
            total += write_transaction(
                engine,
                lambda conn, d=dep_id: _schedule_deployment(
                    conn, d, now=when, horizon=horizon, max_runs=max_runs, missed=missed, late_grace=late_grace
                ),
            )
        except Exception:
            # One broken deployment (e.g. a schedule made invalid by a tz database change)
            # must not stop the others.
            log.exception("scheduling deployment %s failed", dep_id)
    return total


def _schedule_deployment(conn: Connection, dep_id: str, *, now: _dt.datetime, **options: Any) -> int:
    dep = deployment_in(conn, dep_id)  # re-read here: it may have been paused or deleted since
    if dep is None or dep["paused"]:
        return 0
    since = as_datetime(_dt.datetime.fromisoformat(dep["updated"]))
    events: list[dict[str, Any]] = []
    inserted = 0
    for spec in dep["schedules"]:
        if not spec["active"]:
            continue
        last = conn.execute(
            select(func.max(flow_runs.c.scheduled_start_time)).where(
                flow_runs.c.deployment_id == dep_id, flow_runs.c.schedule_id == spec["id"]
            )
        ).scalar()
        times = plan_times(schedule_of(spec), last=last, since=since, now=now, **options)
        for when in times:
            _, new = create_run_in(conn, dep, events=events, scheduled_time=when, schedule_id=spec["id"])
            inserted += new
    insert_events(conn, events)
    return inserted


# -- one scheduler per database -------------------------------------------------------------

_LOCK_NAME = "scheduler"
_PG_LOCK_KEY = zlib.crc32(b"orchestr_lab.scheduler")


class SchedulerLock:
    """Makes one scheduler act per database: call :meth:`acquire` before each tick.

    SQLite: a lease row renewed on every acquire and lost ``lease_seconds`` after its holder
    stops renewing. PostgreSQL: ``pg_try_advisory_lock`` on a connection this object keeps
    open, released by the server as soon as that connection dies.
    """

    def __init__(self, engine: Engine, *, holder: str | None = None, lease_seconds: float = 60.0) -> None:
        self.engine = engine
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.lease_seconds = lease_seconds
        self._pg_conn: Any = None
        self.held = False

    def acquire(self, *, now: _dt.datetime | None = None) -> bool:
        """True when this process may schedule now (takes, renews, or keeps the lock)."""
        if self.engine.dialect.name == "postgresql":
            self.held = self._pg_acquire()
        else:
            self.held = acquire_lease(self.engine, _LOCK_NAME, self.holder, seconds=self.lease_seconds, now=now)
        return self.held

    def release(self) -> None:
        """Let another scheduler take over at once."""
        self.held = False
        if self._pg_conn is not None:
            conn, self._pg_conn = self._pg_conn, None
            try:
                conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_PG_LOCK_KEY})")
                conn.commit()
            finally:
                conn.close()
        elif self.engine.dialect.name != "postgresql":
            release_lease(self.engine, _LOCK_NAME, self.holder)

    def _pg_acquire(self) -> bool:
        if self._pg_conn is not None:
            try:
                self._pg_conn.exec_driver_sql("SELECT 1")
                self._pg_conn.commit()
                return True
            except Exception:  # the connection died, and the lock with it: try again below
                self._pg_conn.invalidate()
                self._pg_conn.close()
                self._pg_conn = None
        conn = self.engine.connect()
        try:
            got = bool(conn.exec_driver_sql(f"SELECT pg_try_advisory_lock({_PG_LOCK_KEY})").scalar())
            conn.commit()
        except Exception:
            conn.close()
            raise
        if got:
            self._pg_conn = conn
        else:
            conn.close()
        return got

    def __repr__(self) -> str:
        return f"SchedulerLock(holder={self.holder!r}, held={self.held})"


def scheduler_service(
    engine: Engine,
    *,
    interval: float = 10.0,
    lock: SchedulerLock | None = None,
    **tick_options: Any,
) -> ServiceLoop:
    """A :class:`ServiceLoop` that ticks the scheduler while this process holds the lock."""
    lock = lock or SchedulerLock(engine, lease_seconds=max(60.0, 3 * interval))

    def tick() -> int:
        if not lock.acquire():
            return 0
        return schedule_tick(engine, **tick_options)

    return ServiceLoop("scheduler", tick, interval, on_stop=lock.release)
