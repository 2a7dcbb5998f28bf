"""A deployment as the API shows it: the stored record plus when it runs next and how it last ran.

Here (not in ``server_ext.services``) because the actions build their answers with it; the
server's scheduler imports ``schedule_of`` from here too.
"""

from __future__ import annotations

import datetime as _dt
import heapq
from typing import Any, Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from ..core.schedules import Cron, Interval
from ..core.states import StateType
from ..store.database import read_connection
from ..store.models import flow_runs
from ..store.run_logs import iso

__all__ = ["NEXT_RUNS", "describe", "next_fire_times", "schedule_of"]

#: How many upcoming fire times a deployment shows.
NEXT_RUNS = 5
_UTC = _dt.timezone.utc


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
    """The next ``n`` distinct fire times over the active ``schedules``, soonest first."""
    after = after or _dt.datetime.now(_UTC)
    iterators = [schedule_of(s).iter_times(after) for s in schedules if s.get("active", True)]
    out: list[_dt.datetime] = []
    for when in heapq.merge(*iterators):
        if not out or when != out[-1]:  # aware datetimes compare as instants across zones
            out.append(when)
        if len(out) >= n:
            break
    return out


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
