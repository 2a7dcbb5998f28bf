"""Task runs: retries in every form, timeouts, results, hooks, options, states in the store."""

from __future__ import annotations

import time

import pytest

from orchestr_lab import flow, runtime, task
from orchestr_lab.exceptions import ResultPersistenceError, TaskRunTimeout
from orchestr_lab.states import Completed, Failed, State
from orchestr_lab.tasks import exponential_backoff


class Flaky:
    """A callable that fails ``failures`` times, then returns ``value``."""

    def __init__(self, failures: int, value: object = "ok", exc: type[Exception] = ValueError) -> None:
        self.failures = failures
        self.value = value
        self.exc = exc
        self.calls = 0

    def __call__(self) -> object:
        self.calls += 1
        if self.calls <= self.failures:
            raise self.exc(f"failure {self.calls}")
        return self.value


def test_task_returns_its_value_and_is_stored_completed(store) -> None:
    @task
    def add(x: int, y: int) -> int:
        return x + y

    @flow
    def f() -> tuple[int, str]:
        return add(1, 2), runtime.flow_run.id

    value, run_id = f()
    assert value == 3
    [tr] = store.task_runs(run_id)
    assert tr["name"] == "add-0"
    assert tr["state"]["type"] == "COMPLETED"
    assert store.history("task", tr["id"]) == ["Pending", "Running", "Completed"]
    assert tr["run_count"] == 1 and tr["start_time"] and tr["end_time"]


def test_retries_with_a_number(store) -> None:
    flaky = Flaky(2)

    @task(retries=2)
    def t() -> object:
        return flaky()

    @flow
    def f():
        return t(), runtime.flow_run.id

    value, run_id = f()
    assert value == "ok" and flaky.calls == 3
    [tr] = store.task_runs(run_id)
    assert tr["run_count"] == 3
    assert store.history("task", tr["id"]) == ["Pending", "Running", "Retrying", "Retrying", "Completed"]


def test_retries_exhausted_raise_the_original_error(store) -> None:
    flaky = Flaky(5, exc=KeyError)

    @task(retries=1)
    def t() -> object:
        return flaky()

    @flow
    def f() -> object:
        return t()

    state = f(return_state=True)
    assert state.is_failed()
    with pytest.raises(KeyError):
        state.result()
    assert flaky.calls == 2


def test_retry_delay_list_is_waited_and_shown_as_awaiting_retry(store) -> None:
    flaky = Flaky(2)

    @task(retries=2, retry_delay_seconds=[0.05, 0.1])
    def t() -> object:
        return flaky()

    @flow
    def f():
        start = time.monotonic()
        s = t(return_state=True)
        return time.monotonic() - start, s, runtime.flow_run.id

    elapsed, state, run_id = f()
    assert state.is_completed()
    assert elapsed >= 0.15
    [tr] = store.task_runs(run_id)
    assert store.history("task", tr["id"]) == [
        "Pending",
        "Running",
        "AwaitingRetry",
        "Retrying",
        "AwaitingRetry",
        "Retrying",
        "Completed",
    ]


def test_exponential_backoff_computes_doubling_delays() -> None:
    @task(retries=4, retry_delay_seconds=exponential_backoff(backoff_factor=0.5))
    def t() -> None: ...

    assert t.retry_delay_seconds == [0.5, 1.0, 2.0, 4.0]


def test_jitter_spreads_delays_around_the_base() -> None:
    from orchestr_lab.engine.retries import retry_delay_for

    draws = {round(retry_delay_for(1.0, 1, 0.5), 6) for _ in range(50)}
    assert len(draws) > 1
    assert all(0.5 <= d <= 1.5 for d in draws)
    assert retry_delay_for([1, 2], 5, None) == 2


def test_retry_condition_fn_can_refuse_a_retry() -> None:
    flaky = Flaky(3, exc=PermissionError)
    seen = []

    def only_value_errors(task, task_run, state: State) -> bool:
        seen.append((task.name, task_run.name, state.type.value))
        try:
            state.result()
        except ValueError:
            return True
        except Exception:
            return False
        return True

    @task(retries=3, retry_condition_fn=only_value_errors)
    def t() -> object:
        return flaky()

    @flow
    def f() -> dict:
        return {"state": t(return_state=True)}

    state = f()["state"]
    assert state.is_failed() and flaky.calls == 1
    assert seen == [("t", "t-0", "FAILED")]


def test_task_timeout_fails_with_timed_out(store) -> None:
    @task(timeout_seconds=0.2)
    def slow() -> None:
        time.sleep(5)

    @flow
    def f():
        start = time.monotonic()
        s = slow(return_state=True)
        return time.monotonic() - start, s

    elapsed, state = f()
    assert elapsed < 2
    assert state.is_failed() and state.name == "TimedOut"
    assert "exceeded timeout of 0.2 second" in state.message
    with pytest.raises(TimeoutError):
        state.result()
    with pytest.raises(TaskRunTimeout):
        state.result()


def test_task_timeout_in_a_worker_thread(store) -> None:
    @task(timeout_seconds=0.2)
    def busy() -> None:
        end = time.monotonic() + 5
        while time.monotonic() < end:
            pass

    @flow
    def g():
        fut = busy.submit()
        fut.wait()
        return {"state": fut.state}

    state = g()["state"]
    assert state.name == "TimedOut"


def test_timed_out_task_is_retried(store) -> None:
    calls = []

    @task(timeout_seconds=0.1, retries=1)
    def sometimes_slow() -> str:
        calls.append(1)
        if len(calls) == 1:
            time.sleep(3)
        return "done"

    @flow
    def f() -> str:
        return sometimes_slow()

    assert f() == "done" and len(calls) == 2


def test_unpicklable_result_with_persistence_fails_naming_the_task(store) -> None:
    import threading

    @task(persist_result=True)
    def make_lock():
        return threading.Lock()

    @flow
    def f():
        return {"state": make_lock(return_state=True)}

    state = f()["state"]
    assert state.is_failed()
    assert "make_lock-0" in state.message and "could not be persisted" in state.message
    with pytest.raises(ResultPersistenceError):
        state.result()


def test_persisted_result_is_written_and_loadable(store, orchestr_home) -> None:
    @task(persist_result=True)
    def value() -> dict:
        return {"a": [1, 2]}

    @flow
    def f():
        return value(return_state=True), runtime.flow_run.id

    _state, run_id = f()
    [tr] = store.task_runs(run_id)
    assert tr["result_key"]
    from orchestr_lab.engine.results import get_result_store

    assert get_result_store().read(tr["result_key"]) == {"a": [1, 2]}


def test_hooks_receive_task_run_and_state() -> None:
    events = []

    def on_ok(tsk, run, state):
        events.append(("ok", tsk.name, run.name, state.type.value))

    def on_bad(tsk, run, state):
        events.append(("bad", tsk.name, run.name, state.type.value))

    def broken_hook(tsk, run, state):
        raise RuntimeError("hook bug")

    @task(on_completion=[on_ok, broken_hook], on_failure=[on_bad])
    def t(fail: bool) -> int:
        if fail:
            raise ValueError("x")
        return 1

    @flow
    def f() -> None:
        t(False)
        t(True, return_state=True)

    f()
    assert events == [("ok", "t", "t-0", "COMPLETED"), ("bad", "t", "t-1", "FAILED")]


def test_with_options_changes_only_what_is_asked() -> None:
    @task(retries=0, tags=["a"])
    def t() -> int:
        return 1

    t2 = t.with_options(name="renamed", retries=3)
    assert (t2.name, t2.retries, t2.tags) == ("renamed", 3, {"a"})
    assert (t.name, t.retries) == ("t", 0)
    with pytest.raises(TypeError, match="unexpected"):
        t.with_options(bogus=1)


def test_task_run_name_template_and_callable(store) -> None:
    @task(task_run_name="fetch-{city}")
    def fetch(city: str) -> str:
        return runtime.task_run.name

    @task(task_run_name=lambda: "from-callable")
    def other() -> str:
        return runtime.task_run.name

    @flow
    def f():
        return fetch("paris"), other()

    assert f() == ("fetch-paris", "from-callable")


def test_task_returning_a_state_takes_it() -> None:
    @task
    def t() -> State:
        return Failed("I decided to fail")

    @flow
    def f() -> dict:
        return {"state": t(return_state=True)}

    state = f()["state"]
    assert state.is_failed() and state.message == "I decided to fail"


def test_task_called_outside_a_flow_is_recorded(store) -> None:
    @task
    def alone(x: int) -> str:
        return runtime.task_run.id

    task_run_id = alone(1)
    tr = store.task_run(task_run_id)
    assert tr["flow_run_id"] is None and tr["state"]["type"] == "COMPLETED"


def test_nested_task_calls_work() -> None:
    @task
    def inner(x: int) -> int:
        return x * 2

    @task
    def outer(x: int) -> int:
        return inner(x) + 1

    @flow
    def f() -> int:
        return outer(3)

    assert f() == 7


def test_return_state_gives_completed_state_with_result() -> None:
    @task
    def t() -> int:
        return 5

    @flow
    def f() -> dict:
        return {"state": t(return_state=True)}

    state = f()["state"]
    assert isinstance(state, State) and state.is_completed() and state.result() == 5
    assert Completed(data=1).result() == 1
