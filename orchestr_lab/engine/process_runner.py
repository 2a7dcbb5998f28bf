"""``ProcessPoolTaskRunner``: submitted task runs execute their function in worker processes.

The run itself (states, retries, timeout, cache, result, hooks) is driven exactly as with the
thread pool, from a thread of the flow's process; only each attempt's call of the task's function
is shipped (cloudpickled) to a spawned worker process. Inside the worker the run's context is
there (``get_run_logger()``, ``orchestr_lab.runtime``, ``log_prints``): its log lines come back with
the attempt's outcome and are recorded by the flow's process, in order, like any other.
"""

from __future__ import annotations

import asyncio
import concurrent.futures as cf
import dataclasses
import inspect
import multiprocessing
import os
import threading
from typing import Any

from ..core.errors import TaskRunTimeout
from .context import FlowRunContext, flow_run_var, task_run_var
from .dask_runner import shipped_flow_fields
from .futures import TaskRunFuture
from .parameters import arguments_for
from .task_engine import TaskRunEngine
from .task_runners import ThreadPoolTaskRunner

__all__ = ["ProcessPoolTaskRunner"]


class ProcessPoolTaskRunner(ThreadPoolTaskRunner):
    """Runs task runs' functions in up to ``max_workers`` processes (default: one per CPU).

    Worker processes are spawned (not forked) on the first submission and kept for the flow
    run. The function, its arguments and its return value cross the process boundary with
    cloudpickle, so they must be picklable (a function defined in a notebook or script is)."""

    def __init__(self, max_workers: int | None = None) -> None:
        super().__init__(max_workers=max_workers)
        self._processes: cf.ProcessPoolExecutor | None = None
        self._process_lock = threading.Lock()

    def processes(self) -> cf.ProcessPoolExecutor:
        pool = self._processes
        if pool is None:
            with self._process_lock:
                pool = self._processes
                if pool is None:
                    pool = self._processes = cf.ProcessPoolExecutor(
                        max_workers=self.max_workers or os.cpu_count() or 1,
                        mp_context=multiprocessing.get_context("spawn"),
                    )
        return pool

    def submit_engine(self, engine: Any) -> TaskRunFuture[Any]:
        if type(engine) is TaskRunEngine:
            engine.__class__ = _ProcessTaskRunEngine  # same slots: only how an attempt calls differs
        return super().submit_engine(engine)

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        pool = self._processes
        if pool is not None:
            pool.shutdown(wait=True)
            self._processes = None


class _ProcessTaskRunEngine(TaskRunEngine):
    """A task run whose attempts call the function in the flow's process pool."""

    __slots__ = ()

    def _ship(self) -> cf.Future[bytes]:
        import cloudpickle

        fctx = self.flow_ctx
        runner = fctx.task_runner if fctx is not None else None
        if not isinstance(runner, ProcessPoolTaskRunner):  # pragma: no cover - submit_engine guarantees it
            raise RuntimeError("a process-pool task run outside its ProcessPoolTaskRunner")
        task_ctx = dataclasses.replace(self.ctx, task=None, flow_run=None, recorder=None, state=None)
        flow_fields = shipped_flow_fields(fctx) if fctx is not None else None
        args, kwargs = arguments_for(self.task, self.parameters)
        payload = cloudpickle.dumps((self.task.fn, args, kwargs, task_ctx, flow_fields))
        return runner.processes().submit(_run_in_worker, payload)

    def _outcome(self, packed: bytes) -> Any:
        import cloudpickle

        ok, value, ops = cloudpickle.loads(packed)
        for op in ops:
            self.recorder.put(op)
        if not ok:
            raise value
        return value

    def call_sync(self) -> Any:
        timeout = self.task.timeout_seconds
        future = self._ship()
        try:
            return self._outcome(future.result(timeout=timeout))
        except cf.TimeoutError:
            future.cancel()
            raise TaskRunTimeout(f"Task run exceeded timeout of {timeout:g} second(s)") from None

    async def call_async(self) -> Any:
        timeout = self.task.timeout_seconds
        try:
            packed = await asyncio.wait_for(asyncio.wrap_future(self._ship()), timeout)
        except asyncio.TimeoutError:
            raise TaskRunTimeout(f"Task run exceeded timeout of {timeout:g} second(s)") from None
        return self._outcome(packed)


class _Collector:
    """The recorder of a worker process's run context: keeps the ops to send back."""

    def __init__(self) -> None:
        self.ops: list[Any] = []

    def put(self, op: Any) -> None:
        self.ops.append(op)

    def flush(self) -> None:
        return None


def _run_in_worker(payload: bytes) -> bytes:
    """In the worker process: call the function in the run's context; the outcome and the log
    lines it produced, cloudpickled (``(ok, value or exception, ops)``)."""
    import cloudpickle

    fn, args, kwargs, tctx, flow_fields = cloudpickle.loads(payload)
    collector: Any = _Collector()
    fctx = FlowRunContext(**flow_fields, recorder=collector) if flow_fields is not None else None
    tctx.flow_run, tctx.recorder = fctx, collector
    if tctx.log_prints:
        from .run_logging import install_print_capture

        install_print_capture()
    flow_token, task_token = flow_run_var.set(fctx), task_run_var.set(tctx)
    try:
        result: tuple[bool, Any] = (True, fn(*args, **kwargs))
        if asyncio.iscoroutine(result[1]):
            result = (True, asyncio.run(result[1]))
        elif inspect.isgenerator(result[1]):
            result = (True, list(result[1]))
    except Exception as exc:
        result = (False, exc)
    finally:
        task_run_var.reset(task_token)
        flow_run_var.reset(flow_token)
    try:
        return cloudpickle.dumps((*result, collector.ops))  # type: ignore[no-any-return]
    except Exception as exc:  # an unpicklable value or exception: say so instead
        what = "return value" if result[0] else f"exception {type(result[1]).__name__}: {result[1]}"
        error = RuntimeError(f"The task's {what} could not be sent back from its worker process: {exc}")
        return cloudpickle.dumps((False, error, collector.ops))  # type: ignore[no-any-return]
