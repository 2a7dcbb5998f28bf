"""Deployments, work queues and workers in the store: what the API, the CLI and deploy() share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy.engine import Engine

from orchestr_lab.core.errors import Conflict, NotFound, OrchestrLabError
from orchestr_lab.core.states import Completed, Pending, Running
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import (
    create_deployment,
    delete_deployment,
    get_deployment,
    get_deployment_by_name,
    list_deployments,
    update_deployment,
)
from orchestr_lab.store.queues import (
    create_queue,
    delete_queue,
    ensure_queue,
    get_queue,
    list_queues,
    update_queue,
)
from orchestr_lab.store.run_reads import get_flow_run, list_flow_runs
from orchestr_lab.store.runs import set_state
from orchestr_lab.store.workers import list_workers, worker_heartbeat

UTC = dt.timezone.utc
FUTURE = dt.datetime(dt.datetime.now(UTC).year + 2, 1, 6, 12, tzinfo=UTC)


def test_create_read_update_delete(engine: Engine) -> None:
    spec = {
        "name": "nightly-report",
        "notebook": "reports/daily.ipynb",
        "description": "the numbers",
        "parameters": {"region": "eu", "n": 3},
        "schedules": [
            {"cron": "0 9 * * 1-5", "timezone": "Europe/Paris", "parameters": {"n": 5}},
            {"interval": 3600, "active": False},
        ],
        "work_queue": "reports",
        "retries": 2,
        "retry_delay_seconds": 30,
        "timeout_seconds": 600,
        "tags": ["finance"],
        "concurrency_limit": 1,
    }
    dep = create_deployment(engine, spec)

    assert dep["id"] and dep["name"] == "nightly-report" and dep["entrypoint"] is None
    assert dep["parameters"] == {"region": "eu", "n": 3}
    assert [(s["cron"], s["interval"], s["timezone"], s["active"]) for s in dep["schedules"]] == [
        ("0 9 * * 1-5", None, "Europe/Paris", True),
        (None, 3600, "UTC", False),
    ]
    assert dep["schedules"][0]["parameters"] == {"n": 5}
    assert (dep["work_queue"], dep["retries"], dep["retry_delay_seconds"]) == ("reports", 2, 30)
    assert (dep["timeout_seconds"], dep["tags"]) == (600, ["finance"])
    assert (dep["concurrency_limit"], dep["paused"]) == (1, False)
    assert dt.datetime.fromisoformat(dep["created"]).tzinfo is not None
    assert get_deployment(engine, dep["id"]) == dep == get_deployment_by_name(engine, "nightly-report")
    assert get_queue(engine, "reports") is not None  # the queue exists as soon as something uses it

    updated = update_deployment(
        engine, dep["id"], {"paused": True, "timeout_seconds": None, "schedules": [{"interval": 60}]}
    )
    assert updated["paused"] is True and updated["timeout_seconds"] is None
    assert [(s["cron"], s["interval"]) for s in updated["schedules"]] == [(None, 60)]
    assert updated["parameters"] == dep["parameters"] and updated["created"] == dep["created"]
    assert updated["updated"] >= dep["updated"]
    assert list_deployments(engine) == [updated]

    delete_deployment(engine, dep["id"])
    assert get_deployment(engine, dep["id"]) is None and list_deployments(engine) == []


def test_duplicate_name_is_a_conflict(make_deployment: Callable[..., dict[str, Any]]) -> None:
    make_deployment(name="etl")
    with pytest.raises(Conflict, match="'etl' already exists") as info:
        make_deployment(name="etl", entrypoint="flows/etl.py:main", notebook=None)
    assert isinstance(info.value, OrchestrLabError)


def test_unknown_ids_are_not_found(engine: Engine) -> None:
    with pytest.raises(NotFound):
        update_deployment(engine, "nope", {"paused": True})
    with pytest.raises(NotFound):
        delete_deployment(engine, "nope")
    assert get_deployment(engine, "nope") is None
    assert issubclass(NotFound, LookupError)


def test_specs_are_validated_like_the_api(engine: Engine) -> None:
    with pytest.raises(ValidationError, match="exactly one of 'notebook' or 'entrypoint'"):
        create_deployment(engine, {"name": "x"})
    with pytest.raises(ValidationError, match="Invalid cron"):
        create_deployment(engine, {"name": "x", "notebook": "a.ipynb", "schedules": [{"cron": "every day"}]})
    assert list_deployments(engine) == []


def test_a_naive_anchor_is_wall_time_in_the_schedule_zone(make_deployment: Callable[..., dict[str, Any]]) -> None:
    dep = make_deployment(schedules=[{"interval": 86400, "anchor": "2026-01-01T09:00:00", "timezone": "Europe/Paris"}])
    assert dep["schedules"][0]["anchor"] == "2026-01-01T08:00:00+00:00"


def test_deleting_a_deployment_drops_its_unstarted_runs_only(
    engine: Engine, make_deployment: Callable[..., dict[str, Any]]
) -> None:
    dep = make_deployment()
    waiting = create_deployment_run(engine, dep)
    done = create_deployment_run(engine, dep)
    for state in (Pending(), Running(), Completed()):
        set_state(engine, "flow", done["id"], state)

    delete_deployment(engine, dep["id"])

    assert get_flow_run(engine, waiting["id"]) is None
    kept = get_flow_run(engine, done["id"])
    assert kept is not None and kept["state"]["type"] == "COMPLETED" and kept["deployment_id"] == dep["id"]


def test_an_update_replaces_the_scheduler_runs_that_are_not_due(
    engine: Engine, make_deployment: Callable[..., dict[str, Any]]
) -> None:
    dep = make_deployment(schedules=[{"cron": "0 * * * *"}])
    schedule_id = dep["schedules"][0]["id"]
    upcoming = create_deployment_run(engine, dep, schedule_id=schedule_id, scheduled_time=FUTURE)
    manual = create_deployment_run(engine, dep, scheduled_time=FUTURE)

    update_deployment(engine, dep["id"], {"parameters": {"n": 2}})

    assert get_flow_run(engine, upcoming["id"]) is None  # the scheduler makes it again, with n=2
    assert get_flow_run(engine, manual["id"]) is not None  # someone asked for this one
    runs, total = list_flow_runs(engine, deployment_id=dep["id"])
    assert total == 1 and runs[0]["id"] == manual["id"]


def test_work_queues(engine: Engine) -> None:
    assert get_queue(engine, "default") == {
        "name": "default",
        "concurrency_limit": None,
        "paused": False,
        "description": None,
        "created": get_queue(engine, "default")["created"],  # type: ignore[index]
        "work_pool_name": "default",
    }
    q = create_queue(engine, {"name": "gpu", "concurrency_limit": 2, "paused": False, "description": "big"})
    assert (q["name"], q["concurrency_limit"], q["description"]) == ("gpu", 2, "big")
    with pytest.raises(Conflict):
        create_queue(engine, {"name": "gpu"})
    assert ensure_queue(engine, "gpu")["concurrency_limit"] == 2  # existing queue left alone
    assert ensure_queue(engine, "cpu")["paused"] is False

    changed = update_queue(engine, "gpu", {"paused": True, "concurrency_limit": None})
    assert changed["paused"] is True and changed["concurrency_limit"] is None
    assert [x["name"] for x in list_queues(engine)] == ["cpu", "default", "gpu"]
    with pytest.raises(NotFound):
        update_queue(engine, "nope", {"paused": True})

    delete_queue(engine, "gpu")
    assert get_queue(engine, "gpu") is None
    with pytest.raises(NotFound):
        delete_queue(engine, "gpu")
    with pytest.raises(Conflict, match="cannot be deleted"):
        delete_queue(engine, "default")


def test_worker_heartbeats_and_last_seen(engine: Engine) -> None:
    t1 = dt.datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    worker_heartbeat(engine, name="w1", type="process", queues=["default"], now=t1)
    worker_heartbeat(engine, name="w2", type="dask", queues=["gpu"], now=t1 + dt.timedelta(seconds=5))
    again = worker_heartbeat(
        engine, name="w1", type="process", queues=["default", "gpu"], now=t1 + dt.timedelta(seconds=10)
    )

    assert again == {
        "name": "w1",
        "type": "process",
        "queues": ["default", "gpu"],
        "last_seen": "2026-05-01T12:00:10+00:00",
    }
    assert [(w["name"], w["last_seen"]) for w in list_workers(engine)] == [
        ("w1", "2026-05-01T12:00:10+00:00"),
        ("w2", "2026-05-01T12:00:05+00:00"),
    ]
