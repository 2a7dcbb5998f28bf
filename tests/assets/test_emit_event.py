"""``emit_event`` on the local store: what it returns, what it stores, what it refuses."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest

from orchestr_lab import flow
from orchestr_lab.events import emit_event
from orchestr_lab.sdk.events import EventTooLarge


def _stored(store_engine: Any, name: str) -> list[dict[str, Any]]:
    from orchestr_lab.store.events import list_events

    found, after = [], None
    while True:
        page = list_events(store_engine, after=after, limit=1000)
        if not page:
            return found
        found += [e for e in page if e["kind"] == name]
        after = page[-1]["id"]


def test_an_event_from_a_flow_is_returned_and_stored_with_its_run(store_engine: Any) -> None:
    name = f"test.{uuid.uuid4().hex[:8]}.done"

    @flow
    def f() -> Any:
        return emit_event(name, resource={"prefect.resource.id": "res.1"}, payload={"n": 1})

    event = f()
    assert event.event == name and event.resource.id == "res.1" and event.payload == {"n": 1}
    (stored,) = _stored(store_engine, name)
    assert stored["resource_id"] == "res.1" and stored["payload"]["id"] == str(event.id)
    assert [r["prefect.resource.role"] for r in stored["payload"]["related"]] == ["flow-run"]


def test_a_bad_event_is_logged_and_dropped_and_a_huge_one_raises(
    store_engine: Any, caplog: pytest.LogCaptureFixture
) -> None:
    name = f"test.{uuid.uuid4().hex[:8]}.bad"
    with caplog.at_level(logging.ERROR, logger="orchestr_lab.events"):
        assert emit_event(name, resource={"name": "no id"}) is None
    assert "Error emitting event" in caplog.text and "prefect.resource.id" in caplog.text
    with pytest.raises(EventTooLarge, match="too large"):
        emit_event(name, resource={"prefect.resource.id": "x"}, payload={"blob": "x" * 1_600_000})
    assert _stored(store_engine, name) == []
