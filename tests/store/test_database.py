"""Opening the store: SQLite settings, engine cache, clear errors, many processes at once."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from orchestr_lab.core.errors import StoreError
from orchestr_lab.store.database import dispose_engines, get_engine, read_connection
from orchestr_lab.store.run_reads import get_flow_run

WORKER = Path(__file__).with_name("_race_worker.py")


def test_sqlite_is_tuned_for_concurrent_use(sqlite_url: str) -> None:
    with get_engine(sqlite_url).connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL


def test_engine_is_cached_per_url(engine: Engine, db_url: str, tmp_path: Path) -> None:
    assert get_engine(db_url) is engine
    other = f"sqlite:///{tmp_path / 'other.db'}"
    try:
        assert get_engine(other) is not engine
    finally:
        dispose_engines(other)


def test_default_url_comes_from_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", url)
    try:
        assert get_engine() is get_engine(url)
        assert (tmp_path / "from-env.db").exists()
    finally:
        dispose_engines(url)


def test_missing_folders_are_created(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a' / 'b' / 'store.db'}"
    try:
        get_engine(url)
        assert (tmp_path / "a" / "b" / "store.db").is_file()
    finally:
        dispose_engines(url)


@pytest.mark.parametrize(
    "url, words",
    [
        ("not a url", "Invalid store URL"),
        ("nosuchdb://host/db", "Invalid store URL"),
    ],
)
def test_bad_url_raises_store_error(url: str, words: str) -> None:
    with pytest.raises(StoreError, match=words) as info:
        get_engine(url)
    assert "\n" not in str(info.value)


def test_unusable_path_raises_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="Cannot create the store") as info:
        get_engine(f"sqlite:///{blocker / 'store.db'}")
    assert "\n" not in str(info.value)


def test_not_a_database_raises_store_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="Cannot open the store") as info:
        get_engine(f"sqlite:///{junk}")
    assert "\n" not in str(info.value)


def test_reads_do_not_wait_for_a_writer(engine: Engine) -> None:
    """A long write (say a big batch) must not freeze the UI's reads."""
    locked = threading.Event()
    release = threading.Event()

    def writer() -> None:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO flows (id, name, created) VALUES ('f', 'x', '2024-01-01 00:00:00.000000')"))
            locked.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert locked.wait(10)
        start = time.perf_counter()
        assert get_flow_run(engine, "missing") is None
        with read_connection(engine) as conn:
            assert conn.execute(text("SELECT count(*) FROM flows")).scalar() == 0  # not yet committed
        assert time.perf_counter() - start < 1.0
    finally:
        release.set()
        thread.join()


def test_four_processes_share_one_new_store(tmp_path: Path) -> None:
    """Racing on the first migration and then on every write, nobody fails and nothing is lost."""
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    go = tmp_path / "go"
    workers, batches, per_batch = 4, 50, 20
    procs = [
        subprocess.Popen(
            [sys.executable, str(WORKER), url, str(w), str(batches), str(per_batch), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(workers)
    ]
    time.sleep(0.5)  # let them import; each then waits for the go file
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in (out + err).lower()
        assert out.strip() == "", out  # no refused transitions
    engine = get_engine(url)
    try:
        tasks = workers * batches * per_batch
        with engine.connect() as conn:

            def count(sql: str) -> int:
                return conn.execute(text(sql)).scalar_one()

            assert count("SELECT count(*) FROM flows") == 1
            assert count("SELECT count(*) FROM flow_runs WHERE state_type = 'COMPLETED'") == workers
            assert count("SELECT count(*) FROM task_runs WHERE state_type = 'COMPLETED'") == tasks
            assert count("SELECT count(*) FROM task_runs WHERE end_time IS NULL") == 0
            # Flow runs' states are rows; each task run keeps Pending, Running, Completed on its row.
            assert count("SELECT count(*) FROM run_states") == 3 * workers
            assert count("SELECT count(*) FROM task_runs WHERE json_array_length(history) = 3") == tasks
            assert count("SELECT count(*) FROM logs") == tasks
            assert count("SELECT count(*) FROM alembic_version") == 1
    finally:
        dispose_engines(url)
