"""Scheduler processes racing on one store (tests/services and tests/store/test_postgres.py)."""

from __future__ import annotations

import multiprocessing

from ._scheduler_process import tick_into


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
