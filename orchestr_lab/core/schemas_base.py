"""The base classes of every API model: what requests may carry and how answers serialise."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict

__all__ = ["In", "Out", "Query"]


class In(BaseModel):
    """Request bodies: unknown fields are an error (a typo must not be silently ignored).

    Numbers must be finite: Python's JSON parser reads ``1e400`` as infinity, which no store
    column and no JSON answer can hold. ``large_body``: the body is an upload (an executed
    notebook) and gets the server's larger size limit.
    """

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    large_body: ClassVar[bool] = False


class Out(BaseModel):
    model_config = ConfigDict(extra="ignore", from_attributes=True)


class Query(BaseModel):
    """Query strings: unknown keys are ignored (``token``, ``_xsrf`` and the like ride along)."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)
