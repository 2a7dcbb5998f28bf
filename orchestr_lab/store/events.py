"""The event feed: what changed, in order, for the sidebar's live stream and REST paging.

The store writes events itself, in the same transaction as the change they describe, so a
reader never sees a change without its event (or the reverse). ``id`` is the cursor: it only
grows, so ``list_events(after=last_seen_id)`` returns exactly what is new.
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from .bulk import insert_rows
from .database import read_connection, write_transaction
from .models import events
from .rows import iso

__all__ = ["emit_event", "event_row", "insert_events", "latest_event_id", "list_events"]

_COLUMNS = ("occurred", "kind", "resource_id", "payload")
_MAX_LIMIT = 1000
_PG_EVENTS_LOCK = zlib.crc32(b"orchestr_lab.store.events")


def event_row(
    kind: str, resource_id: str | None, payload: dict[str, Any], *, occurred: float | None = None
) -> dict[str, Any]:
    """One event, ready for :func:`insert_events` (``occurred`` in epoch seconds, default now)."""
    return {
        "occurred": time.time() if occurred is None else occurred,
        "kind": kind,
        "resource_id": resource_id,
        "payload": payload,
    }


def insert_events(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """Write events inside the caller's transaction (one executemany); call it last.

    On PostgreSQL, concurrent transactions can commit their sequence ids out of order, and a
    reader paging by id would skip a late one for good. Writers hold a *shared* advisory lock
    from their first event id to their commit, and :func:`list_events` takes it *exclusively*
    before it reads: it waits for the writers in flight, so what it sees is every event up to
    the newest id, with no later-committing gap. Writers never wait for each other (an
    exclusive writer lock made every claim queue behind the slowest, descheduled committer).
    SQLite writers are serialised already.
    """
    rows = list(rows)
    if not rows:
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock_shared({_PG_EVENTS_LOCK})")
    insert_rows(conn, events, _COLUMNS, rows)


def emit_event(engine: Engine, event: dict[str, Any]) -> None:
    """Store an event user code emitted (``core.schemas_assets.EventCreate``'s fields, ``id`` set):
    its name is the row's kind, its resource id the row's resource."""
    body = {k: event.get(k) for k in ("id", "resource", "related", "payload")}
    row = event_row(event["event"], event["resource"]["prefect.resource.id"], body, occurred=event.get("occurred"))
    write_transaction(engine, lambda conn: insert_events(conn, [row]))


def _wait_for_writers(conn: Connection) -> None:
    """PostgreSQL: let the event writers in flight commit first (see :func:`insert_events`)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_EVENTS_LOCK})")


def latest_event_id(engine: Engine) -> int | None:
    """The newest event's id, a cursor no event still to commit can fall behind; None when there are none."""
    with read_connection(engine) as conn:
        _wait_for_writers(conn)
        return conn.execute(select(func.max(events.c.id))).scalar()


def list_events(engine: Engine, *, after: int | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Events with ``id > after`` (all when None), oldest first, at most ``limit`` (max 1000).

    A client pages by passing the last ``id`` it saw as ``after``.
    """
    limit = max(1, min(int(limit), _MAX_LIMIT))
    stmt = select(events).order_by(events.c.id).limit(limit)
    if after is not None:
        stmt = stmt.where(events.c.id > after)
    with read_connection(engine) as conn:
        _wait_for_writers(conn)
        rows = conn.execute(stmt).mappings().all()
    return [
        {
            "id": r["id"],
            "occurred": iso(r["occurred"]),
            "kind": r["kind"],
            "resource_id": r["resource_id"],
            "payload": _as_shown(r["kind"], r["resource_id"], r["payload"]),
        }
        for r in rows
    ]


def _as_shown(kind: str, resource_id: str | None, payload: dict[str, Any] | None) -> dict[str, Any]:
    """A stored payload as readers see it, whether it was stored whole or compact.

    The events a run writes most (``flow_run.state``, ``task_runs.changed``) are stored without
    what can be told from the rest (see ``transitions.flow_state_event`` and
    ``write_plan.task_runs_event``); older rows hold everything, and read the same.
    """
    if not payload:
        return {}
    if kind == "flow_run.state":
        state = payload.get("state")
        if isinstance(state, dict) and "message" not in state:
            state["message"] = None
        payload.setdefault("deployment_id", None)
    elif kind == "task_runs.changed":
        counts = payload.get("counts")
        payload.setdefault("flow_run_id", resource_id)
        if "changed" not in payload and isinstance(counts, dict):
            payload["changed"] = sum(counts.values())
    return payload
