"""HTML fragments of the run widgets: state badges, task-run rows, errors, log tail.

Every row and badge carries ``data-state`` (the state type) like the sidebar's rows, so tests
and users' own tooling can read a widget's value without a browser.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from ._model import MAX_RECORDED, Row, RunModel, _Raw, duration_text, preview

__all__ = ["TextRepr", "badge", "errors_html", "header_html", "logs_html", "recorded_html", "table_html"]

COLOURS = {
    "SCHEDULED": "#6a1b9a",
    "PENDING": "#757575",
    "RUNNING": "#1565c0",
    "COMPLETED": "#2e7d32",
    "FAILED": "#c62828",
    "CANCELLING": "#616161",
    "CANCELLED": "#424242",
    "CRASHED": "#d84315",
    "PAUSED": "#8d6e63",
}
RETRY_COLOUR = "#ef6c00"  # AwaitingRetry / Retrying: still running, but an attempt failed
_CELL = "padding:1px 8px;text-align:left;white-space:nowrap"


def colour(type_: str, name: str | None = None) -> str:
    if name in ("Retrying", "AwaitingRetry"):
        return RETRY_COLOUR
    return COLOURS.get(type_, "#757575")


def badge(type_: str, name: str | None = None) -> str:
    label = escape(name or type_.title())
    return (
        f'<span class="orchestr-lab-badge" data-state="{escape(type_)}" style="background:{colour(type_, name)};'
        f'color:white;border-radius:8px;padding:0 7px;font-size:0.85em">{label}</span>'
    )


def header_html(model: RunModel) -> str:
    what = "Task run" if model.kind == "task" else "Flow run"
    parts = [
        f'<b>{escape(model.name)}</b> <span style="color:#757575">{what} {escape(model.label)}</span>',
        badge(model.type, model.state_name),
    ]
    if model.kind == "task" and model.run_count:
        parts.append(f"attempt {model.run_count}/{model.retries + 1}")
    if model.duration is not None:
        parts.append(escape(duration_text(model.duration)))
    return (
        f'<div class="orchestr-lab-run" data-run-id="{escape(model.run_id)}" data-state="{escape(model.type)}">'
        + " &nbsp; ".join(parts)
        + "</div>"
    )


def _row_html(row: Row) -> str:
    err = row.error
    extra = (
        escape(row.result_preview)
        if not err
        else f'<span style="color:{COLOURS["FAILED"]}">{escape(err[0][:120])}</span>'
    )
    attempt = escape(row.attempts)
    if row.run_count > 1:
        attempt = f'<b style="color:{RETRY_COLOUR}">{attempt}</b>'
    return (
        f'<tr data-task-run-id="{escape(row.id)}" data-state="{escape(row.type)}" data-attempt="{row.run_count}">'
        f'<td style="{_CELL}">{escape(row.name)}</td>'
        f'<td style="{_CELL}">{badge(row.type, row.state_name)}</td>'
        f'<td style="{_CELL}">{attempt}</td>'
        f'<td style="{_CELL}">{escape(duration_text(row.duration))}</td>'
        f'<td style="{_CELL};white-space:normal;font-family:monospace">{extra}</td></tr>'
    )


def table_html(model: RunModel) -> str:
    """The state counts, then the task-run rows (bounded); one HTML value, so one message."""
    shown, hidden = model.shown_rows()
    summary = f'<div class="orchestr-lab-counts" style="color:#616161">{escape(model.summary())}</div>'
    if not shown:
        return summary
    head = "".join(
        f'<th style="{_CELL}">{h}</th>' for h in ("task run", "state", "attempt", "duration", "result / error")
    )
    note = ""
    if hidden:
        note = (
            f'<div style="color:#757575">{hidden:,} more task runs not shown: the failed ones and '
            f"the latest to change are listed.</div>"
        )
    body = "".join(_row_html(r) for r in shown)
    return (
        f'{summary}{note}<table class="orchestr-lab-task-runs" style="border-collapse:collapse">'
        f"<tr>{head}</tr>{body}</table>"
    )


def _details(title: str, traceback: str) -> str:
    return (
        f'<details><summary style="color:{COLOURS["FAILED"]};cursor:pointer">{escape(title)}</summary>'
        f'<pre style="font-size:0.85em;max-height:20em;overflow:auto">{escape(traceback)}</pre></details>'
    )


def errors_html(model: RunModel, failed: Iterable[Row]) -> str:
    """The run's error and each failed task run's, traceback folded until clicked."""
    parts: list[str] = []
    err = model.error()
    if err:
        parts.append(_details(f"{model.name}: {err[0]}", err[1]))
    for row in failed:
        row_err = row.error
        if row_err:
            parts.append(_details(f"{row.name}: {row_err[0]}", row_err[1]))
    return "".join(parts)


def recorded_html(recorded: dict[str, str]) -> str:
    """What the run ``record()``ed: name and a preview of each value."""
    if not recorded:
        return ""
    body = "".join(
        f'<tr data-recorded="{escape(name)}"><th style="{_CELL}">{escape(name)}</th>'
        f'<td style="{_CELL};font-family:monospace">{escape(preview(_Raw(text)))}</td></tr>'
        for name, text in list(recorded.items())[:MAX_RECORDED]
    )
    return (
        '<div style="color:#757575;font-size:0.85em">recorded</div>'
        f'<table style="border-collapse:collapse">{body}</table>'
    )


def logs_html(lines: Iterable[str], total: int) -> str:
    lines = list(lines)
    if not lines:
        return ""
    more = f"last {len(lines)} of {total} log lines" if total > len(lines) else "log"
    text = "\n".join(lines)
    return (
        f'<div style="color:#757575;font-size:0.85em">{more}</div>'
        f'<pre class="orchestr-lab-logs" style="font-size:0.85em;margin:0">{escape(text)}</pre>'
    )


def kv_table(rows: Iterable[tuple[str, Any]]) -> str:
    body = "".join(f'<tr><th style="{_CELL}">{escape(k)}</th><td style="{_CELL}">{v}</td></tr>' for k, v in rows)
    return f'<table style="border-collapse:collapse">{body}</table>'


class TextRepr:
    """Widgets whose display carries their whole ``repr`` as text/plain (no 110-character cut),
    the fallback a frontend without widgets shows."""

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        data = super()._repr_mimebundle_(**kwargs) or {}  # type: ignore[misc]
        data["text/plain"] = repr(self)
        return data
