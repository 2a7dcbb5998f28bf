"""Reading flow runs, task runs and their state history as plain JSON-able dicts (``rows.run_dict``).

Logs and recorded outputs are read in :mod:`.run_logs`.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from .database import read_connection
from .models import flow_runs, run_states, task_runs
from .rows import iso, read_all, run_dict
from .run_logs import recorded_values
from .run_pages import flow_run_page

__all__ = ["get_flow_run", "get_task_run", "list_flow_runs", "list_task_runs", "state_history"]

_UTC = _dt.timezone.utc
# A task run as readers see it: its history comes from state_history(), not with every row.
_TASK_RUN = select(*(c for c in task_runs.c if c.name != "history"))
# A flow run's state as state_history() shows it.
_FLOW_STATE = select(*(c for c in run_states.c if c.name != "flow_run_id"))


def get_flow_run(engine: Engine, flow_run_id: str) -> dict[str, Any] | None:
    """One flow run with its current state and ``recorded`` outputs; None if there is none."""
    with read_connection(engine) as conn:
        row = conn.execute(select(flow_runs).where(flow_runs.c.id == flow_run_id)).mappings().first()
        if row is None:
            return None
        out = run_dict(row)
        out["recorded"] = recorded_values(conn, flow_run_id)
    return out


def get_task_run(engine: Engine, task_run_id: str) -> dict[str, Any] | None:
    """One task run with its current state; None if there is none."""
    with read_connection(engine) as conn:
        row = conn.execute(_TASK_RUN.where(task_runs.c.id == task_run_id)).mappings().first()
    return None if row is None else run_dict(row)


def list_flow_runs(engine: Engine, **filters: Any) -> tuple[list[dict[str, Any]], int]:
    """A page of flow runs, newest first, and how many match in total (counted exactly).

    ``filters``: the keyword arguments of ``run_pages.flow_run_page``, whose pages (with a
    cursor and a capped count) the API answers.
    """
    page = flow_run_page(engine, count_up_to=None, **filters)
    return page.items, page.total


def list_task_runs(engine: Engine, flow_run_id: str) -> list[dict[str, Any]]:
    """A flow run's task runs in the order they were created."""
    stmt = _TASK_RUN.where(task_runs.c.flow_run_id == flow_run_id).order_by(task_runs.c.created, task_runs.c.id)
    return [run_dict(r) for r in read_all(engine, stmt)]


def state_history(engine: Engine, kind: str, run_id: str) -> list[dict[str, Any]]:
    """Every state a run has been in, oldest first (the order they were written).

    Flow runs' states are ``run_states`` rows (``id`` is the row's); task runs' are the
    ``task_runs.history`` list (``id`` is the position in it). Same dict shape for both.
    """
    if kind == "task":
        stmt = select(task_runs.c.history).where(task_runs.c.id == run_id)
        with read_connection(engine) as conn:
            entries = conn.execute(stmt).scalar()
        return [
            {
                "id": i,
                "type": e[0],
                "name": e[1],
                "message": e[3],
                "timestamp": iso(_dt.datetime.fromtimestamp(e[2], _UTC)),
                "details": e[4] if len(e) > 4 else {},
            }
            for i, e in enumerate(entries or ())
        ]
    if kind != "flow":
        raise ValueError(f"kind must be 'flow' or 'task', not {kind!r}")
    stmt = _FLOW_STATE.where(run_states.c.flow_run_id == run_id).order_by(run_states.c.id)
    return [{**r, "timestamp": iso(r["timestamp"]), "details": r["details"] or {}} for r in read_all(engine, stmt)]
