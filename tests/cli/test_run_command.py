"""``orchestr-lab run``: a notebook or a flow entrypoint, once, headless, with no server."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import nbformat
import pytest

from .conftest import run_cli, write_notebook

REPORT_CELLS = ["print('n is', n)", "import orchestr_lab\norchestr_lab.record('total', n * 10)"]


def _only_run(home: Path) -> dict:
    listing = json.loads(run_cli(home, "runs", "ls", "--json").stdout)
    assert listing["total"] == 1, listing
    return listing["items"][0]


def test_run_notebook_with_a_parameter(home: Path, tmp_path: Path) -> None:
    write_notebook(tmp_path / "report.ipynb", REPORT_CELLS, parameters="n = 1  # rows")

    proc = run_cli(home, "run", "report.ipynb", "-p", "n", "3", cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    run = _only_run(home)
    assert lines[0].split("\t") == ["run", run["name"], run["id"], str(tmp_path / "report.ipynb")]
    assert "cell 3/4 RUNNING" in lines and "  n is 3" in lines
    assert any(line.startswith("cell 4/4 COMPLETED ") for line in lines)
    final, seconds, output = lines[-1].split("\t")
    assert final == "COMPLETED" and float(seconds) > 0
    executed = nbformat.read(output, as_version=4)
    assert any("n = 3" in c.source for c in executed.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert run["flow_name"] == "report" and run["parameters"] == {"n": 3}
    assert run["state"]["type"] == "COMPLETED"
    show = json.loads(run_cli(home, "runs", "show", run["id"], "--json").stdout)
    assert show["flow_run"]["recorded"] == {"total": 30}
    assert [t["name"] for t in show["task_runs"]] == ["cell-1", "cell-2", "cell-3", "cell-4"]


def test_failing_notebook_exits_1_naming_the_cell(home: Path, tmp_path: Path) -> None:
    write_notebook(tmp_path / "broken.ipynb", ["x = 1", "x / 0"])

    proc = run_cli(home, "run", str(tmp_path / "broken.ipynb"), "--json")

    assert proc.returncode == 1
    assert proc.stderr == ""
    run = json.loads(proc.stdout)
    assert run["state"]["type"] == "FAILED"
    assert run["state"]["message"] == "Cell 2 failed: ZeroDivisionError: division by zero"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "n", "abc"], "error: Invalid parameters: n: expected int, got 'abc'"),
        (["-p", "rows", "3"], "error: Invalid parameters: rows: unknown parameter; the notebook's parameters are: n"),
    ],
)
def test_bad_parameters_are_refused_before_anything_runs(
    home: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    write_notebook(tmp_path / "report.ipynb", REPORT_CELLS, parameters="n = 1")

    proc = run_cli(home, "run", str(tmp_path / "report.ipynb"), *args)

    assert (proc.returncode, proc.stdout, proc.stderr.strip()) == (1, "", message)


def test_missing_notebook(home: Path, tmp_path: Path) -> None:
    proc = run_cli(home, "run", "absent.ipynb", cwd=tmp_path)
    assert (proc.returncode, proc.stdout, proc.stderr.strip()) == (1, "", "error: no notebook at absent.ipynb")


def test_run_flow_entrypoint(home: Path, tmp_path: Path) -> None:
    (tmp_path / "flows.py").write_text(
        textwrap.dedent("""
        from orchestr_lab import flow, task, record

        @task
        def double(x: int) -> int:
            return 2 * x

        @flow
        def pipeline(n: int = 1) -> int:
            record("result", double(n))
            return n
    """)
    )

    proc = run_cli(home, "run", "flows.py:pipeline", "-p", "n", "4", cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    run = _only_run(home)
    assert (run["flow_name"], run["state"]["type"], run["parameters"]) == ("pipeline", "COMPLETED", {"n": 4})
    show = json.loads(run_cli(home, "runs", "show", run["id"], "--json").stdout)
    assert show["flow_run"]["recorded"] == {"result": 8}
    assert [t["name"] for t in show["task_runs"]] == ["double-0"]
    bad = run_cli(home, "run", "flows.py:pipeline", "-p", "n", "x", cwd=tmp_path)
    assert bad.returncode == 1 and bad.stderr.startswith("error: Invalid parameters: n: ")
    assert _only_run(home)["id"] == run["id"]  # nothing recorded for refused input
