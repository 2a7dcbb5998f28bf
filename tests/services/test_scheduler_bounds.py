"""A scheduler that cannot be wedged, and deployments that stay readable, whatever is stored.

The bad schedules here are written straight into the store, as an older version or a client
that bypassed the API could have left them: each must be skipped (and logged once), never
spin, never hold the store, and never make its deployment or the deployment list unreadable.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import insert, update
from sqlalchemy.engine import Engine

from _helpers import T0, UTC, MakeDeployment
from orchestr_lab.services.scheduler import MAX_PER_SCHEDULE, schedule_tick
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.models import deployment_schedules, deployments
from orchestr_lab.store.run_reads import list_flow_runs

WITHIN = 30.0  # seconds: generous; the bug this guards against is hanging for ever

# What older versions accepted and stored: each used to spin, overflow or 500 (the server's
# answers to them are in tests/server_ext/test_scheduler_bounds_api.py).
BAD = {
    "tiny interval": {"interval_seconds": 1e-9},
    "huge interval": {"interval_seconds": 1e300},
    "subnormal interval": {"interval_seconds": 1e-300},
    "anchor in 9999": {"interval_seconds": 60.0, "anchor": dt.datetime(9999, 12, 31, tzinfo=UTC)},
    "never fires": {"cron": "0 0 30 2 *"},
    "not a cron": {"cron": "every day"},
    "unknown zone": {"cron": "* * * * *", "timezone": "Mars/Olympus"},
}


def store_schedule(engine: Engine, dep_id: str, position: int, **columns: Any) -> str:
    row = {
        "id": str(uuid.uuid4()),
        "deployment_id": dep_id,
        "cron": None,
        "interval_seconds": None,
        "anchor": None,
        "timezone": "UTC",
        "active": True,
        "parameters": {},
        "position": position,
    }
    row.update(columns)
    with engine.begin() as conn:
        conn.execute(insert(deployment_schedules), [row])
    return row["id"]


def store_deployment_columns(engine: Engine, dep_id: str, **columns: Any) -> None:
    """Set a deployment's columns straight in the store, as a client that bypassed the API could
    (``updated``, its last edit, is where the scheduler starts counting missed runs)."""
    with engine.begin() as conn:
        conn.execute(update(deployments).where(deployments.c.id == dep_id).values(**columns))


def with_bad_schedules(engine: Engine, name: str = "mixed") -> tuple[dict[str, Any], dict[str, str]]:
    """A deployment with one good every-minute schedule and every BAD one after it."""
    dep = create_deployment(
        engine, {"name": name, "notebook": "reports/daily.ipynb", "schedules": [{"cron": "* * * * *"}]}
    )
    bad = {label: store_schedule(engine, dep["id"], i + 1, **cols) for i, (label, cols) in enumerate(BAD.items())}
    return dep, bad


def _in_thread(work: Callable[[], Any]) -> Any:
    """``work()``'s result, failing (not hanging the suite) if it does not end within WITHIN."""
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(work()), daemon=True)
    thread.start()
    thread.join(WITHIN)
    assert not thread.is_alive(), "hung"
    return out[0]


def _runs_by_schedule(engine: Engine, dep: dict[str, Any]) -> dict[str, int]:
    runs, _ = list_flow_runs(engine, deployment_id=dep["id"], limit=100_000)
    counts: dict[str, int] = {}
    for run in runs:
        counts[run["schedule_id"]] = counts.get(run["schedule_id"], 0) + 1
    return counts


def test_bad_stored_schedules_are_skipped_and_logged_once(
    engine: Engine, make_deployment: MakeDeployment, caplog: pytest.LogCaptureFixture
) -> None:
    dep, bad = with_bad_schedules(engine)
    other = make_deployment(schedules=[{"interval": 60}])

    with caplog.at_level(logging.WARNING, logger="orchestr_lab"):
        assert _in_thread(lambda: schedule_tick(engine, now=T0)) == 6
        assert _in_thread(lambda: schedule_tick(engine, now=T0 + dt.timedelta(minutes=1))) == 2

    # The good schedules of both deployments keep scheduling; the bad ones make no run.
    assert _runs_by_schedule(engine, dep) == {dep["schedules"][0]["id"]: 4}
    assert _runs_by_schedule(engine, other) == {other["schedules"][0]["id"]: 4}
    # Each bad schedule is named once, not at every pass.
    for schedule_id in bad.values():
        assert sum(schedule_id in r.getMessage() for r in caplog.records) == 1, schedule_id
    # And the store is free: writes go through at once.
    _in_thread(lambda: make_deployment(schedules=[{"cron": "0 9 * * *"}]))


def test_a_tick_does_bounded_work_and_the_next_ones_go_on(engine: Engine, make_deployment: MakeDeployment) -> None:
    """Policy "all" after a long downtime: each tick inserts at most its share, and the later
    ticks go on from there until every missed slot has its run, once."""
    every_second = make_deployment(schedules=[{"interval": 1}])
    hourly = make_deployment(schedules=[{"cron": "0 * * * *"}])
    schedule_tick(engine, now=T0)
    back = T0 + dt.timedelta(hours=1)  # 3,600 slots of the every-second schedule were missed

    first = schedule_tick(engine, now=back, missed="all", max_per_tick=700)
    assert first == 700
    assert schedule_tick(engine, now=back, missed="all") == MAX_PER_SCHEDULE + 1  # + the hourly one's next
    inserted = first + MAX_PER_SCHEDULE + 1
    while (n := schedule_tick(engine, now=back, missed="all")) > 0:
        inserted += n
    runs, total = list_flow_runs(engine, deployment_id=every_second["id"], limit=100_000)
    slots = [r["scheduled_start_time"] for r in runs]
    assert len(slots) == len(set(slots)) == total == inserted + 4 - 1  # the first tick made 4 (+1 hourly)
    assert total == 3600 + 3 + 1  # every second from T0 to 3 s past ``back``: none missing, none twice
    assert len(list_flow_runs(engine, deployment_id=hourly["id"])[0]) == 2


def test_a_deployment_with_bad_stored_schedules_stays_readable(engine: Engine) -> None:
    from orchestr_lab.actions.deployment_view import describe, next_fire_times
    from orchestr_lab.store.deployments import get_deployment

    dep, _ = with_bad_schedules(engine)
    stored = get_deployment(engine, dep["id"])
    assert stored is not None
    monday = dt.datetime(2026, 6, 1, tzinfo=UTC)
    shown = _in_thread(lambda: describe(engine, stored, now=monday))
    assert shown["next_runs"] == [(monday + i * dt.timedelta(minutes=1)).isoformat() for i in range(1, 6)]
    assert _in_thread(lambda: next_fire_times(stored["schedules"][1:], 5)) == []
