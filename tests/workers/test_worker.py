"""The worker claims deployment runs and executes each in a spawned child: real kernels, real SQLite."""

from __future__ import annotations

import os
import signal
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest

from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployment_runs import cancel_run, create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_logs import get_logs
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs, state_history
from orchestr_lab.workers.worker import Worker

from .conftest import process_gone, wait_for, write_notebook

# The first attempt writes the kernel's and the worker child's pids, then sleeps; later
# attempts (a retry, or another worker after a hand-back) finish at once.
SLEEPY = """\
import os, time
if not os.path.exists('attempted'):
    open('attempted', 'w').close()
    open('pids', 'w').write(f'{os.getpid()} {os.getppid()}')
    time.sleep(120)
print('done')"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path


def _worker(db_url: str, root: Path, **kw: Any) -> Worker:
    kw.setdefault("heartbeat_interval", 0.5)
    kw.setdefault("poll_interval", 0.2)
    return Worker(db_url, name="test-worker", root_dir=root, output_dir=root / "out", **kw)


def _deploy(db_url: str, root: Path, cells: list[str], **spec: Any) -> dict[str, Any]:
    write_notebook(root / "job.ipynb", cells, parameters="n = 1")
    return create_deployment(get_engine(db_url), {"name": "job", "notebook": "job.ipynb", **spec})


def _pids(root: Path) -> tuple[int, int]:
    text = wait_for(lambda: (root / "pids").exists() and (root / "pids").read_text(), what="the cell to start")
    kernel, child = text.split()
    return int(kernel), int(child)


def _state(db_url: str, run_id: str) -> tuple[str, str]:
    state = get_flow_run(get_engine(db_url), run_id)["state"]
    return state["type"], state["name"]


def test_triggered_run_completes_through_run_once(db_url: str, root: Path) -> None:
    dep = _deploy(
        db_url,
        root,
        [
            "print('n =', n)",
            "import orchestr_lab\norchestr_lab.record('n', n)",
            "from orchestr_lab import runtime\nprint(runtime.deployment.name, runtime.flow_run.parameters)",
        ],
        parameters={"n": 2},
    )
    run = create_deployment_run(get_engine(db_url), dep, parameters={"n": 5})

    outcomes = _worker(db_url, root).run_once()

    assert [o.run_id for o in outcomes] == [run["id"]]
    (outcome,) = outcomes
    stored = outcome.run
    assert stored["state"]["type"] == "COMPLETED", stored["state"]
    assert stored["recorded"] == {"n": 5}
    assert stored["worker"]["name"] == "test-worker" and stored["end_time"]
    assert Path(stored["output_notebook"]).exists()
    executed = nbformat.read(stored["output_notebook"], as_version=4)
    assert any("n = 5" in c.source for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert [t["state"]["type"] for t in list_task_runs(get_engine(db_url), run["id"])] == ["COMPLETED"] * 5
    # Inside the kernel, runtime knows the run and its deployment from the environment.
    assert "job {'n': 5}" in [line["message"] for line in get_logs(get_engine(db_url), run["id"])]
    history = [h["name"] for h in state_history(get_engine(db_url), "flow", run["id"])]
    assert history == ["Scheduled", "Claimed", "Running", "Completed"]
    # The child ran papermill, and never imported the Jupyter server, nor the IRI grammar
    # jsonschema builds for a string format nbformat never checks (half the child's imports).
    assert "papermill" in outcome.child_modules
    assert "jupyter_server" not in outcome.child_modules
    assert "rfc3987_syntax" not in outcome.child_modules


def test_cancel_kills_the_kernel_within_five_seconds(db_url: str, root: Path) -> None:
    dep = _deploy(db_url, root, [SLEEPY])
    run = create_deployment_run(get_engine(db_url), dep)
    worker = _worker(db_url, root)
    outcomes: list[Any] = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run_once()))
    thread.start()
    kernel_pid, child_pid = _pids(root)

    cancel_run(get_engine(db_url), run["id"])
    asked = time.monotonic()
    wait_for(lambda: _state(db_url, run["id"]) == ("CANCELLED", "Cancelled"), timeout=5, what="CANCELLED")
    wait_for(
        lambda: process_gone(kernel_pid) and process_gone(child_pid),
        timeout=5 - (time.monotonic() - asked),
        what="the kernel and the child to be gone",
    )
    thread.join(10)

    assert outcomes[0].attempt.is_cancelled()
    cells = {t["name"]: t["state"]["type"] for t in list_task_runs(get_engine(db_url), run["id"])}
    assert cells == {"cell-1": "COMPLETED", "cell-2": "CANCELLED"}


def test_killed_child_crashes_the_run_and_the_retry_completes(db_url: str, root: Path) -> None:
    dep = _deploy(db_url, root, [SLEEPY], retries=1)
    run = create_deployment_run(get_engine(db_url), dep)
    worker = _worker(db_url, root)
    outcomes: list[Any] = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run_once()))
    thread.start()
    kernel_pid, child_pid = _pids(root)

    os.kill(child_pid, signal.SIGKILL)
    thread.join(20)

    assert outcomes[0].attempt.is_crashed()
    assert outcomes[0].attempt.message == "The run's process was killed by signal 9"
    wait_for(lambda: process_gone(kernel_pid), timeout=5, what="the orphaned kernel to be gone")
    assert _state(db_url, run["id"]) == ("SCHEDULED", "AwaitingRetry")

    (retry,) = worker.run_once()
    assert retry.run["state"]["type"] == "COMPLETED" and retry.run["run_count"] == 2
    names = [h["name"] for h in state_history(get_engine(db_url), "flow", run["id"])]
    assert names == ["Scheduled", "Claimed", "Running", "Crashed", "AwaitingRetry", "Claimed", "Retrying", "Completed"]


def test_stop_hands_back_a_run_that_outlasts_the_grace_period(db_url: str, root: Path) -> None:
    dep = _deploy(db_url, root, [SLEEPY])
    run = create_deployment_run(get_engine(db_url), dep)
    worker = _worker(db_url, root, grace_period=0.5)
    thread = threading.Thread(target=worker.run_forever)
    thread.start()
    kernel_pid, _ = _pids(root)

    worker.stop()
    thread.join(15)

    assert not thread.is_alive()
    stored = get_flow_run(get_engine(db_url), run["id"])
    assert (stored["state"]["type"], stored["state"]["name"]) == ("SCHEDULED", "HandedBack")
    assert stored["run_count"] == 0  # the interrupted attempt does not use up a retry
    # It keeps its place in the queue: due when it first was, not behind runs due since.
    assert stored["scheduled_start_time"] == run["scheduled_start_time"]
    wait_for(lambda: process_gone(kernel_pid), timeout=5, what="the kernel to be gone")

    # Not lost: the next worker runs it.
    (again,) = _worker(db_url, root).run_once()
    assert again.run["state"]["type"] == "COMPLETED" and again.run["run_count"] == 1


def test_entrypoint_run_and_its_timeout(db_url: str, root: Path) -> None:
    (root / "flows.py").write_text(
        textwrap.dedent("""
        import time
        import rfc3987_syntax  # the child skips it for notebook runs; a flow may still import it
        from orchestr_lab import flow, task, record

        @task
        def double(x: int) -> int:
            return 2 * x

        @flow
        def pipeline(n: int = 1, pause: float = 0) -> int:
            time.sleep(pause)
            record("result", double(n))
            return n
    """)
    )
    engine = get_engine(db_url)
    dep = create_deployment(engine, {"name": "pipe", "entrypoint": "flows.py:pipeline", "timeout_seconds": 3})
    quick = create_deployment_run(engine, dep, parameters={"n": "4"})
    slow = create_deployment_run(engine, dep, parameters={"pause": 60})
    worker = _worker(db_url, root, concurrency=2)

    started = time.monotonic()
    outcomes = {o.run_id: o for o in worker.run_once()}

    assert time.monotonic() - started < 30
    done = outcomes[quick["id"]].run
    assert done["state"]["type"] == "COMPLETED", done["state"]
    assert done["recorded"] == {"result": 8}
    assert [t["name"] for t in list_task_runs(engine, quick["id"])] == ["double-0"]
    timed_out = outcomes[slow["id"]].run["state"]
    assert (timed_out["type"], timed_out["name"]) == ("FAILED", "TimedOut")
    assert timed_out["message"] == "Run exceeded its timeout of 3s"


def test_a_notebook_swapped_for_a_symlink_out_of_the_root_never_runs(db_url: str, tmp_path: Path) -> None:
    """Deployed inside the root, then replaced by a symlink to a notebook elsewhere: the retry and
    a new run both fail naming the reason, and the notebook outside never executes."""
    from orchestr_lab.store.deployment_runs import retry_run

    root = tmp_path / "root"
    root.mkdir()
    marker = tmp_path / "ran-outside"
    dep = _deploy(db_url, root, ["print('inside')"])
    engine = get_engine(db_url)
    first = create_deployment_run(engine, dep)
    cancel_run(engine, first["id"])
    write_notebook(tmp_path / "elsewhere.ipynb", [f"open({str(marker)!r}, 'w').close()"])
    (root / "job.ipynb").unlink()
    (root / "job.ipynb").symlink_to(tmp_path / "elsewhere.ipynb")

    retry_run(engine, first["id"])
    second = create_deployment_run(engine, dep)
    outcomes = {o.run_id: o for o in _worker(db_url, root, concurrency=2).run_once()}

    assert set(outcomes) == {first["id"], second["id"]}
    for outcome in outcomes.values():
        state = outcome.run["state"]
        assert state["type"] == "FAILED" and "outside the server root" in state["message"], state
    assert not marker.exists()


def test_a_flow_file_swapped_for_a_symlink_out_of_the_root_never_runs(db_url: str, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    marker = tmp_path / "ran-outside"
    (root / "flows.py").write_text("def main():\n    return 1\n")
    engine = get_engine(db_url)
    dep = create_deployment(engine, {"name": "pipe", "entrypoint": "flows.py:main"})
    (tmp_path / "elsewhere.py").write_text(f"open({str(marker)!r}, 'w').close()\ndef main():\n    return 2\n")
    (root / "flows.py").unlink()
    (root / "flows.py").symlink_to(tmp_path / "elsewhere.py")
    run = create_deployment_run(engine, dep)

    (outcome,) = _worker(db_url, root).run_once()

    assert outcome.run_id == run["id"]
    state = outcome.run["state"]
    assert state["type"] == "FAILED" and "outside the server root" in state["message"], state
    assert not marker.exists()
