"""Prefect-style import path: ``from orchestr_lab.tasks import task, Task, exponential_backoff``."""

from .engine.retries import exponential_backoff
from .sdk.tasks import Task, task

__all__ = ["Task", "exponential_backoff", "task"]
