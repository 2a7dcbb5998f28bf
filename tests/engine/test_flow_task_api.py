"""What the parity scenarios cannot see of the flow/task API: what is stored and where values live
(tags on stored runs, results read back from storage, a process pool's log lines, generator runs'
states, the test harness's separate store, a visualization's output)."""

from __future__ import annotations

import os

import pytest

from orchestr_lab import flow, runtime, tags, task
from orchestr_lab.core.errors import ResultPersistenceError
from orchestr_lab.logging import disable_run_logger, get_run_logger
from orchestr_lab.sdk.visualize import show_graph
from orchestr_lab.task_runners import ProcessPoolTaskRunner
from orchestr_lab.testing.utilities import prefect_test_harness


def test_tags_block_tags_the_stored_runs(store) -> None:
    @task(tags=["own"])
    def t() -> str | None:
        return runtime.task_run.id

    @flow
    def f() -> tuple[str | None, str | None]:
        with tags("extra"):
            inside = t()
        return runtime.flow_run.id, inside

    with tags("outer"):
        flow_run_id, task_run_id = f()
    assert sorted(store.flow_run(flow_run_id)["tags"]) == ["outer"]
    assert sorted(store.task_run(task_run_id)["tags"]) == ["extra", "outer", "own"]


def test_a_result_not_cached_in_memory_is_read_back_from_storage(tmp_path) -> None:
    @task(cache_result_in_memory=False, persist_result=True, result_storage=str(tmp_path))
    def big() -> list[int]:
        return list(range(5))

    @flow
    def f():
        return {"state": big(return_state=True)}

    state = f()["state"]
    assert state.data != list(range(5))  # not held by the state
    assert state.result() == list(range(5))
    for path in tmp_path.iterdir():
        path.unlink()
    with pytest.raises(ResultPersistenceError):
        state.result()


def test_a_flow_result_not_cached_in_memory_goes_to_storage(tmp_path) -> None:
    @flow(cache_result_in_memory=False, result_storage=str(tmp_path))
    def f() -> dict[str, int]:
        return {"n": 1}

    state = f(return_state=True)
    assert len(list(tmp_path.iterdir())) == 1
    assert state.result() == {"n": 1}


def _logs_in_worker(x: int) -> int:
    get_run_logger().info("worker says %s", x)
    return os.getpid()


def test_process_pool_records_the_workers_log_lines(store) -> None:
    work = task(_logs_in_worker)

    @flow(task_runner=ProcessPoolTaskRunner(max_workers=1))
    def f() -> tuple[str | None, list[int]]:
        return runtime.flow_run.id, [fu.result() for fu in [work.submit(1), work.submit(2)]]

    flow_run_id, pids = f()
    assert os.getpid() not in pids
    assert {"worker says 1", "worker says 2"} <= set(store.logs(flow_run_id))
    assert [r["state"]["type"] for r in store.task_runs(flow_run_id)] == ["COMPLETED", "COMPLETED"]


def test_a_generator_task_run_is_stored_completed_or_failed(store) -> None:
    @task
    def items(fail: bool):
        yield 1
        if fail:
            raise ValueError("stop")
        yield 2

    @flow
    def f() -> tuple[str | None, list[object]]:
        got: list[object] = list(items(False))
        try:
            for x in items(True):
                got.append(x)
        except ValueError:
            got.append("raised")
        return runtime.flow_run.id, got

    flow_run_id, got = f()
    assert got == [1, 2, 1, "raised"]
    runs = sorted(store.task_runs(flow_run_id), key=lambda r: r["name"])
    assert [r["state"]["type"] for r in runs] == ["COMPLETED", "FAILED"]
    assert store.flow_run(flow_run_id)["state"]["type"] == "COMPLETED"


def test_disable_run_logger_stores_no_lines(store) -> None:
    @flow
    def f() -> str | None:
        with disable_run_logger():
            get_run_logger().warning("hidden line")
        get_run_logger().warning("shown line")
        return runtime.flow_run.id

    logs = store.logs(f())
    assert "shown line" in logs and "hidden line" not in logs


def test_test_harness_uses_a_store_of_its_own(store) -> None:
    @flow
    def f() -> str | None:
        return runtime.flow_run.id

    home = os.environ["ORCHESTR_LAB_HOME"]
    with prefect_test_harness():
        assert os.environ["ORCHESTR_LAB_HOME"] != home
        inside = f()
    assert os.environ["ORCHESTR_LAB_HOME"] == home
    from orchestr_lab.store.run_reads import get_flow_run

    assert get_flow_run(store.engine, inside) is None
    store.flow_run(f())  # after the block, runs are stored here again


def test_visualize_shows_the_mermaid_graph(capsys) -> None:
    @task
    def a(x: int) -> int:
        return x

    @flow
    def f() -> int:
        return a(a(1))

    with pytest.warns(UserWarning):
        f.visualize()
    assert capsys.readouterr().out.splitlines() == [
        "flowchart TD",
        '    a_0["a-0"]',
        '    a_1["a-1"]',
        "    a_0 --> a_1",
    ]
    shown: list[tuple[object, dict[str, object]]] = []
    show_graph("flowchart TD", display=lambda obj, **kw: shown.append((obj, kw)))
    assert shown == [({"text/vnd.mermaid": "flowchart TD", "text/plain": "flowchart TD"}, {"raw": True})]


def test_a_failing_on_running_hook_does_not_fail_the_run() -> None:
    def bad_hook(task, run, state):
        raise RuntimeError("hook broke")

    @task(on_running=[bad_hook])
    def t() -> int:
        return 3

    assert t() == 3


def test_with_options_keeps_a_classmethod_flow_bound_to_the_class() -> None:
    class K:
        base = 4

        @flow
        @classmethod
        def f(cls, x: int) -> int:
            return cls.base + x

    assert K.f.with_options(name="renamed")(1) == 5


def test_an_async_generator_flow_runs_its_tasks_inside_the_run(store) -> None:
    import asyncio

    @task
    def square(x: int) -> int:
        return x * x

    @flow
    async def squares(n: int):
        for i in range(n):
            yield square(i), runtime.flow_run.id

    async def consume() -> list[tuple[int, str | None]]:
        return [item async for item in squares(3)]

    items = asyncio.run(consume())
    assert [value for value, _ in items] == [0, 1, 4]
    flow_run_id = items[0][1]
    assert flow_run_id is not None
    assert store.flow_run(flow_run_id)["state"]["type"] == "COMPLETED"
    assert len(store.task_runs(flow_run_id)) == 3


async def _async_in_worker(x: int) -> tuple[int, int]:
    return x + 1, os.getpid()


def test_process_pool_runs_async_tasks_and_retries_them_as_one_run(store) -> None:
    add_one = task(_async_in_worker)
    flaky = task(retries=2)(_fails_on_first_attempts)

    @flow(task_runner=ProcessPoolTaskRunner(max_workers=1))
    def f() -> tuple[str | None, tuple[int, int], int]:
        return runtime.flow_run.id, add_one.submit(1).result(), flaky.submit(2).result()

    flow_run_id, (value, pid), attempts = f()
    assert value == 2 and pid != os.getpid()
    assert attempts == 3  # the third attempt, in a worker process, saw run_count 3
    (flaky_run,) = [r for r in store.task_runs(flow_run_id) if r["name"].startswith("_fails")]
    assert store.history("task", flaky_run["id"]) == ["Pending", "Running", "Retrying", "Retrying", "Completed"]


def _fails_on_first_attempts(times: int) -> int:
    if runtime.task_run.run_count <= times:
        raise ValueError("not yet")
    return runtime.task_run.run_count


def test_run_contexts_answer_prefects_attribute_paths() -> None:
    from orchestr_lab.context import FlowRunContext, TaskRunContext, get_run_context

    @task
    def t() -> tuple[str | None, str | None, str | None]:
        ctx = get_run_context()
        assert isinstance(ctx, TaskRunContext)
        return ctx.task_run.flow_run_id, ctx.task_run.task_key, ctx.task_run.id

    @flow
    def f() -> tuple[str, str | None, tuple[str | None, str | None, str | None]]:
        ctx = FlowRunContext.get()
        assert ctx is not None
        return ctx.flow_run.id, ctx.flow_run.deployment_id, t()

    flow_run_id, deployment_id, (seen_flow_run_id, task_key, task_run_id) = f()
    assert seen_flow_run_id == flow_run_id and deployment_id is None
    assert task_key is not None and task_key.endswith("t") and task_run_id is not None


def test_a_submitted_generator_task_returns_its_items_as_a_list() -> None:
    @task
    def items(n: int):
        yield from range(n)

    @flow
    def f() -> tuple[list[int], list[int]]:
        return items.submit(3).result(), list(items(2))

    assert f() == ([0, 1, 2], [0, 1])
