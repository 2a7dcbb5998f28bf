"""``Task.delay()``: a background task run left in the store for a task worker, and its future.

The run is stored SCHEDULED with its parameters (``store/background_tasks.py``); a task worker
serving the task (:mod:`.task_worker`) claims it, runs it as a task run with the same id and
stores how it ended with its return value. The caller's :class:`BackgroundTaskFuture` polls the
store (or the server at ``ORCHESTR_LAB_API_URL``) until then.

Parameters are stored as JSON when they survive it unchanged; other values (a tuple, a
dataclass) and every return value or exception travel as cloudpickle, so the task worker and
the caller see the very objects Prefect's would. Anyone who may create background task runs
can therefore hand the task workers a pickle to load: the same trust as running a deployment.
"""

from __future__ import annotations

import atexit
import base64
import json
import os
import time
import uuid
from typing import Any

from ..core.states import State, StateType

__all__ = ["BackgroundTaskFuture", "decode_parameters", "decode_value", "delay", "encode_value"]

#: Polls of a waiting future: the first soon, then at most this far apart.
_MAX_POLL_SECONDS = 0.5
_PICKLED = "__orchestr_lab_pickle__"
_FINAL = frozenset({StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED})


def encode_value(value: Any) -> dict[str, Any]:
    """A return value or an exception as stored: ``{"pickle": base64 of its cloudpickle}``."""
    import cloudpickle

    return {"pickle": base64.b64encode(cloudpickle.dumps(value)).decode("ascii")}


def decode_value(stored: dict[str, Any] | None) -> Any:
    if not stored:
        return None
    if "pickle" in stored:
        import cloudpickle

        return cloudpickle.loads(base64.b64decode(stored["pickle"]))
    return stored.get("json")


def _encode_parameters(parameters: dict[str, Any]) -> dict[str, Any]:
    try:
        if json.loads(json.dumps(parameters)) == parameters and all(
            type(v) in (str, int, float, bool, type(None)) or isinstance(v, (dict, list)) for v in parameters.values()
        ):
            return parameters
    except (TypeError, ValueError):
        pass
    return {_PICKLED: encode_value(parameters)["pickle"]}


def decode_parameters(stored: dict[str, Any]) -> dict[str, Any]:
    if _PICKLED in stored:
        parameters: dict[str, Any] = decode_value({"pickle": stored[_PICKLED]})
        return parameters
    return stored


_backends: dict[tuple[str | None, ...], Any] = {}


def _backend() -> Any:
    """The process's backend for the configured store or server, one per place (a program
    delaying a thousand runs opens one HTTP client, not a thousand)."""
    from ..core.settings import db_url
    from .client import ENV_API_TOKEN, ENV_API_URL, connect

    api_url, token = os.environ.get(ENV_API_URL), os.environ.get(ENV_API_TOKEN)
    key = (api_url, token) if api_url else (db_url(),)
    backend = _backends.get(key)
    if backend is None:
        if not _backends:
            atexit.register(_close_backends)
        backend = _backends[key] = connect(api_url=api_url, token=token)
    return backend


def _close_backends() -> None:
    for backend in _backends.values():
        backend.close()
    _backends.clear()


def delay(task: Any, parameters: dict[str, Any]) -> BackgroundTaskFuture:
    """Store a SCHEDULED background task run of ``task`` and return its future at once."""
    backend = _backend()
    stored = backend.create_background_task(
        {
            "task_key": task.task_key,
            "name": task.name,
            "parameters": _encode_parameters(parameters),
            "tags": task.tags_list,
        }
    )
    return BackgroundTaskFuture(stored["id"], backend=backend, stored=stored)


class BackgroundTaskFuture:
    """A background task run's future (Prefect's distributed future): ``wait()`` until a task
    worker has run it, ``result()`` for its value (its exception raised), ``state`` as stored."""

    def __init__(self, task_run_id: str, *, backend: Any = None, stored: dict[str, Any] | None = None) -> None:
        self.task_run_id = uuid.UUID(task_run_id)
        self._backend = backend
        self._stored = stored

    def _read(self) -> dict[str, Any]:
        if self._backend is None:
            self._backend = _backend()
        if self._stored is None or not self._final(self._stored):
            self._stored = self._backend.get_background_task(str(self.task_run_id))
        return self._stored

    @staticmethod
    def _final(stored: dict[str, Any]) -> bool:
        state = stored.get("state")
        return state is not None and StateType(state["type"]) in _FINAL

    @property
    def state(self) -> State:
        """The run's state now (SCHEDULED until a task worker claims it); a final state holds
        the return value, or the exception, as its data."""
        stored = self._read()
        s = stored["state"]
        data = decode_value(stored.get("result")) if self._final(stored) else None
        return State(s["type"], s["name"], s.get("message"), data)

    def wait(self, timeout: float | None = None) -> None:
        """Return when the run is final, or after ``timeout`` seconds (then it may not be)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = 0.05
        while not self._final(self._read()):
            if deadline is not None and time.monotonic() >= deadline:
                return
            left = _MAX_POLL_SECONDS if deadline is None else max(0.0, deadline - time.monotonic())
            time.sleep(min(pause, left))
            pause = min(pause * 2, _MAX_POLL_SECONDS)

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> Any:
        """The return value once a task worker has run the task; its exception is raised (or
        returned with ``raise_on_failure=False``). TimeoutError when ``timeout`` passes first."""
        self.wait(timeout)
        if not self._final(self._read()):
            raise TimeoutError(f"Background task run {self.task_run_id} did not finish within {timeout} seconds")
        return self.state.result(raise_on_failure=raise_on_failure)

    def __repr__(self) -> str:
        return f"BackgroundTaskFuture(task_run_id={str(self.task_run_id)!r})"
