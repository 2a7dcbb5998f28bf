"""From a run's detail in the sidebar: "Compare with…" shows what changed since the deployment's
previous COMPLETED run, the changed cell highlighted; "Report" opens the executed notebook."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from _helpers import wait_for

from .conftest import RUN_TIMEOUT_MS, Lab, screenshot, show_sidebar


def _completed_run(lab: Lab, deployment: dict[str, Any], city: str) -> dict[str, Any]:
    run = lab.api("POST", f"deployments/{deployment['id']}/runs", json={"parameters": {"city": city}})

    def done() -> bool:
        state = lab.api("GET", f"flow_runs/{run['id']}")["state"]["type"]
        assert state not in ("FAILED", "CRASHED", "CANCELLED"), state
        return state == "COMPLETED"

    wait_for(done, timeout=RUN_TIMEOUT_MS / 1000, interval=0.5, what=f"the {city} run to complete")
    return run


def test_compare_with_the_previous_run_and_open_the_report(page: Any, lab: Lab) -> None:
    deployment = lab.deploy("report.ipynb")
    first = _completed_run(lab, deployment, "Paris")
    second = _completed_run(lab, deployment, "Lyon")

    sidebar = show_sidebar(page)
    run_row = sidebar.locator(f"li[data-run-id='{second['id']}']")
    expect(run_row).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS)
    run_row.click()
    detail = sidebar.locator(f".orchestr-lab-run-detail[data-run-id='{second['id']}']")
    detail.locator("button[data-action='compare']").click()

    view = page.locator(f".orchestr-lab-diff-view[data-run-id='{second['id']}']")
    expect(view).to_have_attribute("data-against", first["id"], timeout=30_000)
    city = view.locator(".orchestr-lab-diff-parameters tr[data-name='city']")
    expect(city.locator(".orchestr-lab-diff-old")).to_have_text("Paris")
    expect(city.locator(".orchestr-lab-diff-new")).to_have_text("Lyon")
    expect(view.locator(".orchestr-lab-diff-recorded tr")).to_have_count(1)
    cells = view.locator(".orchestr-lab-diff-cell")
    expect(cells).to_have_count(1)  # the print of the city, and nothing else
    changed = cells.first
    expect(changed).to_have_attribute("data-index", "3")
    expect(changed).to_have_attribute("data-outputs-changed", "true")
    expect(changed).to_have_class("orchestr-lab-diff-cell orchestr-lab-diff-changed")
    expect(changed.locator(".orchestr-lab-diff-outputs.orchestr-lab-diff-old")).to_contain_text("Paris: 7 days")
    expect(changed.locator(".orchestr-lab-diff-outputs.orchestr-lab-diff-new")).to_contain_text("Lyon: 7 days")
    screenshot(page, "run-diff", view)

    detail.locator("button[data-action='report']").click()
    report = page.locator(f".orchestr-lab-report[data-run-id='{second['id']}'] iframe")
    expect(report).to_have_attribute("sandbox", "")
    frame = page.frame_locator(f".orchestr-lab-report[data-run-id='{second['id']}'] iframe")
    expect(frame.locator("body")).to_contain_text("Lyon: 7 days, from 16.0 to 24.0", timeout=30_000)
