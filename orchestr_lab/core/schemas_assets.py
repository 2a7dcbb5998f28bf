"""API contract for assets (lineage) and emitted events.

Asset keys follow Prefect's rule (:func:`asset_key`): a URI with a lowercase scheme
(``s3://bucket/x``), at most 512 characters, none of the characters URLs and shells give a
meaning to. Events follow Prefect's shape: a name, a resource (labels, one of them
``prefect.resource.id``), related resources (each with a ``prefect.resource.role``) and a payload.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Field, StringConstraints, field_validator

from .limits import MAX_KEY, Cursor, EpochSeconds, JsonObject, Key, SearchText, no_nul
from .schemas_base import In, Out, Query

__all__ = [
    "MAX_ASSET_KEY",
    "MAX_EVENT_NAME",
    "AssetDetail",
    "AssetPage",
    "AssetQuery",
    "AssetRead",
    "AssetRef",
    "EmittedEventRead",
    "EventCreate",
    "MaterializationReport",
    "asset_key",
    "resource_problem",
]

MAX_ASSET_KEY = 512
MAX_EVENT_NAME = 1024
#: A resource's labels and a resource id (Prefect keeps ids and label values as text).
MAX_LABEL = 1024
RESTRICTED = "\n\r\t\0 #?&%\"'<>[]{}|\\^`"
_SCHEME = re.compile(r"^[a-z0-9]+://")
RESOURCE_ID = "prefect.resource.id"
ROLE = "prefect.resource.role"


def asset_key(value: str) -> str:
    """``value`` when it is a valid asset key; ValueError saying what is wrong otherwise."""
    for char in RESTRICTED:
        if char in value:
            raise ValueError(f"Asset key cannot contain {char!r}")
    if len(value) > MAX_ASSET_KEY:
        raise ValueError(f"Asset key cannot exceed {MAX_ASSET_KEY} characters")
    if not _SCHEME.match(value):
        raise ValueError("Key must be a valid URI, e.g. storage://bucket/folder/asset.csv")
    return value


AssetKey = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_ASSET_KEY),
    AfterValidator(asset_key),
    Field(json_schema_extra={"pattern": "^[a-z0-9]+://[^\\s#?&%\"'<>\\[\\]{}|\\\\^`\\x00]*$"}),
]
_NO_NUL = "^[^\\x00]*$"
_NO_NUL_PATTERN = Field(json_schema_extra={"pattern": _NO_NUL})  # NUL is refused: the document says so
_Label = Annotated[str, StringConstraints(max_length=MAX_LABEL), AfterValidator(no_nul), _NO_NUL_PATTERN]


def _labels_schema(*required: str) -> Any:
    """The OpenAPI shape of a resource's labels: names and values without NUL (pydantic would put a
    name pattern in ``patternProperties``, which lets other names through) and the ``required`` ones."""

    def extra(schema: dict[str, Any]) -> None:
        value = {"type": "string", "maxLength": MAX_LABEL, "pattern": _NO_NUL}
        schema.pop("patternProperties", None)
        schema["additionalProperties"] = value
        schema["propertyNames"] = {"minLength": 1, "maxLength": MAX_KEY, "pattern": _NO_NUL}
        if required:
            schema["required"] = list(required)
            schema["properties"] = {name: {**value, "minLength": 1} for name in required}

    return extra


Labels = Annotated[
    dict[Annotated[str, StringConstraints(min_length=1, max_length=MAX_KEY), AfterValidator(no_nul)], _Label],
    Field(max_length=50, json_schema_extra=_labels_schema()),
]


def resource_problem(resource: Any, *, related: bool = False) -> str | None:
    """What makes ``resource`` no event resource (None when it is one)."""
    if not isinstance(resource, dict) or not all(isinstance(v, str) for v in resource.values()):
        return "a resource is a dict of text labels"
    if not resource.get(RESOURCE_ID):
        return f"a resource needs a non-empty {RESOURCE_ID!r}"
    if related and not resource.get(ROLE):
        return f"a related resource needs a non-empty {ROLE!r}"
    return None


# -- assets ----------------------------------------------------------------------------------


class AssetRef(In):
    key: AssetKey
    properties: JsonObject | None = Field(default=None, description="name, description, url, owners")


class MaterializationReport(In):
    """What a materializing task run reports when it ends (sent by remote workers)."""

    flow_run_id: Key | None = None
    task_run_id: Key | None = None
    status: Literal["succeeded", "failed"]
    materialized_by: Key | None = None
    assets: list[AssetRef] = Field(min_length=1, max_length=100)
    upstream: list[AssetRef] = Field(default_factory=list, max_length=200)
    metadata: dict[Annotated[str, StringConstraints(max_length=MAX_ASSET_KEY)], JsonObject] = Field(
        default_factory=dict, max_length=100, description="asset key -> its metadata"
    )
    occurred: EpochSeconds | None = None


class AssetQuery(Query):
    prefix: SearchText | None = Field(default=None, description="only assets whose key starts with this")
    limit: int = Field(default=100, ge=1, le=1000)
    offset: Cursor = 0


class AssetRead(Out):
    key: str
    properties: dict[str, Any] = Field(default_factory=dict)
    last_metadata: dict[str, Any] | None = Field(default=None, description="the latest successful materialization's")
    last_materialized: str | None = None
    created: str | None = None
    updated: str | None = None


class AssetPage(Out):
    items: list[AssetRead]
    total: int = Field(description="assets matching the query")


class AssetDetail(AssetRead):
    materializations: list[dict[str, Any]] = Field(
        default_factory=list, description="the latest: flow run, task run, status, metadata, when"
    )
    upstream: list[str] = Field(default_factory=list, description="assets read to make this one")
    downstream: list[str] = Field(default_factory=list, description="assets made from this one")


# -- events ----------------------------------------------------------------------------------


class EventCreate(In):
    """An event as ``emit_event`` sends it."""

    event: Annotated[str, StringConstraints(max_length=MAX_EVENT_NAME), AfterValidator(no_nul), _NO_NUL_PATTERN]
    resource: Annotated[Labels, Field(json_schema_extra=_labels_schema(RESOURCE_ID))]
    related: list[Annotated[Labels, Field(json_schema_extra=_labels_schema(RESOURCE_ID, ROLE))]] = Field(
        default_factory=list, max_length=100
    )
    payload: JsonObject = Field(default_factory=dict)
    occurred: EpochSeconds | None = None
    id: Annotated[str, StringConstraints(min_length=1, max_length=64)] | None = None

    @field_validator("resource")
    @classmethod
    def _resource(cls, value: dict[str, str]) -> dict[str, str]:
        problem = resource_problem(value)
        if problem:
            raise ValueError(problem)
        return value

    @field_validator("related")
    @classmethod
    def _related(cls, value: list[dict[str, str]]) -> list[dict[str, str]]:
        for item in value:
            problem = resource_problem(item, related=True)
            if problem:
                raise ValueError(problem)
        return value


class EmittedEventRead(Out):
    id: str = Field(description="the event's own id (a UUID)")
    event: str
    resource: dict[str, str]
    related: list[dict[str, str]] = Field(default_factory=list)
    payload: dict[str, Any] = Field(default_factory=dict)
    occurred: str | None = None
