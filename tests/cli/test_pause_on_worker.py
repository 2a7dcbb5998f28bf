"""Deployment runs on a remote worker (a worker process talking HTTP to a real server) that wait
for a person: one pauses (its process waits) and one suspends (its process ends and the worker's
one slot runs another run meanwhile); both are resumed with ``orchestr-lab runs resume ID -i NAME
VALUE`` and complete with the value, and the suspended one does not call its completed task again.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from _helpers import api_server, stop_process
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_reads import get_flow_run

from .conftest import cli_env, run_cli, start_cli, store, wait_for

TOKEN = "pause-on-worker"

FLOWS = """
from orchestr_lab import flow, task, record
from orchestr_lab.flow_runs import pause_flow_run, suspend_flow_run
from orchestr_lab.input import RunInput

CALLS = {calls!r}

class Order(RunInput):
    count: int

@task
def load(n: int) -> int:
    with open(CALLS, "a") as f:
        f.write("load\\n")
    return n + 1

@flow
def waits() -> int:
    got = pause_flow_run(wait_for_input=Order, timeout=120, poll_interval=0.2)
    record("count", got.count)
    return got.count

@flow(persist_result=True)
def suspends(n: int = 1) -> int:
    loaded = load(n)
    got = suspend_flow_run(wait_for_input=Order, timeout=120)
    record("total", loaded * got.count)
    return loaded * got.count

@flow
def quick() -> None:
    record("quick", True)
"""


def _state(engine: Any, run_id: str, *expected: str) -> bool:
    state = get_flow_run(engine, run_id)["state"]
    return (state["type"], state["name"])[: len(expected)] == expected


def test_runs_on_a_remote_worker_pause_and_suspend_and_are_resumed_from_the_cli(home: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    calls = tmp_path / "calls.txt"
    (root / "flows.py").write_text(textwrap.dedent(FLOWS).format(calls=str(calls)))
    engine = store(home)
    deployments = {
        name: create_deployment(engine, {"name": name, "entrypoint": f"flows.py:{name}"})
        for name in ("waits", "suspends", "quick")
    }
    remote = tmp_path / "remote"  # the worker's machine: no store, no flow files
    remote.mkdir()
    with api_server(home, root, TOKEN, cli_env(home)) as url:
        over_http = ("--api", url, "--token", TOKEN)
        worker = start_cli(
            remote, "worker", "--no-warm", "--concurrency", "1", "--poll-interval", "0.2", *over_http, cwd=remote
        )
        try:
            waiting = create_deployment_run(engine, deployments["waits"])
            wait_for(lambda: _state(engine, waiting["id"], "PAUSED", "Paused"), timeout=60, what="the pause")
            run_cli(remote, "runs", "resume", waiting["id"], "-i", "count", "3", *over_http, check=True)
            wait_for(lambda: _state(engine, waiting["id"], "COMPLETED"), timeout=60, what="the paused run to complete")
            assert get_flow_run(engine, waiting["id"])["recorded"] == {"count": 3}

            suspended = create_deployment_run(engine, deployments["suspends"], parameters={"n": 4})
            wait_for(lambda: _state(engine, suspended["id"], "PAUSED", "Suspended"), timeout=60, what="the suspend")
            # The worker has one slot, and the suspended run does not hold it.
            quick = create_deployment_run(engine, deployments["quick"])
            wait_for(lambda: _state(engine, quick["id"], "COMPLETED"), timeout=60, what="another run meanwhile")
            assert _state(engine, suspended["id"], "PAUSED", "Suspended")

            resumed = run_cli(remote, "runs", "resume", suspended["id"], "-i", "count", "2", *over_http, check=True)
            assert "Resuming" in resumed.stdout
            wait_for(lambda: _state(engine, suspended["id"], "COMPLETED"), timeout=60, what="the rerun to complete")
        finally:
            stop_process(worker)
    assert get_flow_run(engine, suspended["id"])["recorded"] == {"total": 10}  # (4 + 1) * 2
    assert calls.read_text().split() == ["load"]  # called once: its result was reused on the rerun
