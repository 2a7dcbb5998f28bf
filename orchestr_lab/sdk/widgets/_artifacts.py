"""Artifacts in the run widget, as HTML: a progress bar, a table, rendered markdown, a link, an image.

Everything the user's code wrote is escaped: markdown is rendered by markdown-it with raw HTML
off (``<script>`` shows as text, ``javascript:`` links are dropped), table cells and URLs go
through ``html.escape``, and an image is shown only from an http(s) URL. Each artifact carries
``data-artifact-type`` and ``data-key`` (a progress bar also ``data-progress``), like the rows'
``data-state``, so tests and tools read the widget without a browser.
"""

from __future__ import annotations

import functools
import json
from html import escape
from typing import Any

__all__ = ["MAX_TABLE_ROWS", "artifacts_html"]

#: Table rows shown in a widget (the rest: "N more rows"; the CLI and sidebar show them all).
MAX_TABLE_ROWS = 50
_CELL = "padding:1px 8px;text-align:left;border-bottom:1px solid #e0e0e0"


@functools.cache
def _markdown() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def _progress(value: Any) -> str:
    pct = min(max(float(value), 0.0), 100.0) if isinstance(value, (int, float)) else 0.0
    return (
        f'<div class="orchestr-lab-artifact-progress" data-progress="{pct:g}" '
        'style="display:flex;gap:8px;align-items:center">'
        '<div style="width:240px;height:10px;background:#e0e0e0;border-radius:5px;overflow:hidden">'
        f'<div style="width:{pct:.2f}%;height:100%;background:#1565c0"></div></div>'
        f"<span>{pct:.0f}%</span></div>"
    )


def _rows(table: Any) -> tuple[list[str] | None, list[list[Any]]]:
    """(column names or None, rows) of a list of dicts, a dict of columns or a list of rows."""
    if isinstance(table, dict):
        names = [str(k) for k in table]
        columns = [v if isinstance(v, list) else [v] for v in table.values()]
        height = max((len(c) for c in columns), default=0)
        return names, [[c[i] if i < len(c) else None for c in columns] for i in range(height)]
    if isinstance(table, list) and table and all(isinstance(r, dict) for r in table):
        names = list(dict.fromkeys(str(k) for r in table for k in r))
        return names, [[r.get(n) for n in names] for r in table]
    if isinstance(table, list):
        return None, [r if isinstance(r, list) else [r] for r in table]
    return None, [[table]]


def _cell(value: Any) -> str:
    return "" if value is None else escape(value if isinstance(value, str) else json.dumps(value))


def table_html(data: Any) -> str:
    """A table artifact's data (JSON text) as an HTML table, escaped, at most MAX_TABLE_ROWS rows."""
    try:
        table = json.loads(data) if isinstance(data, str) else data
    except ValueError:
        return f"<pre>{escape(str(data))}</pre>"
    names, rows = _rows(table)
    head = "".join(f'<th style="{_CELL}">{escape(n)}</th>' for n in names) if names else ""
    body = "".join(
        "<tr>" + "".join(f'<td style="{_CELL}">{_cell(v)}</td>' for v in row) + "</tr>" for row in rows[:MAX_TABLE_ROWS]
    )
    more = len(rows) - MAX_TABLE_ROWS
    tail = f'<div style="color:#757575">{more:,} more rows</div>' if more > 0 else ""
    return (
        '<table class="orchestr-lab-artifact-table" style="border-collapse:collapse;font-size:0.9em">'
        + (f"<thead><tr>{head}</tr></thead>" if head else "")
        + f"<tbody>{body}</tbody></table>{tail}"
    )


def _image(url: Any) -> str:
    text = str(url)
    if not text.lower().startswith(("http://", "https://")):
        return f"<code>{escape(text)}</code>"
    return f'<img src="{escape(text)}" alt="" style="max-width:400px;max-height:300px">'


def _body(artifact: dict[str, Any]) -> str:
    kind, data = artifact.get("type"), artifact.get("data")
    if kind == "progress":
        return _progress(data)
    if kind == "table":
        return table_html(data)
    if kind == "image":
        return _image(data)
    if kind == "markdown" and isinstance(data, str):
        return f'<div class="orchestr-lab-artifact-markdown">{_markdown().render(data)}</div>'
    return f"<pre>{escape(data if isinstance(data, str) else json.dumps(data))}</pre>"


def artifact_html(artifact: dict[str, Any]) -> str:
    key = artifact.get("key") or ""
    title = escape(key or artifact.get("type") or "artifact")
    description = artifact.get("description")
    note = f' <span style="color:#757575">{escape(description)}</span>' if description else ""
    return (
        f'<div class="orchestr-lab-artifact" data-artifact-type="{escape(artifact.get("type") or "")}" '
        f'data-key="{escape(key)}" style="margin:4px 0">'
        f"<div><b>{title}</b>{note}</div>{_body(artifact)}</div>"
    )


def artifacts_html(artifacts: list[dict[str, Any]]) -> str:
    """The run's artifacts, oldest first (empty when there are none)."""
    if not artifacts:
        return ""
    return '<div class="orchestr-lab-artifacts">' + "".join(artifact_html(a) for a in artifacts) + "</div>"
