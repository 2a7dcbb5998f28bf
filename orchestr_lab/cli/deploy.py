"""``orchestr-lab deploy``: create or update a deployment of a notebook or a flow entrypoint.

Declarative: running the same command again leaves the deployment as the command describes it
(its parameters, schedule, pool, queue, job variables, retries, timeout and tags are replaced), so it belongs in a
Makefile or CI job. The name is the key; a deployment keeps what it runs. What it sends is
built by ``sdk/specs.py``, which ``%orchestr schedule`` and ``deploy()`` use too.
"""

from __future__ import annotations

import json
from typing import Any

import click

from ..sdk.specs import check_same_target, deploy_target, schedule_specs, typed_values
from . import _output as out
from ._api import Backend, api_options
from ._job_variables import job_variable_options, job_variables_from
from ._options import json_option, parameter_option, retry_options, seconds_option

__all__ = ["deploy"]


@click.command("deploy")
@click.argument("target", metavar="NOTEBOOK|FILE.py:FLOW")
@click.option("--name", "-n", required=True, help="The deployment's name (created, or updated if it exists).")
@click.option("--cron", metavar="EXPR", help='Run on a cron schedule, e.g. "0 9 * * 1-5".')
@click.option(
    "--timezone",
    default="UTC",
    show_default=True,
    metavar="TZ",
    help="Time zone of --cron/--interval, e.g. Europe/Paris.",
)
@seconds_option("--interval", help="Run every SECONDS instead.")
@parameter_option("A default parameter value (repeatable).")
@click.option("--queue", "-q", "work_queue", default="default", show_default=True, help="Work queue of its runs.")
@click.option("--pool", "work_pool_name", metavar="POOL", help="Work pool of its runs (its own queue unless --queue).")
@job_variable_options("its runs (over the pool's)")
@retry_options(retries_help="Retries of a failed run.")
@seconds_option("--timeout", help="Stop a run (FAILED, TimedOut) after this long.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--description", help="What it is for.")
@click.option("--paused/--active", default=None, help="Create or leave it paused (schedules do not fire).")
@json_option("Print the deployment as JSON.")
@api_options
def deploy(
    backend: Backend,
    target: str,
    name: str,
    cron: str | None,
    timezone: str,
    interval: float | None,
    pairs: tuple[tuple[str, str], ...],
    work_queue: str,
    work_pool_name: str | None,
    variable_pairs: tuple[str, ...],
    variables_json: str | None,
    retries: int,
    retry_delay: float,
    timeout: float | None,
    tags: tuple[str, ...],
    description: str | None,
    paused: bool | None,
    as_json: bool,
) -> None:
    """Create or update the deployment NAME of a notebook or a flow entrypoint."""
    field, path = deploy_target(backend, target)
    specs = backend.notebook_parameters(path) if field == "notebook" else None
    settings: dict[str, Any] = {
        "parameters": typed_values(pairs, specs),
        "schedules": schedule_specs(cron, timezone, interval),
        "work_queue": work_queue,
        "job_variables": job_variables_from(variable_pairs, variables_json) or {},
        "retries": retries,
        "retry_delay_seconds": retry_delay,
        "timeout_seconds": timeout,
        "tags": list(tags),
    }
    if work_pool_name is not None:
        settings["work_pool_name"] = work_pool_name
    if description is not None:
        settings["description"] = description
    if paused is not None:
        settings["paused"] = paused

    existing = backend.get_deployment(name)
    if existing is None:
        dep = backend.create_deployment({"name": name, field: path, **settings})
        verb = "created"
    else:
        check_same_target(existing, field, path, backend)
        dep = backend.update_deployment(existing["id"], settings)
        verb = "updated"
    _print(dep, verb, as_json=as_json)


def _print(dep: dict[str, Any], verb: str, *, as_json: bool) -> None:
    if as_json:
        out.echo_json(dep)
        return
    what = dep.get("notebook") or dep.get("entrypoint")
    if not out.is_tty():
        out.tsv(verb, dep["name"], what, dep["id"])
        for when in dep.get("next_runs") or []:
            out.tsv("next", when)
        return
    console = out.console()
    state = " [yellow](paused)[/yellow]" if dep.get("paused") else ""
    console.print(f"{verb} deployment [bold]{dep['name']}[/bold]{state} [dim]{dep['id']}[/dim]  {what}")
    if dep.get("job_variables") or dep.get("work_pool_name") not in (None, "default"):
        console.print(
            f"work pool {dep.get('work_pool_name')}, job variables {json.dumps(dep.get('job_variables') or {})}"
        )
    if dep.get("next_runs"):
        console.print("next runs: " + ", ".join(out.fmt_local(t) for t in dep["next_runs"][:3]))
    elif not dep.get("schedules"):
        console.print(f"[dim]no schedule; run it with: orchestr-lab deployments run {dep['name']}[/dim]")
