"""Flows, concurrency limits by tag and automations over the REST API, and notebook chains
end to end: a run's end starts the next deployment with its recorded outputs, or calls a webhook."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from orchestr_lab.core.states import Completed, Running
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.runs import set_state

from .conftest import write_notebook

DEADLINE = 120.0


async def _wait(check: Any, what: str) -> Any:
    deadline = time.monotonic() + DEADLINE
    while True:
        found = await check()
        if found:
            return found
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


# -- flows and the time filter on flow runs ---------------------------------------------------


async def test_flows_list_their_runs_and_runs_filter_by_time(api: Any, store: Any) -> None:
    dep = create_deployment(store, {"name": "nightly", "notebook": "reports/nightly.ipynb"})
    early = create_deployment_run(store, dep, scheduled_time=dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc))
    late = create_deployment_run(store, dep, scheduled_time=dt.datetime(2030, 6, 1, tzinfo=dt.timezone.utc))

    page = (await api("GET", "flows")).json
    assert page["total"] == 1
    flow = page["items"][0]
    assert flow["name"] == "nightly" and flow["run_count"] == 2
    assert (await api("GET", "flows", "nightly")).json["id"] == flow["id"]
    assert (await api("GET", "flows", "missing")).code == 404
    assert (await api("GET", "flows", params={"name": "NIGHT"})).json["total"] == 1

    spring = (await api("GET", "flow_runs", params={"start_after": "2030-03-01T00:00:00Z"})).json
    assert [r["id"] for r in spring["items"]] == [late["id"]]
    winter = (await api("GET", "flow_runs", params={"start_before": "2030-03-01T00:00:00", "flow_id": flow["id"]})).json
    assert [r["id"] for r in winter["items"]] == [early["id"]]
    bad = await api("GET", "flow_runs", params={"start_after": "next tuesday"})
    assert bad.code == 400 and "start_after" in json.dumps(bad.json)


# -- concurrency limits -----------------------------------------------------------------------


async def test_concurrency_limits_over_the_api(api: Any, store: Any) -> None:
    created = await api("POST", "concurrency_limits", json_body={"tag": "database", "concurrency_limit": 1})
    assert created.code == 201 and created.json["active_slots"] == 0
    again = await api("POST", "concurrency_limits", json_body={"tag": "database", "concurrency_limit": 2})
    assert again.code == 409 and "already has" in again.json["error"]
    negative = await api("POST", "concurrency_limits", json_body={"tag": "x", "concurrency_limit": -1})
    assert negative.code == 422

    dep = create_deployment(store, {"name": "load", "notebook": "load.ipynb", "tags": ["database"]})
    run = create_deployment_run(store, dep)
    set_state(store, "flow", run["id"], Running())
    assert (await api("GET", "concurrency_limits", "database")).json["active_slots"] == 1
    set_state(store, "flow", run["id"], Completed())

    assert (await api("PATCH", "concurrency_limits", "database", json_body={"concurrency_limit": 3})).json[
        "concurrency_limit"
    ] == 3
    assert [x["tag"] for x in (await api("GET", "concurrency_limits")).json] == ["database"]
    assert (await api("DELETE", "concurrency_limits", "database")).code == 204
    assert (await api("GET", "concurrency_limits", "database")).code == 404
    assert (await api("DELETE", "concurrency_limits", "database")).code == 404


# -- automations: bad input -------------------------------------------------------------------


async def test_automation_bad_input_is_a_4xx_naming_the_field(api: Any, store: Any) -> None:
    create_deployment(store, {"name": "up", "notebook": "up.ipynb"})
    cases = [
        ({"name": "a", "deployment_id": "up", "action": "webhook"}, "webhook_url"),
        ({"name": "a", "deployment_id": "up", "action": "webhook", "webhook_url": "ftp://x"}, "webhook_url"),
        ({"name": "a", "deployment_id": "up", "action": "run_deployment"}, "target_deployment_id"),
        (
            {
                "name": "a",
                "deployment_id": "up",
                "action": "webhook",
                "webhook_url": "http://h/",
                "states": ["RUNNING"],
            },
            "states",
        ),
        ({"name": "a", "deployment_id": "nope", "action": "webhook", "webhook_url": "http://h/"}, "deployment_id"),
        (
            {"name": "a", "deployment_id": "up", "action": "run_deployment", "target_deployment_id": "nope"},
            "target_deployment_id",
        ),
        ({"name": "a", "deployment_id": "up", "action": "email"}, "action"),
    ]
    for body, field in cases:
        reply = await api("POST", "automations", json_body=body)
        assert reply.code == 422, (body, reply)
        assert field in json.dumps(reply.json), (body, reply)
    ok = await api(
        "POST",
        "automations",
        json_body={"name": "a", "deployment_id": "up", "action": "webhook", "webhook_url": "http://h/"},
    )
    assert ok.code == 201, ok
    assert (
        await api(
            "POST",
            "automations",
            json_body={"name": "a", "deployment_id": "up", "action": "webhook", "webhook_url": "http://h/"},
        )
    ).code == 409
    assert (await api("GET", "automations", "missing")).code == 404
    assert (await api("PATCH", "automations", "a", json_body={"states": ["PENDING"]})).code == 422
    assert (await api("PATCH", "automations", "a", json_body={"enabled": False})).json["enabled"] is False
    assert (await api("DELETE", "automations", "a")).code == 204
    assert (await api("GET", "automations")).json == []


# -- notebook chains, end to end ----------------------------------------------------------------


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A user's webhook receiver: a real HTTP server on loopback collecting what it is sent."""
    received: list[dict[str, Any]] = []
    handler = type("Hook", (_Hook,), {"received": received})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hooks/run-ended", received
    server.shutdown()
    server.server_close()


@pytest.fixture
def server_options() -> dict[str, Any]:
    return {"scheduler": True, "local_worker": True, "scheduler_interval": 0.5}


async def test_a_finished_run_starts_the_next_deployment_with_its_recorded_outputs(
    api: Any, jp_root_dir: Path, jp_serverapp: Any, webhook: tuple[str, list[dict[str, Any]]]
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    url, received = webhook
    write_notebook(
        jp_root_dir / "extract.ipynb",
        parameters="rows = 3",
        cells=["from orchestr_lab import record\nrecord('total', rows * 14)\nrecord('source', 'db')"],
    )
    write_notebook(
        jp_root_dir / "report.ipynb",
        parameters="total: int = 0\nlabel = 'report'",
        cells=["print(f'{label}: total={total}')"],
    )
    up = (await api("POST", "deployments", json_body={"name": "extract", "notebook": "extract.ipynb"})).json
    down = (await api("POST", "deployments", json_body={"name": "report", "notebook": "report.ipynb"})).json
    chain = await api(
        "POST",
        "automations",
        json_body={
            "name": "then-report",
            "deployment_id": "extract",
            "action": "run_deployment",
            "target_deployment_id": down["id"],
            "parameters": {"label": "chained"},
        },
    )
    assert chain.code == 201, chain
    hook = await api(
        "POST",
        "automations",
        json_body={
            "name": "tell-me",
            "deployment_id": up["id"],
            "action": "webhook",
            "webhook_url": url,
            "states": ["COMPLETED", "FAILED"],
        },
    )
    assert hook.code == 201, hook

    upstream = (await api("POST", "deployments", up["id"], "runs", json_body={"parameters": {"rows": 3}})).json

    async def downstream_done() -> Any:
        page = (await api("GET", "flow_runs", params={"deployment_id": down["id"]})).json
        return (
            page["items"]
            and page["items"][0]["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED")
            and page["items"][0]
        )

    run = await _wait(downstream_done, "the chained run")
    assert run["state"]["type"] == "COMPLETED", run["state"]
    # Its recorded "total" fits the report's parameter and is coerced to its type; "source" does
    # not fit and is left out; the automation's fixed parameter is kept.
    assert run["parameters"] == {"total": 42, "label": "chained"}
    logs = (await api("GET", "flow_runs", run["id"], "logs")).json
    assert any("chained: total=42" in line["message"] for line in logs)

    await _wait(lambda: asyncio.sleep(0, result=bool(received)), "the webhook call")
    assert len(received) == 1
    call = received[0]
    assert call["automation"]["name"] == "tell-me"
    assert call["flow_run"]["id"] == upstream["id"] and call["flow_run"]["state"] == "COMPLETED"
    assert call["flow_run"]["recorded"] == {"total": 42, "source": "db"}

    fired = (await api("GET", "automations", "then-report")).json["firings"]
    assert [(f["flow_run_id"], f["triggered_run_id"]) for f in fired] == [(upstream["id"], run["id"])]
    hook_firings = (await api("GET", "automations", "tell-me")).json["firings"]
    assert hook_firings[0]["outcome"] == "webhook answered HTTP 204"
    # Exactly once: later ticks find nothing more to fire for that run.
    await asyncio.sleep(0)  # (no fixed wait: the unique firing row is what guarantees this)
    page = (await api("GET", "flow_runs", params={"deployment_id": down["id"]})).json
    assert page["total"] == 1
