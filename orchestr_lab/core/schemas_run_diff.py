"""API contract for comparing two runs (``GET flow_runs/{id}/diff``) and for a run's HTML
report (``GET flow_runs/{id}/report``).

A diff lists only what changed: parameters and recorded outputs by name, the run's state, and the
cells whose source, outputs or state changed (or whose duration changed by more than
``min_duration_change``), so that two runs that differ by one parameter show that parameter and
what it changed, and no timing noise.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .limits import MAX_PATH_PARAM
from .schemas_base import Out, Query

__all__ = [
    "CellChange",
    "CellOutput",
    "DurationChange",
    "ReportQuery",
    "RunDiffQuery",
    "RunDiffRead",
    "StateChange",
    "ValueChange",
]

#: Cells longer than this are not worth a timing report: durations vary by a second on a busy machine.
DEFAULT_MIN_DURATION_CHANGE = 5.0


class RunDiffQuery(Query):
    against: str | None = Field(
        default=None,
        max_length=MAX_PATH_PARAM,
        description="the run to compare with; default: the same deployment's previous COMPLETED run",
    )
    min_duration_change: float = Field(
        default=DEFAULT_MIN_DURATION_CHANGE,
        ge=0,
        le=86400,
        description=(
            "report a duration (the run's, a cell's) only when it changed by more seconds than this, and by half"
        ),
    )


class ReportQuery(Query):
    no_input: bool = Field(default=False, description="hide the code: only the cells' outputs and the markdown")


class ValueChange(Out):
    """A parameter or recorded output that differs: ``change`` says whether it is new, gone or changed."""

    name: str
    change: Literal["added", "removed", "changed"]
    old: Any = None
    new: Any = None


class StateChange(Out):
    old: str | None = None
    new: str | None = None


class DurationChange(Out):
    """Seconds, in the run compared with (old) and in this run (new)."""

    old: float | None = None
    new: float | None = None


class CellOutput(Out):
    """One output of a changed cell, reduced to what a side-by-side view shows: text (capped) or
    an image (base64)."""

    output_type: str
    mime: str | None = None
    text: str | None = None
    data: str | None = Field(default=None, description="an image's base64 data")


class CellChange(Out):
    """A cell that changed: ``index`` in this run's executed notebook (null: the cell is gone),
    ``old_index`` in the other's."""

    index: int | None = None
    old_index: int | None = None
    cell_type: str
    change: Literal["added", "removed", "modified"]
    source_changed: bool = False
    outputs_changed: bool = False
    source: str = ""
    old_source: str | None = None
    outputs: list[CellOutput] = Field(default_factory=list)
    old_outputs: list[CellOutput] = Field(default_factory=list)
    state: StateChange | None = None
    duration: DurationChange | None = None


class RunDiffRead(Out):
    """What changed from run ``against_id`` (old) to run ``flow_run_id`` (new)."""

    flow_run_id: str
    flow_run_name: str
    against_id: str
    against_name: str
    parameters: list[ValueChange] = Field(default_factory=list)
    recorded: list[ValueChange] = Field(default_factory=list)
    state: StateChange | None = None
    duration: DurationChange | None = None
    cells: list[CellChange] = Field(default_factory=list)
    notebooks_compared: bool = Field(
        default=False, description="both runs had an executed notebook, and its cells were compared"
    )
