"""Leases: a named row one holder owns until it expires (the scheduler's "only one of us" lock).

A lease rather than a lock held by a connection because SQLite has no session locks: the
holder renews the lease on every tick, and when it dies the lease runs out and another
process takes over.
"""

from __future__ import annotations

import datetime as _dt

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine

from .database import read_connection, write_transaction
from .models import scheduler_lock
from .sql_helpers import as_datetime, insert_ignore

__all__ = ["acquire_lease", "lease_holder", "release_lease"]


def acquire_lease(engine: Engine, name: str, holder: str, *, seconds: float, now: _dt.datetime | None = None) -> bool:
    """Take or renew lease ``name`` for ``holder`` until now + ``seconds``; False if someone else holds it."""
    when = as_datetime(now)
    expires = when + _dt.timedelta(seconds=seconds)

    def work(conn: Connection) -> bool:
        if insert_ignore(conn, scheduler_lock, {"name": name, "holder": holder, "expires": expires}, ["name"]):
            return True
        row = conn.execute(
            select(scheduler_lock.c.holder, scheduler_lock.c.expires)
            .where(scheduler_lock.c.name == name)
            .with_for_update()
        ).first()
        if row is not None and row.holder not in (holder, None) and row.expires is not None and row.expires > when:
            return False
        conn.execute(update(scheduler_lock).where(scheduler_lock.c.name == name).values(holder=holder, expires=expires))
        return True

    return write_transaction(engine, work)


def release_lease(engine: Engine, name: str, holder: str) -> None:
    """Give the lease up (only if ``holder`` holds it), so another process need not wait it out."""

    def work(conn: Connection) -> None:
        conn.execute(delete(scheduler_lock).where(scheduler_lock.c.name == name, scheduler_lock.c.holder == holder))

    write_transaction(engine, work)


def lease_holder(engine: Engine, name: str, *, now: _dt.datetime | None = None) -> str | None:
    """Who holds lease ``name`` right now (None if nobody, or it expired)."""
    when = as_datetime(now)
    with read_connection(engine) as conn:
        row = conn.execute(
            select(scheduler_lock.c.holder, scheduler_lock.c.expires).where(scheduler_lock.c.name == name)
        ).first()
    if row is None or row.expires is None or row.expires <= when:
        return None
    holder: str = row.holder
    return holder
