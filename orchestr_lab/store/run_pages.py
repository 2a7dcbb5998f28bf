"""Pages of flow runs, newest first, filtered: by offset or after a keyset cursor.

Every filter has an index ending in ``(created, id)`` (migration 0009), so a page is a walk
down one index: the page's ids are read off the index alone (a deep offset skips index
entries, not rows), then its rows by primary key. Several states are one walk per state,
merged. ``total`` is counted up to :data:`TOTAL_CAP` matches: exact for any list a person
pages through, and never a count of a million rows on every page.

A time window (``after``/``before``) is the exception: its index (migration 0009) is on when a
run happened, not on ``(created, id)``. A window of few runs (up to :data:`WINDOW_CAP`, counted
off that index first) has its keys read off it and sorted, a sort of a few thousand keys; a
window of many runs is walked newest first like any filter, which finds a page soon among many.
Both plans give the same rows in the same order.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Connection, Select, func, literal, select, tuple_, union_all
from sqlalchemy.engine import Engine

from ..core.page_cursor import TOTAL_CAP, run_cursor
from ..core.states import StateType
from .database import read_connection
from .models import RUN_TIME, UTCDateTime, flow_runs, flows
from .rows import run_dict

__all__ = ["TOTAL_CAP", "WINDOW_CAP", "RunPage", "flow_run_page"]

_C = flow_runs.c
_NEWEST_FIRST = (_C.created.desc(), _C.id.desc())
#: A time window holding at most this many runs is read off its own index and sorted.
WINDOW_CAP = 10_000


class RunPage(NamedTuple):
    items: list[dict[str, Any]]
    #: How many runs match the filters (not only this page), at most the cap it was counted to.
    total: int
    #: False when more than ``total`` runs match (the count stopped at its cap).
    total_exact: bool
    #: Where the next page starts (``core.page_cursor``); None on the last page.
    next_cursor: str | None


def _state_values(state: StateType | str | Iterable[StateType | str]) -> list[str]:
    if isinstance(state, (str, StateType)):
        state = [state]
    return [StateType(s).value for s in state]


#: ``RUN_TIME`` written another way: the same value, but no database sees the window's index in it.
#: A walk newest first filters on this, for as written the planner may read a wide window off its
#: index and sort all of it (90,000 runs for a page of half a year at 200,000) instead of walking.
_WALKED_TIME = func.coalesce(_C.start_time, func.coalesce(_C.scheduled_start_time, _C.created))


def _window(
    after: _dt.datetime | None, before: _dt.datetime | None, when: ColumnElement[Any] = RUN_TIME
) -> list[ColumnElement[bool]]:
    """When a run happened is in the window (``RUN_TIME``, the expression its index is on)."""
    conditions: list[ColumnElement[bool]] = []
    if after is not None:
        conditions.append(after <= when)
    if before is not None:
        conditions.append(before > when)
    return conditions


def _filters(
    *,
    flow_name: str | None,
    deployment_id: str | None,
    flow_id: str | None,
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if flow_id is not None:
        conditions.append(_C.flow_id == flow_id)
    if flow_name is not None:
        # A run's flow name is its flow's: the flow's id walks the (flow_id, created, id) index.
        conditions.append(_C.flow_id == select(flows.c.id).where(flows.c.name == flow_name).scalar_subquery())
    if deployment_id is not None:
        conditions.append(_C.deployment_id == deployment_id)
    return conditions


def _before(created: ColumnElement[Any], run_id: ColumnElement[Any], cursor: tuple[_dt.datetime, str]) -> Any:
    """The runs after ``cursor`` in the list (older, or as old with a smaller id)."""
    return tuple_(created, run_id) < tuple_(literal(cursor[0], UTCDateTime()), literal(cursor[1], _C.id.type))


def _keys(conditions: list[ColumnElement[bool]], states: list[str] | None, limit: int, offset: int) -> Any:
    """The page's run ids, newest first: read off the indexes alone."""
    if states is None or len(states) <= 1:
        where = conditions if states is None else [*conditions, _C.state_type == states[0]]
        return select(_C.id).where(*where).order_by(*_NEWEST_FIRST).limit(limit).offset(offset)
    # One walk of (state_type, created, id) per state, each as deep as the page, then merged:
    # an IN over the states would read every match of every state and sort them.
    walks = [
        select(_C.created, _C.id)
        .where(*conditions, _C.state_type == s)
        .order_by(*_NEWEST_FIRST)
        .limit(limit + offset)
        .subquery()
        for s in states
    ]
    merged = union_all(*(select(w) for w in walks)).subquery()
    return select(merged.c.id).order_by(merged.c.created.desc(), merged.c.id.desc()).limit(limit).offset(offset)


def _walk(
    window: tuple[_dt.datetime | None, _dt.datetime | None],
    conditions: list[ColumnElement[bool]],
    states: list[str] | None,
    cursor: tuple[_dt.datetime, str] | None,
    limit: int,
    offset: int,
    count_up_to: int | None,
) -> tuple[Select[Any], Select[Any]]:
    """The page's ids and the count of matches, walking a filter's ``(created, id)`` index.

    The count needs no order: it may read a time window off the window's index, the walk may not.
    """
    counted = [*_window(*window), *conditions]
    if states:
        counted.append(_C.state_type.in_(states))
    matches = select(_C.id).where(*counted)
    if count_up_to is not None:
        matches = matches.limit(count_up_to + 1)
    count = select(func.count()).select_from(matches.subquery())
    walked = [*_window(*window, _WALKED_TIME), *conditions]
    if cursor is not None:
        walked.append(_before(_C.created, _C.id, cursor))
    return _keys(walked, states, limit, offset), count


def _few_in(conn: Connection, window: list[ColumnElement[bool]]) -> bool:
    """Whether the window holds at most :data:`WINDOW_CAP` runs: counted off its index, up to the cap."""
    if not window:
        return False
    capped = select(_C.id).where(*window).limit(WINDOW_CAP + 1).subquery()
    return int(conn.execute(select(func.count()).select_from(capped)).scalar_one()) <= WINDOW_CAP


def _sorted_window(
    window: list[ColumnElement[bool]],
    conditions: list[ColumnElement[bool]],
    states: list[str] | None,
    cursor: tuple[_dt.datetime, str] | None,
    limit: int,
    offset: int,
) -> tuple[Select[Any], Select[Any]]:
    """The page's ids and the count of matches, from a small window's keys sorted.

    The window's keys come off its index with a LIMIT it never reaches (it holds fewer runs):
    a subquery with a LIMIT stays one, so the database reads the window first and looks each
    run up by key for the other filters, instead of walking another filter's index through
    every run since the window.
    """
    keys = select(_C.id, _C.created).where(*window).limit(WINDOW_CAP + 1).subquery()
    where = conditions if not states else [*conditions, _C.state_type.in_(states)]
    matches = select(keys.c.id).select_from(keys.join(flow_runs, _C.id == keys.c.id) if where else keys).where(*where)
    count = select(func.count()).select_from(matches.subquery())
    if cursor is not None:
        matches = matches.where(_before(keys.c.created, keys.c.id, cursor))
    return matches.order_by(keys.c.created.desc(), keys.c.id.desc()).limit(limit).offset(offset), count


def flow_run_page(
    engine: Engine,
    *,
    state: StateType | str | Iterable[StateType | str] | None = None,
    flow_name: str | None = None,
    deployment_id: str | None = None,
    flow_id: str | None = None,
    after: _dt.datetime | None = None,
    before: _dt.datetime | None = None,
    limit: int = 50,
    offset: int = 0,
    cursor: tuple[_dt.datetime, str] | None = None,
    count_up_to: int | None = TOTAL_CAP,
) -> RunPage:
    """A page of flow runs, newest first (``created``, then ``id``).

    ``cursor`` (a run's ``(created, id)``, decoded from ``core.page_cursor``): the page starts
    right after that run, ``offset`` counting from there. ``after``/``before`` bound when a run
    happened: its start, or its scheduled start (or its creation) when it has not started.
    ``count_up_to``: stop counting ``total`` there (None: count them all).
    """
    window = _window(after, before)
    conditions = _filters(flow_name=flow_name, deployment_id=deployment_id, flow_id=flow_id)
    states = None if state is None else _state_values(state)
    if states == []:  # no state at all: nothing matches
        return RunPage(items=[], total=0, total_exact=True, next_cursor=None)
    with read_connection(engine) as conn:
        if _few_in(conn, window):
            keys, count = _sorted_window(window, conditions, states, cursor, limit + 1, offset)
        else:
            keys, count = _walk((after, before), conditions, states, cursor, limit + 1, offset, count_up_to)
        ids = list(conn.execute(keys).scalars())
        more = len(ids) > limit
        ids = ids[:limit]
        by_id = {r["id"]: r for r in conn.execute(select(flow_runs).where(_C.id.in_(ids))).mappings()}
        total = int(conn.execute(count).scalar_one())
    rows = [by_id[i] for i in ids if i in by_id]  # (a run deleted in between is left out)
    exact = count_up_to is None or total <= count_up_to
    return RunPage(
        items=[run_dict(r) for r in rows],
        total=total if exact else int(count_up_to),  # type: ignore[arg-type]
        total_exact=exact,
        next_cursor=run_cursor(rows[-1]["created"], rows[-1]["id"]) if more and rows else None,
    )
