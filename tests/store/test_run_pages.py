"""Pages of flow runs on both stores: a cursor and an offset give the same rows, whatever the
filter, and each filter's page is read off its own index (no sort of every match)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from orchestr_lab.core.page_cursor import decode_run_cursor
from orchestr_lab.core.states import Completed, Failed, Running
from orchestr_lab.core.wire import FlowRunOp, StateOp
from orchestr_lab.store.run_pages import flow_run_page
from orchestr_lab.store.runs import write_batch

T0 = 1_700_000_000.25
RUNS = 500
DEPLOYMENT = "6f1c2a56-0000-4000-8000-000000000001"


@pytest.fixture
def runs(engine: Engine) -> list[str]:
    """500 runs, newest first: seven at a time share their ``created`` (a burst), every third
    failed, two flows, every fourth of a deployment."""
    ops: list[Any] = []
    ids = [str(uuid.uuid4()) for _ in range(RUNS)]
    for i, run_id in enumerate(ids):
        row = {"id": run_id, "name": f"r{i}", "flow_name": f"flow-{i % 2}", "created": T0 + i // 7}
        ops += [FlowRunOp(row), StateOp("flow", run_id, Running(), {}), StateOp("flow", run_id, _end(i), {})]
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


def test_a_cursor_and_an_offset_walk_the_same_rows(engine: Engine, runs: list[str]) -> None:
    for filters in FILTERS:
        everything = flow_run_page(engine, limit=1000, **filters)
        expected = [r["id"] for r in everything.items]
        assert everything.next_cursor is None and everything.total == len(expected) > 30, filters
        keys = [(r["created"], r["id"]) for r in everything.items]
        assert keys == sorted(keys, reverse=True)

        def by_cursor(page: Any, filters: dict[str, Any] = filters) -> Any:
            cursor = None if page is None else decode_run_cursor(page.next_cursor)
            return flow_run_page(engine, limit=11, cursor=cursor, **filters)

        walked = list(_pages(by_cursor))
        by_offset = [flow_run_page(engine, limit=11, offset=n, **filters) for n in range(0, len(expected), 11)]
        assert [r["id"] for p in walked for r in p.items] == expected, filters
        assert [[r["id"] for r in p.items] for p in walked] == [[r["id"] for r in p.items] for p in by_offset]
        assert {p.total for p in walked} == {len(expected)}
        assert by_offset[-1].next_cursor is None and all(p.next_cursor for p in by_offset[:-1])


def test_total_stops_counting_at_its_cap(engine: Engine, runs: list[str]) -> None:
    capped = flow_run_page(engine, limit=5, count_up_to=100)
    assert (capped.total, capped.total_exact, len(capped.items)) == (100, False, 5)
    assert flow_run_page(engine, limit=5, count_up_to=RUNS)[1:3] == (RUNS, True)


def _plans(engine: Engine, read: Callable[[], Any]) -> list[str]:
    """The plan of every SELECT on flow_runs that ``read`` made, as the database explains it."""
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
            conn.exec_driver_sql("SET LOCAL enable_sort = off")
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
