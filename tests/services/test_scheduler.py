"""The scheduler: the right runs at the right instants, exactly once, whatever the downtime."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from _helpers import T0, UTC, MakeDeployment
from orchestr_lab.actions.deployment_view import describe
from orchestr_lab.core.states import Completed, Running
from orchestr_lab.services.loop import ServiceLoop
from orchestr_lab.services.scheduler import SchedulerLock, schedule_tick, scheduler_service
from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.deployments import update_deployment
from orchestr_lab.store.run_reads import list_flow_runs
from orchestr_lab.store.runs import set_state

from ._scheduler_race import race_schedulers

MINUTE = dt.timedelta(minutes=1)


def _times(engine: Engine, dep: dict[str, Any]) -> list[dt.datetime]:
    runs, _ = list_flow_runs(engine, deployment_id=dep["id"], limit=10_000)
    return sorted(dt.datetime.fromisoformat(r["scheduled_start_time"]) for r in runs)


def _minute(n: int) -> dt.datetime:
    """T0's minute plus ``n`` minutes (T0 itself is 30 s past a minute)."""
    return T0.replace(second=0) + n * MINUTE


def test_every_minute_inserts_the_next_runs_once(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment(parameters={"a": 1}, schedules=[{"cron": "* * * * *", "parameters": {"b": 2}}])

    assert schedule_tick(engine, now=T0) == 3
    assert _times(engine, dep) == [_minute(1), _minute(2), _minute(3)]
    assert schedule_tick(engine, now=T0) == 0  # idempotent
    assert schedule_tick(engine, now=T0 + 20 * dt.timedelta(seconds=1)) == 0

    assert schedule_tick(engine, now=T0 + 2 * MINUTE) == 2  # keeps three runs ahead
    assert _times(engine, dep) == [_minute(i) for i in range(1, 6)]
    runs, _ = list_flow_runs(engine, deployment_id=dep["id"])
    assert {(r["state"]["type"], r["schedule_id"]) for r in runs} == {("SCHEDULED", dep["schedules"][0]["id"])}
    assert all(r["parameters"] == {"a": 1, "b": 2} for r in runs)

    # The runs become due on time and a worker can take them.
    run = claim_next_run(engine, worker_name="w", worker_type="process", queues=["default"], now=_minute(1))
    assert run is not None and run["scheduled_start_time"] == _minute(1).isoformat()


def test_paris_cron_across_the_dst_change_gives_the_right_utc_instants(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    """09:00 in Paris is 08:00 UTC in winter and 07:00 UTC from the last Sunday of March."""
    dep = make_deployment(schedules=[{"cron": "0 9 * * *", "timezone": "Europe/Paris"}])
    friday = dt.datetime(2026, 3, 27, 0, 0, tzinfo=UTC)  # DST starts Sunday 2026-03-29

    schedule_tick(engine, now=friday, horizon=dt.timedelta(days=4), max_runs=4)

    assert _times(engine, dep) == [
        dt.datetime(2026, 3, 27, 8, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 28, 8, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 29, 7, 0, tzinfo=UTC),
        dt.datetime(2026, 3, 30, 7, 0, tzinfo=UTC),
    ]


@pytest.mark.parametrize(("policy", "expected_missed"), [("skip", 0), ("once", 1), ("all", 176)])
def test_missed_runs_after_three_hours_down(
    engine: Engine, make_deployment: MakeDeployment, policy: str, expected_missed: int
) -> None:
    dep = make_deployment(schedules=[{"cron": "* * * * *"}])
    schedule_tick(engine, now=T0.replace(second=0))  # last run made: minute 3
    back = T0.replace(second=0) + dt.timedelta(hours=3)  # the server was down until now

    schedule_tick(engine, now=back, missed=policy)

    times = _times(engine, dep)
    missed = [t for t in times if _minute(3) < t <= back - MINUTE]  # more than a minute late
    assert len(missed) == expected_missed
    if policy == "once":
        assert missed == [back - MINUTE]  # the most recent one
    assert [t for t in times if t > back - MINUTE] == [back, back + MINUTE, back + 2 * MINUTE, back + 3 * MINUTE]
    assert len(times) == len(set(times))
    assert schedule_tick(engine, now=back, missed=policy) == 0


def test_paused_deployments_and_inactive_schedules_make_no_runs(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    paused = make_deployment(paused=True, schedules=[{"cron": "* * * * *"}])
    inactive = make_deployment(schedules=[{"interval": 60, "active": False}])
    assert schedule_tick(engine, now=T0) == 0
    assert _times(engine, paused) == _times(engine, inactive) == []


def test_pausing_is_not_downtime(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment(schedules=[{"cron": "*/10 * * * *"}])
    schedule_tick(engine, now=T0)
    update_deployment(engine, dep["id"], {"paused": True})
    assert _times(engine, dep) == []  # runs not due yet went with the pause
    assert schedule_tick(engine, now=T0 + dt.timedelta(hours=1)) == 0

    update_deployment(engine, dep["id"], {"paused": False})
    resumed = T0 + dt.timedelta(hours=5)
    schedule_tick(engine, now=resumed, missed="all")
    assert all(t > resumed for t in _times(engine, dep))  # no catch-up for the paused hours


def test_two_scheduler_processes_never_duplicate_a_run(
    db_url: str, engine: Engine, make_deployment: MakeDeployment
) -> None:
    deps = [make_deployment(schedules=[{"cron": "* * * * *"}, {"interval": 30}]) for _ in range(3)]
    ticks = [(T0 + i * dt.timedelta(seconds=20)).isoformat() for i in range(8)]
    inserted = race_schedulers(db_url, ticks, [False, False, True])

    total = 0
    for dep in deps:
        runs, count = list_flow_runs(engine, deployment_id=dep["id"], limit=10_000)
        slots = [(r["schedule_id"], r["scheduled_start_time"]) for r in runs]
        assert len(slots) == len(set(slots)) == count
        total += count
    assert inserted == total > 3 * 2 * 3  # every insert counted once, by whoever won it


def test_scheduler_lock_lets_one_scheduler_act(engine: Engine) -> None:
    first, second = SchedulerLock(engine, lease_seconds=60), SchedulerLock(engine, lease_seconds=60)
    assert first.acquire(now=T0) and first.held
    if engine.dialect.name == "postgresql":
        # An advisory lock: held for as long as the holder's connection lives, not by lease.
        assert not second.acquire(now=T0 + dt.timedelta(seconds=3600))
        assert first.acquire()  # renewing
        first.release()
        assert second.acquire() and not first.acquire()
        second.release()
        return
    assert not second.acquire(now=T0 + dt.timedelta(seconds=30))
    assert first.acquire(now=T0 + dt.timedelta(seconds=30))  # renewing
    assert not second.acquire(now=T0 + dt.timedelta(seconds=80))  # renewed lease still valid
    assert second.acquire(now=T0 + dt.timedelta(seconds=91))  # the first stopped renewing
    assert not first.acquire(now=T0 + dt.timedelta(seconds=95))
    second.release()
    assert first.acquire(now=T0 + dt.timedelta(seconds=96))


def test_scheduler_service_ticks_and_releases_its_lock(engine: Engine, make_deployment: MakeDeployment) -> None:
    make_deployment(schedules=[{"cron": "* * * * *"}])
    lock = SchedulerLock(engine)
    loop = scheduler_service(engine, interval=3600, lock=lock)
    ticked = threading.Event()
    tick = loop.tick
    loop.tick = lambda: (tick(), ticked.set())  # type: ignore[method-assign]
    with loop:
        assert ticked.wait(30)
        assert lock.held
    assert not loop.running and not lock.held
    _runs, total = list_flow_runs(engine)
    assert total == 3
    assert SchedulerLock(engine).acquire()  # released, so another server takes over at once


def test_a_failing_tick_is_logged_and_the_loop_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    calls: list[int] = []
    third = threading.Event()

    def tick() -> None:
        calls.append(1)
        if len(calls) >= 3:
            third.set()
        if len(calls) == 1:
            raise RuntimeError("database went away")

    stopped = threading.Event()
    loop = ServiceLoop("flaky", tick, 0.001, on_stop=stopped.set)
    with caplog.at_level(logging.ERROR, logger="orchestr_lab.services"):
        loop.start()
        assert third.wait(30)
        loop.stop()
    assert stopped.is_set() and loop.errors == 1 and not loop.running
    assert "flaky tick failed" in caplog.text and "database went away" in caplog.text
    with pytest.raises(ValueError):
        ServiceLoop("bad", tick, 0)


def test_describe_adds_next_runs_and_last_run(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment(
        schedules=[
            {"cron": "0 9 * * *", "timezone": "Europe/Paris"},
            {"cron": "0 12 * * *"},
            {"cron": "0 10 * * *", "active": False},
        ]
    )
    monday = dt.datetime(2026, 6, 1, 0, 0, tzinfo=UTC)
    described = describe(engine, dep, now=monday)
    assert [dt.datetime.fromisoformat(t).astimezone(UTC).strftime("%d %H:%M") for t in described["next_runs"]] == [
        "01 07:00",
        "01 12:00",
        "02 07:00",
        "02 12:00",
        "03 07:00",
    ]
    assert described["next_runs"][0] == "2026-06-01T09:00:00+02:00"  # in the schedule's zone
    assert described["last_run"] is None and described["name"] == dep["name"]

    schedule_tick(engine, now=T0, horizon=dt.timedelta(days=2), max_runs=1)
    assert describe(engine, dep)["last_run"] is None  # scheduled is not a run yet
    run = claim_next_run(
        engine, worker_name="w", worker_type="process", queues=["default"], now=T0 + dt.timedelta(days=2)
    )
    assert run is not None
    for state in (Running(), Completed()):
        set_state(engine, "flow", run["id"], state)
    last = describe(engine, dep)["last_run"]
    assert last["id"] == run["id"] and last["state"]["type"] == "COMPLETED"

    paused = update_deployment(engine, dep["id"], {"paused": True})
    assert describe(engine, paused)["next_runs"] == []


def test_a_killed_schedulers_lock_is_taken_over_at_once(db_url: str, engine: Engine) -> None:
    """A server killed with ``kill -9`` releases nothing: its successor on this machine must
    not wait for the lease to run out (60 s without scheduling) before it schedules."""
    import subprocess
    import sys

    code = (
        "import os, sys\n"
        "from orchestr_lab.store.database import get_engine\n"
        "from orchestr_lab.services.scheduler import SchedulerLock\n"
        "lock = SchedulerLock(get_engine(sys.argv[1]), lease_seconds=3600)\n"
        "assert lock.acquire()\n"
        "os._exit(0)  # as kill -9: no release\n"
    )
    subprocess.run([sys.executable, "-c", code, db_url], check=True, timeout=120)
    successor = SchedulerLock(engine, lease_seconds=3600)
    assert successor.acquire()
    assert not SchedulerLock(engine, lease_seconds=3600).acquire()  # a live holder keeps it
    successor.release()


def test_editing_a_deployment_keeps_its_runs_waiting_for_a_retry(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    """An edit or a pause removes the scheduler's runs not due yet, so they are re-made from the
    new settings; a run that failed and waits for its retry is not one of them (it has a
    history: its attempt, logs and output)."""
    from orchestr_lab.core.states import Failed
    from orchestr_lab.store.deployment_runs import create_deployment_run, finish_attempt
    from orchestr_lab.store.run_reads import get_flow_run

    dep = make_deployment(retries=2, retry_delay_seconds=600, schedules=[{"interval": 3600}])
    now = dt.datetime.now(UTC)
    failed = create_deployment_run(
        engine, dep, scheduled_time=now - dt.timedelta(seconds=5), schedule_id=dep["schedules"][0]["id"]
    )
    claimed = claim_next_run(engine, worker_name="w", worker_type="process", queues=["default"])
    assert claimed is not None and claimed["id"] == failed["id"]
    finish_attempt(engine, failed["id"], Failed("boom"))
    ahead = create_deployment_run(
        engine, dep, scheduled_time=now + dt.timedelta(hours=1), schedule_id=dep["schedules"][0]["id"]
    )

    update_deployment(engine, dep["id"], {"paused": True})

    waiting = get_flow_run(engine, failed["id"])
    assert waiting is not None and waiting["state"]["name"] == "AwaitingRetry"
    assert get_flow_run(engine, ahead["id"]) is None  # a slot not due yet: re-made on resume
