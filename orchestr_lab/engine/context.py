"""The current flow run and task run, carried in context variables.

Context variables (not thread-locals) so that a task submitted to a thread pool or awaited in an
event loop sees the flow run that submitted it: the runners copy the context into the worker.
"""

from __future__ import annotations

import contextvars
import itertools
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..core.states import State
    from .recorder import Recorder
    from .task_runners import TaskRunner

__all__ = [
    "FlowRunContext",
    "TaskRunContext",
    "current_flow_run",
    "current_task_run",
    "flow_run_var",
    "tags_var",
    "task_run_var",
]


@dataclass(eq=False)
class FlowRunContext:
    """What the engine knows about one flow run while it executes."""

    id: str
    name: str
    flow: Any
    flow_name: str
    parameters: dict[str, Any]
    recorder: Recorder
    log_prints: bool = False
    persist_result: bool | None = None
    task_runner: TaskRunner | None = None
    parent: FlowRunContext | None = None
    run_count: int = 0
    scheduled_start_time: float | None = None
    deployment: dict[str, Any] | None = None
    state: State | None = None
    start_time: float | None = None
    tags: frozenset[str] = frozenset()
    assets: Any = None  # engine.assets.AssetTracker, from the first task run touching assets
    _counters: dict[str, itertools.count[int]] = field(default_factory=dict)
    _counter_lock: threading.Lock = field(default_factory=threading.Lock)

    def next_dynamic_key(self, task_key: str) -> int:
        """0, 1, 2, ... per task within this flow run (names task runs like ``add-3``)."""
        counter = self._counters.get(task_key)
        if counter is None:
            with self._counter_lock:
                counter = self._counters.setdefault(task_key, itertools.count())
        return next(counter)

    @classmethod
    def get(cls) -> FlowRunContext | None:
        """The current flow run's context, or None (Prefect's ``FlowRunContext.get()``)."""
        return flow_run_var.get()

    @property
    def flow_run(self) -> FlowRunContext:
        """Prefect's ``ctx.flow_run``: this context carries the run's ``id``, ``name``,
        ``run_count``, ``parameters``, ``tags`` and ``state`` itself."""
        return self

    @property
    def deployment_id(self) -> str | None:
        """The deployment this run belongs to (None for a run called directly)."""
        return self.deployment.get("id") if self.deployment else None


@dataclass(eq=False)
class TaskRunContext:
    """What the engine knows about one task run while it executes."""

    id: str
    name: str
    task: Any
    task_name: str
    flow_run: FlowRunContext | None
    parameters: dict[str, Any]
    recorder: Recorder
    log_prints: bool = False
    run_count: int = 0
    state: State | None = None
    start_time: float | None = None
    #: The run's own transaction while it has one (see engine/transactions.py).
    transaction: Any = None
    tags: frozenset[str] = frozenset()
    assets: Any = None  # engine.assets.AssetRun of a run that makes or reads assets

    @classmethod
    def get(cls) -> TaskRunContext | None:
        """The current task run's context, or None (Prefect's ``TaskRunContext.get()``)."""
        return task_run_var.get()

    @property
    def task_run(self) -> TaskRunContext:
        """Prefect's ``ctx.task_run``: this context carries the run's ``id``, ``name``,
        ``run_count``, ``parameters``, ``tags`` and ``state`` itself."""
        return self

    @property
    def flow_run_id(self) -> str | None:
        return self.flow_run.id if self.flow_run is not None else None

    @property
    def task_key(self) -> str | None:
        return getattr(self.task, "task_key", None)


flow_run_var: contextvars.ContextVar[FlowRunContext | None] = contextvars.ContextVar(
    "orchestr_lab_flow_run", default=None
)
task_run_var: contextvars.ContextVar[TaskRunContext | None] = contextvars.ContextVar(
    "orchestr_lab_task_run", default=None
)


def current_flow_run() -> FlowRunContext | None:
    return flow_run_var.get()


def current_task_run() -> TaskRunContext | None:
    return task_run_var.get()


#: Tags added by ``with tags(...)`` around the code that creates runs (empty: the common case).
tags_var: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("orchestr_lab_tags", default=frozenset())
