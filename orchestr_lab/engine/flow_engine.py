"""Running one flow run: parameters, attempts, retries, timeout, final state, hooks, flush.

Like the task engine, :class:`FlowRunEngine` makes every decision once and ``run_sync`` /
``run_async`` only drive it. When a driver returns, the recorder has been flushed: the run, its
task runs, states, logs and recorded outputs are in the store.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from ..core.errors import FlowRunTimeout, ParameterTypeError
from ..core.states import (
    AwaitingRetry,
    Completed,
    Crashed,
    Failed,
    Pending,
    Retrying,
    Running,
    State,
    StateType,
    TimedOut,
    check_transition,
)
from ..core.wire import FlowRunOp, StateOp, TaskRunOp
from .ids import new_id
from .context import FlowRunContext, flow_run_var, task_run_var
from .futures import TaskRunFuture
from .observers import LISTENERS, notify_flow
from .parameters import bind_parameters, call_args, generate_run_name, render_run_name, validate_parameters
from .retries import retry_delay_for
from .timeouts import time_limit

__all__ = ["FlowRunEngine", "return_value_to_state"]


def _futures_to_states(value: Any, depth: int = 0) -> Any:
    """The return value with every future replaced by its final state (Prefect hands back states)."""
    if isinstance(value, TaskRunFuture):
        value.wait()
        return value.state
    if depth >= 3:
        return value
    if isinstance(value, list):
        return [_futures_to_states(v, depth + 1) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(_futures_to_states(v, depth + 1) for v in value)
    if isinstance(value, set):
        return {_futures_to_states(v, depth + 1) for v in value}
    if isinstance(value, dict):
        return {k: _futures_to_states(v, depth + 1) for k, v in value.items()}
    return value


def return_value_to_state(value: Any) -> State:
    """The final state a flow's return value implies (Prefect's rules).

    Futures are resolved to their states. A returned State is taken as is; a list, tuple or set
    made only of states fails the run if any of them did not complete, and carries those states
    as its data; anything else completes the run with the value as its data.
    """
    value = _futures_to_states(value)
    if isinstance(value, State):
        return value
    if isinstance(value, (list, tuple, set)) and value and all(isinstance(v, State) for v in value):
        bad = [s for s in value if s.type is not StateType.COMPLETED]
        if bad:
            return Failed(f"{len(bad)}/{len(value)} states failed.", data=value)
        return Completed(data=value)
    return Completed(data=value)


class FlowRunEngine:
    """One flow run from the call to its final state."""

    def __init__(self, flow: Any, args: tuple, kwargs: dict, *, flow_run: dict[str, Any] | None = None) -> None:
        """``flow_run``: a stored run (a worker's claimed deployment run) to execute as one
        attempt, instead of creating a new run. Its id, name and run count are kept, and its
        final state is left for the run's owner to store (the worker's ``finish_attempt``)."""
        from .recorder import get_recorder
        from .run_logging import install_print_capture

        self.flow = flow
        params = bind_parameters(flow.fn, flow.signature, args, kwargs)
        self.validation_error: ParameterTypeError | None = None
        if flow.validate_parameters and flow.has_annotations:
            try:
                params = validate_parameters(flow.fn, flow.signature, params)
            except ParameterTypeError as exc:
                self.validation_error = exc
        self.parameters = params
        parent = flow_run_var.get()
        self.recorder = parent.recorder if parent is not None else get_recorder()
        self.adopted = flow_run is not None
        self.id = flow_run["id"] if flow_run is not None else new_id()
        if flow_run is not None and flow_run.get("name"):
            name = flow_run["name"]
        elif flow.flow_run_name is not None and self.validation_error is None:
            name = render_run_name(flow.flow_run_name, params, what="flow_run_name")
        else:
            name = generate_run_name()
        log_prints = flow.log_prints if flow.log_prints is not None else bool(parent and parent.log_prints)
        if log_prints:
            install_print_capture()
        self.ctx = FlowRunContext(
            id=self.id,
            name=name,
            flow=flow,
            flow_name=flow.name,
            parameters=params,
            recorder=self.recorder,
            log_prints=log_prints,
            persist_result=flow.persist_result if flow.persist_result is not None else (parent.persist_result if parent else None),
            parent=parent,
        )
        self.state: State | None = None
        self.run_count = 0
        self._parent_task = _SubflowTaskRun(self, parent) if parent is not None else None
        self._logger: Any = None
        if flow_run is not None:
            self.run_count = int(flow_run.get("run_count") or 0)
            if flow_run.get("deployment_id"):
                self.ctx.deployment = {"id": flow_run["deployment_id"], "name": flow_run.get("deployment_name")}
            return
        self.recorder.put(
            FlowRunOp(
                {
                    "id": self.id,
                    "name": name,
                    "flow_name": flow.name,
                    "parameters": _jsonable(params),
                    "tags": list(flow.tags),
                    "parent_task_run_id": self._parent_task.id if self._parent_task else None,
                    "deployment_id": None,
                    "created": time.time(),
                },
            )
        )
        self.set_state(Pending())

    @property
    def logger(self) -> Any:
        if self._logger is None:
            from .run_logging import logger_for

            self._logger = logger_for(self.ctx)
        return self._logger

    def set_state(self, state: State, **fields: Any) -> State:
        check_transition(self.state, state)
        self.state = state
        self.ctx.state = state
        if self.adopted and state.is_final():
            if LISTENERS:
                notify_flow(self, state)
            return state  # the adopted run's owner stores the outcome
        self.recorder.put(StateOp("flow", self.id, state, fields))
        if self._parent_task is not None:
            self._parent_task.mirror(state)
        if LISTENERS:
            notify_flow(self, state)
        return state

    # -- decisions ---------------------------------------------------------------------
    def begin(self) -> bool:
        if self.validation_error is not None:
            message = f"Validation of flow parameters failed with error: {self.validation_error}"
            self.logger.error(message)
            self.finish(Failed(message, data=self.validation_error))
            return False
        self.logger.info("Beginning flow run %r for flow %r", self.ctx.name, self.flow.name)
        self.start_attempt()
        return True

    def start_attempt(self) -> None:
        self.run_count += 1
        self.ctx.run_count = self.run_count
        now = time.time()
        if self.ctx.start_time is None:
            self.ctx.start_time = now
        if self.run_count == 1:
            self.set_state(Running(timestamp=now), run_count=1, start_time=now)
        else:
            self.set_state(Retrying(timestamp=now), run_count=self.run_count)

    def call_arguments(self) -> tuple[tuple, dict]:
        if self.flow.simple_signature:
            return (), self.parameters
        return call_args(self.flow.signature, self.parameters)

    def fail(self, exc: BaseException) -> float | None:
        """A failed attempt; returns the delay before a flow retry, or None when final."""
        flow = self.flow
        if isinstance(exc, FlowRunTimeout):
            failed = TimedOut(str(exc), data=exc)
        else:
            failed = Failed(f"Flow run encountered an exception: {type(exc).__name__}: {exc}", data=exc)
        self.logger.error("Encountered exception during execution: %r", exc, exc_info=exc)
        return self._maybe_retry(failed)

    def _maybe_retry(self, failed: State) -> float | None:
        flow = self.flow
        if self.run_count <= flow.retries:
            delay = retry_delay_for(flow.retry_delay, self.run_count, None)
            self.logger.info("Received non-final state %r when proposing final state %r and will attempt to run again...", "AwaitingRetry", failed.name)
            if delay > 0:
                self.set_state(AwaitingRetry(failed.message, scheduled_time=time.time() + delay))
            return delay
        self.finish(failed)
        return None

    def complete(self, value: Any) -> float | None:
        state = return_value_to_state(value)
        if state.type in (StateType.FAILED, StateType.CRASHED):
            return self._maybe_retry(state)
        self.finish(state)
        return None

    def finish(self, state: State) -> None:
        if state.is_final() and state is self.state:
            return
        self.set_state(state, end_time=state.timestamp)
        self.logger.info("Finished in state %r", state)
        flow = self.flow
        hooks = {
            StateType.COMPLETED: flow.on_completion_hooks,
            StateType.FAILED: flow.on_failure_hooks,
            StateType.CANCELLED: flow.on_cancellation_hooks,
            StateType.CRASHED: flow.on_crashed_hooks,
        }.get(state.type, ())
        for hook in hooks:
            try:
                hook(flow, self.ctx, state)
            except Exception as exc:
                self.logger.error("Hook %r raised %r", getattr(hook, "__name__", hook), exc, exc_info=exc)

    def crash(self, exc: BaseException) -> None:
        if self.state is None or not self.state.is_final():
            self.finish(Crashed(f"Execution was interrupted by {type(exc).__name__}", data=exc))

    def outcome(self, return_state: bool) -> Any:
        self.recorder.flush()
        state = self.state
        assert state is not None
        if return_state:
            return state
        return state.result()

    def _runner(self) -> Any:
        runner = self.flow.task_runner
        if runner is None:
            from .task_runners import ThreadPoolTaskRunner

            return ThreadPoolTaskRunner()
        return runner.duplicate()

    # -- drivers -----------------------------------------------------------------------
    def run_sync(self, return_state: bool = False) -> Any:
        flow_token = flow_run_var.set(self.ctx)
        task_token = task_run_var.set(None)
        try:
            if self.begin():
                timeout = self.flow.timeout_seconds
                while True:
                    args, kwargs = self.call_arguments()
                    runner = self._runner()
                    self.ctx.task_runner = runner
                    try:
                        with runner:
                            with time_limit(timeout, FlowRunTimeout, f"Flow run exceeded timeout of {timeout:g} second(s)" if timeout else ""):
                                value = self.flow.fn(*args, **kwargs)
                    except Exception as exc:
                        delay = self.fail(exc)
                    else:
                        delay = self.complete(value)
                    if delay is None:
                        break
                    if delay:
                        time.sleep(delay)
                    self.start_attempt()
        except BaseException as exc:
            self.crash(exc)
            self.recorder.flush()
            raise
        finally:
            task_run_var.reset(task_token)
            flow_run_var.reset(flow_token)
        return self.outcome(return_state)

    async def run_async(self, return_state: bool = False) -> Any:
        flow_token = flow_run_var.set(self.ctx)
        task_token = task_run_var.set(None)
        try:
            if self.begin():
                timeout = self.flow.timeout_seconds
                while True:
                    args, kwargs = self.call_arguments()
                    runner = self._runner()
                    self.ctx.task_runner = runner
                    try:
                        runner.__enter__()
                        try:
                            coro = self.flow.fn(*args, **kwargs)
                            if timeout is None:
                                value = await coro
                            else:
                                try:
                                    value = await asyncio.wait_for(coro, timeout)
                                except asyncio.TimeoutError:
                                    raise FlowRunTimeout(f"Flow run exceeded timeout of {timeout:g} second(s)") from None
                        finally:
                            await asyncio.to_thread(runner.__exit__, None, None, None)
                    except Exception as exc:
                        delay = self.fail(exc)
                    else:
                        delay = self.complete(value)
                    if delay is None:
                        break
                    if delay:
                        await asyncio.sleep(delay)
                    self.start_attempt()
        except BaseException as exc:
            self.crash(exc)
            self.recorder.flush()
            raise
        finally:
            task_run_var.reset(task_token)
            flow_run_var.reset(flow_token)
        return self.outcome(return_state)


class _SubflowTaskRun:
    """The task run a parent flow shows for a subflow call (so the parent's steps list it)."""

    def __init__(self, engine: FlowRunEngine, parent: FlowRunContext) -> None:
        self.id = new_id()
        self.recorder = engine.recorder
        self.state: State | None = None
        key = f"subflow.{engine.flow.name}"
        dynamic_key = parent.next_dynamic_key(key)
        self.recorder.put(
            TaskRunOp(
                {
                    "id": self.id,
                    "name": f"{engine.flow.name}-{dynamic_key}",
                    "flow_run_id": parent.id,
                    "task_key": key,
                    "dynamic_key": str(dynamic_key),
                    "tags": [],
                    "cache_key": None,
                    "created": time.time(),
                },
            )
        )

    def mirror(self, state: State) -> None:
        copy = state.copy(data=None)
        check_transition(self.state, copy)
        self.state = copy
        self.recorder.put(StateOp("task", self.id, copy, {}))


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    """Parameters as the store keeps them: JSON values, or a repr for anything else."""
    import json

    out: dict[str, Any] = {}
    for key, value in params.items():
        try:
            json.dumps(value)
            out[key] = value
        except (TypeError, ValueError):
            out[key] = repr(value)[:1000]
    return out
