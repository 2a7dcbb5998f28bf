"""How runs read to a person: durations and local times, the same in the CLI and the widgets.

Pure functions over API-shaped run dicts (no I/O, no click, no rich), here so that the
notebook widgets (``sdk.widgets``) and the CLI (``cli/_output.py``) print them alike without
the sdk importing the CLI.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from .states import FINAL_TYPES

__all__ = ["FINAL", "duration", "fmt_duration", "fmt_local", "parse_time", "state_type"]

#: The final state types' names (``COMPLETED``, ``FAILED``, ...).
FINAL = frozenset(t.value for t in FINAL_TYPES)


def parse_time(ts: str | None) -> _dt.datetime | None:
    return _dt.datetime.fromisoformat(ts) if ts else None


def state_type(run: dict[str, Any]) -> str:
    return (run.get("state") or {}).get("type") or "-"


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
