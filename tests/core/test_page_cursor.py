"""Cursors round-trip, and anything a list did not give out is refused with words (a 400 at the
API), never let through to a query that would fail in the database (a 500)."""

from __future__ import annotations

import base64
import datetime as dt
import json

import pytest

from orchestr_lab.core.page_cursor import (
    MAX_PAGE_CURSOR,
    decode_deployment_cursor,
    decode_run_cursor,
    deployment_cursor,
    run_cursor,
)

UTC = dt.timezone.utc


def _raw(*parts: str) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(parts)).encode()).decode().rstrip("=")


def test_cursors_round_trip() -> None:
    when = dt.datetime(2026, 12, 6, 14, 3, 29, 100457, tzinfo=UTC)
    assert decode_run_cursor(run_cursor(when, "a-run")) == (when, "a-run")
    assert decode_deployment_cursor(deployment_cursor("nightly report é")) == "nightly report é"


@pytest.mark.parametrize(
    "text",
    [
        "not-a-cursor",
        "é",
        "x" * (MAX_PAGE_CURSOR + 1),
        _raw("d", "nightly"),  # another list's
        _raw("r", "2026-01-01T00:00:00", "a"),  # a time without its zone
        _raw("r", "0001-01-01T00:00:00+14:00", "a"),  # before what UTC can hold
        _raw("r", "2026-01-01T00:00:00+00:00"),  # a part missing
        _raw("r", "2026-01-01T00:00:00+00:00", "a\x00"),  # NUL, which PostgreSQL text cannot hold
    ],
)
def test_what_a_run_list_did_not_give_out_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="cursor"):
        decode_run_cursor(text)


def test_a_deployment_cursor_is_refused_by_the_run_list_and_the_other_way_round() -> None:
    with pytest.raises(ValueError, match="cursor"):
        decode_deployment_cursor(run_cursor(dt.datetime.now(UTC), "a"))
    with pytest.raises(ValueError, match="cursor"):
        decode_deployment_cursor(_raw("d", "a\x00b"))
