"""``orchestr-lab work-pools``: pools of work queues, their type, base job variables and limit
(Prefect's ``prefect work-pool``), on the local store or a server (``--api``)."""

from __future__ import annotations

import json
from typing import Any

import click

from . import _output as out
from ._api import Backend, remote_options
from ._job_variables import job_variable_options, job_variables_from
from ._options import json_option
from .variables import Column, print_rows

__all__ = ["work_pools"]

_limit = click.option(
    "--concurrency-limit", type=click.IntRange(min=1), help="At most this many of the pool's runs active at once."
)
_description = click.option("--description", help="What the pool is for.")


@click.group("work-pools")
def work_pools() -> None:
    """Work pools: queues grouped under a type (process, dask) with base job variables."""


def _schema_lines(schema: dict[str, Any]) -> list[str]:
    """One line per variable a pool type takes: name, JSON type, description."""
    lines = []
    for name, prop in (schema.get("properties") or {}).items():
        branches = [b for b in prop.get("anyOf", [prop]) if b.get("type") != "null"]
        kind = "/".join(str(b.get("type", "any")) for b in branches)
        description = prop.get("description") or next((b["description"] for b in branches if "description" in b), "")
        lines.append(f"  {name} ({kind}){': ' + description if description else ''}")
    return lines


def _show(pool: dict[str, Any], as_json: bool, *, schema: bool = False) -> None:
    if as_json:
        out.echo_json(pool)
        return
    click.echo(f"name: {pool['name']}")
    click.echo(f"type: {pool['type']}")
    click.echo(f"paused: {str(pool['paused']).lower()}")
    click.echo(f"concurrency_limit: {pool.get('concurrency_limit') or '-'}")
    if pool.get("description"):
        click.echo(f"description: {pool['description']}")
    click.echo(f"queues: {', '.join(pool['queues']) or '-'}")
    click.echo(f"base_job_variables: {json.dumps(pool['base_job_variables'])}")
    if schema:
        click.echo(f"job variables of a {pool['type']} pool:")
        for line in _schema_lines(pool["job_variables_schema"]):
            click.echo(line)


@work_pools.command("ls")
@json_option("Print the pools as JSON.")
@remote_options
def ls(backend: Backend, as_json: bool) -> None:
    """List pools: name, type, paused, limit, queues, base job variables."""
    items = backend.list_work_pools()
    if as_json:
        out.echo_json(items)
        return
    columns: list[Column] = [
        ("name", lambda p: p["name"]),
        ("type", lambda p: p["type"]),
        ("status", lambda p: "paused" if p["paused"] else "ready"),
        ("limit", lambda p: p.get("concurrency_limit")),
        ("queues", lambda p: ",".join(p["queues"])),
        ("base job variables", lambda p: json.dumps(p["base_job_variables"]) if p["base_job_variables"] else ""),
    ]
    print_rows(items, columns, empty="No work pools.")


@work_pools.command("create")
@click.argument("name")
@click.option(
    "--type",
    "pool_type",
    type=click.Choice(["process", "dask"]),
    default="process",
    show_default=True,
    help="Its type.",
)
@job_variable_options("every run of the pool")
@_limit
@_description
@click.option("--paused", is_flag=True, help="Create it paused (its runs wait).")
@json_option("Print the new pool as JSON.")
@remote_options
def create(
    backend: Backend,
    name: str,
    pool_type: str,
    variable_pairs: tuple[str, ...],
    variables_json: str | None,
    concurrency_limit: int | None,
    description: str | None,
    paused: bool,
    as_json: bool,
) -> None:
    """Create pool NAME (with its own queue NAME)."""
    spec: dict[str, Any] = {"name": name, "type": pool_type, "paused": paused}
    spec["base_job_variables"] = job_variables_from(variable_pairs, variables_json) or {}
    if concurrency_limit is not None:
        spec["concurrency_limit"] = concurrency_limit
    if description is not None:
        spec["description"] = description
    _show(backend.create_work_pool(spec), as_json)


@work_pools.command("inspect")
@click.argument("name")
@json_option("Print the pool (with its type's JSON schema) as JSON.")
@remote_options
def inspect(backend: Backend, name: str, as_json: bool) -> None:
    """Show pool NAME: its base job variables and the variables its type takes."""
    from ..core.errors import NotFound

    pool = backend.get_work_pool(name)
    if pool is None:
        raise NotFound(f"No work pool named {name!r}")
    _show(pool, as_json, schema=True)


@work_pools.command("update")
@click.argument("name")
@job_variable_options("every run of the pool (replaces the whole set)")
@_limit
@click.option("--clear-concurrency-limit", is_flag=True, help="Remove the pool's concurrency limit.")
@_description
@json_option("Print the pool as JSON.")
@remote_options
def update(
    backend: Backend,
    name: str,
    variable_pairs: tuple[str, ...],
    variables_json: str | None,
    concurrency_limit: int | None,
    clear_concurrency_limit: bool,
    description: str | None,
    as_json: bool,
) -> None:
    """Change pool NAME's base job variables, concurrency limit or description."""
    changes: dict[str, Any] = {}
    variables = job_variables_from(variable_pairs, variables_json)
    if variables is not None:
        changes["base_job_variables"] = variables
    if concurrency_limit is not None and clear_concurrency_limit:
        raise click.UsageError("give --concurrency-limit or --clear-concurrency-limit, not both")
    if concurrency_limit is not None or clear_concurrency_limit:
        changes["concurrency_limit"] = concurrency_limit
    if description is not None:
        changes["description"] = description
    if not changes:
        raise click.UsageError(
            "nothing to change: give -v NAME=VALUE, --job-variables, --concurrency-limit, "
            "--clear-concurrency-limit or --description"
        )
    _show(backend.update_work_pool(name, changes), as_json)


def _set_paused(paused: bool) -> click.Command:
    @click.argument("name")
    @remote_options
    def command(backend: Backend, name: str) -> None:
        backend.update_work_pool(name, {"paused": paused})
        click.echo(f"{'Paused' if paused else 'Resumed'} work pool {name!r}.")

    command.__doc__ = "Pause pool NAME (its runs wait)." if paused else "Resume pool NAME (its runs are claimed again)."
    return work_pools.command("pause" if paused else "resume")(command)


pause, resume = _set_paused(True), _set_paused(False)


@work_pools.command("delete")
@click.argument("name")
@remote_options
def delete(backend: Backend, name: str) -> None:
    """Delete pool NAME (its queues go back to the default pool)."""
    backend.delete_work_pool(name)
    click.echo(f"Deleted work pool {name!r}.")
