"""Reading a flow run's logs and recorded outputs (the writes happen in ``write_batch``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine

from .database import read_connection
from .models import logs, recorded
from .rows import iso, read_all

__all__ = ["get_logs", "get_recorded", "recorded_values", "recorded_values_of"]


def get_logs(
    engine: Engine,
    flow_run_id: str,
    *,
    after_id: int | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """A flow run's log lines, its task runs' included, oldest first.

    ``after_id`` lets a live view poll for new lines only. Task-run lines are found through
    their ``flow_run_id``, which the writer fills in for task runs it knows.
    """
    stmt = select(logs).where(logs.c.flow_run_id == flow_run_id).order_by(logs.c.id)
    if after_id is not None:
        stmt = stmt.where(logs.c.id > after_id)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [{**r, "timestamp": iso(r["timestamp"])} for r in read_all(engine, stmt)]


def _value(value: Any, text: str) -> Any:
    # A value that could not be stored as JSON is NULL; show its repr then. A recorded None
    # is NULL too, and its repr says so.
    if value is None and text != "None":
        return text
    return value


def get_recorded(engine: Engine, flow_run_id: str) -> list[dict[str, Any]]:
    """Everything recorded during a flow run, in the order it was recorded."""
    with read_connection(engine) as conn:
        rows = _recorded_rows(conn, flow_run_id)
    return [
        {
            "id": r["id"],
            "flow_run_id": r["flow_run_id"],
            "task_run_id": r["task_run_id"],
            "name": r["name"],
            "value": _value(r["value"], r["repr"]),
            "repr": r["repr"],
            "timestamp": iso(r["timestamp"]),
        }
        for r in rows
    ]


def recorded_values(conn: Connection, flow_run_id: str) -> dict[str, Any]:
    """``{name: value-or-repr}`` for a flow run; a name recorded twice keeps its last value."""
    return {r["name"]: _value(r["value"], r["repr"]) for r in _recorded_rows(conn, flow_run_id)}


def _recorded_rows(conn: Connection, flow_run_id: str) -> Any:
    stmt = select(recorded).where(recorded.c.flow_run_id == flow_run_id).order_by(recorded.c.id)
    return conn.execute(stmt).mappings().all()


def recorded_values_of(conn: Connection, flow_run_ids: list[str]) -> dict[str, dict[str, Any]]:
    """:func:`recorded_values` of many runs in one query (a sweep's table): ``{run id: {name: value}}``."""
    out: dict[str, dict[str, Any]] = {}
    if not flow_run_ids:
        return out
    stmt = select(recorded).where(recorded.c.flow_run_id.in_(flow_run_ids)).order_by(recorded.c.id)
    for r in conn.execute(stmt).mappings():
        out.setdefault(r["flow_run_id"], {})[r["name"]] = _value(r["value"], r["repr"])
    return out
