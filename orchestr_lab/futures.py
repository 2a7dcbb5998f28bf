"""Prefect-style import path for futures: ``wait``, ``as_completed``, the future types."""

from .engine.futures import TaskRunFuture, TaskRunFutureList, as_completed, wait

PrefectFuture = TaskRunFuture  # the name Prefect code imports

__all__ = ["PrefectFuture", "TaskRunFuture", "TaskRunFutureList", "as_completed", "wait"]
