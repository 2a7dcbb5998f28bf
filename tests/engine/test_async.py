"""Async flows and tasks: awaited, gathered, timed out; async tasks inside sync flows."""

from __future__ import annotations

import asyncio

import pytest

from orchestr_lab import flow, runtime, task
from orchestr_lab.exceptions import FlowRunTimeout


@task
async def fetch(x: int) -> int:
    await asyncio.sleep(0.01)
    return x * 10


@task(retries=1)
async def flaky_async(box: list) -> str:
    box.append(1)
    if len(box) == 1:
        raise ValueError("first try fails")
    return "ok"


def test_async_flow_returns_a_coroutine_and_gathers_tasks(store) -> None:
    @flow
    async def f() -> tuple:
        values = await asyncio.gather(*(fetch(i) for i in range(5)))
        return values, runtime.flow_run.id

    values, run_id = asyncio.run(f())
    assert values == [0, 10, 20, 30, 40]
    assert len(store.task_runs(run_id)) == 5
    assert store.flow_run(run_id)["state"]["type"] == "COMPLETED"


def test_async_task_retries() -> None:
    box: list = []

    @flow
    async def f() -> str:
        return await flaky_async(box)

    assert asyncio.run(f()) == "ok" and len(box) == 2


def test_async_flow_timeout() -> None:
    @flow(timeout_seconds=0.2)
    async def slow() -> None:
        await asyncio.sleep(5)

    state = asyncio.run(slow(return_state=True))
    assert state.name == "TimedOut"
    with pytest.raises(FlowRunTimeout):
        state.result()


def test_async_task_called_from_a_sync_flow_runs_to_completion() -> None:
    @flow
    def f() -> int:
        return fetch(4)

    assert f() == 40


def test_sync_flow_works_inside_a_running_event_loop() -> None:
    """What a Jupyter cell does: call a sync flow while a loop runs on this thread."""

    @flow
    def f() -> int:
        return fetch(1) + 1

    async def cell() -> int:
        return f()

    assert asyncio.run(cell()) == 11


def test_async_tasks_submitted_from_a_sync_flow() -> None:
    @flow
    def f() -> list[int]:
        return fetch.map([1, 2, 3]).result()

    assert f() == [10, 20, 30]
