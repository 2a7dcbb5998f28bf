"""Concurrency limits by tag: at most N active runs carrying a tag, across every queue.

A flow run holds a slot of each of its tags' limits while it is PENDING, RUNNING or
CANCELLING (the same states that count against queue and deployment limits); workers skip a
due run while any of its tags is full (see ``claims``). A deployment's runs carry its tags.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from ..core.states import StateType
from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import concurrency_limits, flow_runs
from .rows import iso
from .sql_helpers import insert_ignore, utc_now

__all__ = [
    "active_tag_counts",
    "create_limit",
    "delete_limit",
    "full_tags",
    "get_limit",
    "list_limits",
    "tag_limits",
    "update_limit",
]

#: A run in one of these holds a slot of each of its tags' limits.
_ACTIVE = (StateType.PENDING.value, StateType.RUNNING.value, StateType.CANCELLING.value)


def _limit_dict(row: RowMapping | Mapping[str, Any], active: int) -> dict[str, Any]:
    return {
        "tag": row["tag"],
        "concurrency_limit": row["concurrency_limit"],
        "active_slots": active,
        "created": iso(row["created"]),
        "updated": iso(row["updated"]),
    }


def tag_limits(conn: Connection) -> dict[str, int]:
    """Every tag limit, ``{tag: limit}`` (usually empty or tiny)."""
    return {r.tag: int(r.concurrency_limit) for r in conn.execute(select(concurrency_limits))}


def active_tag_counts(conn: Connection, tags: set[str] | None = None) -> Counter[str]:
    """How many active runs carry each tag (only ``tags`` when given)."""
    counts: Counter[str] = Counter()
    stmt = select(flow_runs.c.tags).where(flow_runs.c.state_type.in_(_ACTIVE), flow_runs.c.tags.is_not(None))
    for (run_tags,) in conn.execute(stmt):
        for tag in set(run_tags or ()):
            if tags is None or tag in tags:
                counts[tag] += 1
    return counts


def full_tags(conn: Connection) -> set[str]:
    """Tags whose limit is used up by active runs (empty, with one cheap query, when no limits)."""
    limits = tag_limits(conn)
    if not limits:
        return set()
    counts = active_tag_counts(conn, set(limits))
    return {tag for tag, limit in limits.items() if counts.get(tag, 0) >= limit}


def _read(conn: Connection, tag: str) -> dict[str, Any] | None:
    row = conn.execute(select(concurrency_limits).where(concurrency_limits.c.tag == tag)).mappings().first()
    return None if row is None else _limit_dict(row, active_tag_counts(conn, {tag}).get(tag, 0))


def create_limit(engine: Engine, tag: str, limit: int) -> dict[str, Any]:
    """A new limit; :class:`Conflict` when ``tag`` already has one (change it with update)."""
    now = utc_now()
    row = {"tag": tag, "concurrency_limit": int(limit), "created": now, "updated": now}

    def work(conn: Connection) -> dict[str, Any]:
        if not insert_ignore(conn, concurrency_limits, row, ["tag"]):
            raise Conflict(f"Tag {tag!r} already has a concurrency limit; change it with PATCH")
        out = _read(conn, tag)
        insert_events(conn, [event_row("concurrency_limit.created", tag, out or {})])
        return out  # type: ignore[return-value]

    return write_transaction(engine, work)


def get_limit(engine: Engine, tag: str) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        return _read(conn, tag)


def list_limits(engine: Engine) -> list[dict[str, Any]]:
    with read_connection(engine) as conn:
        rows = conn.execute(select(concurrency_limits).order_by(concurrency_limits.c.tag)).mappings().all()
        counts = active_tag_counts(conn, {r["tag"] for r in rows}) if rows else Counter()
    return [_limit_dict(r, counts.get(r["tag"], 0)) for r in rows]


def update_limit(engine: Engine, tag: str, limit: int) -> dict[str, Any]:
    def work(conn: Connection) -> dict[str, Any]:
        done = conn.execute(
            update(concurrency_limits)
            .where(concurrency_limits.c.tag == tag)
            .values(concurrency_limit=int(limit), updated=utc_now())
        )
        if not done.rowcount:
            raise NotFound(f"No concurrency limit for tag {tag!r}")
        out = _read(conn, tag)
        insert_events(conn, [event_row("concurrency_limit.updated", tag, out or {})])
        return out  # type: ignore[return-value]

    return write_transaction(engine, work)


def delete_limit(engine: Engine, tag: str) -> None:
    def work(conn: Connection) -> None:
        done = conn.execute(delete(concurrency_limits).where(concurrency_limits.c.tag == tag))
        if not done.rowcount:
            raise NotFound(f"No concurrency limit for tag {tag!r}")
        insert_events(conn, [event_row("concurrency_limit.deleted", tag, {"tag": tag})])

    write_transaction(engine, work)
