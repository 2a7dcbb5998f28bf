"""API contract for Prefect-style clients and background task runs.

``get_client()`` changes runs the way Prefect's client does (rename, retag, force a state), and
``Task.delay()`` leaves a background task run in the store for a task worker to claim; these are
the bodies and answers of those routes.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from .limits import Flag, JsonObject, Key, Tags, bounded_list
from .schemas import StateRead
from .schemas_base import In, Out
from .schemas_workers import StateIn

__all__ = [
    "MAX_RESULT_BYTES",
    "BackgroundTaskClaim",
    "BackgroundTaskClaimed",
    "BackgroundTaskCreate",
    "BackgroundTaskFinish",
    "BackgroundTaskRead",
    "FlowRunStateSet",
    "FlowRunUpdate",
    "SetStateResult",
]

#: The largest result a background task run keeps in the store (its JSON text, in bytes).
MAX_RESULT_BYTES = 8 * 1024 * 1024


class FlowRunUpdate(In):
    """Change a run's name, tags or parameters (tags and parameters are replaced, not merged)."""

    name: Key | None = None
    tags: Tags | None = None
    parameters: JsonObject | None = None


class FlowRunStateSet(In):
    """Propose a state; with ``force`` the rule book is not asked."""

    state: StateIn
    force: Flag = False


class SetStateResult(Out):
    """What became of a proposed state: ``ACCEPT`` (it is the run's state now) or ``REJECT``
    (the run keeps ``state``, ``details.reason`` says why)."""

    status: Literal["ACCEPT", "REJECT"]
    state: StateRead | None = None
    details: dict[str, Any] = Field(default_factory=dict)


class BackgroundTaskCreate(In):
    """A task run for a task worker serving ``task_key`` (``Task.delay``)."""

    task_key: Key
    name: Key
    parameters: JsonObject = Field(default_factory=dict)
    tags: Tags = Field(default_factory=list)


class BackgroundTaskRead(Out):
    id: str
    task_key: str
    name: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    state: StateRead | None = None
    worker_name: str | None = None
    result: Any = Field(
        default=None,
        description='the return value once COMPLETED: {"json": value} or {"pickle": base64 of its cloudpickle}',
    )
    created: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class BackgroundTaskClaim(In):
    """Take the oldest SCHEDULED background task run of one of these task keys."""

    name: Key = Field(description="the claiming task worker")
    task_keys: bounded_list(Key, min_length=1)  # type: ignore[valid-type]


class BackgroundTaskClaimed(Out):
    run: BackgroundTaskRead | None = None


class BackgroundTaskFinish(In):
    """How a claimed background task run ended: a final state, and the value when COMPLETED."""

    state: StateIn
    result: JsonObject | None = Field(default=None, description='{"json": value} or {"pickle": base64}')
