"""The dask worker: claimed notebook runs execute on real Dask clusters (a LocalCluster with
worker processes, and a standalone scheduler + two ``dask worker`` processes through the CLI),
recorded in the store like the process worker's; cancel kills the kernel on the cluster."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import nbformat

from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployment_runs import cancel_run, create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs, state_history
from orchestr_lab.workers import dask as dask_side
from orchestr_lab.workers.dask import DaskWorker, close_pools, execute_run

from .conftest import process_gone, wait_for, write_notebook

# Written by the kernel: its pid, its parent's (the run's child process) and the child's
# parent's (the Dask worker process that ran the run).
LINEAGE = """\
import os, psutil
open('lineage', 'w').write(f'{os.getpid()} {os.getppid()} {psutil.Process(os.getppid()).ppid()}')"""

SLEEPY = LINEAGE + "\nimport time\ntime.sleep(120)"


def _deploy(db_url: str, root: Path, cells: list[str]) -> dict[str, Any]:
    write_notebook(root / "job.ipynb", cells, parameters="n = 1")
    return create_deployment(get_engine(db_url), {"name": "job", "notebook": "job.ipynb"})


def _lineage(root: Path) -> tuple[int, int, int]:
    path = root / "lineage"
    text = wait_for(lambda: path.exists() and path.read_text(), timeout=60, what="the cell to start")
    kernel, child, dask_worker = map(int, text.split())
    return kernel, child, dask_worker


def _dask_worker_pids(address: str) -> set[int]:
    from distributed import Client

    with Client(address, set_as_default=False) as client:
        return set(client.run(os.getpid).values())


def _worker(db_url: str, root: Path, address: str) -> DaskWorker:
    # No spares on the cluster here (two cores run these tests); the last test covers them.
    return DaskWorker(
        db_url,
        dask_address=address,
        name="dask-worker",
        root_dir=root,
        output_dir=root / "out",
        heartbeat_interval=0.5,
        poll_interval=0.2,
        warm_kernels=0,
    )


def test_a_notebook_run_completes_on_the_cluster_with_its_cells_recorded(
    dask_cluster, db_url: str, tmp_path: Path
) -> None:
    dep = _deploy(db_url, tmp_path, [LINEAGE, "import orchestr_lab\norchestr_lab.record('n', n)", "print('n is', n)"])
    run = create_deployment_run(get_engine(db_url), dep, parameters={"n": 5})

    with _worker(db_url, tmp_path, dask_cluster.scheduler_address) as worker:
        assert worker.concurrency == 2  # the cluster's threads
        (outcome,) = worker.run_once()

    stored = outcome.run
    assert stored["state"]["type"] == "COMPLETED", stored["state"]
    assert stored["worker"] == {"name": "dask-worker", "type": "dask"}
    assert stored["recorded"] == {"n": 5}
    names = [h["name"] for h in state_history(get_engine(db_url), "flow", run["id"])]
    assert names == ["Scheduled", "Claimed", "Running", "Completed"]
    cells = list_task_runs(get_engine(db_url), run["id"])
    assert [c["name"] for c in cells] == ["cell-1", "cell-2", "cell-3", "cell-4", "cell-5"]
    assert {c["state"]["type"] for c in cells} == {"COMPLETED"}
    executed = nbformat.read(stored["output_notebook"], as_version=4)
    assert "n is 5" in executed.cells[-1].outputs[0]["text"]
    # The run's child process ran on a Dask worker process, not here.
    kernel, child, dask_worker = _lineage(tmp_path)
    assert outcome.child_pid == child and outcome.kernel_pid == kernel
    assert dask_worker in _dask_worker_pids(dask_cluster.scheduler_address)


def test_cancel_stops_the_run_on_the_cluster_and_kills_its_kernel(dask_cluster, db_url: str, tmp_path: Path) -> None:
    dep = _deploy(db_url, tmp_path, [SLEEPY])
    run = create_deployment_run(get_engine(db_url), dep)
    worker = _worker(db_url, tmp_path, dask_cluster.scheduler_address)
    outcomes: list[Any] = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run_once()))
    thread.start()
    try:
        kernel, child, _ = _lineage(tmp_path)

        cancel_run(get_engine(db_url), run["id"])
        asked = time.monotonic()
        wait_for(
            lambda: get_flow_run(get_engine(db_url), run["id"])["state"]["type"] == "CANCELLED",
            timeout=5,
            what="CANCELLED",
        )
        wait_for(
            lambda: process_gone(kernel) and process_gone(child),
            timeout=5 - (time.monotonic() - asked),
            what="the kernel and the run's child to be gone",
        )
        thread.join(10)
    finally:
        worker.close()

    assert outcomes[0].attempt.is_cancelled()
    cells = {t["name"]: t["state"]["type"] for t in list_task_runs(get_engine(db_url), run["id"])}
    assert cells == {"cell-1": "COMPLETED", "cell-2": "CANCELLED"}


def test_the_cli_worker_runs_a_notebook_on_a_standalone_cluster(dask_standalone, db_url: str, tmp_path: Path) -> None:
    dep = _deploy(db_url, tmp_path, [LINEAGE, "print(n * 2)"])
    run = create_deployment_run(get_engine(db_url), dep, parameters={"n": 21})
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
    env["ORCHESTR_LAB_DB_URL"] = db_url

    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "orchestr_lab",
            "worker",
            "--type",
            "dask",
            "--dask-address",
            dask_standalone.address,
            "--once",
            "--name",
            "cli-dask",
            "--root",
            str(tmp_path),
            "--warm-kernels",
            "0",
        ],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\t")[1:] == ["COMPLETED", "-", run["id"] + "\n"]
    stored = get_flow_run(get_engine(db_url), run["id"])
    assert stored["worker"] == {"name": "cli-dask", "type": "dask"}
    assert [t["state"]["type"] for t in list_task_runs(get_engine(db_url), run["id"])] == ["COMPLETED"] * 4
    _, _, dask_worker = _lineage(tmp_path)
    assert dask_worker in dask_standalone.worker_pids()


def test_each_dask_worker_process_keeps_a_warm_spare_for_its_next_run(db_url: str, tmp_path: Path) -> None:
    """What a Dask worker process does per run (``execute_run``), called here directly: its
    first run starts the pool, the next runs in the spare started meanwhile, in a fresh kernel."""
    engine = get_engine(db_url)
    dep = _deploy(db_url, tmp_path, ["print('hi')"])
    options = {"output_dir": str(tmp_path / "out"), "root_dir": str(tmp_path)}
    reports = []
    try:
        for _ in range(2):
            create_deployment_run(engine, dep)
            run = claim_next_run(engine, worker_name="w", worker_type="dask", queues=["default"])
            pool = dask_side._pools.get(db_url)
            spare = pool.spares[0].pid if pool is not None else None
            reports.append((spare, execute_run(run, options, db_url, "w", 1)))
    finally:
        close_pools()

    (no_spare, first), (spare, second) = reports
    assert no_spare is None and spare is not None
    assert first[0] == second[0] == "done" and first[1]["type"] == second[1]["type"] == "COMPLETED"
    assert second[4] == spare  # the second run's child was the spare
    assert second[3] != first[3]  # and each run had a kernel of its own
