"""Assets, emitted events and event-triggered automations in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from sqlalchemy import insert
from sqlalchemy.engine import Engine

from orchestr_lab.core.errors import NotFound
from orchestr_lab.core.states import Completed
from orchestr_lab.store.assets import get_asset, list_assets, record_materialization
from orchestr_lab.store.automations import create_automation, get_automation
from orchestr_lab.store.database import write_transaction
from orchestr_lab.store.events import emit_event, list_events
from orchestr_lab.store.models import flow_runs
from orchestr_lab.store.retention import RetentionPolicy, prune
from orchestr_lab.store.rows import ensure_flows

OLD = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)


def _finished_run(engine: Engine) -> str:
    run_id = str(uuid.uuid4())

    def work(conn: Any) -> None:
        flow_id = ensure_flows(conn, {"f": OLD.timestamp()})["f"]
        row = {"id": run_id, "name": "old-run", "flow_id": flow_id, "flow_name": "f", "created": OLD, "updated": OLD}
        conn.execute(insert(flow_runs).values(**row, state_type="COMPLETED", end_time=OLD, state_timestamp=OLD))

    write_transaction(engine, work)
    return run_id


def _report(run_id: str | None, made: list[str], read: list[str], **kw: Any) -> dict[str, Any]:
    return {
        "flow_run_id": run_id,
        "task_run_id": None,
        "status": "succeeded",
        "assets": [{"key": k, "properties": None} for k in made],
        "upstream": [{"key": k, "properties": None} for k in read],
        **kw,
    }


def test_a_runs_materializations_go_with_it_and_the_asset_stays(engine: Engine) -> None:
    run_id = _finished_run(engine)
    record_materialization(engine, _report(run_id, ["s3://b/out"], ["s3://b/in"], metadata={"s3://b/out": {"n": 2}}))
    assert get_asset(engine, "s3://b/out")["upstream"] == ["s3://b/in"]
    assert get_asset(engine, "s3://b/out")["materializations"][0]["flow_run_name"] == "old-run"

    policy = RetentionPolicy(runs_max_age=dt.timedelta(days=30), keep_last=0, events_max_age=None, logs_max_age=None)
    prune(engine, policy, now=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    kept = get_asset(engine, "s3://b/out")
    assert kept is not None and kept["materializations"] == [] and kept["upstream"] == []
    assert kept["last_metadata"] == {"n": 2}  # the asset keeps what it last was
    assert [a["key"] for a in list_assets(engine)[0]] == ["s3://b/in", "s3://b/out"]


def test_a_report_for_a_missing_run_is_refused(engine: Engine) -> None:
    with pytest.raises(NotFound):
        record_materialization(engine, _report("no-such-run", ["s3://b/x"], []))
    assert list_assets(engine) == ([], 0)


def test_assets_page_by_key_and_prefix(engine: Engine) -> None:
    for i in range(5):
        record_materialization(engine, _report(None, [f"s3://b/{i}", f"gs://c/{i}"], []))
    page, total = list_assets(engine, prefix="s3://", limit=2, offset=1)
    assert [a["key"] for a in page] == ["s3://b/1", "s3://b/2"] and total == 5
    assert list_assets(engine, prefix="s3://b/_")[1] == 0  # the prefix is text, not a LIKE pattern


def test_an_event_trigger_fires_once_per_matching_event(engine: Engine, make_deployment: Any, tmp_path: Any) -> None:
    from orchestr_lab.services.automations import automation_tick

    target = make_deployment(name="on-event", entrypoint="flows.py:f", notebook=None, parameters={"n": 1})
    emit_event(engine, _event("before.creation", "res.1"))  # events before the automation do not fire it
    automation = create_automation(
        engine,
        {
            "name": "react",
            "event": "shop.order.*",
            "event_resource": "shop.customer.*",
            "action": "run_deployment",
            "target_deployment_id": target["id"],
            "parameters": {"n": 5},
            "enabled": True,
        },
    )
    emit_event(engine, _event("shop.order.placed", "shop.customer.7"))
    emit_event(engine, _event("shop.order.placed", "other.9"))  # resource does not match
    emit_event(engine, _event("shop.refund", "shop.customer.7"))  # name does not match
    emit_event(engine, _event("shop.order.shipped", "shop.customer.8"))
    assert automation_tick(engine, root_dir=tmp_path) == 2
    assert automation_tick(engine, root_dir=tmp_path) == 0  # once per event
    fired = get_automation(engine, "react")["firings"]
    assert sorted(f["event"] for f in fired) == ["shop.order.placed", "shop.order.shipped"]
    assert all(f["triggered_run_id"] for f in fired)
    assert automation["deployment_id"] is None and automation["event"] == "shop.order.*"
    from orchestr_lab.store.run_reads import get_flow_run

    run = get_flow_run(engine, fired[0]["triggered_run_id"])
    assert run["parameters"] == {"n": 5} and run["deployment_id"] == target["id"]
    emit_event(engine, _event("shop.order.placed", "shop.customer.1"))
    assert automation_tick(engine, root_dir=tmp_path) == 1


def test_emitted_events_join_the_event_feed(engine: Engine) -> None:
    emit_event(engine, _event("x" * 1000, "r" * 1000))
    (stored,) = [e for e in list_events(engine) if e["kind"].startswith("x")]
    assert stored["resource_id"] == "r" * 1000
    assert stored["payload"]["payload"] == {"k": 1}
    assert stored["payload"]["resource"] == {"prefect.resource.id": "r" * 1000}


def _event(name: str, resource: str) -> dict[str, Any]:
    return {
        "id": str(uuid.uuid4()),
        "event": name,
        "resource": {"prefect.resource.id": resource},
        "related": [],
        "payload": {"k": 1},
        "occurred": Completed().timestamp,
    }
