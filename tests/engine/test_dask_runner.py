"""DaskTaskRunner on real clusters: a LocalCluster with worker processes, a temporary cluster,
and a standalone ``dask scheduler`` with two ``dask worker`` processes.

Task runs execute in the Dask workers' processes and are recorded in the flow's store with the
same states, retries and cache hits as on threads.
"""

from __future__ import annotations

import os
import sys
import uuid

import cloudpickle
import psutil
import pytest

from orchestr_lab import flow, get_run_logger, runtime, task
from orchestr_lab.cache_policies import INPUTS
from orchestr_lab.task_runners import DaskTaskRunner

# The tasks below live in a test module the Dask workers cannot import: ship them by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])


@task
def double(x: int) -> tuple[int, int]:
    get_run_logger().info("doubling %s", x)
    return x * 2, os.getpid()


@task
async def total(pairs: list[tuple[int, int]]) -> int:
    return sum(x for x, _ in pairs)


@task(retries=2)
def flaky() -> tuple[int, int]:
    if runtime.task_run.run_count < 2:
        raise ConnectionError("first attempt fails")
    return runtime.task_run.run_count, os.getpid()


@task(cache_policy=INPUTS)
def expensive(x: int) -> str:
    return f"{x}-{uuid.uuid4().hex}"


@task
def boom() -> None:
    raise ValueError("no good")


@task
def after(value: object) -> object:
    return value


def test_map_and_dependencies_run_on_dask_workers_and_are_recorded(dask_cluster, store) -> None:
    @flow(task_runner=DaskTaskRunner(address=dask_cluster.scheduler_address))
    def fan_out(n: int):
        pairs = double.map(range(n))
        first = double.submit(100)
        return total.submit(pairs, wait_for=[first]).result(), pairs.result(), runtime.flow_run.id

    value, pairs, run_id = fan_out(6)

    assert value == 30
    assert {pid for _, pid in pairs} <= {w.pid for w in psutil.Process().children(recursive=True)}
    assert os.getpid() not in {pid for _, pid in pairs}
    assert store.flow_run(run_id)["state"]["type"] == "COMPLETED"
    runs = store.task_runs(run_id)
    assert sorted(r["name"] for r in runs) == sorted([f"double-{i}" for i in range(7)] + ["total-0"])
    assert {r["state"]["type"] for r in runs} == {"COMPLETED"}
    by_name = {r["name"]: r for r in runs}
    assert by_name["total-0"]["start_time"] >= by_name["double-6"]["end_time"]  # wait_for held it back
    assert store.history("task", runs[0]["id"]) == ["Pending", "Running", "Completed"]
    assert sum("doubling" in line for line in store.logs(run_id)) == 7  # task logs reach the store


def test_a_flaky_task_is_retried_on_the_dask_worker(dask_cluster, store) -> None:
    @flow(task_runner=DaskTaskRunner(address=dask_cluster.scheduler_address))
    def retrying():
        fut = flaky.submit()
        return fut.result(), fut.task_run_id

    (attempts, pid), task_run_id = retrying()

    assert attempts == 2 and pid != os.getpid()
    assert store.history("task", task_run_id) == ["Pending", "Running", "Retrying", "Completed"]
    assert store.task_run(task_run_id)["run_count"] == 2


def test_cached_results_are_reused_across_flow_runs(dask_cluster, store) -> None:
    @flow(task_runner=DaskTaskRunner(address=dask_cluster.scheduler_address))
    def cached(x: int):
        fut = expensive.submit(x)
        return fut.result(), fut.state.name, fut.task_run_id

    first, first_state, _ = cached(7)
    second, second_state, second_id = cached(7)
    other, _, _ = cached(8)

    assert (first_state, second_state) == ("Completed", "Cached")
    assert second == first and other != first
    assert store.task_run(second_id)["state"]["name"] == "Cached"


def test_a_failing_task_fails_its_flow_with_the_error(dask_cluster, store) -> None:
    seen: dict[str, object] = {}

    @flow(task_runner=DaskTaskRunner(address=dask_cluster.scheduler_address))
    def failing():
        bad = boom.submit()
        downstream = after.submit(bad)
        with pytest.raises(ValueError, match="no good"):
            bad.result()
        downstream.wait()
        seen.update(run_id=runtime.flow_run.id, downstream=downstream.state.name)
        return bad

    state = failing(return_state=True)

    assert state.is_failed()
    assert isinstance(state.result(raise_on_failure=False), ValueError)
    assert seen["downstream"] == "NotReady"  # as on threads: its upstream did not complete
    run = store.flow_run(seen["run_id"])
    assert run["state"]["type"] == "FAILED"
    by_name = {t["name"]: t["state"] for t in store.task_runs(run["id"])}
    assert by_name["boom-0"]["type"] == "FAILED"
    assert "ValueError: no good" in by_name["boom-0"]["message"]
    assert by_name["after-0"]["name"] == "NotReady"


def test_without_an_address_a_temporary_cluster_lives_for_the_flow_run(store) -> None:
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    runner = DaskTaskRunner(
        cluster_kwargs={"n_workers": 1, "threads_per_worker": 1, "processes": True, "dashboard_address": ":0"}
    )

    @flow(task_runner=runner)
    def temporary():
        return double.submit(21).result(), runtime.flow_run.id

    (value, pid), run_id = temporary()

    assert value == 42 and pid not in before and pid != os.getpid()
    assert {t["state"]["type"] for t in store.task_runs(run_id)} == {"COMPLETED"}
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE


def test_a_standalone_cluster_runs_tasks_in_both_worker_processes(dask_standalone, store) -> None:
    @task
    def where(i: int) -> int:
        import time

        time.sleep(0.3)  # long enough that the scheduler spreads the runs over both workers
        return os.getpid()

    @flow(task_runner=DaskTaskRunner(address=dask_standalone.address))
    def spread():
        return where.map(range(8)).result(), runtime.flow_run.id

    pids, run_id = spread()

    assert set(pids) == dask_standalone.worker_pids()
    assert len(set(pids)) == 2
    runs = store.task_runs(run_id)
    assert len(runs) == 8 and {t["state"]["type"] for t in runs} == {"COMPLETED"}
