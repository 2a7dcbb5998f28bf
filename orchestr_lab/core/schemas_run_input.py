"""API contract for flow run inputs: keyed JSON values sent to a flow run.

``send_input`` / ``RunInput.send_to`` write one under a fresh key (``<prefix>-<uuid>``);
``receive_input`` reads them in turn by key prefix, leaving out the ones it has seen. Keys are
Prefect's: lowercase letters, numbers and dashes.
"""

from __future__ import annotations

import json
import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from .limits import MAX_ITEMS, MAX_KEY
from .schemas_base import In, Out

__all__ = ["InputKey", "RunInputCreate", "RunInputFilter", "RunInputValueRead", "check_input_key"]

#: A value, as JSON text, is at most this long (a model's schema or a person's answer, not data).
MAX_INPUT_VALUE = 512 * 1024
#: At most this many inputs come back from one filter.
MAX_INPUT_PAGE = 200

_KEY_PATTERN = r"^[a-z0-9-]+$"


def check_input_key(value: str) -> str:
    """``value`` when it is a key Prefect accepts; else its wording of the rule."""
    if not re.fullmatch(_KEY_PATTERN.strip("^$"), value):
        raise ValueError("key must only contain lowercase letters, numbers, and dashes.")
    return value


def _check_value(value: Any) -> Any:
    try:
        text = json.dumps(value, allow_nan=False)
    except (TypeError, ValueError):
        raise ValueError("the value must be JSON (finite numbers)") from None
    if len(text) > MAX_INPUT_VALUE:
        raise ValueError(f"the value must be at most {MAX_INPUT_VALUE} characters as JSON")
    return value


InputKey = Annotated[
    str,
    StringConstraints(min_length=1, max_length=MAX_KEY),
    AfterValidator(check_input_key),
    Field(json_schema_extra={"pattern": _KEY_PATTERN}),
]
_Sender = Annotated[str, StringConstraints(max_length=MAX_KEY, pattern=r"^[^\x00]*$")]


class RunInputCreate(In):
    """One input for a flow run; 409 when the run has one under ``key`` already."""

    key: InputKey
    value: Annotated[Any, AfterValidator(_check_value)] = Field(
        description=f"any JSON value, at most {MAX_INPUT_VALUE} characters as JSON"
    )
    sender: _Sender | None = Field(default=None, description="who sent it: prefect.flow-run.<id> for a flow run")


class RunInputFilter(In):
    """The run's inputs whose key starts with ``prefix``, oldest first, leaving out ``exclude_keys``."""

    prefix: Annotated[str, StringConstraints(max_length=MAX_KEY, pattern=r"^[a-z0-9-]*$")]
    limit: int = Field(default=1, ge=1, le=MAX_INPUT_PAGE)
    exclude_keys: list[InputKey] = Field(default_factory=list, max_length=MAX_ITEMS)


class RunInputValueRead(Out):
    """A stored input: its key, JSON value, sender and when it came."""

    flow_run_id: str
    key: str
    value: Any = None
    sender: str | None = None
    created: str | None = None
