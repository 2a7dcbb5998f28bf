"""Deployment runs: creation, claims (one worker per run, limits honoured), cancel, retry, attempts."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from _helpers import create_due_runs
from orchestr_lab.core.errors import Conflict, IllegalTransition, NotFound
from orchestr_lab.core.states import Completed, Crashed, Failed, Pending, Retrying, Running
from orchestr_lab.core.wire import TaskRunOp
from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.deployment_runs import (
    cancel_run,
    create_deployment_run,
    delete_run,
    finish_attempt,
    heartbeat_runs,
    retry_run,
)
from orchestr_lab.store.deployments import update_deployment
from orchestr_lab.store.queues import create_queue, update_queue
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs, state_history
from orchestr_lab.store.runs import set_state, write_batch

from ._claim_worker import claim_into

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
MakeDeployment = Callable[..., dict[str, Any]]


def _claim(
    engine: Engine, worker: str = "w1", *, queues: list[str] | None = None, now: dt.datetime = T0
) -> dict[str, Any] | None:
    return claim_next_run(engine, worker_name=worker, worker_type="process", queues=queues or ["default"], now=now)


def _history(engine: Engine, run_id: str) -> list[tuple[str, str]]:
    return [(h["type"], h["name"]) for h in state_history(engine, "flow", run_id)]


# -- creation ---------------------------------------------------------------------------------


def test_a_run_carries_the_deployment_settings_and_merged_parameters(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    dep = make_deployment(
        name="daily",
        notebook="reports/daily.ipynb",
        parameters={"a": 1, "b": 2},
        work_queue="reports",
        schedules=[{"cron": "0 9 * * *", "parameters": {"b": 3, "c": 4}}],
        retries=2,
        retry_delay_seconds=5,
        timeout_seconds=60,
        tags=["t"],
    )
    run = create_deployment_run(
        engine,
        dep,
        parameters={"c": 5, "d": 6},
        scheduled_time=T0,
        schedule_id=dep["schedules"][0]["id"],
        name="by-hand",
    )

    assert run["parameters"] == {"a": 1, "b": 3, "c": 5, "d": 6}  # defaults | schedule | given
    assert run["state"]["type"] == "SCHEDULED" and run["state"]["name"] == "Scheduled"
    assert run["scheduled_start_time"] == T0.isoformat()
    assert (run["name"], run["flow_name"], run["deployment_id"], run["tags"]) == ("by-hand", "daily", dep["id"], ["t"])
    assert (run["work_queue"], run["notebook"], run["entrypoint"]) == ("reports", "reports/daily.ipynb", None)
    assert (run["timeout_seconds"], run["max_retries"], run["retry_delay_seconds"]) == (60, 2, 5)
    assert run["schedule_id"] == dep["schedules"][0]["id"] and run["run_count"] == 0
    assert get_flow_run(engine, run["id"])["parameters"] == run["parameters"]  # type: ignore[index]
    assert _history(engine, run["id"]) == [("SCHEDULED", "Scheduled")]

    entry = make_deployment(name="etl", notebook=None, entrypoint="flows/etl.py:load_all")
    assert create_deployment_run(engine, entry)["flow_name"] == "load-all"  # as @flow names it


def test_scheduled_runs_are_idempotent_manual_runs_are_not(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment(schedules=[{"interval": 60}])
    sid = dep["schedules"][0]["id"]

    first = create_deployment_run(engine, dep, scheduled_time=T0, schedule_id=sid)
    second = create_deployment_run(engine, dep, scheduled_time=T0, schedule_id=sid, parameters={"x": 1})
    other_slot = create_deployment_run(engine, dep, scheduled_time=T0 + dt.timedelta(minutes=1), schedule_id=sid)
    manual = [create_deployment_run(engine, dep, scheduled_time=T0) for _ in range(2)]

    assert second["id"] == first["id"] and second["parameters"] == {}
    assert other_slot["id"] != first["id"]
    assert manual[0]["id"] != manual[1]["id"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM flow_runs")).scalar() == 4
        assert conn.execute(text("SELECT count(*) FROM run_states")).scalar() == 4


# -- claims -----------------------------------------------------------------------------------


def test_claims_take_the_oldest_due_run(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment()
    later = create_deployment_run(engine, dep, scheduled_time=T0 - dt.timedelta(minutes=1))
    older = create_deployment_run(engine, dep, scheduled_time=T0 - dt.timedelta(minutes=5))
    create_deployment_run(engine, dep, scheduled_time=T0 + dt.timedelta(minutes=1))  # not due

    run = _claim(engine, "w1")
    assert run is not None and run["id"] == older["id"]
    assert (run["state"]["type"], run["state"]["name"]) == ("PENDING", "Claimed")
    assert (run["worker"], run["heartbeat_at"]) == ({"name": "w1", "type": "process"}, T0.isoformat())
    assert run["notebook"] == "reports/daily.ipynb" and run["run_count"] == 0
    assert _claim(engine, "w2")["id"] == later["id"]  # type: ignore[index]
    assert _claim(engine, "w3") is None
    assert _claim(engine, "w3", now=T0 + dt.timedelta(minutes=2)) is not None
    assert _claim(engine, "w1", queues=[]) is None


def test_a_claim_walks_the_claim_index_instead_of_sorting_every_due_run(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    """A burst of runs due at once: the claim reads the first index entry, it does not sort them all.

    Before the claim index covered (created, id), PostgreSQL sorted every due run on every
    claim (~3 ms per claim with 2,000 waiting), which is what capped claims per second.
    """
    create_due_runs(engine, make_deployment(), 300)
    seen: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().startswith("SELECT") and "ORDER BY" in statement and "flow_runs" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        assert _claim(engine, now=dt.datetime.now(UTC)) is not None
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    assert len(seen) == 1
    statement, parameters = seen[0]
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.connect() as conn:
        plan = "\n".join(" ".join(map(str, row)) for row in conn.exec_driver_sql(explain + statement, parameters))
    assert "ix_flow_runs_claim" in plan, plan
    assert "Sort" not in plan and "TEMP B-TREE" not in plan, plan


def test_claims_honour_queue_pause_and_concurrency(engine: Engine, make_deployment: MakeDeployment) -> None:
    create_queue(engine, {"name": "gpu", "concurrency_limit": 2})
    dep = make_deployment(work_queue="gpu")
    for _ in range(4):
        create_deployment_run(engine, dep, scheduled_time=T0)

    update_queue(engine, "gpu", {"paused": True})
    assert _claim(engine, queues=["gpu"]) is None
    update_queue(engine, "gpu", {"paused": False})

    first, second = _claim(engine, queues=["gpu"]), _claim(engine, queues=["gpu"])
    assert first and second and first["id"] != second["id"]
    assert _claim(engine, queues=["gpu"]) is None  # two active runs fill the queue
    set_state(engine, "flow", first["id"], Running())
    assert _claim(engine, queues=["gpu"]) is None  # RUNNING still holds its slot
    set_state(engine, "flow", first["id"], Completed())
    assert _claim(engine, queues=["gpu"]) is not None  # a finished run frees it


def test_claims_honour_deployment_concurrency(engine: Engine, make_deployment: MakeDeployment) -> None:
    limited = make_deployment(concurrency_limit=1)
    free = make_deployment()
    a1 = create_deployment_run(engine, limited, scheduled_time=T0 - dt.timedelta(minutes=3))
    a2 = create_deployment_run(engine, limited, scheduled_time=T0 - dt.timedelta(minutes=2))
    b1 = create_deployment_run(engine, free, scheduled_time=T0 - dt.timedelta(minutes=1))

    assert _claim(engine)["id"] == a1["id"]  # type: ignore[index]
    assert _claim(engine)["id"] == b1["id"]  # type: ignore[index]  # a2 waits: its deployment is full
    assert _claim(engine) is None
    update_deployment(engine, limited["id"], {"concurrency_limit": 2})
    assert _claim(engine)["id"] == a2["id"]  # type: ignore[index]


def test_four_worker_processes_claim_each_of_200_runs_exactly_once(
    db_url: str, engine: Engine, make_deployment: MakeDeployment
) -> None:
    deps = [make_deployment(), make_deployment()]
    runs = {
        create_deployment_run(engine, deps[i % 2], scheduled_time=T0 - dt.timedelta(seconds=i))["id"]
        for i in range(200)
    }
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(target=claim_into, args=(results, db_url, f"worker-{i}", go, T0.isoformat())) for i in range(4)
    ]
    for p in workers:
        p.start()
    assert sorted(results.get(timeout=120) for _ in workers) == [("ready", f"worker-{i}") for i in range(4)]
    go.set()
    got = dict(results.get(timeout=120) for _ in workers)
    for p in workers:
        p.join(60)
        assert p.exitcode == 0

    claimed = [run_id for ids in got.values() for run_id in ids]
    assert len(claimed) == 200 and set(claimed) == runs  # every run, none twice
    for worker, ids in got.items():
        for run_id in ids[:5]:
            assert get_flow_run(engine, run_id)["worker"]["name"] == worker  # type: ignore[index]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM run_states WHERE name = 'Claimed'")).scalar() == 200


def test_heartbeats_refresh_and_say_which_runs_to_stop(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment()
    a, b, c = (create_deployment_run(engine, dep, scheduled_time=T0) for _ in range(3))
    for _ in range(3):
        _claim(engine, "w1")
    set_state(engine, "flow", a["id"], Running())
    set_state(engine, "flow", b["id"], Running())
    cancel_run(engine, b["id"])  # RUNNING -> CANCELLING: the worker must stop it
    cancel_run(engine, c["id"])  # claimed PENDING -> CANCELLED: nothing left to run either

    later = T0 + dt.timedelta(seconds=30)
    assert sorted(heartbeat_runs(engine, [a["id"], b["id"], c["id"]], worker_name="w1", now=later)) == sorted(
        [b["id"], c["id"]]
    )
    assert get_flow_run(engine, a["id"])["heartbeat_at"] == later.isoformat()  # type: ignore[index]
    assert heartbeat_runs(engine, [], worker_name="w1") == []


# -- cancel, retry, delete --------------------------------------------------------------------


def test_cancel_by_state(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment()
    waiting, running, done = (create_deployment_run(engine, dep, scheduled_time=T0) for _ in range(3))
    for state in (Pending(), Running()):
        set_state(engine, "flow", running["id"], state)
        set_state(engine, "flow", done["id"], state)
    set_state(engine, "flow", done["id"], Completed())

    assert cancel_run(engine, waiting["id"])["state"]["type"] == "CANCELLED"
    assert cancel_run(engine, running["id"])["state"]["type"] == "CANCELLING"
    assert cancel_run(engine, running["id"])["state"]["type"] == "CANCELLING"  # asking twice is fine
    assert len(_history(engine, running["id"])) == 4
    with pytest.raises(Conflict, match="already finished"):
        cancel_run(engine, done["id"])
    with pytest.raises(Conflict):
        cancel_run(engine, waiting["id"])
    with pytest.raises(NotFound):
        cancel_run(engine, "nope")


def test_retry_reschedules_finished_failures_only(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment()
    failed, running, done = (create_deployment_run(engine, dep, scheduled_time=T0) for _ in range(3))
    for run in (failed, running, done):
        set_state(engine, "flow", run["id"], Pending())
        set_state(engine, "flow", run["id"], Running(), fields={"run_count": 1})
    set_state(engine, "flow", failed["id"], Failed("boom"))
    set_state(engine, "flow", done["id"], Completed())

    later = T0 + dt.timedelta(hours=1)
    again = retry_run(engine, failed["id"], now=later)
    assert (again["state"]["type"], again["state"]["name"]) == ("SCHEDULED", "Rerun")
    assert again["scheduled_start_time"] == later.isoformat() and again["end_time"] is None
    assert _claim(engine, now=later)["id"] == failed["id"]  # type: ignore[index]
    for run in (running, done):
        with pytest.raises(Conflict, match="only FAILED, CRASHED or CANCELLED"):
            retry_run(engine, run["id"])


def test_delete_run_takes_its_task_runs(engine: Engine, make_deployment: MakeDeployment) -> None:
    run = create_deployment_run(engine, make_deployment(), scheduled_time=T0)
    write_batch(
        engine,
        [
            TaskRunOp(
                {
                    "id": "t1",
                    "name": "cell-1",
                    "flow_run_id": run["id"],
                    "task_key": "k",
                    "dynamic_key": "0",
                    "created": T0.timestamp(),
                }
            )
        ],
    )
    delete_run(engine, run["id"])
    assert get_flow_run(engine, run["id"]) is None and list_task_runs(engine, run["id"]) == []
    with pytest.raises(NotFound):
        delete_run(engine, run["id"])


# -- finishing an attempt ---------------------------------------------------------------------


def _started(engine: Engine, dep: dict[str, Any], attempt: int = 1) -> dict[str, Any]:
    run = _claim(engine, now=T0 + dt.timedelta(hours=attempt))
    assert run is not None
    set_state(engine, "flow", run["id"], Running() if attempt == 1 else Retrying(), fields={"run_count": attempt})
    return run


def test_a_failed_attempt_is_retried_while_retries_remain(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment(retries=1, retry_delay_seconds=90)
    run = create_deployment_run(engine, dep, scheduled_time=T0)

    _started(engine, dep, 1)
    end = T0 + dt.timedelta(hours=1, minutes=5)
    after = finish_attempt(
        engine, run["id"], Failed("Cell 2 failed"), fields={"output_notebook": "/o/1.ipynb"}, now=end
    )
    assert (after["state"]["type"], after["state"]["name"]) == ("SCHEDULED", "AwaitingRetry")
    assert after["scheduled_start_time"] == (end + dt.timedelta(seconds=90)).isoformat()
    assert "Attempt 1 of 2 ended FAILED: Cell 2 failed" in after["state"]["message"]
    assert after["output_notebook"] == "/o/1.ipynb"
    assert _history(engine, run["id"])[-2:] == [("FAILED", "Failed"), ("SCHEDULED", "AwaitingRetry")]

    _started(engine, dep, 2)
    final = finish_attempt(engine, run["id"], Failed("again"), now=T0 + dt.timedelta(hours=3))
    assert (final["state"]["type"], final["run_count"]) == ("FAILED", 2)  # retries used up
    assert final["end_time"] is not None


def test_finish_attempt_completes_and_counts_attempts_that_never_started(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    dep = make_deployment(retries=1)
    ok = create_deployment_run(engine, dep, scheduled_time=T0)
    _started(engine, dep, 1)
    assert finish_attempt(engine, ok["id"], Completed())["state"]["type"] == "COMPLETED"
    with pytest.raises(IllegalTransition):
        finish_attempt(engine, ok["id"], Failed("late news"))

    stuck = create_deployment_run(engine, dep, scheduled_time=T0)
    for attempt in (1, 2):  # the kernel never starts: still one attempt each time
        assert _claim(engine, now=T0 + dt.timedelta(hours=attempt)) is not None
        after = finish_attempt(engine, stuck["id"], Crashed("no kernel"), now=T0 + dt.timedelta(hours=attempt))
        assert after["run_count"] == attempt
    assert after["state"]["type"] == "CRASHED"

    cancelled = create_deployment_run(engine, dep, scheduled_time=T0)
    assert _claim(engine, now=T0 + dt.timedelta(hours=5))["id"] == cancelled["id"]  # type: ignore[index]
    cancel_run(engine, cancelled["id"])
    assert finish_attempt(engine, cancelled["id"], Crashed("killed"))["state"]["type"] == "CANCELLED"


def test_a_page_of_deployments_shows_each_ones_latest_run_that_left_scheduled(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    """Latest by start, or by last change for a run cancelled before it started; a run still
    SCHEDULED is none. Read for the whole page at once (two queries, however many)."""
    from orchestr_lab.actions.deployment_view import describe_all

    dep, quiet = make_deployment(), make_deployment()
    started = create_deployment_run(engine, dep, scheduled_time=T0)
    set_state(engine, "flow", started["id"], Running(), fields={"start_time": T0})
    set_state(engine, "flow", started["id"], Completed())
    later = create_deployment_run(engine, dep, scheduled_time=T0 + dt.timedelta(days=3))  # made first, runs last
    cancelled = create_deployment_run(engine, dep, scheduled_time=T0 + dt.timedelta(days=1))
    cancel_run(engine, cancelled["id"])  # never started; changed now, after T0
    create_deployment_run(engine, dep, scheduled_time=T0 + dt.timedelta(days=2))  # still SCHEDULED

    def last_runs() -> list[Any]:
        return [(d["last_run"] or {}).get("id") for d in describe_all(engine, [dep, quiet])]

    assert last_runs() == [cancelled["id"], None]
    set_state(
        engine, "flow", later["id"], Running(), fields={"start_time": dt.datetime.now(UTC) + dt.timedelta(hours=1)}
    )
    assert last_runs() == [later["id"], None]
