"""Running one task run: inputs, cache, attempts, retries, timeout, result, hooks, states.

:class:`TaskRunEngine` is a :class:`~.base.RunEngine`: the attempt loop (``run_sync`` /
``run_async``) and the attempt context are shared with the flow engine; this module says what a
task's attempt does (``call_sync`` / ``call_async``) and what its outcome means. Each state change
goes through :meth:`TaskRunEngine.set_state`, which applies the rule book and queues the write.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..core.errors import ResultPersistenceError, TaskRunTimeout
from ..core.states import (
    AwaitingRetry,
    Cached,
    Completed,
    Failed,
    Pending,
    State,
    StateType,
    TimedOut,
    check_transition,
)
from ..core.wire import StateOp, TaskRunOp
from .base import RunEngine
from .context import FlowRunContext, TaskRunContext, flow_run_var, tags_var, task_run_var
from .ids import new_id
from .observers import LISTENERS, notify_task
from .parameters import arguments_for
from .retries import retry_delay_for
from .timeouts import time_limit, within
from .transactions import (
    StagedResult,
    Transaction,
    TransactionState,
    current_transaction,
    transaction_store,
)

if TYPE_CHECKING:
    from .recorder import Recorder

__all__ = ["TaskRunEngine"]


class TaskRunEngine(RunEngine):
    """One task run from creation to its final state."""

    __slots__ = (
        "task",
        "parameters",
        "id",
        "name",
        "flow_ctx",
        "recorder",
        "state",
        "run_count",
        "wait_for",
        "ctx",
        "cache_key",
        "result_key",
        "isasync",
        "_persist",
        "_logger",
        "_token",
        "_delay",
        "_running_hooks",
    )

    _attempt_var = task_run_var
    _owner = "task"

    def __init__(
        self,
        task: Any,
        parameters: dict[str, Any],
        *,
        wait_for: Any = None,
        task_run_id: str | None = None,
        flow_ctx: FlowRunContext | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.task = task
        self._running_hooks = task.on_running_hooks
        self.isasync = task.isasync
        self.parameters = parameters
        self.wait_for = wait_for
        self.flow_ctx = flow_ctx if flow_ctx is not None else flow_run_var.get()
        if recorder is None:
            if self.flow_ctx is not None:
                recorder = self.flow_ctx.recorder
            else:
                from .recorder import get_recorder

                recorder = get_recorder()
        self.recorder = recorder
        self.id = task_run_id or new_id()
        self.state: State | None = None
        self.run_count = 0
        self.cache_key: str | None = None
        self.result_key: str | None = None
        self._logger: Any = None
        fctx = self.flow_ctx
        dynamic_key = fctx.next_dynamic_key(task.task_key) if fctx is not None else 0
        if task.task_run_name is not None:
            from .parameters import render_run_name

            self.name = render_run_name(task.task_run_name, parameters, what="task_run_name")
        elif fctx is None:
            self.name = task.name  # a lone task run needs no counter (Prefect names it so too)
        else:
            self.name = f"{task.name}-{dynamic_key}"
        persist = task.persist_result
        if persist is None:
            persist = task.caching_requested or (fctx.persist_result if fctx is not None else None) or False
        self._persist = persist
        extra_tags = tags_var.get()
        run_tags = task.tags_list if not extra_tags else sorted(task.tags | extra_tags)
        log_prints = task.log_prints if task.log_prints is not None else bool(fctx and fctx.log_prints)
        if log_prints and fctx is None:
            from .run_logging import install_print_capture  # a lone task run: no flow installed it

            install_print_capture()
        self.ctx = TaskRunContext(
            id=self.id,
            name=self.name,
            task=task,
            task_name=task.name,
            flow_run=fctx,
            parameters=parameters,
            recorder=recorder,
            log_prints=log_prints,
            tags=task.tags_frozen if not extra_tags else task.tags_frozen | extra_tags,
        )
        recorder.put(
            TaskRunOp(
                {
                    "id": self.id,
                    "name": self.name,
                    "flow_run_id": fctx.id if fctx is not None else None,
                    "task_key": task.task_key,
                    "dynamic_key": str(dynamic_key),
                    "tags": run_tags,
                    "cache_key": None,
                    "created": time.time(),
                },
            )
        )
        self.set_state(Pending())

    # -- the one place a task run changes state ----------------------------------------
    def set_state(self, state: State, **fields: Any) -> State:
        check_transition(self.state, state)
        self.state = state
        self.ctx.state = state
        self.recorder.put(StateOp("task", self.id, state, fields))
        if LISTENERS:
            notify_task(self, state)
        return state

    # -- decisions shared by both drivers ----------------------------------------------
    def begin(self) -> bool:
        """Resolve inputs, try the cache, enter RUNNING. False when there is nothing to run."""
        fctx = self.flow_ctx
        if self.task.tracks_assets or (fctx is not None and fctx.assets is not None):
            from .assets import begin_assets

            self.ctx.assets = begin_assets(self)
        parameters = self.upstream_ready(self.parameters)
        if parameters is None:
            return False
        self.parameters = self.ctx.parameters = parameters
        if self.task.transactional or current_transaction.get() is not None:
            return self._begin_transaction()
        policy = self.task.effective_cache_policy if self._persist else None
        if policy is not None:
            flow_params = self.flow_ctx.parameters if self.flow_ctx is not None else {}
            self.cache_key = policy.compute_key(self.ctx, self.parameters, flow_params)
            if self.cache_key is not None and not self.task.refresh_cache:
                store = self.task.result_store()
                value = store.read(self.cache_key)
                if value is not store.MISSING:
                    self.result_key = self.cache_key
                    self.set_state(Cached(data=value), cache_key=self.cache_key, result_key=self.cache_key)
                    return False
        self.start_attempt()
        return True

    def complete(self, value: Any) -> None:
        """The task returned ``value``: COMPLETED (its result persisted when asked), or the
        returned State. Never a retry (returns None)."""
        if self.ctx.transaction is not None:
            return self._complete_in_transaction(value)
        if isinstance(value, State):
            self.finish(value)
            return None
        fields: dict[str, Any] = {}
        if self._persist:
            store = self.task.result_store()
            try:
                payload = store.dumps(value, what=f"task run {self.name!r}")
            except ResultPersistenceError as exc:
                self.finish(Failed(str(exc), data=exc))
                return None
            key = self.cache_key or store.new_key()
            expiration = self.task.cache_expiration_seconds
            store.write(key, payload, expiration=time.time() + expiration if expiration else None)
            self.result_key = fields["result_key"] = key
            if self.cache_key:
                fields["cache_key"] = self.cache_key
            if not self.task.cache_result_in_memory:
                value = store.loader(key)  # read back from storage when asked, not kept here
        self.finish(Completed(data=value), **fields)
        return None

    def fail(self, exc: BaseException) -> float | None:
        """Record a failed attempt. Returns the delay before the next attempt, or None if final."""
        task = self.task
        if isinstance(exc, TaskRunTimeout):
            failed = TimedOut(str(exc), data=exc)
        else:
            failed = Failed(f"Task run encountered an exception {type(exc).__name__}: {exc}", data=exc)
        retries_left = self.run_count <= task.retries
        if retries_left and self._should_retry(failed):
            delay = retry_delay_for(task.retry_delay, self.run_count, task.retry_jitter_factor)
            self.logger.warning(
                "Task run failed with exception: %r - Retry %s/%s will start %s",
                exc,
                self.run_count,
                task.retries,
                f"{delay:g} second(s) from now" if delay else "immediately",
            )
            if delay > 0:
                self.set_state(AwaitingRetry(str(failed.message), scheduled_time=time.time() + delay))
            if self.ctx.transaction is not None:
                self._retry_transaction()
            return delay
        if task.retries:
            why = "Retries are exhausted" if not retries_left else "retry_condition_fn declined a retry"
            self.logger.error("Task run failed with exception: %r - %s", exc, why, exc_info=exc)
        else:
            self.logger.error("Task run failed with exception: %r", exc, exc_info=exc)
        self.finish(failed)
        return None

    def _should_retry(self, failed: State) -> bool:
        condition = self.task.retry_condition_fn
        if condition is None:
            return True
        try:
            return bool(condition(self.task, self.ctx, failed))
        except Exception as hook_exc:
            self.logger.error("retry_condition_fn raised %r; not retrying", hook_exc)
            return False

    def finish(self, state: State, **fields: Any) -> None:
        fields["end_time"] = state.timestamp
        self.set_state(state, **fields)
        if self.ctx.transaction is not None:
            self._end_transaction(state)
        if self.flow_ctx is None:
            self.recorder.flush()  # no flow run will flush this one
        if self.ctx.assets is not None:
            from .assets import finish_assets

            finish_assets(self, self.ctx.assets, state)
        hooks = (
            self.task.on_completion_hooks
            if state.type is StateType.COMPLETED
            else (self.task.on_failure_hooks if state.type is StateType.FAILED else ())
        )
        if hooks:
            self.run_hooks(hooks, self.task, state)

    def done(self) -> bool:
        state = self.state
        return state is not None and (state.type in (StateType.COMPLETED, StateType.FAILED) or state.name == "NotReady")

    # -- transactions (only runs in one, or with commit/rollback hooks or locks) ----------
    def _begin_transaction(self) -> bool:
        """:meth:`begin` for a run that takes part in a transaction: open the run's own (a child
        of the current one), keyed by its cache key; a committed record is a cache hit."""
        task = self.task
        policy = task.effective_cache_policy if task.persist_result is not False else None
        key = None
        if policy is not None:
            flow_params = self.flow_ctx.parameters if self.flow_ctx is not None else {}
            key = policy.compute_key(self.ctx, self.parameters, flow_params)
        txn = Transaction(
            key=key,
            store=None if key is None else transaction_store(task.result_store(), policy),
            isolation_level=None if policy is None else policy.isolation_level,
            overwrite=task.refresh_cache,
            write_on_commit=self._persist,
            logger=self.logger,
        )
        try:
            txn.__enter__()
        except Exception as exc:  # e.g. SERIALIZABLE without a lock manager: the run fails
            self.start_attempt()
            self.logger.error("Task run failed with exception: %r", exc, exc_info=exc)
            self.finish(Failed(f"Task run encountered an exception {type(exc).__name__}: {exc}", data=exc))
            return False
        self.ctx.transaction = txn
        self.cache_key = key
        if txn.is_committed():
            record = txn.read()
            if record is not None:
                self.result_key = key
                self.set_state(Cached(data=record.result), cache_key=key, result_key=key)
                self._end_transaction(self.state)  # type: ignore[arg-type]  # just set
                return False
            txn.state = TransactionState.ACTIVE  # the record went away since BEGIN: run
        self.start_attempt()
        return True

    def _complete_in_transaction(self, value: Any) -> None:
        """:meth:`complete` in a transaction: stage the result with the task's hooks; the record
        is written when the transaction commits."""
        task = self.task
        txn: Transaction = self.ctx.transaction
        if isinstance(value, State):
            if value.type is not StateType.FAILED:
                txn.stage(value.data, on_rollback_hooks=task.on_rollback_hooks, on_commit_hooks=task.on_commit_hooks)
            self.finish(value)
            return None
        fields: dict[str, Any] = {}
        staged: Any = value
        if self._persist:
            store = txn.store if txn.store is not None else task.result_store()
            try:
                payload = store.dumps(value, what=f"task run {self.name!r}")
            except ResultPersistenceError as exc:
                self.finish(Failed(str(exc), data=exc))
                return None
            expiration = task.cache_expiration_seconds
            expires_at = time.time() + expiration if expiration else None
            if self.cache_key:
                staged = StagedResult(value, payload, expires_at)
                fields["cache_key"] = self.cache_key
                self.result_key = self.cache_key
            else:
                self.result_key = store.new_key()
                store.write(self.result_key, payload, expiration=expires_at)
            fields["result_key"] = self.result_key
        txn.stage(staged, on_rollback_hooks=task.on_rollback_hooks, on_commit_hooks=task.on_commit_hooks)
        self.finish(Completed(data=value), **fields)
        return None

    def _retry_transaction(self) -> None:
        """A failed attempt rolls its transaction back (and the enclosing ones, as in Prefect);
        the next attempt runs in a new one."""
        txn: Transaction = self.ctx.transaction
        txn.end(failed=True)
        self.ctx.transaction = txn = txn.renewed()
        txn.__enter__()

    def _end_transaction(self, state: State) -> None:
        """Leave the run's transaction: a failed run rolls it (and its parents) back."""
        txn = self.ctx.transaction
        self.ctx.transaction = None
        if txn is not None:
            txn.end(failed=state.type is not StateType.COMPLETED)

    # -- one attempt -------------------------------------------------------------------
    def call_sync(self) -> Any:
        task = self.task
        timeout = task.timeout_seconds
        if timeout is None and task.fast_call:
            return task.fn(**self.parameters)  # the common case, kept to one call
        args, kwargs = arguments_for(task, self.parameters)
        fn = _all_items(task.fn) if task.isgenerator else task.fn
        if timeout is None:
            return fn(*args, **kwargs)
        with time_limit(timeout, TaskRunTimeout, f"Task run exceeded timeout of {timeout:g} second(s)"):
            return fn(*args, **kwargs)

    def open_generator(self) -> Any:
        args, kwargs = arguments_for(self.task, self.parameters)
        return self.task.fn(*args, **kwargs)

    async def call_async(self) -> Any:
        task = self.task
        args, kwargs = arguments_for(task, self.parameters)
        return await within(task.fn(*args, **kwargs), task.timeout_seconds, TaskRunTimeout, "Task run")


def _all_items(fn: Any) -> Any:
    """A generator function's items as one list: what a submitted generator task returns (only
    a direct call hands the generator itself back), as in Prefect."""

    def collect(*args: Any, **kwargs: Any) -> list[Any]:
        return list(fn(*args, **kwargs))

    return collect
