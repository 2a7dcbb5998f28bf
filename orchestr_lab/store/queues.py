"""Work queues: where deployment runs wait to be claimed, each pausable and optionally limited.

A queue a run names but that has no row behaves as an unpaused queue without a limit, so a
worker started with ``--queue nightly`` works before anyone creates ``nightly``. The
``default`` queue is created by the migration and cannot be deleted.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import work_queues
from .rows import iso
from .sql_helpers import insert_ignore, utc_now

__all__ = [
    "DEFAULT_QUEUE",
    "create_queue",
    "delete_queue",
    "ensure_queue",
    "ensure_queue_in",
    "get_queue",
    "list_queues",
    "update_queue",
]

DEFAULT_QUEUE = "default"
_SETTABLE = ("concurrency_limit", "paused", "description")


def _queue_dict(row: RowMapping) -> dict[str, Any]:
    return {
        "name": row["name"],
        "concurrency_limit": row["concurrency_limit"],
        "paused": bool(row["paused"]),
        "description": row["description"],
        "created": iso(row["created"]),
        "work_pool_name": row.get("work_pool_name") or "default",
    }


def ensure_queue_in(conn: Connection, name: str) -> bool:
    """Create queue ``name`` with defaults if missing, inside the caller's transaction."""
    row = {"name": name, "concurrency_limit": None, "paused": False, "description": None, "created": utc_now()}
    return insert_ignore(conn, work_queues, row, ["name"])


def ensure_queue(engine: Engine, name: str) -> dict[str, Any]:
    """The queue ``name``, created with defaults if it did not exist (racing callers are fine)."""

    def work(conn: Connection) -> dict[str, Any]:
        if ensure_queue_in(conn, name):
            insert_events(conn, [event_row("work_queue.created", name, {"name": name})])
        row = conn.execute(select(work_queues).where(work_queues.c.name == name)).mappings().one()
        return _queue_dict(row)

    return write_transaction(engine, work)


def create_queue(engine: Engine, spec: Mapping[str, Any]) -> dict[str, Any]:
    """A new queue from ``WorkQueueCreate.model_dump()``; :class:`Conflict` if the name is taken."""
    name = spec["name"]
    row = {
        "name": name,
        "concurrency_limit": spec.get("concurrency_limit"),
        "paused": bool(spec.get("paused", False)),
        "description": spec.get("description"),
        "created": utc_now(),
    }

    def work(conn: Connection) -> dict[str, Any]:
        if not insert_ignore(conn, work_queues, row, ["name"]):
            raise Conflict(f"A work queue named {name!r} already exists")
        out = _queue_dict(row)  # type: ignore[arg-type]
        insert_events(conn, [event_row("work_queue.created", name, out)])
        return out

    return write_transaction(engine, work)


def get_queue(engine: Engine, name: str) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        row = conn.execute(select(work_queues).where(work_queues.c.name == name)).mappings().first()
    return None if row is None else _queue_dict(row)


def list_queues(engine: Engine) -> list[dict[str, Any]]:
    with read_connection(engine) as conn:
        rows = conn.execute(select(work_queues).order_by(work_queues.c.name)).mappings().all()
    return [_queue_dict(r) for r in rows]


def update_queue(engine: Engine, name: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change a queue's limit, paused flag or description; :class:`NotFound` if it does not exist.

    ``changes`` holds only the fields to change (``WorkQueueUpdate.model_dump(exclude_unset=True)``);
    a ``concurrency_limit`` of None removes the limit.
    """
    unknown = sorted(set(changes) - set(_SETTABLE))
    if unknown:
        raise ValueError(f"work queues have no settable field(s) {', '.join(unknown)}")
    values = dict(changes)
    if "paused" in values:
        if values["paused"] is None:
            del values["paused"]
        else:
            values["paused"] = bool(values["paused"])

    def work(conn: Connection) -> dict[str, Any]:
        if values:
            conn.execute(update(work_queues).where(work_queues.c.name == name).values(values))
        row = conn.execute(select(work_queues).where(work_queues.c.name == name)).mappings().first()
        if row is None:
            raise NotFound(f"No work queue named {name!r}")
        out = _queue_dict(row)
        insert_events(conn, [event_row("work_queue.updated", name, out)])
        return out

    return write_transaction(engine, work)


def delete_queue(engine: Engine, name: str) -> None:
    """Remove a queue (its runs stay and are claimed as from an unlimited queue of that name)."""
    if name == DEFAULT_QUEUE:
        raise Conflict("The 'default' work queue cannot be deleted")

    def work(conn: Connection) -> None:
        if not conn.execute(delete(work_queues).where(work_queues.c.name == name)).rowcount:
            raise NotFound(f"No work queue named {name!r}")
        insert_events(conn, [event_row("work_queue.deleted", name, {"name": name})])

    write_transaction(engine, work)
