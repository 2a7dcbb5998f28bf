"""A deployment as the API shows it: the stored record plus when it runs next and how it last ran.

Here (not in ``orchestr_lab.services``) because the actions build their answers with it; the
server's scheduler imports ``schedule_of`` from here too.
"""

from __future__ import annotations

import datetime as _dt
import heapq
import logging
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from ..core.errors import found
from ..core.schedules import Cron, Interval
from ..core.states import StateType
from ..store.database import read_connection
from ..store.models import flow_runs
from ..store.rows import iso

__all__ = [
    "BROKEN_SCHEDULE",
    "NEXT_RUNS",
    "describe",
    "load_deployment",
    "next_fire_times",
    "report_broken",
    "schedule_of",
]

if TYPE_CHECKING:
    from . import Context

log = logging.getLogger("orchestr_lab.deployments")

#: How many upcoming fire times a deployment shows.
NEXT_RUNS = 5
#: What computing a stored schedule's fire times may raise: a schedule an older version or a
#: client that bypassed the API stored (out of range, never firing), or a changed tz database.
BROKEN_SCHEDULE = (ValueError, ArithmeticError, TypeError, KeyError)
_UTC = _dt.timezone.utc
_reported: set[tuple[str, str]] = set()  # (schedule id, reason) already logged


def report_broken(spec: Mapping[str, Any], exc: BaseException, consequence: str) -> None:
    """Log once per schedule and reason that a stored schedule cannot be computed (every read
    and every scheduler pass meets it again; the log should say it once, not every 5 s)."""
    key = (str(spec.get("id", "?")), str(exc))
    if key in _reported:
        return
    if len(_reported) > 10_000:
        _reported.clear()
    _reported.add(key)
    log.warning("schedule %s %s: %s", key[0], consequence, exc)


def schedule_of(spec: Mapping[str, Any]) -> Cron | Interval:
    """The ``core.schedules`` object for a stored schedule dict (``cron`` or ``interval``)."""
    timezone = spec.get("timezone") or "UTC"
    if spec.get("cron"):
        return Cron(spec["cron"], timezone)
    anchor = spec.get("anchor")
    if isinstance(anchor, str):
        anchor = _dt.datetime.fromisoformat(anchor)
    return Interval(spec["interval"], anchor, timezone)


def next_fire_times(
    schedules: Iterable[Mapping[str, Any]], n: int, *, after: _dt.datetime | None = None
) -> list[_dt.datetime]:
    """The next ``n`` distinct fire times over the active ``schedules``, soonest first.

    A schedule that cannot be computed contributes none (and is logged): one bad stored
    schedule must not make its deployment, or the deployment list, unreadable.
    """
    after = after or _dt.datetime.now(_UTC)
    iterators = [_fire_times(s, after) for s in schedules if s.get("active", True)]
    out: list[_dt.datetime] = []
    for when in heapq.merge(*iterators):
        if not out or when != out[-1]:  # aware datetimes compare as instants across zones
            out.append(when)
        if len(out) >= n:
            break
    return out


def _fire_times(spec: Mapping[str, Any], after: _dt.datetime) -> Iterator[_dt.datetime]:
    """``spec``'s fire times after ``after``; ends where the schedule turns out to be broken."""
    try:
        yield from schedule_of(spec).iter_times(after)
    except BROKEN_SCHEDULE as exc:
        report_broken(spec, exc, "shows no next runs")


def _last_run(engine: Engine, deployment_id: str) -> dict[str, Any] | None:
    """The deployment's latest run that left SCHEDULED (started, finished or cancelled)."""
    latest = func.coalesce(flow_runs.c.start_time, flow_runs.c.updated)
    stmt = (
        select(
            flow_runs.c.id,
            flow_runs.c.name,
            flow_runs.c.state_type,
            flow_runs.c.state_name,
            flow_runs.c.state_message,
            flow_runs.c.state_timestamp,
            flow_runs.c.start_time,
            flow_runs.c.end_time,
        )
        .where(
            flow_runs.c.deployment_id == deployment_id,
            flow_runs.c.state_type != StateType.SCHEDULED.value,
        )
        .order_by(latest.desc(), flow_runs.c.created.desc())
        .limit(1)
    )
    with read_connection(engine) as conn:
        row = conn.execute(stmt).mappings().first()
    if row is None:
        return None
    return {
        "id": row["id"],
        "name": row["name"],
        "state": {
            "type": row["state_type"],
            "name": row["state_name"],
            "message": row["state_message"],
            "timestamp": iso(row["state_timestamp"]),
        },
        "start_time": iso(row["start_time"]),
        "end_time": iso(row["end_time"]),
    }


def describe(engine: Engine, dep: dict[str, Any], *, now: _dt.datetime | None = None) -> dict[str, Any]:
    """``dep`` (a store deployment dict) with ``next_runs`` and ``last_run`` added.

    ``next_runs``: the next five fire times across its active schedules, ISO-8601 in each
    schedule's zone; none while the deployment is paused. ``last_run``: ``{id, name, state,
    start_time, end_time}`` of its latest run that left SCHEDULED, or None.
    """
    out = dict(dep)
    schedules = dep.get("schedules") or []
    if dep.get("paused") or not schedules:
        out["next_runs"] = []
    else:
        out["next_runs"] = [t.isoformat() for t in next_fire_times(schedules, NEXT_RUNS, after=now)]
    out["last_run"] = _last_run(engine, dep["id"])
    return out


def load_deployment(ctx: Context, deployment_id: str) -> dict[str, Any]:
    """A deployment by id, or by name (so ``/deployments/nightly-report`` works too); 404 else."""
    from ..store.deployments import get_deployment as by_id, get_deployment_by_name

    return found(
        by_id(ctx.engine, deployment_id) or get_deployment_by_name(ctx.engine, deployment_id),
        f"No deployment with id or name {deployment_id!r}",
    )
