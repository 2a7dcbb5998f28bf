"""What a trivial flow call leaves in the store: few event rows, and everything reads back whole."""

from __future__ import annotations

from typing import Any

import pytest

from orchestr_lab import flow, runtime, task
from orchestr_lab.store.database import get_engine, write_transaction
from orchestr_lab.store.events import event_row, insert_events, list_events
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs, state_history


@task
def one() -> int:
    return 1


@flow(name="footprint")
def trivial() -> str:
    one()
    return str(runtime.flow_run.id)


def test_a_trivial_flow_run_writes_two_events_and_reads_back_whole(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", db_url)
    engine = get_engine(db_url)
    run_id = trivial()

    # One state event with where the run ended, one for its task runs (not one per state).
    events = list_events(engine)
    assert [(e["kind"], e["resource_id"]) for e in events] == [
        ("flow_run.state", run_id),
        ("task_runs.changed", run_id),
    ]
    run = get_flow_run(engine, run_id)
    assert run is not None and run["state"]["type"] == "COMPLETED"
    payload = events[0]["payload"]
    assert set(payload) == {"state", "name", "deployment_id"}
    assert (payload["name"], payload["deployment_id"]) == (run["name"], None)
    shown = payload["state"]
    assert (shown["type"], shown["name"], shown["message"]) == ("COMPLETED", "Completed", None)
    assert shown["timestamp"][:19] == run["state"]["timestamp"][:19]
    assert events[1]["payload"] == {"flow_run_id": run_id, "counts": {"COMPLETED": 1}, "changed": 1}
    with engine.connect() as conn:  # JSON is stored without spaces, on both stores
        stored = conn.exec_driver_sql("SELECT CAST(payload AS TEXT) FROM events").scalars().all()
    assert stored[1] == '{"counts":{"COMPLETED":1}}'

    # Every state is still in the histories.
    assert [s["type"] for s in state_history(engine, "flow", run_id)] == ["PENDING", "RUNNING", "COMPLETED"]
    (task_run,) = list_task_runs(engine, run_id)
    assert [s["type"] for s in state_history(engine, "task", task_run["id"])] == ["PENDING", "RUNNING", "COMPLETED"]


def test_event_payloads_stored_whole_read_the_same(db_url: str) -> None:
    """Rows written before payloads were stored compact (or by another writer) read unchanged."""
    engine = get_engine(db_url)
    state = {"type": "FAILED", "name": "Failed", "message": "boom", "timestamp": "2026-01-01T00:00:00+00:00"}
    whole: list[tuple[str, str, dict[str, Any]]] = [
        ("flow_run.state", "r1", {"state": state, "name": "brave-raven", "deployment_id": None}),
        ("flow_run.state", "r2", {"state": {**state, "message": None}, "name": "x", "deployment_id": "d1"}),
        ("task_runs.changed", "r1", {"flow_run_id": "r1", "counts": {"COMPLETED": 2, "FAILED": 1}, "changed": 3}),
        ("deployment.updated", "d1", {"name": "nightly"}),
    ]
    write_transaction(engine, lambda conn: insert_events(conn, [event_row(*e) for e in whole]))
    assert [(e["kind"], e["resource_id"], e["payload"]) for e in list_events(engine)] == whole
