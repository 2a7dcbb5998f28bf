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

It cannot be wedged, and it scales with the number of schedules: a tick reads every active
schedule and where it left off in one query, plans from that read (no lock held
while computing; a schedule whose next run is already inserted is passed over without croniter),
then inserts the plan in short write transactions of at most :data:`CHUNK` runs, each one INSERT
of runs and one of their states, checking that the deployments were not edited in between. Work
is bounded: at most :data:`MAX_PER_SCHEDULE` runs per schedule and :data:`MAX_PER_TICK` per tick
(catching up continues on the next tick, from the last run inserted), and every walk over fire
times is capped. A schedule that cannot be computed (stored by an older version, say) is logged
once and skipped; the rest of its deployment and the other deployments schedule on.
"""

from __future__ import annotations

import datetime as _dt
import functools
import logging
import os
import socket
import uuid
import zlib
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy.engine import Connection, Engine

from ..actions.deployment_view import BROKEN_SCHEDULE, report_broken, schedule_of
from ..core.schedules import Cron, Interval
from ..store.database import read_connection, write_transaction
from ..store.deployment_runs import NewRun, active_schedules, insert_scheduled_runs, new_scheduled_runs
from ..store.deployments import deployment_versions, deployments_in
from ..store.events import insert_events
from ..store.leases import acquire_lease, lease_holder, release_lease
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
#: Runs one tick inserts at most, over all deployments (10,000 hourly deployments get their
#: next run in one pass).
MAX_PER_TICK = 20_000
#: Runs inserted per write transaction (tens of milliseconds; their rows are built before it):
#: other writers wait at most this long for the store.
CHUNK = 250
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
    # One walk from where the just-due slots start (late < grace) to the horizon: those, then the
    # next ``max_runs`` fire times after now, less those made by earlier ticks (up to the cursor).
    if len(out) >= limit:
        return out[:limit]  # still catching up
    start = max(cursor, cutoff)
    ahead = 0
    for when in _times(schedule, min(start, now), now + horizon, limit + max_runs):
        if when <= now:
            out.append(when)
            if len(out) >= limit:
                return out  # still catching up
            continue
        ahead += 1
        if ahead > max_runs:
            break
        if when > cursor:
            out.append(when)
    return out[:limit]


def _check_missed(missed: str) -> None:
    if missed not in MISSED_POLICIES:
        raise ValueError(f"missed must be one of {', '.join(MISSED_POLICIES)}, not {missed!r}")


Slot = tuple[dict[str, Any], str, _dt.datetime]  # (deployment as planned, schedule id, fire time)


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
    stopping = should_stop or (lambda: False)
    with read_connection(engine) as conn:  # one query, however many schedules
        schedules = active_schedules(conn)
    planned = _plan(schedules, now=when, budget=max_per_tick, stopping=stopping, **options)
    if not planned:
        return 0
    with read_connection(engine) as conn:  # what the runs are made from: only the deployments that get some
        deps = deployments_in(conn, {dep_id for dep_id, _, _, _ in planned})
    slots = [(deps[d], sid, t) for d, updated, sid, t in planned if d in deps and deps[d]["updated"] == updated]
    total = 0
    for start in range(0, len(slots), CHUNK):
        if stopping():
            break
        total += _write(engine, slots[start : start + CHUNK])
    return total


def _plan(
    schedules: list[dict[str, Any]],
    *,
    now: _dt.datetime,
    budget: int,
    stopping: Callable[[], bool],
    **options: Any,
) -> list[tuple[str, str, str, _dt.datetime]]:
    """Every run to insert, as ``(deployment id, its last edit, schedule id, fire time)``,
    computed from the read (no lock held), schedule by schedule."""
    planned: list[tuple[str, str, str, _dt.datetime]] = []
    for n, row in enumerate(schedules):
        room = min(budget - len(planned), MAX_PER_SCHEDULE)
        if room <= 0:
            log.info("scheduler: %d runs planned this pass; the other deployments wait for the next", budget)
            break
        if n % 100 == 0 and stopping():
            break
        spec, updated = row["schedule"], row["updated"]
        since = as_datetime(_dt.datetime.fromisoformat(updated))
        try:
            times = _plan_schedule(spec, last=row["last"], since=since, now=now, limit=room, **options)
        except BROKEN_SCHEDULE as exc:
            report_broken(spec, exc, "is skipped by the scheduler")
            continue
        except Exception:
            log.exception("schedule %s of deployment %s is skipped this pass", spec["id"], row["deployment_id"])
            continue
        planned.extend((row["deployment_id"], updated, spec["id"], t) for t in times)
    return planned


def _plan_schedule(
    spec: dict[str, Any], *, last: _dt.datetime | None, since: _dt.datetime, now: _dt.datetime, **options: Any
) -> list[_dt.datetime]:
    """:func:`plan_times` for a stored schedule, skipping the common case without croniter: the
    schedule is ahead (its latest run is not due yet) and its next fire time after that run is
    beyond the horizon, so there is nothing to insert."""
    key = _key(spec)
    if last is not None:
        cursor = max(last, since)
        if cursor >= now:
            following = _next_after(key, cursor)
            if following is None or following > now + options["horizon"]:
                return []
    # ``since`` only counts for a schedule that has run: new schedules of one kind share a plan.
    return list(_planned(key, last, since if last is not None else None, now, tuple(sorted(options.items()))))


_Key = tuple[Any, Any, Any, Any]


@functools.lru_cache(maxsize=1024)
def _planned(
    key: _Key,
    last: _dt.datetime | None,
    since: _dt.datetime | None,
    now: _dt.datetime,
    options: tuple[tuple[str, Any], ...],
) -> tuple[_dt.datetime, ...]:
    """:func:`plan_times`, computed once per pass for schedules alike (most deployments share a
    few cron expressions: hourly, daily...) at the same cursor."""
    return tuple(plan_times(_schedule(key), last=last, since=since, now=now, **dict(options)))


def _key(spec: dict[str, Any]) -> _Key:
    return (spec.get("cron"), spec.get("interval"), spec.get("anchor"), spec.get("timezone"))


@functools.lru_cache(maxsize=4096)
def _schedule(key: _Key) -> Cron | Interval:
    """The schedule object of a stored schedule, built once (building a cron one runs croniter)."""
    cron, interval, anchor, timezone = key
    return schedule_of({"cron": cron, "interval": interval, "anchor": anchor, "timezone": timezone})


@functools.lru_cache(maxsize=65536)
def _next_after(key: _Key, cursor: _dt.datetime) -> _dt.datetime | None:
    """The schedule's first fire time after ``cursor``: the same each pass until a run is added."""
    return next(_schedule(key).iter_times(cursor), None)


def _write(engine: Engine, slots: list[Slot]) -> int:
    """Insert ``slots`` in one short write transaction (the rows are built before it). If the
    store refuses them, each deployment's share is tried on its own, so one broken deployment
    cannot stop the others."""
    runs = new_scheduled_runs(slots)
    planned = {dep["id"]: (dep["updated"], False) for dep, _, _ in slots}
    try:
        return write_transaction(engine, lambda conn: _insert(conn, runs, planned))
    except Exception:
        parts: dict[str, list[Slot]] = {}
        for slot in slots:
            parts.setdefault(slot[0]["id"], []).append(slot)
        if len(parts) == 1:
            log.exception("scheduling deployment %s failed", slots[0][0]["id"])
            return 0
        return sum(_write(engine, part) for part in parts.values())


def _insert(conn: Connection, runs: list[NewRun], planned: dict[str, tuple[str, bool]]) -> int:
    """Insert ``runs`` but those of deployments changed since they were planned (the next tick
    plans them afresh): an edit or a pause removes the runs not due yet, and must stay so."""
    versions = deployment_versions(conn, planned)
    current = [run for run in runs if versions.get(run[0]["deployment_id"]) == planned[run[0]["deployment_id"]]]
    inserted, events = insert_scheduled_runs(conn, current)
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
