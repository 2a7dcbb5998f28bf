"""Small dialect-aware statements the aggregate modules share (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

__all__ = ["as_datetime", "insert_ignore", "utc_now"]

_UTC = _dt.timezone.utc


def insert_ignore(conn: Connection, table: Table, row: dict[str, Any], keys: Sequence[str]) -> bool:
    """INSERT ``row`` unless a row with the same unique ``keys`` exists; True when inserted.

    ``ON CONFLICT DO NOTHING`` on both dialects, so racing writers never see an integrity
    error and the transaction stays usable.
    """
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    stmt = upsert(table).values(row).on_conflict_do_nothing(index_elements=list(keys))
    if conn.dialect.name == "postgresql":
        # psycopg reports no rowcount (-1) for this statement: ask for the inserted key instead.
        return conn.execute(stmt.returning(table.c[keys[0]])).first() is not None
    return bool(conn.execute(stmt).rowcount)


def utc_now() -> _dt.datetime:
    return _dt.datetime.now(_UTC)


def as_datetime(value: _dt.datetime | float | None) -> _dt.datetime:
    """An aware UTC datetime from a datetime (naive = UTC), epoch seconds, or None (now)."""
    if value is None:
        return utc_now()
    if isinstance(value, (int, float)):
        return _dt.datetime.fromtimestamp(value, _UTC)
    if value.tzinfo is None:
        return value.replace(tzinfo=_UTC)
    return value.astimezone(_UTC)
