"""What a notification says about a flow run, read in one go: names, state, times, first failure.

The first failure is the earliest task run (a notebook's cell, a flow's task) that ended FAILED
or CRASHED: its name, and for a notebook cell (a ``notebook-cell`` task run) its index in the
notebook (``dynamic_key``) and its cell id (in ``task_key``), and its message (``ename: evalue``
for a cell). The cell's source is not stored: the caller reads it from the executed notebook.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from ..core.states import StateType
from .database import read_connection
from .models import deployments, flow_runs, task_runs
from .sql_helpers import as_datetime

__all__ = ["run_summary"]

_FAILED = (StateType.FAILED.value, StateType.CRASHED.value)


def run_summary(engine: Engine, flow_run_id: str) -> dict[str, Any] | None:
    """The run's facts for a message (None when the run is gone)."""
    r, t = flow_runs.c, task_runs.c
    with read_connection(engine) as conn:
        run = (
            conn.execute(
                select(
                    r.id,
                    r.name,
                    r.flow_name,
                    r.state_type,
                    r.state_name,
                    r.state_message,
                    r.start_time,
                    r.end_time,
                    r.notebook,
                    r.output_notebook,
                    deployments.c.name.label("deployment"),
                )
                .outerjoin(deployments, deployments.c.id == r.deployment_id)
                .where(r.id == flow_run_id)
            )
            .mappings()
            .first()
        )
        if run is None:
            return None
        failed = (
            conn.execute(
                select(t.name, t.task_key, t.dynamic_key, t.tags, t.state_message)
                .where(t.flow_run_id == flow_run_id, t.state_type.in_(_FAILED))
                .order_by(t.created, t.id)
                .limit(1)
            )
            .mappings()
            .first()
        )
    out = dict(run)
    for when in ("start_time", "end_time"):
        out[when] = as_datetime(out[when]) if out[when] is not None else None
    out["failed_task"] = None
    if failed is not None:
        cell = "notebook-cell" in (failed["tags"] or ())
        out["failed_task"] = {
            "name": failed["name"],
            "cell_index": int(failed["dynamic_key"]) if cell and failed["dynamic_key"].isdigit() else None,
            "cell_id": failed["task_key"].removeprefix("cell.") if cell else None,
            "message": failed["state_message"],
        }
    return out
