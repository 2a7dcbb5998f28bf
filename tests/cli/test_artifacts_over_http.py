"""Artifacts made by a flow whose store is a server's URL (a remote worker's case), then read with
``orchestr-lab artifacts ls/show`` on the store and over ``--api``: the same answers; and artifacts
made by the cells of a notebook executed as a run."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _helpers import api_server

from .conftest import cli_env, run_cli, write_notebook

TOKEN = "artifacts-over-http"

FLOW = """
from orchestr_lab import flow, task
from orchestr_lab.artifacts import (Artifact, create_markdown_artifact, create_progress_artifact,
    create_table_artifact, update_progress_artifact)

@task
def note():
    return create_markdown_artifact("**done**", key="note")

@flow
def remote():
    create_table_artifact([{"city": "Oslo", "n": 3}, {"city": "Lima", "n": 5}], key="cities")
    bar = create_progress_artifact(0.0, key="load")
    for pct in (25, 50, 100):
        update_progress_artifact(bar, pct)
    note()
    create_table_artifact({"city": ["Rome"], "n": [1]}, key="cities")

remote()
print(Artifact.get("cities").data, Artifact.get("load").data)
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home = tmp_path_factory.mktemp("artifacts_home")
    root = home / "root"
    root.mkdir()
    with api_server(home, root, TOKEN, cli_env(home)) as url:
        elsewhere = home.parent / "artifacts_elsewhere"
        env = {**cli_env(elsewhere), "ORCHESTR_LAB_DB_URL": url, "ORCHESTR_LAB_API_TOKEN": TOKEN}
        made = subprocess.run(
            [sys.executable, "-c", FLOW], env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120
        )
        assert made.returncode == 0, made.stderr
        yield {"home": home, "url": url, "printed": made.stdout}
        assert not (elsewhere / "orchestr.db").exists()  # the flow wrote through the server only


def _both(served: dict[str, Any], *args: str) -> str:
    local = run_cli(served["home"], "artifacts", *args)
    remote = run_cli(served["home"].parent / "nowhere", "artifacts", *args, "--api", served["url"], "--token", TOKEN)
    assert (remote.returncode, remote.stdout, remote.stderr) == (local.returncode, local.stdout, local.stderr)
    assert local.returncode == 0, local.stderr
    return local.stdout


def test_a_remote_flows_artifacts_are_stored_by_the_server_with_their_runs(served: dict[str, Any]) -> None:
    assert served["printed"].split() == ['{"city":', '["Rome"],', '"n":', "[1]}", "100"]
    items = json.loads(_both(served, "ls", "--json"))["items"]
    assert [(a["key"], a["type"]) for a in items] == [
        ("cities", "table"),
        ("note", "markdown"),
        ("load", "progress"),
        ("cities", "table"),
    ]
    assert len({a["flow_run_id"] for a in items}) == 1 and items[0]["flow_run_id"]
    note = items[1]
    assert note["task_run_id"] and note["data"] == "**done**"
    run = items[0]["flow_run_id"]
    assert json.loads(_both(served, "ls", "--run", run, "--key", "cities", "--json"))["total"] == 2


def test_show_prints_a_keys_latest_version(served: dict[str, Any]) -> None:
    assert _both(served, "show", "cities").splitlines()[-1] == '{"city": "Rome", "n": 1}'
    assert json.loads(_both(served, "show", "load", "--json"))["data"] == 100.0
    missing = run_cli(served["home"], "artifacts", "show", "nope")
    assert missing.returncode == 1 and "No artifact with key or id 'nope'" in missing.stderr


def test_a_notebook_runs_cells_make_artifacts_of_that_run(home: Path, tmp_path: Path) -> None:
    cell = (
        "from orchestr_lab.artifacts import create_progress_artifact, update_progress_artifact\n"
        "bar = create_progress_artifact(10, key='nb-bar')\n"
        "update_progress_artifact(bar, 90)"
    )
    write_notebook(tmp_path / "bar.ipynb", [cell])
    run_cli(home, "run", str(tmp_path / "bar.ipynb"), check=True, timeout=300)
    run = json.loads(run_cli(home, "runs", "ls", "--json", check=True).stdout)["items"][0]
    shown = json.loads(run_cli(home, "artifacts", "show", "nb-bar", "--json", check=True).stdout)
    assert (shown["data"], shown["flow_run_id"]) == (90, run["id"])  # written, not left as a coroutine
