"""Run states and the one rule book for moving between them.

Every writer (the in-process engine, the server, workers) asks :func:`check_transition`
before it records a new state, so a run's history always tells a legal story.
A state is a small plain object rather than a pydantic model: the engine creates several per
task run and must stay cheap.
"""

from __future__ import annotations

import datetime as _dt
import enum
import time
import types
from collections.abc import Callable, Mapping
from typing import Any

from .errors import CancelledRun, CrashedRun, FailedRun, IllegalTransition, UnfinishedRun

__all__ = [
    "FINAL_TYPES",
    "AwaitingRetry",
    "Cached",
    "Cancelled",
    "Cancelling",
    "Completed",
    "Crashed",
    "Failed",
    "IllegalTransition",
    "Late",
    "Paused",
    "Pending",
    "Retrying",
    "Running",
    "Scheduled",
    "State",
    "StateType",
    "TimedOut",
    "check_transition",
    "transition_error",
]


class StateType(str, enum.Enum):
    """The kind of a state; a state's *name* refines it (``Late`` is a SCHEDULED state)."""

    SCHEDULED = "SCHEDULED"
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    COMPLETED = "COMPLETED"
    FAILED = "FAILED"
    CANCELLING = "CANCELLING"
    CANCELLED = "CANCELLED"
    CRASHED = "CRASHED"
    PAUSED = "PAUSED"

    def __str__(self) -> str:  # "COMPLETED", not "StateType.COMPLETED", in messages
        return self.value


FINAL_TYPES = frozenset({StateType.COMPLETED, StateType.FAILED, StateType.CANCELLED, StateType.CRASHED})

_DEFAULT_NAMES = {t: t.value.title() for t in StateType}


class State:
    """A run's state at one moment: type, name, message, time, and the run's data.

    Generic in the type of its result, as in Prefect: ``State[int]`` in an annotation.

    ``data`` holds the return value (COMPLETED) or the exception (FAILED, CRASHED); when the
    value lives in result storage, ``data`` is a zero-argument loader and is called on demand.
    """

    __slots__ = ("type", "name", "message", "timestamp", "data", "details")

    # ``State[int]`` is an alias of State (no subclass, so making a state costs nothing more).
    __class_getitem__: Callable[[Any], types.GenericAlias] = classmethod(types.GenericAlias)  # type: ignore[assignment]

    def __init__(
        self,
        type: StateType | str,
        name: str | None = None,
        message: str | None = None,
        data: Any = None,
        *,
        timestamp: float | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.type = type if isinstance(type, StateType) else StateType(type)
        self.name = name or _DEFAULT_NAMES[self.type]
        self.message = message
        self.data = data
        self.timestamp = time.time() if timestamp is None else timestamp
        self.details = details if details is not None else {}

    # -- predicates (Prefect's names) ---------------------------------------------------
    def is_scheduled(self) -> bool:
        return self.type is StateType.SCHEDULED

    def is_pending(self) -> bool:
        return self.type is StateType.PENDING

    def is_running(self) -> bool:
        return self.type is StateType.RUNNING

    def is_completed(self) -> bool:
        return self.type is StateType.COMPLETED

    def is_failed(self) -> bool:
        return self.type is StateType.FAILED

    def is_crashed(self) -> bool:
        return self.type is StateType.CRASHED

    def is_cancelled(self) -> bool:
        return self.type is StateType.CANCELLED

    def is_cancelling(self) -> bool:
        return self.type is StateType.CANCELLING

    def is_paused(self) -> bool:
        return self.type is StateType.PAUSED

    def is_final(self) -> bool:
        return self.type in FINAL_TYPES

    # -- data ---------------------------------------------------------------------------
    @property
    def timestamp_dt(self) -> _dt.datetime:
        """The timestamp as an aware UTC datetime (for display and storage)."""
        return _dt.datetime.fromtimestamp(self.timestamp, _dt.timezone.utc)

    @property
    def scheduled_time(self) -> float | None:
        return self.details.get("scheduled_time")

    def result(self, raise_on_failure: bool = True) -> Any:
        """The run's return value; for FAILED/CRASHED/CANCELLED states raise the error.

        With ``raise_on_failure=False`` the exception is returned instead of raised.
        """
        data = self.data
        if callable(data) and getattr(data, "_orchestr_lab_loader", False):
            data = data()
        if self.type in (StateType.FAILED, StateType.CRASHED, StateType.CANCELLED):
            if data is not None and not isinstance(data, BaseException):
                # A flow that returned states: its data is those states, as in Prefect.
                return data
            exc = data if isinstance(data, BaseException) else _state_error(self)
            if raise_on_failure:
                raise exc
            return exc
        if self.type is not StateType.COMPLETED:
            raise UnfinishedRun(
                f"Run is in {self.type.value} state ({self.name}), its result is not available."
                + (f" {self.message}" if self.message else "")
            )
        return data

    def copy(self, **changes: Any) -> State:
        new = State(
            changes.pop("type", self.type),
            changes.pop("name", self.name),
            changes.pop("message", self.message),
            changes.pop("data", self.data),
            timestamp=changes.pop("timestamp", self.timestamp),
            details=changes.pop("details", dict(self.details)),
        )
        if changes:
            raise TypeError(f"unknown State fields: {sorted(changes)}")
        return new

    def __repr__(self) -> str:
        if self.message:
            return f"{self.name}(message={self.message!r}, type={self.type.value})"
        return f"{self.name}(type={self.type.value})" if self.name != _DEFAULT_NAMES[self.type] else f"{self.name}()"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, State):
            return NotImplemented
        return (self.type, self.name, self.message, self.timestamp) == (
            other.type,
            other.name,
            other.message,
            other.timestamp,
        )

    __hash__ = None  # type: ignore[assignment]


def _state_error(state: State) -> BaseException:
    cls = {
        StateType.FAILED: FailedRun,
        StateType.CRASHED: CrashedRun,
        StateType.CANCELLED: CancelledRun,
    }[state.type]
    return cls(state.message or f"Run ended in state {state!r}")


# -- named states ------------------------------------------------------------------------


def _named(type_: StateType, default_name: str | None = None) -> Callable[..., State]:
    def make(
        message: str | None = None,
        data: Any = None,
        *,
        name: str | None = None,
        timestamp: float | None = None,
        details: dict[str, Any] | None = None,
    ) -> State:
        return State(type_, name or default_name, message, data, timestamp=timestamp, details=details)

    make.__name__ = default_name or _DEFAULT_NAMES[type_]
    make.__doc__ = f"A {type_.value} state named {make.__name__!r}."
    return make


Pending = _named(StateType.PENDING)
Running = _named(StateType.RUNNING)
Retrying = _named(StateType.RUNNING, "Retrying")
Completed = _named(StateType.COMPLETED)
Cached = _named(StateType.COMPLETED, "Cached")
Failed = _named(StateType.FAILED)
TimedOut = _named(StateType.FAILED, "TimedOut")
Crashed = _named(StateType.CRASHED)
Cancelling = _named(StateType.CANCELLING)
Cancelled = _named(StateType.CANCELLED)
Paused = _named(StateType.PAUSED)


def Scheduled(
    message: str | None = None,
    *,
    scheduled_time: float | _dt.datetime | None = None,
    name: str | None = None,
    timestamp: float | None = None,
) -> State:
    """A SCHEDULED state; ``scheduled_time`` (epoch seconds or datetime) defaults to now."""
    if isinstance(scheduled_time, _dt.datetime):
        scheduled_time = scheduled_time.timestamp()
    when = time.time() if scheduled_time is None else float(scheduled_time)
    return State(StateType.SCHEDULED, name, message, timestamp=timestamp, details={"scheduled_time": when})


def AwaitingRetry(message: str | None = None, *, scheduled_time: float | _dt.datetime | None = None) -> State:
    """SCHEDULED until a retry's delay has passed."""
    return Scheduled(message, scheduled_time=scheduled_time, name="AwaitingRetry")


def Late(message: str | None = None, *, scheduled_time: float | _dt.datetime | None = None) -> State:
    """SCHEDULED and past its time without having started."""
    return Scheduled(message, scheduled_time=scheduled_time, name="Late")


# -- the rule book -----------------------------------------------------------------------

_ST = StateType
_NOT_FINAL = frozenset(set(_ST) - FINAL_TYPES)
_RERUN_NAMES = frozenset({"AwaitingRetry", "Retrying", "Scheduled", "Pending", "Rerun"})

# Allowed target types for each current type (None = a run that has no state yet), with the
# sentence we quote when a writer breaks the rule.
_RULES: Mapping[StateType | None, tuple[frozenset[StateType], str]] = {
    None: (
        frozenset({_ST.SCHEDULED, _ST.PENDING, _ST.RUNNING}),
        "a new run starts SCHEDULED, PENDING or RUNNING",
    ),
    _ST.SCHEDULED: (
        frozenset(set(_ST) - {_ST.COMPLETED}),
        "a SCHEDULED run has to start before it can complete",
    ),
    _ST.PENDING: (
        frozenset(set(_ST)),
        "",
    ),
    _ST.RUNNING: (
        frozenset(set(_ST) - {_ST.PENDING}),
        "a RUNNING run does not go back to PENDING; it is retried through AwaitingRetry or Retrying",
    ),
    _ST.PAUSED: (
        frozenset(set(_ST) - {_ST.COMPLETED}),
        "a PAUSED run has to resume before it can complete",
    ),
    _ST.CANCELLING: (
        frozenset({_ST.CANCELLED, _ST.CRASHED, _ST.FAILED, _ST.COMPLETED, _ST.CANCELLING}),
        "a CANCELLING run can only end (CANCELLED, or the outcome it reached first)",
    ),
}

_FINAL_RULE = (
    "{current} is final: a run leaves it only through a retry or rerun (SCHEDULED/PENDING, or RUNNING named 'Retrying')"
)


def _decide(cur: StateType | None, new: StateType, name: str) -> str | None:
    if cur in FINAL_TYPES:
        if new in (_ST.SCHEDULED, _ST.PENDING) or (new is _ST.RUNNING and name == "Retrying"):
            return None
        return _FINAL_RULE.format(current=cur.value)
    if cur is _ST.RUNNING and new is _ST.RUNNING and name != "Retrying":
        return "a RUNNING run is already running; only a retry ('Retrying') re-enters RUNNING"
    allowed, why = _RULES[cur]
    return None if new in allowed else why


# The table above, flattened once: (current, proposed) -> rule broken or None. Pairs whose
# answer depends on the proposed state's name (re-entering RUNNING) are left out.
_NAME_DEPENDENT = object()
_DECIDED: dict[tuple[StateType | None, StateType], Any] = {
    (cur, new): (
        _NAME_DEPENDENT if new is _ST.RUNNING and (cur is _ST.RUNNING or cur in FINAL_TYPES) else _decide(cur, new, "")
    )
    for cur in (None, *_ST)
    for new in _ST
}


def transition_error(current: State | StateType | None, proposed: State) -> str | None:
    """Why ``current -> proposed`` is illegal, or None when it is allowed."""
    cur = current.type if isinstance(current, State) else current
    why: str | None = _DECIDED[(cur, proposed.type)]
    if why is _NAME_DEPENDENT:
        return _decide(cur, proposed.type, proposed.name)
    return why


def check_transition(current: State | StateType | None, proposed: State) -> None:
    """Raise :class:`IllegalTransition` (naming the rule) when the move is not allowed."""
    why = transition_error(current, proposed)
    if why is not None:
        cur = current.type if isinstance(current, State) else current
        src = cur.value if cur is not None else "(no state)"
        raise IllegalTransition(
            f"Illegal transition {src} -> {proposed.type.value} ({proposed.name}): {why}",
            current=cur,
            proposed=proposed,
            rule=why,
        )
