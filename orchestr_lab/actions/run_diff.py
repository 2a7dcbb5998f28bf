"""Compare two runs: what changed from one run (by default the same deployment's previous
COMPLETED run) to another, in parameters, recorded outputs, state, duration and cells.

The notebook part is nbdime's diff of the two executed notebooks (``workers.notebook_diff``);
the per-cell states and durations come from the cells' task runs, paired by the cell's id
(its task key), which stays the same across runs of one notebook.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from ..core.errors import NotFound
from ..core.schemas_run_diff import RunDiffQuery
from . import Context
from .runs import get_flow_run, output_notebook

__all__ = ["previous_completed_run", "run_diff"]

_CELL_TAG = "notebook-cell"


def run_diff(ctx: Context, *, flow_run_id: str, query: RunDiffQuery) -> dict[str, Any]:
    """What changed from run ``query.against`` (old) to run ``flow_run_id`` (new)."""
    new = get_flow_run(ctx, flow_run_id=flow_run_id)
    old = get_flow_run(ctx, flow_run_id=query.against) if query.against else previous_completed_run(ctx, new)
    threshold = query.min_duration_change
    new_nb, old_nb = _notebook(ctx, new), _notebook(ctx, old)
    cells: list[dict[str, Any]] = []
    if new_nb is not None and old_nb is not None:
        from ..workers.notebook_diff import changed_cells

        try:
            cells = changed_cells(old_nb, new_nb)
        except Exception:  # noqa: BLE001 - stored text of any shape: a file nbformat/nbdime cannot read as a notebook
            new_nb = old_nb = None
    if new.get("notebook") and old.get("notebook"):
        cells = _with_cell_runs(ctx, cells, old, new, new_nb, threshold)
    return {
        "flow_run_id": new["id"],
        "flow_run_name": new["name"],
        "against_id": old["id"],
        "against_name": old["name"],
        "parameters": _value_changes(old.get("parameters") or {}, new.get("parameters") or {}),
        "recorded": _value_changes(old.get("recorded") or {}, new.get("recorded") or {}),
        "state": _state_change(old.get("state"), new.get("state")),
        "duration": _duration_change(_seconds(old), _seconds(new), threshold),
        "cells": cells,
        "notebooks_compared": new_nb is not None and old_nb is not None,
    }


def previous_completed_run(ctx: Context, run: dict[str, Any]) -> dict[str, Any]:
    """The latest COMPLETED run of ``run``'s deployment created before it: "the last good run"
    (a 404 when there is none, or no deployment)."""
    from ..store.run_pages import flow_run_page

    if not run.get("deployment_id"):
        raise NotFound(f"Flow run {run['id']!r} belongs to no deployment: name the run to compare with (against=ID)")
    created = _dt.datetime.fromisoformat(run["created"]).astimezone(_dt.timezone.utc)
    page = flow_run_page(
        ctx.engine,
        state="COMPLETED",
        deployment_id=run["deployment_id"],
        limit=1,
        cursor=(created, run["id"]),
        count_up_to=0,
    )
    if not page.items:
        raise NotFound(
            f"Flow run {run['id']!r} has no COMPLETED run of its deployment before it: name the run to compare with"
        )
    return get_flow_run(ctx, flow_run_id=page.items[0]["id"])


def _notebook(ctx: Context, run: dict[str, Any]) -> dict[str, Any] | None:
    if not run.get("output_notebook"):
        return None
    try:
        return output_notebook(ctx, flow_run_id=run["id"])
    except NotFound:
        return None


def _value_changes(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    changes: list[dict[str, Any]] = []
    for name in sorted(old.keys() | new.keys()):
        if name not in old:
            changes.append({"name": name, "change": "added", "new": new[name]})
        elif name not in new:
            changes.append({"name": name, "change": "removed", "old": old[name]})
        elif old[name] != new[name]:
            changes.append({"name": name, "change": "changed", "old": old[name], "new": new[name]})
    return changes


def _state_change(old: dict[str, Any] | None, new: dict[str, Any] | None) -> dict[str, Any] | None:
    before, after = (old or {}).get("type"), (new or {}).get("type")
    return None if before == after else {"old": before, "new": after}


def _seconds(run: dict[str, Any]) -> float | None:
    start, end = run.get("start_time"), run.get("end_time")
    if not start or not end:
        return None
    return (_dt.datetime.fromisoformat(end) - _dt.datetime.fromisoformat(start)).total_seconds()


def _duration_change(old: float | None, new: float | None, threshold: float) -> dict[str, Any] | None:
    """A duration worth reporting: more than ``threshold`` seconds apart and by half of the longer
    (a second's jitter on a busy machine is no change). One that is missing (a run or cell that did
    not finish) is no duration change: the state change says it."""
    if old is None or new is None:
        return None
    gap = abs(new - old)
    if gap <= threshold or gap < 0.5 * max(old, new):
        return None
    return {"old": old, "new": new}


def _with_cell_runs(
    ctx: Context,
    cells: list[dict[str, Any]],
    old: dict[str, Any],
    new: dict[str, Any],
    new_nb: dict[str, Any] | None,
    threshold: float,
) -> list[dict[str, Any]]:
    """``cells`` with each cell's state and duration change, adding the cells that changed only
    there; sorted by position."""
    from ..store.run_reads import list_task_runs

    before = {t["task_key"]: t for t in list_task_runs(ctx.engine, old["id"]) if _CELL_TAG in (t.get("tags") or ())}
    by_index = {c["index"]: c for c in cells if c["index"] is not None}
    for task in list_task_runs(ctx.engine, new["id"]):
        other = before.get(task["task_key"])
        if other is None or _CELL_TAG not in (task.get("tags") or ()):
            continue  # a cell of one run only (papermill's injected parameters): its change is in the diff
        state = _state_change(other.get("state"), task.get("state"))
        duration = _duration_change(_seconds(other), _seconds(task), threshold)
        if state is None and duration is None:
            continue
        index, old_index = _cell_index(task), _cell_index(other)
        cell = by_index.get(index) if index is not None else None
        if cell is None:
            cell = by_index[index if index is not None else -1 - len(by_index)] = _unchanged_cell(
                index, old_index, new_nb
            )
            cells.append(cell)
        cell["state"], cell["duration"] = state, duration
    return sorted(cells, key=lambda c: c["index"] if c["index"] is not None else c["old_index"] or 0)


def _cell_index(task: dict[str, Any]) -> int | None:
    """A cell's position in its executed notebook: the number in its task run's name, ``cell-N``."""
    number = str(task.get("name", "")).rpartition("-")[2]
    return int(number) if number.isdigit() else None


def _unchanged_cell(index: int | None, old_index: int | None, notebook: dict[str, Any] | None) -> dict[str, Any]:
    """A cell whose source and outputs are the same in both runs (only its run changed)."""
    from ..workers.notebook_diff import notebook_cells

    cells = notebook_cells(notebook or {})
    cell = cells[index] if index is not None and 0 <= index < len(cells) else {}
    source = cell.get("source", "")
    return {
        "index": index,
        "old_index": old_index,
        "cell_type": str(cell.get("cell_type", "code")),
        "change": "modified",
        "source": "".join(source) if isinstance(source, list) else str(source),
    }
