"""Schedules: when a deployment runs. ``Cron`` follows croniter across DST; ``Interval`` counts from an anchor.

Both compute fire times as aware datetimes in their time zone; no I/O, no clock reads unless asked.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["Cron", "Interval", "Schedule", "ScheduleError"]


class ScheduleError(ValueError):
    """A schedule that cannot work: bad cron expression, unknown time zone, non-positive interval."""


def _zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"Unknown time zone {name!r}") from None


def _aware(when: _dt.datetime | None, tz: ZoneInfo) -> _dt.datetime:
    if when is None:
        return _dt.datetime.now(tz)
    if when.tzinfo is None:
        return when.replace(tzinfo=tz)
    return when.astimezone(tz)


@dataclass
class Cron:
    """Fire times of a cron expression in a time zone (``Cron("0 9 * * 1-5", "Europe/Paris")``)."""

    cron: str
    timezone: str = "UTC"
    active: bool = True
    parameters: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        from croniter import croniter

        self._tz = _zone(self.timezone)
        if not isinstance(self.cron, str) or not croniter.is_valid(self.cron):
            raise ScheduleError(f"Invalid cron expression {self.cron!r}")

    def iter_times(self, after: _dt.datetime | None = None) -> Iterator[_dt.datetime]:
        """Fire times strictly after ``after`` (default: now), in the schedule's time zone."""
        from croniter import croniter

        it = croniter(self.cron, _aware(after, self._tz))
        while True:
            yield it.get_next(_dt.datetime)

    def next_times(self, n: int, after: _dt.datetime | None = None) -> list[_dt.datetime]:
        it = self.iter_times(after)
        return [next(it) for _ in range(n)]

    def to_dict(self) -> dict[str, Any]:
        return {"cron": self.cron, "timezone": self.timezone, "active": self.active, "parameters": self.parameters}


@dataclass
class Interval:
    """Every ``interval`` seconds (or timedelta) counted from ``anchor`` (default 2020-01-01 in the zone)."""

    interval: float | _dt.timedelta
    anchor: _dt.datetime | None = None
    timezone: str = "UTC"
    active: bool = True
    parameters: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._tz = _zone(self.timezone)
        seconds = self.interval.total_seconds() if isinstance(self.interval, _dt.timedelta) else float(self.interval)
        if seconds <= 0:
            raise ScheduleError(f"Interval must be positive, got {seconds:g} seconds")
        self.seconds = seconds
        self._anchor = _aware(self.anchor, self._tz) if self.anchor else _dt.datetime(2020, 1, 1, tzinfo=self._tz)

    def iter_times(self, after: _dt.datetime | None = None) -> Iterator[_dt.datetime]:
        """Fire times strictly after ``after``; counted in real (UTC) time, so DST shifts the
        local clock reading, never the spacing."""
        utc = _dt.timezone.utc
        after_utc = _aware(after, self._tz).astimezone(utc)
        anchor_utc = self._anchor.astimezone(utc)
        step = _dt.timedelta(seconds=self.seconds)
        elapsed = (after_utc - anchor_utc).total_seconds()
        k = int(elapsed // self.seconds) + 1 if elapsed >= 0 else 0
        when = anchor_utc + k * step
        while when <= after_utc:
            when += step
        while True:
            yield when.astimezone(self._tz)
            when += step

    def next_times(self, n: int, after: _dt.datetime | None = None) -> list[_dt.datetime]:
        it = self.iter_times(after)
        return [next(it) for _ in range(n)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "interval": self.seconds,
            "anchor": self._anchor.isoformat(),
            "timezone": self.timezone,
            "active": self.active,
            "parameters": self.parameters,
        }


Schedule = Cron | Interval
