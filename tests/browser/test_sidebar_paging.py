"""A long run list in the sidebar: only a window of rows is in the page, and scrolling pages in
the rest, down to the oldest run."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployment_runs import create_run_in
from orchestr_lab.store.deployments import get_deployment
from orchestr_lab.store.events import insert_events

from .conftest import Lab, show_sidebar

T0 = 1_700_000_000.0
RUNS = 2000


def _fill(lab: Lab, deployment_id: str, count: int) -> list[str]:
    """``count`` runs of the deployment, written straight into the lab's store; oldest first."""
    engine = get_engine(f"sqlite:///{lab.root.parent / 'home' / 'orchestr.db'}")
    deployment = get_deployment(engine, deployment_id)
    assert deployment is not None
    events: list[dict[str, Any]] = []
    ids = []
    with engine.begin() as conn:
        for i in range(count):
            run, _ = create_run_in(conn, deployment, events=events, scheduled_time=T0 + 60 * i, name=f"bulk-{i:04d}")
            ids.append(run["id"])
        insert_events(conn, events)
    return ids


def test_a_long_run_list_shows_a_window_of_rows_and_pages_in_the_rest(page: Any, lab: Lab) -> None:
    # A queue no worker serves: the runs stay SCHEDULED, nothing executes them.
    deployment = lab.deploy("slow.ipynb", work_queue="nobody-serves-this")
    ids = _fill(lab, deployment["id"], RUNS)
    sidebar = show_sidebar(page)
    sidebar.get_by_label("Filter runs by deployment").select_option(deployment["id"])
    rows = sidebar.locator(f"li[data-run-id][data-for-deployment='{deployment['id']}']")
    expect(rows.first).to_contain_text(f"bulk-{RUNS - 1:04d}")  # newest first
    expect(sidebar.locator(".orchestr-lab-runs-count")).to_contain_text(f"of {RUNS} runs")
    assert rows.count() < 100, "every run is in the page"

    # Scroll to the end until the oldest run shows: each time the list nears its end, a page loads.
    page.wait_for_function(
        """oldest => {
          const list = document.querySelector('#orchestr-lab-sidebar .orchestr-lab-run-list');
          list.scrollTop = list.scrollHeight;
          return !!document.querySelector(`#orchestr-lab-sidebar li[data-run-id="${oldest}"]`);
        }""",
        arg=ids[0],
        polling=100,
        timeout=90_000,
    )
    expect(sidebar.locator(f"li[data-run-id='{ids[0]}']")).to_contain_text("bulk-0000")
    expect(sidebar.locator(".orchestr-lab-runs-count")).to_have_count(0)  # everything is loaded
    assert rows.count() < 100, "scrolling kept every row it passed in the page"
