"""Transactions: a unit of work that commits its records together, or rolls back together.

A transaction with a ``key`` writes a record under that key in its result store when it
commits; one that finds the record at BEGIN is already committed (the work was done). Every task
run that takes part in a transaction (one opened around it, or its own when it has commit or
rollback hooks, a lock or a ``result_storage_key``) is a child transaction keyed by its cache
key: it STAGES its result, and the record is written, and the task's ``on_commit`` hooks run,
when the outermost transaction commits. A failure rolls the whole tree back instead: the
``on_rollback`` hooks run, newest first, and nothing is written.

``commit_mode``: LAZY (the default) leaves committing to the outermost transaction, EAGER
commits each one as it exits, OFF never commits (its staged work is rolled back at the end).
``isolation_level`` SERIALIZABLE locks the key, through the store's lock manager, from BEGIN to
commit or rollback, so concurrent runs with the same key do the work once.
"""

from __future__ import annotations

import asyncio
import copy
import enum
import inspect
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar, Token
from typing import Any

from ..core.errors import ConfigurationError, ResultPersistenceError

__all__ = [
    "CommitMode",
    "IsolationLevel",
    "StagedResult",
    "Transaction",
    "TransactionState",
    "atransaction",
    "current_transaction",
    "get_transaction",
    "transaction",
    "transaction_store",
]


class _NamedEnum(str, enum.Enum):
    """An enum whose values are its names (``IsolationLevel("SERIALIZABLE")`` works)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}.{self.value}"


class IsolationLevel(_NamedEnum):
    READ_COMMITTED = "READ_COMMITTED"
    SERIALIZABLE = "SERIALIZABLE"


class CommitMode(_NamedEnum):
    EAGER = "EAGER"
    LAZY = "LAZY"
    OFF = "OFF"


class TransactionState(_NamedEnum):
    PENDING = "PENDING"
    ACTIVE = "ACTIVE"
    STAGED = "STAGED"
    COMMITTED = "COMMITTED"
    ROLLED_BACK = "ROLLED_BACK"


_FINAL = (TransactionState.COMMITTED, TransactionState.ROLLED_BACK)
_UNSET: Any = object()

#: The innermost open transaction of this context (a task run's own, or the user's).
current_transaction: ContextVar[Transaction | None] = ContextVar("orchestr_lab_transaction", default=None)


class StagedResult:
    """A task run's result as its transaction stages it: already serialized (so a value that
    cannot be stored fails the task run, not the commit), written at commit."""

    __slots__ = ("expiration", "payload", "value")

    def __init__(self, value: Any, payload: bytes, expiration: float | None) -> None:
        self.value = value
        self.payload = payload
        self.expiration = expiration


def _default_logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """The current run's logger (so hook messages land in the run's logs), else a plain one."""
    from .context import flow_run_var, task_run_var

    ctx: Any = task_run_var.get() or flow_run_var.get()
    if ctx is None:
        return logging.getLogger("orchestr_lab.transactions")
    from .run_logging import logger_for

    return logger_for(ctx)


class Transaction:
    """One transaction; use it as a context manager (or through :func:`transaction`)."""

    def __init__(
        self,
        key: str | None = None,
        store: Any = None,
        commit_mode: CommitMode | None = None,
        isolation_level: IsolationLevel | str | None = None,
        overwrite: bool = False,
        write_on_commit: bool = True,
        logger: Any = None,
    ) -> None:
        self.key = key
        self.store = store
        self.commit_mode = commit_mode
        self.isolation_level = None if isolation_level is None else IsolationLevel(isolation_level)
        self.overwrite = overwrite
        self.write_on_commit = write_on_commit
        self.logger = logger if logger is not None else logging.getLogger("orchestr_lab.transactions")
        self.state = TransactionState.PENDING
        self.children: list[Transaction] = []
        self.on_commit_hooks: list[Callable[[Transaction], Any]] = []
        self.on_rollback_hooks: list[Callable[[Transaction], Any]] = []
        self._stored_values: dict[str, Any] = {}
        self._staged_value: Any = None
        self._holder = uuid.uuid4().hex
        self._parent: Transaction | None = None
        self._token: Token[Transaction | None] | None = None

    def renewed(self) -> Transaction:
        """A new transaction with this one's settings (a retried task run's next attempt)."""
        return Transaction(
            key=self.key,
            store=self.store,
            commit_mode=self.commit_mode,
            isolation_level=self.isolation_level,
            overwrite=self.overwrite,
            write_on_commit=self.write_on_commit,
            logger=self.logger,
        )

    # -- values shared within the transaction ----------------------------------------------
    def set(self, name: str, value: Any) -> None:
        """Keep ``value`` under ``name`` for this transaction, its children and its hooks."""
        self._stored_values[name] = value

    def get(self, name: str, default: Any = _UNSET) -> Any:
        """A copy of the value set under ``name`` here or in a parent transaction (a change to the
        copy is kept only by calling :meth:`set`); ``default`` or ValueError when none was set."""
        if name in self._stored_values:
            return copy.deepcopy(self._stored_values[name])
        parent = self.get_parent()
        if parent is not None:
            return parent.get(name, default)
        if default is not _UNSET:
            return default
        raise ValueError(f"Could not retrieve value for unknown key: {name}")

    # -- where it stands -----------------------------------------------------------------
    def is_committed(self) -> bool:
        return self.state is TransactionState.COMMITTED

    def is_rolled_back(self) -> bool:
        return self.state is TransactionState.ROLLED_BACK

    def is_staged(self) -> bool:
        return self.state is TransactionState.STAGED

    def is_pending(self) -> bool:
        return self.state is TransactionState.PENDING

    def is_active(self) -> bool:
        return self.state is TransactionState.ACTIVE

    def get_parent(self) -> Transaction | None:
        """The transaction this one was opened in (None for an outermost one)."""
        return self._parent if self._token is not None or self._parent is not None else current_transaction.get()

    def add_child(self, child: Transaction) -> None:
        self.children.append(child)

    @classmethod
    def get_active(cls) -> Transaction | None:
        return current_transaction.get()

    # -- the lifecycle: BEGIN, STAGE, COMMIT or ROLLBACK -------------------------------------
    def __enter__(self) -> Transaction:
        if self._token is not None:
            raise RuntimeError("Context already entered. Context enter calls cannot be nested.")
        parent = current_transaction.get()
        if self.commit_mode is None:
            self.commit_mode = parent.commit_mode if parent is not None else CommitMode.LAZY
        level = self.isolation_level
        if level is None:
            level = (parent.isolation_level if parent is not None else None) or IsolationLevel.READ_COMMITTED
            self.isolation_level = level
        if self.store is not None and self.key and not self.store.supports_isolation_level(level):
            raise ConfigurationError(
                f"Isolation level {level.name} is not supported by provided configuration. "
                "Please ensure you've provided a lock file directory or lock manager when using the "
                "SERIALIZABLE isolation level."
            )
        self.state = TransactionState.ACTIVE
        self.begin()
        self._parent = parent
        self._token = current_transaction.set(self)
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        self.end(failed=exc_type is not None)

    def begin(self) -> None:
        """Lock the key (SERIALIZABLE), then look its record up: found means already committed."""
        store = self._locking_store()
        if store is not None:
            self.logger.debug("Acquiring lock for transaction %r", self.key)
            store.acquire_lock(self.key, self._holder)
        if not self.overwrite and self.store is not None and self.key and self.store.exists(self.key):
            self.state = TransactionState.COMMITTED

    def end(self, *, failed: bool) -> None:
        """Leave the transaction: roll back after a failure; otherwise commit now (EAGER), leave
        it to the parent, or, for the outermost one, commit (LAZY) or roll back (OFF)."""
        if self._token is None:
            raise RuntimeError("Asymmetric use of context. Context exit called without an enter.")
        if failed:
            self.rollback()
        else:
            if self.commit_mode is CommitMode.EAGER:
                self.commit()
            if self._parent is None:
                if self.commit_mode is CommitMode.OFF:
                    self.rollback()
                elif self.commit_mode is CommitMode.LAZY:
                    self.commit()
        self._reset()

    def _reset(self) -> None:
        parent = self._parent
        if parent is not None:
            parent.add_child(self)  # the parent now answers for this one's commit or rollback
        if self._token is not None:
            try:
                current_transaction.reset(self._token)
            except ValueError:
                pass  # opened in a copy of this context (an awaited task's own), gone with it
            self._token = None
        if parent is not None and self.state is TransactionState.ROLLED_BACK:
            parent.rollback()

    def stage(
        self,
        value: Any,
        on_rollback_hooks: list[Callable[..., Any]] | None = None,
        on_commit_hooks: list[Callable[..., Any]] | None = None,
    ) -> None:
        """Hold ``value`` to be written at commit, with hooks to run at commit or rollback."""
        if self.state is not TransactionState.COMMITTED:
            self._staged_value = value
            self.on_rollback_hooks += on_rollback_hooks or []
            self.on_commit_hooks += on_commit_hooks or []
            self.state = TransactionState.STAGED

    def read(self) -> Any:
        """The committed record under the key (``.result`` is the value), or None."""
        if self.store is None or not self.key:
            return None
        if self._locking_store() is not None and not self.store.is_lock_holder(self.key, self._holder):
            self.store.wait_for_lock(self.key)
        return self.store.read_record(self.key)

    def commit(self) -> bool:
        """Commit the children, run the commit hooks, write the staged record. False when already
        final, or when a hook or the write failed (the transaction is then rolled back)."""
        if self.state in _FINAL:
            self._release_lock()
            return False
        try:
            for child in self.children:
                child.commit()
            for hook in self.on_commit_hooks:
                self.run_hook(hook, "commit")
            if self.store is not None and self.key and self.write_on_commit:
                self._write_staged()
            self.state = TransactionState.COMMITTED
            self._release_lock()
            return True
        except ResultPersistenceError as exc:
            self.logger.warning(
                "Encountered an error while serializing result for transaction %r: %s Code execution will "
                "continue, but the transaction will not be committed.",
                self.key,
                exc,
            )
        except Exception:
            self.logger.exception("An error was encountered while committing transaction %r", self.key)
        self.rollback()
        return False

    def _write_staged(self) -> None:
        staged = self._staged_value
        if isinstance(staged, StagedResult):
            self.store.write(self.key, staged.payload, expiration=staged.expiration)
        else:
            self.store.write_value(self.key, staged)

    def rollback(self) -> bool:
        """Run the rollback hooks (newest first), then roll the children back (newest first).
        False when already final or when a hook failed."""
        if self.state in _FINAL:
            self._release_lock()
            return False
        try:
            for hook in reversed(self.on_rollback_hooks):
                self.run_hook(hook, "rollback")
            self.state = TransactionState.ROLLED_BACK
            for child in reversed(self.children):
                child.rollback()
            return True
        except Exception:
            self.logger.exception("An error was encountered while rolling back transaction %r", self.key)
            return False
        finally:
            self._release_lock()

    def run_hook(self, hook: Callable[..., Any], kind: str) -> None:
        """Call ``hook(self)`` (an async hook is run to its end), logging its start and end."""
        name = getattr(hook, "__name__", None) or repr(hook)
        loud = getattr(hook, "log_on_run", True)
        if loud:
            self.logger.info("Running %s hook %r", kind, name)
        try:
            if inspect.iscoroutinefunction(hook):
                from .drive import run_coro_sync

                run_coro_sync(lambda: hook(self))
            else:
                hook(self)
        except Exception:
            if loud:
                self.logger.error("An error was encountered while running %s hook %r", kind, name)
            raise
        if loud:
            self.logger.info("%s hook %r finished running successfully", kind.capitalize(), name)

    # -- locking -------------------------------------------------------------------------
    def _locking_store(self) -> Any:
        """The store when this transaction locks its key (SERIALIZABLE, a key, a lock manager)."""
        store = self.store
        if (
            store is not None
            and self.key
            and self.isolation_level is IsolationLevel.SERIALIZABLE
            and store.lock_manager is not None
        ):
            return store
        return None

    def _release_lock(self) -> None:
        store = self._locking_store()
        if store is not None and store.is_lock_holder(self.key, self._holder):
            self.logger.debug("Releasing lock for transaction %r", self.key)
            store.release_lock(self.key, self._holder)

    def __repr__(self) -> str:
        return f"Transaction(key={self.key!r}, state={self.state.name})"


def transaction_store(store: Any, policy: Any) -> Any:
    """Where a task run's transaction keeps its record: the policy's ``key_storage`` or the
    task's store, locked through the policy's lock manager, else the enclosing transaction's."""
    if policy.key_storage is not None:
        from .results import get_result_store

        store = get_result_store(policy.key_storage)
    lock_manager = policy.lock_manager
    if lock_manager is None:
        parent = current_transaction.get()
        if parent is not None and parent.store is not None:
            lock_manager = parent.store.lock_manager
    return store if lock_manager is None else store.with_lock_manager(lock_manager)


def get_transaction() -> Transaction | None:
    """The innermost open transaction, or None. Inside a task run that has none (no transaction
    around it, no hooks that need one), the run's own is opened now: a task run is always in one,
    as in Prefect, but plain runs pay for it only when they ask."""
    txn = current_transaction.get()
    if txn is not None:
        return txn
    from .context import task_run_var

    ctx = task_run_var.get()
    if ctx is None:
        return None
    if ctx.transaction is None:
        ctx.transaction = _open_for_task_run(ctx)
    own: Transaction = ctx.transaction
    return own


def _open_for_task_run(ctx: Any) -> Transaction:
    """The transaction a running task run would have had: keyed by its cache key, committed
    (its result written when the run persists results) when the run completes."""
    task, fctx = ctx.task, ctx.flow_run
    persist = task.persist_result
    if persist is None:
        persist = task.caching_requested or (fctx.persist_result if fctx is not None else None) or False
    policy = task.effective_cache_policy if task.persist_result is not False else None
    key = None if policy is None else policy.compute_key(ctx, ctx.parameters, fctx.parameters if fctx else {})
    txn = Transaction(
        key=key,
        store=None if key is None else transaction_store(task.result_store(), policy),
        overwrite=True,  # the run is under way: a record found now must not stop its commit
        write_on_commit=persist,
        logger=_default_logger(),
    )
    txn.__enter__()
    return txn


def _new(options: dict[str, Any]) -> Transaction:
    """The transaction :func:`transaction`/:func:`atransaction` open, from their arguments: a
    keyed one without a store uses the default result store, and it logs to the current run."""
    if options["key"] and options["store"] is None:
        from .results import get_result_store

        options["store"] = get_result_store()
    if options["logger"] is None:
        options["logger"] = _default_logger()
    return Transaction(**options)


@contextmanager
def transaction(
    key: str | None = None,
    store: Any = None,
    commit_mode: CommitMode | None = None,
    isolation_level: IsolationLevel | str | None = None,
    overwrite: bool = False,
    write_on_commit: bool = True,
    logger: Any = None,
) -> Iterator[Transaction]:
    """Open a transaction. With a ``key``, its record is written to ``store`` (the default result
    store when None) on commit, and a later transaction with the key finds it committed."""
    with _new(locals()) as txn:
        yield txn


@asynccontextmanager
async def atransaction(
    key: str | None = None,
    store: Any = None,
    commit_mode: CommitMode | None = None,
    isolation_level: IsolationLevel | str | None = None,
    overwrite: bool = False,
    write_on_commit: bool = True,
    logger: Any = None,
) -> AsyncIterator[Transaction]:
    """:func:`transaction` for ``async with``: waiting for a SERIALIZABLE lock happens on a worker
    thread, so the event loop (and whoever holds the lock in it) keeps running."""
    txn = _new(locals())
    parent = current_transaction.get()
    level = txn.isolation_level or (parent.isolation_level if parent is not None else None)
    if txn.key and txn.store is not None and level is IsolationLevel.SERIALIZABLE and txn.store.lock_manager:
        await asyncio.to_thread(txn.store.acquire_lock, txn.key, txn._holder)  # BEGIN then finds it held
    with txn:
        yield txn
