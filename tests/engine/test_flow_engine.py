"""Flow runs: parameters, subflows, retries, timeouts, returned states, hooks, logs, records."""

from __future__ import annotations

import logging
import time

import pytest

from orchestr_lab import flow, get_run_logger, record, runtime, task
from orchestr_lab.exceptions import (
    FailedRun,
    FlowRunTimeout,
    MissingContextError,
    ParameterBindError,
    ParameterTypeError,
)
from orchestr_lab.states import Completed, Failed, State


def test_flow_run_is_fully_persisted_when_the_call_returns(store) -> None:
    @task
    def t(i: int) -> int:
        get_run_logger().info("task %s", i)
        return i

    @flow(name="persisted")
    def f(n: int) -> str:
        get_run_logger().warning("flow says hi")
        record("count", n)
        for i in range(n):
            t(i)
        return runtime.flow_run.id

    run_id = f(5)
    run = store.flow_run(run_id)
    assert run["flow_name"] == "persisted"
    assert run["parameters"] == {"n": 5}
    assert run["state"]["type"] == "COMPLETED"
    assert run["recorded"] == {"count": 5}
    assert len(store.task_runs(run_id)) == 5
    assert all(t["state"]["type"] == "COMPLETED" for t in store.task_runs(run_id))
    assert store.history("flow", run_id) == ["Pending", "Running", "Completed"]
    logs = store.logs(run_id)
    assert "flow says hi" in logs and "task 4" in logs


def test_parameters_are_coerced_by_annotations() -> None:
    @flow
    def f(x: int, ratio: float = 0.5) -> tuple:
        return x, ratio

    assert f("3") == (3, 0.5)
    assert f(x="4", ratio="1.5") == (4, 1.5)


def test_parameter_validation_failure_fails_the_run_naming_the_parameter(store) -> None:
    @flow
    def f(count: int, label: str = "x") -> None:
        raise AssertionError("must not run")

    with pytest.raises(ParameterTypeError) as info:
        f("not a number")
    assert "count" in str(info.value) and isinstance(info.value, ValueError)
    state = f("still bad", return_state=True)
    assert state.is_failed()
    assert "Validation of flow parameters failed" in state.message and "count" in state.message
    runs_failed = [r for r in _runs(store, "f") if r["state"]["type"] == "FAILED"]
    assert len(runs_failed) == 2


def _runs(store, flow_name: str) -> list[dict]:
    from orchestr_lab.store.run_reads import list_flow_runs

    items, _ = list_flow_runs(store.engine, flow_name=flow_name, limit=100)
    return items


def test_validate_parameters_false_passes_values_through() -> None:
    @flow(validate_parameters=False)
    def f(x: int) -> object:
        return x

    assert f("3") == "3"


def test_wrong_arguments_raise_a_bind_error() -> None:
    @flow
    def f(x: int) -> None: ...

    with pytest.raises(ParameterBindError) as info:
        f(1, 2, 3)
    assert isinstance(info.value, TypeError)
    with pytest.raises(TypeError):
        f(y=1)


def test_subflows_are_their_own_runs(store) -> None:
    @flow
    def child(x: int) -> tuple:
        return x * 2, runtime.flow_run.id, runtime.flow_run.parent_flow_run_id

    @flow
    def parent() -> tuple:
        return child(4), runtime.flow_run.id

    (value, child_id, seen_parent), parent_id = parent()
    assert value == 8 and child_id != parent_id and seen_parent == parent_id
    child_run = store.flow_run(child_id)
    assert child_run["state"]["type"] == "COMPLETED" and child_run["parent_task_run_id"]
    [shadow] = store.task_runs(parent_id)
    assert shadow["id"] == child_run["parent_task_run_id"]
    assert shadow["state"]["type"] == "COMPLETED"


def test_flow_retries_rerun_the_whole_flow(store) -> None:
    attempts: list[int] = []
    task_calls: list[int] = []

    @task
    def step() -> int:
        task_calls.append(1)
        return 1

    @flow(retries=2, retry_delay_seconds=0)
    def f() -> str:
        step()
        attempts.append(runtime.flow_run.run_count)
        if len(attempts) < 3:
            raise RuntimeError("flaky flow")
        return runtime.flow_run.id

    run_id = f()
    assert attempts == [1, 2, 3]
    assert len(task_calls) == 3
    assert store.flow_run(run_id)["run_count"] == 3


def test_flow_timeout() -> None:
    @flow(timeout_seconds=0.3)
    def slow() -> None:
        time.sleep(5)

    start = time.monotonic()
    state = slow(return_state=True)
    assert time.monotonic() - start < 3
    assert state.is_failed() and state.name == "TimedOut"
    with pytest.raises(FlowRunTimeout):
        state.result()


def test_returning_a_state_sets_the_final_state() -> None:
    @flow
    def failing() -> State:
        return Failed("chose to fail")

    @flow
    def ok() -> State:
        return Completed(message="fine", data=42)

    with pytest.raises(FailedRun, match="chose to fail"):
        failing()
    assert failing(return_state=True).is_failed()
    assert ok() == 42


def test_uncaught_task_failure_fails_the_flow() -> None:
    @task
    def bad() -> None:
        raise ZeroDivisionError("nope")

    @flow
    def f() -> None:
        bad()

    with pytest.raises(ZeroDivisionError):
        f()
    state = f(return_state=True)
    assert state.is_failed() and "ZeroDivisionError" in state.message


def test_flow_hooks() -> None:
    seen: list[tuple] = []

    def hook(fl, run, state):
        seen.append((fl.name, run.name, state.type.value))

    @flow(on_completion=[hook], on_failure=[hook], flow_run_name="run-{x}")
    def f(x: int) -> None:
        if x < 0:
            raise ValueError("negative")

    f(1)
    f(-1, return_state=True)
    assert seen == [("f", "run-1", "COMPLETED"), ("f", "run--1", "FAILED")]


def test_log_prints_stores_print_lines(store, capsys) -> None:
    @task
    def shout() -> None:
        print("from the task")

    @flow(log_prints=True)
    def f() -> str:
        print("hello", "world", sep=", ")
        shout()
        return runtime.flow_run.id

    run_id = f()
    captured = capsys.readouterr()
    assert "hello, world" not in captured.out  # as in Prefect: the logger shows it instead
    assert "Flow run" in captured.err and "hello, world" in captured.err
    logs = store.logs(run_id)
    assert "hello, world" in logs and "from the task" in logs


def test_prints_are_not_stored_without_log_prints(store) -> None:
    @flow
    def f() -> str:
        print("not stored")
        return runtime.flow_run.id

    assert "not stored" not in store.logs(f())


def test_get_run_logger_outside_a_run_raises() -> None:
    with pytest.raises(MissingContextError):
        get_run_logger()
    with pytest.raises(MissingContextError):
        record("x", 1)


def test_run_logger_is_a_logger_adapter() -> None:
    @flow
    def f() -> bool:
        return isinstance(get_run_logger(), logging.LoggerAdapter)

    assert f()


def test_record_stores_json_values_and_reprs(store) -> None:
    class Thing:
        def __repr__(self) -> str:
            return "<Thing>"

    @task
    def inner() -> None:
        record("from_task", [1, 2])

    @flow
    def f() -> str:
        record("answer", {"value": 42})
        record("thing", Thing())
        inner()
        return runtime.flow_run.id

    recorded = store.flow_run(f())["recorded"]
    assert recorded == {"answer": {"value": 42}, "thing": "<Thing>", "from_task": [1, 2]}


def test_a_recorded_value_too_big_to_keep_is_stored_as_its_repr(store, monkeypatch) -> None:
    monkeypatch.setenv("ORCHESTR_LAB_MAX_CELL_OUTPUT_BYTES", "1000")

    @flow
    def f() -> str:
        record("small", "a" * 500)
        record("big", "b" * 50_000)
        return runtime.flow_run.id

    recorded = store.flow_run(f())["recorded"]
    assert recorded["small"] == "a" * 500
    assert recorded["big"].startswith("'bbb") and len(recorded["big"]) <= 2000


def test_runtime_outside_a_run() -> None:
    assert runtime.flow_run.id is None and runtime.task_run.id is None
    assert runtime.deployment.id is None


def test_runtime_parameters_inside_a_run() -> None:
    @flow
    def f(a: int, b: str = "z") -> dict:
        return runtime.flow_run.parameters

    assert f(1) == {"a": 1, "b": "z"}


def test_interrupt_marks_runs_crashed_and_still_persists(store) -> None:
    ids: dict[str, str] = {}

    @task
    def interrupted() -> None:
        ids["task"] = runtime.task_run.id
        raise KeyboardInterrupt

    @flow
    def f() -> None:
        ids["flow"] = runtime.flow_run.id
        interrupted()

    with pytest.raises(KeyboardInterrupt):
        f()
    assert store.flow_run(ids["flow"])["state"]["type"] == "CRASHED"
    assert store.task_run(ids["task"])["state"]["type"] == "CRASHED"


def test_flow_wait_for_runs_the_flow_after_its_upstream_runs(store) -> None:
    order: list[str] = []

    @task
    def slow() -> None:
        time.sleep(0.3)
        order.append("upstream")

    @flow
    def child() -> None:
        order.append("child")

    @flow
    def parent() -> None:
        child(wait_for=[slow.submit()])

    parent()
    assert order == ["upstream", "child"]


def test_flow_wait_for_a_failed_upstream_leaves_the_flow_not_ready(store) -> None:
    from orchestr_lab.exceptions import UnfinishedRun

    ran: list[str] = []

    @task
    def broken() -> None:
        raise ValueError("upstream broke")

    @flow
    def child() -> None:
        ran.append("child")

    @flow
    def parent() -> dict:
        up = broken.submit()
        state = child(wait_for=[up], return_state=True)
        with pytest.raises(UnfinishedRun):
            child(wait_for=[up])
        return {"state": state}

    state = parent()["state"]
    assert ran == []
    assert (state.type.value, state.name) == ("PENDING", "NotReady")
    assert "did not reach a 'COMPLETED' state" in state.message
