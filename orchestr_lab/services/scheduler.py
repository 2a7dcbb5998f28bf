"""The scheduler: keeps each active schedule's next runs inserted, and decides about missed ones.

Idempotent by construction: a run is keyed by (deployment, schedule, scheduled time) with a
unique index, inserts use ``ON CONFLICT DO NOTHING``, so a second tick, or a second scheduler
on the same database, never makes a duplicate. :class:`SchedulerLock` only saves the wasted
work of several schedulers computing the same runs.

Where a schedule left off is its latest run's scheduled time (or, if the deployment was edited
or resumed since, the time of that edit: pausing is not downtime). Slots between there and
now are either just due (late by less than ``late_grace``: always inserted, the next worker
runs them) or missed, and then the ``missed`` policy decides: ``skip`` none, ``once`` the latest
only, ``all`` every one.

It cannot be wedged: a tick plans each deployment from a read (no lock held while computing),
then inserts the plan in short write transactions of at most :data:`CHUNK` runs, checking that
the deployment was not edited in between. Work is bounded: at most :data:`MAX_PER_SCHEDULE` runs
per schedule and :data:`MAX_PER_TICK` per tick (catching up continues on the next tick, from
the last run inserted), and every walk over fire times is capped. A schedule that cannot be
computed (stored by an older version, say) is logged once and skipped; the rest of its
deployment and the other deployments schedule on.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import socket
import uuid
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from ..actions.deployment_view import BROKEN_SCHEDULE, report_broken, schedule_of
from ..core.schedules import Cron, Interval
from ..store.database import read_connection, write_transaction
from ..store.deployment_runs import create_run_in
from ..store.deployments import deployment_in, scheduled_deployment_ids
from ..store.events import insert_events
from ..store.leases import acquire_lease, lease_holder, release_lease
from ..store.models import flow_runs
from ..store.sql_helpers import as_datetime
from .loop import ServiceLoop

__all__ = [
    "CHUNK",
    "MAX_PER_SCHEDULE",
    "MAX_PER_TICK",
    "MISSED_POLICIES",
    "SchedulerLock",
    "plan_times",
    "schedule_tick",
    "scheduler_service",
]

log = logging.getLogger("orchestr_lab.services.scheduler")

MISSED_POLICIES = ("skip", "once", "all")
#: Runs one schedule gets per tick at most (a long catch-up goes on at the next tick).
MAX_PER_SCHEDULE = 1000
#: Runs one tick inserts at most, over all deployments.
MAX_PER_TICK = 5000
#: Runs inserted per write transaction: other writers wait at most this long for the store.
CHUNK = 200
_TINY = _dt.timedelta(microseconds=1)


def _times(schedule: Cron | Interval, after: _dt.datetime, until: _dt.datetime, limit: int) -> Iterator[_dt.datetime]:
    """Fire times in (after, until], soonest first, at most ``limit``."""
    if limit <= 0 or after >= until:
        return
    for n, when in enumerate(schedule.iter_times(after)):
        if when > until or n >= limit:
            return
        yield when


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
    limit: int = MAX_PER_SCHEDULE,
) -> list[_dt.datetime]:
    """The fire times one tick should insert for one schedule, soonest first, at most ``limit``.

    ``last``: the latest scheduled time of the schedule's runs (None: it never ran, so it
    starts now). ``since``: the deployment's last edit, before which nothing counts as missed.
    A plan cut at ``limit`` is the earliest part: the next tick goes on from its last time.
    """
    if last is None:
        cursor = now - _TINY  # a slot exactly at ``now`` is due, not missed
    else:
        cursor = max(last, since) if since is not None else last
    out: list[_dt.datetime] = []
    cutoff = now - late_grace
    if cursor < cutoff and missed != "skip":
        if missed == "all":
            out.extend(_times(schedule, cursor, cutoff, limit))
        else:
            latest = schedule.latest(after=cursor, until=cutoff)
            if latest is not None:
                out.append(latest)
    out.extend(_times(schedule, max(cursor, cutoff), now, limit - len(out)))  # just due: late < grace
    if len(out) >= limit:
        return out  # still catching up
    # The next ``max_runs`` fire times within the horizon, less those made by earlier ticks.
    out.extend(t for t in _times(schedule, now, now + horizon, max_runs) if t > cursor)
    return out[:limit]


def _check_missed(missed: str) -> None:
    if missed not in MISSED_POLICIES:
        raise ValueError(f"missed must be one of {', '.join(MISSED_POLICIES)}, not {missed!r}")


@dataclass
class _Plan:
    """One deployment's runs to insert, as read before any write lock is taken."""

    deployment: dict[str, Any]
    slots: list[tuple[str, _dt.datetime]] = field(default_factory=list)  # (schedule id, time)


def schedule_tick(
    engine: Engine,
    *,
    now: _dt.datetime | None = None,
    horizon: _dt.timedelta = _dt.timedelta(hours=1),
    max_runs: int = 3,
    missed: str = "once",
    late_grace: _dt.timedelta = _dt.timedelta(seconds=60),
    max_per_tick: int = MAX_PER_TICK,
    should_stop: Callable[[], bool] | None = None,
) -> int:
    """Insert the upcoming (and, per ``missed``, the missed) runs of every active schedule of
    every unpaused deployment; returns how many runs were inserted.

    Upcoming: the next ``max_runs`` fire times of each schedule within ``horizon`` of now, so a
    schedule has at most that many runs waiting ahead. Schedules are independent: one that
    fails to compute is logged and the others still run. ``should_stop`` is asked between
    deployments and transactions, so a server stopping is not held up by a long tick.
    """
    _check_missed(missed)
    when = as_datetime(now)
    options = {"horizon": horizon, "max_runs": max_runs, "missed": missed, "late_grace": late_grace}
    budget, total = max_per_tick, 0
    stopping = should_stop or (lambda: False)
    for dep_id in scheduled_deployment_ids(engine):
        if budget <= 0:
            log.info("scheduler: %d runs planned this pass; the other deployments wait for the next", max_per_tick)
            break
        if stopping():
            break
        try:
            plan = _plan_deployment(engine, dep_id, now=when, budget=budget, **options)
            if plan is None:
                continue
            budget -= len(plan.slots)
            for start in range(0, len(plan.slots), CHUNK):
                if stopping():
                    break
                chunk = plan.slots[start : start + CHUNK]
                total += write_transaction(engine, lambda conn, d=plan.deployment, c=chunk: _insert(conn, d, c))  # type: ignore[misc]  # mypy cannot type a lambda whose defaults bind loop values
        except Exception:
            # One broken deployment (e.g. the store refusing its rows) must not stop the others.
            log.exception("scheduling deployment %s failed", dep_id)
    return total


def _plan_deployment(engine: Engine, dep_id: str, *, now: _dt.datetime, budget: int, **options: Any) -> _Plan | None:
    """What to insert for one deployment, computed from a read (no write lock held)."""
    with read_connection(engine) as conn:
        dep = deployment_in(conn, dep_id)
        if dep is None or dep["paused"]:
            return None
        lasts = dict(
            conn.execute(
                select(flow_runs.c.schedule_id, func.max(flow_runs.c.slot_time))
                .where(flow_runs.c.deployment_id == dep_id, flow_runs.c.schedule_id.is_not(None))
                .group_by(flow_runs.c.schedule_id)
            ).all()
        )
    since = as_datetime(_dt.datetime.fromisoformat(dep["updated"]))
    plan = _Plan(dep)
    for spec in dep["schedules"]:
        room = min(budget - len(plan.slots), MAX_PER_SCHEDULE)
        if room <= 0:
            break
        if not spec["active"]:
            continue
        try:
            times = plan_times(
                schedule_of(spec), last=lasts.get(spec["id"]), since=since, now=now, limit=room, **options
            )
        except BROKEN_SCHEDULE as exc:
            report_broken(spec, exc, "is skipped by the scheduler")
            continue
        except Exception:
            log.exception("schedule %s of deployment %s is skipped this pass", spec["id"], dep_id)
            continue
        plan.slots.extend((spec["id"], t) for t in times)
    return plan


def _insert(conn: Connection, planned: dict[str, Any], slots: list[tuple[str, _dt.datetime]]) -> int:
    """Insert ``slots`` unless the deployment changed since it was planned (the next tick
    plans it afresh): an edit or a pause removes the runs not due yet, and must stay so."""
    dep = deployment_in(conn, planned["id"])
    if dep is None or dep["paused"] or dep["updated"] != planned["updated"]:
        return 0
    events: list[dict[str, Any]] = []
    inserted = 0
    for schedule_id, when in slots:
        _, new = create_run_in(conn, dep, events=events, scheduled_time=when, schedule_id=schedule_id)
        inserted += new
    insert_events(conn, events)
    return inserted


# -- one scheduler per database -------------------------------------------------------------

_LOCK_NAME = "scheduler"
_PG_LOCK_KEY = zlib.crc32(b"orchestr_lab.scheduler")


class SchedulerLock:
    """Makes one scheduler act per database: call :meth:`acquire` before each tick.

    SQLite: a lease row renewed on every acquire and lost ``lease_seconds`` after its holder
    stops renewing, or at once when the holder was a process of this machine that is gone
    (``kill -9``: a restarted server schedules on at once). Should that misjudge (another pid
    namespace), two schedulers act for a while: wasted work, never a duplicate run.
    PostgreSQL: ``pg_try_advisory_lock`` on a connection this object keeps open, released by the
    server as soon as that connection dies.
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
            other = None if self.held else lease_holder(self.engine, _LOCK_NAME, now=now)
            if other is not None and _dead_here(other):
                release_lease(self.engine, _LOCK_NAME, other)  # only if that holder still has it
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


def _dead_here(holder: str | None) -> bool:
    """True when ``holder`` (``host:pid:...``) names a process of this machine that is gone."""
    host, _, rest = (holder or "").partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # it exists (another user's): alive
        return False
    return False


def scheduler_service(
    engine: Engine,
    *,
    interval: float = 10.0,
    lock: SchedulerLock | None = None,
    **tick_options: Any,
) -> ServiceLoop:
    """A :class:`ServiceLoop` that ticks the scheduler while this process holds the lock.

    ``tick_options`` go to :func:`schedule_tick` (``missed``, ``late_grace``, ...).
    """
    _check_missed(tick_options.get("missed", "once"))  # at start, not at every tick
    lock = lock or SchedulerLock(engine, lease_seconds=max(60.0, 3 * interval))

    def tick() -> int:
        if not lock.acquire():
            return 0
        return schedule_tick(engine, should_stop=lambda: loop.stopping, **tick_options)

    loop = ServiceLoop("scheduler", tick, interval, on_stop=lock.release)
    return loop
