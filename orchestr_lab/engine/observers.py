"""In-process observers of runs: state changes and log lines, as they happen.

The engine calls these hooks only behind ``if LISTENERS:``, so with nobody listening a state
change costs one truth test of a list. A listener (the notebook widgets' one updater) must do
almost nothing on the caller's thread: these calls happen on the engine's hot path, on whatever
thread runs the task. They must not raise; an exception from a listener is dropped.

A listener is any object with these methods (all optional to act on, all must exist)::

    on_flow_state(engine, state)   # a FlowRunEngine changed state
    on_task_state(engine, state)   # a TaskRunEngine changed state (engine.run_count is current)
    on_log(flow_run_id, task_run_id, level, message, timestamp)
    on_record(flow_run_id, task_run_id, name, text)   # record(name, value); text is its repr
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = [
    "LISTENERS",
    "RunListener",
    "add_listener",
    "notify_flow",
    "notify_log",
    "notify_record",
    "notify_task",
    "remove_listener",
]


class RunListener(Protocol):
    def on_flow_state(self, engine: Any, state: Any) -> None: ...

    def on_task_state(self, engine: Any, state: Any) -> None: ...

    def on_log(self, flow_run_id: str | None, task_run_id: str | None, level: int, message: str, timestamp: float) -> None: ...

    def on_record(self, flow_run_id: str | None, task_run_id: str | None, name: str, text: str) -> None: ...


#: The listeners. Mutated in place only (the engine imports this very list object).
LISTENERS: list[RunListener] = []


def add_listener(listener: RunListener) -> None:
    if listener not in LISTENERS:
        LISTENERS.append(listener)


def remove_listener(listener: RunListener) -> None:
    try:
        LISTENERS.remove(listener)
    except ValueError:
        pass


def notify_flow(engine: Any, state: Any) -> None:
    for listener in tuple(LISTENERS):
        try:
            listener.on_flow_state(engine, state)
        except Exception:  # an observer must never break a run
            pass


def notify_task(engine: Any, state: Any) -> None:
    for listener in tuple(LISTENERS):
        try:
            listener.on_task_state(engine, state)
        except Exception:
            pass


def notify_log(flow_run_id: str | None, task_run_id: str | None, level: int, message: str, timestamp: float) -> None:
    for listener in tuple(LISTENERS):
        try:
            listener.on_log(flow_run_id, task_run_id, level, message, timestamp)
        except Exception:
            pass


def notify_record(flow_run_id: str | None, task_run_id: str | None, name: str, text: str) -> None:
    for listener in tuple(LISTENERS):
        try:
            listener.on_record(flow_run_id, task_run_id, name, text)
        except Exception:
            pass
