"""Small dialect-aware statements the aggregate modules share (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.engine import Connection

__all__ = ["as_datetime", "dialect_insert", "insert_ignore", "utc_now"]

_UTC = _dt.timezone.utc


def insert_ignore(conn: Connection, table: Table, row: dict[str, Any], keys: Sequence[str]) -> bool:
    """INSERT ``row`` unless a row with the same unique ``keys`` exists; True when inserted.

    ``ON CONFLICT DO NOTHING`` on both dialects, so racing writers never see an integrity
    error and the transaction stays usable.
    """
    stmt = dialect_insert(conn, table).values(row).on_conflict_do_nothing(index_elements=list(keys))
    if conn.dialect.name == "postgresql":
        # psycopg reports no rowcount (-1) for this statement: ask for the inserted key instead.
        return conn.execute(stmt.returning(table.c[keys[0]])).first() is not None
    return bool(conn.execute(stmt).rowcount)


def dialect_insert(conn: Connection, table: Table) -> Any:
    """The dialect's INSERT for ``table``: the one that has ``on_conflict_do_nothing``."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


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
