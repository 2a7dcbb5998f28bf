"""Run a block with a time limit, on the thread that runs it.

On the main thread a real-time interval timer (SIGALRM) interrupts even a blocking ``sleep``;
nested limits share the one timer through a small stack. On other threads (task runner workers)
a timer injects the exception into the thread, which takes effect at its next Python bytecode.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import signal
import threading
import time
from collections.abc import Awaitable, Iterator
from typing import Any

__all__ = ["time_limit", "within"]

_stack: list[_Limit] = []  # main-thread limits, innermost last


class _Limit:
    __slots__ = ("deadline", "exc_type", "fired")

    def __init__(self, deadline: float, exc_type: type[BaseException]) -> None:
        self.deadline = deadline
        self.exc_type = exc_type
        self.fired = False


def _on_alarm(signum: int, frame: object) -> None:
    if not _stack:
        return
    due = min(_stack, key=lambda lim: lim.deadline)
    due.fired = True
    raise due.exc_type()


def _arm() -> None:
    if not _stack:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    remaining = min(lim.deadline for lim in _stack) - time.monotonic()
    signal.setitimer(signal.ITIMER_REAL, max(remaining, 1e-4))


@contextlib.contextmanager
def time_limit(seconds: float | None, exc_type: type[BaseException], message: str) -> Iterator[None]:
    """Raise ``exc_type(message)`` in this block if it runs longer than ``seconds``."""
    if seconds is None:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _main_thread_limit(seconds, exc_type, message):
            yield
    else:
        with _thread_limit(seconds, exc_type, message):
            yield


async def within(awaitable: Awaitable[Any], seconds: float | None, exc_type: type[BaseException], what: str) -> Any:
    """Await ``awaitable``; past ``seconds`` it is cancelled and ``exc_type`` raised instead
    ("<what> exceeded timeout of N second(s)"), the asynchronous form of :func:`time_limit`."""
    if seconds is None:
        return await awaitable
    try:
        return await asyncio.wait_for(awaitable, seconds)
    except asyncio.TimeoutError:
        raise exc_type(f"{what} exceeded timeout of {seconds:g} second(s)") from None


@contextlib.contextmanager
def _main_thread_limit(seconds: float, exc_type: type[BaseException], message: str) -> Iterator[None]:
    limit = _Limit(time.monotonic() + seconds, exc_type)
    previous = None
    if not _stack:
        previous = signal.signal(signal.SIGALRM, _on_alarm)
    _stack.append(limit)
    _arm()
    try:
        yield
    except exc_type as exc:
        if limit.fired and not exc.args:
            raise exc_type(message) from None
        raise
    finally:
        _stack.remove(limit)
        _arm()
        if previous is not None:
            signal.signal(signal.SIGALRM, previous)


@contextlib.contextmanager
def _thread_limit(seconds: float, exc_type: type[BaseException], message: str) -> Iterator[None]:
    thread_id = threading.get_ident()
    state = {"done": False, "fired": False}
    lock = threading.Lock()

    def fire() -> None:
        with lock:
            if state["done"]:
                return
            state["fired"] = True
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exc_type))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except exc_type as exc:
        if state["fired"] and not exc.args:
            raise exc_type(message) from None
        raise
    finally:
        with lock:
            state["done"] = True
            timer.cancel()
            if state["fired"]:
                # The exception may not have been delivered yet; clear it so it cannot hit later code.
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
