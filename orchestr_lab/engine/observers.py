"""In-process observers of runs: state changes and log lines, as they happen.

The engine calls these hooks only behind ``if LISTENERS:``, so with nobody listening a state
change costs one truth test of a list. A listener (the notebook widgets' one updater) must do
almost nothing on the caller's thread: these calls happen on the engine's hot path, on whatever
thread runs the task. They should not raise: an exception from a listener never reaches the
run; the first one of each listener is logged with its traceback on the ``orchestr_lab.observers``
logger (so a broken widget updater is visible) and later ones are dropped.

A listener is any object with these methods (all optional to act on, all must exist)::

    on_flow_state(engine, state)   # a FlowRunEngine changed state
    on_task_state(engine, state)   # a TaskRunEngine changed state (engine.run_count is current)
    on_log(flow_run_id, task_run_id, level, message, timestamp)
    on_record(flow_run_id, task_run_id, name, text)   # record(name, value); text is its repr

and, optionally (listeners without it are skipped)::

    on_artifact(flow_run_id, task_run_id, artifact)   # an artifact made or changed (its API dict)
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

__all__ = [
    "LISTENERS",
    "RunListener",
    "add_listener",
    "notify_artifact",
    "notify_flow",
    "notify_log",
    "notify_record",
    "notify_task",
    "remove_listener",
]


class RunListener(Protocol):
    def on_flow_state(self, engine: Any, state: Any) -> None: ...

    def on_task_state(self, engine: Any, state: Any) -> None: ...

    def on_log(
        self, flow_run_id: str | None, task_run_id: str | None, level: int, message: str, timestamp: float
    ) -> None: ...

    def on_record(self, flow_run_id: str | None, task_run_id: str | None, name: str, text: str) -> None: ...


#: The listeners. Mutated in place only (the engine imports this very list object).
LISTENERS: list[RunListener] = []


#: ids of the listeners whose first exception was logged (one report each, not one per call).
_reported: set[int] = set()
_log = logging.getLogger("orchestr_lab.observers")


def _report(listener: RunListener, method: str) -> None:
    """Log a listener's exception (called from an ``except`` block), once per listener."""
    key = id(listener)
    if key in _reported:
        return
    _reported.add(key)  # first, so a listener that also fails on this log line is not re-entered
    _log.error(
        "Run listener %r raised in %s (later errors of this listener are not logged)", listener, method, exc_info=True
    )


def add_listener(listener: RunListener) -> None:
    if listener not in LISTENERS:
        LISTENERS.append(listener)


def remove_listener(listener: RunListener) -> None:
    _reported.discard(id(listener))
    try:
        LISTENERS.remove(listener)
    except ValueError:
        pass


def _notify(method: str, *args: Any) -> None:
    for listener in tuple(LISTENERS):
        try:
            getattr(listener, method)(*args)
        except Exception:  # an observer must never break a run
            _report(listener, method)


def notify_flow(engine: Any, state: Any) -> None:
    _notify("on_flow_state", engine, state)


def notify_task(engine: Any, state: Any) -> None:
    _notify("on_task_state", engine, state)


def notify_log(flow_run_id: str | None, task_run_id: str | None, level: int, message: str, timestamp: float) -> None:
    _notify("on_log", flow_run_id, task_run_id, level, message, timestamp)


def notify_record(flow_run_id: str | None, task_run_id: str | None, name: str, text: str) -> None:
    _notify("on_record", flow_run_id, task_run_id, name, text)


def notify_artifact(flow_run_id: str | None, task_run_id: str | None, artifact: dict[str, Any]) -> None:
    for listener in tuple(LISTENERS):
        method = getattr(listener, "on_artifact", None)
        if method is not None:
            try:
                method(flow_run_id, task_run_id, artifact)
            except Exception:  # an observer must never break a run
                _report(listener, "on_artifact")
