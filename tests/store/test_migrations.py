"""Migrations: the packaged alembic scripts build the schema the models describe, once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from click.testing import CliRunner
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy.engine import Engine

import orchestr_lab
from orchestr_lab.cli import cli
from orchestr_lab.core.errors import StoreError
from orchestr_lab.core.states import AwaitingRetry, Pending, Retrying, Running
from orchestr_lab.core.wire import FlowRunOp, StateOp, TaskRunOp
from orchestr_lab.store.automations import list_automations
from orchestr_lab.store.concurrency_limits import list_limits
from orchestr_lab.store.database import (
    HEAD_REVISION,
    alembic_config,
    dispose_engines,
    get_engine,
    upgrade,
)
from orchestr_lab.store.deployments import get_deployment
from orchestr_lab.store.events import list_events
from orchestr_lab.store.models import metadata
from orchestr_lab.store.queues import list_queues
from orchestr_lab.store.run_logs import get_logs
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs, state_history
from orchestr_lab.store.runs import write_batch
from orchestr_lab.store.workers import list_workers

from . import _migration_data as data

# SQLAlchemy cannot reflect an index on an expression from SQLite: it says so whenever a test here
# reads flow_runs' indexes, and alembic says it cannot compare that one index with the models.
# PostgreSQL reflects and compares it; its plan is tested on both stores in test_run_pages.py.
pytestmark = [
    pytest.mark.filterwarnings(
        "ignore:Skipped unsupported reflection of expression-based index ix_flow_runs_run_time_created_id"
        ":sqlalchemy.exc.SAWarning"
    ),
    pytest.mark.filterwarnings(
        "ignore:autogenerate skipping metadata-specified expression-based index 'ix_flow_runs_run_time_created_id'"
        ":UserWarning"
    ),
]

T_RETRY = 1_700_000_020.5
TABLES = {
    "flows",
    "flow_runs",
    "task_runs",
    "run_states",
    "logs",
    "recorded",  # 0001
    "deployments",
    "deployment_schedules",
    "work_queues",
    "workers",
    "events",
    "scheduler_lock",  # 0003
    "concurrency_limits",
    "automations",
    "automation_firings",  # 0004
    "assets",
    "asset_materializations",
    "asset_dependencies",
    "automation_event_firings",  # 0013
}
CLAIM_ORDER = ["state_type", "work_queue", "scheduled_start_time"]
RUN_SETTINGS = {
    "work_queue",
    "schedule_id",
    "heartbeat_at",
    "notebook",
    "entrypoint",
    "output_notebook",
    "timeout_seconds",
    "max_retries",
    "retry_delay_seconds",
}


def test_head_constant_matches_alembic_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD_REVISION == "0020_slas"


def test_first_use_creates_the_schema(engine: Engine) -> None:
    insp = inspect(engine)
    assert set(insp.get_table_names()) >= TABLES
    flow_run_indexes = {tuple(ix["column_names"]) for ix in insp.get_indexes("flow_runs")}
    assert {  # 0009: every run list's filter ends in the list's order
        ("created", "id"),
        ("state_type", "created", "id"),
        ("deployment_id", "created", "id"),
        ("flow_id", "created", "id"),
        ("deployment_id", "start_time"),
    } <= flow_run_indexes
    cascades = {fk["referred_table"]: fk["options"].get("ondelete") for fk in insp.get_foreign_keys("run_states")}
    assert cascades == {"flow_runs": "CASCADE"}  # flow-run states only since 0002
    assert {c["name"] for c in insp.get_columns("run_states")} >= {"flow_run_id", "type", "timestamp"}
    assert "task_run_id" not in {c["name"] for c in insp.get_columns("run_states")}
    assert {tuple(ix["column_names"]) for ix in insp.get_indexes("run_states")} == {("flow_run_id",)}
    assert {tuple(ix["column_names"]) for ix in insp.get_indexes("task_runs")} == {("flow_run_id",)}
    assert "history" in {c["name"] for c in insp.get_columns("task_runs")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    """A model edit without a migration (or the reverse) fails here, not in a user's database."""
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(ctx, metadata) == []


def test_second_upgrade_is_a_noop(db_url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO flows (id, name, created) VALUES ('f', 'kept', '2024-01-01 00:00:00.000000')"))
    assert upgrade(db_url) == HEAD_REVISION
    dispose_engines(db_url)  # as a new process would: the fast path reads alembic_version
    assert upgrade(db_url) == HEAD_REVISION
    with get_engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM alembic_version")).scalar() == 1
        assert conn.execute(text("SELECT name FROM flows")).scalar() == "kept"


def test_opening_a_migrated_store_does_not_import_alembic(engine: Engine, db_url: str) -> None:
    """A flow call in a fresh process must not pay for alembic when the schema is current."""
    code = (
        "import sys\n"
        "from orchestr_lab.store.database import get_engine\n"
        f"get_engine({db_url!r})\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == "False", out.stderr


def test_migrations_ship_inside_the_package() -> None:
    cfg = alembic_config()
    location = Path(cfg.get_main_option("script_location") or "")
    assert (location / "env.py").is_file()
    assert location.resolve().is_relative_to(Path(orchestr_lab.__file__).resolve().parent)


def test_a_store_from_a_newer_version_is_refused_in_words(db_url: str, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    dispose_engines(db_url)
    with pytest.raises(StoreError, match="schema revision '0999', newer than this orchestr-lab"):
        get_engine(db_url)


def _at_revision(db_url: str, revision: str) -> None:
    """Migrate a new database only as far as ``revision``, as an older orchestr-lab would have."""
    from alembic import command

    engine = create_engine(db_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(connection=conn), revision)
    finally:
        engine.dispose()


def test_0002_moves_task_run_states_into_their_rows(db_url: str) -> None:
    """A store written before 0002 keeps every task run's history, and flow runs keep theirs."""
    _at_revision(db_url, "0001")
    ts = "'2023-11-14 22:13:20.250000'"
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text(f"INSERT INTO flows (id, name, created) VALUES ('fl', 'etl', {ts})"))
        conn.execute(
            text(
                "INSERT INTO flow_runs (id, name, flow_id, flow_name, created, updated, state_type) "
                f"VALUES ('f1', 'r', 'fl', 'etl', {ts}, {ts}, 'RUNNING')"
            )
        )
        for tid in ("t1", "t2", "t3"):
            conn.execute(
                text(
                    "INSERT INTO task_runs (id, flow_run_id, name, task_key, dynamic_key, created, updated) "
                    f"VALUES ('{tid}', 'f1', 'n', 'k', '0', {ts}, {ts})"
                )
            )
        states = [  # (flow_run_id, task_run_id, type, name, message, timestamp, details)
            ("f1", None, "PENDING", "Pending", None, "2023-11-14 22:13:20.250000", None),
            (None, "t1", "PENDING", "Pending", None, "2023-11-14 22:13:21.000000", None),
            (None, "t2", "RUNNING", "Running", None, "2023-11-14 22:13:21.500000", None),
            (None, "t1", "FAILED", "Failed", "boom", "2023-11-14 22:13:22.125000", None),
            ("f1", None, "RUNNING", "Running", None, "2023-11-14 22:13:22.250000", None),
            (
                None,
                "t1",
                "SCHEDULED",
                "AwaitingRetry",
                None,
                "2023-11-14 22:13:23.000001",
                '{"scheduled_time": 1700000010.5}',
            ),
        ]
        conn.execute(
            text(
                "INSERT INTO run_states (flow_run_id, task_run_id, type, name, message, timestamp, details) "
                "VALUES (:f, :t, :type, :name, :message, :ts, :details)"
            ),
            [dict(zip(("f", "t", "type", "name", "message", "ts", "details"), s, strict=True)) for s in states],
        )
    engine.dispose()

    engine = get_engine(db_url)  # migrates to head on first use
    t1 = state_history(engine, "task", "t1")
    assert t1 == [
        {
            "id": 0,
            "type": "PENDING",
            "name": "Pending",
            "message": None,
            "timestamp": "2023-11-14T22:13:21+00:00",
            "details": {},
        },
        {
            "id": 1,
            "type": "FAILED",
            "name": "Failed",
            "message": "boom",
            "timestamp": "2023-11-14T22:13:22.125000+00:00",
            "details": {},
        },
        {
            "id": 2,
            "type": "SCHEDULED",
            "name": "AwaitingRetry",
            "message": None,
            "timestamp": "2023-11-14T22:13:23.000001+00:00",
            "details": {"scheduled_time": 1700000010.5},
        },
    ]
    assert [h["name"] for h in state_history(engine, "task", "t2")] == ["Running"]
    assert state_history(engine, "task", "t3") == []
    assert [h["name"] for h in state_history(engine, "flow", "f1")] == ["Pending", "Running"]
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM run_states")).scalar() == 2
        assert conn.execute(text("SELECT history FROM task_runs WHERE id = 't3'")).scalar() is None
    # The migrated run carries on where it stopped.
    assert write_batch(engine, [StateOp("task", "t1", Retrying(timestamp=T_RETRY), {"run_count": 2})]) == []
    assert [h["name"] for h in state_history(engine, "task", "t1")][-2:] == ["AwaitingRetry", "Retrying"]


def test_0002_downgrades_back_to_rows(db_url: str, engine: Engine) -> None:
    """Going back to 0001 (an operator's rollback) puts task-run states back into run_states."""
    assert (
        write_batch(
            engine,
            [
                FlowRunOp({"id": "f1", "name": "r", "flow_name": "etl", "created": T_RETRY}),
                StateOp("flow", "f1", Running(timestamp=T_RETRY), {}),
                TaskRunOp(
                    {
                        "id": "t1",
                        "name": "n",
                        "flow_run_id": "f1",
                        "task_key": "k",
                        "dynamic_key": "0",
                        "created": T_RETRY,
                    }
                ),
                StateOp("task", "t1", Pending(timestamp=T_RETRY), {}),
                StateOp("task", "t1", Running(timestamp=T_RETRY + 1), {}),
                StateOp("task", "t1", AwaitingRetry("boom", scheduled_time=T_RETRY + 5), {}),
            ],
        )
        == []
    )
    before = state_history(engine, "task", "t1")
    dispose_engines(db_url)
    from alembic import command

    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "0001")
        with raw.connect() as conn:
            rows = conn.execute(
                text("SELECT type, name, details FROM run_states WHERE task_run_id = 't1' ORDER BY id")
            ).all()
            assert [(r[0], r[1]) for r in rows] == [
                ("PENDING", "Pending"),
                ("RUNNING", "Running"),
                ("SCHEDULED", "AwaitingRetry"),
            ]
            assert "history" not in {c["name"] for c in inspect(conn).get_columns("task_runs")}
    finally:
        raw.dispose()
    after = state_history(get_engine(db_url), "task", "t1")  # upgraded again on first use
    assert [{k: v for k, v in h.items() if k != "id"} for h in after] == [
        {k: v for k, v in h.items() if k != "id"} for h in before
    ]


def test_0003_adds_deployments_and_keeps_every_existing_run(db_url: str) -> None:
    """flow_runs is altered in place: its task runs, states and logs (which cascade from it) stay."""
    _at_revision(db_url, "0002")
    raw = create_engine(db_url)
    ts = "'2023-11-14 22:13:20.250000'"
    with raw.begin() as conn:
        conn.execute(text(f"INSERT INTO flows (id, name, created) VALUES ('fl', 'etl', {ts})"))
        conn.execute(
            text(
                "INSERT INTO flow_runs (id, name, flow_id, flow_name, created, updated, state_type) "
                f"VALUES ('f1', 'r', 'fl', 'etl', {ts}, {ts}, 'RUNNING')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO task_runs (id, flow_run_id, name, task_key, dynamic_key, created, updated) "
                f"VALUES ('t1', 'f1', 'n', 'k', '0', {ts}, {ts})"
            )
        )
        conn.execute(
            text(
                f"INSERT INTO run_states (flow_run_id, type, name, timestamp) VALUES ('f1', 'RUNNING', 'Running', {ts})"
            )
        )
        conn.execute(
            text(
                "INSERT INTO logs (flow_run_id, level, logger_name, message, timestamp) "
                f"VALUES ('f1', 20, 'x', 'hello', {ts})"
            )
        )
    raw.dispose()

    store = get_engine(db_url)  # migrates to head with foreign keys on, as every connection has

    with store.connect() as conn:
        counts = [
            conn.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("flow_runs", "task_runs", "run_states", "logs")
        ]
        assert counts == [1, 1, 1, 1]
        assert conn.execute(text("SELECT name FROM work_queues")).scalars().all() == ["default"]
    columns = {c["name"] for c in inspect(store).get_columns("flow_runs")}
    assert columns >= RUN_SETTINGS
    indexes = {ix["name"]: ix for ix in inspect(store).get_indexes("flow_runs")}
    assert indexes["uq_flow_runs_schedule_slot"]["unique"]
    slot = ["deployment_id", "schedule_id", "slot_time"]  # 0007 moved it from scheduled_start_time
    assert indexes["uq_flow_runs_schedule_slot"]["column_names"] == slot
    assert indexes["ix_flow_runs_claim"]["column_names"] == [*CLAIM_ORDER, "created", "id"]  # widened by 0005


def test_0003_downgrades_without_touching_runs(db_url: str, engine: Engine) -> None:
    from alembic import command

    from orchestr_lab.store.deployment_runs import create_deployment_run
    from orchestr_lab.store.deployments import create_deployment

    dep = create_deployment(engine, {"name": "d", "notebook": "a.ipynb", "schedules": [{"interval": 60}]})
    run = create_deployment_run(engine, dep)
    assert (
        write_batch(
            engine,
            [
                TaskRunOp(
                    {
                        "id": "t1",
                        "name": "n",
                        "flow_run_id": run["id"],
                        "task_key": "k",
                        "dynamic_key": "0",
                        "created": T_RETRY,
                    }
                )
            ],
        )
        == []
    )
    dispose_engines(db_url)
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "0002")
        insp = inspect(raw)
        assert set(insp.get_table_names()) & TABLES == {
            "flows",
            "flow_runs",
            "task_runs",
            "run_states",
            "logs",
            "recorded",
        }
        assert not RUN_SETTINGS & {c["name"] for c in insp.get_columns("flow_runs")}
        with raw.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM task_runs")).scalar() == 1
            assert conn.execute(text("SELECT count(*) FROM flow_runs")).scalar() == 1
    finally:
        raw.dispose()
    assert "deployments" in inspect(get_engine(db_url)).get_table_names()  # upgraded again on first use


def test_0004_adds_limits_and_automations_and_downgrades_without_touching_deployments(
    db_url: str, engine: Engine
) -> None:
    from alembic import command

    from orchestr_lab.store.deployments import create_deployment

    create_deployment(engine, {"name": "d", "notebook": "a.ipynb"})
    assert {"concurrency_limits", "automations", "automation_firings"} <= set(inspect(engine).get_table_names())
    dispose_engines(db_url)
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "0003")
        names = set(inspect(raw).get_table_names())
        assert not {"concurrency_limits", "automations", "automation_firings"} & names
        with raw.connect() as conn:
            assert conn.execute(text("SELECT name FROM deployments")).scalars().all() == ["d"]
    finally:
        raw.dispose()
    assert "automations" in inspect(get_engine(db_url)).get_table_names()  # upgraded again on first use


def test_0005_widens_the_claim_index_and_downgrades_to_the_0003_one(db_url: str, engine: Engine) -> None:
    from alembic import command

    def claim_index(eng: Engine) -> list[str]:
        return {ix["name"]: ix for ix in inspect(eng).get_indexes("flow_runs")}["ix_flow_runs_claim"]["column_names"]

    assert claim_index(engine) == [*CLAIM_ORDER, "created", "id"]
    dispose_engines(db_url)
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "0004")
        assert claim_index(raw) == CLAIM_ORDER
    finally:
        raw.dispose()


REVISIONS = [s.revision for s in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))]


@pytest.mark.parametrize("revision", REVISIONS)
def test_a_store_from_every_revision_upgrades_with_nothing_lost(db_url: str, revision: str) -> None:
    """A database an older orchestr-lab wrote, with a row in every table it had, upgraded by
    ``orchestr-lab db upgrade``: every row and value is still there,
    columns added since hold their documented defaults, and the store's readers see the data."""
    _at_revision(db_url, revision)
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            old = data.seed(conn)
        with raw.connect() as conn:
            before = data.snapshot(conn, old)
    finally:
        raw.dispose()

    upgraded = CliRunner().invoke(cli, ["db", "upgrade", "--db-url", db_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"revision: {HEAD_REVISION} (head)" in upgraded.output
    engine = get_engine(db_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == HEAD_REVISION
        assert data.snapshot(conn, old) == before
        new = data.columns(conn)
        dropped = {(t, c) for t, cols in old.items() for c in cols - new[t]}
        assert dropped == ({("run_states", "task_run_id")} if revision == "0001" else set())
        for table, cols in old.items():
            added = new[table] - cols - {"history"}
            rows = conn.execute(select(metadata.tables[table])).mappings().all()
            assert [{c: row[c] for c in added} for row in rows] == [
                {c: data.added_value(c, row) for c in added} for row in rows
            ]

    # What a user reads back: runs, their states, cells, logs and outputs...
    r1, r2 = get_flow_run(engine, "r1"), get_flow_run(engine, "r2")
    assert r1 is not None and r2 is not None
    assert (r1["state"]["type"], r1["parameters"], r1["tags"], r1["recorded"]) == (
        "COMPLETED",
        {"n": 3, "s": "x"},
        ["adhoc"],
        {"double": {"x": [1, 2.5, None, "y"]}},
    )
    assert (r2["state"]["message"], r2["run_count"], r2["scheduled_start_time"]) == (
        "Cell 3 failed: ZeroDivisionError",
        2,
        data.at(10).isoformat(),
    )
    assert [h["name"] for h in state_history(engine, "flow", "r1")] == ["Pending", "Running", "Completed"]
    assert [
        (h["type"], h["name"], h["timestamp"], h["message"], h["details"]) for h in state_history(engine, "task", "t1")
    ] == [(t, n, data.at(s).isoformat(), m, d or {}) for t, n, s, m, d in data.TASK_STATES]
    assert [(log["level"], log["message"]) for log in get_logs(engine, "r1")] == [(20, "loaded 3 rows \u2713")]
    assert [t["id"] for t in list_task_runs(engine, "r2")] == ["t2"]
    if "deployments" not in old:
        return
    # ... deployments with their schedules, queues, workers, limits and automations.
    dep = get_deployment(engine, "dep1")
    assert dep is not None
    assert (dep["parameters"], dep["work_queue"], dep["retries"], dep["concurrency_limit"], dep["paused"]) == (
        {"n": 5, "label": "plain"},
        "nightly",
        2,
        3,
        False,
    )
    assert [(s["interval"], s["cron"], s["timezone"], s["active"], s["parameters"]) for s in dep["schedules"]] == [
        (3600, None, "Europe/Paris", True, {"n": 6}),
        (None, "0 9 * * 1-5", "UTC", False, {}),
    ]
    assert {q["name"]: (q["paused"], q["concurrency_limit"]) for q in list_queues(engine)} == {
        "default": (False, None),
        "nightly": (True, 2),
    }
    assert [w["name"] for w in list_workers(engine)] == ["w1"]
    assert [e["kind"] for e in list_events(engine)] == ["flow_run.state", "deployment.updated"]
    if "automations" not in old:
        return
    assert [(lim["tag"], lim["concurrency_limit"]) for lim in list_limits(engine)] == [("gpu", 2)]
    autos = {a["name"]: a for a in list_automations(engine)}
    assert (autos["chain"]["states"], autos["chain"]["parameters"], autos["hook"]["enabled"]) == (
        ["COMPLETED", "FAILED"],
        {"k": 1},
        False,
    )


def test_0007_downgrades_with_a_retry_due_at_another_slot(db_url: str, engine: Engine) -> None:
    """From 0007 a retry may become due at the very time of another slot of its schedule (two
    runs, one scheduled_start_time): going back to 0006, whose unique index is on that time,
    still works and keeps both runs."""
    from alembic import command

    from orchestr_lab.store.deployment_runs import create_deployment_run, retry_run
    from orchestr_lab.store.deployments import create_deployment

    dep = create_deployment(engine, {"name": "d", "notebook": "a.ipynb", "schedules": [{"interval": 60}]})
    schedule_id = dep["schedules"][0]["id"]
    first, second = (
        create_deployment_run(engine, dep, scheduled_time=data.at(60 * i), schedule_id=schedule_id) for i in (1, 2)
    )
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE flow_runs SET state_type = 'FAILED', state_name = 'Failed', run_count = 1 WHERE id = :id"),
            {"id": first["id"]},
        )
    retry_run(engine, first["id"], now=data.at(120))  # due at the second run's slot time
    dispose_engines(db_url)
    raw = create_engine(db_url)
    try:
        with raw.begin() as conn:
            command.downgrade(alembic_config(connection=conn), "0006")
        with raw.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM flow_runs")).scalar() == 2
        assert "slot_time" not in {c["name"] for c in inspect(raw).get_columns("flow_runs")}
    finally:
        raw.dispose()
    assert get_flow_run(get_engine(db_url), second["id"]) is not None  # upgraded again on first use
