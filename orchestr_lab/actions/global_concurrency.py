"""Global concurrency and rate limits: the limits (by name) and the leases holding their slots."""

from __future__ import annotations

from typing import Any

from ..core.errors import found
from ..core.schemas_concurrency import GlobalLimitCreate, GlobalLimitUpdate, LeaseRenew, LeaseRequest
from . import Context, field_error

__all__ = [
    "acquire_slots",
    "create_global_limit",
    "delete_global_limit",
    "get_global_limit",
    "list_global_limits",
    "release_slots",
    "renew_lease",
    "update_global_limit",
]


def list_global_limits(ctx: Context) -> list[dict[str, Any]]:
    from ..store.global_concurrency import list_limits

    return list_limits(ctx.engine)


def create_global_limit(ctx: Context, *, body: GlobalLimitCreate) -> dict[str, Any]:
    """A new limit; 409 when the name is taken."""
    from ..store.global_concurrency import create_limit

    return create_limit(ctx.engine, body.model_dump())


def get_global_limit(ctx: Context, *, name: str) -> dict[str, Any]:
    from ..store.global_concurrency import get_limit

    return found(get_limit(ctx.engine, name), f"No global concurrency limit named {name!r}")


def update_global_limit(ctx: Context, *, name: str, body: GlobalLimitUpdate) -> dict[str, Any]:
    from ..store.global_concurrency import update_limit

    return update_limit(ctx.engine, name, body.model_dump(exclude_unset=True))


def delete_global_limit(ctx: Context, *, name: str) -> None:
    from ..store.global_concurrency import delete_limit

    delete_limit(ctx.engine, name)


def acquire_slots(ctx: Context, *, body: LeaseRequest) -> dict[str, Any]:
    """Take slots of every named limit, all or none; not granted: ``retry_after`` seconds.
    A request no wait can satisfy (more slots than a limit has; a rate limit without decay) is a 422."""
    from ..store.global_concurrency import LimitRefusal
    from ..store.global_leases import acquire

    lease = None if body.mode == "rate_limit" else body.lease_duration
    try:
        return acquire(ctx.engine, body.names, body.slots, mode=body.mode, lease_seconds=lease, holder=body.holder)
    except LimitRefusal as exc:
        raise field_error(exc.field, str(exc), getattr(body, exc.field)) from None


def release_slots(ctx: Context, *, lease_id: str) -> None:
    """Hand a lease's slots back (nothing happens when it is already gone)."""
    from ..store.global_leases import release_lease

    release_lease(ctx.engine, lease_id)


def renew_lease(ctx: Context, *, lease_id: str, body: LeaseRenew) -> None:
    """Hold a lease longer; 404 when it expired (its slots may be someone else's now)."""
    from ..store.global_leases import renew_lease as renew

    renew(ctx.engine, lease_id, body.lease_duration)
