"""Changing a flow run's name, tags or parameters (Prefect's ``update_flow_run``)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Connection, Engine

from ..core.errors import NotFound
from .database import write_transaction
from .models import flow_runs
from .sql_helpers import utc_now

__all__ = ["update_flow_run"]

_CHANGEABLE = ("name", "tags", "parameters")


def update_flow_run(engine: Engine, run_id: str, changes: dict[str, Any]) -> None:
    """Set the given columns (tags and parameters are replaced whole, as Prefect does);
    :class:`NotFound` for an unknown run."""
    values = {k: v for k, v in changes.items() if k in _CHANGEABLE and v is not None}

    def work(conn: Connection) -> None:
        found = conn.execute(
            update(flow_runs).where(flow_runs.c.id == run_id).values(updated=utc_now(), **values)
        ).rowcount
        if found != 1:
            raise NotFound(f"No flow run with id {run_id!r}")

    write_transaction(engine, work)
