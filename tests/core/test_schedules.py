"""Schedules: cron in a time zone across DST, intervals in real time, clear errors."""

from __future__ import annotations

import datetime as dt

import pytest

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
    assert [b - a for a, b in zip(instants, instants[1:])] == [3600, 3600, 3600]
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
        (lambda: Interval(0), "positive"),
    ],
)
def test_bad_schedules_say_what_is_wrong(make, fragment: str) -> None:
    with pytest.raises(ScheduleError, match=fragment):
        make()
    assert issubclass(ScheduleError, ValueError)
