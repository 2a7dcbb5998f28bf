"""``orchestr-lab artifacts``: list artifacts (by key or run) and show one (by key or id).

Local store or, with ``--api URL``, a server's REST API, like ``runs``.
"""

from __future__ import annotations

import json
from typing import Any

import click

from ..core.errors import NotFound
from ..core.ids import is_run_id
from . import _output as out
from ._api import Backend, remote_options
from ._options import int_option, json_option

__all__ = ["artifacts"]

_PREVIEW = 60


@click.group()
def artifacts() -> None:
    """Artifacts that runs made: tables, markdown, links, images, progress."""


@artifacts.command("ls")
@click.option("--key", metavar="KEY", help="Only the versions of this key.")
@click.option("--run", "run_id", metavar="ID", help="Only the artifacts of this flow run.")
@click.option("--type", "type_", metavar="TYPE", help="Only artifacts of this type (table, markdown, ...).")
@int_option("--limit", default=20, minimum=1, maximum=200, help="How many artifacts.")
@json_option("Print {items, total} as JSON.")
@remote_options
def ls(backend: Backend, key: str | None, run_id: str | None, type_: str | None, limit: int, as_json: bool) -> None:
    """List artifacts, newest first (tab-separated when piped)."""
    query = {"key": key, "flow_run_id": run_id, "type": type_, "limit": limit}
    page = backend.list_artifacts({k: v for k, v in query.items() if v is not None})
    items, total = page["items"], page["total"]
    if as_json:
        out.echo_json({"items": items, "total": total})
        return
    if not out.is_tty():
        for a in items:
            out.tsv(a["key"] or "", a["type"] or "", a["created"], a["flow_run_id"] or "", a["id"], _preview(a))
        return
    from rich.table import Table

    console = out.console()
    if not items:
        console.print("No artifacts found.")
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("key", "type", "created", "run", "id", "data"):
        table.add_column(column, no_wrap=column != "data")
    for a in items:
        table.add_row(
            a["key"] or "", a["type"] or "", out.fmt_local(a["created"]), a["flow_run_id"] or "", a["id"], _preview(a)
        )
    console.print(table)
    if total > len(items):
        console.print(f"[dim]{len(items)} of {total} artifacts shown; use --limit for more.[/dim]")


@artifacts.command("show")
@click.argument("key_or_id", metavar="KEY_OR_ID")
@json_option("Print the artifact as JSON.")
@remote_options
def show(backend: Backend, key_or_id: str, as_json: bool) -> None:
    """One artifact: a key's latest version, or the artifact with this id."""
    found = backend.get_artifact(key_or_id) if is_run_id(key_or_id) else None
    if found is None:
        found = backend.latest_artifact(key_or_id)
    if found is None:
        raise NotFound(f"No artifact with key or id {key_or_id!r}")
    if as_json:
        out.echo_json(found)
        return
    for field in ("key", "type", "description", "id", "flow_run_id", "task_run_id", "created", "updated"):
        if found.get(field):
            click.echo(f"{field}: {found[field]}")
    click.echo("")
    click.echo(_full(found))


def _full(artifact: dict[str, Any]) -> str:
    """The data as a reader wants it: a table's rows one per line, text as is."""
    data = artifact["data"]
    if artifact["type"] == "table" and isinstance(data, str):
        try:
            rows = json.loads(data)
        except ValueError:
            return data
        if isinstance(rows, dict):  # columns
            names = list(rows)
            rows = [dict(zip(names, values, strict=False)) for values in zip(*rows.values(), strict=False)]
        return "\n".join(json.dumps(row) for row in rows)
    if artifact["type"] == "progress":
        return f"{data}%"
    return data if isinstance(data, str) else json.dumps(data)


def _preview(artifact: dict[str, Any]) -> str:
    text = " ".join(_full(artifact).split())
    return text if len(text) <= _PREVIEW else text[: _PREVIEW - 1] + "…"
