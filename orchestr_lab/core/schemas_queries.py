"""API contract, continued: query strings (what ``GET`` routes take in the URL) and the flow
file a remote worker fetches.

Query values arrive as text, so these models are not strict (``limit=50`` is the number 50);
their bounds come from ``core.limits`` like the bodies'. ``schemas`` re-exports them.
"""

from __future__ import annotations

import datetime as _dt

from pydantic import Field, field_validator

from .limits import PY_FILE, Cursor, IsoTime, Key, PathText, bounded_list
from .page_cursor import DeploymentCursor, RunCursor
from .schemas_base import Out, Query
from .states import StateType

__all__ = [
    "DeploymentQuery",
    "EventQuery",
    "FlowRunQuery",
    "FlowSource",
    "FlowSourceQuery",
    "LogQuery",
    "NextRunsQuery",
    "NotebookPathQuery",
]


class FlowRunQuery(Query):
    state: bounded_list(StateType, max_length=len(StateType)) | None = None  # type: ignore[valid-type]
    deployment_id: Key | None = None
    flow_name: Key | None = None
    flow_id: Key | None = None
    start_after: IsoTime | None = Field(
        default=None, description="runs that started (or are scheduled) at or after this time, ISO-8601"
    )
    start_before: IsoTime | None = Field(default=None, description="... and before this time")

    @field_validator("start_after", "start_before")
    @classmethod
    def _zoned(cls, value: _dt.datetime | None) -> _dt.datetime | None:
        """A time without a zone means UTC (the store keeps UTC)."""
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=_dt.timezone.utc)
        return value

    limit: int = Field(default=50, ge=1, le=1000)
    offset: Cursor = Field(default=0, description="runs to skip (after the cursor, if one is given)")
    cursor: RunCursor | None = None


class DeploymentQuery(Query):
    """A page of deployments by name: follow the answer's ``X-Next-Cursor`` header as ``cursor``."""

    limit: int = Field(default=200, ge=1, le=1000)
    offset: Cursor = Field(default=0, description="deployments to skip (after the cursor, if one is given)")
    cursor: DeploymentCursor | None = None


class LogQuery(Query):
    after: Cursor | None = Field(default=None, description="only lines with a larger id")
    limit: int | None = Field(default=None, ge=1, le=10000)


class EventQuery(Query):
    after: Cursor | None = Field(default=None, description="cursor: only events with a larger id")
    limit: int = Field(default=200, ge=1, le=1000)


class NextRunsQuery(Query):
    n: int = Field(default=5, ge=1, le=100)


class NotebookPathQuery(Query):
    path: PathText = Field(description="notebook path relative to the server root")


class FlowSourceQuery(Query):
    # The action refuses other files with a 422 naming the rule (``actions.worker_api.flow_source``).
    path: PathText = Field(
        description="a flow file (.py) relative to the server root", json_schema_extra={"pattern": PY_FILE}
    )


class FlowSource(Out):
    path: str = Field(description="as asked")
    source: str = Field(description="the file's text (UTF-8)")
