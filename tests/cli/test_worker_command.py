"""``orchestr-lab worker``: claims and executes runs; SIGTERM finishes them; a killed worker's runs are reaped."""

from __future__ import annotations

import datetime as _dt
import os
import signal
from pathlib import Path

from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_reads import get_flow_run

from .conftest import process_gone, run_cli, start_cli, store, wait_for, write_notebook

FAST = ["--heartbeat-interval", "0.3", "--poll-interval", "0.2"]


def _deploy(home: Path, root: Path, cells: list[str], **spec: object) -> dict:
    write_notebook(root / "job.ipynb", cells)
    return create_deployment(store(home), {"name": "job", "notebook": "job.ipynb", **spec})


def _state(home: Path, run_id: str) -> tuple[str, str]:
    state = get_flow_run(store(home), run_id)["state"]
    return state["type"], state["name"]


def test_worker_once_runs_what_is_due(home: Path, tmp_path: Path) -> None:
    dep = _deploy(home, tmp_path, ["print('hi')"])
    run = create_deployment_run(store(home), dep)

    proc = run_cli(home, "worker", "--once", "--name", "w-once", cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\t")[1:] == ["COMPLETED", "-", run["id"] + "\n"]
    stored = get_flow_run(store(home), run["id"])
    assert stored["state"]["type"] == "COMPLETED" and stored["worker"]["name"] == "w-once"


def test_sigterm_lets_the_running_run_finish(home: Path, tmp_path: Path) -> None:
    dep = _deploy(home, tmp_path, ["open('started', 'w').close()\nimport time\ntime.sleep(1.5)"])
    run = create_deployment_run(store(home), dep)
    worker = start_cli(home, "worker", *FAST, cwd=tmp_path)
    try:
        wait_for(lambda: (tmp_path / "started").exists(), timeout=60, what="the run to start")
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(30) == 0, (tmp_path / "cli.log").read_text()
    finally:
        if worker.poll() is None:
            worker.kill()
    assert _state(home, run["id"]) == ("COMPLETED", "Completed")


def test_killed_worker_leaves_a_stale_run_that_the_reaper_crashes_and_retries(home: Path, tmp_path: Path) -> None:
    from orchestr_lab.services.reaper import reap_tick

    sleepy = "import os, time\nopen('pids', 'w').write(f'{os.getpid()} {os.getppid()}')\ntime.sleep(120)"
    dep = _deploy(home, tmp_path, [sleepy], retries=1)
    run = create_deployment_run(store(home), dep)
    worker = start_cli(home, "worker", *FAST, "--no-warm", cwd=tmp_path)
    try:
        text = wait_for(
            lambda: (tmp_path / "pids").exists() and (tmp_path / "pids").read_text(),
            timeout=60,
            what="the run to start",
        )
        kernel_pid, child_pid = map(int, text.split())
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()

    # Nobody is left to stop it: the child and its kernel follow their dead parent.
    wait_for(
        lambda: process_gone(child_pid) and process_gone(kernel_pid),
        timeout=10,
        what="the worker's child and kernel to exit",
    )
    assert _state(home, run["id"]) == ("RUNNING", "Running")
    heartbeat = _dt.datetime.fromisoformat(get_flow_run(store(home), run["id"])["heartbeat_at"])

    counts = reap_tick(store(home), now=heartbeat + _dt.timedelta(seconds=31), heartbeat_timeout=30)

    assert counts["crashed"] == 1 and counts["retried"] == 1
    assert _state(home, run["id"]) == ("SCHEDULED", "AwaitingRetry")
    assert os.path.exists(tmp_path / "pids")
