"""A flow run waits for a person: ``pause_flow_run(wait_for_input=...)`` in a flow process, the
question read and answered over REST and with ``orchestr-lab runs resume``; bad input refused
naming the field (the run stays PAUSED); a pause nobody answers fails the run.
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from _helpers import api_server

from .conftest import cli_env, run_cli, start_cli, store

TOKEN = "pause-resume"

FLOW = """
from typing import Literal
from orchestr_lab import flow
from orchestr_lab.flow_runs import pause_flow_run
from orchestr_lab.input import RunInput

class Order(RunInput):
    count: int
    colour: Literal["red", "blue"] = "red"

@flow
def approval() -> str:
    got = pause_flow_run(
        wait_for_input=Order.with_initial_data(description="How many, which colour?", count=1),
        timeout=120,
        poll_interval=0.2,
    )
    return f"{got.count} {got.colour}"

print("RESULT", approval())
"""


def _start_flow(env: dict[str, str], cwd: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", FLOW], env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True
    )


def _paused_run(home: Path, proc: subprocess.Popen[str]) -> str:
    """The id of the flow's run once it is PAUSED."""
    from sqlalchemy import text

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert proc.poll() is None, "the flow process ended before it paused"
        if (home / "orchestr.db").exists():
            with store(home).connect() as conn:
                row = conn.execute(text("SELECT id FROM flow_runs WHERE state_type = 'PAUSED'")).first()
            if row is not None:
                return str(row[0])
        time.sleep(0.1)
    raise AssertionError("the flow run never paused")


def _state(home: Path, run_id: str) -> str:
    from sqlalchemy import text

    with store(home).connect() as conn:
        return str(conn.execute(text("SELECT state_type FROM flow_runs WHERE id = :i"), {"i": run_id}).scalar())


def _result(proc: subprocess.Popen[str]) -> str:
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    return out.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home = tmp_path_factory.mktemp("pause_home")
    root = home / "root"
    root.mkdir()
    run_cli(home, "db", "upgrade", check=True)
    with api_server(home, root, TOKEN, cli_env(home)) as url:
        yield {"home": home, "root": root, "url": url}


def test_a_remote_flow_paused_for_input_is_resumed_over_rest(served: dict[str, Any]) -> None:
    home, url = served["home"], served["url"]
    # The flow reaches the store only through the server, as a run on a remote worker does.
    env = {**cli_env(home.parent / "remote"), "ORCHESTR_LAB_DB_URL": url, "ORCHESTR_LAB_API_TOKEN": TOKEN}
    proc = _start_flow(env, served["root"])
    run_id = _paused_run(home, proc)
    with httpx.Client(base_url=f"{url}orchestr-lab/api", headers={"Authorization": f"token {TOKEN}"}) as api:
        _answer_over_rest(api, home, proc, run_id)


def _answer_over_rest(api: httpx.Client, home: Path, proc: subprocess.Popen[str], run_id: str) -> None:

    asked = api.get(f"/flow_runs/{run_id}/input_schema").json()
    props = asked["run_input_schema"]["properties"]
    assert props["count"]["type"] == "integer" and props["count"]["default"] == 1
    assert props["colour"]["enum"] == ["red", "blue"]
    assert asked["description"] == "How many, which colour?"

    bad = api.post(f"/flow_runs/{run_id}/resume", json={"run_input": {"count": 2, "colour": "green"}})
    assert bad.status_code == 422 and "run_input.colour" in bad.json()["error"]
    bad = api.post(f"/flow_runs/{run_id}/resume", json={"run_input": {"count": "many"}})
    assert bad.status_code == 422 and "run_input.count" in bad.json()["error"]
    assert _state(home, run_id) == "PAUSED"
    # Only a RUNNING run pauses (the question stays the one asked), and only with a usable schema.
    assert api.post(f"/flow_runs/{run_id}/pause", json={"key": "again"}).status_code == 409
    unusable = api.post(f"/flow_runs/{run_id}/pause", json={"key": "again", "run_input_schema": {"type": 5}})
    assert unusable.status_code == 422 and "run_input_schema" in unusable.json()["error"]
    assert api.get(f"/flow_runs/{run_id}/input_schema").json()["key"] == "1"

    done = api.post(f"/flow_runs/{run_id}/resume", json={"run_input": {"count": 3, "colour": "blue"}})
    assert done.status_code == 200, done.text
    assert _result(proc) == "RESULT 3 blue"
    assert _state(home, run_id) == "COMPLETED"

    again = api.post(f"/flow_runs/{run_id}/resume", json={"run_input": {"count": 3}})
    assert again.status_code == 409
    assert api.get(f"/flow_runs/{run_id}/input_schema").status_code == 404

    kinds = [
        e["kind"] for e in api.get("/events", params={"limit": 1000}).json()["items"] if e["resource_id"] == run_id
    ]
    assert [k for k in kinds if k != "flow_run.state"] == [
        "flow_run.paused",
        "flow_run.resumed",
        "flow_run.input_received",
    ]


def test_a_local_flow_paused_for_input_is_resumed_with_the_cli(served: dict[str, Any]) -> None:
    home = served["home"]
    proc = _start_flow(cli_env(home), served["root"])
    run_id = _paused_run(home, proc)

    bad = run_cli(home, "runs", "resume", run_id, "-i", "count", "lots")
    assert bad.returncode == 1 and "run_input.count" in bad.stderr
    assert _state(home, run_id) == "PAUSED"

    good = run_cli(home, "runs", "resume", run_id, "-i", "count", "7", "-i", "colour", "blue", check=True)
    assert run_id in good.stdout
    assert _result(proc) == "RESULT 7 blue"

    late = run_cli(home, "runs", "resume", run_id)
    assert late.returncode == 1 and "not PAUSED" in late.stderr


RETRIED = """
from orchestr_lab import flow
from orchestr_lab.flow_runs import pause_flow_run

@flow
def approval() -> int:
    got = pause_flow_run(wait_for_input=int, timeout=120, poll_interval=0.2)
    if got < 2:
        raise ValueError(f"{got} is too few")
    return got
"""


def test_a_deployment_run_retried_after_a_pause_asks_again(served: dict[str, Any]) -> None:
    """Prefect issue #12279: the retry pauses for new input rather than reusing the first answer."""
    from orchestr_lab.store.deployment_runs import create_deployment_run
    from orchestr_lab.store.deployments import create_deployment
    from orchestr_lab.store.run_reads import get_flow_run

    home, root = served["home"], served["root"]
    (root / "retried.py").write_text(RETRIED)
    engine = store(home)
    run = create_deployment_run(engine, create_deployment(engine, {"name": "ask", "entrypoint": "retried.py:approval"}))
    for answer, outcome in (("1", "FAILED"), ("2", "COMPLETED")):
        worker = start_cli(home, "worker", "--once", "--no-warm", cwd=root, log=home / f"worker-{answer}.log")
        try:
            _until(lambda: _state(home, run["id"]) == "PAUSED", worker)
            run_cli(home, "runs", "resume", run["id"], "-i", "value", answer, check=True)
            assert worker.wait(60) == (outcome != "COMPLETED")  # --once: exit 1 for a failed run
        finally:
            worker.kill()
            worker.wait()
        assert _state(home, run["id"]) == outcome
        if outcome == "FAILED":
            run_cli(home, "runs", "retry", run["id"], check=True)
    assert get_flow_run(engine, run["id"])["run_count"] >= 2


def _until(ready: Any, proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while not ready():
        assert proc.poll() is None and time.monotonic() < deadline, "the run never paused"
        time.sleep(0.1)


def test_a_remote_paused_run_cancelled_over_rest_ends_cancelled(served: dict[str, Any]) -> None:
    home, url = served["home"], served["url"]
    env = {**cli_env(home.parent / "remote-cancel"), "ORCHESTR_LAB_DB_URL": url, "ORCHESTR_LAB_API_TOKEN": TOKEN}
    proc = subprocess.Popen(
        [sys.executable, "-c", FLOW], env=env, cwd=served["root"], stdin=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    run_id = _paused_run(home, proc)
    with httpx.Client(base_url=f"{url}orchestr-lab/api", headers={"Authorization": f"token {TOKEN}"}) as api:
        assert api.post(f"/flow_runs/{run_id}/cancel").json()["state"]["type"] == "CANCELLING"
        _, err = proc.communicate(timeout=60)  # the wait stops long before the pause's 120 s
        state = api.get(f"/flow_runs/{run_id}").json()["state"]
    assert (state["type"], state["message"]) == ("CANCELLED", "Flow run was cancelled while paused.")
    assert b"FlowPauseTimeout" not in err and b"CancelledRun" in err  # calling the flow raised it
