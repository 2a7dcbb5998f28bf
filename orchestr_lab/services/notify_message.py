"""The text of a notification: which run, how it ended, where it failed, how long, the report.

Plain text, one fact a line, so the same words read well in an email, in Slack and in Teams.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core.formatting import fmt_duration

__all__ = ["Message", "cell_first_line", "compose"]


@dataclass(frozen=True)
class Message:
    subject: str
    text: str


def cell_first_line(notebook: Path, index: int, cell_id: str | None = None) -> str | None:
    """The first non-blank source line of the cell with id ``cell_id`` of ``notebook``, else of
    its cell ``index`` (an executed notebook may hold an injected parameters cell); None if unreadable."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells") or []
        found = [c for c in cells if cell_id is not None and c.get("id") == cell_id]
        source = (found[0] if found else cells[index]).get("source") or ""
    except (OSError, ValueError, IndexError, AttributeError):
        return None
    text = "".join(source) if isinstance(source, list) else str(source)
    return next((line.strip() for line in text.splitlines() if line.strip()), None)


def _event_headline(event: Mapping[str, Any]) -> str:
    payload = event.get("payload") or {}
    kind = event.get("event", "")
    if kind == "deployment.sla.max_duration":
        return (
            f"SLA breached: run {payload.get('flow_run_name')} of deployment {payload.get('deployment')} "
            f"is still running past its max_duration_seconds ({payload.get('max_duration_seconds')} s)"
        )
    if kind == "deployment.sla.freshness":
        last = payload.get("last_completed") or "never"
        return (
            f"SLA breached: deployment {payload.get('deployment')} has had no COMPLETED run for "
            f"{payload.get('freshness_seconds')} s (last COMPLETED: {last})"
        )
    return f"Event {kind} on {event.get('resource_id')}"


def _duration(run: Mapping[str, Any], now: _dt.datetime) -> str:
    start = run.get("start_time")
    if start is None:
        return "did not start"
    seconds = ((run.get("end_time") or now) - start).total_seconds()
    return fmt_duration(seconds) + ("" if run.get("end_time") else " so far")


def compose(
    run: Mapping[str, Any] | None,
    *,
    event: Mapping[str, Any] | None = None,
    source_line: str | None = None,
    report: str | None = None,
    now: _dt.datetime | None = None,
) -> Message:
    """The message about ``run`` (``store.run_summary.run_summary``), led by ``event`` when an
    event fired the automation; ``source_line`` is the failing cell's first line."""
    now = now or _dt.datetime.now(_dt.timezone.utc)
    lines = [_event_headline(event)] if event is not None else []
    subject = lines[0] if lines else ""
    if run is not None:
        owner = f"deployment {run['deployment']}" if run.get("deployment") else f"flow {run['flow_name']}"
        state = run.get("state_name") or run.get("state_type")
        lines.append(f"Run {run['name']} ({run['id']}) of {owner}: {state}")
        if run.get("state_message"):
            lines.append(f"Message: {run['state_message']}")
        failed = run.get("failed_task")
        if failed is not None:
            index = failed.get("cell_index")
            where = failed["name"].replace("-", " ") + (f" (index {index})" if index is not None else "")
            code = f": {source_line}" if source_line else ""
            lines.append(f"Failed at {where}{code}")
            if failed.get("message"):
                lines.append(f"Error: {failed['message']}")
        lines.append(f"Duration: {_duration(run, now)}")
        if report:
            lines.append(f"Report: {report}")
        subject = subject or f"{run.get('deployment') or run['flow_name']} / {run['name']}: {state}"
    return Message(subject=f"[orchestr-lab] {subject}"[:200], text="\n".join(lines))
