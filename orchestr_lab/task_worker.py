"""Prefect-style import path of task workers: ``from orchestr_lab.task_worker import serve``."""

from .sdk.task_worker import TaskWorker as TaskWorker, serve as serve
