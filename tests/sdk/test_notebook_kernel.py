"""Flows in a real Jupyter kernel (nbclient): the kernel's event loop is already running there."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def _run(cells: list[str], home: Path) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    os.environ["ORCHESTR_LAB_HOME"] = str(home)  # the kernel inherits our environment
    NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    return nb


def _text(cell: nbformat.NotebookNode) -> str:
    out = []
    for o in cell.outputs:
        if o.output_type == "stream" and o.name == "stdout":
            out.append(o.text)
        elif o.output_type == "execute_result":
            out.append(o.data.get("text/plain", ""))
    return "".join(out).strip()


def test_sync_and_async_flows_in_a_kernel(orchestr_home: Path) -> None:
    nb = _run(
        [
            "import asyncio\nfrom orchestr_lab import flow, task, runtime",
            "@task(retries=1)\ndef inc(x, box=[]):\n    box.append(1)\n"
            "    if len(box) == 1: raise ValueError('once')\n    return x + 1\n"
            "@flow\ndef sync_flow(n: int):\n    return [inc(i) for i in range(n)], runtime.flow_run.id",
            "value, run_id = sync_flow(3)\nprint(type(value).__name__, value)",
            "@task\nasync def twice(x):\n    await asyncio.sleep(0)\n    return 2 * x\n"
            "@flow\nasync def async_flow():\n    return sum(await asyncio.gather(*(twice(i) for i in range(4))))",
            "print(await async_flow())",
            "@flow\ndef sync_calls_async():\n    return twice(21)\nprint(sync_calls_async())",
        ],
        orchestr_home,
    )
    assert _text(nb.cells[2]) == "list [1, 2, 3]"
    assert _text(nb.cells[4]) == "12"
    assert _text(nb.cells[5]) == "42"

    # The kernel's runs are in the store this process reads.
    from orchestr_lab.store.database import get_engine
    from orchestr_lab.store.run_reads import list_flow_runs

    items, _ = list_flow_runs(get_engine(), flow_name="sync-flow")
    assert items and items[0]["state"]["type"] == "COMPLETED"
