""" "Retry from cell N" in the run detail: a failed notebook run resumes at its failing cell.

Real Chromium, real JupyterLab, real local worker and kernels. The notebook's third cell fails on
the first attempt only (it leaves a marker, then raises); the second appends to a file, so the
test can tell whether a retry ran it again.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from _helpers import write_notebook
from orchestr_lab.workers.resume import snapshot_path_for

from .conftest import RUN_TIMEOUT_MS, Lab, no_reload_happened, show_sidebar

# Cell 1 is the parameters cell, cell 2 the notebook's injected parameters (the deployment's
# `tag`), then the three cells below: the one that fails first is cell 5.
FAILING_CELL = 5


def _flaky_notebook(lab: Lab) -> str:
    """A notebook (its path under the server root) whose last cell fails on the first attempt."""
    name = f"flaky-{uuid.uuid4().hex[:6]}.ipynb"
    write_notebook(
        lab.root / name,
        [
            "from pathlib import Path\n"
            f"root = Path({str(lab.root)!r})\n"
            "marker, log = root / f'{tag}.marker', root / f'{tag}.log'",
            # The expensive cell a resume must not run again.
            "with log.open('a') as f:\n    f.write('ran\\n')",
            "if not marker.exists():\n"
            "    marker.touch()\n"
            "    raise RuntimeError('first attempt fails')\n"
            "print('second attempt:', log.read_text().count('ran'))",
        ],
        parameters='tag = "default"  # names the files this run leaves',
    )
    return name


def _failed_run_in_detail(page: Any, lab: Lab) -> tuple[Any, Any, dict[str, Any], Path]:
    """Deploy and run the flaky notebook, wait for it to fail, open its detail.

    Returns the sidebar, the detail, the failed run and the file its second cell appends to.
    """
    tag = uuid.uuid4().hex[:8]
    deployment = lab.deploy(_flaky_notebook(lab), parameters={"tag": tag})
    run = lab.api("POST", f"deployments/{deployment['id']}/runs", json={})
    sidebar = show_sidebar(page)
    run_row = sidebar.locator(f"li[data-run-id='{run['id']}']")
    expect(run_row).to_have_attribute("data-state", "FAILED", timeout=RUN_TIMEOUT_MS)
    run_row.click()
    detail = sidebar.locator(f".orchestr-lab-run-detail[data-run-id='{run['id']}']")
    expect(detail).to_have_attribute("data-state", "FAILED")
    return sidebar, detail, lab.api("GET", f"flow_runs/{run['id']}"), lab.root / f"{tag}.log"


def test_retry_from_the_failing_cell_keeps_the_cells_before_it(page: Any, lab: Lab) -> None:
    sidebar, detail, run, log = _failed_run_in_detail(page, lab)
    assert log.read_text() == "ran\n"
    assert run["resume_cell"] == FAILING_CELL, run

    # The failing cell is the one the button names, next to the plain Retry.
    expect(detail.locator(".orchestr-lab-cell[data-state='FAILED'] .orchestr-lab-name")).to_have_text(
        f"cell-{FAILING_CELL}"
    )
    expect(detail.locator("[data-action='retry']")).to_have_text("Retry")
    button = detail.locator("[data-action='retry-from-cell']")
    expect(button).to_have_text(f"Retry from cell {FAILING_CELL}")

    button.click()
    expect(detail).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS)
    expect(button).to_be_hidden()  # COMPLETED: nothing to resume any more
    expect(detail.locator(".orchestr-lab-logs")).to_contain_text(f"Resuming at cell {FAILING_CELL}")
    # Back in the list, the run's row has moved on too, with no reload.
    detail.get_by_role("button", name="← Back").click()
    expect(sidebar.locator(f"li[data-run-id='{run['id']}']")).to_have_attribute("data-state", "COMPLETED")
    assert no_reload_happened(page)

    # The cell before the failing one ran once, on the first attempt only.
    assert log.read_text() == "ran\n"
    resumed = lab.api("GET", f"flow_runs/{run['id']}")
    assert resumed["run_count"] == 2 and resumed["resume_cell"] is None, resumed


def test_retry_from_cell_says_why_when_the_saved_state_is_gone(page: Any, lab: Lab) -> None:
    _, detail, run, log = _failed_run_in_detail(page, lab)
    button = detail.locator("[data-action='retry-from-cell']")
    expect(button).to_have_text(f"Retry from cell {FAILING_CELL}")

    # The kernel state goes away after the detail showed the button: the server says 409.
    snapshot_path_for(Path(run["output_notebook"])).unlink()
    button.click()
    toast = page.locator(".Toastify__toast", has_text=f"Retry from cell {FAILING_CELL}:")
    expect(toast).to_contain_text("the kernel state saved when it failed is gone")
    # Nothing was retried; the plain Retry is still there.
    expect(detail).to_have_attribute("data-state", "FAILED")
    expect(detail.locator("[data-action='retry']")).to_be_visible()
    assert lab.api("GET", f"flow_runs/{run['id']}")["state"]["type"] == "FAILED"
    assert log.read_text() == "ran\n"
