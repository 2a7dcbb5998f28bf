"""API contract for variables and blocks: named JSON values and typed, saved configuration.

Names follow Prefect's rules (a variable: lowercase letters, digits, dashes and underscores;
a block document and a block type slug: lowercase letters, digits and dashes), so a name that
works with Prefect works here and the other way round. A variable's value is any JSON value of
at most :data:`MAX_VARIABLE_VALUE` characters once serialised, Prefect's bound.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from .limits import MAX_ITEMS, MAX_KEY, Description, JsonObject, Key, Label, SearchText, Tags, bounded_list
from .schemas_base import In, Out, Query

__all__ = [
    "MAX_VARIABLE_VALUE",
    "BlockCreate",
    "BlockQuery",
    "BlockRead",
    "BlockReadQuery",
    "BlockSchemaIn",
    "BlockTypeIn",
    "BlockTypeRead",
    "BlockUpdate",
    "VariableCreate",
    "VariableQuery",
    "VariableRead",
    "VariableUpdate",
    "check_variable_value",
]

#: A variable's value, as JSON text, is shorter than this (Prefect's bound).
MAX_VARIABLE_VALUE = 5000
#: A block document's data, as JSON text (secrets and a few settings, not data sets).
MAX_BLOCK_DATA = 512 * 1024

_VARIABLE_NAME = r"^[a-z0-9_-]+$"
_SLUG = r"^[a-z0-9-]+$"
_CHECKSUM = r"^sha256:[0-9a-f]{64}$"


def _matches(pattern: str, what: str, value: str) -> str:
    """``value`` when it matches ``pattern``; else Prefect's wording of the rule."""
    if not re.fullmatch(pattern.strip("^$"), value):
        raise ValueError(f"{what} must only contain {_WORDS[pattern]}.")
    return value


_WORDS = {
    _VARIABLE_NAME: "lowercase letters, numbers, and dashes or underscores",
    _SLUG: "lowercase letters, numbers, and dashes",
}
_KEY = StringConstraints(min_length=1, max_length=MAX_KEY)

VariableName = Annotated[
    str,
    _KEY,
    AfterValidator(functools.partial(_matches, _VARIABLE_NAME, "Variable name")),
    Field(json_schema_extra={"pattern": _VARIABLE_NAME}),
]
BlockName = Annotated[
    str,
    _KEY,
    AfterValidator(functools.partial(_matches, _SLUG, "Block document name")),
    Field(json_schema_extra={"pattern": _SLUG}),
]
BlockTypeSlug = Annotated[
    str,
    _KEY,
    AfterValidator(functools.partial(_matches, _SLUG, "Block type slug")),
    Field(json_schema_extra={"pattern": _SLUG}),
]
Checksum = Annotated[str, StringConstraints(pattern=_CHECKSUM, max_length=80)]


def check_variable_value(value: Any) -> Any:
    """JSON (finite numbers, no NUL in text) and shorter than :data:`MAX_VARIABLE_VALUE` once serialised."""
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        raise ValueError("Variable value must be serializable to JSON") from None
    if value is not None and len(text) > MAX_VARIABLE_VALUE:
        raise ValueError(f"Variable value must be less than {MAX_VARIABLE_VALUE} characters")
    return value


VariableValue = Annotated[Any, AfterValidator(check_variable_value)]


def _block_data(value: dict[str, Any]) -> dict[str, Any]:
    if len(json.dumps(value)) > MAX_BLOCK_DATA:
        raise ValueError(f"block data must be less than {MAX_BLOCK_DATA} characters as JSON")
    return value


BlockData = Annotated[JsonObject, AfterValidator(_block_data)]


# -- variables ------------------------------------------------------------------------------


class VariableCreate(In):
    name: VariableName
    value: VariableValue = Field(description=f"any JSON value, under {MAX_VARIABLE_VALUE} characters as JSON")
    tags: Tags = Field(default_factory=list)


class VariableUpdate(In):
    """Only the fields sent change (``"value": null`` sets the value to null)."""

    name: VariableName | None = None
    value: VariableValue = None
    tags: Tags | None = None


class VariableRead(Out):
    id: str
    name: str
    value: Any = None
    tags: list[str] = Field(default_factory=list)
    created: str | None = None
    updated: str | None = None


class VariableQuery(Query):
    name: SearchText | None = Field(default=None, description="only variables whose name contains this text")
    limit: int = Field(default=200, ge=1, le=1000)


# -- blocks -----------------------------------------------------------------------------------


class BlockTypeIn(In):
    slug: BlockTypeSlug
    name: Key
    description: Description | None = None


class BlockSchemaIn(In):
    """A block class's fields as a JSON schema; a class whose schema changes registers a new one."""

    checksum: Checksum = Field(description="sha256 of the fields' JSON schema, as Block computes it")
    fields: JsonObject = Field(description="the block class's JSON schema")
    secret_fields: bounded_list(Key, max_length=MAX_ITEMS) = Field(  # type: ignore[valid-type]
        default_factory=list, description="dotted paths of the fields kept secret (SecretStr and the like)"
    )
    capabilities: Tags = Field(default_factory=list)
    version: Label = "1"


class BlockCreate(In):
    name: BlockName
    block_type: BlockTypeIn
    block_schema: BlockSchemaIn
    data: BlockData = Field(description="the block's field values; stored encrypted")


class BlockUpdate(In):
    block_schema: BlockSchemaIn | None = Field(default=None, description="the schema the new data follows")
    data: BlockData


class BlockRead(Out):
    id: str
    name: str
    block_type_slug: str
    block_type_name: str
    block_schema_checksum: str
    capabilities: list[str] = Field(default_factory=list)
    secret_fields: list[str] = Field(default_factory=list)
    data: dict[str, Any] = Field(description="secret fields read '********' unless include_secrets was asked")
    created: str | None = None
    updated: str | None = None


class BlockTypeRead(Out):
    id: str
    slug: str
    name: str
    description: str | None = None
    checksum: str = Field(description="the newest registered schema's checksum")
    capabilities: list[str] = Field(default_factory=list)
    schemas: int = Field(default=1, description="schemas registered for this type (one per class change)")
    blocks: int = Field(default=0, description="saved blocks of this type")
    created: str | None = None
    updated: str | None = None


class BlockQuery(Query):
    type: SearchText | None = Field(default=None, description="only blocks of this block type slug")
    limit: int = Field(default=200, ge=1, le=1000)


class BlockReadQuery(Query):
    include_secrets: bool = Field(default=False, description="the secret fields' values, decrypted")
