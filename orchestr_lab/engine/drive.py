"""The one place that decides how a run is driven: on this thread, or as an awaitable.

Every caller that starts a flow or task run (``Flow.__call__``, ``Task.__call__``, the notebook's
widget wrapper, the ``%%flow``/``%%task`` magics, a worker's flow-entrypoint run) goes through
:func:`run` or :func:`run_blocking`, so a sync run returns its value and an async one an
awaitable in exactly one way.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import contextvars
from collections.abc import Awaitable, Callable
from typing import Any

from ..core.states import State

__all__ = ["run", "run_blocking", "run_coro_sync", "run_to_state"]


def run(engine: Any, *, return_state: bool = False, on_end: Callable[[], None] | None = None) -> Any:
    """Run ``engine`` (a flow or task run engine) to its final state.

    A sync run returns its value (its State with ``return_state``); an async run returns an
    awaitable of the same. ``on_end`` is called once the run has ended, however it ended.
    """
    if engine.isasync:
        return _run_async(engine, return_state, on_end)
    try:
        state = engine.run_sync()
    finally:
        if on_end is not None:
            on_end()
    return state if return_state else state.result()


async def _run_async(engine: Any, return_state: bool, on_end: Callable[[], None] | None) -> Any:
    try:
        state = await engine.run_async()
    finally:
        if on_end is not None:
            on_end()
    return state if return_state else state.result()


def run_to_state(engine: Any) -> State:
    """The run's final state, reached on this thread (an async run in an event loop of its own):
    what a task runner's worker thread does with each submitted run."""
    state: State = run_coro_sync(engine.run_async) if engine.isasync else engine.run_sync()
    return state


def run_blocking(engine: Any, *, return_state: bool = False, on_end: Callable[[], None] | None = None) -> Any:
    """:func:`run`, but an async run too is run to its end before this returns."""
    if engine.isasync:
        return run_coro_sync(lambda: run(engine, return_state=return_state, on_end=on_end))
    return run(engine, return_state=return_state, on_end=on_end)


def run_coro_sync(make_coro: Callable[[], Awaitable[Any]]) -> Any:
    """Run a coroutine to completion from synchronous code, even where a loop is already running.

    In a Jupyter kernel the main thread's loop is busy running the cell, so the coroutine gets a
    loop of its own on a helper thread (with the caller's context variables).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make_coro())  # type: ignore[arg-type]
    ctx = contextvars.copy_context()
    with cf.ThreadPoolExecutor(1, thread_name_prefix="orchestr-lab-async") as pool:
        return pool.submit(ctx.run, lambda: asyncio.run(make_coro())).result()  # type: ignore[arg-type]
