"""The ``notify`` action: mail a run's message over SMTP and post it to a chat webhook.

The server's settings say how to reach the mail server (:class:`SmtpSettings`: host, port,
``starttls``/``ssl``, credentials; the password may name a Secret block,
``{"secret_block": "name"}``, read when a message is sent) and the URL reports are linked from.
A chat webhook gets ``{"text": ...}``, the body Slack's and Teams' incoming webhooks take.

Delivery never raises: each channel's failure is logged, written as an
``automation.notification_failed`` event and said in the firing's outcome. The automation
service claims the firing before calling :func:`notify`, so a trigger is sent at most once.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from ..core import settings
from ..core.links import report_url
from ..store.blocks import get_block
from ..store.database import write_transaction
from ..store.events import event_row, insert_events
from ..store.run_summary import run_summary
from ..workers.paths import resolve_under_root
from .notify_message import Message, cell_first_line, compose

__all__ = ["NotifySettings", "SmtpSettings", "notify"]

log = logging.getLogger("orchestr_lab.services.notify")

Post = Callable[..., Any]
_SECURITY = ("none", "starttls", "ssl")


@dataclass(frozen=True)
class SmtpSettings:
    """How to reach the mail server (``host`` empty: no email can be sent)."""

    host: str = ""
    port: int = 0  # 0: 465 for ssl, 587 for starttls, 25 otherwise
    security: str = "none"  # none | starttls | ssl
    username: str = ""
    password: str | dict[str, Any] = ""  # or {"secret_block": "<name of a Secret block>"}
    sender: str = "orchestr-lab@localhost"
    timeout: float = 30.0

    @classmethod
    def from_env(cls) -> SmtpSettings:
        """The ``ORCHESTR_LAB_SMTP_*`` settings (a JSON object password names a Secret block)."""
        env = os.environ
        password: str | dict[str, Any] = env.get(settings.ENV_SMTP_PASSWORD, "")
        if isinstance(password, str) and password.lstrip().startswith("{"):
            try:
                password = json.loads(password)
            except ValueError:
                pass
        return cls(
            host=env.get(settings.ENV_SMTP_HOST, ""),
            port=settings.env_number(settings.ENV_SMTP_PORT, 0, int),
            security=env.get(settings.ENV_SMTP_SECURITY, "none").strip().lower() or "none",
            username=env.get(settings.ENV_SMTP_USERNAME, ""),
            password=password,
            sender=env.get(settings.ENV_SMTP_FROM, "") or cls.sender,
        )


@dataclass(frozen=True)
class NotifySettings:
    """SMTP and the server's public URL (``server_url``: reports are linked under it)."""

    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    server_url: str = ""

    @classmethod
    def from_env(cls) -> NotifySettings:
        """``ORCHESTR_LAB_SMTP_*`` and ``ORCHESTR_LAB_PUBLIC_URL`` (a process without a server's settings)."""
        return cls(smtp=SmtpSettings.from_env(), server_url=os.environ.get(settings.ENV_PUBLIC_URL, ""))


def _password(engine: Engine, smtp: SmtpSettings) -> str:
    if not isinstance(smtp.password, Mapping):
        return smtp.password
    name = smtp.password.get("secret_block")
    block = get_block(engine, "secret", str(name), include_secrets=True) if name else None
    if block is None:
        raise ValueError(f"the SMTP password names Secret block {name!r}, which does not exist")
    return str(block["data"].get("value", ""))


def send_email(engine: Engine, smtp: SmtpSettings, to: list[str], message: Message) -> None:
    """Send ``message`` to ``to`` through the configured server (raises what smtplib raises)."""
    if not smtp.host:
        raise ValueError("no SMTP server is configured (ORCHESTR_LAB_SMTP_HOST or OrchestrLabApp.smtp_host)")
    if smtp.security not in _SECURITY:
        raise ValueError(f"SMTP security must be one of {', '.join(_SECURITY)}, not {smtp.security!r}")
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"] = smtp.sender, ", ".join(to), message.subject
    mail.set_content(message.text)
    port = smtp.port or {"ssl": 465, "starttls": 587}.get(smtp.security, 25)
    kind = smtplib.SMTP_SSL if smtp.security == "ssl" else smtplib.SMTP
    with kind(smtp.host, port, timeout=smtp.timeout) as server:
        if smtp.security == "starttls":
            server.starttls()
        if smtp.username:
            server.login(smtp.username, _password(engine, smtp))
        server.send_message(mail)


def post_text(post: Post | None, url: str, message: Message, timeout: float) -> int:
    """POST ``{"text": ...}`` to a chat webhook; its HTTP status (raises on a 4xx/5xx answer)."""
    if post is None:
        import httpx

        post = httpx.post
    answer = post(url, json={"text": f"*{message.subject}*\n{message.text}"}, timeout=timeout)
    if answer.status_code >= 400:
        raise RuntimeError(f"HTTP {answer.status_code}")
    return int(answer.status_code)


def _message(
    engine: Engine, run_id: str | None, event: Mapping[str, Any] | None, config: NotifySettings, root_dir: Path
) -> Message:
    run = run_summary(engine, run_id) if run_id else None
    source = None
    failed = run and run.get("failed_task")
    if run is not None and failed and failed.get("cell_index") is not None:
        where = run.get("output_notebook") or run.get("notebook")
        path = Path(where) if where and Path(where).is_absolute() else None
        if path is None and where:
            try:
                path = resolve_under_root(root_dir, where)
            except (ValueError, OSError):
                path = None
        source = cell_first_line(path, failed["cell_index"], failed.get("cell_id")) if path is not None else None
    report = report_url(run_id, config.server_url) if run_id and config.server_url else None
    return compose(run, event=event, source_line=source, report=report)


def event_run_id(event: Mapping[str, Any]) -> str | None:
    """The run an event is about: its payload's ``flow_run_id``, or a ``flow_run.*`` event's resource."""
    payload = event.get("payload") or {}
    if payload.get("flow_run_id"):
        return str(payload["flow_run_id"])
    kind = str(event.get("event", ""))
    return str(event["resource_id"]) if kind.startswith("flow_run.") and event.get("resource_id") else None


def notify(
    engine: Engine,
    automation: Mapping[str, Any],
    *,
    run_id: str | None,
    event: Mapping[str, Any] | None = None,
    config: NotifySettings,
    root_dir: Path,
    post: Post | None = None,
    timeout: float = 10.0,
) -> str:
    """Send the automation's message on each of its channels; the outcome, one clause per channel."""
    try:
        message = _message(engine, run_id, event, config, root_dir)
    except Exception as exc:  # a store hiccup: say so rather than lose the firing's outcome
        message = compose(None, event=event or {"event": "notify", "resource_id": run_id})
        log.exception("notify %r: could not describe run %s", automation.get("name"), run_id)
        message = Message(message.subject, f"{message.text}\n(could not read the run: {exc})")
    said = []
    channels: list[tuple[str, Callable[[], str]]] = []
    if automation.get("email_to"):
        to = list(automation["email_to"])

        def mail() -> str:
            send_email(engine, config.smtp, to, message)
            return f"email to {len(to)}"

        channels.append(("email", mail))
    if automation.get("webhook_url"):
        url = automation["webhook_url"]
        channels.append(("webhook", lambda: f"webhook answered HTTP {post_text(post, url, message, timeout)}"))
    for channel, send in channels:
        try:
            said.append(send())
        except Exception as exc:  # the mail server or the chat is down, refuses, times out...
            said.append(f"{channel} failed: {type(exc).__name__}: {exc}")
            _failed(engine, automation, channel, run_id, f"{type(exc).__name__}: {exc}")
    return "notified: " + "; ".join(said)


def _failed(engine: Engine, automation: Mapping[str, Any], channel: str, run_id: str | None, error: str) -> None:
    log.warning("notify %r: %s delivery failed: %s", automation.get("name"), channel, error)
    body = {"automation": automation.get("name"), "channel": channel, "flow_run_id": run_id, "error": error[:2000]}
    try:
        write_transaction(
            engine,
            lambda conn: insert_events(
                conn, [event_row("automation.notification_failed", str(automation.get("id")), body)]
            ),
        )
    except Exception:  # the store is down too: the log line is all that can be kept
        log.exception("notify %r: could not record the failed delivery", automation.get("name"))
