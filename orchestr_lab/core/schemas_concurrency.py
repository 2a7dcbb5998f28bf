"""The API's models for global concurrency and rate limits, and the leases that hold their slots.

A limit is addressed by its name. ``slot_decay_per_second`` makes it a rate limit: its slots drain
over time instead of being handed back. A lease is what one ``concurrency()`` block holds:
``POST global_concurrency_leases`` takes the slots (``granted`` false and ``retry_after`` seconds
when they are not free now), ``DELETE .../{lease_id}`` hands them back, ``.../renew`` keeps them.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, Strict, StrictBool, StringConstraints

from .limits import MAX_CONCURRENCY, MAX_ITEMS, MAX_NAME, Concurrency as Occupy, Flag, JsonObject, TagLimit as Slots
from .schemas_base import In, Out

__all__ = [
    "MAX_LEASE_SECONDS",
    "MIN_LEASE_SECONDS",
    "GlobalLimitCreate",
    "GlobalLimitRead",
    "GlobalLimitUpdate",
    "LeaseGrant",
    "LeaseRenew",
    "LeaseRequest",
]

#: A limit's name: as Prefect's, without ``/ % & > <`` (it is a URL path segment) or NUL.
LimitName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME, pattern=r"^[^/%&><\x00]+$")]
#: Slots drained per second (0: a plain concurrency limit).
Decay = Annotated[float, Strict(), Field(ge=0, le=MAX_CONCURRENCY, allow_inf_nan=False)]
#: A lease's length. Prefect's server takes 60 s to a day; shorter ones are allowed here so a
#: crashed holder's slots can come back within seconds where that matters (and in tests).
MIN_LEASE_SECONDS = 1.0
MAX_LEASE_SECONDS = 86400.0
LeaseSeconds = Annotated[float, Strict(), Field(ge=MIN_LEASE_SECONDS, le=MAX_LEASE_SECONDS, allow_inf_nan=False)]


class GlobalLimitCreate(In):
    name: LimitName
    limit: Slots = Field(description="slots that may be occupied at once")
    active: Flag = Field(default=True, description="an inactive limit grants every request without counting")
    active_slots: Slots = 0
    denied_slots: Slots = 0
    slot_decay_per_second: Decay = Field(default=0.0, description="slots drained per second: a rate limit")


class GlobalLimitUpdate(In):
    name: LimitName | None = None
    limit: Slots | None = None
    active: StrictBool | None = None
    active_slots: Slots | None = None
    denied_slots: Slots | None = None
    slot_decay_per_second: Decay | None = None


class GlobalLimitRead(Out):
    id: str
    name: str
    limit: int
    active: bool
    active_slots: int = Field(description="slots occupied now (after decay)")
    denied_slots: int = Field(description="slots refused since the limit last granted any")
    slot_decay_per_second: float
    created: str | None = None
    updated: str | None = None


class LeaseRequest(In):
    names: list[LimitName] = Field(min_length=1, max_length=MAX_ITEMS)
    slots: Occupy = 1
    mode: Literal["concurrency", "rate_limit"] = "concurrency"
    lease_duration: LeaseSeconds | None = Field(
        default=300.0, description="seconds the slots are held unless renewed (null: no lease, as rate_limit)"
    )
    holder: JsonObject | None = Field(default=None, description="who holds the slots, e.g. a run's type and id")


class LeaseGrant(Out):
    granted: bool
    lease_id: str | None = Field(default=None, description="null when nothing is held (no lease, or no active limit)")
    limits: list[dict[str, Any]] = Field(default_factory=list, description="the existing limits named: id, name, limit")
    retry_after: float | None = Field(default=None, description="seconds to wait before asking again (not granted)")


class LeaseRenew(In):
    lease_duration: LeaseSeconds = 300.0
