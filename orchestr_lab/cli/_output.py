"""Formatting shared by the commands: one look on a terminal, plain lines in a pipe.

rich is imported only by the terminal paths, so piped and ``--json`` output stays cheap.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import sys
from typing import Any

import click

from ..core.states import FINAL_TYPES, StateType

FINAL = frozenset(t.value for t in FINAL_TYPES)
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


def parse_time(ts: str | None) -> _dt.datetime | None:
    return _dt.datetime.fromisoformat(ts) if ts else None


def duration(run: dict[str, Any]) -> float | None:
    """Seconds from start to end; a run that is still going counts up to now."""
    start = parse_time(run.get("start_time"))
    if start is None:
        return None
    end = parse_time(run.get("end_time"))
    if end is None:
        if state_type(run) in FINAL:
            return None
        end = _dt.datetime.now(_dt.timezone.utc)
    return max(0.0, (end - start).total_seconds())


def seconds_field(run: dict[str, Any]) -> str | None:
    """Duration for plain output: seconds as a number, for scripts."""
    seconds = duration(run)
    return None if seconds is None else f"{seconds:.3f}"


def fmt_duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    if seconds < 10:
        return f"{seconds:.2f}s"
    if seconds < 60:
        return f"{seconds:.1f}s"
    if seconds < 3600:
        return f"{int(seconds // 60)}m {int(seconds % 60):02d}s"
    return f"{int(seconds // 3600)}h {int(seconds % 3600 // 60):02d}m"


def fmt_local(ts: str | None, *, precise: bool = False) -> str:
    """A stored UTC timestamp in the reader's local time; ``precise`` drops today's date."""
    moment = parse_time(ts)
    if moment is None:
        return "-"
    local = moment.astimezone()
    if precise:
        text = local.strftime("%H:%M:%S.%f")[:-3]
        return text if local.date() == _dt.date.today() else f"{local:%Y-%m-%d} {text}"
    return local.strftime("%Y-%m-%d %H:%M:%S")


def state_type(run: dict[str, Any]) -> str:
    return (run.get("state") or {}).get("type") or "-"


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
