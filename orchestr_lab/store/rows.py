"""Helpers the store's modules share: a run row as the API's dict, flows by name, reading rows.

Dicts rather than row objects because the callers (REST handlers, widgets, the CLI) send them on
as JSON; datetimes are ISO-8601 strings with their zone (:func:`iso`).
"""

from __future__ import annotations

import datetime as _dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Connection, Engine, RowMapping
from sqlalchemy.sql import Select

from .database import read_connection
from .models import flows

__all__ = ["ensure_flows", "iso", "read_all", "run_dict"]

_TIME_COLUMNS = ("start_time", "end_time", "scheduled_start_time", "created", "updated", "heartbeat_at")
_STATE_COLUMNS = ("state_type", "state_name", "state_message", "state_timestamp")


def iso(value: _dt.datetime | None) -> str | None:
    """ISO-8601 with the zone, or None: the one datetime format the store hands out."""
    return None if value is None else value.isoformat()


def run_dict(row: RowMapping | Mapping[str, Any]) -> dict[str, Any]:
    """A flow run or task run row as the API shows it: times in ISO, the state as one object."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key in _STATE_COLUMNS:
            continue
        out[key] = iso(value) if key in _TIME_COLUMNS else value
    if out.get("tags") is None:
        out["tags"] = []
    if "parameters" in out and out["parameters"] is None:
        out["parameters"] = {}
    if "worker_name" in out:  # a flow run: its worker as the API shows it, {name, type}
        out["worker"] = {"name": out.pop("worker_name"), "type": out.pop("worker_type")}
    out["state"] = (
        None
        if row["state_type"] is None
        else {
            "type": row["state_type"],
            "name": row["state_name"],
            "message": row["state_message"],
            "timestamp": iso(row["state_timestamp"]),
        }
    )
    return out


def ensure_flows(conn: Connection, names: dict[str, float]) -> dict[str, str]:
    """Create missing ``flows`` rows (name -> created; racing writers tolerated); return name -> id."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert  # type: ignore[assignment]
    rows = [{"id": str(uuid.uuid4()), "name": n, "created": c} for n, c in names.items()]
    conn.execute(upsert(flows).on_conflict_do_nothing(index_elements=["name"]), rows)
    found = conn.execute(select(flows.c.name, flows.c.id).where(flows.c.name.in_(list(names))))
    return {name: flow_id for name, flow_id in found}


def read_all(engine: Engine, stmt: Select[Any]) -> Sequence[RowMapping]:
    """Every row ``stmt`` selects, as mappings, on a read connection."""
    with read_connection(engine) as conn:
        return conn.execute(stmt).mappings().all()
