"""submit / map / unmapped / wait_for / futures on the thread-pool runner."""

from __future__ import annotations

import threading
import time

import pytest

from orchestr_lab import flow, runtime, task, unmapped
from orchestr_lab.exceptions import MappingLengthMismatch, UnfinishedRun
from orchestr_lab.futures import as_completed, wait
from orchestr_lab.task_runners import ThreadPoolTaskRunner


@task
def add(x: int, y: int = 0) -> int:
    return x + y


def test_submit_returns_a_future_with_the_result(store) -> None:
    @flow
    def f():
        fut = add.submit(1, 2)
        return fut.result(), fut.task_run_id, runtime.flow_run.id

    value, task_run_id, run_id = f()
    assert value == 3
    assert [t["id"] for t in store.task_runs(run_id)] == [task_run_id]


def test_map_with_unmapped_and_futures_as_arguments() -> None:
    @flow
    def f() -> list[int]:
        base = add.submit(10)
        futures = add.map([1, 2, 3], unmapped(base))
        return futures.result()

    assert f() == [11, 12, 13]


def test_map_length_mismatch_is_a_clear_error() -> None:
    @flow
    def f() -> None:
        add.map([1, 2], [1, 2, 3])

    with pytest.raises(MappingLengthMismatch, match="different lengths"):
        f()


def test_tasks_really_run_concurrently() -> None:
    barrier = threading.Barrier(4, timeout=5)

    @task
    def meet(i: int) -> int:
        barrier.wait()  # deadlocks unless 4 run at once
        return i

    @flow(task_runner=ThreadPoolTaskRunner(max_workers=4))
    def f() -> list[int]:
        return meet.map(range(4)).result()

    assert f() == [0, 1, 2, 3]


def test_wait_for_orders_side_effects() -> None:
    order: list[str] = []

    @task
    def slow_write() -> None:
        time.sleep(0.1)
        order.append("write")

    @task
    def read() -> None:
        order.append("read")

    @flow
    def f() -> None:
        w = slow_write.submit()
        read.submit(wait_for=[w]).wait()

    f()
    assert order == ["write", "read"]


def test_failed_upstream_leaves_downstream_not_ready(store) -> None:
    calls: list[int] = []

    @task
    def boom() -> int:
        raise ValueError("upstream broke")

    @task
    def downstream(x: int) -> int:
        calls.append(x)
        return x

    @flow
    def f() -> dict:
        up = boom.submit()
        down = downstream.submit(up)
        down.wait()
        return {"down": down.state, "up": up.state}

    out = f()
    assert out["up"].is_failed()
    assert out["down"].name == "NotReady" and "did not reach a 'COMPLETED' state" in out["down"].message
    assert calls == []
    with pytest.raises(UnfinishedRun):
        out["down"].result()


def test_flow_waits_for_submitted_tasks_before_finishing() -> None:
    done: list[int] = []

    @task
    def later() -> None:
        time.sleep(0.2)
        done.append(1)

    @flow
    def f() -> None:
        later.submit()  # never waited on by the user

    f()
    assert done == [1]


def test_wait_and_as_completed() -> None:
    @task
    def nap(s: float) -> float:
        time.sleep(s)
        return s

    @flow
    def f() -> tuple:
        futs = [nap.submit(0.2), nap.submit(0.0)]
        first = next(as_completed(futs)).result()
        done, not_done = wait(futs)
        return first, len(done), len(not_done)

    assert f() == (0.0, 2, 0)


def test_map_where_one_element_fails_returned_futures_fail_the_flow() -> None:
    @task
    def maybe(x: int) -> int:
        if x == 2:
            raise ValueError("two")
        return x

    @flow
    def f():
        return maybe.map([1, 2, 3])

    state = f(return_state=True)
    assert state.is_failed() and state.message == "1/3 states failed."


def test_submit_outside_a_flow_works(store) -> None:
    fut = add.submit(2, 5)
    assert fut.result() == 7
    fut.wait()
    assert store.task_run(fut.task_run_id)["state"]["type"] == "COMPLETED"
