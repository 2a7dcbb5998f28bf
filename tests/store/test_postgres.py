"""The same guarantees on a real PostgreSQL server: claims (SKIP LOCKED), limits, scheduler lock.

Skipped where no PostgreSQL server can be started (see ``_postgres.py``).
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from _helpers import T0
from orchestr_lab.services.scheduler import SchedulerLock, schedule_tick
from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.events import list_events
from orchestr_lab.store.models import metadata
from orchestr_lab.store.queues import update_queue
from orchestr_lab.store.run_reads import list_flow_runs

from ._claim_worker import claim_into


def _race(url: str, n: int) -> dict[str, list[str]]:
    """``n`` spawned processes claim from the default queue at once; who got what."""
    ctx = multiprocessing.get_context("spawn")
    go, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=claim_into, args=(results, url, f"worker-{i}", go, T0.isoformat())) for i in range(n)]
    for p in procs:
        p.start()
    assert sorted(results.get(timeout=120) for _ in procs) == sorted(("ready", f"worker-{i}") for i in range(n))
    go.set()
    got = dict(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    return got


def test_migrations_build_the_models_schema(pg_url: str) -> None:
    engine = get_engine(pg_url)
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), metadata) == []
        assert conn.execute(text("SELECT name FROM work_queues")).scalars().all() == ["default"]


def test_four_processes_claim_each_of_120_runs_exactly_once(pg_url: str) -> None:
    engine = get_engine(pg_url)
    dep = create_deployment(engine, {"name": "d", "notebook": "a.ipynb"})
    runs = {
        create_deployment_run(engine, dep, scheduled_time=T0 - i * dt.timedelta(seconds=1))["id"] for i in range(120)
    }

    got = _race(pg_url, 4)

    claimed = [run_id for ids in got.values() for run_id in ids]
    assert len(claimed) == 120 and set(claimed) == runs


def test_racing_claims_do_not_overfill_limits(pg_url: str) -> None:
    """Queue limit 3 and deployment limit 1: however the workers race, no more get through."""
    engine = get_engine(pg_url)
    one_at_a_time = create_deployment(engine, {"name": "a", "notebook": "a.ipynb", "concurrency_limit": 1})
    others = create_deployment(engine, {"name": "b", "notebook": "b.ipynb"})
    for i in range(10):
        create_deployment_run(engine, one_at_a_time, scheduled_time=T0 - i * dt.timedelta(seconds=1))
        create_deployment_run(engine, others, scheduled_time=T0 - i * dt.timedelta(seconds=1))
    update_queue(engine, "default", {"concurrency_limit": 3})

    got = _race(pg_url, 3)

    claimed = [run_id for ids in got.values() for run_id in ids]
    assert len(claimed) == 3
    active, _ = list_flow_runs(engine, state="PENDING")
    assert sum(r["deployment_id"] == one_at_a_time["id"] for r in active) <= 1


def test_racing_claims_do_not_overfill_a_pool_limit(pg_url: str) -> None:
    """The default pool limited to 2: three racing workers get exactly two of its runs."""
    from orchestr_lab.store.work_pools import update_pool

    engine = get_engine(pg_url)
    dep = create_deployment(engine, {"name": "a", "notebook": "a.ipynb"})
    for i in range(6):
        create_deployment_run(engine, dep, scheduled_time=T0 - i * dt.timedelta(seconds=1))
    update_pool(engine, "default", {"concurrency_limit": 2})

    got = _race(pg_url, 3)

    assert sum(len(ids) for ids in got.values()) == 2


def test_two_schedulers_and_the_advisory_lock(pg_url: str) -> None:
    from services._scheduler_race import race_schedulers

    engine = get_engine(pg_url)
    deps = [
        create_deployment(
            engine, {"name": f"d{i}", "notebook": "a.ipynb", "schedules": [{"cron": "* * * * *"}, {"interval": 30}]}
        )
        for i in range(3)
    ]
    ticks = [(T0 + i * dt.timedelta(seconds=20)).isoformat() for i in range(12)]
    inserted = race_schedulers(pg_url, ticks, [False, False])
    total = 0
    for dep in deps:
        runs, count = list_flow_runs(engine, deployment_id=dep["id"], limit=10_000)
        assert len({(r["schedule_id"], r["scheduled_start_time"]) for r in runs}) == count
        total += count
    assert inserted == total > 0
    assert schedule_tick(engine, now=dt.datetime.fromisoformat(ticks[-1])) == 0

    first, second = SchedulerLock(engine), SchedulerLock(engine)
    try:
        assert first.acquire() and first.acquire()
        assert not second.acquire()
        first.release()
        assert second.acquire()
    finally:
        first.release()
        second.release()


def test_events_page_in_commit_order(pg_url: str) -> None:
    engine = get_engine(pg_url)
    dep = create_deployment(engine, {"name": "d", "notebook": "a.ipynb"})
    for _ in range(5):
        create_deployment_run(engine, dep)
    events: list[dict[str, Any]] = []
    cursor = None
    while page := list_events(engine, after=cursor, limit=2):
        events += page
        cursor = page[-1]["id"]
    assert [e["kind"] for e in events] == ["deployment.created"] + ["flow_run.state"] * 5
    assert claim_next_run(engine, worker_name="w", worker_type="process", queues=["default"]) is not None


def test_racing_claims_do_not_overfill_a_tag_limit(pg_url: str) -> None:
    """Tag limit 2 over two deployments in one queue: three racing workers get exactly two."""
    from orchestr_lab.store.concurrency_limits import create_limit

    engine = get_engine(pg_url)
    a = create_deployment(engine, {"name": "a", "notebook": "a.ipynb", "tags": ["db"]})
    b = create_deployment(engine, {"name": "b", "notebook": "b.ipynb", "tags": ["db"]})
    for i in range(6):
        create_deployment_run(engine, a if i % 2 else b, scheduled_time=T0 - i * dt.timedelta(seconds=1))
    create_limit(engine, "db", 2)

    got = _race(pg_url, 3)

    assert len([run_id for ids in got.values() for run_id in ids]) == 2
