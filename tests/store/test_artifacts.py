"""Artifacts in the store (store/artifacts.py) on SQLite and PostgreSQL: keys and versions, a run's
artifacts, pages, progress moves, events for the live sidebar, and retention."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy.engine import Engine

from orchestr_lab.core.errors import NotFound
from orchestr_lab.store.artifacts import create_artifact, get_artifact, latest_artifact, list_artifacts, update_artifact
from orchestr_lab.store.events import list_events
from orchestr_lab.store.retention import prune

from .test_retention import NOW, _policy, _run


def _make(engine: Engine, key: str | None, data: object, *, run: str | None = None, type: str = "markdown") -> dict:
    return create_artifact(engine, {"key": key, "type": type, "data": data, "flow_run_id": run})


def test_a_key_used_again_is_its_latest_version_and_the_old_one_stays(engine: Engine) -> None:
    first = _make(engine, "report", "v1")
    second = _make(engine, "report", "v2")
    _make(engine, "other", "x")

    assert latest_artifact(engine, "report")["data"] == "v2"  # type: ignore[index]
    assert latest_artifact(engine, "missing") is None
    versions = list_artifacts(engine, key="report")
    assert [a["data"] for a in versions["items"]] == ["v2", "v1"] and versions["total"] == 2
    assert get_artifact(engine, first["id"])["data"] == "v1"  # type: ignore[index]
    assert second["id"] != first["id"]


def test_a_runs_artifacts_page_by_cursor_newest_first(engine: Engine) -> None:
    run = str(uuid.uuid4())
    made = [_make(engine, None, i, run=run, type="table") for i in range(5)]
    _make(engine, None, "elsewhere")

    page = list_artifacts(engine, flow_run_id=run, limit=2)
    seen = [a["id"] for a in page["items"]]
    while page["next_cursor"]:
        page = list_artifacts(engine, flow_run_id=run, limit=2, cursor=page["next_cursor"])
        seen += [a["id"] for a in page["items"]]

    assert seen == [a["id"] for a in reversed(made)]
    assert page["total"] == 5 and page["total_exact"]
    assert list_artifacts(engine, type="markdown")["total"] == 1


def test_progress_moves_and_each_change_is_an_event_naming_the_run(engine: Engine) -> None:
    run = str(uuid.uuid4())
    bar = _make(engine, "load", 0.0, run=run, type="progress")
    moved = update_artifact(engine, bar["id"], {"data": 40.0})

    assert moved["data"] == 40.0 and moved["updated"] >= bar["updated"]
    kinds = [(e["kind"], e["resource_id"], e["payload"].get("data")) for e in list_events(engine)]
    assert kinds[-2:] == [("artifact.created", run, 0.0), ("artifact.updated", run, 40.0)]
    with pytest.raises(NotFound):
        update_artifact(engine, str(uuid.uuid4()), {"data": 1.0})


def test_a_pruned_runs_artifacts_go_with_it(engine: Engine) -> None:
    old, young = _run(engine, 40), _run(engine, 10)
    _make(engine, "old", "x", run=old["id"])
    kept = _make(engine, "young", "y", run=young["id"])
    loose = _make(engine, "loose", "z")  # made outside a run: no run to go with

    prune(engine, _policy(), now=NOW)

    assert latest_artifact(engine, "old") is None
    assert {a["id"] for a in list_artifacts(engine)["items"]} == {kept["id"], loose["id"]}
