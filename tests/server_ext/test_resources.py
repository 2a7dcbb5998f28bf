"""Notebook parameters, work queues, workers, events (paged and live), and who may call the API."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.auth import Authorizer
from tornado.httpclient import HTTPClientError
from traitlets.config import Config


async def test_notebook_parameters(api: Any, notebook: str) -> None:
    reply = await api("GET", "notebooks", "parameters", params={"path": notebook})
    assert reply.code == 200
    params = {p["name"]: p for p in reply.json["parameters"]}
    assert list(params) == ["n", "label", "rate"]
    assert params["n"]["type"] == "int" and params["n"]["default"] == 3 and "how many" in params["n"]["help"]
    assert params["label"]["type"] == "str" and params["label"]["default"] == "daily"
    assert params["rate"]["type"] == "float"


async def test_notebook_parameters_bad_paths(api: Any, jp_root_dir: Path) -> None:
    (jp_root_dir / "broken.ipynb").write_text("not a notebook")
    for params, code in [
        ({}, 400),
        ({"path": "../../etc/passwd"}, 403),
        ({"path": "nope.ipynb"}, 404),
        ({"path": "broken.ipynb"}, 422),
    ]:
        reply = await api("GET", "notebooks", "parameters", params=params)
        assert reply.code == code, (params, reply)
        assert reply.json["error"]


async def test_notebook_without_parameters_cell(api: Any, jp_root_dir: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, str(jp_root_dir / "plain.ipynb"))
    reply = await api("GET", "notebooks", "parameters", params={"path": "plain.ipynb"})
    assert reply.code == 200 and reply.json == {"parameters": []}


async def test_work_queue_crud(api: Any) -> None:
    created = await api("POST", "work_queues", json_body={"name": "gpu", "concurrency_limit": 2})
    assert created.code == 201 and created.json["name"] == "gpu" and created.json["concurrency_limit"] == 2
    assert (await api("POST", "work_queues", json_body={"name": "gpu"})).code == 409
    assert (await api("POST", "work_queues", json_body={"name": "x", "size": 1})).code == 422
    assert (await api("POST", "work_queues", json_body={"name": "x", "concurrency_limit": 0})).code == 422
    paused = await api("PATCH", "work_queues", "gpu", json_body={"paused": True})
    assert paused.json["paused"] is True
    names = [q["name"] for q in (await api("GET", "work_queues")).json]
    assert "gpu" in names
    assert (await api("GET", "work_queues", "gpu")).json["paused"] is True
    assert (await api("DELETE", "work_queues", "gpu")).code == 204
    for method, body in [("GET", None), ("PATCH", {"paused": False}), ("DELETE", None)]:
        assert (await api(method, "work_queues", "gpu", json_body=body)).code == 404


async def test_worker_heartbeat_and_list(api: Any) -> None:
    beat = await api("POST", "workers", "heartbeat", json_body={"name": "box-1", "type": "process", "queues": ["a"]})
    assert beat.code == 200 and beat.json["name"] == "box-1" and beat.json["last_seen"]
    workers = await api("GET", "workers")
    assert [(w["name"], w["queues"]) for w in workers.json] == [("box-1", ["a"])]
    bad = await api("POST", "workers", "heartbeat", json_body={"name": "box-2", "type": "cloud"})
    assert bad.code == 422 and "type" in bad.json["error"]


async def test_events_are_cursor_paged(api: Any) -> None:
    for name in ("q1", "q2", "q3"):
        await api("POST", "work_queues", json_body={"name": name})
    first = await api("GET", "events", params={"limit": "2"})
    assert first.code == 200 and len(first.json["items"]) == 2
    rest = await api("GET", "events", params={"after": str(first.json["cursor"])})
    ids = [e["id"] for e in first.json["items"] + rest.json["items"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    kinds = [e["kind"] for e in first.json["items"] + rest.json["items"]]
    assert kinds.count("work_queue.created") == 3
    empty = await api("GET", "events", params={"after": str(rest.json["cursor"])})
    assert empty.json == {"items": [], "cursor": rest.json["cursor"]}
    assert (await api("GET", "events", params={"after": "latest"})).code == 400


async def _next_message(ws: Any, timeout: float = 10.0) -> dict[str, Any]:
    message = await asyncio.wait_for(ws.read_message(), timeout)
    assert message is not None, "the stream closed"
    return json.loads(message)


async def test_event_stream_pushes_new_events(api: Any, jp_ws_fetch: Any) -> None:
    await api("POST", "work_queues", json_body={"name": "before"})
    ws = await jp_ws_fetch("orchestr-lab", "api", "events", "stream")
    try:
        # Only what happens after connecting arrives.
        await api("POST", "work_queues", json_body={"name": "after"})
        event = await _next_message(ws)
        assert event["kind"] == "work_queue.created" and event["resource_id"] == "after"
        assert set(event) == {"id", "occurred", "kind", "resource_id", "payload"}
    finally:
        ws.close()


async def test_event_stream_replays_after_a_cursor(api: Any, jp_ws_fetch: Any) -> None:
    await api("POST", "work_queues", json_body={"name": "one"})
    await api("POST", "work_queues", json_body={"name": "two"})
    events = (await api("GET", "events")).json["items"]
    first = next(e for e in events if e["resource_id"] == "one")
    ws = await jp_ws_fetch("orchestr-lab", "api", "events", "stream", params={"after": str(first["id"])})
    try:
        event = await _next_message(ws)
        assert event["resource_id"] == "two"
    finally:
        ws.close()


async def test_event_stream_needs_authentication(jp_ws_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as info:
        await jp_ws_fetch("orchestr-lab", "api", "events", "stream", headers={"Authorization": "token wrong"})
    assert info.value.code == 403


async def test_requests_without_a_valid_token_are_refused_and_change_nothing(
    api: Any, notebook: str, store: Any
) -> None:
    from orchestr_lab.store.deployments import list_deployments

    for method, parts, body in [
        ("GET", ("deployments",), None),
        ("POST", ("deployments",), {"name": "sneaky", "notebook": notebook}),
        ("GET", ("flow_runs",), None),
        ("GET", ("health",), None),
    ]:
        reply = await api(method, *parts, json_body=body, headers={"Authorization": "token wrong"})
        assert reply.code in (401, 403), (method, parts, reply)
        assert set(reply.json) == {"error", "detail"}
    assert list_deployments(store) == []


class ReadOnlyAuthorizer(Authorizer):
    """Lets everyone read and nobody write: checks that routes ask the Authorizer."""

    def is_authorized(self, handler: Any, user: Any, action: str, resource: str) -> bool:
        return action == "read"


class TestAuthorization:
    @pytest.fixture
    def jp_server_config(self, jp_server_config: Config) -> Config:
        jp_server_config["ServerApp"]["authorizer_class"] = ReadOnlyAuthorizer
        return jp_server_config

    async def test_writes_need_authorization_reads_do_not(self, api: Any, notebook: str, store: Any) -> None:
        from orchestr_lab.store.deployments import list_deployments

        assert (await api("GET", "deployments")).code == 200
        reply = await api("POST", "deployments", json_body={"name": "nope", "notebook": notebook})
        assert reply.code == 403
        assert "orchestr_lab" in reply.json["error"]
        assert list_deployments(store) == []


async def test_event_stream_refuses_a_bad_cursor(jp_ws_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as info:
        await jp_ws_fetch("orchestr-lab", "api", "events", "stream", params={"after": "yesterday"})
    assert info.value.code == 400
