"""The event feed: written by the store with each change, read back in order by cursor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from orchestr_lab.core.states import Completed, Pending, Running
from orchestr_lab.core.wire import FlowRunOp, StateOp, TaskRunOp
from orchestr_lab.store.deployment_runs import cancel_run, create_deployment_run
from orchestr_lab.store.deployments import delete_deployment, update_deployment
from orchestr_lab.store.events import list_events
from orchestr_lab.store.runs import set_state, write_batch

T0 = 1_700_000_000.0
MakeDeployment = Callable[..., dict[str, Any]]


def _kinds(engine: Engine, after: int | None = None) -> list[str]:
    return [e["kind"] for e in list_events(engine, after=after, limit=1000)]


def _flow_run(run_id: str, **extra: Any) -> tuple[str, dict[str, Any]]:
    row = {"id": run_id, "name": f"run-{run_id}", "flow_name": "etl", "created": T0, **extra}
    return FlowRunOp(row)


def _task_run(run_id: str, flow_run_id: str | None) -> tuple[str, dict[str, Any]]:
    return TaskRunOp(
        {"id": run_id, "name": "t", "flow_run_id": flow_run_id, "task_key": "m.t", "dynamic_key": run_id, "created": T0}
    )


def test_events_page_in_order_by_cursor(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment(name="etl")
    for _ in range(6):
        create_deployment_run(engine, dep)
    update_deployment(engine, dep["id"], {"description": "nightly"})

    everything = list_events(engine)
    assert [e["kind"] for e in everything] == ["deployment.created"] + ["flow_run.state"] * 6 + ["deployment.updated"]
    ids = [e["id"] for e in everything]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)

    pages: list[dict[str, Any]] = []
    cursor = None
    while page := list_events(engine, after=cursor, limit=3):
        pages.extend(page)
        cursor = page[-1]["id"]
    assert pages == everything
    assert list_events(engine, after=ids[-1]) == []

    first = everything[0]
    assert first["resource_id"] == dep["id"] and first["payload"]["name"] == "etl"
    assert dt.datetime.fromisoformat(first["occurred"]).tzinfo is not None


def test_a_batch_of_1000_task_runs_adds_one_task_event(engine: Engine) -> None:
    write_batch(engine, [_flow_run("f1"), StateOp("flow", "f1", Running(timestamp=T0), {})])
    start = list_events(engine)[-1]["id"]

    ops: list[tuple[Any, ...]] = []
    for i in range(1000):
        ops += [
            _task_run(f"t{i}", "f1"),
            StateOp("task", f"t{i}", Pending(), {}),
            StateOp("task", f"t{i}", Running(), {}),
        ]
    ops += [StateOp("task", f"t{i}", Completed(), {}) for i in range(400)]
    assert write_batch(engine, ops) == []

    new = list_events(engine, after=start)
    assert [e["kind"] for e in new] == ["task_runs.changed"]
    assert new[0]["resource_id"] == "f1"
    assert new[0]["payload"] == {"flow_run_id": "f1", "counts": {"COMPLETED": 400, "RUNNING": 600}, "changed": 1000}

    # Existing task runs of two flow runs in one batch: one event per flow run.
    write_batch(engine, [_flow_run("f2"), StateOp("flow", "f2", Running(), {}), _task_run("u1", "f2")])
    mark = list_events(engine)[-1]["id"]
    write_batch(
        engine,
        [StateOp("task", "t0", Completed(), {}), StateOp("task", "u1", Pending(), {})]
        + [StateOp("task", f"t{i}", Completed(), {}) for i in range(400, 410)],
    )
    changed = {e["resource_id"]: e["payload"]["counts"] for e in list_events(engine, after=mark)}
    assert changed == {"f1": {"COMPLETED": 10}, "f2": {"PENDING": 1}}  # t0 was refused: already COMPLETED


def test_task_runs_outside_a_flow_make_no_events(engine: Engine) -> None:
    write_batch(engine, [_task_run("solo", None), StateOp("task", "solo", Running(), {})])
    assert list_events(engine) == []


def test_flow_state_changes_are_events_whoever_writes_them(engine: Engine, make_deployment: MakeDeployment) -> None:
    # One batch moving a run through two states: one event, with the state the batch left it in.
    write_batch(engine, [_flow_run("f1"), StateOp("flow", "f1", Pending(), {}), StateOp("flow", "f1", Running(), {})])
    set_state(engine, "flow", "f1", Completed("done"))
    states = [e for e in list_events(engine) if e["resource_id"] == "f1"]
    assert [e["payload"]["state"]["type"] for e in states] == ["RUNNING", "COMPLETED"]
    assert states[0]["payload"]["state"]["message"] is None
    assert states[-1]["payload"]["state"]["message"] == "done"
    assert states[-1]["payload"]["name"] == "run-f1" and states[-1]["payload"]["deployment_id"] is None

    dep = make_deployment()
    run = create_deployment_run(engine, dep)
    mark = list_events(engine)[-1]["id"]
    cancel_run(engine, run["id"])
    delete_deployment(engine, dep["id"])
    after = list_events(engine, after=mark)
    assert [(e["kind"], e["resource_id"]) for e in after] == [
        ("flow_run.state", run["id"]),
        ("deployment.deleted", dep["id"]),
    ]
    assert after[0]["payload"]["deployment_id"] == dep["id"]
    assert after[0]["payload"]["state"]["type"] == "CANCELLED"


def test_refused_ops_write_no_events(engine: Engine) -> None:
    write_batch(engine, [_flow_run("f1"), StateOp("flow", "f1", Completed(), {})])  # illegal from nothing
    assert _kinds(engine) == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM events")).scalar() == 0


def test_a_reader_never_sees_an_event_before_an_earlier_one_still_uncommitted(engine: Engine) -> None:
    """Ids are handed out in order but transactions commit in any order: a reader paging by id
    must not see a later event while an earlier one may still appear (it would skip it for good)."""
    import threading
    import time

    from orchestr_lab.store.database import write_transaction
    from orchestr_lab.store.events import event_row, insert_events

    hold, inserted = threading.Event(), threading.Event()

    def slow(conn: Any) -> None:
        insert_events(conn, [event_row("test.slow", None, {})])
        inserted.set()
        hold.wait(30)

    def fast(conn: Any) -> None:
        insert_events(conn, [event_row("test.fast", None, {})])

    writers = [threading.Thread(target=write_transaction, args=(engine, slow))]
    seen: list[list[str]] = []
    reader = threading.Thread(target=lambda: seen.append(_kinds(engine)))
    try:
        writers[0].start()
        assert inserted.wait(10)
        writers.append(threading.Thread(target=write_transaction, args=(engine, fast)))
        writers[1].start()
        time.sleep(0.5)  # the fast writer commits now (PostgreSQL) or waits for the slow one (SQLite)
        reader.start()
        reader.join(1.0)
        assert not any("test.fast" in kinds for kinds in seen), seen  # answered early, or waited
    finally:
        hold.set()
    for thread in (*writers, reader):
        thread.join(30)
    assert _kinds(engine)[-2:] == ["test.slow", "test.fast"]
    assert seen and ("test.fast" not in seen[0] or "test.slow" in seen[0]), seen  # never the later one alone
