"""Artifacts where a notebook user looks, in real Chromium: a flow run in a notebook makes a table
and a progress artifact, moved in steps while it runs; its run widget and the sidebar's run detail
both show the table and the bar, and the bar moves in each while the run goes on."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import RUN_TIMEOUT_MS, Lab, no_reload_happened, open_new_notebook, screenshot, show_sidebar

CELL = """
import time
from orchestr_lab import flow
from orchestr_lab.artifacts import create_progress_artifact, create_table_artifact, update_progress_artifact

@flow
def city_report():
    create_table_artifact([{"city": "Oslo", "rows": 3}, {"city": "Lima", "rows": 5}], key="cities")
    bar = create_progress_artifact(0.0, key="load")
    for pct in (20, 40, 60, 80, 100):
        time.sleep(1.5)
        update_progress_artifact(bar, pct)

city_report()
"""

# Record every data-progress value a bar takes (under `scope`), so the test sees it move.
_WATCH = """scope => {
  const seen = (window.__orchestrProgress = window.__orchestrProgress || {});
  seen[scope] = seen[scope] || [];
  const scan = () => document.querySelectorAll(scope + ' [data-progress]').forEach(el => {
    const value = Number(el.dataset.progress), list = seen[scope];
    if (list[list.length - 1] !== value) list.push(value);
  });
  new MutationObserver(scan).observe(document.body, {subtree: true, childList: true, attributes: true});
  scan();
}"""


def _seen(page: Any, scope: str) -> list[float]:
    return page.evaluate("scope => (window.__orchestrProgress || {})[scope] || []", scope)


def _moved(values: list[float]) -> bool:
    """Seen part-way (strictly between 0 and 100) before it reached 100."""
    return bool(values) and values[-1] == 100 and any(0 < v < 100 for v in values)


def test_a_notebook_flows_table_and_moving_progress_in_its_widget_and_the_sidebar(page: Any, lab: Lab) -> None:
    notebook = open_new_notebook(page, lab, "artifacts_demo.ipynb", CELL)
    page.evaluate("window.__orchestrNoReload = true")
    page.evaluate(_WATCH, ".jp-OutputArea-output")
    page.evaluate(_WATCH, ".orchestr-lab-run-detail")
    notebook.locator(".jp-Cell").first.click()
    page.keyboard.press("Shift+Enter")

    # The widget: the run, its table, and a bar that is there before the run ends.
    widget = notebook.locator(".jp-OutputArea-output").filter(has=page.locator(".orchestr-lab-run[data-run-id]"))
    bar = widget.locator(".orchestr-lab-artifact[data-artifact-type='progress'] [data-progress]")
    expect(bar).to_be_visible(timeout=RUN_TIMEOUT_MS)
    run_id = widget.locator(".orchestr-lab-run[data-run-id]").get_attribute("data-run-id")
    table = widget.locator(".orchestr-lab-artifact[data-artifact-type='table'] table")
    expect(table.locator("th")).to_have_text(["city", "rows"])
    expect(table.locator("tbody tr").first.locator("td")).to_have_text(["Oslo", "3"])

    # The sidebar's detail of the same run, opened while it runs, follows the bar too.
    sidebar = show_sidebar(page)
    sidebar.locator(f"li[data-run-id='{run_id}']").click()
    detail = sidebar.locator(f".orchestr-lab-run-detail[data-run-id='{run_id}']")
    detail_bar = detail.locator(".orchestr-lab-artifact[data-artifact-type='progress'] [data-progress]")
    expect(detail_bar).to_be_visible()
    detail_table = detail.locator(".orchestr-lab-artifact[data-artifact-type='table'] table")
    expect(detail_table.locator("tbody tr")).to_have_count(2)
    expect(detail_table.locator("tbody tr").nth(1).locator("td")).to_have_text(["Lima", "5"])

    expect(widget.locator(".orchestr-lab-run[data-run-id]")).to_have_attribute(
        "data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS
    )
    expect(bar).to_have_attribute("data-progress", "100")
    expect(bar).to_contain_text("100%")
    expect(detail_bar).to_have_attribute("data-progress", "100")
    expect(detail).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS)
    widget_values, detail_values = _seen(page, ".jp-OutputArea-output"), _seen(page, ".orchestr-lab-run-detail")
    assert _moved(widget_values), widget_values
    assert _moved(detail_values), detail_values
    assert no_reload_happened(page)
    screenshot(page, "artifacts-widget-and-detail")
