"""Claiming runs: a worker takes the oldest due run it may run, and no run is taken twice.

SQLite: every write transaction starts with ``BEGIN IMMEDIATE`` (see ``database``), so claims
are serialised and a plain SELECT-then-UPDATE is atomic. PostgreSQL: the candidate row is
taken with ``FOR UPDATE SKIP LOCKED`` (concurrent workers pass over each other's rows), and
the queue/deployment limits are re-counted after locking the queue or deployment row, so two
workers cannot both fill the last free slot. When tag concurrency limits exist, claims on
PostgreSQL also take one transaction-scoped advisory lock, so tag slots are counted by one
claimer at a time (tags live in a JSON column that cannot be row-locked per tag).
"""

from __future__ import annotations

import datetime as _dt
import zlib
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.engine import Connection, Engine

from ..core.states import Pending, StateType
from .concurrency_limits import full_tags, tag_limits
from .database import write_transaction
from .events import insert_events
from .models import deployments, flow_runs, work_queues
from .run_reads import _run_dict
from .sql_helpers import as_datetime
from .transitions import transition_flow_run

__all__ = ["ACTIVE_STATES", "claim_next_run"]

#: A run in one of these holds a slot of its queue's and deployment's concurrency limit.
ACTIVE_STATES = (StateType.PENDING.value, StateType.RUNNING.value, StateType.CANCELLING.value)
_SCHEDULED = StateType.SCHEDULED.value
_ATTEMPTS = 20  # PostgreSQL only: candidates skipped because a limit filled meanwhile
_TAG_WINDOW = 50  # with full tags: due runs looked at for one whose tags all have room
_PG_TAG_CLAIMS_LOCK = zlib.crc32(b"orchestr_lab.store.claims.tags")


def claim_next_run(
    engine: Engine,
    *,
    worker_name: str,
    worker_type: str,
    queues: list[str],
    now: _dt.datetime | None = None,
) -> dict[str, Any] | None:
    """Take the oldest due SCHEDULED run (Late included) of ``queues``; None when there is none.

    Skips paused queues, and queues, deployments or tags whose concurrency limit is reached
    (runs PENDING, RUNNING or CANCELLING count). The run moves to PENDING "Claimed" with the
    worker's name, type and a first heartbeat; the returned dict is the stored run.
    """
    if not queues:
        return None
    when = as_datetime(now)

    def work(conn: Connection) -> dict[str, Any] | None:
        eligible = _open_queues(conn, list(dict.fromkeys(queues)))
        if not eligible:
            return None
        full = _full_deployments(conn)
        pg = conn.dialect.name == "postgresql"
        tags: set[str] = set()
        if tag_limits(conn):
            if pg:
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_TAG_CLAIMS_LOCK})")
            tags = full_tags(conn)
        for _ in range(_ATTEMPTS if pg else 1):
            row = _candidate(conn, eligible, full, tags, when, skip_locked=pg)
            if row is None:
                return None
            if pg and not _room_after_lock(conn, row, eligible, full):
                continue
            events: list[dict[str, Any]] = []
            fields = {"worker_name": worker_name, "worker_type": worker_type, "heartbeat_at": when}
            state = Pending(f"Claimed by {worker_name}", name="Claimed", timestamp=when.timestamp())
            stored = transition_flow_run(conn, row["id"], state, events=events, fields=fields, row=row)
            insert_events(conn, events)
            return _run_dict(stored)
        return None

    return write_transaction(engine, work)


def _open_queues(conn: Connection, names: list[str]) -> list[str]:
    """The queues among ``names`` that are not paused and below their limit (unknown = open)."""
    rows = {
        r.name: r
        for r in conn.execute(
            select(work_queues.c.name, work_queues.c.paused, work_queues.c.concurrency_limit).where(
                work_queues.c.name.in_(names)
            )
        )
    }
    open_ = [n for n in names if n not in rows or not rows[n].paused]
    limited = {n: rows[n].concurrency_limit for n in open_ if n in rows and rows[n].concurrency_limit is not None}
    if not limited:
        return open_
    counts = _active_counts(conn, flow_runs.c.work_queue, list(limited))
    return [n for n in open_ if n not in limited or counts.get(n, 0) < limited[n]]


def _active_counts(conn: Connection, column: Any, keys: list[str]) -> dict[str, int]:
    stmt = (
        select(column, func.count())
        .where(column.in_(keys), flow_runs.c.state_type.in_(ACTIVE_STATES))
        .group_by(column)
    )
    return {key: int(n) for key, n in conn.execute(stmt)}


def _full_deployments(conn: Connection) -> set[str]:
    """Deployments whose concurrency limit is used up by their active runs."""
    active = (
        select(flow_runs.c.deployment_id, func.count().label("n"))
        .where(flow_runs.c.state_type.in_(ACTIVE_STATES), flow_runs.c.deployment_id.is_not(None))
        .group_by(flow_runs.c.deployment_id)
        .subquery()
    )
    stmt = (
        select(deployments.c.id)
        .join(active, active.c.deployment_id == deployments.c.id)
        .where(deployments.c.concurrency_limit.is_not(None), active.c.n >= deployments.c.concurrency_limit)
    )
    return set(conn.execute(stmt).scalars())


def _candidate(
    conn: Connection, queues: list[str], full: set[str], full_tag_set: set[str], when: _dt.datetime, *,
    skip_locked: bool,
) -> Any:
    conditions = [
        flow_runs.c.state_type == _SCHEDULED,
        flow_runs.c.work_queue.in_(queues),
        flow_runs.c.scheduled_start_time <= when,
    ]
    if full:
        conditions.append(or_(flow_runs.c.deployment_id.is_(None), flow_runs.c.deployment_id.not_in(full)))
    stmt = (
        select(flow_runs)
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


def _room_after_lock(conn: Connection, row: Any, queues: list[str], full: set[str]) -> bool:
    """PostgreSQL: re-count the run's queue and deployment limits while holding their rows.

    Another worker may have filled the last slot between our counts and our row lock; the
    queue/deployment row lock makes the count and the claim one step. A full queue or
    deployment is dropped from ``queues``/``full`` so the next candidate avoids it.
    """
    queue = row["work_queue"]
    # Only a limited queue or deployment row is locked (FOR UPDATE locks only the rows the
    # query returns): claims without limits must not queue up behind one row lock.
    limit = conn.execute(
        select(work_queues.c.concurrency_limit)
        .where(work_queues.c.name == queue, work_queues.c.concurrency_limit.is_not(None))
        .with_for_update()
    ).scalar()
    if limit is not None and _active_counts(conn, flow_runs.c.work_queue, [queue]).get(queue, 0) >= limit:
        queues.remove(queue)
        return False
    dep_id = row["deployment_id"]
    if dep_id is None:
        return True
    limit = conn.execute(
        select(deployments.c.concurrency_limit)
        .where(deployments.c.id == dep_id, deployments.c.concurrency_limit.is_not(None))
        .with_for_update()
    ).scalar()
    if limit is not None and _active_counts(conn, flow_runs.c.deployment_id, [dep_id]).get(dep_id, 0) >= limit:
        full.add(dep_id)
        return False
    return True
