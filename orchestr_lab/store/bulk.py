"""Fast ``executemany`` for the batch writer: statements compiled once, values converted here.

SQLAlchemy's per-row parameter machinery cost more than SQLite itself when writing thousands
of rows per batch (about 60% of the time, measured). Here each statement is compiled once per
dialect and column set, each column's bind processor is looked up once, and rows go straight
to the driver with ``exec_driver_sql``. The SQL and the processors are still SQLAlchemy's own
(casts, JSON serialisation, paramstyle), so PostgreSQL gets the same treatment as SQLite; the
only hand-written conversion is epoch seconds -> SQLite's datetime text, in the exact format
SQLAlchemy's SQLite ``DATETIME`` writes and reads back.
"""

from __future__ import annotations

import datetime as _dt
import operator
import threading
from typing import Any, Callable

from sqlalchemy import Table, bindparam, insert, update
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.types import TypeEngine

from .models import UTCDateTime

__all__ = ["insert_rows", "update_rows"]

_UTC = _dt.timezone.utc
_Processor = Callable[[Any], Any]


_seconds_text: dict[int, str] = {}  # whole UTC second -> "YYYY-MM-DD HH:MM:SS"; batches share seconds


def _sqlite_datetime(value: Any) -> str | None:
    """Epoch seconds or datetime -> 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC (SQLAlchemy's format).

    Rounds to the microsecond half-to-even, as ``datetime.fromtimestamp`` does.
    """
    if value is None:
        return None
    if isinstance(value, (int, float)):
        if value >= 0:
            whole = int(value)
            micro = round((value - whole) * 1e6)
            if micro < 1_000_000:
                head = _seconds_text.get(whole)
                if head is None:
                    if len(_seconds_text) > 4096:
                        _seconds_text.clear()
                    head = _dt.datetime.fromtimestamp(whole, _UTC).isoformat(" ")[:19]
                    _seconds_text[whole] = head
                return f"{head}.{micro:06d}"
        return _dt.datetime.fromtimestamp(value, _UTC).isoformat(" ", "microseconds")[:26]
    if value.tzinfo is not None:
        value = value.astimezone(_UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def _processor(type_: TypeEngine[Any], dialect: Dialect) -> _Processor | None:
    if isinstance(type_, UTCDateTime) and dialect.name == "sqlite":
        return _sqlite_datetime
    return type_.dialect_impl(dialect).bind_processor(dialect)


class _Prepared:
    """One compiled statement and how to turn row dicts into the driver's parameters."""

    __slots__ = ("getter", "names", "positional", "procs", "sql")

    def __init__(self, stmt: Any, dialect: Dialect, types: dict[str, tuple[str, TypeEngine[Any]]]) -> None:
        compiled = stmt.compile(dialect=dialect)
        self.sql: str = compiled.string
        self.positional: bool = bool(dialect.positional)
        names = list(compiled.positiontup if self.positional else compiled.binds)
        self.names = tuple(names)
        keys = [types[name][0] for name in names]
        # itemgetter pulls every value in C; only columns with a processor are touched after.
        self.getter = operator.itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
        self.procs = [
            (i, proc)
            for i, name in enumerate(names)
            if (proc := _processor(types[name][1], dialect)) is not None
        ]

    def params(self, rows: list[dict[str, Any]]) -> list[Any]:
        getter, procs = self.getter, self.procs
        out: list[Any] = []
        append = out.append
        for row in rows:
            values = list(getter(row))
            for i, proc in procs:
                values[i] = proc(values[i])
            append(values)
        if self.positional:
            return [tuple(v) for v in out]
        names = self.names
        return [dict(zip(names, v)) for v in out]


_cache: dict[tuple[Any, ...], _Prepared] = {}
_cache_lock = threading.Lock()


def _dialect_key(dialect: Dialect) -> tuple[str, str, str]:
    return (dialect.name, dialect.driver, dialect.paramstyle)


def _prepared(key: tuple[Any, ...], build: Callable[[], _Prepared]) -> _Prepared:
    prepared = _cache.get(key)
    if prepared is None:
        with _cache_lock:
            prepared = _cache.get(key) or build()
            _cache[key] = prepared
    return prepared


def insert_rows(conn: Connection, table: Table, columns: tuple[str, ...], rows: list[dict[str, Any]]) -> None:
    """INSERT ``rows`` (dicts holding at least ``columns``) with one executemany."""
    if not rows:
        return
    dialect = conn.dialect

    def build() -> _Prepared:
        stmt = insert(table).values({c: bindparam(c) for c in columns})
        return _Prepared(stmt, dialect, {c: (c, table.c[c].type) for c in columns})

    prepared = _prepared(("insert", _dialect_key(dialect), table.name, columns), build)
    conn.exec_driver_sql(prepared.sql, prepared.params(rows))


def update_rows(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[dict[str, Any]]
) -> None:
    """UPDATE ``columns`` of the rows whose ``id`` is given in each dict, one executemany."""
    if not rows:
        return
    dialect = conn.dialect

    def build() -> _Prepared:
        stmt = (
            update(table)
            .where(table.c.id == bindparam("p_id"))
            .values({c: bindparam(f"v_{c}") for c in columns})
        )
        types = {f"v_{c}": (c, table.c[c].type) for c in columns}
        types["p_id"] = ("id", table.c.id.type)
        return _Prepared(stmt, dialect, types)

    prepared = _prepared(("update", _dialect_key(dialect), table.name, columns), build)
    conn.exec_driver_sql(prepared.sql, prepared.params(rows))
