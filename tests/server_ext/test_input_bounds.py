"""Whatever a token holder sends, the API answers a 4xx naming what was wrong, never a 500.

Numbers beyond what the store's columns hold, non-finite floats, NUL characters (PostgreSQL
text cannot hold them), over-long names and paths, unbounded lists, deep JSON and huge bodies:
each is refused by the request models' bounds (``core.limits``) or by the base handler, on
SQLite and on PostgreSQL. The OpenAPI document states the same bounds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

from orchestr_lab.core.limits import MAX_CURSOR, MAX_JSON_DEPTH, MAX_SCHEDULES

HUGE_INT = 2**63
LONG = "x" * 10_000


def _strict_json(raw: bytes) -> Any:
    """JSON as a browser reads it: ``Infinity`` and ``NaN`` are not JSON."""

    def refuse(name: str) -> Any:
        raise ValueError(f"not JSON: {name}")

    return json.loads(raw, parse_constant=refuse)


async def _deployment(api: Any, notebook: str, name: str = "bounded") -> dict[str, Any]:
    reply = await api("POST", "deployments", json_body={"name": name, "notebook": notebook})
    assert reply.code == 201, reply
    return reply.json


# -- bodies: one row per class of bad input --------------------------------------------------------

DEPLOYMENT_BODIES = [
    pytest.param({"retries": 1e23}, "retries", id="retries-1e23"),
    pytest.param({"retries": HUGE_INT}, "retries", id="retries-2**63"),
    pytest.param({"concurrency_limit": 1e23}, "concurrency_limit", id="concurrency-1e23"),
    pytest.param({"timeout_seconds": 1e400}, "timeout_seconds", id="timeout-inf"),
    pytest.param({"retry_delay_seconds": 1e300}, "retry_delay_seconds", id="retry-delay-1e300"),
    pytest.param({"description": "a\x00b"}, "description", id="description-NUL"),
    pytest.param({"work_queue": "q\x00"}, "work_queue", id="queue-NUL"),
    pytest.param({"work_queue": LONG}, "work_queue", id="queue-10000"),
    pytest.param({"tags": ["t\x00"]}, "tags", id="tag-NUL"),
    pytest.param({"tags": [f"t{i}" for i in range(2000)]}, "tags", id="tags-2000"),
    pytest.param({"parameters": {"n": 1e400}}, "parameters", id="parameter-inf"),
    pytest.param(
        {"schedules": [{"interval": 60, "parameters": {"n": 1e400}}]},
        "schedules.0.parameters",
        id="schedule-parameter-inf",
    ),
    pytest.param(
        {"schedules": [{"interval": 60, "parameters": {"n\x00": 1}}]},
        "schedules.0.parameters",
        id="schedule-parameter-name-NUL",
    ),
    pytest.param({"schedules": [{"interval": 60}] * 1000}, "schedules", id="schedules-1000"),
    pytest.param({"schedules": [{"interval": 1e400}]}, "schedules.0.interval", id="interval-inf"),
    pytest.param(
        {"schedules": [{"cron": "* * * * *", "timezone": "UTC\x00"}]}, "schedules.0.timezone", id="timezone-NUL"
    ),
    pytest.param({"schedules": [{"cron": "* * * * *" + " " * 10_000}]}, "schedules.0.cron", id="cron-10000"),
]


@pytest.mark.parametrize(("fields", "field"), DEPLOYMENT_BODIES)
async def test_a_deployment_out_of_bounds_is_422_naming_the_field(
    api: Any, notebook: str, fields: dict[str, Any], field: str
) -> None:
    created = await api("POST", "deployments", json_body={"name": "d", "notebook": notebook, **fields})
    assert created.code == 422, created
    assert field in created.json["error"], created.json
    dep = await _deployment(api, notebook)
    changed = await api("PATCH", "deployments", dep["id"], json_body=fields)
    assert changed.code == 422, changed
    assert field in changed.json["error"]
    # Nothing was stored: every deployment still reads back, as strict JSON.
    listed = await api("GET", "deployments")
    assert listed.code == 200 and [d["name"] for d in listed.json] == ["bounded"]
    assert listed.json[0]["retries"] == 0 and listed.json[0]["timeout_seconds"] is None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        pytest.param({"name": "n\x00"}, "name", id="name-NUL"),
        pytest.param({"name": LONG}, "name", id="name-10000"),
        pytest.param({"notebook": "reports/\x00daily.ipynb"}, "notebook", id="notebook-NUL"),
        pytest.param({"notebook": "reports/" + LONG + ".ipynb"}, "notebook", id="notebook-10000"),
        pytest.param({"notebook": None, "entrypoint": "notes.txt:f"}, "entrypoint", id="entrypoint-not-python"),
        pytest.param({"notebook": None, "entrypoint": "flows.py:not a name"}, "entrypoint", id="entrypoint-function"),
        pytest.param({"notebook": None, "entrypoint": "missing.py:f"}, "entrypoint", id="entrypoint-missing"),
    ],
)
async def test_a_bad_name_or_target_is_422_naming_it(
    api: Any, notebook: str, jp_root_dir: Path, fields: dict[str, Any], field: str
) -> None:
    (jp_root_dir / "notes.txt").write_text("def f():\n    pass\n")
    (jp_root_dir / "flows.py").write_text("def f():\n    pass\n")
    body = {k: v for k, v in {"name": "d", "notebook": notebook, **fields}.items() if v is not None}
    reply = await api("POST", "deployments", json_body=body)
    assert reply.code == 422, reply
    assert field in reply.json["error"]
    assert (await api("GET", "deployments")).json == []


async def test_an_entrypoint_to_a_python_file_is_accepted(api: Any, jp_root_dir: Path) -> None:
    (jp_root_dir / "flows.py").write_text("def f():\n    pass\n")
    reply = await api("POST", "deployments", json_body={"name": "e", "entrypoint": "flows.py:f"})
    assert reply.code == 201, reply
    assert reply.json["entrypoint"] == "flows.py:f"


async def test_a_deployment_at_the_schedule_limit_is_accepted(api: Any, notebook: str) -> None:
    schedules = [{"interval": 3600 + i} for i in range(MAX_SCHEDULES)]
    reply = await api("POST", "deployments", json_body={"name": "many", "notebook": notebook, "schedules": schedules})
    assert reply.code == 201, reply
    assert len(reply.json["schedules"]) == MAX_SCHEDULES


OTHER_BODIES = [
    pytest.param(
        "POST", ("work_queues",), {"name": "q", "concurrency_limit": 1e23}, "concurrency_limit", id="queue-limit-1e23"
    ),
    pytest.param("POST", ("work_queues",), {"name": "q\x00"}, "name", id="queue-name-NUL"),
    pytest.param(
        "PATCH",
        ("work_queues", "default"),
        {"concurrency_limit": HUGE_INT},
        "concurrency_limit",
        id="queue-patch-2**63",
    ),
    pytest.param(
        "POST",
        ("concurrency_limits",),
        {"tag": "t", "concurrency_limit": 1e23},
        "concurrency_limit",
        id="tag-limit-1e23",
    ),
    pytest.param("POST", ("concurrency_limits",), {"tag": "t\x00", "concurrency_limit": 1}, "tag", id="tag-NUL"),
    pytest.param(
        "PATCH",
        ("concurrency_limits", "t"),
        {"concurrency_limit": 1e23},
        "concurrency_limit",
        id="tag-limit-patch-1e23",
    ),
    pytest.param("POST", ("workers", "heartbeat"), {"name": LONG}, "name", id="worker-name-10000"),
    pytest.param("POST", ("workers", "heartbeat"), {"name": "w\x00"}, "name", id="worker-name-NUL"),
    pytest.param(
        "POST", ("workers", "heartbeat"), {"name": "w", "queues": ["q"] * 5000}, "queues", id="worker-queues-5000"
    ),
    pytest.param("POST", ("workers", "claim"), {"name": "w", "queues": [LONG]}, "queues", id="claim-queue-10000"),
    pytest.param(
        "POST",
        ("automations",),
        {"name": "a", "deployment_id": "d\x00", "action": "webhook", "webhook_url": "http://x"},
        "deployment_id",
        id="automation-NUL",
    ),
    pytest.param(
        "POST",
        ("automations",),
        {"name": "a", "deployment_id": "d", "action": "webhook", "webhook_url": "http://x/" + "a" * 5000},
        "webhook_url",
        id="webhook-5000",
    ),
    pytest.param(
        "POST",
        ("automations",),
        {
            "name": "a",
            "deployment_id": "d",
            "action": "webhook",
            "webhook_url": "http://x",
            "states": ["FAILED"] * 1000,
        },
        "states",
        id="automation-states-1000",
    ),
    pytest.param("POST", ("schedules", "preview"), {"interval": 1e400}, "interval", id="preview-interval-inf"),
]


@pytest.mark.parametrize(("method", "path", "body", "field"), OTHER_BODIES)
async def test_other_bodies_out_of_bounds_are_422(
    api: Any, method: str, path: tuple[str, ...], body: dict[str, Any], field: str
) -> None:
    await api("POST", "work_queues", json_body={"name": "default"})
    await api("POST", "concurrency_limits", json_body={"tag": "t", "concurrency_limit": 1})
    reply = await api(method, *path, json_body=body)
    assert reply.code == 422, reply
    assert field in reply.json["error"]


@pytest.mark.parametrize(
    "state",
    [
        pytest.param({"type": "RUNNING", "timestamp": 1.42e63}, id="timestamp-1.42e63"),
        pytest.param({"type": "RUNNING", "timestamp": -3.4e38}, id="timestamp-negative"),
        pytest.param({"type": "RUNNING", "timestamp": 1e400}, id="timestamp-inf"),
        pytest.param({"type": "RUNNING", "name": "R\x00"}, id="state-name-NUL"),
        pytest.param({"type": "RUNNING", "message": "m\x00"}, id="message-NUL"),
        pytest.param({"type": "RUNNING", "details": {"x": 1e400}}, id="details-inf"),
    ],
)
async def test_a_state_out_of_bounds_is_422(api: Any, notebook: str, state: dict[str, Any]) -> None:
    dep = await _deployment(api, notebook)
    run = (await api("POST", "deployments", dep["id"], "runs", json_body={})).json
    moved = await api("POST", "flow_runs", run["id"], "set_state", json_body={"state": state})
    assert moved.code == 422, moved
    assert "state" in moved.json["error"]
    finished = await api("POST", "flow_runs", run["id"], "finish", json_body={"state": {**state, "type": "FAILED"}})
    assert finished.code == 422, finished
    after = await api("GET", "flow_runs", run["id"])
    assert after.code == 200 and after.json["state"]["type"] == "SCHEDULED"


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"start_time": 1.42e63}, id="start-1.42e63"),
        pytest.param({"run_count": 2**40}, id="run-count-2**40"),
        pytest.param({"worker_name": "w\x00"}, id="worker-NUL"),
        pytest.param({"heartbeat_at": "soon"}, id="heartbeat-text"),
    ],
)
async def test_run_columns_out_of_bounds_are_422(api: Any, notebook: str, fields: dict[str, Any]) -> None:
    dep = await _deployment(api, notebook)
    run = (await api("POST", "deployments", dep["id"], "runs", json_body={})).json
    moved = await api(
        "POST", "flow_runs", run["id"], "set_state", json_body={"state": {"type": "PENDING"}, "fields": fields}
    )
    assert moved.code == 422, moved
    assert "fields" in moved.json["error"]
    assert (await api("GET", "flow_runs", run["id"])).json["state"]["type"] == "SCHEDULED"


async def test_a_run_name_out_of_bounds_is_422(api: Any, notebook: str) -> None:
    dep = await _deployment(api, notebook)
    for name in (LONG, "r\x00"):
        reply = await api("POST", "deployments", dep["id"], "runs", json_body={"name": name})
        assert reply.code == 422 and "name" in reply.json["error"], reply


# -- queries and path parameters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params"),
    [
        pytest.param(("flows",), {"offset": str(HUGE_INT)}, id="flows-offset-2**63"),
        pytest.param(("flow_runs",), {"offset": str(HUGE_INT)}, id="flow_runs-offset-2**63"),
        pytest.param(("flow_runs",), {"deployment_id": LONG}, id="flow_runs-deployment-10000"),
        pytest.param(("events",), {"after": "1e23"}, id="events-after-1e23"),
        pytest.param(("events",), {"after": str(10**23)}, id="events-after-10**23"),
        pytest.param(("flow_runs", "r", "logs"), {"after": str(10**23)}, id="logs-after-10**23"),
        pytest.param(("notebooks", "parameters"), {"path": LONG}, id="notebook-path-10000"),
        pytest.param(("flows",), {"name": LONG}, id="flows-name-10000"),
    ],
)
async def test_a_query_out_of_bounds_is_400(api: Any, path: tuple[str, ...], params: dict[str, str]) -> None:
    reply = await api("GET", *path, params=params)
    assert reply.code == 400, reply
    assert next(iter(params)) in reply.json["error"]


async def test_the_largest_cursor_is_accepted(api: Any) -> None:
    assert (await api("GET", "events", params={"after": str(MAX_CURSOR)})).json["items"] == []
    assert (await api("GET", "flow_runs", params={"offset": str(MAX_CURSOR)})).json["items"] == []


async def test_the_event_stream_refuses_a_cursor_out_of_bounds(jp_ws_fetch: Any) -> None:
    with pytest.raises(HTTPClientError) as err:
        await jp_ws_fetch("orchestr-lab", "api", "events", "stream", params={"after": str(10**23)})
    assert err.value.code == 400


@pytest.mark.parametrize("ident", [pytest.param("d\x00", id="NUL"), pytest.param(LONG[:1000], id="1000-chars")])
@pytest.mark.parametrize(
    "path",
    [
        ("deployments", "{}"),
        ("work_queues", "{}"),
        ("concurrency_limits", "{}"),
        ("flows", "{}"),
        ("automations", "{}"),
        ("flow_runs", "{}"),
    ],
)
async def test_an_impossible_id_in_the_url_is_404(api: Any, path: tuple[str, ...], ident: str) -> None:
    reply = await api("GET", *(p.format(ident) for p in path))
    assert reply.code == 404, reply


# -- the body itself: depth and size -----------------------------------------------------------------


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 1000, 100_000])
async def test_json_nested_too_deep_is_400_naming_the_limit(api: Any, depth: int) -> None:
    nested = '{"parameters": ' + "[" * depth + "]" * depth + "}"
    reply = await api("POST", "deployments", body=nested)
    assert reply.code == 400, reply
    assert str(MAX_JSON_DEPTH) in reply.json["error"]


async def test_a_body_larger_than_the_limit_is_413_naming_the_setting(api: Any) -> None:
    reply = await api("POST", "deployments", body=b" " * (120 * 1024 * 1024))
    assert reply.code == 413, reply
    assert "max_request_bytes" in reply.json["error"]
    assert reply.json["detail"] == {"limit": 10 * 1024 * 1024, "setting": "max_request_bytes"}
    assert (await api("GET", "deployments")).json == []


@pytest.mark.parametrize(
    "server_options",
    [{"scheduler": False, "local_worker": False, "max_request_bytes": 2000, "max_upload_bytes": 50_000}],
)
async def test_the_body_limits_are_settings(api: Any, notebook: str, jp_fetch: Any) -> None:
    body = json.dumps({"name": "big", "notebook": notebook, "description": "d" * 3000})
    assert (await api("POST", "deployments", body=body)).code == 413
    # Without a Content-Length (chunked), the limit holds once that many bytes arrived.

    async def produce(write: Any) -> None:
        for _ in range(4):
            await write(b" " * 1000)

    response = await jp_fetch(
        "orchestr-lab", "api", "work_queues", method="POST", body_producer=produce, raise_error=False
    )
    assert response.code == 413 and "max_request_bytes" in json.loads(response.body)["error"]
    dep = await _deployment(api, notebook)
    run = (await api("POST", "deployments", dep["id"], "runs", json_body={})).json
    notebook_json = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": "x" * 10_000}],
    }
    # An executed notebook is an upload: the larger limit.
    assert (await api("PUT", "flow_runs", run["id"], "notebook", json_body=notebook_json)).code == 204
    notebook_json["cells"][0]["source"] = "x" * 60_000
    too_big = await api("PUT", "flow_runs", run["id"], "notebook", json_body=notebook_json)
    assert too_big.code == 413 and too_big.json["detail"]["setting"] == "max_upload_bytes"


# -- the contract states the bounds ------------------------------------------------------------------


async def test_the_openapi_document_states_the_bounds(api: Any) -> None:
    schemas = (await api("GET", "openapi.json")).json["components"]["schemas"]
    create = schemas["DeploymentCreate"]["properties"]
    assert create["name"]["maxLength"] == 200 and "pattern" in create["name"]
    assert create["retries"]["maximum"] >= 1
    assert create["schedules"]["maxItems"] == MAX_SCHEDULES
    assert create["parameters"]["maxProperties"] >= 1
    state = schemas["StateIn"]["properties"]["timestamp"]["anyOf"][0]
    assert state["minimum"] == 0 and state["maximum"] < 2**63
    # Every bound is stated in JSON Schema's words (pydantic's own "ge"/"le" would mean nothing).
    assert not re.search(r'"(ge|le|gt|lt)":', json.dumps(schemas))
    assert schemas["FlowRunFields"]["additionalProperties"] is False


# -- types are what the document says --------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        pytest.param("POST", ("work_queues",), {"name": "q", "paused": 0}, "paused", id="bool-from-0"),
        pytest.param(
            "POST", ("work_queues",), {"name": "q", "concurrency_limit": "3"}, "concurrency_limit", id="int-from-text"
        ),
        pytest.param(
            "POST",
            ("concurrency_limits",),
            {"tag": "t", "concurrency_limit": False},
            "concurrency_limit",
            id="int-from-false",
        ),
        pytest.param("POST", ("schedules", "preview"), {"interval": 60, "anchor": 0}, "anchor", id="time-from-number"),
        pytest.param(
            "POST",
            ("automations",),
            {"name": "a", "deployment_id": "d", "action": "webhook", "webhook_url": " http://x"},
            "webhook_url",
            id="url-with-blank",
        ),
    ],
)
async def test_a_value_of_the_wrong_type_is_422(
    api: Any, method: str, path: tuple[str, ...], body: dict[str, Any], field: str
) -> None:
    reply = await api(method, *path, json_body=body)
    assert reply.code == 422, reply
    assert field in reply.json["error"]


async def test_a_query_time_must_be_iso_8601(api: Any) -> None:
    assert (await api("GET", "flow_runs", params={"start_before": "0.5"})).code == 400
    assert (await api("GET", "flow_runs", params={"start_before": "2030-01-01T00:00:00Z"})).code == 200


async def test_a_method_a_route_lacks_says_which_it_has(api: Any, jp_fetch: Any) -> None:
    response = await jp_fetch("orchestr-lab", "api", "work_queues", method="DELETE", raise_error=False)
    assert response.code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert set(json.loads(response.body)) == {"error", "detail"}


async def test_the_event_stream_without_an_upgrade_answers_json(jp_fetch: Any) -> None:
    response = await jp_fetch("orchestr-lab", "api", "events", "stream", raise_error=False)
    assert response.code == 400
    assert "WebSocket" in json.loads(response.body)["error"]


async def test_a_whole_number_written_as_a_float_is_an_integer(api: Any) -> None:
    reply = await api("POST", "work_queues", json_body={"name": "q", "concurrency_limit": 3.0})
    assert reply.code == 201 and reply.json["concurrency_limit"] == 3, reply
    assert (await api("POST", "work_queues", json_body={"name": "r", "concurrency_limit": 3.5})).code == 422


@pytest.mark.parametrize(
    ("path", "params", "code"),
    [
        pytest.param(("flows",), {"name": "a\x00b"}, 400, id="NUL-refused-not-blanked"),
        pytest.param(("flow_runs",), {"flow_name": "\x12"}, 200, id="control-character-kept"),
        pytest.param(("flows",), {"name": " "}, 200, id="blank-kept"),
    ],
)
async def test_the_query_model_sees_the_values_as_sent(
    api: Any, path: tuple[str, ...], params: dict[str, str], code: int
) -> None:
    reply = await api("GET", *path, params=params)
    assert reply.code == code, reply


async def test_a_request_while_the_server_stops_is_503(api: Any, jp_serverapp: Any) -> None:
    app = next(iter(jp_serverapp.extension_manager.extension_apps["orchestr_lab"]))
    app.executor.shutdown(wait=True)  # what stop_extension does while tornado still serves
    reply = await api("GET", "deployments")
    assert reply.code == 503, reply
    assert "shutting down" in reply.json["error"]


async def test_the_event_stream_says_which_method_it_has(jp_fetch: Any) -> None:
    response = await jp_fetch("orchestr-lab", "api", "events", "stream", method="DELETE", raise_error=False)
    assert response.code == 405 and response.headers["Allow"] == "GET"
