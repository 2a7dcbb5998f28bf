"""``orchestr-lab sweeps``: list sweeps, show one, print its results table, retry its failed
members, cancel it; and ``orchestr-lab deployments sweep`` (:func:`sweep_command`), which starts one."""

from __future__ import annotations

import time
from typing import Any

import click

from ..sdk.specs import typed_values
from . import _output as out
from ._api import Backend, api_options
from ._options import json_option, parameter_option
from ._root import UserError

__all__ = ["print_table", "sweep_command", "sweeps"]


def format_option(help: str = "Table format.") -> Any:
    """``--format table|csv|json``: how the results table prints."""
    choice = click.Choice(["table", "csv", "json"])
    return click.option("--format", "fmt", type=choice, default="table", show_default=True, help=help)


@click.group()
def sweeps() -> None:
    """Sweeps: one deployment run over many parameter sets."""


def _counts_text(sweep: dict[str, Any]) -> str:
    return ", ".join(f"{n} {state}" for state, n in sorted(sweep["counts"].items()))


def print_table(table: dict[str, Any], fmt: str) -> None:
    """The results table as JSON, CSV, a rich table on a terminal, or tab-separated lines."""
    if fmt == "json":
        out.echo_json(table)
        return
    if fmt == "csv":
        from ..actions.sweeps import csv_text

        click.echo(csv_text(table), nl=False)
        return
    if not out.is_tty():
        out.tsv(*table["columns"])
        for row in table["rows"]:
            out.tsv(*row)
        return
    from rich.table import Table

    rich_table = Table(box=None, header_style="bold", pad_edge=False)
    for column in table["columns"]:
        rich_table.add_column(str(column))
    for row in table["rows"]:
        rich_table.add_row(*("-" if v is None else str(v) for v in row))
    out.console().print(rich_table)


def _wait(backend: Backend, sweep_id: str, interval: float) -> dict[str, Any]:
    while True:
        sweep = backend.get_sweep(sweep_id)
        if sweep["state"] != "RUNNING":
            return sweep
        time.sleep(interval)


def _grid(pairs: tuple[tuple[str, str], ...], specs: list[dict[str, Any]] | None) -> dict[str, list[Any]]:
    """``-g NAME 1,2,3`` as ``{NAME: [1, 2, 3]}``, each value typed as ``-p`` types one."""
    grid: dict[str, list[Any]] = {}
    for name, text in pairs:
        grid.setdefault(name, []).extend(typed_values(((name, v.strip()),), specs)[name] for v in text.split(","))
    return grid


@click.command("sweep")
@click.argument("name")
@click.option(
    "-g",
    "--grid",
    "grid_pairs",
    nargs=2,
    multiple=True,
    metavar="NAME VALUES",
    help="A parameter and its values, comma-separated (repeatable).",
)
@parameter_option("A fixed parameter every member gets (repeatable).")
@click.option(
    "--max-parallel", type=click.IntRange(1, 64), default=4, show_default=True, help="Members running at once."
)
@click.option("--wait", is_flag=True, help="Wait for every member to end, then print the results table.")
@format_option("Table format with --wait.")
@api_options
def sweep_command(
    backend: Backend,
    name: str,
    grid_pairs: tuple[tuple[str, str], ...],
    pairs: tuple[tuple[str, str], ...],
    max_parallel: int,
    wait: bool,
    fmt: str,
) -> None:
    """Run deployment NAME once per combination of the -g values, at most --max-parallel at once.

    With --wait, print the results table once every member ended (exit 1 unless all COMPLETED).
    """
    dep = backend.get_deployment(name)
    if dep is None:
        raise UserError(f"no deployment named {name!r} (see: orchestr-lab deployments ls)")
    if not grid_pairs:
        raise UserError("give the grid with -g NAME VALUE,VALUE,... (repeatable)")
    specs = backend.notebook_parameters(dep["notebook"]) if dep.get("notebook") else None
    body = {"grid": _grid(grid_pairs, specs), "parameters": typed_values(pairs, specs), "max_parallel": max_parallel}
    created = backend.create_sweep(dep["id"], body)
    if not wait:
        out.tsv("sweep", created["id"], f"{len(created['members'])} members", f"max_parallel {max_parallel}")
        return
    click.echo(f"sweep {created['id']}: {len(created['members'])} members of {dep['name']}", err=True)
    final = _wait(backend, created["id"], 0.5)
    print_table(backend.sweep_table(created["id"]), fmt)
    if final["state"] != "COMPLETED":
        raise UserError(f"sweep {created['id']} ended {final['state']} ({_counts_text(final)})")


@sweeps.command("ls")
@click.option("--deployment", "-d", default=None, help="Only this deployment's sweeps (name or id).")
@json_option("Print the sweeps as JSON.")
@api_options
def ls(backend: Backend, deployment: str | None, as_json: bool) -> None:
    """List sweeps, newest first."""
    query = {"limit": 200, **({"deployment_id": deployment} if deployment else {})}
    page = backend.list_sweeps(query)
    if as_json:
        out.echo_json(page["items"])
        return
    for sweep in page["items"]:
        out.tsv(sweep["id"], sweep["deployment_name"], sweep["state"], _counts_text(sweep), sweep["created"])


@sweeps.command("show")
@click.argument("sweep_id")
@json_option("Print the sweep with its members as JSON.")
@api_options
def show(backend: Backend, sweep_id: str, as_json: bool) -> None:
    """Show a sweep: its state, counts and members."""
    sweep = backend.get_sweep(sweep_id)
    if as_json:
        out.echo_json(sweep)
        return
    click.echo(f"sweep {sweep['id']} of {sweep['deployment_name']}: {sweep['state']} ({_counts_text(sweep)})")
    for m in sweep["members"]:
        out.tsv(m["index"], m["flow_run_id"], m["state"]["type"], m["duration"], m["parameters"], m["outputs"])


@sweeps.command("table")
@click.argument("sweep_id")
@format_option()
@api_options
def table(backend: Backend, sweep_id: str, fmt: str) -> None:
    """Print a sweep's results: parameters, state, duration and recorded outputs per member."""
    print_table(backend.sweep_table(sweep_id), fmt)


@sweeps.command("retry")
@click.argument("sweep_id")
@api_options
def retry(backend: Backend, sweep_id: str) -> None:
    """Rerun only the members that failed, crashed or were cancelled."""
    sweep = backend.retry_sweep(sweep_id)
    out.tsv("retried", sweep["id"], _counts_text(sweep))


@sweeps.command("cancel")
@click.argument("sweep_id")
@api_options
def cancel(backend: Backend, sweep_id: str) -> None:
    """Cancel every member not final: waiting ones never start."""
    sweep = backend.cancel_sweep(sweep_id)
    out.tsv("cancelled", sweep["id"], _counts_text(sweep))
