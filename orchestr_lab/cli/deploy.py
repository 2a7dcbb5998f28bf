"""``orchestr-lab deploy``: create or update a deployment of a notebook or a flow entrypoint.

Declarative: running the same command again leaves the deployment as the command describes it
(its parameters, schedule, queue, retries, timeout and tags are replaced), so it belongs in a
Makefile or CI job. The name is the key; a deployment keeps what it runs.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path
from typing import Any

import click

from . import _output as out
from ._api import Backend, api_options, backend_from
from ._root import CliState, UserError

__all__ = ["deploy", "typed_values"]


def _json_or_text(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return text


def typed_values(pairs: tuple[tuple[str, str], ...], specs: list[dict[str, Any]] | None) -> dict[str, Any]:
    """``-p NAME VALUE`` pairs as values: text for typed notebook parameters (the server coerces
    "3" to an int parameter's 3 and keeps "007" for a str one), JSON-or-text otherwise."""
    types = {s["name"]: s.get("type") for s in specs or []}
    return {
        name: value if types.get(name) not in (None, "None") else _json_or_text(value)
        for name, value in pairs
    }


def _is_entrypoint(target: str) -> bool:
    path, sep, name = target.rpartition(":")
    return bool(sep) and path.endswith(".py") and name.isidentifier()


def _target(backend: Backend, target: str) -> tuple[str, str]:
    """``("notebook"|"entrypoint", path)``: local paths are absolute (the store keeps them relative
    to --root); with --api they are sent as given, relative to the server's root."""
    field = "entrypoint" if _is_entrypoint(target) else "notebook"
    if backend.is_remote():
        return field, target
    path, sep, flow = target.rpartition(":") if field == "entrypoint" else (target, "", "")
    absolute = str(Path(path).expanduser().resolve())
    return field, f"{absolute}{sep}{flow}"


def _schedules(cron: str | None, timezone: str, interval: float | None) -> list[dict[str, Any]]:
    if cron and interval:
        raise UserError("give --cron or --interval, not both")
    if cron:
        return [{"cron": cron, "timezone": timezone}]
    if interval:
        return [{"interval": interval, "timezone": timezone}]
    return []


@click.command("deploy")
@click.argument("target", metavar="NOTEBOOK|FILE.py:FLOW")
@click.option("--name", "-n", required=True, help="The deployment's name (created, or updated if it exists).")
@click.option("--cron", metavar="EXPR", help='Run on a cron schedule, e.g. "0 9 * * 1-5".')
@click.option("--timezone", default="UTC", show_default=True, metavar="TZ",
              help="Time zone of --cron/--interval, e.g. Europe/Paris.")
@click.option("--interval", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Run every SECONDS instead.")
@click.option("-p", "--parameter", "pairs", nargs=2, multiple=True, metavar="NAME VALUE",
              help="A default parameter value (repeatable).")
@click.option("--queue", "-q", "work_queue", default="default", show_default=True, help="Work queue of its runs.")
@click.option("--retries", default=0, show_default=True, type=click.IntRange(min=0),
              help="Retries of a failed run.")
@click.option("--retry-delay", default=0.0, show_default=True, type=click.FloatRange(min=0), metavar="SECONDS")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), metavar="SECONDS",
              help="Stop a run (FAILED, TimedOut) after this long.")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--description", help="What it is for.")
@click.option("--paused/--active", default=None, help="Create or leave it paused (schedules do not fire).")
@click.option("--json", "as_json", is_flag=True, help="Print the deployment as JSON.")
@api_options
@click.pass_obj
def deploy(state: CliState, target: str, name: str, cron: str | None, timezone: str, interval: float | None,
           pairs: tuple[tuple[str, str], ...], work_queue: str, retries: int, retry_delay: float,
           timeout: float | None, tags: tuple[str, ...], description: str | None, paused: bool | None,
           as_json: bool, api_url: str | None, token: str | None, root: str | None) -> None:
    """Create or update the deployment NAME of a notebook or a flow entrypoint."""
    backend = backend_from(state, api_url, token, root)
    field, path = _target(backend, target)
    specs = backend.notebook_parameters(path) if field == "notebook" else None
    settings: dict[str, Any] = {
        "parameters": typed_values(pairs, specs),
        "schedules": _schedules(cron, timezone, interval),
        "work_queue": work_queue,
        "retries": retries,
        "retry_delay_seconds": retry_delay,
        "timeout_seconds": timeout,
        "tags": list(tags),
    }
    if description is not None:
        settings["description"] = description
    if paused is not None:
        settings["paused"] = paused

    existing = backend.get_deployment(name)
    if existing is None:
        dep = backend.create_deployment({"name": name, field: path, **settings})
        verb = "created"
    else:
        _check_same_target(existing, field, path, backend)
        dep = backend.update_deployment(existing["id"], settings)
        verb = "updated"
    _print(dep, verb, as_json=as_json)


def _split(field: str, value: str) -> tuple[str, str]:
    path, _, flow = value.rpartition(":") if field == "entrypoint" else (value, "", "")
    return path, flow


def _check_same_target(existing: dict[str, Any], field: str, path: str, backend: Backend) -> None:
    """A deployment keeps what it runs: deploying something else under its name is refused."""
    stored = existing.get(field)
    if stored is not None:
        stored_path, stored_flow = _split(field, stored)
        given_path, flow = _split(field, path)
        if backend.is_remote():  # the server's root is unknown here: compare as the server will see it
            given = posixpath.normpath(given_path)
            same_file = given == stored_path or given.endswith("/" + stored_path)
        else:
            same_file = (getattr(backend, "root") / stored_path).resolve() == Path(given_path).resolve()
        if same_file and stored_flow == flow:
            return
    what = existing.get("notebook") or existing.get("entrypoint")
    raise UserError(f"deployment {existing['name']!r} runs {what}, not {path}; choose another --name")


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
    if dep.get("next_runs"):
        console.print("next runs: " + ", ".join(out.fmt_local(t) for t in dep["next_runs"][:3]))
    elif not dep.get("schedules"):
        console.print(f"[dim]no schedule; run it with: orchestr-lab deployments run {dep['name']}[/dim]")
