"""The rule book: every legal move allowed, every illegal one refused with its rule."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from orchestr_lab.core.errors import CrashedRun, FailedRun, IllegalTransition, UnfinishedRun
from orchestr_lab.core.states import (
    FINAL_TYPES,
    AwaitingRetry,
    Cached,
    Cancelled,
    Cancelling,
    Completed,
    Crashed,
    Failed,
    Late,
    Paused,
    Pending,
    Retrying,
    Running,
    Scheduled,
    State,
    StateType,
    TimedOut,
    check_transition,
    transition_error,
)

T = StateType


def state_of(t: StateType, name: str | None = None) -> State:
    return State(t, name)


# (current, proposed) pairs that must be refused, with a word the rule must contain.
ILLEGAL = {
    (None, T.COMPLETED): "starts",
    (None, T.FAILED): "starts",
    (None, T.CANCELLED): "starts",
    (None, T.CRASHED): "starts",
    (None, T.CANCELLING): "starts",
    (None, T.PAUSED): "starts",
    (T.SCHEDULED, T.COMPLETED): "start",
    (T.RUNNING, T.PENDING): "PENDING",
    (T.PAUSED, T.COMPLETED): "resume",
    (T.CANCELLING, T.RUNNING): "CANCELLING",
    (T.CANCELLING, T.PENDING): "CANCELLING",
    (T.CANCELLING, T.SCHEDULED): "CANCELLING",
    (T.CANCELLING, T.PAUSED): "CANCELLING",
}


@pytest.mark.parametrize("current", [None, *StateType])
@pytest.mark.parametrize("proposed", list(StateType))
def test_every_pair_follows_the_table(current: StateType | None, proposed: StateType) -> None:
    new = state_of(proposed)
    if current in FINAL_TYPES:
        legal = proposed in (T.SCHEDULED, T.PENDING)
    elif current is T.RUNNING and proposed is T.RUNNING:
        legal = False  # only a named retry re-enters RUNNING; tested below
    else:
        legal = (current, proposed) not in ILLEGAL
    if legal:
        check_transition(current, new)
        assert transition_error(current, new) is None
    else:
        with pytest.raises(IllegalTransition) as info:
            check_transition(current, new)
        assert info.value.rule
        assert proposed.value in str(info.value)
        if (current, proposed) in ILLEGAL:
            assert ILLEGAL[(current, proposed)] in info.value.rule


@pytest.mark.parametrize("final", sorted(FINAL_TYPES, key=str))
def test_final_states_are_left_only_by_retry_or_rerun(final: StateType) -> None:
    check_transition(final, Retrying())
    check_transition(final, AwaitingRetry(scheduled_time=0))
    check_transition(final, Scheduled())
    check_transition(final, Pending())
    with pytest.raises(IllegalTransition, match="final"):
        check_transition(final, Running())
    for other in (T.COMPLETED, T.FAILED, T.CRASHED, T.CANCELLED, T.CANCELLING, T.PAUSED):
        with pytest.raises(IllegalTransition, match="final"):
            check_transition(final, state_of(other))


def test_completed_back_to_running_names_the_rule() -> None:
    with pytest.raises(IllegalTransition) as info:
        check_transition(Completed(), Running())
    assert "COMPLETED -> RUNNING" in str(info.value)
    assert "retry or rerun" in info.value.rule
    assert isinstance(info.value, ValueError)


def test_running_reenters_running_only_as_retrying() -> None:
    check_transition(Running(), Retrying())
    with pytest.raises(IllegalTransition, match="already running"):
        check_transition(Running(), Running())


def test_named_states_have_their_types() -> None:
    assert (Late().type, Late().name) == (T.SCHEDULED, "Late")
    assert (AwaitingRetry().type, AwaitingRetry().name) == (T.SCHEDULED, "AwaitingRetry")
    assert (Retrying().type, Retrying().name) == (T.RUNNING, "Retrying")
    assert (Cached().type, Cached().name) == (T.COMPLETED, "Cached")
    assert (TimedOut().type, TimedOut().name) == (T.FAILED, "TimedOut")
    for maker, t in [(Pending, T.PENDING), (Running, T.RUNNING), (Completed, T.COMPLETED), (Failed, T.FAILED),
                     (Crashed, T.CRASHED), (Cancelling, T.CANCELLING), (Cancelled, T.CANCELLED), (Paused, T.PAUSED)]:
        s = maker()
        assert s.type is t and s.name == t.value.title()


def test_predicates_match_exactly_one_type() -> None:
    preds = ["is_scheduled", "is_pending", "is_running", "is_completed", "is_failed", "is_crashed",
             "is_cancelled", "is_cancelling", "is_paused"]
    for t in StateType:
        s = state_of(t)
        assert sum(getattr(s, p)() for p in preds) == 1
        assert s.is_final() == (t in FINAL_TYPES)


def test_result_returns_data_or_raises_the_error() -> None:
    assert Completed(data={"a": 1}).result() == {"a": 1}
    err = KeyError("k")
    with pytest.raises(KeyError):
        Failed("boom", data=err).result()
    assert Failed("boom", data=err).result(raise_on_failure=False) is err
    with pytest.raises(FailedRun, match="no data"):
        Failed("no data").result()
    with pytest.raises(CrashedRun):
        Crashed("kernel died").result()
    with pytest.raises(UnfinishedRun, match="PENDING"):
        Pending().result()


def test_scheduled_time_accepts_datetimes() -> None:
    when = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    assert Scheduled(scheduled_time=when).scheduled_time == when.timestamp()
    assert Late(scheduled_time=5).scheduled_time == 5


def test_state_types_print_plainly() -> None:
    assert str(T.COMPLETED) == "COMPLETED"
    assert repr(Completed()) == "Completed()"
    assert "boom" in repr(Failed("boom"))


def test_every_type_pair_is_decided() -> None:
    # No combination falls through the table (would be a KeyError or silent None).
    for cur, new in itertools.product([None, *StateType], list(StateType)):
        transition_error(cur, state_of(new))
