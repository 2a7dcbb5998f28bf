"""Notifications and SLAs end to end on a real server: a failing scheduled notebook run mails a
real SMTP server and posts to a real webhook receiver once each, naming the failing cell and
linking the run's report; an SLA breach emits its event within a reaper interval and fires its
automation once."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

from orchestr_lab.services.notify import NotifySettings, SmtpSettings, notify
from orchestr_lab.store.blocks import create_block

from .conftest import write_notebook
from .test_automations import _wait, webhook  # noqa: F401 - webhook is a fixture used below

INTERVAL = 0.5  # the scheduler's, reaper's and automations' interval in these tests


PASSWORD = "s3cret"  # what the test's SMTP server accepts from the user "lab"


class _Inbox:
    """aiosmtpd's handler: keeps each message the server accepts, and who logged in."""

    def __init__(self) -> None:
        self.mails: list[Any] = []
        self.logins: list[str] = []

    def __call__(self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> Any:
        from aiosmtpd.smtp import AuthResult

        ok = auth_data.login == b"lab" and auth_data.password == PASSWORD.encode()
        if ok:
            self.logins.append(auth_data.login.decode())
        return AuthResult(success=ok)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        self.mails.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Inbox]]:
    """A real SMTP server on loopback (aiosmtpd), collecting the mail it receives."""
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, authenticator=inbox, auth_require_tls=False)
    controller.start()
    yield port, inbox
    controller.stop()


@pytest.fixture
def server_options(smtp: tuple[int, _Inbox]) -> dict[str, Any]:
    return {
        "scheduler": True,
        "local_worker": True,
        "scheduler_interval": INTERVAL,
        "smtp_host": "127.0.0.1",
        "smtp_port": smtp[0],
        "smtp_from": "lab@example.org",
    }


async def test_a_failing_scheduled_run_mails_and_posts_once_naming_the_failing_cell(
    api: Any,
    jp_root_dir: Path,
    jp_serverapp: Any,
    smtp: tuple[int, _Inbox],
    webhook: tuple[str, list[Any]],  # noqa: F811
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    _, inbox = smtp
    url, received = webhook
    write_notebook(jp_root_dir / "etl.ipynb", parameters="rows = 3", cells=["total = rows * 2", "total / 0  # boom"])
    anchor = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=2)).isoformat()
    schedule = {"interval": 3600, "anchor": anchor, "timezone": "UTC"}
    dep = await api("POST", "deployments", json_body={"name": "etl", "notebook": "etl.ipynb", "schedules": [schedule]})
    assert dep.code == 201, dep
    tell = {
        "name": "tell-ops",
        "deployment_id": "etl",
        "states": ["FAILED"],
        "action": "notify",
        "email_to": ["ops@example.org"],
        "webhook_url": url,
    }
    assert (await api("POST", "automations", json_body=tell)).code == 201

    async def failed() -> Any:
        items = (await api("GET", "flow_runs", params={"deployment_id": dep.json["id"]})).json["items"]
        return next((r for r in items if r["state"]["type"] == "FAILED"), None)

    run = await _wait(failed, "the scheduled run to fail")
    await _wait(lambda: asyncio.sleep(0, result=bool(inbox.mails and received)), "the mail and the webhook call")
    await asyncio.sleep(4 * INTERVAL)  # later ticks send nothing more
    assert len(inbox.mails) == 1 and len(received) == 1

    report = f"/orchestr-lab/api/flow_runs/{run['id']}/report"
    rcpt, mail = inbox.mails[0]
    assert rcpt == ["ops@example.org"] and mail["From"] == "lab@example.org"
    assert run["name"] in mail["Subject"] and "Failed" in mail["Subject"]
    body = mail.get_payload(decode=True).decode()
    text = received[0]["text"]
    for said in (body, text):
        assert f"Run {run['name']} ({run['id']}) of deployment etl: Failed" in said
        assert "total / 0  # boom" in said and "Failed at cell 3 (index 2): total / 0  # boom" in said, said
        assert "Error: ZeroDivisionError: division by zero" in said
        assert "Duration: " in said
        assert f"Report: {jp_serverapp.connection_url.rstrip('/')}{report}" in said
    firings = (await api("GET", "automations", "tell-ops")).json["firings"]
    assert [f["outcome"] for f in firings] == ["notified: email to 1; webhook answered HTTP 204"]


async def test_an_sla_breach_emits_its_event_within_an_interval_and_fires_once(
    api: Any,
    jp_root_dir: Path,
    jp_serverapp: Any,
    webhook: tuple[str, list[Any]],  # noqa: F811
) -> None:
    await jp_serverapp.extension_manager.start_all_extensions()
    url, received = webhook
    write_notebook(jp_root_dir / "daily.ipynb", parameters="n = 1", cells=["n"])
    dep = (await api("POST", "deployments", json_body={"name": "daily", "notebook": "daily.ipynb"})).json
    assert dep["freshness_seconds"] is None and dep["sla_breaches"] == []
    hook = {"name": "stale", "event": "deployment.sla.freshness", "action": "webhook", "webhook_url": url}
    assert (await api("POST", "automations", json_body=hook)).code == 201
    assert (await api("PATCH", "deployments", dep["id"], json_body={"freshness_seconds": 0})).code == 422
    patched = await api("PATCH", "deployments", dep["id"], json_body={"freshness_seconds": 1})
    assert patched.json["freshness_seconds"] == 1
    due = dt.datetime.fromisoformat(dep["created"]) + dt.timedelta(seconds=1)

    async def breach_events() -> list[Any]:
        return [
            e
            for e in (await api("GET", "events", params={"limit": 1000})).json["items"]
            if e["kind"] == "deployment.sla.freshness"
        ]

    [event] = await _wait(breach_events, "the freshness event")
    late = dt.datetime.fromisoformat(event["occurred"]) - max(due, dt.datetime.fromisoformat(patched.json["updated"]))
    assert late.total_seconds() <= INTERVAL + 1.0, late  # one interval, and a tick's own time
    await _wait(lambda: asyncio.sleep(0, result=bool(received)), "the automation's webhook call")
    await asyncio.sleep(4 * INTERVAL)
    assert len(received) == 1 and received[0]["event"]["event"] == "deployment.sla.freshness"
    assert len(await breach_events()) == 1
    shown = (await api("GET", "deployments", dep["id"])).json
    assert [b["kind"] for b in shown["sla_breaches"]] == ["freshness"]


def test_the_smtp_password_may_come_from_a_secret_block(store: Any, tmp_path: Path, smtp: tuple[int, _Inbox]) -> None:
    port, inbox = smtp
    secret = {"slug": "secret", "name": "Secret", "description": "A secret value"}
    schema = {"checksum": "sha256:" + "c" * 64, "fields": {}, "secret_fields": ["value"], "capabilities": []}
    create_block(store, "smtp-password", secret, schema, {"value": PASSWORD})
    login = SmtpSettings(host="127.0.0.1", port=port, username="lab", password={"secret_block": "smtp-password"})
    event = {
        "event": "deployment.sla.freshness",
        "resource_id": "d1",
        "payload": {"deployment": "daily", "freshness_seconds": 60, "last_completed": None},
    }
    automation = {"id": "a1", "name": "stale", "email_to": ["ops@example.org"]}
    outcome = notify(store, automation, run_id=None, event=event, config=NotifySettings(smtp=login), root_dir=tmp_path)
    assert outcome == "notified: email to 1" and inbox.logins == ["lab"]
    [(_, mail)] = inbox.mails
    assert mail["Subject"] == (
        "[orchestr-lab] SLA breached: deployment daily has had no COMPLETED run for 60 s (last COMPLETED: never)"
    )
