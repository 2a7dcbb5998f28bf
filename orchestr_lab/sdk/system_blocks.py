"""The built-in blocks: ``Secret`` (Prefect's), and ``JSON``, ``String``, ``DateTime``.

``JSON``, ``String`` and ``DateTime`` are the value blocks Prefect 2 had (Prefect 3 points to
variables for them); they are kept for code written against them.
"""

from __future__ import annotations

import datetime as _dt
import json
from typing import Any, Generic, TypeVar, Union

from pydantic import Field, JsonValue, Secret as PydanticSecret, SecretStr, StrictStr, field_validator

from .blocks import Block

__all__ = ["JSON", "DateTime", "Secret", "String"]

T = TypeVar("T")


class Secret(Block, Generic[T]):
    """A value kept secret: encrypted in the store, shown as ``********`` everywhere but ``.get()``.

    ``Secret(value="sk-123").save("api-key")``, then ``Secret.load("api-key").get()``.
    """

    _description = "A value kept secret: stored encrypted and never shown in lists."

    value: Union[SecretStr, PydanticSecret[Any]] = Field(  # noqa: UP007 (pydantic reads the Union at runtime)
        description="A value that should be kept secret.",
        json_schema_extra={"writeOnly": True, "format": "password"},
    )

    @field_validator("value", mode="before")
    @classmethod
    def _wrap(cls, value: Any) -> Any:
        if isinstance(value, (SecretStr, PydanticSecret)):
            return value
        return PydanticSecret[type(value)](value)  # type: ignore[misc,operator]

    def get(self) -> Any:
        """The plain value; text holding JSON comes back parsed (as Prefect's ``Secret.get``)."""
        value = self.value.get_secret_value()
        if isinstance(value, str):
            try:
                return json.loads(value)
            except (TypeError, json.JSONDecodeError):
                return value
        return value


class JSON(Block):
    """Any JSON value, saved by name."""

    _block_type_name = "JSON"
    _description = "A block that represents JSON."

    value: JsonValue = Field(description="A JSON-compatible value.")


class String(Block):
    """A string, saved by name."""

    _block_type_name = "String"
    _description = "A block that represents a string."

    value: StrictStr = Field(description="A string value.")


class DateTime(Block):
    """A point in time, saved by name."""

    _block_type_name = "Date Time"
    _description = "A block that represents a datetime."

    value: _dt.datetime = Field(description="An ISO 8601-compatible datetime value.")
