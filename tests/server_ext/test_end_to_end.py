"""End to end through the API: the server's own scheduler and local worker run real notebooks.

A deployment is created over HTTP, run with parameter overrides, executed by the local worker
(papermill, a real kernel), and its result read back over HTTP: state, the executed notebook
with the injected parameters, one task run per cell, logs and recorded outputs. Waiting is
always polling with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest

from .conftest import write_notebook

FINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}
DEADLINE = 120.0  # seconds; a cold kernel start is a few seconds on a loaded machine


@pytest.fixture
def server_options() -> dict[str, Any]:
    return {"scheduler": True, "local_worker": True, "scheduler_interval": 0.5, "local_worker_concurrency": 2}


def _text(value: str | list[str]) -> str:
    """nbformat JSON keeps multi-line strings as lists of lines."""
    return value if isinstance(value, str) else "".join(value)


async def _start_services(jp_serverapp: Any) -> None:
    """What ServerApp.start does once its loop runs (pytest-jupyter stops short of it)."""
    await jp_serverapp.extension_manager.start_all_extensions()


async def _wait_for_run(api: Any, run_id: str, states: set[str] = FINAL) -> dict[str, Any]:
    deadline = time.monotonic() + DEADLINE
    while True:
        run = (await api("GET", "flow_runs", run_id)).json
        if run["state"]["type"] in states:
            return run
        assert time.monotonic() < deadline, f"run still {run['state']} after {DEADLINE} s"
        await asyncio.sleep(0.2)


async def test_deploy_run_with_overrides_and_read_everything_back(
    api: Any, jp_root_dir: Path, jp_serverapp: Any
) -> None:
    await _start_services(jp_serverapp)
    write_notebook(
        jp_root_dir / "e2e" / "square.ipynb",
        parameters="n: int = 2\nlabel = 'default'",
        cells=[
            "print(f'{label}: squaring {n}')",
            "from orchestr_lab import record\nrecord('square', n * n)",
        ],
    )
    health = (await api("GET", "health")).json
    assert health["services"] == {"scheduler": True, "reaper": True, "automations": True, "local_worker": True}

    dep = await api(
        "POST",
        "deployments",
        json_body={"name": "square", "notebook": "e2e/square.ipynb", "parameters": {"label": "api"}},
    )
    assert dep.code == 201, dep
    created = await api("POST", "deployments", dep.json["id"], "runs", json_body={"parameters": {"n": "7"}})
    assert created.code == 201, created
    run_id = created.json["id"]

    run = await _wait_for_run(api, run_id)
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert run["parameters"] == {"label": "api", "n": 7}
    assert run["worker"]["name"] and run["worker"]["name"].startswith("local:")
    assert run["recorded"] == {"square": 49}

    notebook = await api("GET", "flow_runs", run_id, "notebook")
    assert notebook.code == 200
    injected = [c for c in notebook.json["cells"] if "injected-parameters" in c["metadata"].get("tags", [])]
    assert len(injected) == 1
    assert "n = 7" in _text(injected[0]["source"]) and 'label = "api"' in _text(injected[0]["source"])
    outputs = "".join(_text(o.get("text", "")) for c in notebook.json["cells"] for o in c.get("outputs", []))
    assert "api: squaring 7" in outputs

    tasks = (await api("GET", "flow_runs", run_id, "task_runs")).json
    assert len(tasks) >= 3  # the parameters cell, the injected one and the two code cells (empty ones may be skipped)
    assert {t["state"]["type"] for t in tasks} == {"COMPLETED"}

    logs = (await api("GET", "flow_runs", run_id, "logs")).json
    assert any("api: squaring 7" in line["message"] for line in logs)
    recorded = (await api("GET", "flow_runs", run_id, "recorded")).json
    assert [(r["name"], r["value"]) for r in recorded] == [("square", 49)]

    events = (await api("GET", "events")).json["items"]
    states = [
        e["payload"]["state"]["type"] for e in events if e["kind"] == "flow_run.state" and e["resource_id"] == run_id
    ]
    assert states[0] == "SCHEDULED" and states[-1] == "COMPLETED" and "RUNNING" in states


async def test_a_failing_notebook_names_the_cell(api: Any, jp_root_dir: Path, jp_serverapp: Any) -> None:
    await _start_services(jp_serverapp)
    write_notebook(
        jp_root_dir / "broken.ipynb",
        parameters="divisor = 1",
        cells=["x = 10", "y = x / divisor", "print('never')"],
    )
    dep = await api("POST", "deployments", json_body={"name": "broken", "notebook": "broken.ipynb"})
    created = await api("POST", "deployments", dep.json["id"], "runs", json_body={"parameters": {"divisor": 0}})
    run = await _wait_for_run(api, created.json["id"])
    assert run["state"]["type"] == "FAILED"
    message = run["state"]["message"]
    assert "ZeroDivisionError" in message
    # Cells count in the executed notebook: parameters, injected parameters, "x = 10", then this one.
    assert message.startswith("Cell 4 failed")
    tasks = (await api("GET", "flow_runs", created.json["id"], "task_runs")).json
    failed = [t for t in tasks if t["state"]["type"] == "FAILED"]
    assert len(failed) == 1


async def test_an_interval_schedule_fires(api: Any, jp_root_dir: Path, jp_serverapp: Any) -> None:
    await _start_services(jp_serverapp)
    write_notebook(jp_root_dir / "tick.ipynb", parameters="n = 0", cells=["print('tick')"])
    dep = await api(
        "POST", "deployments", json_body={"name": "tick", "notebook": "tick.ipynb", "schedules": [{"interval": 1}]}
    )
    assert dep.code == 201, dep
    deadline = time.monotonic() + DEADLINE
    while True:
        page = (await api("GET", "flow_runs", params={"deployment_id": dep.json["id"], "state": "COMPLETED"})).json
        if page["total"]:
            break
        assert time.monotonic() < deadline, "the scheduled run never completed"
        await asyncio.sleep(0.2)
    run = page["items"][0]
    assert run["scheduled_start_time"] is not None
    # Stop the schedule so the server has nothing left to start while it shuts down.
    paused = await api("POST", "deployments", dep.json["id"], "pause")
    assert paused.json["paused"] is True


async def test_run_now_is_claimed_at_once_not_at_the_next_poll(api: Any, jp_root_dir: Path, jp_serverapp: Any) -> None:
    """ "Run now" and "retry" wake the local worker: with its poll an hour away, runs still run."""
    await _start_services(jp_serverapp)
    app = next(iter(jp_serverapp.extension_manager.extension_apps["orchestr_lab"]))
    worker = app.background._worker
    worker.poll_interval = 3600.0
    worker._next_claim = time.monotonic() + 3600.0
    # Fails on its first run (leaving a marker), succeeds on the next.
    write_notebook(
        jp_root_dir / "now.ipynb",
        parameters="marker = 'ran-once'",
        cells=[
            "import os\nif not os.path.exists(marker):\n"
            "    open(marker, 'w').close()\n    raise RuntimeError('first run')",
        ],
    )
    dep = await api("POST", "deployments", json_body={"name": "now", "notebook": "now.ipynb"})
    created = await api(
        "POST", "deployments", dep.json["id"], "runs", json_body={"parameters": {"marker": str(jp_root_dir / "marker")}}
    )
    run = await _wait_for_run(api, created.json["id"])
    assert run["state"]["type"] == "FAILED", run["state"]
    retried = await api("POST", "flow_runs", created.json["id"], "retry")
    assert retried.code == 200, retried
    run = await _wait_for_run(api, created.json["id"], {"COMPLETED", "CRASHED", "CANCELLED"})
    assert run["state"]["type"] == "COMPLETED", run["state"]
    assert run["run_count"] == 2, run


async def test_a_failed_notebook_run_retries_from_its_failing_cell(
    api: Any, jp_root_dir: Path, jp_serverapp: Any
) -> None:
    """The API says where a failed run can resume, and a retry from there skips the cells before."""
    await _start_services(jp_serverapp)
    write_notebook(
        jp_root_dir / "resume.ipynb",
        parameters="marker = 'm'",
        cells=[
            "open(marker + '-setup', 'a').write('x')\nrows = [1, 2, 3]",
            "import os\nif not os.path.exists(marker + '-setup-ok'):\n    open(marker + '-setup-ok', 'w').close()\n"
            "    raise RuntimeError('first try')\nfrom orchestr_lab import record\nrecord('rows', len(rows))",
        ],
    )
    dep = await api("POST", "deployments", json_body={"name": "resume", "notebook": "resume.ipynb"})
    marker = str(jp_root_dir / "marker")
    created = await api("POST", "deployments", dep.json["id"], "runs", json_body={"parameters": {"marker": marker}})
    run = await _wait_for_run(api, created.json["id"])
    assert run["state"]["type"] == "FAILED" and run["resume_cell"] == 4, run
    assert "resume_from" not in run  # server paths stay on the server

    bad = await api("POST", "flow_runs", run["id"], "retry", json_body={"from_the_cell": True})
    assert bad.code == 422, bad
    retried = await api("POST", "flow_runs", run["id"], "retry", json_body={"from_failed_cell": True})
    assert retried.code == 200 and retried.json["state"]["message"] == "Retry from cell 4 requested", retried
    run = await _wait_for_run(api, run["id"])
    assert run["state"]["type"] == "COMPLETED" and run["recorded"] == {"rows": 3}, run
    assert Path(marker + "-setup").read_text() == "x"  # the cell before ran once
    assert run["resume_cell"] is None

    again = await api("POST", "flow_runs", run["id"], "retry", json_body={"from_failed_cell": True})
    assert again.code == 409 and "only FAILED, CRASHED or CANCELLED" in again.json["error"], again
