"""Futures for submitted task runs, Prefect-style: ``.result()``, ``.wait()``, ``.state``."""

from __future__ import annotations

import concurrent.futures as cf
from collections import namedtuple
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Generic, TypeVar

from ..core.states import Pending, State

__all__ = [
    "BaseAnnotation",
    "TaskRunFuture",
    "TaskRunFutureList",
    "allow_failure",
    "as_completed",
    "has_future",
    "map_futures",
    "quote",
    "resolve_futures",
    "unmapped",
    "visit_futures",
    "wait",
]

R = TypeVar("R")


class TaskRunFuture(Generic[R]):
    """The eventual final state of one task run."""

    __slots__ = ("task_run_id", "_future", "_handle")

    def __init__(self, task_run_id: str, future: cf.Future[State], handle: Any = None) -> None:
        self.task_run_id = task_run_id
        self._future = future
        self._handle = handle  # the running engine, for the live state

    @property
    def state(self) -> State:
        if self._future.done() and not self._future.cancelled() and self._future.exception() is None:
            return self._future.result()
        live = getattr(self._handle, "state", None)
        return live if live is not None else Pending()

    def wait(self, timeout: float | None = None) -> None:
        cf.wait([self._future], timeout=timeout)

    def done(self) -> bool:
        return self._future.done()

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> R:
        """The task's return value; raises its exception if it failed (unless told not to)."""
        state = self._future.result(timeout=timeout)
        value: R = state.result(raise_on_failure=raise_on_failure)
        return value

    def add_done_callback(self, fn: Callable[[TaskRunFuture[R]], None]) -> None:
        self._future.add_done_callback(lambda _f: fn(self))

    def __repr__(self) -> str:
        return f"TaskRunFuture(task_run_id={self.task_run_id!r}, state={self.state!r})"


class TaskRunFutureList(list):  # type: ignore[type-arg]
    """What ``.map`` returns: a list of futures that can be waited on or resolved together."""

    def wait(self, timeout: float | None = None) -> None:
        cf.wait([f._future for f in self], timeout=timeout)

    def result(self, timeout: float | None = None, raise_on_failure: bool = True) -> list[Any]:
        return [f.result(timeout=timeout, raise_on_failure=raise_on_failure) for f in self]


DoneAndNotDoneFutures = namedtuple("DoneAndNotDoneFutures", "done not_done")


def wait(futures: Iterable[TaskRunFuture[Any]], timeout: float | None = None) -> DoneAndNotDoneFutures:
    futures = list(futures)
    by_cf = {f._future: f for f in futures}
    done, not_done = cf.wait(list(by_cf), timeout=timeout)
    return DoneAndNotDoneFutures({by_cf[d] for d in done}, {by_cf[n] for n in not_done})


def as_completed(futures: Iterable[TaskRunFuture[Any]], timeout: float | None = None) -> Iterator[TaskRunFuture[Any]]:
    by_cf = {f._future: f for f in futures}
    for done in cf.as_completed(list(by_cf), timeout=timeout):
        yield by_cf[done]


class BaseAnnotation:
    """A wrapper around a task argument that changes how the engine treats it (Prefect's
    ``prefect.utilities.annotations``); the task itself receives the wrapped value."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def unwrap(self) -> Any:
        return self.value

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.value == self.value

    def __hash__(self) -> int:
        return hash((type(self), id(self.value)))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.value!r})"


class unmapped(BaseAnnotation):
    """Wrap an argument of ``.map`` so that every mapped call receives it whole."""

    __slots__ = ()

    def __getitem__(self, _index: int) -> Any:
        return self.value


class allow_failure(BaseAnnotation):
    """Wrap an upstream future (or state) so that the downstream run goes ahead when it failed:
    the downstream receives the upstream's exception instead of its value."""

    __slots__ = ()


class quote(BaseAnnotation):
    """Wrap an argument so that it is passed as is: futures and states inside it are not
    waited for or resolved (and a large collection is not walked)."""

    __slots__ = ()


def has_future(value: Any, depth: int = 0) -> bool:
    """True when ``value`` is, or holds (in plain collections, three levels deep), a future or a state."""
    if isinstance(value, (TaskRunFuture, State, BaseAnnotation)):
        return True
    if depth < 3 and isinstance(value, (list, tuple, set, frozenset)):
        return any(has_future(v, depth + 1) for v in value)
    if depth < 3 and isinstance(value, dict):
        return any(has_future(v, depth + 1) for v in value.values())
    return False


def visit_futures(
    value: Any,
    on_future: Callable[[TaskRunFuture[Any]], Any],
    on_state: Callable[[State], Any] | None = None,
    depth: int = 0,
) -> Any:
    """``value`` with each future inside it (and in plain collections, three levels deep)
    replaced by ``on_future(future)``, and each state by ``on_state(state)`` when given."""
    if isinstance(value, TaskRunFuture):
        return on_future(value)
    if isinstance(value, State):
        return on_state(value) if on_state is not None else value
    if isinstance(value, BaseAnnotation):
        return _visit_annotation(value, on_future, on_state, depth)
    if depth >= 3:
        return value
    depth += 1
    if isinstance(value, list):
        return [visit_futures(v, on_future, on_state, depth) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(visit_futures(v, on_future, on_state, depth) for v in value)
    if isinstance(value, (set, frozenset)):
        return type(value)(visit_futures(v, on_future, on_state, depth) for v in value)
    if isinstance(value, dict):
        return {k: visit_futures(v, on_future, on_state, depth) for k, v in value.items()}
    return value


def _tolerant_value(state: State) -> Any:
    """What an ``allow_failure`` upstream hands on: its value, or its exception when it failed."""
    return state.result(raise_on_failure=False)


def _tolerant_future(future: TaskRunFuture[Any]) -> Any:
    future.wait()
    return _tolerant_value(future.state)


def _visit_annotation(
    value: BaseAnnotation,
    on_future: Callable[[TaskRunFuture[Any]], Any],
    on_state: Callable[[State], Any] | None,
    depth: int,
) -> Any:
    """A quoted value is passed untouched; an ``allow_failure`` one is resolved without raising
    when it resolves upstream runs (``on_state`` given), else like any value."""
    if isinstance(value, allow_failure):
        if on_state is not None:
            return visit_futures(value.value, _tolerant_future, _tolerant_value, depth)
        return visit_futures(value.value, on_future, on_state, depth)
    return value.value


def map_futures(
    params: dict[str, Any],
    on_future: Callable[[TaskRunFuture[Any]], Any],
    on_state: Callable[[State], Any] | None = None,
) -> dict[str, Any]:
    """``params`` with :func:`visit_futures` applied to each value (``params`` itself when it
    holds no future or state, the common case, so nothing is copied)."""
    if not any(has_future(v) for v in params.values()):
        return params
    return {k: visit_futures(v, on_future, on_state) for k, v in params.items()}


def resolve_futures(params: dict[str, Any], on_state: Callable[[State], Any]) -> dict[str, Any]:
    """Replace futures and states inside ``params`` (and plain collections) by what ``on_state`` says.

    ``on_state`` receives each upstream final state and returns the value to pass on (or raises).
    ``params`` itself comes back when it holds no future or state (every task run asks: no work).
    """
    if not any(has_future(v) for v in params.values()):
        return params

    def final_state(future: TaskRunFuture[Any]) -> Any:
        future.wait()
        return on_state(future.state)

    return {k: visit_futures(v, final_state, on_state) for k, v in params.items()}
