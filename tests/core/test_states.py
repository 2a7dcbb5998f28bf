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


# The rule book as a user meets it, written out independently of orchestr_lab.core.states:
# one row per current state (None = a run with no state yet), one column per proposed type.
#   y  allowed      -  refused      r  allowed only as a retry (RUNNING named "Retrying")
RULE_BOOK = """
             SCHEDULED PENDING RUNNING COMPLETED FAILED CANCELLING CANCELLED CRASHED PAUSED
(none)       y         y       y       -         -      -          -         -       -
SCHEDULED    y         y       y       -         y      y          y         y       y
PENDING      y         y       y       y         y      y          y         y       y
RUNNING      y         -       r       y         y      y          y         y       y
COMPLETED    y         y       r       -         -      -          -         -       -
FAILED       y         y       r       -         -      -          -         -       -
CANCELLING   -         -       -       y         y      y          y         y       -
CANCELLED    y         y       r       -         -      -          -         -       -
CRASHED      y         y       r       -         -      -          -         -       -
PAUSED       y         y       y       -         y      y          y         y       y
"""


def _rule_book() -> dict[tuple[StateType | None, StateType], str]:
    header, *rows = RULE_BOOK.strip().splitlines()
    columns = [T(name) for name in header.split()]
    book: dict[tuple[StateType | None, StateType], str] = {}
    for row in rows:
        first, *marks = row.split()
        current = None if first == "(none)" else T(first)
        assert len(marks) == len(columns), row
        book.update({(current, proposed): mark for proposed, mark in zip(columns, marks, strict=True)})
    return book


BOOK = _rule_book()

# Every named state a user can propose, so a rule that wrongly looked at the name shows up.
PROPOSALS = [
    Scheduled(),
    Late(),
    AwaitingRetry(),
    Pending(),
    Running(),
    Retrying(),
    Completed(),
    Cached(),
    Failed(),
    TimedOut(),
    Cancelling(),
    Cancelled(),
    Crashed(),
    Paused(),
]

# Refused pairs, with a word the quoted rule must contain (so the message explains itself).
RULE_WORDS = {
    (None, T.COMPLETED): "starts",
    (None, T.PAUSED): "starts",
    (T.SCHEDULED, T.COMPLETED): "start",
    (T.RUNNING, T.PENDING): "PENDING",
    (T.RUNNING, T.RUNNING): "already running",
    (T.PAUSED, T.COMPLETED): "resume",
    (T.CANCELLING, T.RUNNING): "CANCELLING",
    (T.CANCELLING, T.SCHEDULED): "CANCELLING",
    (T.COMPLETED, T.RUNNING): "retry or rerun",
    (T.FAILED, T.COMPLETED): "final",
}


def test_the_rule_book_covers_every_pair() -> None:
    assert set(BOOK) == set(itertools.product([None, *StateType], StateType))


@pytest.mark.parametrize("current", [None, *StateType], ids=str)
def test_every_move_follows_the_rule_book(current: StateType | None) -> None:
    wrong = []
    for proposed in PROPOSALS:
        mark = BOOK[(current, proposed.type)]
        legal = mark == "y" or (mark == "r" and proposed.name == "Retrying")
        try:
            check_transition(current, proposed)
        except IllegalTransition as refused:
            assert refused.rule and f"-> {proposed.type.value}" in str(refused)
            allowed = False
        else:
            allowed = True
        if allowed != legal:
            wrong.append(f"{current} -> {proposed!r}: rule book says {'allowed' if legal else 'refused'}")
        assert (transition_error(current, proposed) is None) == allowed
    assert wrong == []


@pytest.mark.parametrize(("pair", "word"), list(RULE_WORDS.items()), ids=str)
def test_a_refused_move_quotes_its_rule(pair: tuple[StateType | None, StateType], word: str) -> None:
    current, proposed = pair
    with pytest.raises(IllegalTransition) as info:
        check_transition(current, state_of(proposed))
    assert word in info.value.rule
    assert f"-> {proposed.value}" in str(info.value)


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
    for maker, t in [
        (Pending, T.PENDING),
        (Running, T.RUNNING),
        (Completed, T.COMPLETED),
        (Failed, T.FAILED),
        (Crashed, T.CRASHED),
        (Cancelling, T.CANCELLING),
        (Cancelled, T.CANCELLED),
        (Paused, T.PAUSED),
    ]:
        s = maker()
        assert s.type is t and s.name == t.value.title()


def test_predicates_match_exactly_one_type() -> None:
    preds = [
        "is_scheduled",
        "is_pending",
        "is_running",
        "is_completed",
        "is_failed",
        "is_crashed",
        "is_cancelled",
        "is_cancelling",
        "is_paused",
    ]
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
