"""Deployment SLAs: a run RUNNING too long, a deployment with no COMPLETED run for too long.

A deployment's ``max_duration_seconds`` is breached by each of its runs still RUNNING that long
after it started; its ``freshness_seconds`` by no COMPLETED run ending within that many seconds
(counted from its creation until a first one ends). A paused deployment is not expected to be
fresh. :func:`current_breaches` says what is breached now (the deployment list shows it);
:func:`record_breaches` (the reaper, each tick) emits ``deployment.sla.max_duration`` or
``deployment.sla.freshness`` once per breach: an ``sla_breaches`` row, inserted with its event in
one transaction, keys a too-long run by its id and a stale deployment by its last COMPLETED run's
end, so the next COMPLETED run clears the breach and a later one is a new breach.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from ..core.states import StateType
from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import deployments, flow_runs, sla_breaches
from .rows import iso
from .sql_helpers import as_datetime, insert_ignore

__all__ = ["FRESHNESS", "MAX_DURATION", "current_breaches", "record_breaches"]

#: The events a breach emits (automations' event triggers react to them).
MAX_DURATION = "deployment.sla.max_duration"
FRESHNESS = "deployment.sla.freshness"
_BATCH = 500  # breaches looked at per kind per pass; the next pass takes the rest


def _too_long(conn: Connection, now: _dt.datetime, ids: Iterable[str] | None) -> list[dict[str, Any]]:
    d, r = deployments.c, flow_runs.c
    stmt = (
        select(d.id, d.name, d.max_duration_seconds, r.id.label("run_id"), r.name.label("run_name"), r.start_time)
        .join(flow_runs, r.deployment_id == d.id)
        .where(d.max_duration_seconds.is_not(None), r.state_type == StateType.RUNNING.value, r.start_time.is_not(None))
        .order_by(r.start_time)
        .limit(_BATCH)
    )
    if ids is not None:
        stmt = stmt.where(d.id.in_(list(ids)))
    out = []
    for row in conn.execute(stmt).mappings():
        started = as_datetime(row["start_time"])
        if (now - started).total_seconds() > row["max_duration_seconds"]:
            out.append(
                {
                    "deployment_id": row["id"],
                    "kind": "max_duration",
                    "key": row["run_id"],
                    "since": iso(started + _dt.timedelta(seconds=row["max_duration_seconds"])),
                    "payload": {
                        "deployment": row["name"],
                        "flow_run_id": row["run_id"],
                        "flow_run_name": row["run_name"],
                        "max_duration_seconds": row["max_duration_seconds"],
                        "running_seconds": int((now - started).total_seconds()),
                    },
                }
            )
    return out


def _stale(conn: Connection, now: _dt.datetime, ids: Iterable[str] | None) -> list[dict[str, Any]]:
    d, r = deployments.c, flow_runs.c
    last_completed = (
        select(func.max(func.coalesce(r.end_time, r.state_timestamp)))
        .where(r.deployment_id == d.id, r.state_type == StateType.COMPLETED.value)
        .scalar_subquery()
    )
    stmt = (
        select(d.id, d.name, d.freshness_seconds, d.created, last_completed.label("last"))
        .where(d.freshness_seconds.is_not(None), d.paused.is_(False))
        .order_by(d.id)
        .limit(_BATCH)
    )
    if ids is not None:
        stmt = stmt.where(d.id.in_(list(ids)))
    out = []
    for row in conn.execute(stmt).mappings():
        last = as_datetime(row["last"]) if row["last"] is not None else None
        since = (last or as_datetime(row["created"])) + _dt.timedelta(seconds=row["freshness_seconds"])
        if now > since:
            out.append(
                {
                    "deployment_id": row["id"],
                    "kind": "freshness",
                    "key": iso(last) if last is not None else "never",
                    "since": iso(since),
                    "payload": {
                        "deployment": row["name"],
                        "freshness_seconds": row["freshness_seconds"],
                        "last_completed": iso(last),
                    },
                }
            )
    return out


def _breaches(conn: Connection, now: _dt.datetime, ids: Iterable[str] | None) -> list[dict[str, Any]]:
    return _too_long(conn, now, ids) + _stale(conn, now, ids)


def current_breaches(
    engine: Engine, deployment_ids: list[str], *, now: _dt.datetime | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Each deployment's SLAs breached now: ``{kind, since}`` plus ``flow_run_id`` for a run too long."""
    out: dict[str, list[dict[str, Any]]] = {}
    if not deployment_ids:
        return out
    with read_connection(engine) as conn:
        for breach in _breaches(conn, as_datetime(now), deployment_ids):
            shown = {"kind": breach["kind"], "since": breach["since"]}
            if breach["kind"] == "max_duration":
                shown["flow_run_id"] = breach["key"]
            out.setdefault(breach["deployment_id"], []).append(shown)
    return out


def record_breaches(engine: Engine, *, now: _dt.datetime | None = None) -> int:
    """Emit the event of each breach not noticed before (once, whichever server notices it);
    returns how many were new."""
    when = as_datetime(now)

    def work(conn: Connection) -> int:
        written = []
        for breach in _breaches(conn, when, None):
            row = {k: breach[k] for k in ("deployment_id", "kind", "key")}
            if insert_ignore(conn, sla_breaches, {**row, "breached": when}, list(row)):
                kind = MAX_DURATION if breach["kind"] == "max_duration" else FRESHNESS
                payload = {**breach["payload"], "since": breach["since"]}
                written.append(event_row(kind, breach["deployment_id"], payload, occurred=when.timestamp()))
        insert_events(conn, written)
        return len(written)

    return write_transaction(engine, work)
