"""Sweeps over REST: create from a grid or a list (parameters checked like a run's), read the
members, the table as JSON and CSV, cancel the whole sweep, retry only what did not complete."""

from __future__ import annotations

from typing import Any

from orchestr_lab.core.states import Completed, Running
from orchestr_lab.store.runs import set_state


async def _deployment(api: Any, notebook: str) -> dict[str, Any]:
    dep = await api("POST", "deployments", json_body={"name": "daily", "notebook": notebook})
    assert dep.code == 201, dep
    return dep.json


async def test_a_grid_sweep_its_members_and_its_table(api: Any, notebook: str, jp_fetch: Any, store: Any) -> None:
    dep = await _deployment(api, notebook)
    body = {"grid": {"n": [1, 2], "label": ["a", "b"]}, "parameters": {"rate": 2.0}, "max_parallel": 2}
    created = await api("POST", "deployments", "daily", "sweeps", json_body=body)
    assert created.code == 201, created
    sweep = created.json
    assert sweep["deployment_id"] == dep["id"] and sweep["state"] == "RUNNING" and sweep["max_parallel"] == 2
    assert sweep["parameter_names"] == ["n", "label"] and sweep["counts"] == {"SCHEDULED": 4}
    params = [m["parameters"] for m in sweep["members"]]
    assert params == [{"n": n, "label": label, "rate": 2.0} for n in (1, 2) for label in ("a", "b")]

    first = sweep["members"][0]["flow_run_id"]
    set_state(store, "flow", first, Running())
    set_state(store, "flow", first, Completed())
    table = (await api("GET", "sweeps", sweep["id"], "table")).json
    assert table["columns"] == ["index", "n", "label", "state", "duration"]
    assert table["rows"][0][:4] == [0, 1, "a", "COMPLETED"] and table["rows"][1] == [1, 1, "b", "SCHEDULED", None]
    csv = await jp_fetch("orchestr-lab", "api", "sweeps", sweep["id"], "table", params={"format": "csv"})
    assert csv.headers["Content-Type"].startswith("text/csv")
    lines = csv.body.decode().splitlines()
    assert lines[0] == "index,n,label,state,duration" and lines[1].startswith("0,1,a,COMPLETED,")
    assert lines[2] == "1,1,b,SCHEDULED," and len(lines) == 5

    listed = (await api("GET", "sweeps", params={"deployment_id": "daily"})).json
    assert listed["total"] == 1 and listed["items"][0]["id"] == sweep["id"] and "members" not in listed["items"][0]
    assert (await api("POST", "sweeps", sweep["id"], "retry")).code == 409  # still running

    cancelled = (await api("POST", "sweeps", sweep["id"], "cancel")).json
    assert cancelled["state"] == "CANCELLED" and cancelled["counts"] == {"COMPLETED": 1, "CANCELLED": 3}
    retried = (await api("POST", "sweeps", sweep["id"], "retry")).json
    assert retried["state"] == "RUNNING" and retried["counts"] == {"COMPLETED": 1, "SCHEDULED": 3}
    assert [m["state"]["name"] for m in retried["members"]] == ["Completed", "Rerun", "Rerun", "Rerun"]


async def test_bad_sweeps_are_refused_naming_the_problem(api: Any, notebook: str) -> None:
    await _deployment(api, notebook)
    for body, words in (
        ({"max_parallel": 2}, "exactly one of grid or parameter_sets"),
        ({"grid": {"n": [1]}, "parameter_sets": [{"n": 1}]}, "exactly one of grid or parameter_sets"),
        ({"grid": {"n": []}}, "non-empty list"),
        ({"grid": {"n": 3}}, "non-empty list"),
        ({"grid": {"a": list(range(40)), "b": list(range(40))}}, "more than 1000 combinations"),
        ({"parameter_sets": [{"n": 1}], "max_parallel": 65}, "max_parallel"),
    ):
        bad = await api("POST", "deployments", "daily", "sweeps", json_body=body)
        assert bad.code == 422 and words in bad.json["error"], (body, bad.json)
    wrong_type = await api("POST", "deployments", "daily", "sweeps", json_body={"parameter_sets": [{"n": "x"}]})
    assert wrong_type.code == 422 and "n" in wrong_type.json["error"], wrong_type.json
    missing = await api("POST", "deployments", "nope", "sweeps", json_body={"parameter_sets": [{"n": 1}]})
    assert missing.code == 404
    assert (await api("GET", "sweeps", "no-such-sweep")).code == 404
    assert (await api("GET", "sweeps", "no-such-sweep", "table", params={"format": "xml"})).code in (400, 422)
