"""Schedules: when a deployment runs. ``Cron`` follows croniter across DST; ``Interval`` counts from an anchor.

Both compute fire times as aware datetimes in their time zone; no I/O. The constructors are the
one place a schedule is checked, for the REST API, the CLI, ``deploy()`` and the scheduler alike:
an interval between :data:`MIN_INTERVAL` and :data:`MAX_INTERVAL` seconds, an anchor from 1970 on,
and a first fire time within :data:`FIRES_WITHIN` of now (the one clock read). So a schedule that
would spin the scheduler, overflow the date arithmetic or never fire is refused up front, naming
the field. Iterating never raises and never stalls: every fire time is later than the one
before, and the fire times end quietly near the end of the calendar (or when croniter finds no
more).
"""

from __future__ import annotations

import copy
import datetime as _dt
import itertools
import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .errors import ScheduleError
from .limits import MAX_SECONDS, MIN_INTERVAL_SECONDS

__all__ = ["FIRES_WITHIN", "MAX_INTERVAL", "MIN_INTERVAL", "Cron", "Interval", "Schedule", "ScheduleError"]

#: The shortest interval, in seconds: a run per second is already more than a worker can start.
MIN_INTERVAL = MIN_INTERVAL_SECONDS
#: The longest interval, in seconds (ten years of 365.25 days, as every duration the API takes).
MAX_INTERVAL = MAX_SECONDS
#: A schedule must fire within this long from now, or it is refused as one that never fires.
FIRES_WITHIN = _dt.timedelta(seconds=MAX_INTERVAL)

_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_EARLIEST_ANCHOR = _EPOCH
# Fire times end here: far past any real schedule, far enough from datetime.max that converting
# to any time zone cannot overflow.
_END = _dt.datetime(9000, 1, 1, tzinfo=_UTC)
_US = _dt.timedelta(microseconds=1)


def _zone(name: Any) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ScheduleError(f"Unknown time zone {name!r}") from None


def _aware(when: _dt.datetime | None, tz: ZoneInfo) -> _dt.datetime:
    if when is None:
        return _dt.datetime.now(tz)
    if when.tzinfo is None:
        return when.replace(tzinfo=tz)
    return when.astimezone(tz)


def _micros(when: _dt.datetime) -> int:
    """Microseconds since the epoch: exact integer arithmetic for interval slots."""
    return (when - _EPOCH) // _US


def _from_micros(n: int, tz: ZoneInfo) -> _dt.datetime:
    return (_EPOCH + n * _US).astimezone(tz)


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
        now = _dt.datetime.now(self._tz)
        first = next(self.iter_times(now), None)
        if first is None or first > now + FIRES_WITHIN:
            raise ScheduleError(
                f"The cron expression {self.cron!r} never fires in the next {FIRES_WITHIN.days // 365} years"
            )

    def iter_times(self, after: _dt.datetime | None = None) -> Iterator[_dt.datetime]:
        """Fire times strictly after ``after`` (default: now), in the schedule's time zone.

        Ends (rather than raising) when croniter finds no further time or the calendar ends.
        """
        try:
            start = _aware(after, self._tz)
            if start >= _END:
                return
            it = self._croniter(start)
            previous = start
            while True:
                when = it.get_next(_dt.datetime)
                if when <= previous or when >= _END:  # croniter must move forward; stop if not
                    return
                previous = when
                yield when
        except (ValueError, OverflowError):  # CroniterBadDateError is a ValueError
            return

    def _croniter(self, start: _dt.datetime) -> Any:
        """A croniter at ``start``: a copy of one parsed once (parsing is most of its cost)."""
        from croniter import croniter

        base = self.__dict__.get("_parsed")
        if base is None:
            base = self._parsed = croniter(self.cron, start)
        it = copy.copy(base)  # its own position; the parsed fields are only read
        it.set_current(start, force=True)
        return it

    def latest(self, *, after: _dt.datetime, until: _dt.datetime) -> _dt.datetime | None:
        """The latest fire time in (``after``, ``until``], found without walking the gap."""
        try:
            end = _aware(until, self._tz)
            back = self._croniter(end + _US)
            back.get_prev(_dt.datetime)
            # Walk forward from two slots back: the times are then exactly those iter_times gives
            # (croniter's backward search may place a slot differently across a DST change).
            start = max(back.get_prev(_dt.datetime) - _US, _aware(after, self._tz))
        except (ValueError, OverflowError):
            start = _aware(after, self._tz)
        found = None
        for n, when in enumerate(self.iter_times(start)):
            if when > end or n > 1000:
                break
            found = when
        return found

    def next_times(self, n: int, after: _dt.datetime | None = None) -> list[_dt.datetime]:
        """The next ``n`` fire times (fewer if the schedule ends)."""
        return list(itertools.islice(self.iter_times(after), n))

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
        self.seconds = _seconds(self.interval)
        self._anchor = _anchor(self.anchor, self._tz)
        # Whole microseconds: slots are exact integers, so the arithmetic neither drifts nor stalls.
        self._step = max(1, round(self.seconds * 1_000_000))
        self._origin = _micros(self._anchor)
        # With an interval of at most FIRES_WITHIN, only an anchor too far ahead delays the first run.
        if self._anchor > _dt.datetime.now(self._tz) + FIRES_WITHIN:
            raise ScheduleError(
                f"The anchor {self._anchor.isoformat()} is more than {FIRES_WITHIN.days // 365} "
                "years ahead: the schedule would not fire before then"
            )

    def iter_times(self, after: _dt.datetime | None = None) -> Iterator[_dt.datetime]:
        """Fire times strictly after ``after``; counted in real (UTC) time, so DST shifts the
        local clock reading, never the spacing. The anchor itself is the first fire time."""
        start = _aware(after, self._tz)
        if start >= _END:
            return
        elapsed = _micros(start) - self._origin
        k = elapsed // self._step + 1 if elapsed >= 0 else 0
        end = _micros(_END)
        slot = self._origin + k * self._step
        while slot < end:
            yield _from_micros(slot, self._tz)
            slot += self._step

    def latest(self, *, after: _dt.datetime, until: _dt.datetime) -> _dt.datetime | None:
        """The latest fire time in (``after``, ``until``], by arithmetic."""
        end = min(_aware(until, self._tz), _END)
        elapsed = _micros(end) - self._origin
        if elapsed < 0:
            return None
        when = _from_micros(self._origin + elapsed // self._step * self._step, self._tz)
        return when if when > _aware(after, self._tz) else None

    def next_times(self, n: int, after: _dt.datetime | None = None) -> list[_dt.datetime]:
        """The next ``n`` fire times (fewer if the calendar ends first)."""
        return list(itertools.islice(self.iter_times(after), n))

    def to_dict(self) -> dict[str, Any]:
        return {
            "interval": self.seconds,
            "anchor": self._anchor.isoformat(),
            "timezone": self.timezone,
            "active": self.active,
            "parameters": self.parameters,
        }


def _seconds(interval: Any) -> float:
    """The interval in seconds, or a :class:`ScheduleError` naming ``interval``."""
    try:
        if isinstance(interval, _dt.timedelta):
            seconds = interval.total_seconds()
        elif isinstance(interval, bool):
            raise TypeError
        else:
            seconds = float(interval)
    except (TypeError, ValueError, OverflowError):
        raise ScheduleError(f"The interval must be a number of seconds, got {interval!r}") from None
    if not math.isfinite(seconds) or not MIN_INTERVAL <= seconds <= MAX_INTERVAL:
        raise ScheduleError(
            f"The interval must be between {MIN_INTERVAL:g} second and {MAX_INTERVAL:,.0f} seconds (ten years), "
            f"got {seconds:g}"
        )
    return seconds


def _anchor(anchor: Any, tz: ZoneInfo) -> _dt.datetime:
    """The anchor as an aware datetime (naive: wall time in ``tz``), from 1970 on."""
    if anchor is None:
        return _dt.datetime(2020, 1, 1, tzinfo=tz)
    try:
        if isinstance(anchor, str):
            anchor = _dt.datetime.fromisoformat(anchor)
        if not isinstance(anchor, _dt.datetime):
            raise TypeError
        when = _aware(anchor, tz)
        too_early = when < _EARLIEST_ANCHOR
    except (TypeError, ValueError, OverflowError):
        raise ScheduleError(f"The anchor must be a date and time, got {anchor!r}") from None
    if too_early:
        raise ScheduleError(f"The anchor must be 1970-01-01 or later, got {anchor.isoformat()}")
    return when


Schedule = Cron | Interval
