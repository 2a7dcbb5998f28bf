"""Without the server extension, the sidebar says so plainly instead of failing quietly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from .conftest import open_lab, running_lab, show_sidebar


def test_a_missing_server_extension_is_reported(browser: Any, tmp_path: Path) -> None:
    with running_lab(tmp_path, "--ServerApp.jpserver_extensions=orchestr_lab=False") as lab:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            page = open_lab(context, lab)
            message = "orchestr-lab's server extension does not answer"
            # A notification right away, and the same words at the top of the sidebar.
            expect(page.get_by_role("alert").filter(has_text=message)).to_be_visible()
            expect(show_sidebar(page).locator(".orchestr-lab-message-error")).to_contain_text(
                "jupyter server extension list"
            )
        finally:
            context.close()
