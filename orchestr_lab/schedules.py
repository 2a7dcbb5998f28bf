"""Prefect-style import path for schedules: ``Cron``, ``Interval``."""

from .core.schedules import Cron, Interval, ScheduleError

__all__ = ["Cron", "Interval", "ScheduleError"]
