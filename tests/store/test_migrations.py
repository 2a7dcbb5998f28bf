"""Migrations: the packaged alembic scripts build the schema the models describe, once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine

import orchestr_lab
from orchestr_lab.core.errors import StoreError
from orchestr_lab.store.database import (
    HEAD_REVISION,
    alembic_config,
    dispose_engines,
    get_engine,
    upgrade,
)
from orchestr_lab.store.models import metadata

TABLES = {"flows", "flow_runs", "task_runs", "run_states", "logs", "recorded"}


def test_head_constant_matches_alembic_head() -> None:
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_current_head() == HEAD_REVISION


def test_first_use_creates_the_schema(engine: Engine) -> None:
    insp = inspect(engine)
    assert TABLES <= set(insp.get_table_names())
    flow_run_indexes = {tuple(ix["column_names"]) for ix in insp.get_indexes("flow_runs")}
    assert {("state_type",), ("flow_name",), ("deployment_id",), ("created",)} <= flow_run_indexes
    cascades = {
        fk["referred_table"]: fk["options"].get("ondelete")
        for fk in insp.get_foreign_keys("run_states")
    }
    assert cascades == {"flow_runs": "CASCADE", "task_runs": "CASCADE"}
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
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
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
