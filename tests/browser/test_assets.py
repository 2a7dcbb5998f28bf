"""The sidebar's Assets section: a flow materializes assets (over HTTP, as a remote worker
would); the user selects one and sees its upstream and downstream assets and the run that
made it, and opens that run's detail."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from typing import Any

from playwright.sync_api import expect

from .conftest import Lab, show_sidebar

FLOW = """
import sys
from orchestr_lab import flow, task
from orchestr_lab.assets import materialize

prefix = sys.argv[1]

@task(asset_deps=[f"postgres://{prefix}/orders"])
def extract():
    return [1, 2]

@materialize(f"s3://{prefix}/clean")
def clean(rows):
    return rows

@materialize(f"s3://{prefix}/report")
def report(rows):
    return len(rows)

@flow(flow_run_name="lineage-" + prefix)
def pipeline():
    report(clean(extract()))

pipeline()
"""


def test_selecting_an_asset_shows_its_lineage_and_opens_the_run_that_made_it(page: Any, lab: Lab) -> None:
    prefix = uuid.uuid4().hex[:8]
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
    env.update(ORCHESTR_LAB_DB_URL=lab.url, ORCHESTR_LAB_API_TOKEN=lab.token)
    subprocess.run([sys.executable, "-c", FLOW, prefix], env=env, check=True, capture_output=True, timeout=120)

    sidebar = show_sidebar(page)
    section = sidebar.locator(".orchestr-lab-assets")
    section.get_by_title("Refresh assets").click()
    section.locator(f"button.orchestr-lab-asset[title='s3://{prefix}/clean']").click()

    lineage = section.locator(f".orchestr-lab-lineage[data-asset-key='s3://{prefix}/clean']")
    expect(lineage.locator(".orchestr-lab-lineage-upstream li")).to_have_text([f"postgres://{prefix}/orders"])
    expect(lineage.locator(".orchestr-lab-lineage-downstream li")).to_have_text([f"s3://{prefix}/report"])
    made = lineage.locator(".orchestr-lab-lineage-materializations li")
    expect(made).to_have_count(1)
    expect(made).to_contain_text("succeeded")

    # Following the lineage downstream, then opening the run that made the asset.
    lineage.locator(".orchestr-lab-lineage-downstream button").click()
    report = section.locator(f".orchestr-lab-lineage[data-asset-key='s3://{prefix}/report']")
    expect(report.locator(".orchestr-lab-lineage-upstream li")).to_have_text([f"s3://{prefix}/clean"])
    report.locator(".orchestr-lab-lineage-materializations button").click()
    detail = sidebar.locator(".orchestr-lab-run-detail")
    expect(detail.locator("h3.orchestr-lab-name")).to_have_text(f"lineage-{prefix}")
