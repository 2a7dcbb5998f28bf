"""Schedules: cron in a time zone across DST, intervals in real time, clear errors."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from orchestr_lab.core.schedules import MAX_INTERVAL
from orchestr_lab.schedules import Cron, Interval, ScheduleError

UTC = dt.timezone.utc


def test_cron_follows_local_time_across_the_spring_change() -> None:
    cron = Cron("0 9 * * *", "Europe/Paris")
    times = cron.next_times(3, dt.datetime(2026, 3, 27, 12, tzinfo=UTC))
    # 09:00 in Paris is 08:00 UTC before the change (CET) and 07:00 UTC after it (CEST).
    assert [t.astimezone(UTC).hour for t in times] == [8, 7, 7]
    assert all(t.hour == 9 for t in times)


def test_interval_is_real_time_across_dst() -> None:
    hourly = Interval(3600, timezone="Europe/Paris")
    times = hourly.next_times(4, dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC))
    instants = [t.timestamp() for t in times]
    assert [b - a for a, b in itertools.pairwise(instants)] == [3600, 3600, 3600]
    assert times[0].astimezone(UTC) == dt.datetime(2026, 3, 29, 1, tzinfo=UTC)


def test_interval_counts_from_its_anchor() -> None:
    every_10 = Interval(dt.timedelta(minutes=10), anchor=dt.datetime(2026, 1, 1, 0, 5, tzinfo=UTC))
    [first] = every_10.next_times(1, dt.datetime(2026, 1, 1, 0, 7, tzinfo=UTC))
    assert first == dt.datetime(2026, 1, 1, 0, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    "make, fragment",
    [
        (lambda: Cron("61 * * * *"), "Invalid cron"),
        (lambda: Cron("0 9 * * *", "Mars/Olympus"), "Unknown time zone"),
        (lambda: Interval(0), "interval must be between 1 second and"),
    ],
)
def test_bad_schedules_say_what_is_wrong(make, fragment: str) -> None:
    with pytest.raises(ScheduleError, match=fragment):
        make()
    assert issubclass(ScheduleError, ValueError)


@pytest.mark.parametrize(
    "seconds",
    [1e-9, 1e-300, 0.5, -5, 1e300, MAX_INTERVAL * 1.01, float("inf"), float("-inf"), float("nan"), "soon", None, True],
)
def test_an_interval_out_of_range_is_refused_naming_the_interval(seconds: object) -> None:
    """1e-9 s used to spin the scheduler (the step rounded to 0 us); 1e300 overflowed the dates."""
    with pytest.raises(ScheduleError, match="interval"):
        Interval(seconds)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "anchor",
    [
        dt.datetime(9999, 12, 31),
        dt.datetime(2200, 1, 1, tzinfo=UTC),
        dt.datetime(1969, 12, 31, 23, tzinfo=UTC),
        dt.datetime(1, 1, 1),
        "someday",
    ],
)
def test_an_anchor_out_of_range_is_refused_naming_the_anchor(anchor: object) -> None:
    with pytest.raises(ScheduleError, match="anchor"):
        Interval(3600, anchor)  # type: ignore[arg-type]


@pytest.mark.parametrize("expr", ["0 0 30 2 *", "0 0 31 4 *", "0 0 1 1 * 0 2020", "0 0 1 1 * 0 2090"])
def test_a_cron_that_never_fires_is_refused_naming_the_cron(expr: str) -> None:
    with pytest.raises(ScheduleError, match=r"cron expression .* never fires in the next 10 years"):
        Cron(expr)


def test_the_limits_themselves_are_fine() -> None:
    now = dt.datetime.now(UTC)
    assert len(Interval(1).next_times(3)) == 3
    assert Interval(MAX_INTERVAL).next_times(1)[0] <= now + dt.timedelta(seconds=MAX_INTERVAL + 1)
    assert Interval(60, dt.datetime(1970, 1, 1, tzinfo=UTC)).next_times(1)[0] > now
    soon = (now + dt.timedelta(days=3650)).replace(microsecond=0)
    assert Interval(60, soon).next_times(2, now) == [soon, soon + dt.timedelta(minutes=1)]  # starts at its anchor
    assert Cron("0 0 29 2 *").next_times(1)[0].day == 29  # leap days: every four years


def test_fire_times_end_quietly_at_the_end_of_the_calendar() -> None:
    """Walking past year 9999 used to raise OverflowError; now the times just end."""
    late = dt.datetime(9999, 12, 31, 23, 0, tzinfo=UTC)
    assert Interval(60).next_times(3, late) == []
    assert Cron("* * * * *").next_times(3, late) == []
    assert list(Interval(60).iter_times(dt.datetime(8999, 12, 31, 23, 58, tzinfo=UTC)))[-1].year == 8999
    assert list(Cron("* * * * *").iter_times(dt.datetime(8999, 12, 31, 23, 58, tzinfo=UTC)))[-1].year == 8999
    assert Cron("0 0 1 1 * 0 2030").next_times(3, dt.datetime(2029, 6, 1, tzinfo=UTC)) == [
        dt.datetime(2030, 1, 1, tzinfo=UTC)
    ]  # a year field: one time, then none (no error)


def test_every_interval_step_moves_forward_by_exactly_the_interval() -> None:
    odd = Interval(1.000_000_4, anchor=dt.datetime(2026, 1, 1, tzinfo=UTC))
    times = odd.next_times(1000, dt.datetime(2026, 1, 1, 0, 0, 30, tzinfo=UTC))
    steps = {b - a for a, b in itertools.pairwise(times)}
    assert steps == {dt.timedelta(seconds=1)}  # whole microseconds, the same every time


@pytest.mark.parametrize(
    "schedule",
    [
        Cron("*/7 * * * *"),
        Cron("30 2 * * *", "Europe/Paris"),
        Cron("0 9 * * 1-5", "America/New_York"),
        Interval(3700),
        Interval(86400, dt.datetime(2026, 3, 1, 2, 30), "Europe/Paris"),
    ],
    ids=lambda s: getattr(s, "cron", None) or f"every-{s.seconds:g}s",
)
def test_latest_is_the_last_fire_time_a_walk_would_find(schedule: Cron | Interval) -> None:
    """``latest`` finds the last slot of a window without walking it (the scheduler's catch-up
    over years of downtime); it must agree with walking, DST changes included."""
    start = dt.datetime(2026, 3, 25, tzinfo=UTC)
    for hours in (0, 1, 5, 30, 24 * 4, 24 * 9):
        until = start + dt.timedelta(hours=hours, minutes=13)
        walked = list(itertools.takewhile(lambda t, until=until: t <= until, schedule.iter_times(start)))
        assert schedule.latest(after=start, until=until) == (walked[-1] if walked else None)
    assert schedule.latest(after=start, until=start) is None
