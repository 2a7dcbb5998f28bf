"""Task workers: run the background task runs that ``Task.delay()`` stored (Prefect's ``serve``).

``serve(*tasks, limit=10)`` claims the oldest SCHEDULED background run of the given tasks' keys,
runs it as a task run with the same id (states, logs and retries recorded as for any task run),
and stores its final state with the return value or exception. Up to ``limit`` run at once, in
threads. Each run is taken by one worker only: the claim is a compare-and-set in the store
(``store/background_tasks.py``), so any number of workers, on this machine or, through
``ORCHESTR_LAB_API_URL``, on others, can serve the same tasks.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from ..core.states import StateType
from .background import decode_parameters, encode_value

__all__ = ["TaskWorker", "serve"]

_log = logging.getLogger("orchestr_lab.task_worker")
_IDLE_POLL_SECONDS = 0.25


class TaskWorker:
    """Serves ``tasks``: claims their background runs and runs up to ``limit`` at once."""

    def __init__(self, *tasks: Any, limit: int | None = 10, name: str | None = None) -> None:
        if not tasks:
            raise ValueError("A task worker needs at least one task to serve")
        self.tasks = {t.task_key: t for t in tasks}
        self.limit = limit or 1
        self.name = name or f"task-worker-{socket.gethostname()}-{os.getpid()}"
        self._stop = threading.Event()
        self._slots = threading.Semaphore(self.limit)
        self._backend: Any = None

    def stop(self) -> None:
        """Stop claiming; runs under way finish."""
        self._stop.set()

    def start(self, timeout: float | None = None) -> None:
        """Claim and run until :meth:`stop` (or Ctrl-C), or for ``timeout`` seconds."""
        from .client import ENV_API_TOKEN, ENV_API_URL, connect

        api_url = os.environ.get(ENV_API_URL)
        self._backend = connect(api_url=api_url, token=os.environ.get(ENV_API_TOKEN))
        from ..engine.recorder import get_recorder

        recorder = get_recorder(api_url or None)
        names = ", ".join(t.name for t in self.tasks.values())
        print(f"orchestr-lab: task worker {self.name} serving {names}; Ctrl-C to stop", flush=True)
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            with ThreadPoolExecutor(self.limit, thread_name_prefix="orchestr-lab-task") as pool:
                while not self._stop.is_set() and (deadline is None or time.monotonic() < deadline):
                    if not self._slots.acquire(timeout=_IDLE_POLL_SECONDS):
                        continue
                    run = self._claim()
                    if run is None:
                        self._slots.release()
                        self._stop.wait(_IDLE_POLL_SECONDS)
                        continue
                    pool.submit(self._execute, run, recorder)
        except KeyboardInterrupt:
            pass
        finally:
            self._backend.close()

    def _claim(self) -> dict[str, Any] | None:
        try:
            run: dict[str, Any] | None = self._backend.claim_background_task(self.name, list(self.tasks))
        except Exception:  # the store or server out of reach a moment: try again at the next poll
            _log.exception("task worker %s could not claim a run", self.name)
            return None
        return run

    def _execute(self, run: dict[str, Any], recorder: Any) -> None:
        try:
            state, result = self._run_task(run, recorder)
            recorder.flush()  # the task run's records are stored before its end is reported
            body = {"state": {"type": state.type.value, "name": state.name, "message": state.message}}
            if result is not None:
                body["result"] = result
            self._backend.finish_background_task(run["id"], body)
        except Exception:
            _log.exception("task worker %s could not finish background task run %s", self.name, run["id"])
        finally:
            self._slots.release()

    def _run_task(self, run: dict[str, Any], recorder: Any) -> tuple[Any, dict[str, Any] | None]:
        """Run the task; its final state, and the value or exception to store with it."""
        from ..core.states import Crashed
        from ..engine.drive import run as drive
        from ..engine.task_engine import TaskRunEngine

        task = self.tasks[run["task_key"]]
        try:
            parameters = decode_parameters(run["parameters"])
            engine = TaskRunEngine(task, parameters, task_run_id=run["id"], recorder=recorder)
            outcome = drive(engine, return_state=True)
            state = asyncio.run(outcome) if asyncio.iscoroutine(outcome) else outcome
        except BaseException as exc:  # the parameters could not be read, or the engine itself broke
            return Crashed(f"{type(exc).__name__}: {exc}"), _encoded(exc)
        value = state.result(raise_on_failure=False)
        if state.type is StateType.COMPLETED or isinstance(value, BaseException):
            return state, _encoded(value)
        return state, None


def _encoded(value: Any) -> dict[str, Any] | None:
    try:
        return encode_value(value)
    except Exception as exc:  # not picklable: the caller learns why instead of getting the value
        return encode_value(RuntimeError(f"the task's outcome could not be sent back: {type(exc).__name__}: {exc}"))


def serve(*tasks: Any, limit: int | None = 10, timeout: float | None = None, **_: Any) -> None:
    """Prefect's ``serve(*tasks, limit=10)``: run a task worker for ``tasks`` in this process
    until Ctrl-C (or for ``timeout`` seconds). Prefect's other options (``status_server_port``)
    are accepted and ignored."""
    TaskWorker(*tasks, limit=limit).start(timeout=timeout)
