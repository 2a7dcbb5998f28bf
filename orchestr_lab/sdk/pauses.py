"""``pause_flow_run`` / ``resume_flow_run``: a flow run that waits for a person, as Prefect's do.

The flow's own thread pauses its run (PAUSED, with the input's JSON schema in the state's
details) and then waits, reading the run's state from the store (or the server, on a remote
worker) every ``poll_interval`` seconds, until someone resumes it: then it gets the input back,
validated, as an instance of the model it asked with. Nobody resuming it within ``timeout``
seconds raises :class:`FlowPauseTimeout`, which fails the run unless the flow catches it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from ..core.errors import CancelledWhilePaused, Conflict, FlowPauseTimeout, NotPausedError
from ..engine.context import flow_run_var, task_run_var
from .client import Backend, ClientError

__all__ = ["pause_flow_run", "resume_flow_run", "set_waiter", "suspend_flow_run"]

#: What a run's thread does instead of sleeping between two looks at its state, when set:
#: ``waiter(backend, run_id, seconds)`` may return early (the notebook shows the question and
#: answers clicks meanwhile); ``seconds`` None: the wait is over (resumed or timed out).
_waiter: Callable[[Backend, str, float | None], None] | None = None


def set_waiter(waiter: Callable[[Backend, str, float | None], None] | None) -> None:
    """Install (or with None remove) what waiting runs call instead of ``time.sleep``."""
    global _waiter
    _waiter = waiter


def _paused_run() -> tuple[Backend, str, Any]:
    """The store and id of the flow run this code runs in, and its context (a task's flow's too)."""
    from .artifacts import _current

    flow_ctx = flow_run_var.get()
    if flow_ctx is None:
        task_ctx = task_run_var.get()
        flow_ctx = task_ctx.flow_run if task_ctx is not None else None
    if flow_ctx is None:
        raise RuntimeError("Flow runs can only be paused from within a flow run.")
    flow_ctx.recorder.flush()  # the run's RUNNING state is in the store before it pauses
    backend, _, _, _ = _current()
    return backend, flow_ctx.id, flow_ctx


def pause_flow_run(
    wait_for_input: Any = None,
    timeout: float = 3600,
    poll_interval: float = 10,
    key: str | None = None,
) -> Any:
    """Pause the current flow run until someone resumes it; with ``wait_for_input`` (a
    :class:`RunInput` subclass, a pydantic model or a plain type) return the input they gave."""
    from .run_input import input_description, input_model

    if timeout is None or timeout < 0:
        raise ValueError(f"'timeout' must be a non-negative number, got {timeout}")
    backend, run_id, ctx = _paused_run()
    pause_key = key or str(ctx.next_dynamic_key("\x00pause") + 1)  # 1, 2, ... per run, as Prefect counts
    model, plain = input_model(wait_for_input) if wait_for_input is not None else (None, False)
    body: dict[str, Any] = {"key": pause_key, "timeout_seconds": max(float(timeout), 0.001)}
    if model is not None:
        body["run_input_schema"] = model.model_json_schema()
        body["description"] = input_description(model)
    answer = backend.run_input(run_id, pause_key)  # answered already in this attempt: as Prefect, no second ask
    if not answer["received"]:
        _run_logger().info("Pausing flow, execution will continue when this flow run is resumed.")
        try:
            backend.pause_run(run_id, body)
        except (Conflict, ClientError) as exc:
            raise RuntimeError(f"Flow run cannot be paused: {exc}") from None
        if not _wait_until_resumed(backend, run_id, timeout, poll_interval):
            raise FlowPauseTimeout("Flow run was paused and never resumed.")
        _run_logger().info("Resuming flow run execution!")
        answer = backend.run_input(run_id, pause_key) if model is not None else answer
    if model is None:
        return None
    received = model.model_validate(answer["value"] or {})
    return received.value if plain else received  # type: ignore[attr-defined]


def _wait_until_resumed(backend: Backend, run_id: str, timeout: float, poll_interval: float) -> bool:
    """True once the run is RUNNING again; False when ``timeout`` passes first (or the pause
    expired and a late resume failed the run). A cancel meanwhile raises :class:`CancelledWhilePaused`."""
    expired and a late resume failed the run)."""
    waiter = _waiter
    if waiter is None:
        return _poll_state(backend, run_id, timeout, poll_interval, time.sleep)
    try:
        return _poll_state(backend, run_id, timeout, poll_interval, lambda s: waiter(backend, run_id, s))
    finally:
        waiter(backend, run_id, None)


def _poll_state(
    backend: Backend, run_id: str, timeout: float, poll_interval: float, sleep: Callable[[float], None]
) -> bool:
    deadline = time.monotonic() + timeout
    sleep(min(timeout / 2, poll_interval))
    while True:
        state = (backend.get_run(run_id).get("state") or {}).get("type")
        if state == "RUNNING":
            return True
        if state in ("CANCELLING", "CANCELLED"):
            raise CancelledWhilePaused("Flow run was cancelled while paused.")
        if state != "PAUSED" or time.monotonic() >= deadline:
            return False
        sleep(min(poll_interval, max(deadline - time.monotonic(), 0.0)))


def _run_logger() -> logging.LoggerAdapter[logging.Logger]:
    from .logs import get_run_logger

    return get_run_logger()


def resume_flow_run(flow_run_id: Any, run_input: dict[str, Any] | None = None) -> None:
    """Resume a PAUSED flow run, with ``run_input`` when it waits for input (checked against the
    schema it waits with: a mismatch is refused naming the field, and the run stays PAUSED)."""
    from ._dispatch import backend

    client = backend()
    run_id = str(flow_run_id)
    try:
        client.resume_run(run_id, run_input)
    except Conflict as exc:
        if "no longer be resumed" in str(exc):
            raise FlowPauseTimeout("Flow run can no longer be resumed.") from None
        raise NotPausedError("Cannot resume a run that isn't paused!") from None
    except ClientError as exc:
        raise RuntimeError(f"Cannot resume this run: {exc}") from None


def suspend_flow_run(
    wait_for_input: Any = None,
    flow_run_id: Any = None,
    timeout: float | None = 3600,
    key: str | None = None,
    client: Any = None,
) -> Any:
    """Not yet: a suspended run gives its worker back and starts again from the top when resumed,
    which needs the workers' side; use :func:`pause_flow_run` (the run waits where it is)."""
    raise NotImplementedError("suspend_flow_run is not available yet; pause_flow_run waits in place")
