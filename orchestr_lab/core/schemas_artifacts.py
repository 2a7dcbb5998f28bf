"""API contract, continued: artifacts (what runs show their users), as Prefect shapes them.

An artifact's ``data`` is any JSON: markdown, link and image artifacts hold text, a table its
rows as JSON text, a progress artifact a number from 0 to 100. Its size is capped
(:data:`MAX_ARTIFACT_BYTES` of JSON), so a huge table is refused with a message rather than
stored; everything else is bounded like the other models.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from .ids import RUN_ID_PATTERN
from .limits import MAX_FIELDS, MAX_JSON_DEPTH, MAX_KEY, MAX_STATE_NAME, Description, json_depth
from .page_cursor import TOTAL_CAP, RunCursor
from .schemas_base import In, Out, Query

__all__ = [
    "ARTIFACT_KEY_PATTERN",
    "MAX_ARTIFACT_BYTES",
    "ArtifactCreate",
    "ArtifactData",
    "ArtifactPage",
    "ArtifactQuery",
    "ArtifactRead",
    "ArtifactUpdate",
]

#: The most JSON an artifact's data may take (a table of some thousands of rows).
MAX_ARTIFACT_BYTES = 1024 * 1024
#: Keys as Prefect validates them: lowercase letters, digits and dashes.
ARTIFACT_KEY_PATTERN = r"^[a-z0-9-]*$"


def _key(value: str) -> str:
    # Prefect's wording, so a user sees the same message on both.
    if not re.fullmatch(ARTIFACT_KEY_PATTERN, value):
        raise ValueError("Artifact key must only contain lowercase letters, numbers, and dashes.")
    return value


def _data(value: Any) -> Any:
    """Finite numbers, bounded nesting, at most :data:`MAX_ARTIFACT_BYTES` of JSON."""
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValueError(f"data nests deeper than {MAX_JSON_DEPTH} levels")
    try:
        size = len(json.dumps(value, allow_nan=False, separators=(",", ":")).encode())
    except ValueError:
        raise ValueError("numbers must be finite (JSON has no Infinity or NaN)") from None
    if size > MAX_ARTIFACT_BYTES:
        raise ValueError(
            f"data is {size:,} bytes of JSON; an artifact holds at most {MAX_ARTIFACT_BYTES:,} "
            "(store a large table as a file and link to it)"
        )
    return value


ArtifactKey = Annotated[
    str,
    StringConstraints(max_length=MAX_KEY),
    AfterValidator(_key),
    Field(json_schema_extra={"pattern": ARTIFACT_KEY_PATTERN}),
]
ArtifactType = Annotated[str, StringConstraints(min_length=1, max_length=MAX_STATE_NAME, pattern=r"^[A-Za-z0-9_-]+$")]
RunId = Annotated[str, StringConstraints(pattern=RUN_ID_PATTERN)]
ArtifactData = Annotated[Any, AfterValidator(_data)]
Metadata = Annotated[
    dict[Annotated[str, StringConstraints(max_length=MAX_KEY)], Annotated[str, StringConstraints(max_length=5000)]],
    Field(max_length=MAX_FIELDS),
]


class ArtifactCreate(In):
    key: ArtifactKey | None = Field(default=None, description="lowercase letters, digits and dashes")
    type: ArtifactType | None = Field(default=None, description="markdown, table, link, image, progress, ...")
    description: Description | None = None
    data: ArtifactData = Field(default=None, description=f"any JSON, at most {MAX_ARTIFACT_BYTES:,} bytes")
    metadata_: Metadata | None = None
    flow_run_id: RunId | None = None
    task_run_id: RunId | None = None


class ArtifactUpdate(In):
    data: ArtifactData = None
    description: Description | None = None
    metadata_: Metadata | None = None


class ArtifactRead(Out):
    id: str
    key: str | None = None
    type: str | None = None
    description: str | None = None
    data: Any = None
    metadata_: dict[str, str] | None = None
    flow_run_id: str | None = None
    task_run_id: str | None = None
    created: str | None = None
    updated: str | None = None


class ArtifactQuery(Query):
    flow_run_id: RunId | None = None
    task_run_id: RunId | None = None
    key: ArtifactKey | None = None
    type: ArtifactType | None = None
    limit: int = Field(default=50, ge=1, le=200)
    cursor: RunCursor | None = None


class ArtifactPage(Out):
    """A page of artifacts, newest first; pass ``next_cursor`` back as ``cursor`` for the next."""

    items: list[ArtifactRead]
    total: int = Field(description=f"how many match, counted up to {TOTAL_CAP:,}")
    total_exact: bool = True
    next_cursor: str | None = None
