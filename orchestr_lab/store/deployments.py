"""Deployments: what to run (a notebook or ``file.py:flow``), with which defaults, when and where.

A deployment dict has the fields of ``core.schemas.DeploymentRead`` except ``next_runs`` and
``last_run``, which ``actions.deployment_view.describe`` adds. Specs are validated
here with the same pydantic models the REST API uses, so the CLI and ``deploy()`` cannot store
what the API would refuse. Every change writes a ``deployment.*`` event in its transaction.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from ..core.schemas import DeploymentCreate, DeploymentUpdate
from ..core.states import StateType
from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import deployment_schedules, deployments, flow_runs
from .rows import iso
from .sql_helpers import insert_ignore, utc_now
from .work_pools import deployment_placement_in

__all__ = [
    "count_deployments",
    "create_deployment",
    "delete_deployment",
    "deployment_in",
    "deployment_versions",
    "deployments_in",
    "get_deployment",
    "get_deployment_by_name",
    "list_deployments",
    "update_deployment",
]

_SCHEDULED = StateType.SCHEDULED.value
_IN_CHUNK = 5000  # ids per IN (...): far below SQLite's limit on a statement's parameters
# Columns that cannot be NULL: an explicit None in an update leaves them as they are.
_NOT_NULL = frozenset({"parameters", "tags", "work_queue", "retries", "retry_delay_seconds", "paused"})


# -- rows <-> dicts ---------------------------------------------------------------------------


def _schedule_dict(row: RowMapping | Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "cron": row["cron"],
        "interval": row["interval_seconds"],
        "anchor": iso(row["anchor"]),
        "timezone": row["timezone"],
        "active": bool(row["active"]),
        "parameters": dict(row["parameters"] or {}),
    }


def _deployment_dict(row: RowMapping | Mapping[str, Any], schedules: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "notebook": row["notebook"],
        "entrypoint": row["entrypoint"],
        "description": row["description"],
        "parameters": dict(row["parameters"] or {}),
        "schedules": schedules,
        "work_queue": row["work_queue"],
        "retries": row["retries"],
        "retry_delay_seconds": row["retry_delay_seconds"],
        "timeout_seconds": row["timeout_seconds"],
        "tags": list(row["tags"] or []),
        "concurrency_limit": row["concurrency_limit"],
        "paused": bool(row["paused"]),
        "retention_days": row.get("retention_days"),
        "keep_last": row.get("keep_last"),
        "work_pool_name": row.get("work_pool_name"),
        "job_variables": dict(row.get("job_variables") or {}),
        "max_duration_seconds": row.get("max_duration_seconds"),
        "freshness_seconds": row.get("freshness_seconds"),
        "created": iso(row["created"]),
        "updated": iso(row["updated"]),
    }


def _anchor(value: _dt.datetime | None, timezone: str) -> _dt.datetime | None:
    """A naive anchor is wall time in the schedule's zone (as ``core.schedules`` reads it)."""
    if value is None:
        return None
    if value.tzinfo is None:
        from zoneinfo import ZoneInfo

        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value.astimezone(_dt.timezone.utc)


def _schedule_rows(deployment_id: str, specs: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "id": str(uuid.uuid4()),
            "deployment_id": deployment_id,
            "cron": s.get("cron"),
            "interval_seconds": s.get("interval"),
            "anchor": _anchor(s.get("anchor"), s.get("timezone") or "UTC"),
            "timezone": s.get("timezone") or "UTC",
            "active": bool(s.get("active", True)),
            "parameters": dict(s.get("parameters") or {}),
            "position": i,
        }
        for i, s in enumerate(specs)
    ]


def _load(conn: Connection, where: Any, *, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Deployments matching ``where``, by name, with their schedules (two queries whatever the count)."""
    stmt = select(deployments).where(where).order_by(deployments.c.name).limit(limit).offset(offset)
    rows = conn.execute(stmt).mappings().all()
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    by_dep: dict[str, list[dict[str, Any]]] = {i: [] for i in ids}
    stmt = (
        select(deployment_schedules)
        .where(deployment_schedules.c.deployment_id.in_(ids))
        .order_by(deployment_schedules.c.position)
    )
    for s in conn.execute(stmt).mappings():
        by_dep[s["deployment_id"]].append(_schedule_dict(s))
    return [_deployment_dict(r, by_dep[r["id"]]) for r in rows]


def deployment_in(conn: Connection, deployment_id: str) -> dict[str, Any] | None:
    """A deployment read inside the caller's transaction (the scheduler re-reads it there)."""
    found = _load(conn, deployments.c.id == deployment_id)
    return found[0] if found else None


def deployments_in(conn: Connection, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """``id -> deployment`` of those of ``ids`` that exist, with their schedules, read inside the
    caller's transaction (a few queries for thousands of ids)."""
    wanted, out = list(ids), {}
    for start in range(0, len(wanted), _IN_CHUNK):
        for dep in _load(conn, deployments.c.id.in_(wanted[start : start + _IN_CHUNK])):
            out[dep["id"]] = dep
    return out


def deployment_versions(conn: Connection, ids: Iterable[str]) -> dict[str, tuple[str | None, bool]]:
    """``id -> (updated, paused)`` of the deployments ``ids`` that exist, inside the caller's
    transaction: how the scheduler checks that what it planned from is still current."""
    stmt = select(deployments.c.id, deployments.c.updated, deployments.c.paused).where(deployments.c.id.in_(list(ids)))
    return {dep_id: (iso(updated), bool(paused)) for dep_id, updated, paused in conn.execute(stmt)}


def _one(conn: Connection, deployment_id: str) -> dict[str, Any]:
    found = _load(conn, deployments.c.id == deployment_id)
    if not found:
        raise NotFound(f"No deployment with id {deployment_id!r}")
    return found[0]


# -- API --------------------------------------------------------------------------------------


def create_deployment(engine: Engine, spec: Mapping[str, Any]) -> dict[str, Any]:
    """Store a new deployment (``DeploymentCreate.model_dump()``); :class:`Conflict` on a taken name.

    Its work queue is created if it does not exist yet, so it shows up in the queue list.
    """
    data = DeploymentCreate.model_validate(dict(spec)).model_dump()
    now = utc_now()
    dep_id = str(uuid.uuid4())
    row = {k: v for k, v in data.items() if k != "schedules"}
    row.update(id=dep_id, created=now, updated=now)
    schedules = _schedule_rows(dep_id, data["schedules"])

    def work(conn: Connection) -> dict[str, Any]:
        row.update(_placement(conn, row, queue_given=True))
        if not insert_ignore(conn, deployments, row, ["name"]):
            raise Conflict(f"A deployment named {data['name']!r} already exists")
        if schedules:
            conn.execute(insert(deployment_schedules), schedules)
        out = _deployment_dict(row, [_schedule_dict(s) for s in schedules])
        insert_events(conn, [event_row("deployment.created", dep_id, out)])
        return out

    return write_transaction(engine, work)


def get_deployment(engine: Engine, deployment_id: str) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        found = _load(conn, deployments.c.id == deployment_id)
    return found[0] if found else None


def get_deployment_by_name(engine: Engine, name: str) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        found = _load(conn, deployments.c.name == name)
    return found[0] if found else None


def list_deployments(
    engine: Engine, *, limit: int | None = None, offset: int = 0, after_name: str | None = None
) -> list[dict[str, Any]]:
    """Deployments by name: every one, or a page (``limit`` of them after the name ``after_name``,
    skipping ``offset``); names are unique, so a page ends where the next one starts."""
    where = deployments.c.id.is_not(None) if after_name is None else deployments.c.name > after_name
    with read_connection(engine) as conn:
        return _load(conn, where, limit=limit, offset=offset)


def count_deployments(engine: Engine) -> int:
    with read_connection(engine) as conn:
        return int(conn.execute(select(func.count()).select_from(deployments)).scalar_one())


def update_deployment(engine: Engine, deployment_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Apply a partial update (``DeploymentUpdate`` fields; ``schedules`` replaces the list).

    The deployment's runs that the scheduler made and that are not due yet are removed, so
    the next scheduler tick re-creates them from the new settings (none while paused).
    Raises :class:`NotFound` for an unknown id.
    """
    data = DeploymentUpdate.model_validate(dict(changes)).model_dump(exclude_unset=True)
    schedules = data.pop("schedules", None)
    values = {k: v for k, v in data.items() if not (v is None and k in _NOT_NULL)}
    now = utc_now()

    def work(conn: Connection) -> dict[str, Any]:
        found = conn.execute(
            update(deployments).where(deployments.c.id == deployment_id).values(updated=now, **values)
        ).rowcount
        if not found:
            raise NotFound(f"No deployment with id {deployment_id!r}")
        if schedules is not None:
            conn.execute(delete(deployment_schedules).where(deployment_schedules.c.deployment_id == deployment_id))
            rows = _schedule_rows(deployment_id, schedules)
            if rows:
                conn.execute(insert(deployment_schedules), rows)
        if {"work_queue", "work_pool_name", "job_variables"} & set(values):
            current = dict(conn.execute(select(deployments).where(deployments.c.id == deployment_id)).mappings().one())
            queue_given = "work_queue" in values or "work_pool_name" not in values
            current.update(values)
            placed = _placement(conn, current, queue_given=queue_given)
            conn.execute(update(deployments).where(deployments.c.id == deployment_id).values(placed))
        removed = _delete_scheduled_runs(conn, deployment_id, future_only=True, now=now)
        out = _one(conn, deployment_id)
        insert_events(conn, [*removed, event_row("deployment.updated", deployment_id, out)])
        return out

    return write_transaction(engine, work)


def delete_deployment(engine: Engine, deployment_id: str) -> None:
    """Remove a deployment, its schedules and its runs that have not started (SCHEDULED).

    Runs that started or finished stay, so history survives the deployment.
    """

    def work(conn: Connection) -> None:
        name = conn.execute(select(deployments.c.name).where(deployments.c.id == deployment_id)).scalar()
        if name is None:
            raise NotFound(f"No deployment with id {deployment_id!r}")
        removed = _delete_scheduled_runs(conn, deployment_id, future_only=False, now=utc_now())
        # Schedules go with it (ON DELETE CASCADE); deleted explicitly too, in case a SQLite
        # connection was opened without foreign keys.
        conn.execute(delete(deployment_schedules).where(deployment_schedules.c.deployment_id == deployment_id))
        conn.execute(delete(deployments).where(deployments.c.id == deployment_id))
        payload = {"id": deployment_id, "name": name}
        insert_events(conn, [*removed, event_row("deployment.deleted", deployment_id, payload)])

    write_transaction(engine, work)


def _placement(conn: Connection, row: Mapping[str, Any], *, queue_given: bool) -> dict[str, Any]:
    """The deployment's queue, pool and checked job variables (work pools decide them)."""
    return deployment_placement_in(
        conn,
        queue=row["work_queue"],
        pool=row.get("work_pool_name"),
        job_variables=row.get("job_variables"),
        queue_given=queue_given,
    )


def _delete_scheduled_runs(
    conn: Connection, deployment_id: str, *, future_only: bool, now: _dt.datetime
) -> list[dict[str, Any]]:
    """Delete a deployment's SCHEDULED runs; returns a ``flow_run.deleted`` event per run.

    ``future_only``: only runs the scheduler created for a slot not due yet that never started
    (a run waiting for its retry, handed back or rerun has a history to keep, and stays).
    """
    cond = and_(flow_runs.c.deployment_id == deployment_id, flow_runs.c.state_type == _SCHEDULED)
    if future_only:
        cond = and_(cond, flow_runs.c.schedule_id.is_not(None), flow_runs.c.slot_time > now, flow_runs.c.run_count == 0)
    ids = list(conn.execute(select(flow_runs.c.id).where(cond)).scalars())
    if not ids:
        return []
    conn.execute(delete(flow_runs).where(flow_runs.c.id.in_(ids)))
    return [event_row("flow_run.deleted", i, {"deployment_id": deployment_id}) for i in ids]
