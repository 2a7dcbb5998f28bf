"""A long scheduler pass writes in short batches: other writers get the store between them.

(How long a pass over 10,000 schedules takes is measured in bench/bench_scale.py, not here.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import Connection, Engine

from _helpers import T0, MakeDeployment
from orchestr_lab.services import scheduler
from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.database import read_connection, write_transaction
from orchestr_lab.store.models import flow_runs


def _count(engine: Engine) -> int:
    with read_connection(engine) as conn:
        return int(conn.execute(select(func.count()).select_from(flow_runs)).scalar_one())


def test_a_pass_of_thousands_of_runs_commits_batch_by_batch(
    engine: Engine, make_deployment: MakeDeployment, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Four every-second schedules back from ten minutes down (policy "all"): ~2,400 runs in
    one pass, written a batch at a time; after each batch the runs so far are visible to other
    connections and a worker's claim (another writer) goes through at once."""
    for _ in range(4):
        make_deployment(schedules=[{"interval": 1}])
    scheduler.schedule_tick(engine, now=T0)
    before = _count(engine)
    back = T0 + dt.timedelta(minutes=10)
    seen: list[int] = []
    claimed: list[str] = []

    def observed(engine_: Engine, work: Callable[[Connection], Any]) -> Any:
        out = write_transaction(engine_, work)
        seen.append(_count(engine))  # between two batches of the pass
        run = claim_next_run(engine, worker_name="w", worker_type="process", queues=["default"], now=back)
        claimed.append(run["id"] if run else "")
        return out

    monkeypatch.setattr(scheduler, "write_transaction", observed)
    inserted = scheduler.schedule_tick(engine, now=back, missed="all")

    assert inserted > 4 * 590 and _count(engine) == before + inserted
    steps = [b - a for a, b in zip([before, *seen], seen, strict=False)]
    assert len(steps) >= 4
    assert all(0 < step <= 500 for step in steps), steps  # a batch holds the write lock for milliseconds
    assert all(claimed), "a claim between two batches found no run"
    assert len(set(claimed)) == len(claimed)
