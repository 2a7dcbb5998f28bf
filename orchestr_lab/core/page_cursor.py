"""Keyset cursors: an opaque string naming the last row of a page, so the next page starts
right after it instead of counting every row before it (an offset walks them all).

A cursor is the URL-safe base64 of a small JSON list, ``[kind, *key]``: ``kind`` says which
list gave it out (a run list's cursor is no deployment list's), ``key`` is the sort key of the
page's last row. Clients pass it back as they got it; anything else is refused with a message
(a :class:`ValueError`, which the query models turn into a 400). Pure: no I/O.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import json
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, Field

__all__ = [
    "DEPLOYMENT_CURSOR",
    "MAX_PAGE_CURSOR",
    "RUN_CURSOR",
    "TOTAL_CAP",
    "DeploymentCursor",
    "ListPage",
    "RunCursor",
    "decode_deployment_cursor",
    "decode_run_cursor",
    "deployment_cursor",
    "run_cursor",
]

#: The longest cursor accepted: a run's is ~90 characters, a deployment's up to ~300.
MAX_PAGE_CURSOR = 512
#: A run list's ``total`` counts matches up to this many (a count of a million rows on every
#: page would cost more than the page).
TOTAL_CAP = 10_000
RUN_CURSOR = "r"
DEPLOYMENT_CURSOR = "d"
_BAD = "not a cursor this list gave out (pass next_cursor back as it came)"


def _encode(kind: str, *key: str) -> str:
    raw = json.dumps([kind, *key], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(text: str, kind: str, size: int) -> list[str]:
    """The key of a cursor of ``kind`` with ``size`` parts; ValueError when it is none."""
    if len(text) > MAX_PAGE_CURSOR:
        raise ValueError(f"a cursor is at most {MAX_PAGE_CURSOR} characters")
    try:
        value = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise ValueError(_BAD) from None
    if (
        not isinstance(value, list)
        or len(value) != size + 1
        or value[0] != kind
        or not all(isinstance(part, str) and "\x00" not in part for part in value)
    ):
        raise ValueError(_BAD)
    return value[1:]


def run_cursor(created: _dt.datetime, run_id: str) -> str:
    """The cursor after a run in the newest-first order: its ``(created, id)``."""
    return _encode(RUN_CURSOR, created.isoformat(), run_id)


def decode_run_cursor(text: str) -> tuple[_dt.datetime, str]:
    created, run_id = _decode(text, RUN_CURSOR, 2)
    try:
        when = _dt.datetime.fromisoformat(created)
        if when.tzinfo is None:
            raise ValueError(_BAD)
        return when.astimezone(_dt.timezone.utc), run_id
    except (ValueError, OverflowError):  # not a time, or one that UTC cannot hold
        raise ValueError(_BAD) from None


def deployment_cursor(name: str) -> str:
    """The cursor after a deployment in the by-name order: its (unique) name."""
    return _encode(DEPLOYMENT_CURSOR, name)


def decode_deployment_cursor(text: str) -> str:
    return _decode(text, DEPLOYMENT_CURSOR, 1)[0]


def _checked(decode: Callable[[str], Any]) -> Callable[[str], str]:
    def check(text: str) -> str:
        decode(text)
        return text

    return check


_CURSOR_DOC = "opaque: the next_cursor of the previous page; the page starts right after its last row"
#: A query's cursor: a string checked by decoding it (a bad one is a 400 naming the field).
# The schema names each kind's format: a valid cursor is one a list gave out, which no schema
# can spell, and clients (and the API fuzz) can tell a run list's cursor from a deployment list's.
RunCursor = Annotated[
    str,
    Field(max_length=MAX_PAGE_CURSOR, description=_CURSOR_DOC, json_schema_extra={"format": "run-cursor"}),
    AfterValidator(_checked(decode_run_cursor)),
]
DeploymentCursor = Annotated[
    str,
    Field(max_length=MAX_PAGE_CURSOR, description=_CURSOR_DOC, json_schema_extra={"format": "deployment-cursor"}),
    AfterValidator(_checked(decode_deployment_cursor)),
]


class ListPage(list[Any]):
    """A page of a list answer that stays a JSON list: the server sends where the next page
    starts (``next_cursor``, None on the last page) and ``total`` as headers."""

    def __init__(self, items: list[Any], *, next_cursor: str | None, total: int) -> None:
        super().__init__(items)
        self.next_cursor = next_cursor
        self.total = total
