"""Deployments: create (checked against the notebook under the root), read, update, delete,
pause/resume, run now with parameter overrides, upcoming fire times."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..core.errors import Conflict, ParameterTypeError
from ..core.page_cursor import ListPage
from ..core.schemas import (
    DeploymentCreate,
    DeploymentQuery,
    DeploymentUpdate,
    FlowRunCreate,
    NextRunsQuery,
    SchedulePreview,
)
from ..workers.paths import relative_to_root, resolve_under_root
from . import Context, field_error
from .deployment_view import load_deployment
from .runs import flow_run_out

__all__ = [
    "create_deployment",
    "delete_deployment",
    "deployment_notebook",
    "get_deployment",
    "list_deployments",
    "next_runs",
    "notebook_parameters",
    "pause_deployment",
    "preview_schedule",
    "resume_deployment",
    "run_deployment",
    "update_deployment",
]


def _describe(ctx: Context, dep: dict[str, Any]) -> dict[str, Any]:
    from .deployment_view import describe

    return describe(ctx.engine, dep)


def _target(ctx: Context, field: str, value: str) -> tuple[str, Path]:
    """The notebook/entrypoint path relative to the root, and its absolute file (which must exist)."""
    # The model checked the form (``file.py:function``); here the file must be there, and be one.
    path, _, flow = value.rpartition(":") if field == "entrypoint" else (value, "", "")
    relative = relative_to_root(ctx.root_dir, path)
    absolute = resolve_under_root(ctx.root_dir, relative)
    if not absolute.is_file():
        raise field_error(field, f"no file {relative!r} under the server root", value)
    suffix = ".py" if field == "entrypoint" else ".ipynb"
    if absolute.suffix != suffix:
        kind = "a Python file" if field == "entrypoint" else "a notebook"
        raise field_error(field, f"{relative!r} is not {kind} ({suffix})", value)
    return (f"{relative}:{flow}" if field == "entrypoint" else relative), absolute


def notebook_parameters(notebook: Path, values: Mapping[str, Any], *, known_only: bool = False) -> dict[str, Any]:
    """``values`` checked against ``notebook``'s parameters cell and coerced to its types.

    The one place that reads a notebook's parameters and checks values against them, for the
    API's deployments and for automations' downstream runs alike. ``known_only`` drops names
    the notebook does not declare instead of rejecting them (an automation offers every output
    the upstream run recorded; the target takes the ones it declares). Raises
    ``FileNotFoundError`` for a missing notebook, ``ParameterTypeError`` for values that do
    not fit, and nbformat's ``ValueError`` for a file that is not a notebook.
    """
    from ..core.notebook_parameters import validate_notebook_parameters
    from ..workers.notebook_files import read_notebook_parameters

    specs = read_notebook_parameters(notebook)
    if known_only:
        names = {s["name"] for s in specs}
        values = {k: v for k, v in values.items() if k in names}
    return validate_notebook_parameters(specs, values) if values else {}


def _checked_parameters(notebook: Path | None, values: dict[str, Any]) -> dict[str, Any]:
    """Notebook parameters coerced to the parameters cell's types; flows check their own at run time."""
    if notebook is None:
        return dict(values)
    try:
        return notebook_parameters(notebook, values)
    except ParameterTypeError:
        raise  # values that do not fit: the handler reports each name
    except ValueError as exc:  # nbformat's NotJSONError and friends: not a notebook at all
        raise field_error("notebook", f"not a readable notebook: {exc}", notebook.name) from None


def create_deployment(ctx: Context, *, body: DeploymentCreate) -> dict[str, Any]:
    """A new deployment; 409 if the name is taken (the CLI's ``deploy`` updates instead)."""
    from ..store.deployments import create_deployment as create

    spec = body.model_dump()
    notebook: Path | None = None
    if body.notebook is not None:
        spec["notebook"], notebook = _target(ctx, "notebook", body.notebook)
    else:
        spec["entrypoint"], _ = _target(ctx, "entrypoint", body.entrypoint or "")
    spec["parameters"] = _checked_parameters(notebook, body.parameters)
    return _describe(ctx, create(ctx.engine, spec))


def list_deployments(ctx: Context, *, query: DeploymentQuery | None = None) -> ListPage:
    """A page of deployments by name (the first, by default), described; the page says where
    the next one starts (``next_cursor``) and how many deployments there are."""
    from ..core.page_cursor import decode_deployment_cursor, deployment_cursor
    from ..store.deployments import count_deployments, list_deployments as read
    from .deployment_view import describe_all

    query = query or DeploymentQuery()
    after = None if query.cursor is None else decode_deployment_cursor(query.cursor)
    deps = read(ctx.engine, limit=query.limit + 1, offset=query.offset, after_name=after)
    more = len(deps) > query.limit
    deps = deps[: query.limit]
    return ListPage(
        describe_all(ctx.engine, deps),
        next_cursor=deployment_cursor(deps[-1]["name"]) if more else None,
        total=count_deployments(ctx.engine),
    )


def get_deployment(ctx: Context, *, deployment_id: str) -> dict[str, Any]:
    return _describe(ctx, load_deployment(ctx, deployment_id))


def update_deployment(ctx: Context, *, deployment_id: str, body: DeploymentUpdate) -> dict[str, Any]:
    """Change only the fields sent; new default parameters are checked like on create."""
    from ..store.deployments import update_deployment as update

    dep = load_deployment(ctx, deployment_id)
    changes = body.model_dump(exclude_unset=True)
    if "parameters" in changes and dep.get("notebook"):
        _, notebook = _target(ctx, "notebook", dep["notebook"])
        changes["parameters"] = _checked_parameters(notebook, changes["parameters"])
    return _describe(ctx, update(ctx.engine, dep["id"], changes))


def delete_deployment(ctx: Context, *, deployment_id: str) -> None:
    """Gone, with its scheduled runs; finished runs stay in the history."""
    from ..store.deployments import delete_deployment as delete

    delete(ctx.engine, load_deployment(ctx, deployment_id)["id"])


def pause_deployment(ctx: Context, *, deployment_id: str) -> dict[str, Any]:
    return update_deployment(ctx, deployment_id=deployment_id, body=DeploymentUpdate(paused=True))


def resume_deployment(ctx: Context, *, deployment_id: str) -> dict[str, Any]:
    return update_deployment(ctx, deployment_id=deployment_id, body=DeploymentUpdate(paused=False))


def deployment_notebook(ctx: Context, dep: Mapping[str, Any]) -> Path | None:
    """A notebook deployment's notebook under the root (409 if it is gone); None for a flow entrypoint."""
    if not dep.get("notebook"):
        return None
    notebook = resolve_under_root(ctx.root_dir, dep["notebook"])
    if not notebook.is_file():
        raise Conflict(f"The notebook of deployment {dep['name']!r} is gone: {dep['notebook']!r}")
    return notebook


def run_deployment(ctx: Context, *, deployment_id: str, body: FlowRunCreate) -> dict[str, Any]:
    """A run scheduled now; ``parameters`` override the defaults and are checked against the notebook."""
    from ..store.deployment_runs import create_deployment_run
    from ..store.work_pools import run_job_variables

    dep = load_deployment(ctx, deployment_id)
    parameters = _checked_parameters(deployment_notebook(ctx, dep), body.parameters)
    job_variables = run_job_variables(ctx.engine, dep["work_queue"], body.job_variables)
    run = create_deployment_run(ctx.engine, dep, parameters=parameters, name=body.name, job_variables=job_variables)
    ctx.runs_due()
    return flow_run_out(run)


def _fire_times(schedules: list[dict[str, Any]], n: int) -> list[str]:
    from .deployment_view import next_fire_times

    return [t.isoformat() for t in next_fire_times(schedules, n)]


def next_runs(ctx: Context, *, deployment_id: str, query: NextRunsQuery) -> dict[str, Any]:
    """When the deployment's schedules fire next (none while it is paused)."""
    dep = load_deployment(ctx, deployment_id)
    return {"next_runs": [] if dep.get("paused") else _fire_times(dep.get("schedules") or [], query.n)}


def preview_schedule(ctx: Context, *, body: SchedulePreview) -> dict[str, Any]:
    """Fire times of a schedule that is not saved yet (the sidebar's form shows them)."""
    spec = body.model_dump(exclude={"n"})
    spec["active"] = True
    return {"next_runs": _fire_times([spec], body.n)}
