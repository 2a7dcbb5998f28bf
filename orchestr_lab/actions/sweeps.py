"""Sweeps: run a deployment over a parameter grid or list, read the members as one table
(JSON or CSV), retry only the failed members, cancel the whole sweep.

Each member is a normal deployment run (created like ``run_deployment``'s, its parameters
checked against the notebook the same way); the store's claims keep at most ``max_parallel``
members active at once.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from ..core.documents import Document
from ..core.errors import Conflict
from ..core.schemas_sweeps import SweepCreate, SweepQuery, SweepTableQuery
from . import Context
from .deployment_view import load_deployment
from .deployments import _checked_parameters, deployment_notebook

__all__ = [
    "cancel_sweep",
    "create_sweep",
    "csv_text",
    "get_sweep",
    "list_sweeps",
    "retry_sweep",
    "sweep_table",
    "table_of",
]


def create_sweep(ctx: Context, *, deployment_id: str, body: SweepCreate) -> dict[str, Any]:
    """A sweep of the deployment: one SCHEDULED run per parameter set, each checked like a run's."""
    from ..store.sweeps import create_sweep as create
    from ..store.work_pools import run_job_variables

    dep = load_deployment(ctx, deployment_id)
    notebook = deployment_notebook(ctx, dep)
    members = [_checked_parameters(notebook, values) for values in body.members()]
    job_variables = run_job_variables(ctx.engine, dep["work_queue"], {})
    sweep_id = create(
        ctx.engine,
        dep,
        members,
        max_parallel=body.max_parallel,
        parameter_names=body.parameter_names(),
        job_variables=job_variables,
    )
    ctx.runs_due()
    return get_sweep(ctx, sweep_id=sweep_id)


def list_sweeps(ctx: Context, *, query: SweepQuery) -> dict[str, Any]:
    """Sweeps newest first (of one deployment, by id or name, if asked), without their members."""
    from ..store.sweeps import list_sweeps as read

    deployment_id = None if query.deployment_id is None else load_deployment(ctx, query.deployment_id)["id"]
    items, total = read(ctx.engine, deployment_id=deployment_id, limit=query.limit, offset=query.offset)
    return {"items": items, "total": total}


def get_sweep(ctx: Context, *, sweep_id: str) -> dict[str, Any]:
    from ..store.sweeps import read_sweep

    return read_sweep(ctx.engine, sweep_id)


def table_of(sweep: dict[str, Any]) -> dict[str, Any]:
    """A sweep as one table: index, parameters, state, duration, then the recorded outputs."""
    params, outputs = sweep["parameter_names"], sweep["output_names"]
    columns = ["index", *params, "state", "duration", *outputs]
    rows = [
        [
            m["index"],
            *(m["parameters"].get(p) for p in params),
            m["state"]["type"],
            m["duration"],
            *(m["outputs"].get(o) for o in outputs),
        ]
        for m in sweep["members"]
    ]
    return {"columns": columns, "rows": rows}


def _csv_cell(value: Any) -> Any:
    """Scalars as they are; lists and objects as JSON text (a CSV cell holds one value)."""
    return json.dumps(value) if isinstance(value, (dict, list)) else "" if value is None else value


def csv_text(table: dict[str, Any]) -> str:
    """A ``{columns, rows}`` table as CSV, header row first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(table["columns"])
    writer.writerows([_csv_cell(v) for v in row] for row in table["rows"])
    return out.getvalue()


def sweep_table(ctx: Context, *, sweep_id: str, query: SweepTableQuery) -> Any:
    """The table as JSON ``{columns, rows}`` or as CSV text (header row first)."""
    table = table_of(get_sweep(ctx, sweep_id=sweep_id))
    return table if query.format == "json" else Document(csv_text(table), "text/csv; charset=utf-8")


def retry_sweep(ctx: Context, *, sweep_id: str) -> dict[str, Any]:
    """Rerun only the members that FAILED, CRASHED or were CANCELLED (409 while the sweep runs)."""
    from ..store.sweeps import retry_sweep_members

    retry_sweep_members(ctx.engine, sweep_id)
    answer = get_sweep(ctx, sweep_id=sweep_id)
    ctx.runs_due()
    return answer


def cancel_sweep(ctx: Context, *, sweep_id: str) -> dict[str, Any]:
    """Cancel every member not final: waiting ones never start, running ones are stopped."""
    from ..store.deployment_runs import cancel_run
    from ..store.sweeps import mark_cancelled, sweep_member_ids

    mark_cancelled(ctx.engine, sweep_id)
    active = ("SCHEDULED", "PENDING", "RUNNING", "PAUSED")
    for run_id in sweep_member_ids(ctx.engine, sweep_id, active):
        try:
            cancel_run(ctx.engine, run_id)
        except Conflict:  # it finished meanwhile
            continue
    return get_sweep(ctx, sweep_id=sweep_id)
