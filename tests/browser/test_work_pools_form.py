"""The schedule form's work pool section, in real Chromium: pick a pool, set an environment
variable and another job variable; a bad variable shows the server's message at its field; the
deployment it creates carries the pool and the job variables."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from .conftest import Lab
from .test_sidebar import _open_schedule_form_from_file_browser


def test_pick_a_pool_and_set_job_variables_in_the_schedule_form(page: Any, lab: Lab) -> None:
    pool = f"lab-{lab.token[:6]}"
    lab.api("POST", "work_pools", json={"name": pool, "base_job_variables": {"env": {"FROM": "pool"}}})
    form = _open_schedule_form_from_file_browser(page, "report.ipynb")
    name = f"pooled-{lab.token[:6]}"
    form.locator("input[name='name']").fill(name)
    form.locator("input[name='kind'][value='none']").check()

    section = form.locator(".orchestr-lab-work-pool")
    expect(section.locator("select[name='work_pool_name'] option")).to_contain_text(["default (process)"])
    section.locator("select[name='work_pool_name']").select_option(pool)
    expect(section).to_contain_text('pool\'s: {"FROM":"pool"}')
    section.get_by_role("button", name="Add environment variable").click()
    section.locator("input[name='env-name-0']").fill("GREETING")
    section.locator("input[name='env-value-0']").fill("hello")
    # The pool type's other variables come from its schema; a bad one is refused at its field.
    section.locator("input[name='jv:warm_kernels']").fill("many")
    form.get_by_role("button", name="Create deployment").click()
    expect(section.locator(".orchestr-lab-field-error[data-field='jv:warm_kernels']")).to_contain_text("valid integer")
    assert name not in [d["name"] for d in lab.api("GET", "deployments")]

    section.locator("input[name='jv:warm_kernels']").fill("2")
    form.get_by_role("button", name="Create deployment").click()
    expect(form).to_be_hidden()
    deployment = next(d for d in lab.api("GET", "deployments") if d["name"] == name)
    assert deployment["work_pool_name"] == pool and deployment["work_queue"] == pool
    assert deployment["job_variables"] == {"env": {"GREETING": "hello"}, "warm_kernels": 2}
