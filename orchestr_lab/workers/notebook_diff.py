"""Which cells changed between two executed notebooks, by nbdime's notebook diff.

Only what a reader would call a change counts: a cell's source and its outputs. Everything a
run writes that differs every time (execution counts, papermill's timings and status, kernel
timestamps, the random ids papermill gives injected cells, the notebook's metadata) is removed
before the diff, and the cell papermill injects with a run's parameters is left out of the
answer: its change is the parameters' change, which the run diff reports by name.
"""

from __future__ import annotations

from typing import Any

__all__ = ["ERROR_MARK_TAG", "INJECTED_TAG", "changed_cells", "notebook_cells", "output_views"]

#: papermill's tag on the cell holding a run's parameters.
INJECTED_TAG = "injected-parameters"
#: papermill's tag on the markdown cells it adds to a failed run's notebook to point at the error.
ERROR_MARK_TAG = "papermill-error-cell-tag"
_MAX_TEXT = 4000  # characters of one text output shown side by side
_MAX_IMAGE = 2 * 1024 * 1024  # base64 characters of one image shown side by side
_IMAGES = ("image/png", "image/jpeg", "image/gif")


def changed_cells(old: dict[str, Any], new: dict[str, Any]) -> list[dict[str, Any]]:
    """The cells of ``new`` that differ from ``old`` (added, removed or modified), in order.

    Each is ``{index, old_index, cell_type, change, source_changed, outputs_changed, source,
    old_source, outputs, old_outputs}``; outputs are given (as :func:`output_views`) only when
    they changed.
    """
    from nbdime import diff_notebooks

    old_cells, new_cells = notebook_cells(old), notebook_cells(new)
    diff = diff_notebooks(_comparable(old_cells), _comparable(new_cells))
    cell_ops: list[dict[str, Any]] = next((op["diff"] for op in diff if op["key"] == "cells"), [])
    skip_old, skip_new = _injected(old_cells), _injected(new_cells)
    changes: list[dict[str, Any]] = []
    old_i = new_i = 0
    for op in cell_ops:
        shift = op["key"] - old_i  # cells before this op are the same in both
        old_i, new_i = old_i + shift, new_i + shift
        if op["op"] == "addrange":
            for _ in op["valuelist"]:
                if new_i not in skip_new:
                    changes.append(_change("added", None, new_i, None, new_cells[new_i]))
                new_i += 1
        elif op["op"] == "removerange":
            for _ in range(op["length"]):
                if old_i not in skip_old:
                    changes.append(_change("removed", old_i, None, old_cells[old_i], None))
                old_i += 1
        else:  # "patch": the same cell, changed
            if old_i not in skip_old and new_i not in skip_new:
                keys = {part["key"] for part in op["diff"]}
                changes.append(_change("modified", old_i, new_i, old_cells[old_i], new_cells[new_i], keys))
            old_i, new_i = old_i + 1, new_i + 1
    return changes


def notebook_cells(notebook: dict[str, Any]) -> list[dict[str, Any]]:
    """The notebook's cells as it was run, without papermill's error marks (so positions are
    those of the cells' task runs, ``cell-N``)."""
    cells = notebook.get("cells")
    if not isinstance(cells, list):
        return []
    return [c for c in cells if isinstance(c, dict) and ERROR_MARK_TAG not in _tags(c)]


def _tags(cell: dict[str, Any]) -> Any:
    metadata = cell.get("metadata")
    tags = metadata.get("tags") if isinstance(metadata, dict) else None
    return tags if isinstance(tags, list) else ()


def _comparable(cells: list[dict[str, Any]]) -> Any:
    """A notebook of ``cells`` keeping only what is compared: type, source, outputs without counts."""
    import nbformat

    kept = [
        {
            "cell_type": str(cell.get("cell_type", "code")),
            "metadata": {},
            "source": _text(cell.get("source")),
            **({"outputs": [_comparable_output(o) for o in _outputs(cell)]} if cell.get("cell_type") == "code" else {}),
        }
        for cell in cells
    ]
    return nbformat.from_dict({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": kept})


def _comparable_output(output: dict[str, Any]) -> dict[str, Any]:
    drop = ("execution_count", "transient")
    kept = {k: (_text(v) if k == "text" else v) for k, v in output.items() if k not in drop}
    data = kept.get("data")
    if isinstance(data, dict):  # multiline strings as one (JSON data as it is)
        kept["data"] = {m: v if m.endswith("json") else _text(v) for m, v in data.items()}
    return kept


def _outputs(cell: dict[str, Any]) -> list[dict[str, Any]]:
    outputs = cell.get("outputs")
    return [o for o in outputs if isinstance(o, dict)] if isinstance(outputs, list) else []


def _injected(cells: list[dict[str, Any]]) -> set[int]:
    return {i for i, cell in enumerate(cells) if INJECTED_TAG in _tags(cell)}


def _text(value: Any) -> str:
    """nbformat's multiline strings (a list of lines, or one string) as one string."""
    return "".join(value) if isinstance(value, list) else str(value or "")


def _change(
    change: str,
    old_index: int | None,
    index: int | None,
    old_cell: dict[str, Any] | None,
    new_cell: dict[str, Any] | None,
    keys: set[str] | None = None,
) -> dict[str, Any]:
    cell = new_cell if new_cell is not None else old_cell
    assert cell is not None
    source_changed = keys is None or "source" in keys
    outputs_changed = keys is None or "outputs" in keys
    return {
        "index": index,
        "old_index": old_index,
        "cell_type": str(cell.get("cell_type", "code")),
        "change": change,
        "source_changed": source_changed,
        "outputs_changed": outputs_changed,
        "source": _text(new_cell.get("source")) if new_cell is not None else "",
        "old_source": _text(old_cell.get("source")) if old_cell is not None and source_changed else None,
        "outputs": output_views(new_cell) if new_cell is not None and outputs_changed else [],
        "old_outputs": output_views(old_cell) if old_cell is not None and outputs_changed else [],
    }


def output_views(cell: dict[str, Any]) -> list[dict[str, Any]]:
    """A cell's outputs as a side-by-side view shows them: a stream's or a result's text
    (capped), an error's name and message, or an image's base64 data (never HTML or script)."""
    views: list[dict[str, Any]] = []
    for output in _outputs(cell):
        kind = str(output.get("output_type", ""))
        if kind == "stream":
            views.append({"output_type": kind, "mime": "text/plain", "text": _text(output.get("text"))[:_MAX_TEXT]})
        elif kind == "error":
            text = f"{output.get('ename', '')}: {output.get('evalue', '')}"
            views.append({"output_type": kind, "mime": "text/plain", "text": text[:_MAX_TEXT]})
        else:
            views.append(_rich_view(kind, output.get("data") or {}))
    return views


def _rich_view(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    for mime in _IMAGES:
        image = _text(data.get(mime)).replace("\n", "")
        if image and len(image) <= _MAX_IMAGE:
            return {"output_type": kind, "mime": mime, "data": image}
    return {"output_type": kind, "mime": "text/plain", "text": _text(data.get("text/plain"))[:_MAX_TEXT]}
