"""Claiming runs: a worker takes the oldest due run it may run, and no run is taken twice.

One claim is a handful of statements, because workers claim all the time: the candidate query
itself leaves out paused or full queues and full deployments (correlated counts the planner
only evaluates for the few rows it looks at) and returns the run's queue and deployment
limits, so the lock-and-recount step below runs only when a limit exists.

SQLite: every write transaction starts with ``BEGIN IMMEDIATE`` (see ``database``), so claims
are serialised and a plain SELECT-then-UPDATE is atomic. PostgreSQL: the candidate row is
taken with ``FOR UPDATE SKIP LOCKED`` (concurrent workers pass over each other's rows), and a
limited queue or deployment is re-counted after locking its row, so two workers cannot both
fill the last free slot. When tag concurrency limits exist, claims on PostgreSQL also take one
transaction-scoped advisory lock, so tag slots are counted by one claimer at a time (tags live
in a JSON column that cannot be row-locked per tag).
"""

from __future__ import annotations

import datetime as _dt
import zlib
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection, Engine

from ..core.states import Pending, StateType
from .concurrency_limits import full_tags, tag_limits
from .database import write_transaction
from .events import insert_events
from .models import deployments, flow_runs, sweeps, work_pools, work_queues
from .rows import run_dict
from .sql_helpers import as_datetime
from .transitions import transition_flow_run
from .work_pools import resolve_job_variables_in

__all__ = ["ACTIVE_STATES", "claim_next_run"]

#: A run in one of these holds a slot of its queue's and deployment's concurrency limit.
ACTIVE_STATES = (StateType.PENDING.value, StateType.RUNNING.value, StateType.CANCELLING.value)
_SCHEDULED = StateType.SCHEDULED.value
_ATTEMPTS = 20  # PostgreSQL only: candidates skipped because a limit filled meanwhile
_TAG_WINDOW = 50  # with full tags: due runs looked at for one whose tags all have room
_PG_TAG_CLAIMS_LOCK = zlib.crc32(b"orchestr_lab.store.claims.tags")

_active = flow_runs.alias("active")


def _active_count(column: Any, key: Any) -> Any:
    """Correlated count of the active runs whose ``column`` equals ``key``."""
    return (
        select(func.count())
        .select_from(_active)
        .where(_active.c[column].is_not(None), _active.c[column] == key, _active.c.state_type.in_(ACTIVE_STATES))
        .scalar_subquery()
    )


_pool_queues = work_queues.alias("pool_queues")
# Pools whose active runs (on any of their queues) fill their limit.
_FULL_POOLS = select(work_pools.c.name).where(
    work_pools.c.concurrency_limit.is_not(None),
    select(func.count())
    .select_from(_active.join(_pool_queues, _pool_queues.c.name == _active.c.work_queue))
    .where(_pool_queues.c.work_pool_name == work_pools.c.name, _active.c.state_type.in_(ACTIVE_STATES))
    .scalar_subquery()
    >= work_pools.c.concurrency_limit,
)
# Queues that keep their runs waiting: paused (or in a paused or full pool), or as many active
# runs as their limit. NOT IN an uncorrelated subquery is evaluated once per claim and hashed
# (NOT EXISTS would become an anti-join, and the planner would then sort every due run instead
# of walking the claim index).
_CLOSED_QUEUES = select(work_queues.c.name).where(
    or_(
        work_queues.c.paused.is_(True),
        work_queues.c.work_pool_name.in_(select(work_pools.c.name).where(work_pools.c.paused.is_(True))),
        work_queues.c.work_pool_name.in_(_FULL_POOLS),
        and_(
            work_queues.c.concurrency_limit.is_not(None),
            _active_count("work_queue", work_queues.c.name) >= work_queues.c.concurrency_limit,
        ),
    )
)
# Deployments whose active runs fill their limit.
_FULL_DEPLOYMENTS = select(deployments.c.id).where(
    deployments.c.concurrency_limit.is_not(None),
    _active_count("deployment_id", deployments.c.id) >= deployments.c.concurrency_limit,
)
_QUEUE_LIMIT = (
    select(work_queues.c.concurrency_limit).where(work_queues.c.name == flow_runs.c.work_queue).scalar_subquery()
)
_POOL_LIMIT = (
    select(work_pools.c.concurrency_limit)
    .select_from(work_queues.join(work_pools, work_pools.c.name == work_queues.c.work_pool_name))
    .where(work_queues.c.name == flow_runs.c.work_queue)
    .scalar_subquery()
)
# Sweeps whose active members fill their ``max_parallel`` (a finished sweep has none active: a
# retry clears ``finished`` first, so only the few unfinished sweeps are counted).
_FULL_SWEEPS = select(sweeps.c.id).where(
    sweeps.c.finished.is_(None), _active_count("sweep_id", sweeps.c.id) >= sweeps.c.max_parallel
)
_SWEEP_LIMIT = select(sweeps.c.max_parallel).where(sweeps.c.id == flow_runs.c.sweep_id).scalar_subquery()
_DEPLOYMENT_LIMIT = (
    select(deployments.c.concurrency_limit).where(deployments.c.id == flow_runs.c.deployment_id).scalar_subquery()
)


def claim_next_run(
    engine: Engine,
    *,
    worker_name: str,
    worker_type: str,
    queues: list[str],
    now: _dt.datetime | None = None,
) -> dict[str, Any] | None:
    """Take the oldest due SCHEDULED run (Late included) of ``queues``; None when there is none.

    Skips paused queues and pools, and queues, pools, deployments, sweeps (``max_parallel``) or
    tags whose concurrency limit is reached
    (runs PENDING, RUNNING or CANCELLING count). The run moves to PENDING "Claimed" with the
    worker's name, type and a first heartbeat; the returned dict is the stored run, its
    ``job_variables`` resolved over its pool's and deployment's.
    """
    if not queues:
        return None
    when = as_datetime(now)
    names = list(dict.fromkeys(queues))

    def work(conn: Connection) -> dict[str, Any] | None:
        pg = conn.dialect.name == "postgresql"
        tags: set[str] = set()
        if tag_limits(conn):
            if pg:
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_TAG_CLAIMS_LOCK})")
            tags = full_tags(conn)
        skipped_queues: set[str] = set()
        skipped_deployments: set[str] = set()
        skipped_sweeps: set[str] = set()
        for _ in range(_ATTEMPTS if pg else 1):
            open_names = [n for n in names if n not in skipped_queues]
            row = _candidate(conn, open_names, skipped_deployments, skipped_sweeps, tags, when, skip_locked=pg)
            if row is None:
                return None
            if pg and not _room_after_lock(conn, row, skipped_queues, skipped_deployments):
                continue
            if (
                pg
                and row["_sweep_limit"] is not None
                and _full_after_lock(conn, sweeps, sweeps.c.id, "sweep_id", row, limit_column="max_parallel")
            ):
                skipped_sweeps.add(row["sweep_id"])
                continue
            events: list[dict[str, Any]] = []
            fields = {"worker_name": worker_name, "worker_type": worker_type, "heartbeat_at": when}
            state = Pending(f"Claimed by {worker_name}", name="Claimed", timestamp=when.timestamp())
            stored = transition_flow_run(conn, row["id"], state, events=events, fields=fields, row=row)
            insert_events(conn, events)
            claimed = run_dict(stored)
            # What the worker applies: the pool's, deployment's and run's job variables, merged.
            claimed["job_variables"] = resolve_job_variables_in(conn, claimed)
            return claimed
        return None

    return write_transaction(engine, work)


def _candidate(
    conn: Connection,
    queues: list[str],
    skipped_deployments: set[str],
    skipped_sweeps: set[str],
    full_tag_set: set[str],
    when: _dt.datetime,
    *,
    skip_locked: bool,
) -> Any:
    """The oldest due run its queue, deployment and tags have room for, with those limits."""
    if not queues:
        return None
    conditions = [
        flow_runs.c.state_type == _SCHEDULED,
        flow_runs.c.work_queue.in_(queues),
        flow_runs.c.scheduled_start_time <= when,
        flow_runs.c.work_queue.not_in(_CLOSED_QUEUES),
        or_(flow_runs.c.deployment_id.is_(None), flow_runs.c.deployment_id.not_in(_FULL_DEPLOYMENTS)),
        or_(flow_runs.c.sweep_id.is_(None), flow_runs.c.sweep_id.not_in(_FULL_SWEEPS)),
    ]
    if skipped_deployments:
        conditions.append(
            or_(flow_runs.c.deployment_id.is_(None), flow_runs.c.deployment_id.not_in(skipped_deployments))
        )
    if skipped_sweeps:
        conditions.append(or_(flow_runs.c.sweep_id.is_(None), flow_runs.c.sweep_id.not_in(skipped_sweeps)))
    stmt = (
        select(
            flow_runs,
            _QUEUE_LIMIT.label("_queue_limit"),
            _DEPLOYMENT_LIMIT.label("_deployment_limit"),
            _POOL_LIMIT.label("_pool_limit"),
            _SWEEP_LIMIT.label("_sweep_limit"),
        )
        .where(*conditions)
        .order_by(flow_runs.c.scheduled_start_time, flow_runs.c.created, flow_runs.c.id)
        .limit(_TAG_WINDOW if full_tag_set else 1)
    )
    if skip_locked:
        stmt = stmt.with_for_update(skip_locked=True, of=flow_runs)
    rows = conn.execute(stmt).mappings()
    if not full_tag_set:
        return rows.first()
    return next((r for r in rows if not full_tag_set.intersection(r["tags"] or ())), None)


def _room_after_lock(conn: Connection, row: Any, skipped_queues: set[str], skipped_deployments: set[str]) -> bool:
    """PostgreSQL: re-count a limited queue, pool or deployment of the run while holding its row.

    Another worker may have filled the last slot between the candidate query's counts and our
    row lock; the queue/deployment row lock makes the count and the claim one step. Only a
    limited row is locked, so claims without limits never queue up behind one row lock. A full
    queue or deployment is remembered so the next candidate avoids it.
    """
    if row["_queue_limit"] is not None and _full_after_lock(conn, work_queues, work_queues.c.name, "work_queue", row):
        skipped_queues.add(row["work_queue"])
        return False
    if row["_pool_limit"] is not None and _pool_full_after_lock(conn, row["work_queue"]):
        skipped_queues.add(row["work_queue"])
        return False
    if row["_deployment_limit"] is not None and _full_after_lock(
        conn, deployments, deployments.c.id, "deployment_id", row
    ):
        skipped_deployments.add(row["deployment_id"])
        return False
    return True


def _full_after_lock(
    conn: Connection, table: Any, key: Any, column: str, row: Any, *, limit_column: str = "concurrency_limit"
) -> bool:
    limit = conn.execute(
        select(table.c[limit_column]).where(key == row[column], table.c[limit_column].is_not(None)).with_for_update()
    ).scalar()
    if limit is None:
        return False
    active = conn.execute(
        select(func.count()).where(flow_runs.c[column] == row[column], flow_runs.c.state_type.in_(ACTIVE_STATES))
    ).scalar_one()
    return int(active) >= int(limit)


def _pool_full_after_lock(conn: Connection, queue: str) -> bool:
    """Whether the pool of ``queue`` is full, counted while holding the pool's row."""
    pool = select(work_queues.c.work_pool_name).where(work_queues.c.name == queue).scalar_subquery()
    found = conn.execute(
        select(work_pools.c.name, work_pools.c.concurrency_limit).where(work_pools.c.name == pool).with_for_update()
    ).first()
    if found is None or found.concurrency_limit is None:
        return False
    in_pool = select(work_queues.c.name).where(work_queues.c.work_pool_name == found.name)
    active = conn.execute(
        select(func.count()).where(flow_runs.c.work_queue.in_(in_pool), flow_runs.c.state_type.in_(ACTIVE_STATES))
    ).scalar_one()
    return int(active) >= int(found.concurrency_limit)
