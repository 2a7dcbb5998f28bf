"""``@task``: Prefect 3's task options and methods over orchestr-lab's engine."""

from __future__ import annotations

import datetime as _dt
import inspect
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

from ..core.errors import MappingLengthMismatch
from ..engine.caching import DEFAULT, NONE, CacheKeyFnPolicy, CachePolicy, StorageKeyPolicy
from ..engine.context import flow_run_var
from ..engine.drive import run, run_blocking
from ..engine.futures import TaskRunFuture, TaskRunFutureList, unmapped
from ..engine.parameters import bind_parameters
from ..engine.retries import normalize_retry_delay
from ..engine.task_engine import TaskRunEngine
from . import visualize as _viz
from ._calls import fast_binder
from ._wrapped import RunOptions, WrappedFunction

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["Task", "task"]

P = ParamSpec("P")
R = TypeVar("R")

_NOT_SET: Any = object()
_default_runner: Any = None


def _default_task_runner() -> Any:
    global _default_runner
    if _default_runner is None:
        from ..engine.task_runners import ThreadPoolTaskRunner

        _default_runner = ThreadPoolTaskRunner()
    return _default_runner


class Task(WrappedFunction, Generic[P, R]):
    """A function whose calls are task runs: tracked states, retries, caching, results."""

    # transactions: ``on_commit``/``on_rollback`` hooks, each called with the task run's transaction
    HOOKS = (*WrappedFunction.HOOKS, "on_commit", "on_rollback")
    on_commit_hooks: list[Callable[..., Any]]
    on_rollback_hooks: list[Callable[..., Any]]

    #: Whether its runs make or read assets (the engine looks no further when not).
    tracks_assets = False

    def __init__(
        self,
        fn: Callable[P, R],
        name: str | None = None,
        description: str | None = None,
        tags: Iterable[str] | None = None,
        version: str | None = None,
        cache_policy: CachePolicy = _NOT_SET,
        cache_key_fn: Callable[[Any, dict[str, Any]], str | None] | None = None,
        cache_expiration: _dt.timedelta | float | None = None,
        task_run_name: str | Callable[..., str] | None = None,
        retries: int | None = None,
        retry_delay_seconds: Any = None,
        retry_jitter_factor: float | None = None,
        retry_condition_fn: Callable[..., bool] | None = None,
        persist_result: bool | None = None,
        result_storage: Any = None,
        timeout_seconds: float | None = None,
        log_prints: bool | None = None,
        refresh_cache: bool | None = None,
        on_completion: list[Callable[..., Any]] | None = None,
        on_failure: list[Callable[..., Any]] | None = None,
        # transactions
        result_storage_key: str | None = None,
        on_commit: list[Callable[..., Any]] | None = None,
        on_rollback: list[Callable[..., Any]] | None = None,
        on_running: list[Callable[..., Any]] | None = None,
        cache_result_in_memory: bool = True,
        viz_return_value: Any = None,
        asset_deps: list[Any] | None = None,
    ) -> None:
        self._wrap(fn, "task", locals())
        fn = self.fn
        self.name = name or fn.__name__
        self.description = description or inspect.getdoc(fn)
        self.tags = set(tags or ())
        self.tags_list = sorted(self.tags)
        self.tags_frozen = frozenset(self.tags)
        self.cache_result_in_memory = cache_result_in_memory
        self.viz_return_value = viz_return_value
        self._special_call = self.isasync or self.isgenerator  # one check on the common path
        # ``fn(**parameters)`` is the whole call (a generator's items are collected instead).
        self.fast_call = self.simple_signature and not self.isgenerator
        self.version = version
        self._bind = fast_binder(self.signature)
        self.task_key = f"{getattr(fn, '__module__', '')}.{getattr(fn, '__qualname__', self.name)}"
        if retries is not None and retries < 0:
            raise ValueError("retries must be >= 0")
        self.retries = retries or 0
        if retry_jitter_factor is not None and retry_jitter_factor < 0:
            raise ValueError("retry_jitter_factor must be >= 0")
        self.retry_jitter_factor = retry_jitter_factor
        self.retry_delay_seconds = normalize_retry_delay(retry_delay_seconds, self.retries)
        self.retry_delay = self.retry_delay_seconds
        self.retry_condition_fn = retry_condition_fn
        if timeout_seconds is not None and timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be > 0")
        self.timeout_seconds = timeout_seconds
        self.cache_key_fn = cache_key_fn
        self.cache_policy = DEFAULT if cache_policy is _NOT_SET else cache_policy
        if cache_key_fn is not None:
            self.effective_cache_policy: CachePolicy | None = CacheKeyFnPolicy(cache_key_fn)
        elif self.cache_policy is NONE or self.cache_policy is None:
            self.effective_cache_policy = None
        else:
            self.effective_cache_policy = self.cache_policy
        # Asking for a cache means asking for persisted results (a cache hit reads them back).
        self.caching_requested = cache_key_fn is not None or (
            cache_policy is not _NOT_SET and self.effective_cache_policy is not None
        )
        if isinstance(cache_expiration, _dt.timedelta):
            self.cache_expiration_seconds: float | None = cache_expiration.total_seconds()
        else:
            self.cache_expiration_seconds = cache_expiration
        self.cache_expiration = cache_expiration
        self.refresh_cache = bool(refresh_cache)
        self.task_run_name = task_run_name
        self.persist_result = persist_result
        self.result_storage = result_storage
        self.log_prints = log_prints
        self._configure_transactions(result_storage_key)
        if asset_deps:
            from .asset_model import as_assets

            self.asset_deps: list[Any] = as_assets(asset_deps)
            self.tracks_assets = True
        else:
            self.asset_deps = []
        self._take_identity()

    # -- transactions ------------------------------------------------------------------
    def _configure_transactions(self, result_storage_key: str | None) -> None:
        """``result_storage_key`` keys the result (and the cache) by its formatted template, in
        place of the cache policy, unless caching or persisting is turned off (Prefect's rule)."""
        self.result_storage_key = result_storage_key
        if result_storage_key is not None and self.cache_policy is not NONE and self.persist_result is not False:
            self.effective_cache_policy = StorageKeyPolicy(result_storage_key)
            self.caching_requested = True
        self._update_transactional()

    def _update_transactional(self) -> None:
        """Whether a run needs a transaction of its own (commit/rollback hooks, a policy that
        locks or stores its keys elsewhere); other runs take part only in one opened around them."""
        policy = self.effective_cache_policy
        self.transactional = bool(
            self.on_commit_hooks or self.on_rollback_hooks or (policy is not None and policy.locking)
        )

    def on_commit(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: call ``fn(transaction)`` when the task run's transaction commits."""
        self._add_hook("on_commit", fn)
        self._update_transactional()
        return fn

    def on_rollback(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        """Decorator: call ``fn(transaction)`` when the task run's transaction rolls back."""
        self._add_hook("on_rollback", fn)
        self._update_transactional()
        return fn

    def result_store(self) -> Any:
        from ..engine.results import get_result_store

        storage = self.result_storage
        if storage is not None and not isinstance(storage, (str, bytes)) and hasattr(storage, "directory"):
            return storage
        return get_result_store(storage)

    # -- calling -----------------------------------------------------------------------
    def _params(self, args: tuple, kwargs: dict) -> dict[str, Any]:
        if self._bound_to is not None:
            args = (self._bound_to, *args)
        params = self._bind(args, kwargs)
        if params is None:
            params = bind_parameters(self.fn, self.signature, args, kwargs)
        return params

    def __call__(self, *args: P.args, return_state: bool = False, wait_for: Any = None, **kwargs: P.kwargs) -> R:  # type: ignore[valid-type]  # Prefect's keyword options sit between *args and **kwargs
        """Run the task now and return its value (or its final State with ``return_state``)."""
        if _viz.current is not None:  # inside a visualization: a node, no run
            return self._viz_call(self._params(args, kwargs))
        engine = TaskRunEngine(self, self._params(args, kwargs), wait_for=wait_for)
        if self._special_call:
            if self.isgenerator:
                return engine.aiterate() if self.isasyncgen else engine.iterate()  # type: ignore[return-value]  # a generator task hands back a generator
            flow_ctx = engine.flow_ctx
            if flow_ctx is not None and not flow_ctx.flow.isasync:
                # an async task inside a sync flow runs to completion
                return run_blocking(engine, return_state=return_state)
        return run(engine, return_state=return_state)

    def submit(  # type: ignore[valid-type]  # Prefect's keyword options sit between *args and **kwargs
        self, *args: P.args, return_state: bool = False, wait_for: Any = None, **kwargs: P.kwargs
    ) -> TaskRunFuture[R]:
        """Run the task on the flow's task runner; returns a future at once.

        With ``return_state=True`` (Prefect's meaning) it waits for the run and returns its
        final State instead."""
        if _viz.current is not None:
            return self._viz_call(self._params(args, kwargs))
        future = self._submit(self._params(args, kwargs), wait_for)
        if return_state:
            future.wait()
            return future.state  # type: ignore[return-value]
        return future

    def _submit(self, params: dict[str, Any], wait_for: Any) -> TaskRunFuture[R]:
        flow_ctx = flow_run_var.get()
        runner = (
            flow_ctx.task_runner
            if flow_ctx is not None and flow_ctx.task_runner is not None
            else _default_task_runner()
        )
        engine = TaskRunEngine(self, params, wait_for=wait_for, flow_ctx=flow_ctx)
        return runner.submit_engine(engine)

    def delay(self, *args: P.args, **kwargs: P.kwargs) -> Any:
        """Prefect's background task run: stored SCHEDULED for a task worker serving this task
        (``orchestr_lab.task_worker.serve``, ``orchestr-lab task-worker``); returns a future
        whose ``result()`` waits for it (``sdk/background.py``)."""
        return self._background(self._params(args, kwargs))

    def apply_async(self, args: tuple[Any, ...] | None = None, kwargs: dict[str, Any] | None = None, **_: Any) -> Any:
        """:meth:`delay` with the arguments as a tuple and a dict (Prefect's fuller form; its
        ``wait_for``/``dependencies`` are accepted and not waited on)."""
        return self._background(self._params(tuple(args or ()), dict(kwargs or {})))

    def _background(self, params: dict[str, Any]) -> Any:
        from .background import delay

        return delay(self, params)

    def map(
        self, *args: Any, return_state: bool = False, wait_for: Any = None, deferred: bool = False, **kwargs: Any
    ) -> TaskRunFutureList:
        """Submit one task run per element of the iterable arguments (``unmapped`` ones stay whole).

        With ``return_state=True`` (Prefect's meaning) it waits for every run and returns the list
        of their final States. ``deferred=True`` makes each a background task run (:meth:`delay`)."""
        if _viz.current is not None:
            raise _viz.VisualizationUnsupportedError("`task.map()` cannot be shown by `flow.visualize()`")
        params = bind_parameters(self.fn, self.signature, self._with_bound(args), kwargs)
        mapped: dict[str, list[Any]] = {}
        for name, value in params.items():
            if isinstance(value, unmapped) or not _is_iterable(value):
                continue
            mapped[name] = list(value)
        if not mapped:
            raise MappingLengthMismatch(
                "No iterable parameters were received. Parameters for map must include at least one iterable."
            )
        lengths = {len(v) for v in mapped.values()}
        if len(lengths) > 1:
            detail = ", ".join(f"{k}: {len(v)}" for k, v in mapped.items())
            raise MappingLengthMismatch(f"Received iterable parameters with different lengths ({detail}).")
        n = lengths.pop()
        static = {k: (v.value if isinstance(v, unmapped) else v) for k, v in params.items() if k not in mapped}
        futures = TaskRunFutureList()
        for i in range(n):
            call = dict(static)
            for k, values in mapped.items():
                call[k] = values[i]
            futures.append(self._background(call) if deferred else self._submit(call, wait_for))
        if return_state:
            futures.wait()
            return [f.state for f in futures]  # type: ignore[return-value]
        return futures

    def _viz_call(self, params: dict[str, Any]) -> Any:
        tracker = _viz.current
        assert tracker is not None
        return _viz.call_recorded(tracker, self.name, params, self.viz_return_value, self.isasync)

    def __repr__(self) -> str:
        return f"Task(name={self.name!r})"


def _is_iterable(value: Any) -> bool:
    if isinstance(value, (str, bytes, bytearray, dict)):
        return False
    try:
        iter(value)
    except TypeError:
        return False
    return not hasattr(value, "read")


class TaskOptions(RunOptions, total=False):
    """The keyword options of ``@task(...)``, beyond :class:`~._wrapped.RunOptions` (for type checkers)."""

    cache_policy: CachePolicy
    cache_key_fn: Callable[[Any, dict[str, Any]], str | None] | None
    cache_expiration: _dt.timedelta | float | None
    task_run_name: str | Callable[..., str] | None
    retry_delay_seconds: Any
    retry_jitter_factor: float | None
    retry_condition_fn: Callable[..., bool] | None
    refresh_cache: bool | None
    result_storage_key: str | None
    on_commit: list[Callable[..., Any]] | None
    on_rollback: list[Callable[..., Any]] | None
    viz_return_value: Any
    asset_deps: list[Any] | None


@overload
def task(__fn: Callable[P, R]) -> Task[P, R]: ...


@overload
def task(__fn: None = None, **options: Unpack[TaskOptions]) -> Callable[[Callable[P, R]], Task[P, R]]: ...


def task(__fn: Any = None, **options: Any) -> Any:
    """Make a function a task: ``@task`` or ``@task(retries=2, ...)``."""
    if __fn is not None:
        return Task(__fn, **options)
    return lambda fn: Task(fn, **options)
