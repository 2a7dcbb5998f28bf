"""The ``orchestr-lab`` command, run for real in subprocesses against a throwaway store.

Subprocesses rather than click's CliRunner because what users meet is the installed console
script: its entry point, exit codes, stderr, and what it prints when stdout is a pipe.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import cli_env, run_cli

FLOW_SCRIPT = textwrap.dedent(
    """
    from orchestr_lab import flow, get_run_logger, record, runtime, task

    @task(retries=1, retry_delay_seconds=0)
    def flaky(x: int) -> int:
        if runtime.task_run.run_count == 1:
            raise ValueError("first attempt fails")
        return x

    @task
    def double(x: int) -> int:
        return 2 * x

    @flow
    def child(values: list) -> int:
        return sum(values)

    @flow
    def cli_demo(n: int = 3) -> int:
        get_run_logger().info("hello from cli_demo")
        values = [f.result() for f in double.map(range(flaky(n)))]
        total = child(values)
        record("total", total)
        return total

    if __name__ == "__main__":
        assert cli_demo() == 6
    """
)


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding one finished ``cli-demo`` flow run (and its ``child`` subflow run)."""
    home = tmp_path_factory.mktemp("cli_home")
    script = home / "demo_flow.py"
    script.write_text(FLOW_SCRIPT)
    proc = subprocess.run(
        [sys.executable, str(script)],
        env=cli_env(home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return home


@pytest.fixture(scope="module")
def demo_run(home: Path) -> dict:
    listing = json.loads(run_cli(home, "runs", "ls", "--flow", "cli-demo", "--json", check=True).stdout)
    assert listing["total"] == 1
    return listing["items"][0]


def assert_clean_error(proc: subprocess.CompletedProcess[str], code: int) -> None:
    assert proc.returncode == code, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    assert proc.stdout == ""


def test_runs_ls_json_lists_the_completed_runs(home: Path) -> None:
    listing = json.loads(run_cli(home, "runs", "ls", "--json", check=True).stdout)
    assert listing["total"] == 2
    by_flow = {run["flow_name"]: run for run in listing["items"]}
    assert set(by_flow) == {"cli-demo", "child"}
    demo = by_flow["cli-demo"]
    assert demo["state"]["type"] == "COMPLETED"
    assert demo["parameters"] == {"n": 3}
    assert demo["start_time"] and demo["end_time"]


def test_runs_ls_prints_tab_separated_lines_when_piped(home: Path, demo_run: dict) -> None:
    lines = run_cli(home, "runs", "ls", check=True).stdout.splitlines()
    rows = [line.split("\t") for line in lines]
    assert len(rows) == 2 and all(len(row) == 6 for row in rows)
    name, flow, state, start, seconds, _run_id = next(r for r in rows if r[5] == demo_run["id"])
    assert (name, flow, state) == (demo_run["name"], "cli-demo", "COMPLETED")
    assert start == demo_run["start_time"]
    assert float(seconds) >= 0


def test_runs_ls_filters(home: Path) -> None:
    assert run_cli(home, "runs", "ls", "--state", "failed", check=True).stdout == ""
    completed = run_cli(home, "runs", "ls", "--state", "COMPLETED", "--state", "crashed", check=True)
    assert len(completed.stdout.splitlines()) == 2
    limited = json.loads(run_cli(home, "runs", "ls", "--limit", "1", "--json", check=True).stdout)
    assert len(limited["items"]) == 1 and limited["total"] == 2


def test_runs_show_json_has_task_runs_records_and_logs(home: Path, demo_run: dict) -> None:
    shown = json.loads(run_cli(home, "runs", "show", demo_run["id"], "--json", check=True).stdout)
    assert shown["flow_run"]["id"] == demo_run["id"]
    assert shown["flow_run"]["recorded"] == {"total": 6}
    tasks = {t["name"]: t for t in shown["task_runs"]}
    assert {"flaky-0", "double-0", "double-1", "double-2"} <= set(tasks)
    assert all(t["state"]["type"] == "COMPLETED" for t in tasks.values())
    assert tasks["flaky-0"]["run_count"] == 2  # failed once, then retried
    assert any(line["message"] == "hello from cli_demo" for line in shown["logs"])


def test_runs_show_plain(home: Path, demo_run: dict) -> None:
    text = run_cli(home, "runs", "show", demo_run["id"], check=True).stdout
    assert f"id: {demo_run['id']}" in text
    assert "state: COMPLETED" in text
    assert "flaky-0\tCOMPLETED\t" in text
    assert "total\t6" in text
    assert "hello from cli_demo" in text


def test_runs_show_of_a_subflow_names_its_parent(home: Path, demo_run: dict) -> None:
    child = json.loads(run_cli(home, "runs", "ls", "--flow", "child", "--json", check=True).stdout)["items"][0]
    text = run_cli(home, "runs", "show", child["id"], check=True).stdout
    assert f"subflow of: flow run {demo_run['id']}" in text


def test_runs_logs(home: Path, demo_run: dict) -> None:
    text = run_cli(home, "runs", "logs", demo_run["id"], check=True).stdout
    assert f"Flow run {demo_run['name']!r} - hello from cli_demo" in text
    assert "Task run 'flaky-0' - " in text and "first attempt fails" in text
    # --follow on a finished run prints the same lines and returns.
    assert run_cli(home, "runs", "logs", "-f", demo_run["id"], check=True).stdout == text
    as_json = [json.loads(line) for line in run_cli(home, "runs", "logs", "--json", demo_run["id"]).stdout.splitlines()]
    assert len(as_json) == len(text.splitlines()) and all(line["flow_run_id"] == demo_run["id"] for line in as_json)


@pytest.mark.parametrize("command", ["show", "logs"])
def test_unknown_run_id_is_a_one_line_error(home: Path, command: str) -> None:
    proc = run_cli(home, "runs", command, "no-such-run")
    assert_clean_error(proc, 1)
    assert proc.stderr == "error: No flow run with id 'no-such-run' (run ids are UUIDs)\n"


def test_bad_state_is_a_usage_error(home: Path) -> None:
    proc = run_cli(home, "runs", "ls", "--state", "bogus")
    assert_clean_error(proc, 2)
    assert "'bogus' is not a state" in proc.stderr and "COMPLETED" in proc.stderr


def test_bad_db_url_is_a_one_line_error(tmp_path: Path) -> None:
    proc = run_cli(tmp_path, "--db-url", "nosuchdialect://x/y", "runs", "ls")
    assert_clean_error(proc, 1)
    assert proc.stderr.startswith("error: ") and proc.stderr.count("\n") == 1


def test_db_upgrade_creates_the_database(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "home"
    proc = run_cli(home, "db", "upgrade", check=True)
    assert (home / "orchestr.db").is_file()
    assert f"database: sqlite:///{home / 'orchestr.db'}" in proc.stdout
    assert "revision: " in proc.stdout
    assert run_cli(home, "db", "upgrade", check=True).stdout == proc.stdout  # idempotent
    assert run_cli(home, "runs", "ls", "--json", check=True).stdout.strip().endswith('"total": 0\n}'.strip())


def test_db_url_option_selects_the_store(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere" / "x.db"
    run_cli(tmp_path / "home", "--db-url", f"sqlite:///{target}", "db", "upgrade", check=True)
    assert target.is_file() and not (tmp_path / "home" / "orchestr.db").exists()
    other = tmp_path / "other.db"
    run_cli(tmp_path / "home", "db", "upgrade", "--db-url", f"sqlite:///{other}", check=True)
    assert other.is_file()


def test_console_script_is_installed(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("orchestr-lab")
    if not script.exists():
        pytest.skip("orchestr-lab console script not installed next to this interpreter")
    proc = subprocess.run(
        [str(script), "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=cli_env(tmp_path),
    )
    assert proc.returncode == 0 and proc.stdout.startswith("orchestr-lab, version ")


def test_terminal_output_is_a_table(home: Path, demo_run: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rich path, in-process (a subprocess cannot get a TTY portably)."""
    from click.testing import CliRunner

    from orchestr_lab.cli import _output, cli

    monkeypatch.setattr(_output, "is_tty", lambda: True)
    url = f"sqlite:///{home / 'orchestr.db'}"
    runner = CliRunner()
    listing = runner.invoke(cli, ["--db-url", url, "runs", "ls"], env={"COLUMNS": "200"})
    assert listing.exit_code == 0, listing.output
    header = listing.output.splitlines()[0].split()
    assert header == ["name", "flow", "state", "start", "duration", "id"]
    assert demo_run["id"] in listing.output
    shown = runner.invoke(cli, ["--db-url", url, "runs", "show", demo_run["id"]], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "Task runs (" in shown.output and "flaky-0" in shown.output and "Recorded" in shown.output
