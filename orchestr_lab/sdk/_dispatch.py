"""Prefect's sync/async dispatch for the store objects' methods (``Variable.get``, ``Block.load``).

``Variable.get("x")`` returns the value, and inside ``async def`` returns an awaitable of it,
as Prefect's ``async_dispatch`` does; ``_sync=True``/``False`` forces either, and ``.aio`` is
the async form. Prefect decides "async" by a running event loop, which a Jupyter kernel always
has, so a plain notebook cell would get a coroutine: here the test is whether the *caller* is a
coroutine (an ``async def``, or a cell using top-level ``await``), so a cell gets the value.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import sys
from collections.abc import Callable
from typing import Any

from .client import ENV_API_TOKEN, ENV_API_URL, Backend, connect

__all__ = ["backend", "dispatch", "in_thread"]


def _caller_is_coroutine() -> bool:
    frame = sys._getframe(3)  # 0: here, 1: _choose, 2: dispatch's wrapper, 3: its caller
    return bool(frame.f_code.co_flags & (inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR))


def _choose(sync: bool | None) -> bool:
    return bool(sync) if sync is not None else not _caller_is_coroutine()


def dispatch(async_impl: Any) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Call the decorated sync function, or ``async_impl`` (a coroutine function, or a
    classmethod of one) when called from a coroutine."""
    async_fn = async_impl.__func__ if isinstance(async_impl, classmethod) else async_impl

    def decorator(sync_fn: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(sync_fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            run_sync = _choose(kwargs.pop("_sync", None))
            return (sync_fn if run_sync else async_fn)(*args, **kwargs)

        wrapper.aio = async_fn  # type: ignore[attr-defined]
        return wrapper

    return decorator


async def in_thread(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` off the event loop: the async forms share the sync code."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def backend() -> Backend:
    """The store flows see: the server at ``$ORCHESTR_LAB_API_URL`` (remote workers), else the
    configured local store."""
    import os

    return connect(api_url=os.environ.get(ENV_API_URL), token=os.environ.get(ENV_API_TOKEN))
