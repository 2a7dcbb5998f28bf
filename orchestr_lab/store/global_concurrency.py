"""Global concurrency and rate limits: named limits of slots that code takes and gives back.

A limit's ``active_slots`` changes only by a compare-and-set UPDATE: the new count is written
``WHERE version = <the version read> AND limit >= <the new count>``, and ``version`` moves on
with it, so two processes (or machines sharing PostgreSQL) never both take the last slot, and
the count never passes the limit. A rate limit (``slot_decay_per_second`` > 0) drains
``floor(rate * seconds)`` slots since its ``decay_anchor``; the anchor moves on by exactly the
slots drained, so fractions of a slot are never lost between acquisitions and the rate holds.

Slots taken by a ``concurrency()`` block are held by a lease (``store/global_leases.py``).
"""

from __future__ import annotations

import datetime as _dt
import math
import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from .database import read_connection, write_transaction
from .events import event_row, insert_events
from .models import global_concurrency_limits as gcl
from .rows import iso
from .sql_helpers import insert_ignore, utc_now

__all__ = [
    "LimitRefusal",
    "RaceLost",
    "create_limit",
    "decayed",
    "delete_limit",
    "get_limit",
    "hand_back",
    "list_limits",
    "set_slots",
    "update_limit",
]


class LimitRefusal(ValueError):
    """A request no wait can satisfy (more slots than the limit; a rate limit without decay);
    ``field``: the request's field at fault."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class RaceLost(Exception):
    """Another writer changed a limit between our read and our compare-and-set: read again."""


def decayed(row: RowMapping, now: _dt.datetime) -> tuple[int, _dt.datetime]:
    """``(active slots now, the anchor their decay counts from)`` after draining since the anchor."""
    rate = float(row["slot_decay_per_second"] or 0.0)
    active = int(row["active_slots"])
    if rate <= 0 or active <= 0:
        return max(active, 0), now
    elapsed = (now - row["decay_anchor"]).total_seconds()
    drained = max(0, math.floor(rate * elapsed))
    if drained >= active:
        return 0, now
    return active - drained, row["decay_anchor"] + _dt.timedelta(seconds=drained / rate)


def set_slots(conn: Connection, row: RowMapping, level: int, anchor: _dt.datetime, **values: Any) -> None:
    """The compare-and-set: ``active_slots = level`` if nobody wrote the row since it was read
    and ``level`` stays within the limit; :class:`RaceLost` otherwise."""
    done = conn.execute(
        update(gcl)
        .where(gcl.c.id == row["id"], gcl.c.version == row["version"], gcl.c.limit >= level)
        .values(active_slots=level, decay_anchor=anchor, version=gcl.c.version + 1, **values)
    )
    if done.rowcount != 1:
        raise RaceLost(row["name"])


def hand_back(conn: Connection, limit_ids: Iterable[str], slots: int, *, held_seconds: float | None = None) -> None:
    """Give ``slots`` back to each limit (never below zero), inside the caller's transaction;
    ``held_seconds`` feeds the limit's average occupancy, which paces waiting acquirers."""
    ids = sorted(set(limit_ids))
    if not ids:
        return
    now = utc_now()
    rows = conn.execute(select(gcl).where(gcl.c.id.in_(ids)).order_by(gcl.c.id).with_for_update()).mappings().all()
    for row in rows:
        level, anchor = decayed(row, now)
        values: dict[str, Any] = {}
        if held_seconds and row["limit"] > 0 and slots > 0:
            per_slot = max(held_seconds / slots, 0.1)
            samples = row["limit"] * 2
            values["avg_slot_occupancy_seconds"] = row["avg_slot_occupancy_seconds"] * (1 - 1 / samples) + (
                per_slot / samples
            )
        set_slots(conn, row, max(0, level - slots), anchor, **values)


def _limit_dict(row: RowMapping, now: _dt.datetime) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "limit": row["limit"],
        "active": bool(row["active"]),
        "active_slots": decayed(row, now)[0],
        "denied_slots": row["denied_slots"],
        "slot_decay_per_second": float(row["slot_decay_per_second"]),
        "created": iso(row["created"]),
        "updated": iso(row["updated"]),
    }


def _read(conn: Connection, name: str) -> RowMapping | None:
    return conn.execute(select(gcl).where(gcl.c.name == name)).mappings().first()


def _event(conn: Connection, kind: str, out: dict[str, Any]) -> None:
    insert_events(conn, [event_row(f"global_concurrency_limit.{kind}", out["name"], out)])


def create_limit(engine: Engine, spec: dict[str, Any]) -> dict[str, Any]:
    """A new limit from ``spec`` (name, limit, active, active_slots, denied_slots,
    slot_decay_per_second); :class:`Conflict` when the name is taken."""
    now = utc_now()
    row = {
        "id": str(uuid.uuid4()),
        "name": spec["name"],
        "limit": int(spec["limit"]),
        "active": bool(spec.get("active", True)),
        "slot_decay_per_second": float(spec.get("slot_decay_per_second") or 0.0),
        "active_slots": int(spec.get("active_slots") or 0),
        "denied_slots": int(spec.get("denied_slots") or 0),
        "avg_slot_occupancy_seconds": 2.0,
        "decay_anchor": now,
        "version": 0,
        "created": now,
        "updated": now,
    }

    def work(conn: Connection) -> dict[str, Any]:
        if not insert_ignore(conn, gcl, row, ["name"]):
            raise Conflict(f"A global concurrency limit named {spec['name']!r} already exists")
        out = _limit_dict(_read(conn, spec["name"]), now)  # type: ignore[arg-type]
        _event(conn, "created", out)
        return out

    return write_transaction(engine, work)


def get_limit(engine: Engine, name: str) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        row = _read(conn, name)
    return None if row is None else _limit_dict(row, utc_now())


def list_limits(engine: Engine) -> list[dict[str, Any]]:
    """Every limit, by name."""
    with read_connection(engine) as conn:
        rows = conn.execute(select(gcl).order_by(gcl.c.name)).mappings().all()
    now = utc_now()
    return [_limit_dict(r, now) for r in rows]


def update_limit(engine: Engine, name: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Change some fields of a limit (a rename too); :class:`NotFound`, or :class:`Conflict`
    when renamed onto another limit's name. Decay so far is settled first, under the old rate."""

    def work(conn: Connection) -> dict[str, Any]:
        row = conn.execute(select(gcl).where(gcl.c.name == name).with_for_update()).mappings().first()
        if row is None:
            raise NotFound(f"No global concurrency limit named {name!r}")
        new_name = changes.get("name") or name
        if new_name != name and _read(conn, new_name) is not None:
            raise Conflict(f"A global concurrency limit named {new_name!r} already exists")
        now = utc_now()
        level, anchor = decayed(row, now)
        if changes.get("active_slots") is not None:
            level, anchor = int(changes["active_slots"]), now
        if changes.get("slot_decay_per_second") is not None:
            anchor = now
        values = {k: v for k, v in changes.items() if v is not None and k not in ("active_slots",)}
        conn.execute(
            update(gcl)
            .where(gcl.c.id == row["id"])
            .values(active_slots=level, decay_anchor=anchor, version=gcl.c.version + 1, updated=now, **values)
        )
        out = _limit_dict(_read(conn, new_name), now)  # type: ignore[arg-type]
        _event(conn, "updated", out)
        return out

    return write_transaction(engine, work)


def delete_limit(engine: Engine, name: str) -> None:
    def work(conn: Connection) -> None:
        row = _read(conn, name)
        if row is None or not conn.execute(delete(gcl).where(gcl.c.id == row["id"])).rowcount:
            raise NotFound(f"No global concurrency limit named {name!r}")
        _event(conn, "deleted", _limit_dict(row, utc_now()))

    write_transaction(engine, work)
