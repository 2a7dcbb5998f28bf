"""What a flow run and a task run share: attempts, the attempt context, hooks, the logger.

:class:`RunEngine` holds the attempt loop once; :class:`~.flow_engine.FlowRunEngine` and
:class:`~.task_engine.TaskRunEngine` say how one attempt calls the user's function
(``call_sync`` / ``call_async``), what a returned value means (``complete``) and what a raised
exception means (``fail``). The engine itself is the attempt context (``with self:``), so an
attempt allocates nothing: the context object is the engine the run already has.

Which exceptions fail an attempt and which crash the run is decided in one place,
:meth:`RunEngine.__exit__`: an ``Exception`` is a failure (retried while retries are left); any
other ``BaseException`` (KeyboardInterrupt, SystemExit, a cancelled coroutine) means the run was
stopped, not that it failed, so the run is marked CRASHED and the exception goes on.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Generator, Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from ..core.errors import Pause, UpstreamTaskError
from ..core.states import Crashed, Failed, Pending, Retrying, Running, State, StateType
from .futures import has_future, resolve_futures

__all__ = ["RunEngine", "upstream_value"]

#: ``_delay`` after an attempt that returned (instead of a retry delay or None after a failure).
_RETURNED: Any = object()


def upstream_value(state: State) -> Any:
    """The value an upstream final state hands downstream; UpstreamTaskError unless COMPLETED."""
    if state.type is not StateType.COMPLETED:
        raise UpstreamTaskError(f"Upstream task run did not reach a 'COMPLETED' state (it is {state.name}).")
    return state.result()


class RunEngine:
    """One run's attempts, from RUNNING to a final state (a base for the flow and task engines).

    Subclasses set the attributes (``ctx``, ``state``, ``run_count``, ``wait_for``, ``_logger``,
    ``_token``, ``_delay``, ``isasync``, ``_running_hooks``) and provide ``set_state``, ``begin``, ``call_sync``,
    ``call_async``, ``complete``, ``fail`` and ``finish``.
    """

    __slots__ = ()

    #: The context variable an attempt sets to the run's context (None: the run sets its own).
    _attempt_var: ContextVar[Any] | None = None
    #: The attribute holding the run's flow or task (whose ``on_running_hooks`` are called).
    _owner: str = ""

    ctx: Any
    state: State | None
    run_count: int
    wait_for: Any
    isasync: bool
    _logger: Any
    _token: Any
    _delay: Any
    _running_hooks: list[Callable[..., Any]]

    # -- what subclasses provide ---------------------------------------------------------
    def set_state(self, state: State, **fields: Any) -> State:
        raise NotImplementedError

    def begin(self) -> bool:
        raise NotImplementedError

    def call_sync(self) -> Any:
        raise NotImplementedError

    async def call_async(self) -> Any:
        raise NotImplementedError

    def complete(self, value: Any) -> float | None:
        """The attempt returned ``value``: the delay before another attempt, or None when final."""
        raise NotImplementedError

    def fail(self, exc: BaseException) -> float | None:
        """The attempt raised ``exc``: the delay before another attempt, or None when final."""
        raise NotImplementedError

    def finish(self, state: State) -> None:
        raise NotImplementedError

    # -- shared decisions ----------------------------------------------------------------
    @property
    def logger(self) -> Any:
        """The run's logger, made on first use (most runs never log)."""
        if self._logger is None:
            from .run_logging import logger_for

            self._logger = logger_for(self.ctx)
        return self._logger

    def upstream_ready(self, parameters: dict[str, Any]) -> dict[str, Any] | None:
        """Wait for ``wait_for`` and the futures in ``parameters``; the parameters with upstream
        values in place, or None after moving the run to Pending("NotReady") (an upstream run did
        not complete), as Prefect does."""
        wait_for = self.wait_for
        if not wait_for and not any(has_future(v) for v in parameters.values()):
            return parameters  # nothing upstream: every plain task call
        try:
            if wait_for:
                resolve_futures({"wait_for": wait_for}, upstream_value)
            return resolve_futures(parameters, upstream_value)
        except UpstreamTaskError as exc:
            self.set_state(Pending(str(exc), name="NotReady"))
            return None

    def start_attempt(self) -> None:
        """Enter RUNNING (first attempt) or RETRYING (the next ones)."""
        self.run_count += 1  # type: ignore[misc]  # a slot of each subclass; this base's __slots__ is empty
        ctx = self.ctx
        ctx.run_count = self.run_count
        now = time.time()
        if ctx.start_time is None:
            ctx.start_time = now
        if self.run_count == 1:
            state = self.set_state(Running(timestamp=now), run_count=1, start_time=now)
        else:
            state = self.set_state(Retrying(timestamp=now), run_count=self.run_count)
        if self._running_hooks:
            self.run_hooks(self._running_hooks, getattr(self, self._owner), state)

    def run_hooks(self, hooks: Iterable[Callable[..., Any]], owner: Any, state: State) -> None:
        """Call each ``hook(owner, ctx, state)``; a hook that raises is logged, never fatal."""
        for hook in hooks:
            try:
                hook(owner, self.ctx, state)
            except Exception as exc:
                self.logger.error("Hook %r raised %r", getattr(hook, "__name__", hook), exc, exc_info=exc)

    def crash(self, exc: BaseException) -> None:
        """The run was stopped by ``exc`` (not an ``Exception``): CRASHED, unless already final
        or suspended (a :class:`Pause`: the run is PAUSED in the store, to be rerun when resumed)."""
        if isinstance(exc, Pause):
            self.suspended(exc.state)
            return
        if self.state is None or not self.state.is_final():
            self.finish(Crashed(f"Execution was interrupted by {type(exc).__name__}", data=exc))

    def suspended(self, state: State | None) -> None:
        """The run suspended itself (only a flow may): it keeps ``state``, stored already."""

    # -- the attempt context -------------------------------------------------------------
    def __enter__(self) -> RunEngine:
        var = self._attempt_var
        if var is not None:
            self._token = var.set(self.ctx)
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        var = self._attempt_var
        if var is not None:
            var.reset(self._token)
        if exc is None:
            self._delay = _RETURNED
            return False
        if isinstance(exc, Exception):
            self._delay = self.fail(exc)
            return True  # handled: the failure is recorded
        self.crash(exc)
        return False

    # -- generator runs (the function yields; Prefect's generator flows and tasks) ----------
    def open_generator(self) -> Generator[Any, None, None]:
        """Call the generator function (no code of it runs yet)."""
        raise NotImplementedError

    def close_generator(self) -> None:
        """The generator run has ended (whatever the outcome)."""

    def enter_step(self) -> Any:
        """Set the run's context variables around one step of the generator; a token."""
        var = self._attempt_var
        return var.set(self.ctx) if var is not None else None

    def exit_step(self, token: Any) -> None:
        var = self._attempt_var
        if var is not None:
            var.reset(token)

    def iterate(self) -> Iterator[Any]:
        """Drive a generator run: each item is handed on as it is yielded, in the run's context.
        The run is RUNNING while the caller iterates and COMPLETED when the generator is
        exhausted (or closed early); an exception fails it and reaches the caller. Not retried:
        items already handed on cannot be taken back."""
        if not self.begin():
            return
        with _GeneratorRun(self) as (gen, step):
            while True:
                with step:
                    try:
                        item = next(gen)
                    except StopIteration:
                        break
                try:
                    yield item
                except GeneratorExit:
                    gen.close()
                    break

    async def aiterate(self) -> AsyncIterator[Any]:
        """:meth:`iterate` for an async generator function."""
        if not self.begin():
            return
        with _GeneratorRun(self) as (agen, step):
            while True:
                with step:
                    try:
                        item = await agen.__anext__()
                    except StopAsyncIteration:
                        break
                try:
                    yield item
                except GeneratorExit:
                    await agen.aclose()
                    break

    def _generator_failed(self, exc: BaseException) -> None:
        """A generator step raised: FAILED (no retry: items already went out), or CRASHED."""
        if not isinstance(exc, Exception):
            self.crash(exc)
        elif self.fail(exc) is not None:
            self.finish(Failed(f"{type(exc).__name__}: {exc}", data=exc))

    # -- the drivers ---------------------------------------------------------------------
    def run_sync(self) -> State:
        """Run to a final state on this thread."""
        if self.begin():
            while True:
                with self:
                    value = self.call_sync()
                delay = self.complete(value) if self._delay is _RETURNED else self._delay
                if delay is None:
                    break
                if delay:
                    time.sleep(delay)
                self.start_attempt()
        return self.state  # type: ignore[return-value]

    async def run_async(self) -> State:
        """Run to a final state in the running event loop."""
        if self.begin():
            while True:
                with self:
                    value = await self.call_async()
                delay = self.complete(value) if self._delay is _RETURNED else self._delay
                if delay is None:
                    break
                if delay:
                    await asyncio.sleep(delay)
                self.start_attempt()
        return self.state  # type: ignore[return-value]


class _GeneratorRun:
    """A generator run from the call of its function to its end: entering opens the generator
    (given with the context of one step); a clean exit completes the run; any exit closes it."""

    __slots__ = ("engine",)

    def __init__(self, engine: RunEngine) -> None:
        self.engine = engine

    def __enter__(self) -> tuple[Any, _GeneratorStep]:
        return self.engine.open_generator(), _GeneratorStep(self.engine)

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        try:
            if exc is None:
                self.engine.complete(None)
        finally:
            self.engine.close_generator()


class _GeneratorStep:
    """One step of a generator run: the run's context variables around it; a failure ends the run."""

    __slots__ = ("engine", "token")

    def __init__(self, engine: RunEngine) -> None:
        self.engine = engine
        self.token: Any = None

    def __enter__(self) -> None:
        self.token = self.engine.enter_step()

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self.engine.exit_step(self.token)
        if exc is not None:
            self.engine._generator_failed(exc)
