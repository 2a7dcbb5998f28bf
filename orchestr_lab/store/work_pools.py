"""Work pools: queues grouped under a type and base job variables, and the one place a run's
job variables are resolved.

Every queue is in a pool (``work_queues.work_pool_name``, ``default`` unless put in another);
a pool's own queue carries its name, so a deployment that names only a pool runs on that queue.
The ``default`` pool holds today's queues and cannot be deleted; deleting another pool moves its
queues back to ``default``, so their runs are still claimed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from ..core.schemas_pools import (
    DEFAULT_POOL,
    WorkPoolCreate,
    WorkPoolUpdate,
    check_job_variables,
    job_variables_schema,
    merge_job_variables,
)
from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import deployments, work_pools, work_queues
from .queues import DEFAULT_QUEUE, ensure_queue_in
from .rows import iso
from .sql_helpers import insert_ignore, utc_now

__all__ = [
    "create_pool",
    "delete_pool",
    "deployment_placement_in",
    "get_pool",
    "list_pools",
    "place_queue_in",
    "pool_type_in",
    "resolve_job_variables_in",
    "run_job_variables",
    "update_pool",
]


def _pool_dict(row: RowMapping | Mapping[str, Any], queues: list[str]) -> dict[str, Any]:
    return {
        "name": row["name"],
        "type": row["type"],
        "base_job_variables": dict(row["base_job_variables"] or {}),
        "job_variables_schema": job_variables_schema(row["type"]),
        "paused": bool(row["paused"]),
        "description": row["description"],
        "concurrency_limit": row["concurrency_limit"],
        "queues": queues,
        "created": iso(row["created"]),
    }


def _queues_of(conn: Connection, names: list[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {n: [] for n in names}
    stmt = select(work_queues.c.work_pool_name, work_queues.c.name).where(work_queues.c.work_pool_name.in_(names))
    for pool, queue in conn.execute(stmt.order_by(work_queues.c.name)):
        out[pool].append(queue)
    return out


def _load(conn: Connection, name: str | None = None) -> list[dict[str, Any]]:
    stmt = select(work_pools).order_by(work_pools.c.name)
    if name is not None:
        stmt = stmt.where(work_pools.c.name == name)
    rows = conn.execute(stmt).mappings().all()
    queues = _queues_of(conn, [r["name"] for r in rows])
    return [_pool_dict(r, queues[r["name"]]) for r in rows]


def _one(conn: Connection, name: str) -> dict[str, Any]:
    found = _load(conn, name)
    if not found:
        raise NotFound(f"No work pool named {name!r}")
    return found[0]


def pool_type_in(conn: Connection, name: str) -> str:
    """The type of pool ``name``; :class:`NotFound` if there is none."""
    found = conn.execute(select(work_pools.c.type).where(work_pools.c.name == name)).scalar()
    if found is None:
        raise NotFound(f"No work pool named {name!r}")
    return str(found)


def create_pool(engine: Engine, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A new pool (``WorkPoolCreate`` fields) with its own queue of the same name."""
    spec = WorkPoolCreate.model_validate(dict(spec)).model_dump()
    base = check_job_variables(spec["type"], spec["base_job_variables"])
    row = {
        "name": spec["name"],
        "type": spec["type"],
        "base_job_variables": base,
        "paused": bool(spec.get("paused", False)),
        "description": spec.get("description"),
        "concurrency_limit": spec.get("concurrency_limit"),
        "created": utc_now(),
    }

    def work(conn: Connection) -> dict[str, Any]:
        if not insert_ignore(conn, work_pools, row, ["name"]):
            raise Conflict(f"A work pool named {row['name']!r} already exists")
        place_queue_in(conn, row["name"], row["name"], adopt=True)
        out = _one(conn, row["name"])
        insert_events(conn, [event_row("work_pool.created", row["name"], out)])
        return out

    return write_transaction(engine, work)


def get_pool(engine: Engine, name: str) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        found = _load(conn, name)
    return found[0] if found else None


def list_pools(engine: Engine) -> list[dict[str, Any]]:
    with read_connection(engine) as conn:
        return _load(conn)


def update_pool(engine: Engine, name: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change a pool's base job variables (checked against its type), paused flag, description or
    concurrency limit (None removes it)."""
    data = WorkPoolUpdate.model_validate(dict(changes)).model_dump(exclude_unset=True)
    values = {k: v for k, v in data.items() if not (v is None and k in ("paused", "base_job_variables"))}

    def work(conn: Connection) -> dict[str, Any]:
        pool_type = pool_type_in(conn, name)
        if "base_job_variables" in values:
            values["base_job_variables"] = check_job_variables(pool_type, values["base_job_variables"])
        if values:
            conn.execute(update(work_pools).where(work_pools.c.name == name).values(values))
        out = _one(conn, name)
        insert_events(conn, [event_row("work_pool.updated", name, out)])
        return out

    return write_transaction(engine, work)


def delete_pool(engine: Engine, name: str) -> None:
    """Remove a pool; its queues go back to the default pool (their runs are still claimed)."""
    if name == DEFAULT_POOL:
        raise Conflict("The 'default' work pool cannot be deleted")

    def work(conn: Connection) -> None:
        if not conn.execute(delete(work_pools).where(work_pools.c.name == name)).rowcount:
            raise NotFound(f"No work pool named {name!r}")
        moved = update(work_queues).where(work_queues.c.work_pool_name == name).values(work_pool_name=DEFAULT_POOL)
        conn.execute(moved)
        insert_events(conn, [event_row("work_pool.deleted", name, {"name": name})])

    write_transaction(engine, work)


def place_queue_in(conn: Connection, queue: str, pool: str, *, adopt: bool = False) -> None:
    """Queue ``queue`` in pool ``pool``: created there if missing; :class:`Conflict` if it is
    another pool's (a queue belongs to one pool). ``adopt``: a new pool takes the default
    pool's queue of its own name."""
    created = ensure_queue_in(conn, queue)
    current = conn.execute(select(work_queues.c.work_pool_name).where(work_queues.c.name == queue)).scalar()
    if current == pool:
        return
    if not (created or adopt) or current != DEFAULT_POOL or queue == DEFAULT_QUEUE:
        raise Conflict(f"Work queue {queue!r} belongs to work pool {current!r}, not {pool!r}")
    conn.execute(update(work_queues).where(work_queues.c.name == queue).values(work_pool_name=pool))


def resolve_job_variables_in(conn: Connection, run: Mapping[str, Any]) -> dict[str, Any]:
    """The job variables ``run`` executes with: its pool's base, then its deployment's, then its
    own (Prefect's precedence; ``env`` merged by name). Read when a worker claims the run, so an
    edit of the pool or deployment applies to the runs still waiting."""
    pool = select(work_queues.c.work_pool_name).where(work_queues.c.name == run.get("work_queue")).scalar_subquery()
    base = conn.execute(select(work_pools.c.base_job_variables).where(work_pools.c.name == pool)).scalar()
    if base is None:  # a queue without a row is the default pool's
        base = conn.execute(select(work_pools.c.base_job_variables).where(work_pools.c.name == DEFAULT_POOL)).scalar()
    deployment = None
    if run.get("deployment_id"):
        deployment = conn.execute(
            select(deployments.c.job_variables).where(deployments.c.id == run["deployment_id"])
        ).scalar()
    return merge_job_variables(base, deployment, run.get("job_variables"))


def deployment_placement_in(
    conn: Connection, *, queue: str, pool: str | None, job_variables: Mapping[str, Any] | None, queue_given: bool
) -> dict[str, Any]:
    """Where a deployment's runs go and with which variables: ``{"work_queue", "work_pool_name",
    "job_variables"}``, the variables checked against the pool's type.

    Naming a pool without a queue (or with the default queue) picks the pool's own queue; naming
    no pool keeps the queue, whose pool it then is.
    """
    if pool is not None:
        # The default queue is the default pool's: a deployment moved to another pool that
        # names no other queue takes that pool's own.
        queue = queue if queue_given and queue != DEFAULT_QUEUE else pool
        pool_type = pool_type_in(conn, pool)
        place_queue_in(conn, queue, pool)
    else:
        ensure_queue_in(conn, queue)
        pool = conn.execute(select(work_queues.c.work_pool_name).where(work_queues.c.name == queue)).scalar_one()
        pool_type = pool_type_in(conn, pool)
    return {"work_queue": queue, "work_pool_name": pool, "job_variables": check_job_variables(pool_type, job_variables)}


def run_job_variables(engine: Engine, queue: str | None, job_variables: Mapping[str, Any] | None) -> dict[str, Any]:
    """A run's own job variables checked against the type of the pool of its queue."""
    if not job_variables:
        return {}
    with read_connection(engine) as conn:
        pool = conn.execute(select(work_queues.c.work_pool_name).where(work_queues.c.name == queue)).scalar()
        return check_job_variables(pool_type_in(conn, pool or DEFAULT_POOL), job_variables)
