"""A scheduler process for test_scheduler: ticks the same fake clock as its rivals (spawned)."""

from __future__ import annotations

import datetime as dt
from typing import Any


def tick_into(results: Any, url: str, go: Any, times: list[str], use_lock: bool) -> None:
    """Process target: ``"ready"``, then the number of runs this process inserted."""
    from orchestr_lab.server_ext.services.scheduler import SchedulerLock, schedule_tick
    from orchestr_lab.store.database import get_engine

    engine = get_engine(url)
    lock = SchedulerLock(engine) if use_lock else None
    results.put("ready")
    go.wait(60)
    inserted = 0
    for iso in times:
        now = dt.datetime.fromisoformat(iso)
        if lock is None or lock.acquire(now=now):
            inserted += schedule_tick(engine, now=now, missed="all")
    results.put(inserted)
