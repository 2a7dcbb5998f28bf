"""Deployment SLAs on both stores: each breach emits its event once, a COMPLETED run clears a
stale deployment, and a notify action whose mail server is down records the failure."""

from __future__ import annotations

import datetime as dt
import socket
from pathlib import Path

from sqlalchemy.engine import Engine

from _helpers import MakeDeployment
from orchestr_lab.core.states import Completed, Running
from orchestr_lab.services.notify import NotifySettings, SmtpSettings, notify
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.events import list_events
from orchestr_lab.store.runs import set_state
from orchestr_lab.store.slas import current_breaches, record_breaches

UTC = dt.timezone.utc


def _events(engine: Engine, kind: str) -> list[dict[str, object]]:
    return [e for e in list_events(engine, limit=1000) if e["kind"] == kind]


def test_a_run_past_its_max_duration_emits_one_event(engine: Engine, make_deployment: MakeDeployment) -> None:
    dep = make_deployment(max_duration_seconds=60)
    other = make_deployment()  # no SLA: never looked at
    started = dt.datetime.now(UTC)
    for d in (dep, other):
        run = create_deployment_run(engine, d)
        set_state(engine, "flow", run["id"], Running(), fields={"start_time": started})

    assert record_breaches(engine, now=started + dt.timedelta(seconds=30)) == 0
    assert record_breaches(engine, now=started + dt.timedelta(seconds=61)) == 1
    assert record_breaches(engine, now=started + dt.timedelta(seconds=200)) == 0  # once per run
    [event] = _events(engine, "deployment.sla.max_duration")
    assert event["resource_id"] == dep["id"]
    assert event["payload"]["deployment"] == dep["name"] and event["payload"]["flow_run_id"] != ""
    shown = current_breaches(engine, [dep["id"], other["id"]], now=started + dt.timedelta(seconds=61))
    assert list(shown) == [dep["id"]] and shown[dep["id"]][0]["kind"] == "max_duration"


def test_freshness_breaches_once_until_a_completed_run_clears_it(
    engine: Engine, make_deployment: MakeDeployment
) -> None:
    dep = make_deployment(freshness_seconds=60)
    made = dt.datetime.fromisoformat(dep["created"])
    assert record_breaches(engine, now=made + dt.timedelta(seconds=59)) == 0
    assert record_breaches(engine, now=made + dt.timedelta(seconds=61)) == 1
    assert record_breaches(engine, now=made + dt.timedelta(seconds=120)) == 0
    assert current_breaches(engine, [dep["id"]], now=made + dt.timedelta(seconds=61))[dep["id"]][0]["kind"] == (
        "freshness"
    )

    run = create_deployment_run(engine, dep)
    set_state(engine, "flow", run["id"], Running())
    set_state(engine, "flow", run["id"], Completed())
    ended = dt.datetime.now(UTC)
    assert current_breaches(engine, [dep["id"]], now=ended + dt.timedelta(seconds=30)) == {}
    assert record_breaches(engine, now=ended + dt.timedelta(seconds=30)) == 0
    assert record_breaches(engine, now=ended + dt.timedelta(seconds=62)) == 1  # a new breach
    assert len(_events(engine, "deployment.sla.freshness")) == 2


def test_a_notification_that_cannot_be_delivered_is_recorded_not_raised(engine: Engine, tmp_path: Path) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = NotifySettings(smtp=SmtpSettings(host="127.0.0.1", port=port, timeout=2), server_url="http://lab")
    automation = {"id": "a1", "name": "tell-ops", "email_to": ["ops@example.org"]}
    outcome = notify(
        engine, automation, run_id=None, event={"event": "x.y", "resource_id": "r"}, config=config, root_dir=tmp_path
    )
    assert outcome.startswith("notified: email failed: ConnectionRefusedError")
    [failed] = _events(engine, "automation.notification_failed")
    assert failed["payload"]["channel"] == "email" and failed["payload"]["automation"] == "tell-ops"
