"""Where submitted task runs execute: a thread pool by default.

A flow enters its runner for the duration of the run; leaving it waits for every submitted task,
so a flow never finishes while its tasks still run.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextvars
import threading
from typing import Any

from .drive import run_to_state
from .futures import TaskRunFuture

__all__ = ["TaskRunner", "ThreadPoolTaskRunner"]


class TaskRunner:
    """Runs submitted task runs and hands back futures of their final states."""

    def duplicate(self) -> TaskRunner:
        """A fresh runner with the same settings (each flow run gets its own)."""
        raise NotImplementedError

    def submit_engine(self, engine: Any) -> TaskRunFuture[Any]:
        raise NotImplementedError

    def __enter__(self) -> TaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


class ThreadPoolTaskRunner(TaskRunner):
    """Runs task runs in threads.

    ``max_workers`` bounds concurrency. The default, 128, is far above what CPU-bound work
    wants but keeps I/O-bound fan-outs concurrent; threads are started only when needed.
    """

    DEFAULT_MAX_WORKERS = 128

    def __init__(self, max_workers: int | None = None) -> None:
        if max_workers is not None and max_workers < 1:
            raise ValueError("max_workers must be at least 1")
        self.max_workers = max_workers
        self._executor: cf.ThreadPoolExecutor | None = None
        self._lock = threading.Lock()
        self._pending: list[cf.Future[Any]] = []

    def duplicate(self) -> ThreadPoolTaskRunner:
        return type(self)(max_workers=self.max_workers)

    def _pool(self) -> cf.ThreadPoolExecutor:
        pool = self._executor
        if pool is None:
            with self._lock:
                pool = self._executor
                if pool is None:
                    pool = self._executor = cf.ThreadPoolExecutor(
                        max_workers=self.max_workers or self.DEFAULT_MAX_WORKERS,
                        thread_name_prefix="orchestr-lab-task",
                    )
        return pool

    def submit_engine(self, engine: Any) -> TaskRunFuture[Any]:
        ctx = contextvars.copy_context()
        future = self._pool().submit(ctx.run, run_to_state, engine)
        self._pending.append(future)
        return TaskRunFuture(engine.id, future, engine)

    def __exit__(self, *exc: object) -> None:
        pool = self._executor
        if pool is not None:
            pool.shutdown(wait=True)
            self._executor = None
        self._pending.clear()
