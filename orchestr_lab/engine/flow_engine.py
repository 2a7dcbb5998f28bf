"""Running one flow run: parameters, attempts, retries, timeout, final state, hooks, flush.

:class:`FlowRunEngine` is a :class:`~.base.RunEngine`: the attempt loop and the attempt context
are shared with the task engine; this module says what a flow's attempt does (a fresh task
runner, the flow's timeout) and what its return value means. When a driver returns, the recorder
has been flushed: the run, its task runs, states, logs and recorded outputs are in the store.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from typing import Any

from ..core.errors import CancelledWhilePaused, FlowRunTimeout, ParameterTypeError, ResultPersistenceError
from ..core.states import AwaitingRetry, Completed, Failed, Pending, State, StateType, TimedOut, check_transition
from ..core.wire import FlowRunOp, StateOp, TaskRunOp
from .base import RunEngine
from .context import FlowRunContext, flow_run_var, tags_var, task_run_var
from .futures import TaskRunFuture, visit_futures
from .ids import new_id
from .observers import LISTENERS, notify_flow
from .parameters import arguments_for, bind_parameters, generate_run_name, render_run_name, validate_parameters
from .retries import retry_delay_for
from .timeouts import time_limit, within

__all__ = ["FlowRunEngine", "as_flow", "register_flow_class", "return_value_to_state"]

#: The class ``@flow`` makes (``sdk.flows.Flow`` registers itself when it is defined), so the
#: layers below the sdk (a worker loading a flow file) can recognise a flow without importing it.
_flow_class: type | None = None


def register_flow_class(cls: type) -> type:
    """Class decorator: ``cls`` is what :func:`as_flow` recognises and makes functions into."""
    global _flow_class
    _flow_class = cls
    return cls


def as_flow(obj: Any, where: str) -> Any:
    """``obj`` if it is a flow, a flow of it if it is a plain function; ValueError otherwise."""
    if _flow_class is None:  # only when orchestr_lab's package __init__ was bypassed
        raise RuntimeError("no flow class registered: import orchestr_lab first")
    if isinstance(obj, _flow_class):
        return obj
    if callable(obj):
        return _flow_class(obj)
    raise ValueError(f"{where} is not a flow or a function")


def _final_state(future: TaskRunFuture[Any]) -> State:
    future.wait()
    return future.state


def return_value_to_state(value: Any) -> State:
    """The final state a flow's return value implies (Prefect's rules).

    Futures are resolved to their states. A returned State is taken as is; a list, tuple or set
    made only of states fails the run if any of them did not complete, and carries those states
    as its data; anything else completes the run with the value as its data.
    """
    value = visit_futures(value, _final_state)
    if isinstance(value, State):
        return value
    if isinstance(value, (list, tuple, set)) and value and all(isinstance(v, State) for v in value):
        bad = [s for s in value if s.type is not StateType.COMPLETED]
        if bad:
            return Failed(f"{len(bad)}/{len(value)} states failed.", data=value)
        return Completed(data=value)
    return Completed(data=value)


class FlowRunEngine(RunEngine):
    """One flow run from the call to its final state."""

    _owner = "flow"

    def __init__(
        self,
        flow: Any,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        *,
        flow_run: dict[str, Any] | None = None,
        wait_for: Any = None,
    ) -> None:
        """``flow_run``: a stored run (a worker's claimed deployment run) to execute as one
        attempt, instead of creating a new run. Its id, name and run count are kept, and its
        final state is left for the run's owner to store (the worker's ``finish_attempt``).
        ``wait_for``: futures or states to wait for before the run starts (Prefect's)."""
        from .recorder import get_recorder
        from .run_logging import install_print_capture

        self.flow = flow
        self._running_hooks = flow.on_running_hooks
        self.isasync = flow.isasync
        self.wait_for = wait_for
        self._token: Any = None
        self._delay: Any = None
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
            persist_result=flow.persist_result
            if flow.persist_result is not None
            else (parent.persist_result if parent else None),
            parent=parent,
            tags=frozenset(flow.tags) | tags_var.get(),
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
                    "tags": sorted(self.ctx.tags),
                    "parent_task_run_id": self._parent_task.id if self._parent_task else None,
                    "deployment_id": None,
                    "created": time.time(),
                },
            )
        )
        self.set_state(Pending())

    # -- decisions ---------------------------------------------------------------------
    def begin(self) -> bool:
        """Wait for upstream runs, report invalid parameters, enter RUNNING. False: nothing to run."""
        if self.wait_for and self.upstream_ready({}) is None:
            return False
        if self.validation_error is not None:
            message = f"Validation of flow parameters failed with error: {self.validation_error}"
            self.logger.error(message)
            self.finish(Failed(message, data=self.validation_error))
            return False
        self.logger.info("Beginning flow run %r for flow %r", self.ctx.name, self.flow.name)
        self.start_attempt()
        return True

    def fail(self, exc: BaseException) -> float | None:
        """A failed attempt; returns the delay before a flow retry, or None when final."""
        if isinstance(exc, CancelledWhilePaused):  # cancelled while it waited for a person
            self.finish(State(StateType.CANCELLED, message=str(exc)))
            return None
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
            self.logger.info(
                "Received non-final state %r when proposing final state %r and will attempt to run again...",
                "AwaitingRetry",
                failed.name,
            )
            if delay > 0:
                self.set_state(AwaitingRetry(failed.message, scheduled_time=time.time() + delay))
            return delay
        self.finish(failed)
        return None

    def complete(self, value: Any) -> float | None:
        """The flow returned ``value``: its final state (Prefect's rules), or a retry's delay."""
        state = return_value_to_state(value)
        if state.type in (StateType.FAILED, StateType.CRASHED):
            return self._maybe_retry(state)
        if not self.flow.cache_result_in_memory and state.type is StateType.COMPLETED and state.data is not None:
            state = self._spilled(state)
        self.finish(state)
        return None

    def _spilled(self, state: State) -> State:
        """``state`` with its value written to result storage and read back from there when
        asked (``cache_result_in_memory=False``); kept in memory if it cannot be written."""
        from .results import get_result_store

        store = get_result_store(self.flow.result_storage)
        try:
            payload = store.dumps(state.data, what=f"flow run {self.ctx.name!r}")
        except ResultPersistenceError as exc:
            self.logger.warning("%s; the result is kept in memory", exc)
            return state
        key = store.new_key()
        store.write(key, payload)
        return state.copy(data=store.loader(key))

    def set_state(self, state: State, **fields: Any) -> State:
        """The one place this flow run changes state (stored, mirrored on a subflow's task run)."""
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

    def suspended(self, state: State | None) -> None:
        if state is not None:  # PAUSED "Suspended", stored by suspend_flow_run
            self.state = self.ctx.state = state

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
        self.run_hooks(hooks, flow, state)

    # -- one attempt, and the run around the attempts -----------------------------------
    def call_sync(self) -> Any:
        args, kwargs = arguments_for(self.flow, self.parameters)
        timeout = self.flow.timeout_seconds
        with (
            self._runner(),
            time_limit(
                timeout, FlowRunTimeout, f"Flow run exceeded timeout of {timeout:g} second(s)" if timeout else ""
            ),
        ):
            return self.flow.fn(*args, **kwargs)

    async def call_async(self) -> Any:
        args, kwargs = arguments_for(self.flow, self.parameters)
        runner = self._runner().__enter__()
        try:
            return await within(self.flow.fn(*args, **kwargs), self.flow.timeout_seconds, FlowRunTimeout, "Flow run")
        finally:
            await asyncio.to_thread(runner.__exit__, None, None, None)

    # -- a generator flow: each step in the run's context, one task runner for the run ------
    def open_generator(self) -> Any:
        self._runner().__enter__()
        args, kwargs = arguments_for(self.flow, self.parameters)
        return self.flow.fn(*args, **kwargs)

    def close_generator(self) -> None:
        runner = self.ctx.task_runner
        if runner is not None:
            runner.__exit__(None, None, None)
        self.recorder.flush()

    def enter_step(self) -> Any:
        return flow_run_var.set(self.ctx), task_run_var.set(None)

    def exit_step(self, token: Any) -> None:
        task_run_var.reset(token[1])
        flow_run_var.reset(token[0])

    def _runner(self) -> Any:
        """A task runner of the flow's kind for one attempt (it becomes the run's runner)."""
        runner = self.flow.task_runner
        if runner is None:
            from .task_runners import ThreadPoolTaskRunner

            runner = ThreadPoolTaskRunner()
        else:
            runner = runner.duplicate()
        self.ctx.task_runner = runner
        return runner

    @contextlib.contextmanager
    def _run_scope(self) -> Iterator[None]:
        """The run's context variables for its whole life; a stopped run is CRASHED and flushed."""
        flow_token = flow_run_var.set(self.ctx)
        task_token = task_run_var.set(None)
        try:
            yield
        except BaseException as exc:
            self.crash(exc)
            self.recorder.flush()
            raise
        finally:
            task_run_var.reset(task_token)
            flow_run_var.reset(flow_token)

    def run_sync(self) -> State:
        """Run to a final state on this thread; everything is stored when this returns."""
        with self._run_scope():
            RunEngine.run_sync(self)
        self.recorder.flush()
        return self.state  # type: ignore[return-value]

    async def run_async(self) -> State:
        """Run to a final state in the running event loop; everything is stored when this returns."""
        with self._run_scope():
            await RunEngine.run_async(self)
        self.recorder.flush()
        return self.state  # type: ignore[return-value]


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
