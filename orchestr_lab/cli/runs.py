"""``orchestr-lab runs``: list flow runs, show one, print its logs, cancel, retry or resume one.

Each subcommand acts on the local store or, with ``--api URL``, on a server's REST API, through
the same backend as ``deploy`` and ``deployments`` (``cli/_api.py``): the output is the same.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from typing import Any

import click

from ..core.errors import NotFound
from . import _output as out
from ._api import Backend, remote_options
from ._options import int_option, json_option, poll_interval_option

__all__ = ["runs"]

_TASK_ROWS = 50  # task runs in a terminal table before "... N more"


@click.group()
def runs() -> None:
    """Inspect and steer flow runs (in the local store, or a server's with --api)."""


@runs.command("ls")
@click.option("--state", "states", multiple=True, type=out.StateParam(), help="Only runs in this state (repeatable).")
@click.option("--flow", "flow_name", metavar="NAME", help="Only runs of this flow.")
@int_option("--limit", default=20, minimum=1, maximum=1000, help="How many runs.")
@click.option("--offset", default=0, type=click.IntRange(min=0), help="Skip this many (newest first).")
@json_option("Print {items, total} as JSON.")
@remote_options
def ls(
    backend: Backend,
    states: tuple[str, ...],
    flow_name: str | None,
    limit: int,
    offset: int,
    as_json: bool,
) -> None:
    """List flow runs, newest first (tab-separated when piped)."""
    query: dict[str, Any] = {"limit": limit, "offset": offset}
    if states:
        query["state"] = list(states)
    if flow_name is not None:
        query["flow_name"] = flow_name
    page = backend.list_runs(query)
    items, total = page["items"], page["total"]
    if as_json:
        out.echo_json({"items": items, "total": total})
    elif not out.is_tty():
        for run in items:
            out.tsv(
                run["name"],
                run["flow_name"],
                out.state_type(run),
                run.get("start_time"),
                out.seconds_field(run),
                run["id"],
            )
    else:
        _ls_table(items, total, offset, filtered=bool(states or flow_name or offset))


def _ls_table(items: list[dict[str, Any]], total: int, offset: int, *, filtered: bool) -> None:
    from rich.table import Table

    console = out.console()
    if not items:
        hint = "" if filtered else " Run a flow (e.g. python examples/quickstart.py) and it shows up here."
        console.print(f"No flow runs found.{hint}")
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in ("name", "flow", "state", "start", "duration", "id"):
        table.add_column(column, justify="right" if column == "duration" else "left", no_wrap=True)
    for run in items:
        table.add_row(
            run["name"],
            run["flow_name"],
            out.styled_state(run),
            out.fmt_local(run.get("start_time")),
            out.fmt_duration(out.duration(run)),
            run["id"],
        )
    console.print(table)
    if total > offset + len(items):
        console.print(f"[dim]{len(items)} of {total} runs shown; use --limit/--offset for more.[/dim]")


@runs.command("show")
@click.argument("run_id", metavar="ID")
@int_option("--logs", "log_count", default=20, minimum=0, help="How many of the last log lines to include.")
@json_option("Print {flow_run, task_runs, logs} as JSON.")
@remote_options
def show(backend: Backend, run_id: str, log_count: int, as_json: bool) -> None:
    """Show a flow run: state, parameters, task runs, recorded outputs, last log lines."""
    run = backend.get_run(run_id)
    tasks = backend.task_runs(run_id)
    logs = backend.logs(run_id, None)[-log_count:] if log_count else []
    if as_json:
        out.echo_json({"flow_run": run, "task_runs": tasks, "logs": logs})
        return
    parent = _task_run(backend, run.get("parent_task_run_id"))
    fields = [
        ("id", run["id"]),
        ("name", run["name"]),
        ("flow", run["flow_name"]),
        ("state", out.state_label(run)),
        ("message", (run.get("state") or {}).get("message")),
        ("parameters", json.dumps(run.get("parameters") or {}, default=str)),
        ("start", out.fmt_local(run.get("start_time"))),
        ("end", out.fmt_local(run.get("end_time"))),
        ("duration", out.fmt_duration(out.duration(run))),
        ("attempts", run.get("run_count")),
        ("deployment", run.get("deployment_id")),
        ("subflow of", parent and f"flow run {parent['flow_run_id']} (task run {parent['name']!r})"),
        ("worker", (run.get("worker") or {}).get("name")),
        ("resumable", _resume_hint(run)),
    ]
    fields = [(key, value) for key, value in fields if value not in (None, "")]
    names = {t["id"]: t["name"] for t in tasks}
    if out.is_tty():
        _show_rich(run, fields, tasks, logs, names)
        return
    for key, value in fields:
        click.echo(f"{key}: {value}")
    click.echo(f"\ntask runs: {len(tasks)}")
    for task in tasks:
        out.tsv(task["name"], out.state_type(task), out.seconds_field(task), task.get("run_count"), task["id"])
    recorded = run.get("recorded") or {}
    click.echo(f"\nrecorded: {len(recorded)}")
    for key, value in recorded.items():
        out.tsv(key, json.dumps(value, default=str))
    click.echo(f"\nlogs: {len(logs)}")
    for line in logs:
        click.echo(out.fmt_log(line, run["name"], names))


def _task_run(backend: Backend, task_run_id: str | None) -> dict[str, Any] | None:
    """The task run that called a subflow run; None for a top-level run (or one deleted since)."""
    if not task_run_id:
        return None
    try:
        return backend.get_task_run(task_run_id)
    except NotFound:
        return None


def _resume_hint(run: dict[str, Any]) -> str | None:
    cell = run.get("resume_cell")
    return None if cell is None else f"from cell {cell} (orchestr-lab runs retry {run['id']} --from-failed-cell)"


@runs.command("cancel")
@click.argument("run_id", metavar="ID")
@remote_options
def cancel(backend: Backend, run_id: str) -> None:
    """Cancel a run: a waiting one ends CANCELLED, a running one is stopped by its worker."""
    run = backend.cancel_run(run_id)
    out.tsv(run["name"], out.state_label(run), run["id"])


@runs.command("retry")
@click.argument("run_id", metavar="ID")
@click.option(
    "--from-failed-cell",
    is_flag=True,
    help="Resume a failed notebook run at its failing cell, with the kernel state saved when it "
    "failed (the cells before are not run again; a fix to the failing cell is picked up).",
)
@remote_options
def retry(backend: Backend, run_id: str, from_failed_cell: bool) -> None:
    """Schedule a failed, crashed or cancelled run again now (same run, next attempt); a worker runs it."""
    run = backend.retry_run(run_id, from_failed_cell=from_failed_cell)
    out.tsv(run["name"], out.state_label(run), (run.get("state") or {}).get("message"), run["id"])


def _show_rich(
    run: dict[str, Any],
    fields: list[tuple[str, Any]],
    tasks: list[dict[str, Any]],
    logs: list[dict[str, Any]],
    names: dict[str, str],
) -> None:
    from rich.table import Table
    from rich.text import Text

    console = out.console()
    head = Table.grid(padding=(0, 2))
    head.add_column(style="bold")
    head.add_column()
    for key, value in fields:
        head.add_row(key, out.styled_state(run) if key == "state" else Text(str(value)))
    console.print(head)

    counts = Counter(out.state_type(t) for t in tasks)
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.most_common())
    console.print(Text(f"\nTask runs ({len(tasks)}{': ' + summary if summary else ''})", style="bold"))
    if tasks:
        table = Table(box=None, header_style="bold", pad_edge=False)
        for column in ("name", "state", "duration", "attempts", "id"):
            table.add_column(column, justify="right" if column in ("duration", "attempts") else "left")
        for task in tasks[:_TASK_ROWS]:
            table.add_row(
                Text(task["name"]),
                out.styled_state(task),
                out.fmt_duration(out.duration(task)),
                str(task.get("run_count") or 0),
                task["id"],
            )
        console.print(table)
        if len(tasks) > _TASK_ROWS:
            console.print(f"[dim]... {len(tasks) - _TASK_ROWS} more (--json lists all)[/dim]")

    recorded = run.get("recorded") or {}
    if recorded:
        console.print(Text("\nRecorded", style="bold"))
        grid = Table.grid(padding=(0, 2))
        for key, value in recorded.items():
            grid.add_row(Text(key), Text(json.dumps(value, default=str)))
        console.print(grid)
    if logs:
        console.print(Text(f"\nLogs (last {len(logs)})", style="bold"))
        for line in logs:
            console.print(Text(out.fmt_log(line, run["name"], names), style=out.level_color(line["level"]) or ""))


@runs.command("logs")
@click.argument("run_id", metavar="ID")
@click.option("--follow", "-f", is_flag=True, help="Keep printing new lines until the run finishes.")
@json_option("One JSON object per line.")
@poll_interval_option("--follow")
@remote_options
def logs(backend: Backend, run_id: str, follow: bool, as_json: bool, interval: float) -> None:
    """Print a flow run's log lines (its task runs' included), oldest first."""
    run = backend.get_run(run_id)
    names: dict[str, str] = {}
    after: int | None = None
    while True:
        finished = out.state_type(run) in out.FINAL  # read before the logs: no line is missed
        lines = backend.logs(run_id, after)
        if any(line.get("task_run_id") and line["task_run_id"] not in names for line in lines):
            names = {t["id"]: t["name"] for t in backend.task_runs(run_id)}
        for line in lines:
            if as_json:
                click.echo(json.dumps(line, default=str))
            else:
                click.secho(out.fmt_log(line, run["name"], names), fg=out.level_color(line["level"]))
        if lines:
            after = lines[-1]["id"]
        if not follow or finished:
            return
        time.sleep(interval)
        run = backend.get_run(run_id)


@runs.command("resume")
@click.argument("run_id", metavar="ID")
@click.option(
    "-i",
    "--input",
    "pairs",
    nargs=2,
    multiple=True,
    metavar="NAME VALUE",
    help="A field of the input the run waits for (repeatable).",
)
@remote_options
def resume(backend: Backend, run_id: str, pairs: tuple[tuple[str, str], ...]) -> None:
    """Resume a PAUSED run, with the input it waits for (checked against its schema: a bad value
    is refused naming the field, and the run stays PAUSED)."""
    run_input: dict[str, Any] | None = None
    if pairs:
        try:
            schema = backend.input_schema(run_id)["run_input_schema"]
        except NotFound:
            schema = {}
        run_input = {name: _input_value(schema, name, text) for name, text in pairs}
    run = backend.resume_run(run_id, run_input)
    out.tsv(run["name"], out.state_label(run), run["id"])


def _input_value(schema: dict[str, Any], name: str, text: str) -> Any:
    """``text`` as the field's type: kept as text for a string field (or a choice of strings),
    else read as JSON when it parses (3, true, [1])."""
    field = (schema.get("properties") or {}).get(name) or {}
    ref = field.get("$ref", "")
    if ref.startswith("#/$defs/"):
        field = (schema.get("$defs") or {}).get(ref.rsplit("/", 1)[1], field)
    choices = field.get("enum")
    if field.get("type") == "string" or (choices and all(isinstance(c, str) for c in choices)):
        return text
    try:
        return json.loads(text)
    except ValueError:
        return text


def _add_diff() -> None:
    from .run_diff import diff

    runs.add_command(diff)


_add_diff()
