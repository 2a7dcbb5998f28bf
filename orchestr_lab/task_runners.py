"""Prefect-style import path for task runners (``DaskTaskRunner`` imports Dask only when used)."""

from .engine.dask_runner import DaskTaskRunner
from .engine.process_runner import ProcessPoolTaskRunner
from .engine.task_runners import TaskRunner, ThreadPoolTaskRunner

__all__ = ["DaskTaskRunner", "ProcessPoolTaskRunner", "TaskRunner", "ThreadPoolTaskRunner"]
