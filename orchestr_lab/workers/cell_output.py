"""What one notebook cell may output: ``ORCHESTR_LAB_MAX_CELL_OUTPUT_BYTES``, then a marker.

A cell printing 50 MB, or displaying a 20 MB image, would otherwise become a 50 MB log line
and a 50 MB executed notebook (saved again as cells run, read whole by the server). Each cell
gets an :class:`OutputBudget`: outputs are kept while they fit, the one that crosses the cap
keeps its first bytes (a stream, a result's ``text/plain``), an image or HTML that does not fit
is dropped, and one marker output per cell says how much the cell produced and how much is
shown (core/output_cap.py words it). An error is always kept, shortened if need be, so the
notebook still says why the cell failed.
"""

from __future__ import annotations

import json
from typing import Any

from ..core.output_cap import byte_size, head, truncation_marker

__all__ = ["ERROR_FLOOR", "OutputBudget", "bundle_size", "cap_bundle"]

#: Bytes an error keeps even when the cell's budget is spent: enough to read what went wrong.
ERROR_FLOOR = 4096


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _value_size(value: Any) -> int:
    if isinstance(value, (str, list)):
        return byte_size(_text(value))
    return len(json.dumps(value, default=str))  # application/json and friends


def bundle_size(data: dict[str, Any] | None) -> int:
    """Bytes of a display's MIME bundle (every representation counts: each is stored)."""
    return sum(_value_size(v) for v in (data or {}).values())


class OutputBudget:
    """One cell's outputs measured against ``limit`` bytes; shrinks each new output to fit."""

    __slots__ = ("limit", "total", "kept", "marker")

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.total = 0  # bytes the cell output
        self.kept = 0  # bytes of it that are kept
        #: The marker output (a stderr stream) once something was cut.
        self.marker: dict[str, Any] | None = None

    @property
    def truncated(self) -> bool:
        return self.total > self.kept

    @property
    def room(self) -> int:
        return max(0, self.limit - self.kept)

    def marker_text(self) -> str:
        return truncation_marker(self.total, self.kept)

    def admit(self, out: dict[str, Any]) -> bool:
        """Shrink ``out`` in place to what still fits; False when nothing of it does."""
        kind = out.get("output_type")
        if kind == "stream":
            return self._stream(out)
        if kind in ("display_data", "execute_result"):
            return self._display(out)
        if kind == "error":
            self._error(out)
        return True

    def _keep(self, size: int) -> bool:
        self.total += size
        if size <= self.room:
            self.kept += size
            return True
        return False

    def _stream(self, out: dict[str, Any]) -> bool:
        text = _text(out.get("text", ""))
        room = self.room
        if self._keep(byte_size(text)):
            return True
        if room == 0:
            return False
        out["text"] = head(text, room)
        self.kept += byte_size(out["text"])
        return True

    def _display(self, out: dict[str, Any]) -> bool:
        data = out.get("data") or {}
        room = self.room
        if self._keep(bundle_size(data)):
            return True
        plain = _text(data.get("text/plain", ""))
        if room == 0 or not plain:
            return False
        # Images, HTML, JSON that do not fit go; the plain text says what the value was.
        out["data"] = {"text/plain": head(plain, room)}
        out["metadata"] = {}
        self.kept += byte_size(out["data"]["text/plain"])
        return True

    def _error(self, out: dict[str, Any]) -> None:
        evalue = _text(out.get("evalue", ""))
        traceback = [_text(line) for line in out.get("traceback") or ()]
        size = byte_size(evalue) + sum(byte_size(line) for line in traceback)
        if self._keep(size):
            return
        room = max(self.room, ERROR_FLOOR)
        out["evalue"] = head(evalue, room // 2)
        out["traceback"] = [head("\n".join(traceback), room - byte_size(out["evalue"]))]
        self.kept += byte_size(out["evalue"]) + byte_size(out["traceback"][0])


def cap_bundle(data: dict[str, Any], limit: int) -> dict[str, Any]:
    """A display's update (``update_display_data``) replaces its data: it may take the whole
    cap, no more; one that does not fit shows the marker instead."""
    size = bundle_size(data)
    if size <= limit:
        return data
    return {"text/plain": truncation_marker(size, 0)}
