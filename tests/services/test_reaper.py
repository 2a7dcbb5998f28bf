"""The reaper: Late runs, runs whose worker went silent, and their retries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update
from sqlalchemy.engine import Engine

from _helpers import T0, MakeDeployment
from orchestr_lab.core.states import Pending, Running
from orchestr_lab.services.reaper import reap_tick
from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.deployment_runs import (
    cancel_run,
    create_deployment_run,
    heartbeat_runs,
)
from orchestr_lab.store.events import list_events
from orchestr_lab.store.models import flow_runs
from orchestr_lab.store.run_reads import get_flow_run, state_history
from orchestr_lab.store.runs import set_state, write_batch

S = dt.timedelta(seconds=1)


def _history(engine: Engine, run_id: str) -> list[tuple[str, str]]:
    return [(h["type"], h["name"]) for h in state_history(engine, "flow", run_id)]


def _running(engine: Engine, dep: dict[str, Any], *, worker: str = "w1", at: dt.datetime = T0) -> dict[str, Any]:
    """A run of ``dep`` claimed by ``worker`` at ``at`` and started (first attempt)."""
    create_deployment_run(engine, dep, scheduled_time=at)
    run = claim_next_run(engine, worker_name=worker, worker_type="process", queues=["default"], now=at)
    assert run is not None
    set_state(engine, "flow", run["id"], Running(), fields={"run_count": 1, "start_time": at})
    return run


def test_runs_past_their_time_are_marked_late_once(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment()
    due = create_deployment_run(engine, dep, scheduled_time=T0)
    just_due = create_deployment_run(engine, dep, scheduled_time=T0 + 50 * S)

    assert reap_tick(engine, now=T0 + 60 * S) == {"late": 1, "crashed": 0, "retried": 0, "cancelled": 0, "expired": 0}

    late = get_flow_run(engine, due["id"])
    assert (late["state"]["type"], late["state"]["name"]) == ("SCHEDULED", "Late")  # type: ignore[index]
    assert late["state"]["message"] == "Not started 60 s after its scheduled time"  # type: ignore[index]
    assert late["scheduled_start_time"] == T0.isoformat()  # type: ignore[index]  # its slot is unchanged
    assert get_flow_run(engine, just_due["id"])["state"]["name"] == "Scheduled"  # type: ignore[index]
    assert reap_tick(engine, now=T0 + 61 * S)["late"] == 0  # already Late
    # A Late run is still claimable, oldest first.
    claimed = claim_next_run(engine, worker_name="w", worker_type="process", queues=["default"], now=T0 + 90 * S)
    assert claimed is not None and claimed["id"] == due["id"]
    assert _history(engine, due["id"]) == [("SCHEDULED", "Scheduled"), ("SCHEDULED", "Late"), ("PENDING", "Claimed")]


def test_a_silent_running_run_crashes_then_awaits_its_retry(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment(retries=1, retry_delay_seconds=10)
    run = _running(engine, dep)
    heartbeat_runs(engine, [run["id"]], worker_name="w1", now=T0 + 5 * S)

    assert reap_tick(engine, now=T0 + 30 * S, heartbeat_timeout=30)["crashed"] == 0  # 25 s: still alive
    now = T0 + 40 * S
    assert reap_tick(engine, now=now, heartbeat_timeout=30) == {
        "late": 0,
        "crashed": 1,
        "retried": 1,
        "cancelled": 0,
        "expired": 0,
    }

    after = get_flow_run(engine, run["id"])
    assert (after["state"]["type"], after["state"]["name"]) == ("SCHEDULED", "AwaitingRetry")  # type: ignore[index]
    assert after["scheduled_start_time"] == (now + 10 * S).isoformat()  # type: ignore[index]
    assert _history(engine, run["id"])[-2:] == [("CRASHED", "Crashed"), ("SCHEDULED", "AwaitingRetry")]
    crash = state_history(engine, "flow", run["id"])[-2]
    assert crash["message"] == "Worker w1 stopped heartbeating (35 s without a heartbeat while RUNNING)"
    kinds = [e["payload"]["state"]["name"] for e in list_events(engine) if e["resource_id"] == run["id"]]
    assert kinds[-2:] == ["Crashed", "AwaitingRetry"]

    # Second attempt, on another worker, goes silent too: no retries left, it stays CRASHED.
    again = claim_next_run(engine, worker_name="w2", worker_type="process", queues=["default"], now=now + 10 * S)
    assert again is not None and again["id"] == run["id"]
    set_state(engine, "flow", run["id"], Running(name="Retrying"), fields={"run_count": 2})
    assert reap_tick(engine, now=now + 60 * S, heartbeat_timeout=30)["retried"] == 0
    final = get_flow_run(engine, run["id"])
    assert (final["state"]["type"], final["run_count"]) == ("CRASHED", 2)  # type: ignore[index]


def test_claimed_but_never_started_runs_crash_too(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment()
    create_deployment_run(engine, dep, scheduled_time=T0)
    run = claim_next_run(engine, worker_name="w1", worker_type="process", queues=["default"], now=T0)
    assert run is not None

    assert reap_tick(engine, now=T0 + 31 * S, heartbeat_timeout=30)["crashed"] == 1
    after = get_flow_run(engine, run["id"])
    assert after["state"]["type"] == "CRASHED" and after["run_count"] == 1  # type: ignore[index]


def test_a_restarted_server_first_listens_for_heartbeats(engine: Engine, make_deployment: MakeDeployment) -> None:
    """Remote workers heartbeat through the server: while it was down none could arrive."""
    run = _running(engine, make_deployment())
    restarted = T0 + 100 * S  # the worker's last heartbeat is 100 s old, the server just came back

    assert reap_tick(engine, now=restarted + 5 * S, heartbeat_timeout=30, listening_since=restarted)["crashed"] == 0
    heartbeat_runs(engine, [run["id"]], worker_name="w1", now=restarted + 10 * S)  # the worker is back
    assert reap_tick(engine, now=restarted + 35 * S, heartbeat_timeout=30, listening_since=restarted)["crashed"] == 0
    # A worker that never comes back is reaped once the server has listened long enough.
    assert reap_tick(engine, now=restarted + 41 * S, heartbeat_timeout=30, listening_since=restarted)["crashed"] == 1


def test_silent_cancelling_runs_end_cancelled(engine: Engine, make_deployment: MakeDeployment) -> None:
    run = _running(engine, make_deployment(retries=3))
    cancel_run(engine, run["id"])
    assert reap_tick(engine, now=T0 + 60 * S, heartbeat_timeout=30)["cancelled"] == 1
    after = get_flow_run(engine, run["id"])
    assert after["state"]["type"] == "CANCELLED" and after["end_time"] is not None  # type: ignore[index]


def test_runs_without_a_worker_or_with_a_fresh_heartbeat_are_left_alone(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    # A flow called in a notebook: RUNNING, no worker, no heartbeat, for hours.
    write_batch(
        engine,
        [
            ("flow_run", {"id": "nb", "name": "interactive", "flow_name": "etl", "created": T0.timestamp()}),
            ("state", "flow", "nb", Pending(), {}),
            ("state", "flow", "nb", Running(), {}),
        ],
    )
    busy = _running(engine, make_deployment())
    heartbeat_runs(engine, [busy["id"]], worker_name="w1", now=T0 + 3590 * S)

    assert reap_tick(engine, now=T0 + 3600 * S) == {"late": 0, "crashed": 0, "retried": 0, "cancelled": 0, "expired": 0}
    assert get_flow_run(engine, "nb")["state"]["type"] == "RUNNING"  # type: ignore[index]
    assert get_flow_run(engine, busy["id"])["state"]["type"] == "RUNNING"  # type: ignore[index]


def _scheduled_running(engine: Engine, dep: dict[str, Any], at: dt.datetime) -> dict[str, Any]:
    """A run of ``dep``'s schedule for the slot ``at``, claimed and started by worker w1."""
    slot = create_deployment_run(engine, dep, scheduled_time=at, schedule_id=dep["schedules"][0]["id"])
    run = claim_next_run(engine, worker_name="w1", worker_type="process", queues=["default"], now=at)
    assert run is not None and run["id"] == slot["id"]
    set_state(engine, "flow", run["id"], Running(), fields={"run_count": 1, "start_time": at})
    return run


def test_runs_of_one_schedule_silent_together_are_all_retried(engine: Engine, make_deployment: MakeDeployment) -> None:
    """A server killed while running several slots of one schedule: all crash and retry on the
    next pass (their retries share one time, which used to be their slot key: the pass failed)."""
    dep = make_deployment(retries=1, schedules=[{"interval": 60}])
    runs = [_scheduled_running(engine, dep, T0 + i * 60 * S) for i in range(3)]

    now = T0 + 600 * S
    assert reap_tick(engine, now=now, heartbeat_timeout=30) == {
        "late": 0,
        "crashed": 3,
        "retried": 3,
        "cancelled": 0,
        "expired": 0,
    }
    for run in runs:
        after = get_flow_run(engine, run["id"])
        assert (after["state"]["name"], after["run_count"]) == ("AwaitingRetry", 1)  # type: ignore[index]
    # All three are due at once and each is claimed for its second attempt.
    claimed = {
        claim_next_run(engine, worker_name="w2", worker_type="process", queues=["default"], now=now + S)["id"]
        for _ in runs
    }  # type: ignore[index]
    assert claimed == {r["id"] for r in runs}


def test_a_run_whose_retry_cannot_be_scheduled_ends_and_does_not_stop_the_others(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    """A silent run with a retry delay out of range (an older version stored 1e23): its retry
    cannot be computed, so it ends CRASHED, and the pass settles every other run all the same
    (the error used to roll the whole pass back, every pass: nothing was ever reaped again)."""
    stuck = _running(engine, make_deployment(retries=1))
    with engine.begin() as conn:
        conn.execute(update(flow_runs).where(flow_runs.c.id == stuck["id"]).values(retry_delay_seconds=1e23))
    other = _running(engine, make_deployment(retries=1), at=T0 + S)
    cancelling = _running(engine, make_deployment(), at=T0 + 2 * S)
    cancel_run(engine, cancelling["id"])

    assert reap_tick(engine, now=T0 + 60 * S, heartbeat_timeout=30) == {
        "late": 0,
        "crashed": 2,
        "retried": 1,
        "cancelled": 1,
        "expired": 0,
    }
    assert get_flow_run(engine, other["id"])["state"]["name"] == "AwaitingRetry"  # type: ignore[index]
    assert get_flow_run(engine, cancelling["id"])["state"]["type"] == "CANCELLED"  # type: ignore[index]
    ended = get_flow_run(engine, stuck["id"])
    assert ended["state"]["type"] == "CRASHED" and ended["end_time"] is not None  # type: ignore[index]
    assert ended["state"]["message"].endswith("its retry could not be scheduled")  # type: ignore[index]
    assert reap_tick(engine, now=T0 + 90 * S, heartbeat_timeout=30)["crashed"] == 0
