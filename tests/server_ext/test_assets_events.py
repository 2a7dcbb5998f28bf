"""Assets, emitted events and event-triggered automations over the REST API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from jupyter_server.utils import url_path_join

from orchestr_lab.services.automations import automation_tick
from orchestr_lab.store.assets import record_materialization

KEY = "s3://lake/daily/orders.parquet"


@pytest.fixture
def get_key(http_server_client: Any, jp_auth_header: dict[str, str], jp_base_url: str) -> Any:
    """``await get_key(key)``: ``GET assets/{key}`` with the key URL-encoded, as clients send it."""

    async def call(key: str) -> tuple[int, Any]:
        url = url_path_join(jp_base_url, "orchestr-lab/api/assets", quote(key, safe=""))
        response = await http_server_client.fetch(url, headers=jp_auth_header, raise_error=False)
        return response.code, json.loads(response.body)

    return call


def _made(key: str, upstream: list[str]) -> dict[str, Any]:
    return {
        "status": "succeeded",
        "assets": [{"key": key, "properties": {"name": "Orders"}}],
        "upstream": [{"key": k} for k in upstream],
        "metadata": {key: {"rows": 10}},
    }


async def test_assets_list_and_one_asset_by_its_encoded_key(api: Any, store: Any, get_key: Any) -> None:
    record_materialization(store, _made(KEY, ["postgres://db/orders"]))
    sent = await api("POST", "asset_materializations", json_body=_made("s3://lake/summary", [KEY]))
    assert sent.code == 204, sent

    page = (await api("GET", "assets", params={"limit": "2"})).json
    assert page["total"] == 3 and [a["key"] for a in page["items"]] == ["postgres://db/orders", KEY]
    code, one = await get_key(KEY)
    assert code == 200, one
    assert one["properties"] == {"name": "Orders"} and one["last_metadata"] == {"rows": 10}
    assert one["upstream"] == ["postgres://db/orders"] and one["downstream"] == ["s3://lake/summary"]
    assert (await get_key("s3://lake/none"))[0] == 404
    long_key = "s3://" + "k" * 500  # longer than other ids, still an asset key
    assert (await api("POST", "asset_materializations", json_body=_made(long_key, []))).code == 204
    code, made = await get_key(long_key)
    assert code == 200 and made["last_metadata"] == {"rows": 10}

    bad = await api("POST", "asset_materializations", json_body=_made("no-scheme", []))
    assert bad.code == 422 and "valid URI" in json.dumps(bad.json)
    assert (await api("GET", "assets", params={"limit": "5000"})).code in (400, 422)


async def test_posted_events_are_stored_and_bad_ones_refused(api: Any) -> None:
    body = {"event": "ml.model.trained", "resource": {"prefect.resource.id": "ml.model.7"}, "payload": {"auc": 0.9}}
    sent = await api("POST", "events", json_body=body)
    assert sent.code == 201, sent
    assert sent.json["event"] == "ml.model.trained" and sent.json["id"] and sent.json["occurred"]
    feed = (await api("GET", "events")).json["items"]
    assert [(e["kind"], e["resource_id"]) for e in feed if e["kind"] == "ml.model.trained"] == [
        ("ml.model.trained", "ml.model.7")
    ]
    for resource in ({}, {"prefect.resource.id": ""}, {"prefect.resource.id": 3}):
        refused = await api("POST", "events", json_body={**body, "resource": resource})
        assert refused.code == 422, (resource, refused)
    no_role = await api("POST", "events", json_body={**body, "related": [{"prefect.resource.id": "x"}]})
    assert no_role.code == 422 and "prefect.resource.role" in json.dumps(no_role.json)


async def test_an_automation_on_an_event_calls_its_webhook_once(api: Any, store: Any, tmp_path: Path) -> None:
    both = {"name": "x", "deployment_id": "d", "event": "e", "action": "webhook", "webhook_url": "http://h/"}
    assert (await api("POST", "automations", json_body=both)).code == 422
    neither = {k: v for k, v in both.items() if k not in ("deployment_id", "event")}
    assert (await api("POST", "automations", json_body=neither)).code == 422
    created = await api(
        "POST",
        "automations",
        json_body={
            "name": "on-train",
            "event": "ml.model.*",
            "event_resource": "ml.model.7",
            "action": "webhook",
            "webhook_url": "http://127.0.0.1:9/hook",
        },
    )
    assert created.code == 201, created
    assert created.json["event"] == "ml.model.*" and created.json["deployment_id"] is None
    event = {"event": "ml.model.trained", "resource": {"prefect.resource.id": "ml.model.7"}, "payload": {"auc": 0.9}}
    await api("POST", "events", json_body=event)
    await api("POST", "events", json_body={**event, "resource": {"prefect.resource.id": "ml.model.8"}})
    calls: list[dict[str, Any]] = []

    class Answer:
        status_code = 200

    def post(url: str, *, json: Any, timeout: float) -> Answer:
        calls.append(json)
        return Answer()

    assert automation_tick(store, root_dir=tmp_path, post=post) == 1
    assert automation_tick(store, root_dir=tmp_path, post=post) == 0
    assert [c["event"]["event"] for c in calls] == ["ml.model.trained"]
    assert calls[0]["event"]["payload"]["payload"] == {"auc": 0.9}
    firings = (await api("GET", "automations", "on-train")).json["firings"]
    assert [f["outcome"] for f in firings] == ["webhook answered HTTP 200"]
