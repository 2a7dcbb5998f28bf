"""``orchestr-lab deployments``: list deployments; trigger a run (and follow it to the end)."""

from __future__ import annotations

import json
import sys
import time
from typing import Any

import click

from ..sdk.specs import typed_values
from . import _output as out
from ._api import Backend, api_options
from ._options import json_option, parameter_option, poll_interval_option
from ._root import UserError
from .sweeps import sweep_command

__all__ = ["deployments"]

_NO_WORKER_HINT = 10.0  # seconds a run may wait for a worker before we say what is missing


@click.group()
def deployments() -> None:
    """List and run deployments."""


def _schedule_text(dep: dict[str, Any]) -> str:
    parts = []
    for s in dep.get("schedules") or []:
        text = f"cron {s['cron']}" if s.get("cron") else f"every {s['interval']:g}s"
        if s.get("timezone") and s["timezone"] != "UTC":
            text += f" ({s['timezone']})"
        if not s.get("active", True):
            text += " [inactive]"
        parts.append(text)
    return "; ".join(parts)


def _pool_text(dep: dict[str, Any]) -> str:
    """The pool, with the deployment's own job variables when it has some."""
    pool = dep.get("work_pool_name") or "-"
    return f"{pool} {json.dumps(dep['job_variables'])}" if dep.get("job_variables") else pool


@deployments.command("ls")
@json_option("Print the deployments as JSON.")
@api_options
def ls(backend: Backend, as_json: bool) -> None:
    """List deployments with their schedule, next run and last run (tab-separated when piped)."""
    items = backend.list_deployments()
    if as_json:
        out.echo_json(items)
        return
    if not out.is_tty():
        for dep in items:
            last = dep.get("last_run") or {}
            out.tsv(
                dep["name"],
                dep.get("notebook") or dep.get("entrypoint"),
                _schedule_text(dep),
                (dep.get("next_runs") or [None])[0],
                "paused" if dep["paused"] else "active",
                (last.get("state") or {}).get("type"),
                dep["id"],
                dep.get("work_pool_name"),
                json.dumps(dep.get("job_variables") or {}),
            )
        return
    from rich.table import Table

    console = out.console()
    if not items:
        console.print("No deployments. Create one with: orchestr-lab deploy NOTEBOOK --name NAME [--cron EXPR]")
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("name", "runs", "pool", "schedule", "next run", "last run", "id"):
        table.add_column(column, no_wrap=column != "runs")
    for dep in items:
        last = dep.get("last_run")
        next_run = "paused" if dep["paused"] else out.fmt_local((dep.get("next_runs") or [None])[0])
        table.add_row(
            dep["name"],
            dep.get("notebook") or dep.get("entrypoint"),
            _pool_text(dep),
            _schedule_text(dep) or "-",
            next_run,
            out.styled_state(last) if last else "-",
            dep["id"],
        )
    console.print(table)


@deployments.command("run")
@click.argument("name")
@parameter_option("Override a parameter for this run (repeatable).")
@click.option(
    "--watch", "-w", is_flag=True, help="Follow the run (states and logs) until it ends; exit 0 only if it COMPLETED."
)
@poll_interval_option("--watch")
@json_option("Print the run (the finished run with --watch) as JSON.")
@api_options
def run(
    backend: Backend,
    name: str,
    pairs: tuple[tuple[str, str], ...],
    watch: bool,
    interval: float,
    as_json: bool,
) -> None:
    """Run deployment NAME now (a worker, or a Jupyter server's local worker, executes it)."""
    dep = backend.get_deployment(name)
    if dep is None:
        raise UserError(f"no deployment named {name!r} (see: orchestr-lab deployments ls)")
    specs = backend.notebook_parameters(dep["notebook"]) if dep.get("notebook") and pairs else None
    created = backend.run_deployment(dep["id"], typed_values(pairs, specs))
    if not watch:
        if as_json:
            out.echo_json(created)
        else:
            out.tsv("scheduled", created["name"], created["id"])
        return
    if not as_json:
        click.echo(f"run {created['name']} {created['id']} of deployment {dep['name']}", err=not out.is_tty())
    final = _follow(backend, created, interval=interval, quiet=as_json)
    if as_json:
        out.echo_json(final)
    if out.state_type(final) != "COMPLETED":
        message = (final.get("state") or {}).get("message")
        raise UserError(f"run {final['name']} ended {out.state_label(final)}" + (f": {message}" if message else ""))


def _follow(backend: Backend, run: dict[str, Any], *, interval: float, quiet: bool) -> dict[str, Any]:
    """Print state changes and new log lines until the run is final; returns the final run."""
    after: int | None = None
    seen_state = None
    started = time.monotonic()
    hinted = False
    while True:
        run = backend.get_run(run["id"])
        label = out.state_label(run)
        finished = out.state_type(run) in out.FINAL  # read before the logs: no line is missed
        if label != seen_state and not quiet:
            click.secho(
                f"state: {label}", fg=out.STATE_STYLES.get(out.state_type(run), "").split(" ")[-1] or None, err=True
            )
            seen_state = label
        lines = backend.logs(run["id"], after)
        for line in lines:
            if not quiet:
                click.echo(line["message"])
        if lines:
            after = lines[-1]["id"]
        if finished:
            return run
        if (
            not hinted
            and not quiet
            and out.state_type(run) == "SCHEDULED"
            and time.monotonic() - started > _NO_WORKER_HINT
        ):
            hinted = True
            click.echo(
                "still waiting for a worker: start one with `orchestr-lab worker` (or run a Jupyter "
                "server with orchestr-lab), serving this deployment's queue",
                err=True,
            )
        time.sleep(interval)
        sys.stdout.flush()


deployments.add_command(sweep_command, "sweep")  # defined with the sweeps group
