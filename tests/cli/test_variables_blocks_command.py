"""``orchestr-lab variables`` and ``blocks``, on the local store and over HTTP against a real
``orchestr-lab server``; and ``Secret.load(...).get()`` / ``Variable.get`` in a remote process
that only knows the server's URL and token (as a remote worker's flows do)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _helpers import api_server

from .conftest import cli_env, run_cli

TOKEN = "vars-over-http"
SECRET = "sk-live-Vq3-remote"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home = tmp_path_factory.mktemp("vars_home")
    root = home / "root"
    root.mkdir()
    with api_server(home, root, TOKEN, cli_env(home)) as url:
        yield {"home": home, "url": url, "elsewhere": home.parent / "vars_elsewhere"}
    assert not (home.parent / "vars_elsewhere").exists()  # no remote call opened a store of its own


def _remote(served: dict[str, Any], *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(served["elsewhere"], *args, "--api", served["url"], "--token", TOKEN)


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_variables_commands_work_alike_locally_and_over_http(served: dict[str, Any]) -> None:
    home = served["home"]
    assert _ok(run_cli(home, "variables", "set", "local_one", '{"a": [1, 2]}', "--tag", "x")) == (
        "Set variable 'local_one'.\n"
    )
    assert _ok(_remote(served, "variables", "set", "remote_one", "plain text")) == "Set variable 'remote_one'.\n"
    assert _ok(_remote(served, "variables", "get", "local_one")) == '{"a": [1, 2]}\n'
    assert _ok(run_cli(home, "variables", "get", "remote_one")) == "plain text\n"

    taken = _remote(served, "variables", "set", "local_one", "3")
    assert (taken.returncode, taken.stderr) == (
        1,
        "error: Variable 'local_one' already exists; use --overwrite to replace it\n",
    )
    _ok(_remote(served, "variables", "set", "local_one", "3", "--overwrite"))
    listed = {v["name"]: v["value"] for v in json.loads(_ok(run_cli(home, "variables", "ls", "--json")))}
    assert listed == {"local_one": 3, "remote_one": "plain text"}

    bad = _remote(served, "variables", "set", "Bad Name", "1")
    assert bad.returncode == 1
    assert "name: Variable name must only contain lowercase letters, numbers, and dashes or underscores" in bad.stderr
    _ok(_remote(served, "variables", "rm", "remote_one"))
    gone = run_cli(home, "variables", "rm", "remote_one")
    assert (gone.returncode, gone.stderr) == (1, "error: No variable named 'remote_one'\n")


# What a flow on a remote worker runs: its process has the server's URL and token, no store.
REMOTE_FLOW = """
from orchestr_lab.blocks.system import Secret
from orchestr_lab.variables import Variable

Variable.set("seen_remotely", {"ok": True}, overwrite=True)
print(Secret.load("api-key").get() + "|" + str(Variable.get("region")))
"""


def test_a_remote_process_reads_secrets_through_the_server(served: dict[str, Any], tmp_path: Path) -> None:
    saved = subprocess.run(
        [
            sys.executable,
            "-c",
            f"from orchestr_lab.blocks.system import Secret\nSecret(value={SECRET!r}).save('api-key', overwrite=True)\n"
            "from orchestr_lab.variables import Variable\nVariable.set('region', 'eu', overwrite=True)",
        ],
        env=cli_env(served["home"]),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert saved.returncode == 0, saved.stderr
    env = {**cli_env(served["elsewhere"]), "ORCHESTR_LAB_API_URL": served["url"], "ORCHESTR_LAB_API_TOKEN": TOKEN}
    ran = subprocess.run(
        [sys.executable, "-c", REMOTE_FLOW], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.strip().splitlines()[-1] == f"{SECRET}|eu"
    assert json.loads(_ok(run_cli(served["home"], "variables", "get", "seen_remotely"))) == {"ok": True}

    listed = _ok(_remote(served, "blocks", "ls", "--json"))
    assert SECRET not in listed and '"value": "********"' in listed
    shown = _ok(_remote(served, "blocks", "show", "secret/api-key"))
    assert SECRET not in shown
    assert json.loads(_ok(_remote(served, "blocks", "show", "secret/api-key", "--show-secrets")))["data"] == {
        "value": SECRET
    }
    assert SECRET.encode() not in (served["home"] / "orchestr.db").read_bytes()

    unauthorised = {**env, "ORCHESTR_LAB_API_TOKEN": "wrong"}
    refused = subprocess.run(
        [sys.executable, "-c", REMOTE_FLOW], env=unauthorised, cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert refused.returncode != 0 and SECRET not in refused.stdout + refused.stderr


def test_blocks_commands(served: dict[str, Any]) -> None:
    home = served["home"]
    subprocess.run(
        [sys.executable, "-c", "from orchestr_lab.blocks.system import String\nString(value='hi').save('greeting')"],
        env=cli_env(home),
        check=True,
        timeout=120,
    )
    assert "string/greeting\tString\tsha256:" in _ok(run_cli(home, "blocks", "ls"))
    assert "string\tString\t1\t1" in _ok(_remote(served, "blocks", "types"))
    _ok(_remote(served, "blocks", "rm", "string/greeting"))
    missing = run_cli(home, "blocks", "show", "string/greeting")
    assert (missing.returncode, missing.stderr) == (1, "error: No block named 'greeting' of block type 'string'\n")
    bad = run_cli(home, "blocks", "rm", "greeting")
    assert (bad.returncode, bad.stderr) == (
        1,
        "error: 'greeting' is not BLOCK_TYPE/NAME (for example secret/api-key)\n",
    )
