"""The SLA badge in real Chromium: a deployment whose freshness SLA the reaper finds breached
gets a warning badge on its sidebar row, live (the breach's event rereads the row)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import Lab, show_sidebar


def test_a_stale_deployment_shows_a_warning_badge(page: Any, lab: Lab) -> None:
    deployment = lab.deploy("report.ipynb")
    row = show_sidebar(page).locator(f"li[data-deployment-id='{deployment['id']}']")
    expect(row).to_be_visible()
    expect(row.locator(".orchestr-lab-chip-sla")).to_have_count(0)

    lab.api("PATCH", f"deployments/{deployment['id']}", json={"freshness_seconds": 1})
    badge = row.locator(".orchestr-lab-chip-sla")
    expect(badge).to_be_visible(timeout=15_000)  # the reaper ticks every second here
    expect(badge).to_have_attribute("data-sla", "freshness")
    assert "no COMPLETED run within freshness_seconds" in (badge.get_attribute("title") or "")
