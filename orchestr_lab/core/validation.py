"""One wording for input that fails its model, wherever it is checked.

The server answers it (422 for a body, 400 for a query string) and the local backend raises
it, so the CLI and the magics print the same line whether they reach the store or a server:
``Invalid request: name: String should have at most 200 characters``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

__all__ = ["validation_detail", "validation_message", "validation_text"]

#: How many of the errors the message names; the rest are counted.
SHOWN = 3


def validation_detail(exc: Any) -> list[dict[str, Any]]:
    """A pydantic ``ValidationError`` as ``[{"loc": [...], "msg": ...}]``: the API's ``detail``."""
    return [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors(include_url=False)]


def validation_message(detail: Sequence[Mapping[str, Any]]) -> str:
    """``Invalid request: <field>: <message>; ...`` for the first errors, then how many more.

    A validator's own message loses pydantic's ``Value error, `` prefix: it is written for the user.
    """
    parts = []
    for item in detail[:SHOWN]:
        where = ".".join(str(p) for p in item["loc"])
        msg = str(item["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    more = f" (and {len(detail) - SHOWN} more)" if len(detail) > SHOWN else ""
    return "Invalid request: " + "; ".join(parts) + more


def validation_text(exc: Any) -> str:
    """The message for a pydantic ``ValidationError``."""
    return validation_message(validation_detail(exc))
