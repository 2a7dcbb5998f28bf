"""``orchestr-lab db prune``: what retention deletes, counted first with --dry-run, and its refusals."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from sqlalchemy import update

from orchestr_lab.store.database import dispose_engines, write_transaction
from orchestr_lab.store.deployment_runs import cancel_run, create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.models import flow_runs
from orchestr_lab.store.run_reads import get_flow_run

from .conftest import run_cli, store


def test_prune_counts_then_deletes_finished_runs_and_their_notebooks(home: Path) -> None:
    engine = store(home)
    dep = create_deployment(engine, {"name": "job", "notebook": "job.ipynb"})
    finished = [cancel_run(engine, create_deployment_run(engine, dep)["id"]) for _ in range(3)]
    live = create_deployment_run(engine, dep)
    notebook = home / "results" / "notebooks" / f"{finished[0]['id']}.ipynb"
    notebook.parent.mkdir(parents=True)
    notebook.write_text("{}")
    statement = update(flow_runs).where(flow_runs.c.id == finished[0]["id"]).values(output_notebook=str(notebook))
    write_transaction(engine, lambda conn: conn.execute(statement))

    dry = run_cli(home, "db", "prune", "--older-than", "0s", "--keep-last", "1", "--dry-run", "--json", check=True)
    counts = json.loads(dry.stdout)
    assert (counts["dry_run"], counts["runs"], counts["files"]) == (True, 2, 1)
    assert notebook.exists() and all(get_flow_run(engine, r["id"]) for r in finished)

    real = run_cli(home, "db", "prune", "--older-than", "0s", "--keep-last", "1", check=True)
    assert "runs\t2" in real.stdout.splitlines() and "files\t1" in real.stdout.splitlines()
    assert "space: freed pages given back to the file system (incremental vacuum)" in real.stdout
    assert not notebook.exists()
    assert [r["id"] for r in finished if get_flow_run(engine, r["id"])] == [finished[2]["id"]]  # the newest
    assert get_flow_run(engine, live["id"]) is not None

    again = run_cli(home, "db", "prune", "--older-than", "30d", check=True)  # the default keeps these
    assert "runs\t0" in again.stdout.splitlines()


def test_a_bad_age_is_one_line_and_a_failure(home: Path) -> None:
    for bad in ("3x", "d", "-1d", "1e9d"):
        refused = run_cli(home, "db", "prune", "--older-than", bad)
        assert refused.returncode == 1 and refused.stdout == ""
        assert len(refused.stderr.strip().splitlines()) == 1 and refused.stderr.startswith("error: --older-than")
    assert not (home / "orchestr.db").exists()  # refused before the store is opened


def test_an_older_store_is_converted_to_incremental_vacuum_once(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:  # as an orchestr-lab before retention made it: no auto-vacuum
        conn.execute("CREATE TABLE made_before (x)")
    url = f"sqlite:///{path}"

    first = run_cli(home, "--db-url", url, "db", "prune", check=True)
    assert "converted the SQLite database to incremental vacuum (one full VACUUM)" in first.stdout
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA auto_vacuum").fetchone() == (2,)
    second = run_cli(home, "--db-url", url, "db", "prune", "--json", check=True)
    assert json.loads(second.stdout)["vacuum"] is None  # nothing deleted, nothing to convert
    dispose_engines(url)
