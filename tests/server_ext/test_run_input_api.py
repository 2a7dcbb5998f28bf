"""Flow run inputs over REST, as Prefect's: create (409 on a taken key), read, filter by key
prefix oldest first leaving out seen keys, delete; keys and values bounded (4xx, never a 500)."""

from __future__ import annotations

from typing import Any

import pytest

from orchestr_lab import flow


@flow(name="input-holder")
def holder() -> str:
    from orchestr_lab.runtime import flow_run

    return str(flow_run.id)


@pytest.fixture
def run_id(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", db_url)
    return holder()


async def test_inputs_are_created_read_filtered_and_deleted(api: Any, run_id: str) -> None:
    for key, value in [("number-auto-a", {"value": 1}), ("other-b", "text"), ("number-auto-c", {"value": 3})]:
        created = await api(
            "POST", "flow_runs", run_id, "input", json_body={"key": key, "value": value, "sender": "me"}
        )
        assert created.code == 201, created
    assert created.json == {**created.json, "flow_run_id": run_id, "key": "number-auto-c", "sender": "me"}
    taken = await api("POST", "flow_runs", run_id, "input", json_body={"key": "other-b", "value": 2})
    assert taken.code == 409 and "already exists" in taken.json["error"]

    read = await api("GET", "flow_runs", run_id, "input", "other-b")
    assert (read.code, read.json["value"]) == (200, "text")
    assert (await api("GET", "flow_runs", run_id, "input", "nope")).code == 404

    first = await api("POST", "flow_runs", run_id, "input", "filter", json_body={"prefix": "number-auto"})
    assert [i["key"] for i in first.json] == ["number-auto-a"]  # limit 1 by default, oldest first
    body = {"prefix": "number-auto", "limit": 10, "exclude_keys": ["number-auto-a"]}
    rest = await api("POST", "flow_runs", run_id, "input", "filter", json_body=body)
    assert [(i["key"], i["value"]) for i in rest.json] == [("number-auto-c", {"value": 3})]

    assert (await api("DELETE", "flow_runs", run_id, "input", "other-b")).code == 204
    assert (await api("DELETE", "flow_runs", run_id, "input", "other-b")).code == 404
    everything = await api("POST", "flow_runs", run_id, "input", "filter", json_body={"prefix": "", "limit": 10})
    assert [i["key"] for i in everything.json] == ["number-auto-a", "number-auto-c"]


async def test_bad_keys_values_and_runs_are_refused(api: Any, run_id: str) -> None:
    bad_key = await api("POST", "flow_runs", run_id, "input", json_body={"key": "Has_Upper", "value": 1})
    assert bad_key.code == 422 and "lowercase letters, numbers, and dashes" in bad_key.json["error"]
    huge = await api("POST", "flow_runs", run_id, "input", json_body={"key": "k", "value": "x" * 600_000})
    assert huge.code == 422 and "value" in huge.json["error"]
    nul = await api("POST", "flow_runs", run_id, "input", json_body={"key": "nul", "value": {"a\u0000": "b\u0000"}})
    assert nul.code == 201 and (await api("GET", "flow_runs", run_id, "input", "nul")).json["value"] == {
        "a\u0000": "b\u0000"
    }
    big_page = await api("POST", "flow_runs", run_id, "input", "filter", json_body={"prefix": "", "limit": 100_000})
    assert big_page.code == 422 and "limit" in big_page.json["error"]
    missing = "00000000-0000-4000-8000-000000000000"
    assert (await api("POST", "flow_runs", missing, "input", json_body={"key": "k", "value": 1})).code == 404
    assert (await api("GET", "flow_runs", run_id, "input", "Not_A_Key")).code == 404
