"""The sidebar's Variables section in real Chromium: list, add, edit, delete, and the server's
own message when it refuses a name or a value."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from playwright.sync_api import expect

from .conftest import Lab, show_sidebar


def test_variables_section_lists_adds_edits_deletes_and_shows_refusals(page: Any, lab: Lab) -> None:
    tag = uuid.uuid4().hex[:6]
    preset, added = f"preset_{tag}", f"from_ui_{tag}"
    lab.api("POST", "variables", json={"name": preset, "value": {"a": 1}})
    page.reload()  # the section reads the variables when it first shows
    page.locator("#jp-main-dock-panel").wait_for(state="visible", timeout=60_000)
    section = show_sidebar(page).locator(".orchestr-lab-variables")
    expect(section.locator(f"[data-variable='{preset}'] .orchestr-lab-variable-value")).to_have_text('{"a":1}')

    # Add: a JSON value is stored as JSON.
    section.get_by_label("New variable name").fill(added)
    section.get_by_label("New variable value").fill("[1, 2]")
    section.locator("[data-action='add-variable']").click()
    row = section.locator(f"[data-variable='{added}']")
    expect(row.locator(".orchestr-lab-variable-value")).to_have_text("[1,2]")
    assert lab.api("GET", f"variables/{added}")["value"] == [1, 2]

    # A refused name shows the server's message, and nothing is stored.
    section.get_by_label("New variable name").fill("Bad Name")
    section.get_by_label("New variable value").fill("1")
    section.locator("[data-action='add-variable']").click()
    expect(section.locator(".orchestr-lab-message")).to_contain_text(
        "Variable name must only contain lowercase letters, numbers, and dashes or underscores"
    )

    # Edit: text that is not JSON is kept as text; a value too large is refused with the reason.
    row.locator("[data-action='edit-variable']").click()
    row.get_by_label(f"Value of {added}").fill("x" * 5001)
    row.locator("[data-action='save-variable']").click()
    expect(section.locator(".orchestr-lab-message")).to_contain_text("less than 5000 characters")
    row.get_by_label(f"Value of {added}").fill("hello world")
    row.locator("[data-action='save-variable']").click()
    expect(row.locator(".orchestr-lab-variable-value")).to_have_text("hello world")
    expect(section.locator(".orchestr-lab-message")).to_have_count(0)
    assert lab.api("GET", f"variables/{added}")["value"] == "hello world"

    # A variable set elsewhere shows on reload.
    lab.api("POST", "variables", json={"name": f"later_{tag}", "value": True})
    section.locator("[data-action='reload-variables']").click()
    expect(section.locator(f"[data-variable='later_{tag}'] .orchestr-lab-variable-value")).to_have_text("true")

    # Delete.
    row.locator("[data-action='delete-variable']").click()
    expect(row).to_have_count(0)
    gone = httpx.get(
        f"{lab.url}orchestr-lab/api/variables/{added}", headers={"Authorization": f"token {lab.token}"}, timeout=30
    )
    assert gone.status_code == 404
