"""Flow runs: filter and page, one run, its task runs, logs, recorded outputs, executed notebook;
cancel, retry, delete; one task run."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.errors import NotFound, found
from ..core.schemas import FlowRunQuery, LogQuery, RetryRequest
from . import Context

__all__ = [
    "cancel_flow_run",
    "checked_run_id",
    "delete_flow_run",
    "flow_run_out",
    "get_flow_run",
    "get_task_run",
    "list_flow_runs",
    "list_logs",
    "list_recorded",
    "list_task_runs",
    "notebooks_dir",
    "output_notebook",
    "retry_flow_run",
]


def checked_run_id(flow_run_id: str) -> str:
    """``flow_run_id`` if it has the form of a run id; a 404 otherwise (no run has such an id,
    and an id is used in file names: ``../x`` must never reach one)."""
    from ..core.ids import is_run_id

    if not is_run_id(flow_run_id):
        raise NotFound(f"No flow run with id {flow_run_id!r} (run ids are UUIDs)")
    return flow_run_id


def notebooks_dir(ctx: Context) -> Path:
    """Where executed notebooks live: ``<results>/notebooks``, the only folder they are served from."""
    from ..core.settings import results_dir

    return (ctx.results_dir or results_dir()) / "notebooks"


def flow_run_out(run: dict[str, Any]) -> dict[str, Any]:
    """A stored run as the API shows it: with the cell a retry can resume at (``resume_from``
    itself holds paths on the server, not for clients)."""
    from ..store.deployment_runs import resumable_cell

    return {**run, "resume_cell": resumable_cell(run)}


def _load(ctx: Context, flow_run_id: str) -> dict[str, Any]:
    from ..store.run_reads import get_flow_run as read

    return found(read(ctx.engine, checked_run_id(flow_run_id)), f"No flow run with id {flow_run_id!r}")


def list_flow_runs(ctx: Context, *, query: FlowRunQuery) -> dict[str, Any]:
    """``deployment_id`` may be a deployment's id or its name, as in ``/deployments/{id}``;
    one that names no deployment is a 404 (not an empty page that looks like "no runs yet")."""
    from ..core.page_cursor import decode_run_cursor
    from ..store.run_pages import flow_run_page

    deployment_id = query.deployment_id
    if deployment_id is not None:
        from .deployment_view import load_deployment

        deployment_id = load_deployment(ctx, deployment_id)["id"]
    page = flow_run_page(
        ctx.engine,
        state=query.state or None,
        flow_name=query.flow_name,
        deployment_id=deployment_id,
        flow_id=query.flow_id,
        after=query.start_after,
        before=query.start_before,
        limit=query.limit,
        offset=query.offset,
        cursor=None if query.cursor is None else decode_run_cursor(query.cursor),
    )
    return {**page._asdict(), "items": [flow_run_out(r) for r in page.items]}


def get_flow_run(ctx: Context, *, flow_run_id: str) -> dict[str, Any]:
    return flow_run_out(_load(ctx, flow_run_id))


def cancel_flow_run(ctx: Context, *, flow_run_id: str) -> dict[str, Any]:
    """SCHEDULED/PENDING runs end CANCELLED; a RUNNING one goes CANCELLING and its worker stops it."""
    from ..store.deployment_runs import cancel_run

    cancel_run(ctx.engine, checked_run_id(flow_run_id))
    return get_flow_run(ctx, flow_run_id=flow_run_id)


def retry_flow_run(ctx: Context, *, flow_run_id: str, body: RetryRequest) -> dict[str, Any]:
    """A FAILED/CRASHED/CANCELLED run is scheduled again now (same id, next attempt); with
    ``from_failed_cell``, a failed notebook run resumes at its failing cell."""
    from ..store.deployment_runs import retry_run

    retry_run(ctx.engine, checked_run_id(flow_run_id), from_failed_cell=body.from_failed_cell)
    # Read before waking the worker: the answer is what the request did (SCHEDULED "Rerun"),
    # not however far a woken worker got meanwhile.
    answer = get_flow_run(ctx, flow_run_id=flow_run_id)
    ctx.runs_due()
    return answer


def delete_flow_run(ctx: Context, *, flow_run_id: str) -> None:
    from ..store.deployment_runs import delete_run

    delete_run(ctx.engine, checked_run_id(flow_run_id))


def get_task_run(ctx: Context, *, task_run_id: str) -> dict[str, Any]:
    """One task run (a subflow run's ``parent_task_run_id`` names the flow run that called it)."""
    from ..core.ids import is_run_id
    from ..store.run_reads import get_task_run as read

    return found(
        read(ctx.engine, task_run_id) if is_run_id(task_run_id) else None, f"No task run with id {task_run_id!r}"
    )


def list_task_runs(ctx: Context, *, flow_run_id: str) -> list[dict[str, Any]]:
    """A run's task runs (a notebook run's cells), in the order they started."""
    from ..store.run_reads import list_task_runs as read

    _load(ctx, flow_run_id)
    return read(ctx.engine, flow_run_id)


def list_logs(ctx: Context, *, flow_run_id: str, query: LogQuery) -> list[dict[str, Any]]:
    """Log lines oldest first; ``after`` (the last id seen) lets a live view fetch only new ones."""
    from ..store.run_logs import get_logs

    _load(ctx, flow_run_id)
    return get_logs(ctx.engine, flow_run_id, after_id=query.after, limit=query.limit)


def list_recorded(ctx: Context, *, flow_run_id: str) -> list[dict[str, Any]]:
    """Everything ``record(...)`` stored during the run, in order (a name may repeat)."""
    from ..store.run_logs import get_recorded

    _load(ctx, flow_run_id)
    return get_recorded(ctx.engine, flow_run_id)


def output_notebook(ctx: Context, *, flow_run_id: str) -> dict[str, Any]:
    """The executed notebook (nbformat JSON) of a notebook run, once its worker has written it.

    Served only from the results folder's ``notebooks``: a stored path leading anywhere else
    (symlinks included) is never read.
    """
    from ..core.errors import PathOutsideRoot
    from ..workers.paths import resolve_under

    run = _load(ctx, flow_run_id)
    stored = run.get("output_notebook")
    try:
        path = resolve_under(notebooks_dir(ctx), stored, what="the results folder") if stored else None
    except PathOutsideRoot:
        raise NotFound(f"Flow run {flow_run_id!r} has no executed notebook in the results folder") from None
    if path is None or not path.is_file():
        raise NotFound(f"Flow run {flow_run_id!r} has no executed notebook (yet)")
    try:
        with open(path, encoding="utf-8") as f:
            notebook: dict[str, Any] = json.load(f)
    except (OSError, ValueError, RecursionError) as exc:  # RecursionError: JSON nested too deep
        raise NotFound(f"The executed notebook of flow run {flow_run_id!r} cannot be read: {exc}") from None
    return notebook
