"""Variables: named JSON values that flows share (``Variable.get/set/unset``).

The value is kept as its JSON text (so ``null`` is a value, not a missing one, on both
dialects); the API sends it back parsed.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from .database import read_connection, write_transaction
from .models import variables
from .rows import iso
from .sql_helpers import insert_ignore, utc_now

__all__ = ["create_variable", "delete_variable", "get_variable", "list_variables", "update_variable"]

_MISSING: Any = object()


def _variable_dict(row: RowMapping | Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "value": json.loads(row["value"]),
        "tags": list(row["tags"] or []),
        "created": iso(row["created"]),
        "updated": iso(row["updated"]),
    }


def _read(conn: Connection, name: str) -> dict[str, Any] | None:
    row = conn.execute(select(variables).where(variables.c.name == name)).mappings().first()
    return None if row is None else _variable_dict(row)


def _taken(name: str) -> Conflict:
    return Conflict(f"Variable {name!r} already exists")


def _missing(name: str) -> NotFound:
    return NotFound(f"No variable named {name!r}")


def create_variable(engine: Engine, name: str, value: Any, tags: list[str] | None = None) -> dict[str, Any]:
    """A new variable; :class:`Conflict` when ``name`` is taken."""
    now = utc_now()
    row = {"id": str(uuid.uuid4()), "name": name, "value": json.dumps(value), "tags": list(tags or [])}

    def work(conn: Connection) -> dict[str, Any]:
        if not insert_ignore(conn, variables, {**row, "created": now, "updated": now}, ["name"]):
            raise _taken(name)
        return _read(conn, name)  # type: ignore[return-value]

    return write_transaction(engine, work)


def get_variable(engine: Engine, name: str) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        return _read(conn, name)


def list_variables(engine: Engine, *, name_contains: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Variables by name (those whose name holds ``name_contains``), at most ``limit``."""
    stmt = select(variables).order_by(variables.c.name).limit(limit)
    if name_contains:
        stmt = stmt.where(variables.c.name.contains(name_contains, autoescape=True))
    with read_connection(engine) as conn:
        return [_variable_dict(r) for r in conn.execute(stmt).mappings()]


def update_variable(
    engine: Engine, name: str, *, new_name: str | None = None, value: Any = _MISSING, tags: list[str] | None = None
) -> dict[str, Any]:
    """Change what is given (``value=None`` sets null); :class:`NotFound`, or :class:`Conflict`
    when renaming onto a taken name."""
    changes: dict[str, Any] = {"updated": utc_now()}
    if value is not _MISSING:
        changes["value"] = json.dumps(value)
    if tags is not None:
        changes["tags"] = list(tags)
    if new_name is not None:
        changes["name"] = new_name

    def work(conn: Connection) -> dict[str, Any]:
        if new_name is not None and new_name != name and _read(conn, new_name) is not None:
            raise _taken(new_name)
        done = conn.execute(update(variables).where(variables.c.name == name).values(**changes))
        if not done.rowcount:
            raise _missing(name)
        return _read(conn, new_name or name)  # type: ignore[return-value]

    return write_transaction(engine, work)


def delete_variable(engine: Engine, name: str) -> None:
    def work(conn: Connection) -> None:
        if not conn.execute(delete(variables).where(variables.c.name == name)).rowcount:
            raise _missing(name)

    write_transaction(engine, work)
