"""Every notebook in examples/ runs top to bottom in a real kernel, on a copy of the folder and
with a store of its own (so a worker in 03 claims only that notebook's run)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from _notebooks import cell_html, errors, execute, rows, run_state, texts, views

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture
def run_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def run(name: str) -> tuple[nbformat.NotebookNode, Path]:
        folder = tmp_path / "examples"
        shutil.copytree(EXAMPLES, folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        home = tmp_path / "home"
        monkeypatch.setenv("ORCHESTR_LAB_HOME", str(home))  # the kernel (and its worker) inherit it
        nb = execute(nbformat.read(folder / name, as_version=4), cwd=folder, timeout=300)
        failed = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and errors(c)]
        expected = [i for i, c in enumerate(nb.cells) if "raises-exception" in c.metadata.get("tags", [])]
        assert failed == expected
        return nb, home

    return run


def _code(nb: nbformat.NotebookNode, starts: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.source.startswith(starts))


def _store_runs(home: Path, **filters: str) -> list[dict]:
    from orchestr_lab.store.database import get_engine
    from orchestr_lab.store.run_reads import list_flow_runs

    items, _ = list_flow_runs(get_engine(f"sqlite:///{home / 'orchestr.db'}"), **filters)
    return items


def test_quickstart(run_example) -> None:
    nb, home = run_example("01-quickstart.ipynb")
    etl = _code(nb, "@flow(log_prints=True)")
    html = cell_html(nb, etl)
    assert run_state(html) == "COMPLETED"
    assert rows(html)[0]["attempt"] == "2"  # flaky_fetch's retry
    assert len(rows(html)) == 1 + 8 + 1  # fetch, 8 squares, total
    assert nb.cells[etl].outputs[-1].data["text/plain"] == "173"
    assert 'data-recorded="total"' in html and "total = 173" in texts(nb.cells[etl])[0]
    tolerant = _code(nb, "@task\ndef parse")
    assert [r["state"] for r in rows(cell_html(nb, tolerant))].count("FAILED") == 1
    fan_out = _code(nb, "@task\ndef inc")
    assert "2,000 task runs: 2,000 COMPLETED" in cell_html(nb, fan_out)
    assert len(rows(cell_html(nb, fan_out))) < 100  # bounded
    assert {r["flow_name"] for r in _store_runs(home)} == {"etl", "tolerant", "fan-out"}


def test_magics(run_example) -> None:
    nb, home = run_example("02-magics.ipynb")
    etl = _code(nb, "%%flow etl")
    html = cell_html(nb, etl)
    assert run_state(html) == "COMPLETED"
    assert [r["attempt"] for r in rows(html)] == ["1", "1", "2"]
    assert nb.cells[etl + 2].outputs[-1].data["text/plain"] == "([58.1, 60.8, 67.1], 3)"
    assert "attempt 2/3" in texts(nb.cells[_code(nb, "%%task fetch-quotes")])[0]
    validate = _code(nb, "%%flow validate")
    assert run_state(cell_html(nb, validate)) == "FAILED"
    assert errors(nb.cells[validate])[0].ename == "ValueError"
    states = {r["flow_name"]: r["state"]["type"] for r in _store_runs(home)}
    assert states == {"etl": "COMPLETED", "validate": "FAILED"}


def test_schedule_a_notebook(run_example) -> None:
    nb, home = run_example("03-schedule-a-notebook.ipynb")
    deploy = _code(nb, "deployment = %orchestr schedule")
    assert views(nb.cells[deploy]) and "cron 0 9 * * * (Europe/Paris)" in texts(nb.cells[deploy])[0]
    assert len(eval(nb.cells[deploy + 1].outputs[-1].data["text/plain"])) == 3  # next runs
    recorded = nb.cells[_code(nb, 'assert run.state == "COMPLETED"')].outputs[-1].data["text/plain"]
    assert recorded == "{'mean_temperature': 18.5, 'days': 3}"
    (run,) = _store_runs(home)
    assert run["state"]["type"] == "COMPLETED" and run["parameters"] == {"city": "Lyon", "days": 3}
    assert 'data-state="COMPLETED"' in cell_html(nb, _code(nb, "%orchestr runs --deployment"))
