"""Artifacts over the REST API: made and moved as a remote worker makes them, read by run, key and
type a page at a time, and refused with a message when a field is out of bounds."""

from __future__ import annotations

import json
import uuid
from typing import Any

from orchestr_lab.core.schemas_artifacts import MAX_ARTIFACT_BYTES


async def test_make_move_and_read_artifacts(api: Any) -> None:
    run = str(uuid.uuid4())
    table = {"key": "cities", "type": "table", "data": json.dumps([{"city": "Oslo"}]), "flow_run_id": run}
    first = await api("POST", "artifacts", json_body=table)
    assert first.code == 201 and first.json["flow_run_id"] == run
    bar = (
        await api("POST", "artifacts", json_body={"key": "load", "type": "progress", "data": 0, "flow_run_id": run})
    ).json
    moved = await api("PATCH", "artifacts", bar["id"], json_body={"data": 60, "description": "loading"})
    assert (moved.json["data"], moved.json["description"], moved.json["key"]) == (60, "loading", "load")
    again = (await api("POST", "artifacts", json_body={**table, "data": "[]", "flow_run_id": None})).json

    assert (await api("GET", "artifacts", "latest", "cities")).json["id"] == again["id"]
    assert (await api("GET", "artifacts", first.json["id"])).json["data"] == table["data"]
    page = (await api("GET", "artifacts", params={"flow_run_id": run, "limit": "1"})).json
    assert [a["key"] for a in page["items"]] == ["load"] and page["total"] == 2 and page["next_cursor"]
    rest = (await api("GET", "artifacts", params={"flow_run_id": run, "cursor": page["next_cursor"]})).json
    assert [a["id"] for a in rest["items"]] == [first.json["id"]] and rest["next_cursor"] is None
    assert (await api("GET", "artifacts", params={"type": "progress"})).json["total"] == 1
    events = (await api("GET", "events")).json["items"]
    assert [e["kind"] for e in events if e["kind"].startswith("artifact.")] == ["artifact.created"] * 2 + [
        "artifact.updated",
        "artifact.created",
    ]


async def test_unknown_artifacts_and_bad_input_are_refused_with_a_message(api: Any) -> None:
    assert (await api("GET", "artifacts", str(uuid.uuid4()))).code == 404
    assert (await api("GET", "artifacts", "latest", "never")).code == 404
    assert (await api("PATCH", "artifacts", str(uuid.uuid4()), json_body={"data": 1})).code == 404

    bad_key = await api("POST", "artifacts", json_body={"key": "Not_A_Key", "data": "x"})
    assert bad_key.code == 422 and "lowercase letters, numbers, and dashes" in json.dumps(bad_key.json)
    huge = await api("POST", "artifacts", json_body={"type": "markdown", "data": "x" * (MAX_ARTIFACT_BYTES + 1)})
    assert huge.code == 422 and f"at most {MAX_ARTIFACT_BYTES:,}" in json.dumps(huge.json)
    not_a_run = await api("POST", "artifacts", json_body={"data": 1, "flow_run_id": "../etc"})
    assert not_a_run.code == 422 and "flow_run_id" in json.dumps(not_a_run.json)
    unknown = await api("POST", "artifacts", json_body={"data": 1, "colour": "red"})
    assert unknown.code == 422
    too_many = await api("GET", "artifacts", params={"limit": "100000"})
    assert too_many.code in (400, 422) and "limit" in json.dumps(too_many.json)
