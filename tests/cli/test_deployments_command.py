"""``orchestr-lab deploy``, ``deployments ls|run`` and ``server``, run for real in subprocesses.

Both paths are exercised: the local store (the default), and the REST API of a headless
``orchestr-lab server`` (``--api``/``ORCHESTR_LAB_API_URL`` + token), whose local worker runs
the notebook. Waiting is polling with a deadline.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _helpers import start_server, stop_process

from .conftest import cli_env, run_cli, start_cli, write_notebook

DEADLINE = 120.0
PARAMETERS = "n: int = 3\nlabel = 'plain'\nextra = None"
CELLS = ["from orchestr_lab import record\nprint(f'{label} {n * 2} {extra!r}')\nrecord('double', n * 2)"]


def _notebook(path: Path) -> None:
    write_notebook(path, CELLS, parameters=PARAMETERS)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / "reports").mkdir(parents=True)
    _notebook(root / "reports" / "daily.ipynb")
    return root


def _env(project: Path, **extra: str) -> dict[str, str]:
    return {**cli_env(project.parent / "home"), **extra}


def cli(
    project: Path, *args: str, env: dict[str, str] | None = None, timeout: float = DEADLINE
) -> subprocess.CompletedProcess[str]:
    return run_cli(project.parent / "home", *args, cwd=project, env=env, timeout=timeout)


def ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc.stdout


def refused(proc: subprocess.CompletedProcess[str], *words: str) -> None:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr and proc.stderr.startswith("error: ")
    for word in words:
        assert word in proc.stderr, proc.stderr


def test_deploy_creates_then_updates_declaratively(project: Path) -> None:
    created = ok(
        cli(
            project,
            "deploy",
            "reports/daily.ipynb",
            "--name",
            "daily",
            "--cron",
            "0 9 * * 1-5",
            "--timezone",
            "Europe/Paris",
            "-p",
            "n",
            "5",
            "-p",
            "extra",
            "[1, 2]",
            "--tag",
            "team",
        )
    )
    assert created.splitlines()[0].split("\t")[:3] == ["created", "daily", "reports/daily.ipynb"]
    [dep] = json.loads(ok(cli(project, "deployments", "ls", "--json")))
    assert dep["parameters"] == {"n": 5, "extra": [1, 2]}  # typed: int coerced, untyped read as JSON
    assert dep["schedules"][0]["cron"] == "0 9 * * 1-5" and dep["tags"] == ["team"]

    updated = ok(
        cli(project, "deploy", "reports/daily.ipynb", "--name", "daily", "--interval", "3600", "-p", "label", "007")
    )
    assert updated.startswith("updated\tdaily")
    [dep2] = json.loads(ok(cli(project, "deployments", "ls", "--json")))
    assert dep2["id"] == dep["id"]
    assert dep2["parameters"] == {"label": "007"}  # a str parameter keeps its text
    assert [s["interval"] for s in dep2["schedules"]] == [3600] and dep2["tags"] == []

    row = ok(cli(project, "deployments", "ls")).splitlines()[0].split("\t")
    assert row[0] == "daily" and row[2] == "every 3600s" and row[4] == "active" and row[6] == dep["id"]


def test_deploy_refuses_bad_input_in_one_line(project: Path, tmp_path: Path) -> None:
    refused(cli(project, "deploy", "reports/daily.ipynb", "--name", "x", "-p", "n", "many"), "n", "expected int")
    refused(cli(project, "deploy", "reports/daily.ipynb", "--name", "x", "-p", "size", "1"), "size")
    refused(cli(project, "deploy", "reports/daily.ipynb", "--name", "x", "--cron", "nope"), "schedules.0.cron")
    refused(
        cli(project, "deploy", "reports/daily.ipynb", "--name", "x", "--cron", "* * * * *", "--interval", "5"),
        "not both",
    )
    refused(cli(project, "deploy", "reports/missing.ipynb", "--name", "x"), "notebook")
    outside = tmp_path / "outside.ipynb"
    _notebook(outside)
    refused(cli(project, "deploy", str(outside), "--name", "x"), "outside")
    ok(cli(project, "deploy", "reports/daily.ipynb", "--name", "taken"))
    _notebook(project / "other.ipynb")
    refused(cli(project, "deploy", "other.ipynb", "--name", "taken"), "runs reports/daily.ipynb")
    assert [d["name"] for d in json.loads(ok(cli(project, "deployments", "ls", "--json")))] == ["taken"]
    refused(cli(project, "deployments", "run", "nope"), "no deployment named 'nope'")


@pytest.fixture
def worker(project: Path) -> Iterator[subprocess.Popen[str]]:
    proc = start_cli(project.parent / "home", "worker", cwd=project, log=project.parent / "worker.log")
    yield proc
    stop_process(proc, grace=60)


def test_deployments_run_watch_follows_the_run_to_its_end(project: Path, worker: Any) -> None:
    ok(cli(project, "deploy", "reports/daily.ipynb", "--name", "daily", "-p", "n", "4"))
    watched = cli(project, "deployments", "run", "daily", "-p", "label", "hi", "--watch")
    out = ok(watched)
    assert "hi 8 None" in out  # the cell's output, streamed as log lines
    assert "state: COMPLETED" in watched.stderr
    [dep] = json.loads(ok(cli(project, "deployments", "ls", "--json")))
    assert dep["last_run"]["state"]["type"] == "COMPLETED"

    # A run that fails exits 1 and says why.
    failing = cli(project, "deployments", "run", "daily", "-p", "n", "oops")
    refused(failing, "n", "expected int")


@pytest.fixture
def server(project: Path) -> Iterator[dict[str, Any]]:
    import httpx

    token = "test-token-123"
    env = _env(project, ORCHESTR_LAB_API_TOKEN=token)
    log_path = project.parent / "server.log"
    args = ("--root", str(project), "--scheduler-interval", "0.5")
    proc, url = start_server(*args, env=env, log=log_path, token=token, cwd=project, timeout=DEADLINE)
    reply = httpx.get(url + "orchestr-lab/api/health", headers={"Authorization": f"token {token}"})
    yield {"url": url, "token": token, "proc": proc, "health": reply.json()}
    code = stop_process(proc, grace=60)
    assert code == 0, log_path.read_text()


def test_server_serves_the_api_and_the_cli_uses_it(project: Path, server: dict[str, Any]) -> None:
    import httpx

    assert server["health"]["services"] == {
        "scheduler": True,
        "reaper": True,
        "automations": True,
        "local_worker": True,
    }
    # Without the token: refused. Jupyter's own contents API is not served by the headless server.
    assert httpx.get(server["url"] + "orchestr-lab/api/deployments").status_code == 403
    auth = {"Authorization": f"token {server['token']}"}
    assert httpx.get(server["url"] + "api/contents", headers=auth).status_code == 404

    env = _env(
        project,
        ORCHESTR_LAB_API_URL=server["url"],
        ORCHESTR_LAB_API_TOKEN=server["token"],
        ORCHESTR_LAB_HOME=str(project.parent / "elsewhere"),
    )  # nothing may touch a local store
    ok(cli(project, "deploy", "reports/daily.ipynb", "--name", "remote", "-p", "n", "6", env=env))
    listing = json.loads(ok(cli(project, "deployments", "ls", "--json", env=env)))
    assert [(d["name"], d["notebook"], d["parameters"]) for d in listing] == [
        ("remote", "reports/daily.ipynb", {"n": 6})
    ]

    watched = cli(project, "deployments", "run", "remote", "-p", "extra", '{"a": 1}', "--watch", env=env)
    assert "plain 12 {'a': 1}" in ok(watched)

    bad_token = dict(env, ORCHESTR_LAB_API_TOKEN="wrong")
    refused(cli(project, "deployments", "ls", env=bad_token), "403", "token")
    refused(cli(project, "deploy", "reports/daily.ipynb", "--name", "remote2", "-p", "n", "x", env=env), "n")
    assert not (project.parent / "elsewhere").exists()
