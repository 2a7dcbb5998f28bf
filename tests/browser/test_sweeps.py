"""A sweep from the sidebar, in real Chromium: a deployment row's "Sweep…" form (one row per
parameter, comma-separated values, max parallel) starts four runs of a notebook that records the
square of its parameter, two at a time; the results table in the main area fills in while they
run (member states change with no reload), sorts by the recorded value, and offers the table as
CSV. A value the server refuses is shown under its field and starts nothing."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from playwright.sync_api import expect

from _helpers import write_notebook

from .conftest import RUN_TIMEOUT_MS, Lab, no_reload_happened, screenshot, show_sidebar

VALUES = [3, 1, 4, 2]  # members 0..3, in the grid's order


def _watch_member_states(page: Any) -> None:
    """Record every data-state each member row of a sweep table takes."""
    page.evaluate(
        """() => {
          window.__sweepStates = {};
          const scan = () => document.querySelectorAll('.orchestr-lab-sweep-panel tr[data-member]').forEach(el => {
            const seen = (window.__sweepStates[el.dataset.member] = window.__sweepStates[el.dataset.member] || []);
            if (el.dataset.state && seen[seen.length - 1] !== el.dataset.state) seen.push(el.dataset.state);
          });
          new MutationObserver(scan).observe(document.body, {
            subtree: true, childList: true, attributes: true, attributeFilter: ['data-state']
          });
          scan();
        }"""
    )


def _order(table: Any) -> list[str]:
    return [row.get_attribute("data-member") for row in table.locator("tbody tr[data-member]").all()]


def test_a_sweep_from_the_sidebar_fills_its_table_live_and_sorts_by_a_recorded_value(page: Any, lab: Lab) -> None:
    name = f"sweep-{uuid.uuid4().hex[:6]}.ipynb"
    write_notebook(
        lab.root / name,
        ["import time\nfrom orchestr_lab import record\ntime.sleep(1)\nrecord('square', n * n)"],
        parameters="n: int = 1  # the value to square",
    )
    deployment = lab.deploy(name, parameters={"n": 1})
    sidebar = show_sidebar(page)
    row = sidebar.locator(f"li[data-deployment-id='{deployment['id']}']")
    row.locator("[data-action='sweep']").click()

    # Prefilled with the deployment's parameters, one row each.
    form = row.locator(".orchestr-lab-sweep-form")
    grid_n = form.locator(".orchestr-lab-sweep-grid-row[data-parameter='n'] input")
    expect(grid_n).to_have_value("1")
    grid_n.fill(", ".join(map(str, VALUES)))
    expect(form.locator(".orchestr-lab-sweep-count")).to_have_text("4 members")
    screenshot(page, "sweep-form", row)

    # Beyond the server's bound: its message under the field, and no sweep.
    form.locator("input[name='max_parallel']").fill("100")
    form.locator("[data-action='start-sweep']").click()
    expect(form.locator(".orchestr-lab-field-error[data-field='max_parallel']")).to_contain_text("64")
    assert lab.api("GET", "sweeps", params={"deployment_id": deployment["id"]})["total"] == 0

    form.locator("input[name='max_parallel']").fill("2")
    _watch_member_states(page)
    form.locator("[data-action='start-sweep']").click()

    # The results table opens in the main area; the form closes.
    panel = page.locator(".orchestr-lab-sweep-panel[data-sweep-id]")
    expect(panel).to_be_visible()
    expect(form).to_have_count(0)
    sweep_id = panel.get_attribute("data-sweep-id")
    table = panel.locator(".orchestr-lab-sweep-table")
    expect(table.locator("tbody tr[data-member]")).to_have_count(4)
    expect(panel.locator(".orchestr-lab-sweep-parallel")).to_have_text("at most 2 at once")
    headers = table.locator("thead th")
    expect(headers.first).to_have_attribute("data-column", "index")
    expect(table.locator("tbody tr[data-member='0'] td[data-column='n']")).to_have_text("3")

    # It fills in live: all COMPLETED, and the recorded values arrive, with no reload.
    expect(panel).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS * 2)
    expect(table.locator("tbody tr[data-state='COMPLETED']")).to_have_count(4)
    expect(panel.locator(".orchestr-lab-sweep-counts")).to_have_text("4 of 4 completed")
    # index, n, state, duration, then each recorded output (a column once a member recorded it).
    expect(headers).to_have_count(5)
    assert [h.get_attribute("data-column") for h in headers.all()] == ["index", "n", "state", "duration", "square"]
    square = table.locator("thead th[data-column='square']")
    states = page.evaluate("window.__sweepStates")
    assert all(seen[-1] == "COMPLETED" for seen in states.values()), states
    # Two at a time: the later members waited, and the table showed them changing state.
    assert any(len(seen) > 1 for seen in states.values()), states
    for index, n in enumerate(VALUES):
        member = table.locator(f"tbody tr[data-member='{index}']")
        expect(member.locator("td[data-column='square']")).to_have_text(str(n * n))
    assert no_reload_happened(page)

    # Sorting by the recorded value reorders the rows (by value: 1 < 4 < 9 < 16), then the other way.
    assert _order(table) == ["0", "1", "2", "3"]
    square.click()
    expect(square).to_have_attribute("aria-sort", "ascending")
    assert _order(table) == ["1", "3", "0", "2"]
    square.click()
    expect(square).to_have_attribute("aria-sort", "descending")
    assert _order(table) == ["2", "0", "3", "1"]
    screenshot(page, "sweep-table", panel)

    # Nothing failed: nothing to retry, nothing to cancel.
    expect(panel.locator("[data-action='retry-sweep']")).to_be_disabled()
    expect(panel.locator("[data-action='cancel-sweep']")).to_be_disabled()

    # The CSV link serves the same table.
    href = panel.locator("a.orchestr-lab-sweep-csv").get_attribute("href")
    answer = page.request.get(f"{lab.url.rstrip('/')}{href}" if href.startswith("/") else href)
    assert answer.ok, answer.text()
    rows = list(csv.DictReader(io.StringIO(answer.text())))
    assert [(int(r["n"]), int(r["square"])) for r in rows] == [(n, n * n) for n in VALUES]
    assert lab.api("GET", f"sweeps/{sweep_id}")["max_parallel"] == 2


def _start_from_form(row: Any, page: Any, fill: Any) -> tuple[Any, str]:
    """Open the row's Sweep… form, let ``fill`` fill it, start it; the new table and its sweep id."""
    row.locator("[data-action='sweep']").click()
    form = row.locator(".orchestr-lab-sweep-form")
    fill(form)
    form.locator("[data-action='start-sweep']").click()
    expect(form).to_have_count(0)
    panel = page.locator(".orchestr-lab-sweep-panel[data-sweep-id]:visible")
    expect(panel).to_have_count(1)
    sweep_id = panel.get_attribute("data-sweep-id")
    assert sweep_id
    return page.locator(f".orchestr-lab-sweep-panel[data-sweep-id='{sweep_id}']"), sweep_id


def test_retry_failed_reruns_only_the_failed_member_and_cancel_stops_the_rest(page: Any, lab: Lab) -> None:
    tag = uuid.uuid4().hex[:6]
    name = f"sweep-flaky-{tag}.ipynb"
    # A negative n fails on its first attempt only (a marker file remembers it).
    write_notebook(
        lab.root / name,
        [
            "import time\nfrom pathlib import Path\nfrom orchestr_lab import record\n"
            f"marker = Path({str(lab.root)!r}) / f'{tag}-{{n}}.marker'\n"
            "if n < 0 and not marker.exists():\n    marker.touch()\n    raise ValueError('negative')\n"
            "time.sleep(seconds)\nrecord('double', 2 * n)"
        ],
        parameters="n: int = 1\nseconds: float = 0.0",
    )
    deployment = lab.deploy(name)
    row = show_sidebar(page).locator(f"li[data-deployment-id='{deployment['id']}']")

    # Parameter sets as JSON: the second member fails.
    def sets(form: Any) -> None:
        form.locator("input[type='radio'][value='sets']").check()
        form.locator("textarea[name='parameter_sets']").fill('[{"n": 2}, {"n": -1}]')

    panel, sweep_id = _start_from_form(row, page, sets)
    expect(panel).to_have_attribute("data-state", "FAILED", timeout=RUN_TIMEOUT_MS * 2)
    first_runs = {m["index"]: m["flow_run_id"] for m in lab.api("GET", f"sweeps/{sweep_id}")["members"]}
    expect(panel.locator("tr[data-member='1']")).to_have_attribute("data-state", "FAILED")
    retry = panel.locator("[data-action='retry-sweep']")
    expect(retry).to_have_text("Retry failed (1)")
    retry.click()
    expect(panel).to_have_attribute("data-state", "COMPLETED", timeout=RUN_TIMEOUT_MS * 2)
    expect(panel.locator("tr[data-member='1'] td[data-column='double']")).to_have_text("-2")
    after = {m["index"]: m["flow_run_id"] for m in lab.api("GET", f"sweeps/{sweep_id}")["members"]}
    assert after[0] == first_runs[0]  # the completed member was left alone

    # A slow sweep, one at a time: Cancel stops the running member and the waiting ones never start.
    def slow(form: Any) -> None:
        form.locator(".orchestr-lab-sweep-grid-row[data-parameter='n'] input").fill("1, 2, 3")
        form.locator(".orchestr-lab-sweep-grid-row[data-parameter='seconds'] input").fill("600")
        form.locator("input[name='max_parallel']").fill("1")

    panel, sweep_id = _start_from_form(row, page, slow)
    expect(panel.locator("tr[data-member='0']")).to_have_attribute("data-state", "RUNNING", timeout=RUN_TIMEOUT_MS)
    expect(panel.locator("tr[data-member='2']")).to_have_attribute("data-state", "SCHEDULED")
    panel.locator("[data-action='cancel-sweep']").click()
    expect(panel).to_have_attribute("data-state", "CANCELLED", timeout=RUN_TIMEOUT_MS)
    expect(panel.locator("tr[data-state='CANCELLED']")).to_have_count(3, timeout=RUN_TIMEOUT_MS)
    assert all(m["start_time"] is None for m in lab.api("GET", f"sweeps/{sweep_id}")["members"][1:])
    assert no_reload_happened(page)
