"""The SLA badge in real Chromium: a deployment whose freshness SLA the reaper finds breached
gets a warning badge on its sidebar row, live (the breach's event rereads the row), and loses it
when a COMPLETED run clears the breach."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import RUN_TIMEOUT_MS, Lab, show_sidebar

FRESHNESS = 8  # seconds: long enough to see the badge go when a run completes, before it is due again


def test_a_stale_deployment_shows_a_warning_badge_until_a_run_completes(page: Any, lab: Lab) -> None:
    deployment = lab.deploy("report.ipynb", freshness_seconds=FRESHNESS)
    sidebar = show_sidebar(page)
    row = sidebar.locator(f"li[data-deployment-id='{deployment['id']}']")
    expect(row).to_be_visible()
    badge = row.locator(".orchestr-lab-chip-sla")
    expect(badge).to_be_visible(timeout=(FRESHNESS + 10) * 1000)  # the reaper ticks every second here
    expect(badge).to_have_attribute("data-sla", "freshness")
    assert "no COMPLETED run within freshness_seconds" in (badge.get_attribute("title") or "")

    run = lab.api("POST", f"deployments/{deployment['id']}/runs", json={})
    run_row = sidebar.locator(f"li[data-run-id='{run['id']}']")
    expect(run_row).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS)
    expect(badge).to_have_count(0)
