"""Columns and constraints the hand-written migrations share.

These helpers are part of the migrations' history: every revision that calls one builds
exactly what the helper builds today, on every database, forever. Never change what a helper
produces (name, type, nullability, default, constraint name); when a new revision needs
something different, add a new helper beside the old one.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

#: A point in time, with its zone.
TS = sa.DateTime(timezone=True)
#: An autoincrementing key: 64-bit on PostgreSQL, SQLite's INTEGER (its rowid alias) there.
BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def id_column() -> sa.Column[Any]:
    """A UUID-text primary key column ``id``."""
    return sa.Column("id", sa.String(36), nullable=False)


def serial_id() -> sa.Column[Any]:
    """An autoincrementing primary key column ``id`` (append-only tables)."""
    return sa.Column("id", BIGID, autoincrement=True, nullable=False)


def name_column(length: int) -> sa.Column[Any]:
    """A required ``name``."""
    return sa.Column("name", sa.String(length), nullable=False)


def fk_column(name: str, table: str, target: str, *, nullable: bool, ondelete: str | None = None) -> sa.Column[Any]:
    """A UUID-text column ``name`` of ``table`` referring to ``target.id``, its constraint
    named ``fk_<table>_<name>_<target>``."""
    return sa.Column(
        name,
        sa.String(36),
        sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{name}_{target}", ondelete=ondelete),
        nullable=nullable,
    )


def timestamps() -> list[sa.Column[Any]]:
    """Required ``created`` and ``updated`` times."""
    return [sa.Column("created", TS, nullable=False), sa.Column("updated", TS, nullable=False)]


def state_columns() -> list[sa.Column[Any]]:
    """A run's current state, flattened: type, name, message, timestamp (all optional)."""
    return [
        sa.Column("state_type", sa.String(16), nullable=True),
        sa.Column("state_name", sa.String(64), nullable=True),
        sa.Column("state_message", sa.Text(), nullable=True),
        sa.Column("state_timestamp", TS, nullable=True),
    ]


def run_times() -> list[sa.Column[Any]]:
    """A run's ``start_time`` and ``end_time`` (optional) and its ``run_count`` (0 at first)."""
    return [
        sa.Column("start_time", TS, nullable=True),
        sa.Column("end_time", TS, nullable=True),
        sa.Column("run_count", sa.Integer(), nullable=False, server_default=sa.text("0")),
    ]


def primary_key(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    """``table``'s primary key ``pk_<table>`` over ``columns`` (default ``id``)."""
    return sa.PrimaryKeyConstraint(*(columns or ("id",)), name=f"pk_{table}")


def unique(table: str, column: str) -> sa.UniqueConstraint:
    """A unique constraint ``uq_<table>_<column>``."""
    return sa.UniqueConstraint(column, name=f"uq_{table}_{column}")
