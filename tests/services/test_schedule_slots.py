"""A scheduled run keeps its slot: retries move when it runs, never where its schedule left off."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.engine import Engine

from _helpers import T0, MakeDeployment
from orchestr_lab.core.states import Failed, Running
from orchestr_lab.services.scheduler import schedule_tick
from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.deployment_runs import finish_attempt, retry_run
from orchestr_lab.store.run_reads import list_flow_runs
from orchestr_lab.store.runs import set_state

MINUTE = dt.timedelta(minutes=1)


def _slots(engine: Engine, dep: dict[str, Any]) -> list[str]:
    runs, _ = list_flow_runs(engine, deployment_id=dep["id"], limit=10_000)
    return sorted(r["scheduled_start_time"] for r in runs)


def _fail_first_due(engine: Engine, now: dt.datetime) -> dict[str, Any]:
    run = claim_next_run(engine, worker_name="w", worker_type="process", queues=["default"], now=now)
    assert run is not None
    set_state(engine, "flow", run["id"], Running(), fields={"run_count": 1})
    finish_attempt(engine, run["id"], Failed("boom"), now=now + dt.timedelta(seconds=1))
    return run


def test_a_retry_an_hour_away_does_not_silence_an_every_minute_schedule(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    dep = make_deployment(retries=1, retry_delay_seconds=3600, schedules=[{"interval": 60, "anchor": T0.isoformat()}])
    schedule_tick(engine, now=T0 + dt.timedelta(seconds=1))
    _fail_first_due(engine, T0 + MINUTE)  # the run a minute after T0 fails; its retry is due an hour later

    inserted = [schedule_tick(engine, now=T0 + m * MINUTE + dt.timedelta(seconds=1)) for m in (5, 10, 30)]

    assert all(n >= 1 for n in inserted), inserted  # the schedule kept firing through the retry's hour
    slots = _slots(engine, dep)
    assert len(slots) == len(set(slots))
    assert any(s.startswith((T0 + 30 * MINUTE).isoformat()[:16]) for s in slots), slots


def test_a_manual_retry_onto_a_taken_slot_time_is_not_refused(engine: Engine, make_deployment: MakeDeployment) -> None:
    """A retry that happens to become due at the very instant of another slot of its schedule
    is a second run at that time, not a unique-index violation."""
    dep = make_deployment(schedules=[{"interval": 60, "anchor": T0.isoformat()}])
    schedule_tick(engine, now=T0 + dt.timedelta(seconds=1))
    run = _fail_first_due(engine, T0 + MINUTE)
    next_slot = T0 + 2 * MINUTE  # already inserted by the tick above (3 runs ahead)
    assert next_slot.isoformat() in _slots(engine, dep)

    retry_run(engine, run["id"], now=next_slot)

    runs, _ = list_flow_runs(engine, deployment_id=dep["id"], limit=100)
    at_next = [r for r in runs if r["scheduled_start_time"] == next_slot.isoformat()]
    assert {r["id"] for r in at_next} >= {run["id"]} and len(at_next) == 2
