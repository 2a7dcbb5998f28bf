"""Pages of flow runs on both stores: a cursor and an offset give the same rows, whatever the
filter, and each filter's page is read off its own index (no sort of every match)."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from orchestr_lab.core.page_cursor import decode_run_cursor
from orchestr_lab.core.states import Completed, Failed, Running
from orchestr_lab.core.wire import FlowRunOp, StateOp
from orchestr_lab.store import run_pages
from orchestr_lab.store.run_pages import flow_run_page
from orchestr_lab.store.runs import write_batch

T0 = 1_700_000_000.25
RUNS = 500
DEPLOYMENT = "6f1c2a56-0000-4000-8000-000000000001"


@pytest.fixture
def runs(engine: Engine) -> list[str]:
    """500 runs, newest first: seven at a time share their ``created`` (a burst), every third
    failed, two flows, every fourth of a deployment; every fifth started long after it was made
    (so when a run happened is not in the order of the list)."""
    ops: list[Any] = []
    ids = [str(uuid.uuid4()) for _ in range(RUNS)]
    for i, run_id in enumerate(ids):
        row = {"id": run_id, "name": f"r{i}", "flow_name": f"flow-{i % 2}", "created": T0 + i // 7}
        started = {"start_time": T0 + RUNS // 7 - i // 3} if i % 5 == 0 else {}
        ops += [FlowRunOp(row), StateOp("flow", run_id, Running(), started), StateOp("flow", run_id, _end(i), {})]
    write_batch(engine, ops)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE flow_runs SET deployment_id = :d WHERE name LIKE '%0' OR name LIKE '%4'"), {"d": DEPLOYMENT}
        )
    return ids


def _end(i: int) -> Any:
    return Failed() if i % 3 == 0 else Completed()


FILTERS: list[dict[str, Any]] = [
    {},
    {"state": "COMPLETED"},
    {"state": ["FAILED", "COMPLETED"]},
    {"flow_name": "flow-1"},
    {"deployment_id": DEPLOYMENT},
    {"deployment_id": DEPLOYMENT, "state": "FAILED"},
]


def _pages(read: Callable[[Any], Any]) -> Iterator[Any]:
    """Every page ``read(previous page or None)`` gives, until one says it is the last."""
    page = read(None)
    yield page
    while page.next_cursor is not None:
        page = read(page)
        yield page


def _walk_both_ways(engine: Engine, filters: dict[str, Any]) -> list[list[str]]:
    """Every page of ``filters`` by cursor, checked against the same pages by offset."""
    everything = flow_run_page(engine, limit=1000, **filters)
    expected = [r["id"] for r in everything.items]
    assert everything.next_cursor is None and everything.total == len(expected) > 30, filters
    keys = [(r["created"], r["id"]) for r in everything.items]
    assert keys == sorted(keys, reverse=True)

    def by_cursor(page: Any) -> Any:
        cursor = None if page is None else decode_run_cursor(page.next_cursor)
        return flow_run_page(engine, limit=11, cursor=cursor, **filters)

    walked = list(_pages(by_cursor))
    by_offset = [flow_run_page(engine, limit=11, offset=n, **filters) for n in range(0, len(expected), 11)]
    assert [r["id"] for p in walked for r in p.items] == expected, filters
    assert [[r["id"] for r in p.items] for p in walked] == [[r["id"] for r in p.items] for p in by_offset]
    assert {p.total for p in walked} == {len(expected)}
    assert by_offset[-1].next_cursor is None and all(p.next_cursor for p in by_offset[:-1])
    return [[r["id"] for r in p.items] for p in walked]


def test_a_cursor_and_an_offset_walk_the_same_rows(engine: Engine, runs: list[str]) -> None:
    for filters in FILTERS:
        _walk_both_ways(engine, filters)


def _at(seconds: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(T0 + seconds, dt.timezone.utc)


WINDOWS: list[dict[str, Any]] = [
    {"after": _at(20), "before": _at(30)},
    {"after": _at(20), "before": _at(30), "state": "COMPLETED"},
    {"after": _at(10), "before": _at(40), "state": ["FAILED", "COMPLETED"]},
    {"after": _at(10), "before": _at(40), "flow_name": "flow-1"},
    {"after": _at(60)},
    {"before": _at(10), "state": "COMPLETED"},
    {"after": _at(-1), "deployment_id": DEPLOYMENT},
]


def _matches(run: dict[str, Any], filters: dict[str, Any]) -> bool:
    """Whether ``run`` is one ``filters`` asks for, said plainly."""
    happened = dt.datetime.fromisoformat(run["start_time"] or run["scheduled_start_time"] or run["created"])
    states = filters.get("state", [run["state"]["type"]])
    return (
        filters.get("after", happened) <= happened < filters.get("before", happened + dt.timedelta(1))
        and run["state"]["type"] in ([states] if isinstance(states, str) else states)
        and filters.get("flow_name", run["flow_name"]) == run["flow_name"]
        and filters.get("deployment_id", run["deployment_id"]) == run["deployment_id"]
    )


def test_a_time_window_gives_the_same_pages_whether_sorted_off_its_index_or_walked(
    engine: Engine, runs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window of few runs is read off its own index and sorted; of many, walked newest first
    (as every window was before): the same runs, in the same pages, by cursor and by offset."""
    everyone = flow_run_page(engine, limit=1000, count_up_to=None).items
    assert len(everyone) == RUNS
    for filters in WINDOWS:
        sorted_pages = _walk_both_ways(engine, filters)
        with monkeypatch.context() as walk_always:
            walk_always.setattr(run_pages, "WINDOW_CAP", -1)
            assert _walk_both_ways(engine, filters) == sorted_pages, filters
        inside = [r["id"] for r in everyone if _matches(r, filters)]
        assert [i for page in sorted_pages for i in page] == inside, filters
    started_late = {r["id"] for r in everyone if r["start_time"]}
    assert started_late & {r["id"] for r in everyone if _matches(r, WINDOWS[0])}


def test_total_stops_counting_at_its_cap(engine: Engine, runs: list[str]) -> None:
    capped = flow_run_page(engine, limit=5, count_up_to=100)
    assert (capped.total, capped.total_exact, len(capped.items)) == (100, False, 5)
    assert flow_run_page(engine, limit=5, count_up_to=RUNS)[1:3] == (RUNS, True)


def _plans(engine: Engine, read: Callable[[], Any], dear: str = "sort") -> list[str]:
    """The plan of every SELECT on flow_runs that ``read`` made, as the database explains it
    (PostgreSQL's with ``dear`` made dear: ``sort``, or ``seqscan``)."""
    seen: list[tuple[str, Any]] = []

    def grab(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, many: bool) -> None:
        if statement.lstrip().startswith("SELECT") and "ORDER BY" in statement:
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        read()
    finally:
        event.remove(engine, "before_cursor_execute", grab)
    explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            # 500 runs are a few pages: PostgreSQL would rather sort them than walk an index.
            # Sorting made dear, the plan shows whether an index gives the order (a million runs).
            conn.exec_driver_sql(f"SET LOCAL enable_{dear} = off")
        return [
            "\n".join(" ".join(map(str, row)) for row in conn.exec_driver_sql(explain + statement, parameters))
            for statement, parameters in seen
        ]


INDEXES = [
    ({}, "ix_flow_runs_created_id"),
    ({"state": "COMPLETED"}, "ix_flow_runs_state_type_created_id"),
    ({"state": ["FAILED", "CRASHED"]}, "ix_flow_runs_state_type_created_id"),
    ({"flow_name": "flow-1"}, "ix_flow_runs_flow_id_created_id"),
    ({"deployment_id": DEPLOYMENT}, "ix_flow_runs_deployment_id_created_id"),
]


def test_each_filter_reads_its_page_off_its_index(engine: Engine, runs: list[str]) -> None:
    """A deep page after a cursor walks the filter's index from there: no sort of every match
    (``?state=COMPLETED`` sorted 180,000 runs of 200,000 for a page of 50 before 0008)."""
    for filters, index in INDEXES:
        middle = flow_run_page(engine, limit=100, **filters)
        cursor = decode_run_cursor(middle.next_cursor) if middle.next_cursor else None
        (plan,) = _plans(engine, lambda f=filters, c=cursor: flow_run_page(engine, limit=50, cursor=c, **f))
        assert index in plan, (filters, plan)
        if not isinstance(filters.get("state"), list):  # several states: one walk each, merged
            assert "Sort" not in plan and "TEMP B-TREE" not in plan, (filters, plan)


def test_a_narrow_time_window_is_read_off_its_own_index(
    engine: Engine, runs: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A window of a few runs far back finds them by when they happened, alone or with another
    filter, instead of walking every run since (a second for a day a year back, a million runs)."""
    for filters in WINDOWS[:4]:
        middle = flow_run_page(engine, limit=11, **filters)
        cursor = decode_run_cursor(middle.next_cursor)
        # (PostgreSQL reads 500 runs whole rather than through any index: reading them made dear.)
        (plan,) = _plans(engine, lambda f=filters, c=cursor: flow_run_page(engine, limit=11, cursor=c, **f), "seqscan")
        assert "ix_flow_runs_run_time_created_id" in plan, (filters, plan)
        if engine.dialect.name == "sqlite":  # (PostgreSQL, knowing nothing of 500 runs, may look them up either way)
            assert "ix_flow_runs_state_type_created_id" not in plan and "flow_id_created_id" not in plan, plan
    with monkeypatch.context() as walk_always:  # a window of many runs: walked newest first, no sort
        walk_always.setattr(run_pages, "WINDOW_CAP", -1)
        (wide,) = _plans(engine, lambda: flow_run_page(engine, limit=11, after=_at(-1), before=_at(1e6)))
    assert "ix_flow_runs_created_id" in wide and "Sort" not in wide and "TEMP B-TREE" not in wide, wide
