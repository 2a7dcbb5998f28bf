"""``orchestr-lab variables``: list, read, set and remove variables (named JSON values)."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

import click

from . import _output as out
from ._api import Backend, remote_options
from ._options import json_option

__all__ = ["print_rows", "variables"]

Column = tuple[str, Callable[[dict[str, Any]], Any]]


def print_rows(items: list[dict[str, Any]], columns: Sequence[Column], *, empty: str) -> None:
    """``items`` as a table on a terminal, tab-separated lines when piped."""
    if not out.is_tty():
        for item in items:
            out.tsv(*(get(item) for _, get in columns))
        return
    from rich.table import Table

    console = out.console()
    if not items:
        console.print(empty)
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for header, _ in columns:
        table.add_column(header)
    for item in items:
        table.add_row(*("-" if (v := get(item)) in (None, "") else str(v) for _, get in columns))
    console.print(table)


def _text(value: Any) -> str:
    """A value as the shell shows it: text as is, anything else as JSON."""
    return value if isinstance(value, str) else json.dumps(value)


def _parse(text: str) -> Any:
    """A value typed on the command line: JSON when it reads as JSON (``3``, ``[1,2]``,
    ``{"a": 1}``, ``true``), else the text itself."""
    try:
        return json.loads(text)
    except ValueError:
        return text


@click.group()
def variables() -> None:
    """Named JSON values that flows read with Variable.get."""


@variables.command("ls")
@click.option("--name", "name_contains", metavar="TEXT", help="Only variables whose name contains TEXT.")
@json_option("Print the variables as JSON.")
@remote_options
def ls(backend: Backend, name_contains: str | None, as_json: bool) -> None:
    """List variables: name, value, tags."""
    items = backend.list_variables({"name": name_contains} if name_contains else {})
    if as_json:
        out.echo_json(items)
        return
    columns: list[Column] = [
        ("name", lambda v: v["name"]),
        ("value", lambda v: _text(v["value"])[:80]),
        ("tags", lambda v: ",".join(v["tags"])),
        ("updated", lambda v: v["updated"]),
    ]
    print_rows(items, columns, empty="No variables. Set one with: orchestr-lab variables set NAME VALUE")


@variables.command("get")
@click.argument("name")
@json_option("Print the whole variable as JSON.")
@remote_options
def get(backend: Backend, name: str, as_json: bool) -> None:
    """Print a variable's value (text as is, other values as JSON)."""
    from ..core.errors import NotFound

    found = backend.get_variable(name)
    if found is None:
        raise NotFound(f"No variable named {name!r}")
    click.echo(json.dumps(found, indent=2) if as_json else _text(found["value"]))


@variables.command("set")
@click.argument("name")
@click.argument("value")
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--overwrite", is_flag=True, help="Replace the variable if it exists.")
@remote_options
def set_(backend: Backend, name: str, value: str, tags: tuple[str, ...], overwrite: bool) -> None:
    """Set NAME to VALUE (read as JSON when it is JSON: 3, [1, 2], '{"a": 1}'; else text)."""
    from ..core.errors import Conflict

    spec = {"name": name, "value": _parse(value), "tags": list(tags)}
    if backend.get_variable(name) is None:
        backend.create_variable(spec)
    elif overwrite:
        backend.update_variable(name, {"value": spec["value"], "tags": spec["tags"]})
    else:
        raise Conflict(f"Variable {name!r} already exists; use --overwrite to replace it")
    click.echo(f"Set variable {name!r}.")


@variables.command("rm")
@click.argument("name")
@remote_options
def rm(backend: Backend, name: str) -> None:
    """Delete a variable."""
    backend.delete_variable(name)
    click.echo(f"Deleted variable {name!r}.")
