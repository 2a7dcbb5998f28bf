"""The base classes of every API model: what requests may carry and how answers serialise."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

__all__ = ["In", "Out", "Query"]


class In(BaseModel):
    """Request bodies: unknown fields are an error (a typo must not be silently ignored)."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    model_config = ConfigDict(extra="ignore", from_attributes=True)


class Query(BaseModel):
    """Query strings: unknown keys are ignored (``token``, ``_xsrf`` and the like ride along)."""

    model_config = ConfigDict(extra="ignore")
