"""The Orchestration sidebar and "Schedule notebook…", in real Chromium against real JupyterLab.

Each test starts from a freshly loaded page and waits only on what the user would see change.
"""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from .conftest import RUN_TIMEOUT_MS, Lab, no_reload_happened, screenshot, show_file_browser, show_sidebar

# Everything a run row passes through before it finishes.
_NOT_FINAL = re.compile(r"^(SCHEDULED|PENDING|RUNNING)$")


def _watch_states(page: Any) -> None:
    """Record every data-state each run row takes, so a test can see the states it went through."""
    page.evaluate(
        """() => {
          window.__orchestrStates = {};
          const note = el => {
            const id = el.dataset.runId, state = el.dataset.state;
            if (!id || !state) return;
            const seen = (window.__orchestrStates[id] = window.__orchestrStates[id] || []);
            if (seen[seen.length - 1] !== state) seen.push(state);
          };
          const scan = () => document.querySelectorAll('#orchestr-lab-sidebar li[data-run-id]').forEach(note);
          new MutationObserver(scan).observe(document.body, {
            subtree: true, childList: true, attributes: true, attributeFilter: ['data-state']
          });
          scan();
        }"""
    )


def _states_seen(page: Any, run_id: str) -> list[str]:
    return page.evaluate("id => (window.__orchestrStates || {})[id] || []", run_id)


def _open_schedule_form_from_file_browser(page: Any, notebook: str) -> Any:
    browser = show_file_browser(page)
    item = browser.locator(f".jp-DirListing-item[title^='Name: {notebook}']")
    item.click(button="right")
    page.locator(".lm-Menu-item[data-command='orchestr-lab:schedule-notebook']").click()
    form = page.locator(".orchestr-lab-schedule-form")
    expect(form).to_be_visible()
    return form


def test_schedule_report_through_the_form_then_run_it_live_and_open_its_output(page: Any, lab: Lab) -> None:
    form = _open_schedule_form_from_file_browser(page, "report.ipynb")

    # Prefilled with the notebook's parameters (name, type, default).
    expect(form.locator("[data-parameter='city'] input")).to_have_value("Paris")
    expect(form.locator("[data-parameter='city'] code")).to_have_text("str")
    expect(form.locator("[data-parameter='days'] input")).to_have_value("7")
    expect(form.locator("[data-parameter='days'] code")).to_have_text("int")

    name = f"report-{lab.token[:6]}"
    form.locator("input[name='name']").fill(name)
    form.locator("input[name='cron']").fill("30 7 * * 1-5")
    form.locator("input[name='timezone']").fill("Europe/Paris")
    # Human words from the expression, and fire times from the server.
    expect(form.locator(".orchestr-lab-preview-words")).to_have_text(
        "At 07:30, only on Monday through Friday (Europe/Paris)"
    )
    # Fire times from the server, shown in the schedule's zone: weekdays at 07:30.
    expect(form.locator(".orchestr-lab-preview-times")).to_contain_text("07:30")
    assert form.locator(".orchestr-lab-preview-times").inner_text().count("07:30") == 3
    form.locator("[data-parameter='city'] input").fill("Lyon")
    screenshot(page, "schedule-form")
    form.get_by_role("button", name="Create deployment").click()
    expect(form).to_be_hidden()  # created: the form closes and the sidebar comes forward

    sidebar = show_sidebar(page)
    row = sidebar.locator("li[data-deployment-id]", has_text=name)
    expect(row).to_be_visible()
    expect(row.locator(".orchestr-lab-schedule")).to_contain_text("At 07:30")
    expect(row.locator(".orchestr-lab-schedule code")).to_have_text("30 7 * * 1-5")
    expect(row.locator(".orchestr-lab-next-run")).to_contain_text("07:30")
    deployment = lab.api("GET", f"deployments/{row.get_attribute('data-deployment-id')}")
    assert deployment["parameters"] == {"city": "Lyon"}
    assert deployment["schedules"][0]["timezone"] == "Europe/Paris"

    # Run now: the run row appears and moves on to COMPLETED with no reload.
    _watch_states(page)
    row.get_by_role("button", name="Run now").click()
    row.get_by_role("button", name="Start run").click()
    run_row = sidebar.locator(f"li[data-run-id][data-for-deployment='{deployment['id']}']").first
    expect(run_row).to_be_visible()
    run_id = run_row.get_attribute("data-run-id")
    expect(run_row).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS)
    seen = _states_seen(page, run_id)
    assert seen[-1] == "COMPLETED" and any(_NOT_FINAL.match(s) for s in seen[:-1]), seen
    assert no_reload_happened(page)

    # Its detail: cells, recorded outputs; then the executed notebook, read-only.
    run_row.click()
    detail = sidebar.locator(".orchestr-lab-run-detail")
    expect(detail).to_have_attribute("data-state", "COMPLETED")
    expect(detail.locator(".orchestr-lab-recorded tr[data-name='days']")).to_contain_text("7")
    expect(detail.locator(".orchestr-lab-cell[data-state='COMPLETED']").first).to_be_visible()
    screenshot(page, "sidebar-run-detail", page.locator("#jp-left-stack"))
    detail.get_by_role("button", name="Open output notebook").click()
    view = page.locator(f".orchestr-lab-output-notebook[data-run-id='{run_id}']")
    expect(view).to_be_visible()
    expect(view.locator(".orchestr-lab-nb-outputs").first).to_contain_text("Lyon: 7 days")
    expect(page.locator(".lm-TabBar-tab.lm-mod-current", has_text="(read-only)")).to_be_visible()
    screenshot(page, "sidebar-output-notebook")


def test_run_now_with_an_override_turns_running_then_completed(page: Any, lab: Lab) -> None:
    deployment = lab.deploy("slow.ipynb")
    sidebar = show_sidebar(page)
    row = sidebar.locator(f"li[data-deployment-id='{deployment['id']}']")
    expect(row).to_be_visible()
    expect(row).to_contain_text("On demand only")

    row.get_by_role("button", name="Run now").click()
    row.locator("input[name='seconds']").fill("3")
    row.get_by_role("button", name="Start run").click()

    run_row = sidebar.locator(f"li[data-run-id][data-for-deployment='{deployment['id']}']").first
    expect(run_row).to_have_attribute("data-state", "RUNNING", timeout=RUN_TIMEOUT_MS)
    expect(run_row.locator(".orchestr-lab-params")).to_have_text("seconds=3")
    screenshot(page, "sidebar-running", page.locator("#jp-left-stack"))
    expect(run_row).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS)
    expect(row.locator(".orchestr-lab-chip[data-state='COMPLETED']")).to_be_visible()
    assert no_reload_happened(page)

    # The state filter narrows the list to what matches.
    sidebar.get_by_label("Filter runs by state").select_option("FAILED")
    expect(run_row).to_be_hidden()
    sidebar.get_by_label("Filter runs by state").select_option("COMPLETED")
    expect(run_row).to_be_visible()
    # And "Runs" on a deployment shows only that deployment's runs.
    sidebar.get_by_label("Filter runs by state").select_option("")
    row.get_by_role("button", name="Runs").click()
    expect(sidebar.get_by_label("Filter runs by deployment")).to_have_value(deployment["id"])
    expect(sidebar.locator(f"li[data-run-id]:not([data-for-deployment='{deployment['id']}'])")).to_have_count(0)
    expect(run_row).to_be_visible()

    # Pause and resume its schedules.
    row.get_by_role("button", name="Pause").click()
    expect(row).to_have_attribute("data-paused", "true")
    assert lab.api("GET", f"deployments/{deployment['id']}")["paused"] is True
    row.get_by_role("button", name="Resume").click()
    expect(row).to_have_attribute("data-paused", "false")


def test_cancel_a_long_run_from_its_detail(page: Any, lab: Lab) -> None:
    deployment = lab.deploy("slow.ipynb", parameters={"seconds": 600})
    run = lab.api("POST", f"deployments/{deployment['id']}/runs", json={})
    sidebar = show_sidebar(page)
    run_row = sidebar.locator(f"li[data-run-id='{run['id']}']")
    expect(run_row).to_have_attribute("data-state", "RUNNING", timeout=RUN_TIMEOUT_MS)
    run_row.click()
    detail = sidebar.locator(f".orchestr-lab-run-detail[data-run-id='{run['id']}']")
    expect(detail.locator(".orchestr-lab-cell[data-state='RUNNING']")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    detail.get_by_role("button", name="Cancel").click()
    expect(detail).to_have_attribute("data-state", "CANCELLED", timeout=RUN_TIMEOUT_MS)
    expect(detail.get_by_role("button", name="Retry")).to_be_visible()
    assert lab.api("GET", f"flow_runs/{run['id']}")["state"]["type"] == "CANCELLED"


def test_a_bad_cron_expression_shows_the_servers_message_next_to_the_field(page: Any, lab: Lab) -> None:
    # From the notebook toolbar this time.
    show_file_browser(page).locator(".jp-DirListing-item[title^='Name: report.ipynb']").dblclick()
    button = page.locator(".jp-NotebookPanel:visible .orchestr-lab-toolbar-schedule")
    button.click()
    form = page.locator(".orchestr-lab-schedule-form")
    expect(form).to_be_visible()
    form.locator("input[name='name']").fill(f"bad-cron-{lab.token[:6]}")
    form.locator("input[name='cron']").fill("61 * * * *")
    error = form.locator(".orchestr-lab-field-error[data-field='cron']")
    expect(error).to_contain_text("Invalid cron expression '61 * * * *'")  # the preview's answer
    form.get_by_role("button", name="Create deployment").click()
    expect(error).to_contain_text("Invalid cron expression '61 * * * *'")  # the create's answer
    # The message sits with the cron field, and nothing was created.
    expect(
        form.locator("label", has=page.locator("input[name='cron']")).locator(".orchestr-lab-field-error")
    ).to_be_visible()
    screenshot(page, "schedule-form-error", form)
    names = [d["name"] for d in lab.api("GET", "deployments")]
    assert f"bad-cron-{lab.token[:6]}" not in names


def test_open_sidebar_from_the_command_palette(page: Any) -> None:
    show_file_browser(page)
    page.locator(".jp-Launcher").click()  # keyboard shortcuts need focus inside the app
    page.keyboard.press("Control+Shift+C")
    page.locator("#command-palette input").fill("Orchestration")
    page.locator("#command-palette [data-command='orchestr-lab:open-sidebar']").click()
    expect(page.locator("#orchestr-lab-sidebar")).to_be_visible()
    expect(page.locator("#orchestr-lab-sidebar .orchestr-lab-live")).to_have_text("● live")


def test_quickstart_notebook_run_all_shows_the_run_widget_completed(page: Any, lab: Lab) -> None:
    show_file_browser(page).locator(".jp-DirListing-item[title^='Name: 01-quickstart.ipynb']").dblclick()
    notebook = page.locator(".jp-NotebookPanel:visible")
    expect(notebook.locator(".jp-Notebook")).to_be_visible()
    # Run all only once the kernel is connected (earlier, JupyterLab asks which kernel to start).
    expect(page.locator("#jp-main-statusbar", has_text=re.compile(r"ipykernel\) \| Idle"))).to_be_visible(
        timeout=60_000
    )
    page.locator("li.lm-MenuBar-item", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-item", has_text=re.compile(r"^Run All Cells$")).click()

    # The etl flow's widget: its header carries the run id and state, like the sidebar's rows.
    widgets = notebook.locator(".jp-OutputArea-output .orchestr-lab-run[data-run-id]")
    etl = widgets.filter(has_text="etl").first
    expect(etl).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS)
    expect(etl.locator(".orchestr-lab-badge")).to_have_text("Completed")
    # Every flow in the notebook ends (the 2,000-task one last), none left running.
    expect(widgets).to_have_count(3, timeout=RUN_TIMEOUT_MS)
    for index in range(3):
        expect(widgets.nth(index)).not_to_have_attribute("data-state", _NOT_FINAL, timeout=RUN_TIMEOUT_MS)
    run_id = etl.get_attribute("data-run-id")
    etl_cell = page.locator(".jp-Cell", has=page.locator(f".orchestr-lab-run[data-run-id='{run_id}']"))
    screenshot(page, "quickstart-widget", etl_cell)

    # The same run, recorded in the store, is in the sidebar.
    run_row = show_sidebar(page).locator(f"li[data-run-id='{run_id}']")
    expect(run_row).to_have_attribute("data-state", "COMPLETED")
