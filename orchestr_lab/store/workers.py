"""Workers announce themselves here; the sidebar lists them with when they were last seen."""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import workers
from .rows import iso
from .sql_helpers import as_datetime, insert_ignore

__all__ = ["list_workers", "worker_heartbeat"]


def _worker_dict(row: RowMapping | dict[str, Any]) -> dict[str, Any]:
    return {
        "name": row["name"],
        "type": row["type"],
        "queues": list(row["queues"] or []),
        "last_seen": iso(row["last_seen"]),
    }


def worker_heartbeat(
    engine: Engine,
    *,
    name: str,
    type: str,
    queues: list[str],
    now: _dt.datetime | None = None,
) -> dict[str, Any]:
    """Record that worker ``name`` is alive and which queues it serves; returns its row.

    The first heartbeat of a name writes a ``worker.online`` event; later ones only refresh
    ``last_seen`` (a heartbeat every few seconds must not flood the event feed).
    """
    row = {"name": name, "type": type, "queues": list(queues), "last_seen": as_datetime(now)}

    def work(conn: Connection) -> dict[str, Any]:
        if insert_ignore(conn, workers, row, ["name"]):
            insert_events(conn, [event_row("worker.online", None, _worker_dict(row))])
        else:
            conn.execute(
                update(workers)
                .where(workers.c.name == name)
                .values(type=type, queues=row["queues"], last_seen=row["last_seen"])
            )
        return _worker_dict(row)

    return write_transaction(engine, work)


def list_workers(engine: Engine) -> list[dict[str, Any]]:
    """Every worker that ever heartbeated, most recently seen first."""
    stmt = select(workers).order_by(workers.c.last_seen.desc(), workers.c.name)
    with read_connection(engine) as conn:
        rows = conn.execute(stmt).mappings().all()
    return [_worker_dict(r) for r in rows]
