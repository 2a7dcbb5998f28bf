"""Prefect's calling options of a task: ``submit``/``map`` with ``return_state``, ``deferred``."""

from __future__ import annotations

import threading

from orchestr_lab import flow, task
from orchestr_lab.states import State
from orchestr_lab.task_worker import TaskWorker


@task
def inc(x: int) -> int:
    return x + 1


@task
def fails(x: int) -> int:
    raise ValueError(f"bad {x}")


def test_submit_with_return_state_waits_and_gives_the_final_state() -> None:
    out: dict = {}  # filled in the flow (a returned future would become a state on the way out)

    @flow
    def submit_states() -> None:
        out.update(ok=inc.submit(1, return_state=True), bad=fails.submit(2, return_state=True))

    submit_states()
    assert isinstance(out["ok"], State) and out["ok"].type.value == "COMPLETED"
    assert out["ok"].result() == 2
    assert out["bad"].type.value == "FAILED"
    assert "bad 2" in str(out["bad"].result(raise_on_failure=False))


def test_map_with_return_state_gives_a_list_of_final_states() -> None:
    out: dict = {}

    @flow
    def map_states() -> None:
        out["states"] = inc.map([1, 2, 3], return_state=True)

    map_states()
    states = out["states"]
    assert type(states) is list
    assert [s.type.value for s in states] == ["COMPLETED"] * 3
    assert [s.result() for s in states] == [2, 3, 4]


def test_map_deferred_and_apply_async_make_background_runs_that_a_task_worker_runs() -> None:
    futures = [*inc.map([1, 2, 3], deferred=True), inc.apply_async(kwargs={"x": 4})]
    assert [f.state.type.value for f in futures] == ["SCHEDULED"] * 4  # nothing ran them yet
    worker = TaskWorker(inc, limit=2)
    thread = threading.Thread(target=worker.start, kwargs={"timeout": 60})
    thread.start()
    try:
        assert [f.result(timeout=60) for f in futures] == [2, 3, 4, 5]
    finally:
        worker.stop()
        thread.join(30)
