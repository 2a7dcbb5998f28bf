"""Running notebooks in a real kernel (nbclient) and reading the widgets they left behind.

nbclient records every widget's last state in the notebook's metadata (what JupyterLab would
show), so a test reads a widget's values without a browser: :func:`widget_html` collects the
HTML of a displayed widget and of all its children.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def notebook(cells: list[str], *, raises: tuple[int, ...] = ()) -> nbformat.NotebookNode:
    """A notebook of code cells; the cells numbered in ``raises`` are expected to fail."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    for i in raises:
        nb.cells[i].metadata["tags"] = ["raises-exception"]
    return nb


def execute(nb: nbformat.NotebookNode, *, cwd: Path, timeout: int = 120) -> nbformat.NotebookNode:
    """Run every cell in a fresh kernel (which inherits this process's environment)."""
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def widget_states(nb: nbformat.NotebookNode) -> dict[str, Any]:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def views(cell: nbformat.NotebookNode) -> list[dict[str, Any]]:
    """The widget views a cell displayed (display data and results)."""
    return [o.data[WIDGET_VIEW] for o in cell.outputs if o.get("data", {}).get(WIDGET_VIEW)]


def texts(cell: nbformat.NotebookNode) -> list[str]:
    """The plain-text form of each widget the cell displayed (the no-frontend fallback)."""
    return [o.data.get("text/plain", "") for o in cell.outputs if o.get("data", {}).get(WIDGET_VIEW)]


def widget_html(nb: nbformat.NotebookNode, model_id: str) -> str:
    """Every HTML value of the widget ``model_id`` and its descendants, in order."""
    states = widget_states(nb)
    out: list[str] = []

    def visit(mid: str) -> None:
        state = states.get(mid, {}).get("state", {})
        value = state.get("value")
        if isinstance(value, str):
            out.append(value)
        for child in state.get("children", []):
            visit(child.removeprefix("IPY_MODEL_"))

    visit(model_id)
    return "\n".join(out)


def cell_html(nb: nbformat.NotebookNode, index: int) -> str:
    """The HTML of every widget cell ``index`` displayed."""
    return "\n".join(widget_html(nb, v["model_id"]) for v in views(nb.cells[index]))


def rows(html: str) -> list[dict[str, str]]:
    """The task-run rows of a run widget: ``{"state", "attempt"}`` of each ``<tr data-task-run-id>``."""
    return [
        {"state": m.group(1), "attempt": m.group(2)}
        for m in re.finditer(r'<tr data-task-run-id="[^"]+" data-state="(\w+)" data-attempt="(\d+)">', html)
    ]


def run_state(html: str) -> str | None:
    """The state type in a run widget's header."""
    m = re.search(r'class="orchestr-lab-run" data-run-id="[^"]+" data-state="(\w+)"', html)
    return m.group(1) if m else None


def stream(cell: nbformat.NotebookNode, name: str = "stdout") -> str:
    return "".join(o.text for o in cell.outputs if o.output_type == "stream" and o.name == name)


def errors(cell: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [o for o in cell.outputs if o.output_type == "error"]
