"""The routes a remote worker uses: claim, heartbeat, ops, state moves, attempt ends, notebooks.

Each is driven as a worker would drive it, then fed bad input: always a 4xx naming the problem,
never a 500; and nothing answers without the server's token.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from orchestr_lab.store.runs import get_flow_run, get_logs, list_task_runs


async def _claimed_run(api: Any, notebook: str) -> dict[str, Any]:
    dep = (await api("POST", "deployments", json_body={"name": "daily", "notebook": notebook})).json
    run = (await api("POST", "deployments", dep["id"], "runs", json_body={"parameters": {"n": 4}})).json
    claim = await api("POST", "workers", "claim", json_body={"name": "far-away", "queues": ["default"]})
    assert claim.code == 200 and claim.json["run"]["id"] == run["id"]
    assert claim.json["run"]["deployment_name"] == "daily" and claim.json["run"]["parameters"] == {"n": 4}
    return claim.json["run"]


async def test_a_remote_attempt_end_to_end(api: Any, notebook: str, store: Any, tmp_path: Path) -> None:
    run = await _claimed_run(api, notebook)
    assert (await api("POST", "workers", "claim", json_body={"name": "far-away"})).json == {"run": None}

    now = time.time()
    moved = await api("POST", "flow_runs", run["id"], "set_state",
                      json_body={"state": {"type": "RUNNING", "name": "Running", "timestamp": now},
                                 "fields": {"run_count": 1, "start_time": now}})
    assert moved.code == 200 and moved.json["type"] == "RUNNING"
    ops = [
        ["task_run", {"id": "cell-a", "name": "cell-1", "flow_run_id": run["id"], "task_key": "cell.a",
                      "dynamic_key": "0", "tags": ["notebook-cell"], "cache_key": None, "created": now}],
        ["state", "task", "cell-a", {"type": "RUNNING", "name": "Running", "timestamp": now}, {"start_time": now}],
        ["state", "task", "cell-a", {"type": "COMPLETED", "name": "Completed", "timestamp": now + 1},
         {"end_time": now + 1}],
        ["log", {"flow_run_id": run["id"], "task_run_id": "cell-a", "level": 20, "logger_name": "nb",
                 "message": "hello from far away", "timestamp": now}],
        ["record", {"flow_run_id": run["id"], "task_run_id": None, "name": "answer", "value": 42, "repr": "42",
                    "timestamp": now}],
        ["state", "task", "cell-a", {"type": "RUNNING", "name": "Running"}, {}],  # illegal: refused, not fatal
    ]
    written = await api("POST", "workers", "ops", json_body={"ops": ops, "batch_id": "b-1"})
    assert written.code == 200 and written.json["written"] == 6
    assert len(written.json["refused"]) == 1 and "cell-a" in written.json["refused"][0]
    # The same batch again (its answer was lost on the way): the first answer, nothing written twice.
    again = await api("POST", "workers", "ops", json_body={"ops": ops, "batch_id": "b-1"})
    assert again.json == written.json
    assert [t["state"]["type"] for t in list_task_runs(store, run["id"])] == ["COMPLETED"]
    assert [line["message"] for line in get_logs(store, run["id"])] == ["hello from far away"]

    beat = await api("POST", "workers", "heartbeat", json_body={"name": "far-away", "runs": [run["id"]]})
    assert beat.code == 200 and beat.json["stop"] == []
    await api("POST", "flow_runs", run["id"], "cancel")
    beat = await api("POST", "workers", "heartbeat", json_body={"name": "far-away", "runs": [run["id"]]})
    assert beat.json["stop"] == [run["id"]]

    upload = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "id": "a", "metadata": {}, "source": "1", "execution_count": 1, "outputs": []}]}
    assert (await api("PUT", "flow_runs", run["id"], "notebook", json_body=upload)).code == 204
    served = await api("GET", "flow_runs", run["id"], "notebook")
    assert served.code == 200 and served.json["cells"][0]["source"] == "1"
    stored_path = get_flow_run(store, run["id"])["output_notebook"]
    assert Path(stored_path).parent == tmp_path / "results" / "notebooks"

    finished = await api("POST", "flow_runs", run["id"], "finish",
                         json_body={"state": {"type": "CANCELLED", "name": "Cancelled", "message": "stopped"}})
    assert finished.code == 200 and finished.json["state"]["type"] == "CANCELLED"
    assert finished.json["recorded"] == {"answer": 42}


async def test_the_server_hands_out_notebooks_under_its_root_only(api: Any, notebook: str) -> None:
    content = await api("GET", "notebooks", "content", params={"path": notebook})
    assert content.code == 200 and content.json["nbformat"] == 4
    assert "parameters" in content.json["cells"][0]["metadata"]["tags"]
    for params, code in [({}, 400), ({"path": "../../etc/passwd"}, 403), ({"path": "nope.ipynb"}, 404)]:
        reply = await api("GET", "notebooks", "content", params=params)
        assert reply.code == code and set(reply.json) == {"error", "detail"}, (params, reply)


@pytest.mark.parametrize(
    ("parts", "body", "code", "says"),
    [
        (("workers", "ops"), {"ops": [["drop_tables", {}]]}, 422, "unknown operation"),
        (("workers", "ops"), {"ops": [[]]}, 422, "unknown operation"),
        (("workers", "ops"), {"ops": [["state", "flow", "x", {"type": "NOPE", "name": "n"}, {}]]}, 422, "known 'type'"),
        (("workers", "ops"), {"ops": [["state", "flow", "x", {"type": "RUNNING", "name": "R", "timestamp": "noon"},
                                        {}]]}, 422, "epoch seconds"),
        (("workers", "ops"), {"ops": [["log", {"message": "m", "sql": "drop"}]]}, 422, "no field(s) sql"),
        (("workers", "ops"), {"ops": [["task_run", {"name": "no id"}]]}, 422, "string 'id'"),
        (("workers", "ops"), {"ops": "not a list"}, 422, "ops"),
        (("workers", "ops"), {"ops": [["log", {"level": "loud", "message": "m", "timestamp": 1.0}]]}, 422,
         "could not be written"),
        (("workers", "claim"), {"name": "w", "queues": []}, 422, "queues"),
        (("workers", "claim"), {"queues": ["default"]}, 422, "name"),
        (("workers", "heartbeat"), {"name": "w", "runs": "abc"}, 422, "runs"),
        (("flow_runs", "nope", "set_state"), {"state": {"type": "RUNNING"}}, 404, "nope"),
        (("flow_runs", "nope", "set_state"), {"state": {"type": "RUNNING"}, "fields": {"password": 1}}, 422,
         "password"),
        (("flow_runs", "nope", "set_state"), {"state": {"type": "SOON"}}, 422, "state.type"),
        (("task_runs", "nope", "set_state"), {"state": {"type": "RUNNING"}}, 404, "nope"),
        (("flow_runs", "nope", "finish"), {"state": {"type": "COMPLETED"}}, 404, "nope"),
        (("flow_runs", "nope", "finish"), {}, 422, "state"),
    ],
)
async def test_bad_worker_input_is_a_4xx(api: Any, parts: tuple[str, ...], body: Any, code: int, says: str) -> None:
    reply = await api("POST", *parts, json_body=body)
    assert reply.code == code, reply
    assert says in reply.json["error"], reply


async def test_bad_uploads_and_illegal_moves(api: Any, notebook: str) -> None:
    run = await _claimed_run(api, notebook)
    for body in ({"cells": []}, {"nbformat": 3, "cells": []}, {"nbformat": 4, "cells": "x"}):
        reply = await api("PUT", "flow_runs", run["id"], "notebook", json_body=body)
        assert reply.code == 422, (body, reply)
    assert (await api("PUT", "flow_runs", run["id"], "notebook", body=b"{nope")).code == 400
    missing = await api("PUT", "flow_runs", "nope", "notebook", json_body={"nbformat": 4, "cells": []})
    assert missing.code == 404
    running = await api("POST", "flow_runs", run["id"], "set_state", json_body={"state": {"type": "RUNNING"}})
    assert running.code == 200
    # RUNNING -> PENDING: the rule book refuses it, as it does for a local worker.
    illegal = await api("POST", "flow_runs", run["id"], "set_state", json_body={"state": {"type": "PENDING"}})
    assert illegal.code == 409 and set(illegal.json) == {"error", "detail"}


async def test_worker_routes_need_the_token(api: Any, notebook: str, store: Any) -> None:
    await api("POST", "deployments", json_body={"name": "daily", "notebook": notebook})
    bad = {"Authorization": "token wrong"}
    for method, parts, body in [
        ("POST", ("workers", "claim"), {"name": "thief"}),
        ("POST", ("workers", "heartbeat"), {"name": "thief"}),
        ("POST", ("workers", "ops"), {"ops": []}),
        ("POST", ("flow_runs", "x", "set_state"), {"state": {"type": "RUNNING"}}),
        ("POST", ("flow_runs", "x", "finish"), {"state": {"type": "COMPLETED"}}),
        ("PUT", ("flow_runs", "x", "notebook"), {"nbformat": 4, "cells": []}),
        ("GET", ("notebooks", "content"), None),
    ]:
        kwargs = {"params": {"path": notebook}} if method == "GET" else {}
        reply = await api(method, *parts, json_body=body, headers=bad, **kwargs)
        assert reply.code == 403, (method, parts, reply)
