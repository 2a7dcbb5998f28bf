"""Prefect's ``emit_event``: any code (a flow, a kernel, a script, a remote worker) says what
happened; the event joins the store's event table, where automations can react to it.

The event goes where the rest of the process's records go: to the server named by
``ORCHESTR_LAB_API_URL`` (or by ``ORCHESTR_LAB_DB_URL``, as in a remote worker's run) with
``POST /events``, else to the local store. As Prefect does,
an event that cannot be sent (a resource without ``prefect.resource.id``, a store out of reach)
is logged and ``None`` is returned; only an event larger than the limit raises.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import uuid
from dataclasses import dataclass, field
from typing import Any

from ..core.errors import OrchestrLabError
from ..core.schemas_assets import RESOURCE_ID, ROLE, resource_problem
from ..core.settings import ENV_API_TOKEN, ENV_API_URL, ENV_DB_URL
from ..engine.context import flow_run_var, task_run_var

__all__ = ["MAX_EVENT_BYTES", "Event", "EventTooLarge", "RelatedResource", "Resource", "emit_event"]

_log = logging.getLogger("orchestr_lab.events")

#: The largest event sent, as JSON (Prefect's default ``maximum_size_bytes``).
MAX_EVENT_BYTES = 1_500_000


class EventTooLarge(OrchestrLabError):
    """An event bigger than :data:`MAX_EVENT_BYTES`; it is not sent."""

    def __init__(self, size_bytes: int, maximum_size_bytes: int) -> None:
        super().__init__(f"Event is too large to emit ({size_bytes} > {maximum_size_bytes} bytes)")
        self.size_bytes = size_bytes
        self.maximum_size_bytes = maximum_size_bytes


class Resource(dict[str, str]):
    """An event's resource: text labels, one of them ``prefect.resource.id``."""

    @property
    def id(self) -> str:
        return self[RESOURCE_ID]

    @property
    def name(self) -> str | None:
        return self.get("prefect.resource.name")


class RelatedResource(Resource):
    """A resource an event involves, with its ``prefect.resource.role``."""

    @property
    def role(self) -> str:
        return self[ROLE]


@dataclass(frozen=True)
class Event:
    """An event as sent: what happened (``event``), to what (``resource``), with what."""

    event: str
    resource: Resource
    occurred: _dt.datetime
    related: list[RelatedResource] = field(default_factory=list)
    payload: dict[str, Any] = field(default_factory=dict)
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    follows: uuid.UUID | None = None

    def model_dump(self, *, mode: str = "python") -> dict[str, Any]:
        """The event as a dict (``mode="json"``: JSON-ready), as Prefect's events dump."""
        out: dict[str, Any] = {
            "occurred": self.occurred,
            "event": self.event,
            "resource": dict(self.resource),
            "related": [dict(r) for r in self.related],
            "payload": self.payload,
            "id": self.id,
            "follows": self.follows,
        }
        if mode == "json":
            out.update(occurred=self.occurred.isoformat(), id=str(self.id))
            out["follows"] = None if self.follows is None else str(self.follows)
        return out


def _run_related() -> list[dict[str, str]]:
    """The flow and task run the event was emitted from, as related resources."""
    related = []
    flow_ctx, task_ctx = flow_run_var.get(), task_run_var.get()
    if flow_ctx is not None:
        related.append({RESOURCE_ID: f"prefect.flow-run.{flow_ctx.id}", ROLE: "flow-run"})
    if task_ctx is not None:
        related.append({RESOURCE_ID: f"prefect.task-run.{task_ctx.id}", ROLE: "task-run"})
    return related


def _build(
    event: str,
    resource: dict[str, str],
    occurred: _dt.datetime | None,
    related: list[dict[str, str]] | None,
    payload: dict[str, Any] | None,
    id: uuid.UUID | None,
) -> Event:
    problems = [resource_problem(resource)] + [resource_problem(r, related=True) for r in related or ()]
    problem = next((p for p in problems if p), None)
    if problem:
        raise ValueError(problem)
    return Event(
        event=event,
        resource=Resource(resource),
        occurred=occurred or _dt.datetime.now(_dt.timezone.utc),
        related=[RelatedResource(r) for r in related or ()],
        payload=dict(payload or {}),
        id=id or uuid.uuid4(),
    )


def emit_event(
    event: str,
    resource: dict[str, str],
    occurred: _dt.datetime | None = None,
    related: list[dict[str, str]] | None = None,
    payload: dict[str, Any] | None = None,
    id: uuid.UUID | None = None,
    follows: Event | None = None,
    **kwargs: Any,
) -> Event | None:
    """Send an event; returns it, or None when it could not be sent (the reason is logged)."""
    try:
        sent = _build(event, resource, occurred, related, payload, id)
        body = sent.model_dump(mode="json")
        size = len(json.dumps(body, default=str).encode())
        if size > MAX_EVENT_BYTES:
            raise EventTooLarge(size, MAX_EVENT_BYTES)
        stored = {
            "event": sent.event,
            "resource": body["resource"],
            "related": body["related"] + _run_related(),
            "payload": body["payload"],
            "occurred": sent.occurred.timestamp(),
            "id": body["id"],
        }
        _send(stored)
        return sent
    except EventTooLarge:
        raise
    except Exception:
        _log.exception("Error emitting event: %s", event)
        return None


def _send(event: dict[str, Any]) -> None:
    from ..engine.api_client import is_api_url
    from .client import connect

    store = os.environ.get(ENV_DB_URL)  # a run's child on a remote worker: the server's URL
    api_url = os.environ.get(ENV_API_URL) or (store if is_api_url(store) else None)
    backend = connect(api_url=api_url, token=os.environ.get(ENV_API_TOKEN))
    try:
        backend.emit_event(event)
    finally:
        backend.close()
