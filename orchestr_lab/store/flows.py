"""Flows: every flow that ever ran here (interactively or from a deployment), with its runs."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine, RowMapping

from .database import read_connection
from .models import flow_runs, flows
from .rows import iso

__all__ = ["get_flow", "list_flows"]


def _last_run(conn: Connection, flow_id: str) -> dict[str, Any] | None:
    row = (
        conn.execute(
            select(
                flow_runs.c.id,
                flow_runs.c.name,
                flow_runs.c.state_type.label("state"),
                flow_runs.c.start_time,
                flow_runs.c.deployment_id,
            )
            .where(flow_runs.c.flow_id == flow_id)
            .order_by(flow_runs.c.created.desc(), flow_runs.c.id.desc())
            .limit(1)
        )
        .mappings()
        .first()
    )
    if row is None:
        return None
    last = dict(row)  # id, name, state, start_time, deployment_id: the columns selected above
    last["start_time"] = iso(last["start_time"])
    return last


def _flow_dict(conn: Connection, row: RowMapping) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "created": iso(row["created"]),
        "run_count": int(row["run_count"]),
        "last_run": _last_run(conn, row["id"]),
    }


def _select() -> Any:
    counts = select(flow_runs.c.flow_id, func.count().label("n")).group_by(flow_runs.c.flow_id).subquery()
    return select(flows, func.coalesce(counts.c.n, 0).label("run_count")).outerjoin(
        counts, counts.c.flow_id == flows.c.id
    )


def list_flows(
    engine: Engine, *, name: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Flows by name, and how many match (``name``: a part of the name, any case)."""
    conditions = [] if not name else [func.lower(flows.c.name).contains(name.lower(), autoescape=True)]
    with read_connection(engine) as conn:
        rows = (
            conn.execute(_select().where(*conditions).order_by(flows.c.name).limit(limit).offset(offset))
            .mappings()
            .all()
        )
        total = conn.execute(select(func.count()).select_from(flows).where(*conditions)).scalar_one()
        return [_flow_dict(conn, r) for r in rows], int(total)


def get_flow(engine: Engine, flow_id: str) -> dict[str, Any] | None:
    """One flow by id or by name."""
    with read_connection(engine) as conn:
        row = conn.execute(_select().where((flows.c.id == flow_id) | (flows.c.name == flow_id))).mappings().first()
        return None if row is None else _flow_dict(conn, row)
