"""Flow run inputs: keyed JSON values sent to a flow run, one per (run, key).

Receivers read them in the order they came (the growing id), by key prefix, leaving out the
keys they have seen; the rows go with their flow run.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from .database import read_connection, write_transaction
from .models import flow_run_inputs, flow_runs
from .rows import iso
from .sql_helpers import insert_ignore, utc_now

__all__ = ["create_input", "delete_input", "filter_inputs", "read_input"]


def _input_dict(row: RowMapping | Mapping[str, Any]) -> dict[str, Any]:
    return {
        "flow_run_id": row["flow_run_id"],
        "key": row["key"],
        "value": row["value"],
        "sender": row["sender"],
        "created": iso(row["created"]),
    }


def _missing_run(run_id: str) -> NotFound:
    return NotFound(f"No flow run with id {run_id!r}")


def create_input(engine: Engine, run_id: str, key: str, value: Any, sender: str | None) -> dict[str, Any]:
    """Store ``value`` under ``key`` for the run; :class:`Conflict` when the key is taken,
    :class:`NotFound` when there is no such run."""
    row = {"flow_run_id": run_id, "key": key, "value": value, "sender": sender, "created": utc_now()}

    def work(conn: Connection) -> dict[str, Any]:
        if conn.execute(select(flow_runs.c.id).where(flow_runs.c.id == run_id)).first() is None:
            raise _missing_run(run_id)
        if not insert_ignore(conn, flow_run_inputs, row, ["flow_run_id", "key"]):
            raise Conflict("A flow run input with this key already exists.")
        return _input_dict(row)

    return write_transaction(engine, work)


def read_input(engine: Engine, run_id: str, key: str) -> dict[str, Any] | None:
    stmt = select(flow_run_inputs).where(flow_run_inputs.c.flow_run_id == run_id, flow_run_inputs.c.key == key)
    with read_connection(engine) as conn:
        row = conn.execute(stmt).mappings().first()
    return None if row is None else _input_dict(row)


def filter_inputs(engine: Engine, run_id: str, prefix: str, *, limit: int, exclude: list[str]) -> list[dict[str, Any]]:
    """At most ``limit`` of the run's inputs whose key starts with ``prefix``, oldest first."""
    c = flow_run_inputs.c
    stmt = select(flow_run_inputs).where(c.flow_run_id == run_id).order_by(c.id).limit(limit)
    if prefix:
        stmt = stmt.where(c.key.startswith(prefix, autoescape=True))
    if exclude:
        stmt = stmt.where(c.key.not_in(exclude))
    with read_connection(engine) as conn:
        return [_input_dict(r) for r in conn.execute(stmt).mappings()]


def delete_input(engine: Engine, run_id: str, key: str) -> None:
    """Delete the run's input ``key``; :class:`NotFound` when there is none."""
    c = flow_run_inputs.c

    def work(conn: Connection) -> None:
        if not conn.execute(delete(flow_run_inputs).where(c.flow_run_id == run_id, c.key == key)).rowcount:
            raise NotFound("Flow run input not found")

    write_transaction(engine, work)
