"""Flows: every flow that ever ran here (interactively or from a deployment), with its runs.

A page of flows is three queries whatever its size: the flows with their run counts and the
id of their latest run (both read off ``(flow_id, created, id)``), then those runs by key.
Run counts stop at ``core.page_cursor.TOTAL_CAP``: a flow run every five minutes for years
must not make every read of the flow list count all its runs.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, literal, select
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.page_cursor import TOTAL_CAP
from .database import read_connection
from .models import flow_runs, flows
from .rows import iso

__all__ = ["get_flow", "list_flows"]

_R = flow_runs.c


def _select() -> Any:
    """Flows with ``run_count`` (up to the cap, plus one when there are more) and ``last_id``."""
    runs = select(literal(1)).where(_R.flow_id == flows.c.id).correlate(flows).limit(TOTAL_CAP + 1).subquery()
    count = select(func.count()).select_from(runs).scalar_subquery()
    last = (
        select(_R.id).where(_R.flow_id == flows.c.id).order_by(_R.created.desc(), _R.id.desc()).limit(1)
    ).scalar_subquery()
    return select(flows, count.label("run_count"), last.label("last_id"))


def _flow_dicts(conn: Connection, rows: list[RowMapping]) -> list[dict[str, Any]]:
    last_ids = [r["last_id"] for r in rows if r["last_id"] is not None]
    columns = (_R.id, _R.name, _R.state_type.label("state"), _R.start_time, _R.deployment_id)
    last = {r["id"]: dict(r) for r in conn.execute(select(*columns).where(_R.id.in_(last_ids))).mappings()}
    for run in last.values():  # id, name, state, start_time, deployment_id: the columns selected
        run["start_time"] = iso(run["start_time"])
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "created": iso(row["created"]),
            "run_count": min(int(row["run_count"]), TOTAL_CAP),
            "run_count_exact": int(row["run_count"]) <= TOTAL_CAP,
            "last_run": last.get(row["last_id"]),
        }
        for row in rows
    ]


def list_flows(
    engine: Engine, *, name: str | None = None, limit: int = 100, offset: int = 0
) -> tuple[list[dict[str, Any]], int]:
    """Flows by name, and how many match (``name``: a part of the name, any case)."""
    conditions = [] if not name else [func.lower(flows.c.name).contains(name.lower(), autoescape=True)]
    with read_connection(engine) as conn:
        page = _select().where(*conditions).order_by(flows.c.name).limit(limit).offset(offset)
        rows = list(conn.execute(page).mappings())
        total = conn.execute(select(func.count()).select_from(flows).where(*conditions)).scalar_one()
        return _flow_dicts(conn, rows), int(total)


def get_flow(engine: Engine, flow_id: str) -> dict[str, Any] | None:
    """One flow by id or by name."""
    with read_connection(engine) as conn:
        row = conn.execute(_select().where((flows.c.id == flow_id) | (flows.c.name == flow_id))).mappings().first()
        return None if row is None else _flow_dicts(conn, [row])[0]
