"""Flows, concurrency limits by tag and automations: the REST actions over their store modules."""

from __future__ import annotations

from typing import Any

from ..core.errors import NotFound, found
from ..core.schemas import (
    AutomationCreate,
    AutomationUpdate,
    ConcurrencyLimitCreate,
    ConcurrencyLimitUpdate,
    FlowQuery,
)
from . import Context, field_error

__all__ = [
    "create_automation",
    "create_limit",
    "delete_automation",
    "delete_limit",
    "get_automation",
    "get_flow",
    "get_limit",
    "list_automations",
    "list_flows",
    "list_limits",
    "update_automation",
    "update_limit",
]


# -- flows ----------------------------------------------------------------------------------


def list_flows(ctx: Context, *, query: FlowQuery) -> dict[str, Any]:
    from ..store.flows import list_flows as read

    items, total = read(ctx.engine, name=query.name, limit=query.limit, offset=query.offset)
    return {"items": items, "total": total}


def get_flow(ctx: Context, *, flow_id: str) -> dict[str, Any]:
    """One flow, by id or name, with its run count and latest run."""
    from ..store.flows import get_flow as read

    return found(read(ctx.engine, flow_id), f"No flow {flow_id!r}")


# -- concurrency limits ---------------------------------------------------------------------


def list_limits(ctx: Context) -> list[dict[str, Any]]:
    from ..store.concurrency_limits import list_limits as read

    return read(ctx.engine)


def create_limit(ctx: Context, *, body: ConcurrencyLimitCreate) -> dict[str, Any]:
    """At most ``concurrency_limit`` active runs carrying ``tag``; 409 if the tag has a limit."""
    from ..store.concurrency_limits import create_limit as create

    return create(ctx.engine, body.tag, body.concurrency_limit)


def get_limit(ctx: Context, *, tag: str) -> dict[str, Any]:
    from ..store.concurrency_limits import get_limit as read

    return found(read(ctx.engine, tag), f"No concurrency limit for tag {tag!r}")


def update_limit(ctx: Context, *, tag: str, body: ConcurrencyLimitUpdate) -> dict[str, Any]:
    from ..store.concurrency_limits import update_limit as update

    return update(ctx.engine, tag, body.concurrency_limit)


def delete_limit(ctx: Context, *, tag: str) -> None:
    from ..store.concurrency_limits import delete_limit as delete

    delete(ctx.engine, tag)


# -- automations ----------------------------------------------------------------------------


def _deployment_field(exc: NotFound) -> Exception:
    """A deployment named in the body that does not exist is bad input (422), not a missing URL."""
    field, _, message = str(exc).partition(": ")
    return field_error(field, message, None) if message else exc


def list_automations(ctx: Context) -> list[dict[str, Any]]:
    from ..store.automations import list_automations as read

    return read(ctx.engine)


def create_automation(ctx: Context, *, body: AutomationCreate) -> dict[str, Any]:
    """React to a deployment's runs ending: call a webhook or run another deployment."""
    from ..store.automations import create_automation as create

    try:
        return create(ctx.engine, body.model_dump(mode="json"))
    except NotFound as exc:
        raise _deployment_field(exc) from None


def get_automation(ctx: Context, *, automation_id: str) -> dict[str, Any]:
    from ..store.automations import get_automation as read

    return read(ctx.engine, automation_id)


def update_automation(ctx: Context, *, automation_id: str, body: AutomationUpdate) -> dict[str, Any]:
    from ..store.automations import get_automation as read, update_automation as update

    read(ctx.engine, automation_id)  # 404 for the URL before 422 for the body
    try:
        return update(ctx.engine, automation_id, body.model_dump(mode="json", exclude_unset=True))
    except NotFound as exc:
        raise _deployment_field(exc) from None
    except ValueError as exc:
        raise field_error("webhook_url", str(exc), None) from None


def delete_automation(ctx: Context, *, automation_id: str) -> None:
    from ..store.automations import delete_automation as delete

    delete(ctx.engine, automation_id)
