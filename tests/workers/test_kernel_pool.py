"""The warm kernel pool: runs start in a pre-started kernel, one run per kernel. Real kernels."""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import nbformat
import pytest

from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployment_runs import cancel_run, create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs
from orchestr_lab.workers import kernel_pool
from orchestr_lab.workers.kernel_pool import RUNS_PER_CHILD
from orchestr_lab.workers.warm_kernel import setup_code
from orchestr_lab.workers.worker import Worker

from .conftest import process_gone, wait_for, write_notebook

# Fails if an earlier run's variable is still defined, then defines it and records the kernel.
REPORT = """\
import os
import orchestr_lab
from orchestr_lab import runtime
try:
    leaked
except NameError:
    pass
else:
    raise RuntimeError('a variable of an earlier run is defined')
leaked = n
orchestr_lab.record('kernel', os.getpid())
orchestr_lab.record('env_run_id', os.environ.get('ORCHESTR_LAB_FLOW_RUN_ID'))
orchestr_lab.record('runtime', [runtime.flow_run.id, runtime.deployment.name, runtime.flow_run.parameters])
orchestr_lab.record('cwd', os.getcwd())
print('n is', n)"""

SLEEPY = """\
import os, time
open('pids', 'w').write(f'{os.getpid()} {os.getppid()}')
time.sleep(120)"""


@pytest.fixture
def worker(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Worker]:
    """A worker serving in a thread with one warm kernel, its pool already started."""
    monkeypatch.setenv("ORCHESTR_LAB_FLOW_RUN_ID", "stale")  # no kernel may inherit this
    worker = Worker(
        db_url,
        name="pool-worker",
        root_dir=tmp_path,
        output_dir=tmp_path / "out",
        heartbeat_interval=0.5,
        poll_interval=0.2,
        warm_kernels=1,
    )
    thread = threading.Thread(target=worker.run_forever)
    thread.start()
    try:
        yield worker
    finally:
        worker.stop(hand_back=True)
        thread.join(30)
    assert not thread.is_alive()
    assert worker.pool.spares == []


def _warm_kernel(worker: Worker, *, other_than: int | None = None) -> int:
    """The pid of the pool's warm kernel (a new one when ``other_than`` is given)."""
    pids = wait_for(lambda: [p for p in worker.pool.kernel_pids() if p != other_than], what="a warm kernel")
    return pids[0]


def _deploy(db_url: str, root: Path, cells: list[str], name: str = "job", **kw: Any) -> dict[str, Any]:
    write_notebook(root / f"{name}.ipynb", cells, parameters="n = 1", **kw)
    return create_deployment(get_engine(db_url), {"name": name, "notebook": f"{name}.ipynb"})


def _trigger_and_wait(db_url: str, worker: Worker, deployment: dict[str, Any], **parameters: Any) -> dict[str, Any]:
    run = create_deployment_run(get_engine(db_url), deployment, parameters=parameters)
    worker.wake()

    def finished() -> dict[str, Any] | None:
        stored = get_flow_run(get_engine(db_url), run["id"])
        return stored if stored["state"]["type"] not in ("SCHEDULED", "PENDING", "RUNNING") else None

    return wait_for(finished, timeout=60, what=f"run {run['id']} to finish")


def test_run_in_a_warm_kernel_then_a_fresh_one_for_the_next(db_url: str, tmp_path: Path, worker: Worker) -> None:
    dep = _deploy(db_url, tmp_path, [REPORT])
    first_kernel = _warm_kernel(worker)

    first = _trigger_and_wait(db_url, worker, dep, n=5)

    assert first["state"]["type"] == "COMPLETED", first["state"]
    recorded = first["recorded"]
    assert recorded["kernel"] == first_kernel  # the run used the pool's kernel
    assert recorded["env_run_id"] == first["id"]
    assert recorded["runtime"] == [first["id"], "job", {"n": 5}]
    assert recorded["cwd"] == str(tmp_path)
    executed = nbformat.read(first["output_notebook"], as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "n = 5" in injected[0].source
    assert [c.execution_count for c in executed.cells] == [1, 2, 3]  # the setup code left no trace
    tasks = list_task_runs(get_engine(db_url), first["id"])
    assert [(t["name"], t["state"]["type"]) for t in tasks] == [(f"cell-{i}", "COMPLETED") for i in (1, 2, 3)]

    # Used once, then shut down; a replacement kernel was started for the next run.
    wait_for(lambda: process_gone(first_kernel), timeout=10, what="the used kernel to be gone")
    second_kernel = _warm_kernel(worker, other_than=first_kernel)

    second = _trigger_and_wait(db_url, worker, dep, n=7)

    assert second["state"]["type"] == "COMPLETED", second["state"]  # `leaked` was not defined
    assert second["recorded"]["kernel"] == second_kernel != first_kernel
    assert second["recorded"]["runtime"] == [second["id"], "job", {"n": 7}]


@pytest.mark.parametrize("runs_per_child", [RUNS_PER_CHILD, 1])
def test_a_child_serves_later_runs_each_in_a_new_kernel(
    db_url: str, tmp_path: Path, worker: Worker, monkeypatch: pytest.MonkeyPatch, runs_per_child: int
) -> None:
    """A process whose notebook run ended takes a later run (its imports already paid), in a new
    kernel with nothing of the last run; past its bound, new processes serve."""
    monkeypatch.setattr(kernel_pool, "RUNS_PER_CHILD", runs_per_child)
    dep = _deploy(db_url, tmp_path, [REPORT, "import os, orchestr_lab\norchestr_lab.record('child', os.getppid())"])

    runs = [_trigger_and_wait(db_url, worker, dep, n=n) for n in range(4)]

    assert [r["state"]["type"] for r in runs] == ["COMPLETED"] * 4, [r["state"] for r in runs]  # nothing leaked
    assert [r["recorded"]["env_run_id"] for r in runs] == [r["id"] for r in runs]
    assert len({r["recorded"]["kernel"] for r in runs}) == 4
    children = {r["recorded"]["child"] for r in runs}
    assert len(children) == (4 if runs_per_child == 1 else 2), children
    # Once idle, the spares beyond the pool's size go (with their kernels).
    monkeypatch.setattr(kernel_pool, "SPARE_IDLE_SECONDS", 0.5)
    worker.wake()
    wait_for(lambda: len(worker.pool.spares) == 1, timeout=15, what="the pool back to its size")
    wait_for(lambda: sum(not process_gone(pid) for pid in children) <= 1, timeout=15, what="a spare to exit")


def test_cancel_kills_a_pooled_kernel_within_five_seconds(db_url: str, tmp_path: Path, worker: Worker) -> None:
    dep = _deploy(db_url, tmp_path, [SLEEPY])
    warm = _warm_kernel(worker)
    run = create_deployment_run(get_engine(db_url), dep)
    worker.wake()
    text = wait_for(
        lambda: (tmp_path / "pids").exists() and (tmp_path / "pids").read_text(), timeout=60, what="the cell to start"
    )
    kernel_pid, child_pid = map(int, text.split())
    assert kernel_pid == warm

    cancel_run(get_engine(db_url), run["id"])
    wait_for(
        lambda: process_gone(kernel_pid) and process_gone(child_pid),
        timeout=5,
        what="the kernel and the child to be gone",
    )
    wait_for(
        lambda: get_flow_run(get_engine(db_url), run["id"])["state"]["type"] == "CANCELLED",
        timeout=10,
        what="CANCELLED",
    )
    cells = {t["name"]: t["state"]["type"] for t in list_task_runs(get_engine(db_url), run["id"])}
    assert cells == {"cell-1": "COMPLETED", "cell-2": "CANCELLED"}


def test_dead_warm_kernel_falls_back_to_a_fresh_one(db_url: str, tmp_path: Path, worker: Worker) -> None:
    dep = _deploy(db_url, tmp_path, [REPORT])
    warm = _warm_kernel(worker)
    os.kill(warm, signal.SIGKILL)
    wait_for(lambda: process_gone(warm), timeout=10, what="the warm kernel to die")

    done = _trigger_and_wait(db_url, worker, dep, n=2)

    assert done["state"]["type"] == "COMPLETED", done["state"]
    assert done["recorded"]["kernel"] != warm
    assert done["recorded"]["env_run_id"] == done["id"]


def test_notebook_of_another_kernel_gets_a_fresh_one(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spec_dir = tmp_path / "jupyter" / "kernels" / "other"
    spec_dir.mkdir(parents=True)
    (spec_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Other",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    dep = _deploy(db_url, tmp_path, [REPORT], kernelspec=False)
    nb = nbformat.read(tmp_path / "job.ipynb", as_version=4)
    nb.metadata["kernelspec"] = {"name": "other", "display_name": "Other", "language": "python"}
    nbformat.write(nb, tmp_path / "job.ipynb")
    worker = Worker(db_url, name="pool-worker", root_dir=tmp_path, output_dir=tmp_path / "out", warm_kernels=1)
    warm = wait_for(lambda: (worker.pool.fill(), worker.pool.kernel_pids())[1], what="a warm kernel")[0]
    run = create_deployment_run(get_engine(db_url), dep, parameters={"n": 3})

    (outcome,) = worker.run_once()  # takes the spare: run_once uses the pool when it has one
    worker.pool.close()

    assert outcome.run["state"]["type"] == "COMPLETED", outcome.run["state"]
    assert outcome.run_id == run["id"]
    assert outcome.run["recorded"]["kernel"] not in (warm, None)
    wait_for(lambda: process_gone(warm), timeout=10, what="the unused warm kernel to be shut down")


def test_timeout_in_a_warm_kernel_interrupts_the_cell(db_url: str, tmp_path: Path) -> None:
    write_notebook(tmp_path / "slow.ipynb", ["x = 1", "import time\ntime.sleep(60)", "print('never')"])
    dep = create_deployment(get_engine(db_url), {"name": "slow", "notebook": "slow.ipynb", "timeout_seconds": 2})
    run = create_deployment_run(get_engine(db_url), dep)
    worker = Worker(db_url, name="pool-worker", root_dir=tmp_path, output_dir=tmp_path / "out", warm_kernels=1)

    (outcome,) = worker.run_once()  # a child started for the claim warms its kernel the same way

    state = outcome.run["state"]
    assert (state["type"], state["name"]) == ("FAILED", "TimedOut"), state
    assert state["message"] == "Notebook run exceeded its timeout of 2s in cell 2"
    tasks = list_task_runs(get_engine(db_url), run["id"])
    assert [t["state"]["name"] for t in tasks] == ["Completed", "TimedOut", "Skipped"]
    assert outcome.kernel_pid and process_gone(outcome.kernel_pid)


def test_setup_code_sets_and_unsets_variables_and_leaves_no_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTR_LAB_TEST_OLD", "x")
    monkeypatch.chdir(Path.cwd())  # restored after the test
    namespace: dict[str, Any] = {}

    exec(setup_code({"ORCHESTR_LAB_TEST_NEW": "1", "ORCHESTR_LAB_TEST_OLD": None}, str(tmp_path)), namespace)

    assert os.environ.pop("ORCHESTR_LAB_TEST_NEW") == "1"
    assert "ORCHESTR_LAB_TEST_OLD" not in os.environ
    assert os.getcwd() == str(tmp_path)
    assert set(namespace) == {"__builtins__"}
