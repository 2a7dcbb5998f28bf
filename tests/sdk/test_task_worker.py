"""``Task.delay()`` with real task workers: ``orchestr-lab task-worker`` processes run the
background task runs a program stores, each exactly once, and the program's futures get the
values (or the exceptions) back, on the local store and through a server over HTTP."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _helpers import api_server, stop_process

TOKEN = "task-workers"

JOBS = """
import os
from orchestr_lab import task

LOG = os.path.join(os.path.dirname(os.path.abspath(__file__)), "calls.log")

@task
def square(n: int) -> int:
    with open(LOG, "a") as f:  # one short append per call: each line lands whole
        f.write(f"{n} {os.getpid()}\\n")
    return n * n

@task(retries=1)
def refuse(n: int) -> int:
    raise ValueError(f"no {n}")
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTER_"))}
    env["ORCHESTR_LAB_HOME"] = str(home)
    return env


@pytest.fixture
def jobs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The module ``bgjobs`` (tasks ``square`` and ``refuse``), importable here and by the workers."""
    folder = tmp_path / "code"
    folder.mkdir()
    (folder / "bgjobs.py").write_text(JOBS)
    monkeypatch.syspath_prepend(str(folder))
    sys.modules.pop("bgjobs", None)
    yield importlib.import_module("bgjobs")
    sys.modules.pop("bgjobs", None)


def _workers(n: int, folder: Path, env: dict[str, str], *extra: str) -> list[subprocess.Popen[bytes]]:
    args = [sys.executable, "-m", "orchestr_lab", "task-worker", "bgjobs.py:square", "bgjobs:refuse", "--limit", "3"]
    return [
        subprocess.Popen(
            [*args, *extra], cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=None
        )
        for _ in range(n)
    ]


def _check_runs(jobs: Any, folder: Path) -> None:
    from orchestr_lab import get_client

    futures = [jobs.square.delay(n) for n in range(30)]
    assert futures[0].state.type.value in ("SCHEDULED", "RUNNING", "COMPLETED")
    assert [f.result(timeout=60) for f in futures] == [n * n for n in range(30)]
    calls = (folder / "calls.log").read_text().split()
    assert sorted(int(n) for n in calls[::2]) == list(range(30))  # every run ran, none twice
    failing = jobs.refuse.delay(n=7)
    with pytest.raises(ValueError, match="no 7"):
        failing.result(timeout=60)
    assert failing.state.is_failed()
    with get_client(sync_client=True) as client:  # each background run is a task run of its own
        task_run = client.read_task_run(futures[3].task_run_id)
        assert (task_run.name, task_run.flow_run_id, task_run.state.is_completed()) == ("square", None, True)
        assert client.read_task_run(failing.task_run_id).run_count == 2  # its retry ran on the worker


def test_task_workers_run_each_delayed_run_once_on_the_local_store(
    jobs: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.delenv("ORCHESTR_LAB_DB_URL", raising=False)
    monkeypatch.delenv("ORCHESTR_LAB_RESULTS_DIR", raising=False)
    monkeypatch.setenv("ORCHESTR_LAB_HOME", str(home))
    workers = _workers(2, tmp_path / "code", _env(home))
    try:
        _check_runs(jobs, tmp_path / "code")
    finally:
        codes = [stop_process(w) for w in workers]
    assert codes == [0, 0]  # SIGTERM: stop claiming, exit cleanly


def test_a_remote_task_worker_runs_delayed_runs_through_the_server(
    jobs: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    root = tmp_path / "root"
    root.mkdir()
    home.mkdir()
    with api_server(home, root, TOKEN, _env(home)) as url:
        monkeypatch.setenv("ORCHESTR_LAB_HOME", str(elsewhere))  # nothing here may open a store
        monkeypatch.setenv("ORCHESTR_LAB_API_URL", url)
        monkeypatch.setenv("ORCHESTR_LAB_API_TOKEN", TOKEN)
        workers = _workers(1, tmp_path / "code", _env(elsewhere), "--api", url, "--token", TOKEN)
        try:
            _check_runs(jobs, tmp_path / "code")
        finally:
            stop_process(workers[0])
    assert not elsewhere.exists()


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("no_colon", "a task is 'module:task' or 'path/to/file.py:task'"),
        ("missing_module_xyz:add", "cannot load 'missing_module_xyz'"),
        ("bgjobs.py:LOG", "bgjobs.py has no task named 'LOG'"),
    ],
)
def test_task_worker_refuses_what_names_no_task(jobs: Any, tmp_path: Path, spec: str, says: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "orchestr_lab", "task-worker", spec],
        cwd=tmp_path / "code",
        env=_env(tmp_path / "home"),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1 and f"error: {says}" in done.stderr
