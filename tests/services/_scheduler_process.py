"""Scheduler processes racing on one store (tests/services and tests/store/test_postgres.py).

Each is spawned and ticks the same fake clock as its rivals."""

from __future__ import annotations

import datetime as dt
import multiprocessing
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


def race_schedulers(url: str, ticks: list[str], locks: list[bool]) -> int:
    """One spawned scheduler per item of ``locks`` (True: it takes the SchedulerLock before each
    tick), all ticking ``ticks`` at once on ``url``; the number of runs they inserted in all."""
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=tick_into, args=(results, url, go, ticks, use_lock)) for use_lock in locks]
    for p in procs:
        p.start()
    assert [results.get(timeout=120) for _ in procs] == ["ready"] * len(procs)
    go.set()
    inserted = sum(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    return inserted
