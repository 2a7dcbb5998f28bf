"""Artifacts: what runs show their users (markdown, tables, links, images, progress), by key.

Rows sharing a ``key`` are that key's versions; the latest is the one updated last (as Prefect's
``Artifact.get`` reads it). Each write also writes an ``artifact.created`` or
``artifact.updated`` event in its transaction, naming the artifact's runs, so an open run
detail re-reads its artifacts as they change. Lists are newest first and paged by
``(created, id)`` cursors, off an index per filter.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, func, literal, or_, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import NotFound
from ..core.page_cursor import TOTAL_CAP, decode_run_cursor, run_cursor
from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import artifacts
from .rows import iso
from .sql_helpers import utc_now

__all__ = ["artifact_dict", "create_artifact", "get_artifact", "latest_artifact", "list_artifacts", "update_artifact"]

_A = artifacts.c
#: What a caller may set on create (``metadata`` is the ``meta`` column).
_FIELDS = ("key", "type", "description", "data", "flow_run_id", "task_run_id")


def artifact_dict(row: RowMapping | Mapping[str, Any]) -> dict[str, Any]:
    """A row as the API shows it (``metadata_`` is Prefect's name for the metadata)."""
    return {
        "id": row["id"],
        "key": row["key"],
        "type": row["type"],
        "description": row["description"],
        "data": row["data"],
        "metadata_": row["meta"],
        "flow_run_id": row["flow_run_id"],
        "task_run_id": row["task_run_id"],
        "created": iso(row["created"]),
        "updated": iso(row["updated"]),
    }


def _event(kind: str, out: dict[str, Any]) -> dict[str, Any]:
    """The event of a change: who made the artifact, and the data of a progress artifact (small)."""
    payload = {k: out[k] for k in ("id", "key", "type", "flow_run_id", "task_run_id")}
    if out["type"] == "progress":
        payload["data"] = out["data"]
    return event_row(kind, out["flow_run_id"] or out["id"], payload)


def _read(conn: Connection, artifact_id: str) -> dict[str, Any] | None:
    row = conn.execute(select(artifacts).where(_A.id == artifact_id)).mappings().first()
    return None if row is None else artifact_dict(row)


def create_artifact(
    engine: Engine, fields: Mapping[str, Any], *, metadata: dict[str, str] | None = None
) -> dict[str, Any]:
    """A new artifact; with a key already used, the key's new latest version."""
    now = utc_now()
    row = {name: fields.get(name) for name in _FIELDS}
    row.update(id=str(uuid.uuid4()), meta=metadata, created=now, updated=now)

    def work(conn: Connection) -> dict[str, Any]:
        conn.execute(artifacts.insert().values(**row))
        out = artifact_dict(row)
        insert_events(conn, [_event("artifact.created", out)])
        return out

    return write_transaction(engine, work)


def update_artifact(engine: Engine, artifact_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change an artifact's ``data``, ``description`` or ``metadata_`` (only those given)."""
    values = {
        ("meta" if k == "metadata_" else k): v for k, v in changes.items() if k in ("data", "description", "metadata_")
    }

    def work(conn: Connection) -> dict[str, Any]:
        done = conn.execute(update(artifacts).where(_A.id == artifact_id).values(**values, updated=utc_now()))
        if not done.rowcount:
            raise NotFound(f"No artifact {artifact_id!r}")
        out = _read(conn, artifact_id)
        assert out is not None
        insert_events(conn, [_event("artifact.updated", out)])
        return out

    return write_transaction(engine, work)


def get_artifact(engine: Engine, artifact_id: str) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        return _read(conn, artifact_id)


def latest_artifact(engine: Engine, key: str | None) -> dict[str, Any] | None:
    """The latest version of ``key`` (of any artifact when None): the one updated last."""
    stmt = select(artifacts).order_by(_A.updated.desc(), _A.id.desc()).limit(1)
    if key is not None:
        stmt = stmt.where(_A.key == key)
    with read_connection(engine) as conn:
        row = conn.execute(stmt).mappings().first()
    return None if row is None else artifact_dict(row)


def list_artifacts(
    engine: Engine,
    *,
    flow_run_id: str | None = None,
    task_run_id: str | None = None,
    key: str | None = None,
    type: str | None = None,
    limit: int = 50,
    cursor: str | None = None,
) -> dict[str, Any]:
    """A page of artifacts, newest first: ``{items, total, total_exact, next_cursor}`` (``total``
    counted up to ``TOTAL_CAP``)."""
    where = [
        column == value
        for column, value in (
            (_A.flow_run_id, flow_run_id),
            (_A.task_run_id, task_run_id),
            (_A.key, key),
            (_A.type, type),
        )
        if value is not None
    ]
    page = select(artifacts).where(*where)
    if cursor is not None:
        created, last_id = decode_run_cursor(cursor)
        page = page.where(or_(_A.created < created, and_(_A.created == created, _A.id < last_id)))
    page = page.order_by(_A.created.desc(), _A.id.desc()).limit(limit + 1)
    capped = select(literal(1)).select_from(artifacts).where(*where).limit(TOTAL_CAP + 1).subquery()
    with read_connection(engine) as conn:
        rows = conn.execute(page).mappings().all()
        total = conn.execute(select(func.count()).select_from(capped)).scalar_one()
    more = len(rows) > limit
    rows = rows[:limit]
    last: RowMapping | None = rows[-1] if more else None
    return {
        "items": [artifact_dict(r) for r in rows],
        "total": min(total, TOTAL_CAP),
        "total_exact": total <= TOTAL_CAP,
        "next_cursor": None if last is None else run_cursor(last["created"], last["id"]),
    }
