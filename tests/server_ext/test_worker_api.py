"""The routes a remote worker uses: claim, heartbeat, ops, state moves, attempt ends, notebooks.

Each is driven as a worker would drive it, then fed bad input: always a 4xx naming the problem,
never a 500; and nothing answers without the server's token.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from jupyter_server.utils import url_path_join

from orchestr_lab.engine.ids import new_id
from orchestr_lab.store.run_logs import get_logs
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs

#: The per-line log cap for this module's server (small, so a test can go past it cheaply).
LOG_CAP = 100_000


@pytest.fixture
def server_options() -> dict[str, Any]:
    return {"scheduler": False, "local_worker": False, "max_cell_output_bytes": LOG_CAP}


@pytest.fixture
def raw(http_server_client: Any, jp_auth_header: dict[str, str], jp_base_url: str) -> Any:
    """``await raw(method, "flow_runs/..%2Fx", body)``: the path sent as written (``api`` escapes it)."""

    async def call(method: str, path: str, body: Any = None) -> tuple[int, Any]:
        url = url_path_join(jp_base_url, "orchestr-lab/api", path)
        content = None if body is None and method in ("GET", "DELETE") else json.dumps(body or {})
        response = await http_server_client.fetch(
            url, method=method, body=content, headers=jp_auth_header, raise_error=False
        )
        return response.code, json.loads(response.body) if response.body else None

    return call


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
    moved = await api(
        "POST",
        "flow_runs",
        run["id"],
        "set_state",
        json_body={
            "state": {"type": "RUNNING", "name": "Running", "timestamp": now},
            "fields": {"run_count": 1, "start_time": now},
        },
    )
    assert moved.code == 200 and moved.json["type"] == "RUNNING"
    cell = new_id()
    ops = [
        [
            "task_run",
            {
                "id": cell,
                "name": "cell-1",
                "flow_run_id": run["id"],
                "task_key": "cell.a",
                "dynamic_key": "0",
                "tags": ["notebook-cell"],
                "cache_key": None,
                "created": now,
            },
        ],
        ["state", "task", cell, {"type": "RUNNING", "name": "Running", "timestamp": now}, {"start_time": now}],
        [
            "state",
            "task",
            cell,
            {"type": "COMPLETED", "name": "Completed", "timestamp": now + 1},
            {"end_time": now + 1},
        ],
        [
            "log",
            {
                "flow_run_id": run["id"],
                "task_run_id": cell,
                "level": 20,
                "logger_name": "nb",
                "message": "hello from far away",
                "timestamp": now,
            },
        ],
        [
            "record",
            {
                "flow_run_id": run["id"],
                "task_run_id": None,
                "name": "answer",
                "value": 42,
                "repr": "42",
                "timestamp": now,
            },
        ],
    ]
    written = await api("POST", "workers", "ops", json_body={"ops": ops, "batch_id": "b-1"})
    assert written.code == 200 and written.json == {"written": 5, "refused": []}
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

    upload = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [{"cell_type": "code", "id": "a", "metadata": {}, "source": "1", "execution_count": 1, "outputs": []}],
    }
    assert (await api("PUT", "flow_runs", run["id"], "notebook", json_body=upload)).code == 204
    served = await api("GET", "flow_runs", run["id"], "notebook")
    assert served.code == 200 and served.json["cells"][0]["source"] == "1"
    stored_path = get_flow_run(store, run["id"])["output_notebook"]
    assert Path(stored_path).parent == tmp_path / "results" / "notebooks"

    finished = await api(
        "POST",
        "flow_runs",
        run["id"],
        "finish",
        json_body={"state": {"type": "CANCELLED", "name": "Cancelled", "message": "stopped"}},
    )
    assert finished.code == 200 and finished.json["state"]["type"] == "CANCELLED"
    assert finished.json["recorded"] == {"answer": 42}


async def test_the_server_hands_out_notebooks_under_its_root_only(api: Any, notebook: str, jp_root_dir: Path) -> None:
    content = await api("GET", "notebooks", "content", params={"path": notebook})
    assert content.code == 200 and content.json["nbformat"] == 4
    assert "parameters" in content.json["cells"][0]["metadata"]["tags"]
    (jp_root_dir / "deep.ipynb").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    for params, code in [
        ({}, 400),
        ({"path": "../../etc/passwd"}, 403),
        ({"path": "nope.ipynb"}, 404),
        ({"path": "deep.ipynb"}, 422),
    ]:
        reply = await api("GET", "notebooks", "content", params=params)
        assert reply.code == code and set(reply.json) == {"error", "detail"}, (params, reply)


@pytest.mark.parametrize(
    ("parts", "body", "code", "says"),
    [
        (("workers", "ops"), {"ops": [["drop_tables", {}]]}, 422, "unknown operation"),
        (("workers", "ops"), {"ops": [[]]}, 422, "unknown operation"),
        (("workers", "ops"), {"ops": [[{}]]}, 422, "not a list of store operations"),
        (("workers", "ops"), {"ops": [["state", "flow", "x", {"type": [], "name": "n"}, {}]]}, 422, "ops"),
        (("workers", "ops"), {"ops": [["state", "flow", "x", {"type": "NOPE", "name": "n"}, {}]]}, 422, "known 'type'"),
        (
            ("workers", "ops"),
            {"ops": [["state", "flow", "x", {"type": "RUNNING", "name": "R", "timestamp": "noon"}, {}]]},
            422,
            "epoch seconds",
        ),
        (("workers", "ops"), {"ops": [["log", {"message": "m", "sql": "drop"}]]}, 422, "may not carry sql"),
        (("workers", "ops"), {"ops": [["task_run", {"name": "no id"}]]}, 422, "string 'id'"),
        (("workers", "ops"), {"ops": "not a list"}, 422, "ops"),
        (("workers", "ops"), {"ops": [["log", {"level": "loud", "message": "m", "timestamp": 1.0}]]}, 422, "level"),
        (("workers", "claim"), {"name": "w", "queues": []}, 422, "queues"),
        (("workers", "claim"), {"queues": ["default"]}, 422, "name"),
        (("workers", "heartbeat"), {"name": "w", "runs": "abc"}, 422, "runs"),
        (("flow_runs", "nope", "set_state"), {"state": {"type": "RUNNING"}}, 404, "nope"),
        (
            ("flow_runs", "nope", "set_state"),
            {"state": {"type": "RUNNING"}, "fields": {"password": 1}},
            422,
            "password",
        ),
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


def _new_run_ops(run_id: str, **extra: Any) -> list[list[Any]]:
    """A run as a remote engine inserts it (engine/flow_engine.py), plus ``extra`` columns, moved to PENDING."""
    row = {
        "id": run_id,
        "name": "sneaky",
        "flow_name": "f",
        "parameters": {},
        "tags": [],
        "parent_task_run_id": None,
        "deployment_id": None,
        "created": time.time(),
        **extra,
    }
    return [["flow_run", row], ["state", "flow", run_id, {"type": "PENDING", "name": "Pending"}, {}]]


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ({"notebook": "/tmp/elsewhere.ipynb", "work_queue": "default"}, "may not carry notebook, work_queue"),
        ({"entrypoint": "/tmp/elsewhere.py:main"}, "may not carry entrypoint"),
        ({"output_notebook": "/etc/passwd"}, "may not carry output_notebook"),
        ({"resume_from": {"requested": True, "snapshot": "/tmp/evil.pkl"}}, "may not carry resume_from"),
        ({"worker_name": "me", "state_type": "SCHEDULED"}, "may not carry state_type, worker_name"),
        ({"deployment_id": "d"}, "deployment_id: Input should be None"),
    ],
)
async def test_a_batch_cannot_write_what_only_the_server_sets(
    api: Any, store: Any, extra: dict[str, Any], says: str
) -> None:
    """The attack: a run whose notebook is outside the root, for the server's own worker to run."""
    run_id = new_id()
    reply = await api("POST", "workers", "ops", json_body={"ops": _new_run_ops(run_id, **extra)})
    assert reply.code == 422 and says in reply.json["error"], reply
    assert get_flow_run(store, run_id) is None


async def test_a_batch_state_op_cannot_set_server_fields(api: Any, store: Any) -> None:
    run_id = new_id()
    ops = _new_run_ops(run_id)
    ops[1][4] = {"output_notebook": "/etc/passwd"}
    reply = await api("POST", "workers", "ops", json_body={"ops": ops})
    assert reply.code == 422 and "may not carry output_notebook" in reply.json["error"], reply
    assert get_flow_run(store, run_id) is None


async def test_a_batch_with_a_refused_op_writes_nothing(api: Any, notebook: str, store: Any) -> None:
    run = await _claimed_run(api, notebook)
    assert (await api("POST", "flow_runs", run["id"], "cancel")).json["state"]["type"] == "CANCELLED"
    new = new_id()
    ops = [
        *_new_run_ops(new),
        [
            "log",
            {
                "flow_run_id": run["id"],
                "task_run_id": None,
                "level": 20,
                "logger_name": "nb",
                "message": "before the refused op",
                "timestamp": time.time(),
            },
        ],
        ["state", "flow", run["id"], {"type": "RUNNING", "name": "Running"}, {}],  # CANCELLED is final: illegal
        ["state", "flow", new_id(), {"type": "RUNNING", "name": "Running"}, {}],  # no such run
    ]
    reply = await api("POST", "workers", "ops", json_body={"ops": ops, "batch_id": "atomic-1"})
    assert reply.code == 409, reply
    assert [item["index"] for item in reply.json["detail"]] == [3, 4]
    assert run["id"] in reply.json["detail"][0]["message"]
    assert get_flow_run(store, new) is None
    assert get_logs(store, run["id"]) == []
    assert get_flow_run(store, run["id"])["state"]["type"] == "CANCELLED"
    # Without the refused ops, the same rows go in (a new batch id: the remote recorder's retry).
    reply = await api("POST", "workers", "ops", json_body={"ops": ops[:3], "batch_id": "atomic-2"})
    assert reply.code == 200 and reply.json == {"written": 3, "refused": []}
    assert get_flow_run(store, new)["state"]["type"] == "PENDING"
    assert [line["message"] for line in get_logs(store, run["id"])] == ["before the refused op"]


@pytest.mark.parametrize("run_id", ["../../escape", "..", "a b", "x" * 300])
async def test_run_ids_are_ids(api: Any, store: Any, tmp_path: Path, raw: Any, run_id: str) -> None:
    """A run cannot be inserted with an id that is no id, nor addressed by one: ``PUT .../notebook``
    with ``..%2F..%2Fescape`` writes no file anywhere."""
    inserted = await api("POST", "workers", "ops", json_body={"ops": _new_run_ops(run_id)})
    assert inserted.code == 422 and "id: String should match pattern" in inserted.json["error"], inserted
    quoted = quote(run_id, safe="")
    upload = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}
    for method, path, body in [
        ("PUT", f"flow_runs/{quoted}/notebook", upload),
        ("GET", f"flow_runs/{quoted}", None),
        ("POST", f"flow_runs/{quoted}/retry", {}),
        ("POST", f"flow_runs/{quoted}/cancel", {}),
        ("DELETE", f"flow_runs/{quoted}", None),
        ("POST", f"flow_runs/{quoted}/set_state", {"state": {"type": "RUNNING"}}),
        ("POST", f"task_runs/{quoted}/set_state", {"state": {"type": "RUNNING"}}),
        ("POST", f"flow_runs/{quoted}/finish", {"state": {"type": "COMPLETED"}}),
    ]:
        code, answer = await raw(method, path, body)
        assert code == 404 and set(answer) == {"error", "detail"}, (method, path, code, answer)
    assert not list(tmp_path.rglob("escape*"))


async def test_worker_writes_of_server_fields_are_refused(api: Any, notebook: str, store: Any) -> None:
    """``set_state`` may clear the output notebook or resume point, never point them at a file;
    ``finish`` ignores a resume point (it names kernel-state files on the server)."""
    run = await _claimed_run(api, notebook)
    for fields in ({"output_notebook": "/etc/passwd"}, {"resume_from": {"snapshot": "/tmp/evil.pkl"}}):
        reply = await api(
            "POST", "flow_runs", run["id"], "set_state", json_body={"state": {"type": "RUNNING"}, "fields": fields}
        )
        assert reply.code == 422 and f"fields.{next(iter(fields))}" in reply.json["error"], reply
    cleared = await api(
        "POST",
        "flow_runs",
        run["id"],
        "set_state",
        json_body={"state": {"type": "RUNNING"}, "fields": {"resume_from": None, "run_count": 1}},
    )
    assert cleared.code == 200, cleared
    evil = {"cell": 2, "cell_index": 1, "snapshot": "/tmp/evil.pkl", "notebook": "/tmp/evil.ipynb"}
    finished = await api(
        "POST",
        "flow_runs",
        run["id"],
        "finish",
        json_body={"state": {"type": "FAILED", "message": "x", "details": {"resume": evil}}},
    )
    assert finished.code == 200 and finished.json["state"]["type"] == "FAILED"
    assert get_flow_run(store, run["id"])["resume_from"] is None


async def test_the_executed_notebook_is_served_from_the_results_folder_only(
    api: Any, notebook: str, store: Any, tmp_path: Path
) -> None:
    """A run whose stored output notebook points elsewhere (directly or by a symlink in the
    results folder) is a 404: the file is never read."""
    from sqlalchemy import update

    from orchestr_lab.store.models import flow_runs

    run = await _claimed_run(api, notebook)
    secret = tmp_path / "secret.ipynb"
    secret.write_text('{"nbformat": 4, "cells": [], "secret": true}', encoding="utf-8")
    folder = tmp_path / "results" / "notebooks"
    folder.mkdir(parents=True)
    (folder / "link.ipynb").symlink_to(secret)
    for stored in (str(secret), str(folder / ".." / ".." / "secret.ipynb"), str(folder / "link.ipynb")):
        with store.begin() as conn:
            conn.execute(update(flow_runs).where(flow_runs.c.id == run["id"]).values(output_notebook=stored))
        reply = await api("GET", "flow_runs", run["id"], "notebook")
        assert reply.code == 404 and "secret" not in reply.json, (stored, reply)
    (folder / "mine.ipynb").write_text('{"nbformat": 4, "cells": []}', encoding="utf-8")
    with store.begin() as conn:
        conn.execute(
            update(flow_runs).where(flow_runs.c.id == run["id"]).values(output_notebook=str(folder / "mine.ipynb"))
        )
    assert (await api("GET", "flow_runs", run["id"], "notebook")).code == 200


async def test_a_batch_log_line_is_capped_like_the_engines(api: Any, notebook: str, store: Any) -> None:
    """A 2 MB log line in a batch is stored as its first bytes up to the cap, then the marker."""
    run = await _claimed_run(api, notebook)
    line = [
        "log",
        {
            "flow_run_id": run["id"],
            "task_run_id": None,
            "level": 20,
            "logger_name": "nb",
            "message": "x" * 2_000_000,
            "timestamp": time.time(),
        },
    ]
    assert (await api("POST", "workers", "ops", json_body={"ops": [line]})).code == 200
    (stored,) = (await api("GET", "flow_runs", run["id"], "logs")).json
    assert stored["message"].startswith("x" * LOG_CAP) and "x" * (LOG_CAP + 1) not in stored["message"]
    assert stored["message"].endswith("[output truncated: 2,000,000 bytes, showing the first 100,000]")


async def test_a_batch_of_the_wrong_types_is_a_422(api: Any, notebook: str, store: Any) -> None:
    """Every field of every op is checked against the engine's types and bounds (core/schemas_ops.py):
    a wrong type, a number out of range or a missing column is a 422 naming the op, never a 5xx."""
    run = await _claimed_run(api, notebook)
    new = new_id()
    good = {
        "id": new,
        "name": "n",
        "flow_name": "f",
        "parameters": {},
        "tags": [],
        "parent_task_run_id": None,
        "deployment_id": None,
        "created": time.time(),
    }
    line = {
        "flow_run_id": run["id"],
        "task_run_id": None,
        "level": 20,
        "logger_name": "t",
        "message": "m",
        "timestamp": time.time(),
    }
    batches = [
        *(
            [["flow_run", {**good, **change}]]
            for change in (
                {"created": "noon"},
                {"created": 1e300},
                {"created": None},
                {"tags": "x"},
                {"parameters": [1]},
                {"name": {"a": 1}},
                {"parent_task_run_id": 5},
                {"flow_name": None},
                {"flow_name": {"x": 1}},
            )
        ),
        [["log", {**line, "timestamp": "x"}]],
        [["log", {**line, "level": 10**30}]],
        [["log", {**line, "message": 5}]],
        [["record", {"flow_run_id": run["id"], "name": None, "value": 1, "timestamp": 1.0}]],
        [["state", "flow", run["id"], {"type": "RUNNING", "name": "R", "timestamp": 1e300}, {}]],
        [["state", "flow", run["id"], {"type": "RUNNING", "name": "R"}, {"start_time": "noon"}]],
        [["state", "task", new, {"type": "RUNNING", "name": "R"}, {"run_count": 10**30}]],
        [["flow", "x" * 100_000]],
    ]
    for ops in batches:
        reply = await api("POST", "workers", "ops", json_body={"ops": ops})
        assert reply.code == 422 and reply.json["error"].startswith("Invalid request: ops: op 0: "), (
            ops,
            reply,
        )
    assert get_flow_run(store, new) is None and get_logs(store, run["id"]) == []


async def test_a_nul_in_a_log_line_is_stored_as_a_replacement_character(api: Any, notebook: str) -> None:
    """PostgreSQL text cannot hold NUL: a printed NUL must not lose the batch (or fail on one store only)."""
    run = await _claimed_run(api, notebook)
    line = {
        "flow_run_id": run["id"],
        "task_run_id": None,
        "level": 20,
        "logger_name": "t",
        "message": "a\x00b",
        "timestamp": time.time(),
    }
    assert (await api("POST", "workers", "ops", json_body={"ops": [["log", line]]})).code == 200
    assert [x["message"] for x in (await api("GET", "flow_runs", run["id"], "logs")).json] == ["a\ufffdb"]


async def test_a_state_move_cannot_null_a_column_the_store_needs(api: Any, notebook: str, store: Any) -> None:
    """``run_count`` may be left out, never null (its column is NOT NULL: it was a 500)."""
    run = await _claimed_run(api, notebook)
    reply = await api(
        "POST",
        "flow_runs",
        run["id"],
        "set_state",
        json_body={"state": {"type": "RUNNING"}, "fields": {"run_count": None}},
    )
    assert reply.code == 422 and "fields.run_count" in reply.json["error"], reply
    assert get_flow_run(store, run["id"])["state"]["type"] == "PENDING"


async def test_the_document_states_what_the_worker_routes_take(api: Any) -> None:
    """What the server refuses in ``workers/ops`` and ``set_state`` is what the document says it
    takes: each op's shape, server-only fields as null only, names of parameters without NUL."""
    doc = (await api("GET", "openapi.json")).json
    schemas = doc["components"]["schemas"]
    ops = schemas["OpsBatch"]["properties"]["ops"]
    shapes = ops["items"]["anyOf"]
    assert {s["prefixItems"][0]["const"] for s in shapes} == {"state", "flow", "flow_run", "task_run", "log", "record"}
    assert ops["maxItems"] == 100_000
    fields = schemas["FlowRunFields"]["properties"]
    assert fields["output_notebook"]["type"] == "null" and fields["resume_from"]["type"] == "null"
    assert "null" not in json.dumps(fields["run_count"])
    details = schemas["StateIn"]["properties"]["details"]
    assert details["propertyNames"]["pattern"] == "^[^\\x00]*$" and "patternProperties" not in details


async def test_a_nested_key_is_the_clients_data_a_parameter_name_is_not(api: Any, notebook: str) -> None:
    ok = await api("POST", "schedules/preview", json_body={"interval": 60, "parameters": {"p": {"a\x00b": 1}}})
    assert ok.code == 200, ok
    bad = await api("POST", "schedules/preview", json_body={"interval": 60, "parameters": {"a\x00b": 1}})
    assert bad.code == 422, bad
