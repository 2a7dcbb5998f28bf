"""Formatting shared by the commands: one look on a terminal, plain lines in a pipe.

rich is imported only by the terminal paths, so piped and ``--json`` output stays cheap.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

import click

from ..core.formatting import FINAL, duration, fmt_duration, fmt_local, parse_time, state_type
from ..core.states import StateType

__all__ = [  # the pure helpers live in core.formatting (the widgets share them); re-exported here
    "FINAL",
    "STATE_STYLES",
    "StateParam",
    "console",
    "duration",
    "echo_json",
    "fmt_duration",
    "fmt_local",
    "fmt_log",
    "is_tty",
    "level_color",
    "parse_time",
    "seconds_field",
    "state_label",
    "state_type",
    "styled_state",
    "tsv",
]

STATE_STYLES = {
    "COMPLETED": "green",
    "FAILED": "red",
    "CRASHED": "bold red",
    "CANCELLING": "magenta",
    "CANCELLED": "magenta",
    "RUNNING": "cyan",
    "PENDING": "yellow",
    "SCHEDULED": "blue",
    "PAUSED": "yellow",
}


class StateParam(click.ParamType):
    """A state type, any case (``failed`` or ``FAILED``); the error lists the valid ones."""

    name = "STATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        text = str(value).strip().upper()
        if text not in StateType.__members__:
            self.fail(f"{value!r} is not a state; use one of {', '.join(StateType.__members__)}", param, ctx)
        return text


def is_tty() -> bool:
    return sys.stdout.isatty()


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, default=str))


def tsv(*fields: Any) -> None:
    """One tab-separated line; empty fields print as ``-`` so ``cut``/``awk`` keep columns."""
    click.echo("\t".join("-" if f is None or f == "" else str(f).replace("\t", " ") for f in fields))


def seconds_field(run: dict[str, Any]) -> str | None:
    """Duration for plain output: seconds as a number, for scripts."""
    seconds = duration(run)
    return None if seconds is None else f"{seconds:.3f}"


def state_label(run: dict[str, Any]) -> str:
    """``COMPLETED``, or ``SCHEDULED (Late)`` when the state's name refines its type."""
    state = run.get("state") or {}
    kind, name = state.get("type"), state.get("name")
    if not kind:
        return "-"
    return kind if not name or name.upper() == kind else f"{kind} ({name})"


def styled_state(run: dict[str, Any]) -> Any:
    from rich.text import Text

    return Text(state_label(run), style=STATE_STYLES.get(state_type(run), ""))


def fmt_log(line: dict[str, Any], run_name: str, task_names: dict[str, str]) -> str:
    """A log line in the engine's console format: ``time | LEVEL | source - message``."""
    task_id = line.get("task_run_id")
    source = f"Task run {task_names.get(task_id, task_id)!r}" if task_id else f"Flow run {run_name!r}"
    level = logging.getLevelName(line["level"])
    return f"{fmt_local(line.get('timestamp'), precise=True)} | {level:<7} | {source} - {line['message']}"


def level_color(level: int) -> str | None:
    if level >= logging.ERROR:
        return "red"
    if level >= logging.WARNING:
        return "yellow"
    return None
