"""``orchestr-lab runs ... --api URL --token T`` against a real ``orchestr-lab server``: every
subcommand prints what it prints on the local store, refusals included.

The remote calls run with a home of their own (``ORCHESTR_LAB_HOME``): had one of them opened a
store, it would be that one, which the test checks was never created.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from _helpers import api_server

from .conftest import cli_env, run_cli, store, write_notebook

TOKEN = "runs-over-http"

FLOWS = """
from orchestr_lab import flow, get_run_logger, record, task

@task
def double(x: int) -> int:
    get_run_logger().warning("doubling %s", x)
    return 2 * x

@flow
def child(values: list) -> int:
    return sum(values)

@flow
def demo(n: int = 3) -> int:
    get_run_logger().info("hello from demo")
    total = child([f.result() for f in double.map(range(n))])
    record("total", total)
    return total

demo()
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A store with a finished ``demo`` run (and its ``child`` subflow run) and two runs of a
    notebook deployment due next year, served by ``orchestr-lab server`` (no local worker)."""
    from orchestr_lab.store.deployment_runs import create_deployment_run
    from orchestr_lab.store.deployments import create_deployment

    home = tmp_path_factory.mktemp("runs_home")
    root = home / "root"
    root.mkdir()
    write_notebook(root / "job.ipynb", ["print(1)"])
    subprocess.run(
        [sys.executable, "-c", FLOWS],
        env=cli_env(home),
        stdin=subprocess.DEVNULL,
        check=True,
        capture_output=True,
        timeout=120,
    )
    dep = create_deployment(store(home), {"name": "job", "notebook": "job.ipynb"})
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=365)
    waiting = [create_deployment_run(store(home), dep, scheduled_time=later)["id"] for _ in range(2)]

    with api_server(home, root, TOKEN, cli_env(home)) as url:
        listing = json.loads(run_cli(home, "runs", "ls", "--json").stdout)["items"]
        yield {"home": home, "url": url, "waiting": waiting, "runs": {r["flow_name"]: r for r in listing}}
    assert not (home.parent / "elsewhere").exists()  # no remote call opened a store of its own


def _both(served: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    """``runs ARGS`` on the store, then over HTTP; both print and exit alike. Returns the first."""
    local = run_cli(served["home"], "runs", *args)
    remote = run_cli(served["home"].parent / "elsewhere", "runs", *args, "--api", served["url"], "--token", TOKEN)
    assert (remote.returncode, remote.stdout, remote.stderr) == (local.returncode, local.stdout, local.stderr)
    return local


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_ls_prints_the_same(served: dict[str, Any]) -> None:
    rows = [line.split("\t") for line in _ok(_both(served, "ls")).splitlines()]
    assert sorted(row[1] for row in rows) == ["child", "demo", "job", "job"]
    assert json.loads(_ok(_both(served, "ls", "--json")))["total"] == 4
    assert len(_ok(_both(served, "ls", "--state", "completed", "--flow", "child")).splitlines()) == 1
    assert json.loads(_ok(_both(served, "ls", "--limit", "1", "--offset", "1", "--json")))["total"] == 4


def test_show_prints_the_same(served: dict[str, Any]) -> None:
    demo, child = served["runs"]["demo"], served["runs"]["child"]
    text = _ok(_both(served, "show", demo["id"]))
    assert "state: COMPLETED" in text and "total\t6" in text and "hello from demo" in text
    shown = json.loads(_ok(_both(served, "show", demo["id"], "--json", "--logs", "2")))
    assert len(shown["logs"]) == 2 and shown["flow_run"]["worker"] == {"name": None, "type": None}
    assert f"subflow of: flow run {demo['id']} (task run 'child-0')" in _ok(_both(served, "show", child["id"]))


def test_logs_print_the_same(served: dict[str, Any]) -> None:
    demo = served["runs"]["demo"]
    text = _ok(_both(served, "logs", demo["id"]))
    assert "hello from demo" in text and "Task run 'double-1' - doubling 1" in text
    assert _ok(_both(served, "logs", "-f", demo["id"])) == text
    assert len(_ok(_both(served, "logs", "--json", demo["id"])).splitlines()) == len(text.splitlines())


@pytest.mark.parametrize("command", ["show", "logs", "cancel", "retry"])
def test_an_unknown_run_is_the_same_one_line_error(served: dict[str, Any], command: str) -> None:
    proc = _both(served, command, "no-such-run")
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == "error: No flow run with id 'no-such-run' (run ids are UUIDs)\n"


def test_bad_input_is_the_same_one_line_error(served: dict[str, Any]) -> None:
    proc = _both(served, "ls", "--flow", "x" * 300)
    assert proc.returncode == 1 and proc.stdout == ""
    assert proc.stderr == "error: Invalid request: flow_name: String should have at most 255 characters\n"


def test_cancel_and_retry_print_the_same(served: dict[str, Any]) -> None:
    first, second = served["waiting"]
    home, elsewhere, api = (
        served["home"],
        served["home"].parent / "elsewhere",
        ["--api", served["url"], "--token", TOKEN],
    )
    for args in (["cancel"], ["retry"]):
        local = _ok(run_cli(home, "runs", *args, first)).split("\t")
        remote = _ok(run_cli(elsewhere, "runs", *args, second, *api)).split("\t")
        assert local[1:-1] == remote[1:-1] and (local[-1], remote[-1]) == (f"{first}\n", f"{second}\n")
    assert local[1] == "SCHEDULED (Rerun)"
    local_again = run_cli(home, "runs", "retry", first)
    remote_again = run_cli(elsewhere, "runs", "retry", second, *api)
    assert local_again.returncode == remote_again.returncode == 1
    assert local_again.stderr.replace(first, "ID") == remote_again.stderr.replace(second, "ID")
    assert "only FAILED, CRASHED or CANCELLED runs can be retried" in local_again.stderr
