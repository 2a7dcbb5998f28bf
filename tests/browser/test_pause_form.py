"""A flow that waits for a person, answered where a notebook user is, in real Chromium: the run
widget under the cell shows the question as a form (a number and a choice) while the flow waits
in the kernel; a value the server refuses is shown under its field and the run stays paused; the
accepted answer resumes the run, which pauses again and is answered from the sidebar's run
detail this time, and completes with both answers."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import RUN_TIMEOUT_MS, Lab, no_reload_happened, open_new_notebook, screenshot, show_sidebar

CELL = """
from typing import Literal
from pydantic import Field
from orchestr_lab import flow
from orchestr_lab.flow_runs import pause_flow_run
from orchestr_lab.input import RunInput

class PrintJob(RunInput):
    copies: int = Field(2, ge=1, le=10, description="How many copies to print")
    paper: Literal["A4", "A3"] = "A4"

@flow
def print_job():
    asked = PrintJob.with_initial_data(description="**Approve** the print job")
    first = pause_flow_run(wait_for_input=asked, timeout=600, poll_interval=1)
    second = pause_flow_run(wait_for_input=PrintJob, timeout=600, poll_interval=1, key="reprint")
    return [first.copies, first.paper, second.copies, second.paper]

print("answers:", print_job())
"""


def _state(lab: Lab, run_id: str) -> str:
    return str(lab.api("GET", f"flow_runs/{run_id}")["state"]["type"])


def test_a_paused_flow_is_answered_from_its_widget_then_from_the_sidebar(page: Any, lab: Lab) -> None:
    notebook = open_new_notebook(page, lab, "pause_demo.ipynb", CELL)
    page.evaluate("window.__orchestrNoReload = true")
    notebook.locator(".jp-Cell").first.click()
    page.keyboard.press("Shift+Enter")

    # The widget asks: the input's description, a number box with its default and description,
    # a dropdown of the two choices.
    widget = notebook.locator(".jp-OutputArea-output").filter(has=page.locator(".orchestr-lab-run[data-run-id]"))
    form = widget.locator(".orchestr-lab-pause-form")
    expect(form).to_be_visible(timeout=RUN_TIMEOUT_MS)
    run_id = widget.locator(".orchestr-lab-run[data-run-id]").get_attribute("data-run-id")
    assert run_id
    expect(widget.locator(".orchestr-lab-run")).to_have_attribute("data-state", "PAUSED")
    expect(form.locator(".orchestr-lab-pause-description strong")).to_have_text("Approve")
    copies = form.locator(".orchestr-lab-pause-field-copies input")
    expect(copies).to_have_value("2")
    expect(form.locator(".orchestr-lab-pause-field-copies-box")).to_contain_text("How many copies to print")
    paper = form.locator(".orchestr-lab-pause-field-paper select")
    expect(paper.locator("option")).to_have_text(["A4", "A3"])
    screenshot(page, "pause-form-widget", widget)

    # Out of bounds: the server's message under the field, and the run still waits.
    copies.fill("12")
    form.locator(".orchestr-lab-pause-submit").click()
    expect(form.locator(".orchestr-lab-field-error[data-field='copies']")).to_contain_text("maximum of 10")
    assert _state(lab, run_id) == "PAUSED"

    copies.fill("3")
    paper.select_option(label="A3")
    form.locator(".orchestr-lab-pause-submit").click()

    # It pauses again (another key): answered from the sidebar's detail of the run this time.
    sidebar = show_sidebar(page)
    sidebar.locator(f"li[data-run-id='{run_id}']").click()
    detail = sidebar.locator(f".orchestr-lab-run-detail[data-run-id='{run_id}']")
    side_form = detail.locator(".orchestr-lab-pause-form[data-key='reprint']")
    expect(side_form).to_be_visible(timeout=RUN_TIMEOUT_MS)
    expect(detail).to_have_attribute("data-state", "PAUSED")
    side_copies = side_form.locator(".orchestr-lab-pause-field[data-field='copies'] input")
    expect(side_copies).to_have_value("2")
    expect(side_form.locator(".orchestr-lab-pause-field[data-field='copies']")).to_contain_text(
        "How many copies to print"
    )
    side_paper = side_form.locator(".orchestr-lab-pause-field[data-field='paper'] select")
    expect(side_paper.locator("option")).to_have_text(["A4", "A3"])

    side_copies.fill("many")
    side_form.locator("[data-action='resume-run']").click()
    expect(side_form.locator(".orchestr-lab-field-error[data-field='copies']")).to_contain_text(
        "is not of type 'integer'"
    )
    assert _state(lab, run_id) == "PAUSED"
    screenshot(page, "pause-form-sidebar", detail)

    side_copies.fill("5")
    side_form.locator("[data-action='resume-run']").click()
    expect(detail).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS)
    expect(detail.locator(".orchestr-lab-pause-form")).to_have_count(0)
    expect(widget.locator(".orchestr-lab-run")).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS)
    expect(notebook.locator(".jp-OutputArea-output", has_text="answers:")).to_contain_text(
        "answers: [3, 'A3', 5, 'A4']"
    )
    # The widget's second form says the run was answered elsewhere.
    expect(widget.locator(".orchestr-lab-pause-message")).to_contain_text("Resumed from elsewhere")
    assert no_reload_happened(page)
