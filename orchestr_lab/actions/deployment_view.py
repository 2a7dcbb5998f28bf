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

from sqlalchemy import select
from sqlalchemy.engine import Engine

from ..core.errors import found
from ..core.schedules import Cron, Interval
from ..core.states import StateType
from ..store.database import read_connection
from ..store.models import deployments, flow_runs
from ..store.rows import iso
from ..store.slas import current_breaches

__all__ = [
    "BROKEN_SCHEDULE",
    "NEXT_RUNS",
    "describe",
    "describe_all",
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


_LAST_RUN_COLUMNS = (
    flow_runs.c.id,
    flow_runs.c.name,
    flow_runs.c.state_type,
    flow_runs.c.state_name,
    flow_runs.c.state_message,
    flow_runs.c.state_timestamp,
    flow_runs.c.start_time,
    flow_runs.c.end_time,
    flow_runs.c.updated,
    flow_runs.c.created,
)


def _latest(started: bool) -> Any:
    """The id of a deployment's latest run that left SCHEDULED, among its started runs (by
    start) or those that never started (by last change): one walk of ``(deployment_id,
    start_time)`` each, correlated to the ``deployments`` row of the outer query."""
    c = flow_runs.c
    when = c.start_time if started else c.updated
    return (
        select(c.id)
        .where(
            c.deployment_id == deployments.c.id,
            c.start_time.is_not(None) if started else c.start_time.is_(None),
            c.state_type != StateType.SCHEDULED.value,
        )
        .order_by(when.desc(), c.created.desc())
        .limit(1)
        .scalar_subquery()
    )


def _last_runs(engine: Engine, deployment_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Each deployment's latest run that left SCHEDULED (started, finished or cancelled), by
    when it started (or last changed, if it never started): two queries for any number."""
    if not deployment_ids:
        return {}
    candidates = select(deployments.c.id, _latest(True), _latest(False)).where(deployments.c.id.in_(deployment_ids))
    with read_connection(engine) as conn:
        pairs = conn.execute(candidates).all()
        run_ids = {run_id for _, *ids in pairs for run_id in ids if run_id is not None}
        found_runs = conn.execute(select(*_LAST_RUN_COLUMNS).where(flow_runs.c.id.in_(run_ids))).mappings()
        rows = {r["id"]: dict(r) for r in found_runs}
    out = {}
    for dep_id, *ids in pairs:
        found = [rows[i] for i in ids if i in rows]
        if found:
            out[dep_id] = _last_run_dict(max(found, key=lambda r: (r["start_time"] or r["updated"], r["created"])))
    return out


def _last_run_dict(row: Mapping[str, Any]) -> dict[str, Any]:
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


def _schedules_key(schedules: Iterable[Mapping[str, Any]]) -> tuple[Any, ...]:
    """What a deployment's fire times depend on (deployments that share it share the times)."""
    fields = ("cron", "interval", "anchor", "timezone", "active")
    return tuple(tuple(str(s.get(f)) for f in fields) for s in schedules)


def describe_all(
    engine: Engine, deps: list[dict[str, Any]], *, now: _dt.datetime | None = None
) -> list[dict[str, Any]]:
    """Each of ``deps`` (store deployment dicts) with ``next_runs`` and ``last_run`` added.

    ``next_runs``: the next five fire times across its active schedules, ISO-8601 in each
    schedule's zone; none while the deployment is paused. ``last_run``: ``{id, name, state,
    start_time, end_time}`` of its latest run that left SCHEDULED, or None. ``sla_breaches``: its
    SLAs breached now (``store.slas.current_breaches``; no query for deployments without SLAs). Two queries for a
    page of any size; fire times are computed once per distinct set of schedules.
    """
    now = now or _dt.datetime.now(_UTC)
    last_runs = _last_runs(engine, [d["id"] for d in deps])
    breaches = current_breaches(engine, [d["id"] for d in deps if _has_sla(d)], now=now)
    out = []
    for dep in deps:
        schedules = dep.get("schedules") or []
        described = dict(dep, last_run=last_runs.get(dep["id"]), next_runs=[], sla_breaches=breaches.get(dep["id"], []))
        if schedules and not dep.get("paused"):
            described["next_runs"] = _next_runs(schedules, now)
        out.append(described)
    return out


def _has_sla(dep: Mapping[str, Any]) -> bool:
    return dep.get("max_duration_seconds") is not None or dep.get("freshness_seconds") is not None


#: Fire times computed lately: schedules key -> (computed for, the times, their ISO texts).
_computed: dict[tuple[Any, ...], tuple[_dt.datetime, list[_dt.datetime], list[str]]] = {}
_COMPUTED_MAX = 20_000


def _next_runs(schedules: list[dict[str, Any]], now: _dt.datetime) -> list[str]:
    """The next fire times of ``schedules`` after ``now``, as ISO texts.

    Computing them (croniter) costs about a millisecond a schedule, which a page of hundreds of
    deployments and a sidebar re-reading it would pay again and again. Times computed at ``t``
    still hold at any ``now`` from ``t`` until the first of them: nothing fires in between.
    """
    key = _schedules_key(schedules)
    hit = _computed.get(key)
    if hit is not None and hit[0] <= now and (not hit[1] or now < hit[1][0]):
        return hit[2]
    times = next_fire_times(schedules, NEXT_RUNS, after=now)
    if len(_computed) >= _COMPUTED_MAX:
        _computed.clear()
    texts = [t.isoformat() for t in times]
    _computed[key] = (now, times, texts)
    return texts


def describe(engine: Engine, dep: dict[str, Any], *, now: _dt.datetime | None = None) -> dict[str, Any]:
    """``dep`` with ``next_runs`` and ``last_run`` added (as :func:`describe_all` does)."""
    return describe_all(engine, [dep], now=now)[0]


def load_deployment(ctx: Context, deployment_id: str) -> dict[str, Any]:
    """A deployment by id, or by name (so ``/deployments/nightly-report`` works too); 404 else."""
    from ..store.deployments import get_deployment as by_id, get_deployment_by_name

    return found(
        by_id(ctx.engine, deployment_id) or get_deployment_by_name(ctx.engine, deployment_id),
        f"No deployment with id or name {deployment_id!r}",
    )
