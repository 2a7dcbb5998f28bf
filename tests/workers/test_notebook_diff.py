"""``workers.notebook_diff``: only a cell's source and outputs count as a change; execution
counts, timings, metadata and papermill's injected cell never do; changed images are given
side by side."""

from __future__ import annotations

from typing import Any

import nbformat

from orchestr_lab.actions.run_diff import _duration_change
from orchestr_lab.workers.notebook_diff import changed_cells

PNG_A, PNG_B = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAAA==",
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAAB==",
)


def _notebook(city: str, image: str, count: int, seconds: float) -> dict[str, Any]:
    nb = nbformat.v4.new_notebook(metadata={"papermill": {"duration": seconds}})
    injected = nbformat.v4.new_code_cell(f"city = {city!r}", id=f"inj{count}")  # papermill: a new id each run
    injected.metadata["tags"] = ["injected-parameters"]
    plot = nbformat.v4.new_code_cell("plot(city)", execution_count=count)
    plot.metadata["execution"] = {"iopub.status.idle": f"2026-01-0{count}T00:00:00Z"}
    plot.metadata["papermill"] = {"duration": seconds}
    plot.outputs = [nbformat.v4.new_output("display_data", data={"image/png": image, "text/plain": "<Figure>"})]
    same = nbformat.v4.new_code_cell("x = 1", execution_count=count + 1)
    same.outputs = [nbformat.v4.new_output("stream", text=["one\n", "two\n"])]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), injected, plot, same]
    return dict(nb)


def test_only_the_changed_image_is_a_change_and_shown_side_by_side() -> None:
    old, new = _notebook("Paris", PNG_A, 1, 0.5), _notebook("Lyon", PNG_B, 7, 3.5)
    mark = nbformat.v4.new_markdown_cell('<span style="color:red">An Exception was encountered</span>')
    mark.metadata["tags"] = ["papermill-error-cell-tag"]  # papermill's, not the notebook's: positions unchanged
    new["cells"].insert(0, mark)
    (cell,) = changed_cells(old, new)
    assert (cell["index"], cell["change"], cell["source_changed"], cell["outputs_changed"]) == (
        2,
        "modified",
        False,
        True,
    )
    assert cell["old_outputs"] == [{"output_type": "display_data", "mime": "image/png", "data": PNG_A}]
    assert cell["outputs"] == [{"output_type": "display_data", "mime": "image/png", "data": PNG_B}]
    assert changed_cells(old, _notebook("Rome", PNG_A, 3, 9.0)) == []  # noise only


def test_a_new_cell_and_an_edited_source_are_changes() -> None:
    old, new = _notebook("Paris", PNG_A, 1, 0.5), _notebook("Paris", PNG_A, 1, 0.5)
    new["cells"][3]["source"] = "x = 2"
    new["cells"].append(nbformat.v4.new_markdown_cell("## Notes"))
    changes = [(c["index"], c["change"], c["source_changed"]) for c in changed_cells(old, new)]
    assert changes == [(3, "modified", True), (4, "added", True)]


def test_a_duration_counts_only_past_the_threshold_and_by_half() -> None:
    assert _duration_change(2.0, 3.5, 5.0) is None  # jitter
    assert _duration_change(100.0, 110.0, 5.0) is None  # 10%: noise on a busy machine
    assert _duration_change(2.0, 30.0, 5.0) == {"old": 2.0, "new": 30.0}
    assert _duration_change(None, 3.0, 5.0) is None  # did not finish: the state change says so
