"""schemathesis over every operation of a live ``orchestr-lab server``: no input crashes or hangs it.

The server is a real headless process on a fresh SQLite store whose root holds a notebook with
a parameters cell and a flow file; deployments of both kinds, their runs, a queue, a tag limit
and an automation exist before the fuzz starts, so reads hand the fuzzer ids that exist.
schemathesis (pinned
in pyproject.toml) reads the server's own ``openapi.json`` and runs all its phases: the coverage
phase's boundary values (NUL characters, the longest strings, numbers past every bound), the
fuzzing phase's random and schema-violating data, and stateful chains that follow the
document's links (create a deployment, run it, read, cancel and delete the run, ...). With all
checks on, any 5xx, any answer that does not match the document, any valid request refused or
invalid one accepted, and any request slower than the timeout fails the test; the report says
which request and how to replay it. Settings (seed, examples, timeouts, the few per-operation
expectations) are in ``schemathesis.toml`` beside this file, so a developer's ``st run`` gets
the same run.

Afterwards the server must still be itself: answering, its deployments readable, and it must
stop on SIGTERM.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from _helpers import start_server, write_notebook

pytestmark = pytest.mark.long_running  # minutes: started first in a parallel run

HERE = Path(__file__).parent
CONFIG = HERE / "schemathesis.toml"
TOKEN = "fuzz-token"

FLOW = """
from orchestr_lab import flow


@flow
def greet(name: str = "world", times: int = 1) -> str:
    return " ".join([f"hello {name}"] * times)
"""


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    """``orchestr-lab server --no-local-worker`` on a new SQLite store; yields (API URL, process, log)."""
    root, home = tmp_path / "root", tmp_path / "home"
    root.mkdir()
    home.mkdir()
    write_notebook(root / "report.ipynb", ["print(region, limit)"], parameters="region = 'eu'\nlimit = 10")
    (root / "flows.py").write_text(FLOW)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTER_"))}
    env["ORCHESTR_LAB_HOME"] = str(home)
    log = tmp_path / "server.log"
    args = ("--token", TOKEN, "--root", str(root), "--db-url", f"sqlite:///{home / 'fuzz.db'}", "--no-local-worker")
    proc, base = start_server(*args, env=env, log=log, token=TOKEN, cwd=root, new_session=True, timeout=90)
    url = base + "orchestr-lab/api/"
    try:
        _seed(url)
        yield url, proc, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def _seed(url: str) -> None:
    """Real resources of every kind, so the fuzzer's reads of lists hand it ids that exist."""
    for path, body in [
        (
            "deployments",
            {
                "name": "report",
                "notebook": "report.ipynb",
                "parameters": {"region": "us"},
                "schedules": [{"cron": "0 9 * * 1-5", "timezone": "Europe/Paris"}],
            },
        ),
        (
            "deployments",
            {"name": "greet", "entrypoint": "flows.py:greet", "schedules": [{"interval": 3600}], "tags": ["fuzz"]},
        ),
        ("deployments/report/runs", {"parameters": {"limit": 3}}),
        ("deployments/greet/runs", {}),
        ("work_queues", {"name": "fuzz-queue", "concurrency_limit": 2}),
        ("concurrency_limits", {"tag": "fuzz", "concurrency_limit": 1}),
        (
            "automations",
            {"name": "chain", "deployment_id": "report", "action": "run_deployment", "target_deployment_id": "greet"},
        ),
    ]:
        reply = httpx.post(url + path, json=body, headers={"Authorization": f"token {TOKEN}"}, timeout=20)
        assert reply.status_code == 201, (path, reply.text)


def _get(url: str) -> httpx.Response:
    return httpx.get(url, headers={"Authorization": f"token {TOKEN}"}, timeout=20)


@pytest.mark.timeout(900)
def test_schemathesis_finds_no_failure_on_any_operation(
    server: tuple[str, subprocess.Popen[bytes], Path], tmp_path: Path
) -> None:
    url, proc, log = server
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(CONFIG),
        "--no-color",
        "run",
        url + "openapi.json",
        "--checks",
        "all",
        "--header",
        f"Authorization: token {TOKEN}",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path / "report"),
    ]
    started = time.monotonic()
    # From the repository's root: the config names its hooks file relative to it.
    result = subprocess.run(command, cwd=HERE.parent.parent, capture_output=True, text=True, timeout=840)
    elapsed = time.monotonic() - started
    report = result.stdout[-60_000:] + result.stderr[-5_000:]
    assert result.returncode == 0, f"schemathesis failed after {elapsed:.0f} s:\n{report}"

    # The server survived it: it answers, every deployment the fuzz left is readable, it stops.
    assert proc.poll() is None, log.read_text()[-5000:]
    assert _get(url + "health").status_code == 200
    deployments = _get(url + "deployments")
    assert deployments.status_code == 200, deployments.text
    for dep in deployments.json():
        assert _get(url + f"deployments/{dep['id']}").status_code == 200, dep
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(30) is not None, "the server did not stop on SIGTERM after the fuzz"
