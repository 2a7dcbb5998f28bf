"""Flow-run routes over runs a real flow recorded: filter, page, one run, task runs, logs, outputs."""

from __future__ import annotations

from typing import Any

import pytest

from orchestr_lab import flow, get_run_logger, record, task


@task
def double(x: int) -> int:
    return 2 * x


@flow(name="api-demo")
def api_demo(n: int = 3) -> int:
    get_run_logger().info("first line")
    total = sum(double.map(range(n)).result())
    record("total", total)
    get_run_logger().info("second line")
    return total


@flow(name="api-broken")
def api_broken() -> None:
    raise RuntimeError("boom")


@pytest.fixture
def runs(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two completed runs and a failed one, recorded in the server's store by the engine."""
    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", db_url)
    api_demo(n=2)
    api_demo(n=3)
    api_broken(return_state=True)


async def test_list_filter_and_page(api: Any, runs: None) -> None:
    everything = await api("GET", "flow_runs")
    assert everything.code == 200
    assert everything.json["total"] == 3
    names = {r["flow_name"] for r in everything.json["items"]}
    assert names == {"api-demo", "api-broken"}

    failed = await api("GET", "flow_runs", params={"state": "FAILED"})
    assert [r["flow_name"] for r in failed.json["items"]] == ["api-broken"]
    assert failed.json["items"][0]["state"]["type"] == "FAILED"

    both = await api("GET", "flow_runs", params={"state": "FAILED,COMPLETED"})
    assert both.json["total"] == 3

    by_flow = await api("GET", "flow_runs", params={"flow_name": "api-demo", "limit": "1", "offset": "1"})
    assert by_flow.json["total"] == 2
    assert len(by_flow.json["items"]) == 1


async def test_bad_query_values_are_400_and_name_the_parameter(api: Any) -> None:
    for params, name in [({"limit": "many"}, "limit"), ({"state": "BOGUS"}, "state"), ({"offset": "-1"}, "offset")]:
        reply = await api("GET", "flow_runs", params=params)
        assert reply.code == 400, reply
        assert name in reply.json["error"]
        assert reply.json["detail"][0]["loc"][0] == name


async def test_one_run_with_task_runs_logs_and_recorded(api: Any, runs: None) -> None:
    listing = await api("GET", "flow_runs", params={"flow_name": "api-demo", "limit": "1"})
    run_id = listing.json["items"][0]["id"]

    run = await api("GET", "flow_runs", run_id)
    assert run.code == 200
    body = run.json
    assert body["id"] == run_id
    assert body["state"]["type"] == "COMPLETED"
    assert body["parameters"] == {"n": 3}
    assert body["recorded"] == {"total": 6}
    assert set(body["worker"]) == {"name", "type"}
    for key in ("name", "flow_name", "deployment_id", "start_time", "end_time", "run_count"):
        assert key in body

    tasks = await api("GET", "flow_runs", run_id, "task_runs")
    assert tasks.code == 200
    assert len(tasks.json) == 3
    assert {t["state"]["type"] for t in tasks.json} == {"COMPLETED"}

    logs = await api("GET", "flow_runs", run_id, "logs")
    messages = [line["message"] for line in logs.json]
    assert messages.index("first line") < messages.index("second line")
    first = next(line["id"] for line in logs.json if line["message"] == "first line")
    newer = await api("GET", "flow_runs", run_id, "logs", params={"after": str(first)})
    newer_messages = [line["message"] for line in newer.json]
    assert "second line" in newer_messages and "first line" not in newer_messages

    recorded = await api("GET", "flow_runs", run_id, "recorded")
    assert [(r["name"], r["value"]) for r in recorded.json] == [("total", 6)]

    # Not a notebook run: there is no executed notebook to show.
    notebook = await api("GET", "flow_runs", run_id, "notebook")
    assert notebook.code == 404
    assert "no executed notebook" in notebook.json["error"]


async def test_failed_run_carries_its_message(api: Any, runs: None) -> None:
    failed = await api("GET", "flow_runs", params={"state": "FAILED"})
    run = await api("GET", "flow_runs", failed.json["items"][0]["id"])
    assert "boom" in run.json["state"]["message"]


@pytest.mark.parametrize("suffix", ["", "/task_runs", "/logs", "/recorded", "/notebook"])
async def test_unknown_run_is_404(api: Any, suffix: str) -> None:
    reply = await api("GET", "flow_runs", "no-such-run" + suffix)
    assert reply.code == 404
    assert "no-such-run" in reply.json["error"]


async def test_runs_of_a_deployment_by_id_or_name(api: Any, jp_root_dir: Any) -> None:
    """``deployment_id`` takes a name too, as ``/deployments/{id}`` does; an unknown one is a 404,
    not an empty page that reads as "no runs yet"."""
    (jp_root_dir / "nb.ipynb").write_text(
        '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}', encoding="utf-8"
    )
    dep = (await api("POST", "deployments", json_body={"name": "nightly", "notebook": "nb.ipynb"})).json
    other = (await api("POST", "deployments", json_body={"name": "other", "notebook": "nb.ipynb"})).json
    run = (await api("POST", "deployments", dep["id"], "runs", json_body={})).json
    await api("POST", "deployments", other["id"], "runs", json_body={})
    for key in (dep["id"], "nightly"):
        page = await api("GET", "flow_runs", params={"deployment_id": key})
        assert page.code == 200 and [r["id"] for r in page.json["items"]] == [run["id"]], (key, page)
    for key in ("nope", "00000000-0000-4000-8000-000000000000"):
        missing = await api("GET", "flow_runs", params={"deployment_id": key})
        assert missing.code == 404 and key in missing.json["error"], (key, missing)
