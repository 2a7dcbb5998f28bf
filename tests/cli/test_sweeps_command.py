"""``orchestr-lab deployments sweep`` and ``orchestr-lab sweeps ...`` on the local store and over
HTTP against a real ``orchestr-lab server``: grid values typed like ``-p`` values, the table as
CSV and JSON, cancel and retry of the whole sweep."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _helpers import api_server

from .conftest import cli_env, run_cli, store, write_notebook

TOKEN = "sweeps-over-http"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A notebook deployment ``job`` (``n: int``, ``label``) and a flow deployment ``pipe``,
    served by ``orchestr-lab server`` without a worker (members stay SCHEDULED)."""
    from orchestr_lab.store.deployments import create_deployment

    home = tmp_path_factory.mktemp("sweeps_home")
    root = home / "root"
    root.mkdir()
    write_notebook(root / "job.ipynb", ["print(n)"], parameters='n: int = 1\nlabel = "x"')
    (root / "flows.py").write_text("def pipe(k=0, tag=''):\n    return k\n")
    create_deployment(store(home), {"name": "job", "notebook": "job.ipynb"})
    create_deployment(store(home), {"name": "pipe", "entrypoint": "flows.py:pipe"})
    with api_server(home, root, TOKEN, cli_env(home)) as url:
        yield {"home": home, "url": url}


def _cli(served: dict[str, Any], remote: bool, *args: str) -> Any:
    home: Path = served["home"]
    if remote:
        return run_cli(home.parent / "elsewhere", *args, "--api", served["url"], "--token", TOKEN, check=True)
    return run_cli(home, *args, "--root", str(home / "root"), check=True)


@pytest.mark.parametrize("remote", [False, True], ids=["local", "http"])
def test_sweep_a_deployment_and_read_cancel_retry_it(served: dict[str, Any], remote: bool) -> None:
    started = _cli(
        served, remote, "deployments", "sweep", "job", "-g", "n", "1,2,3", "-g", "label", "a,b", "--max-parallel", "2"
    )
    word, sweep_id, members, cap = started.stdout.strip().split("\t")
    assert (word, members, cap) == ("sweep", "6 members", "max_parallel 2")

    shown = json.loads(_cli(served, remote, "sweeps", "show", sweep_id, "--json").stdout)
    assert [m["parameters"] for m in shown["members"]] == [
        {"n": n, "label": label} for n in (1, 2, 3) for label in ("a", "b")
    ]  # n typed by the notebook's parameters cell
    table = list(csv.reader(io.StringIO(_cli(served, remote, "sweeps", "table", sweep_id, "--format", "csv").stdout)))
    assert table[0] == ["index", "n", "label", "state", "duration"] and table[1] == ["0", "1", "a", "SCHEDULED", ""]
    assert len(table) == 7
    listed = _cli(served, remote, "sweeps", "ls", "-d", "job").stdout.splitlines()
    assert listed[0].startswith(f"{sweep_id}\tjob\tRUNNING\t6 SCHEDULED"), listed

    assert _cli(served, remote, "sweeps", "cancel", sweep_id).stdout.strip() == f"cancelled\t{sweep_id}\t6 CANCELLED"
    assert _cli(served, remote, "sweeps", "retry", sweep_id).stdout.strip() == f"retried\t{sweep_id}\t6 SCHEDULED"


def test_flow_grid_values_are_json_or_text_and_bad_input_is_an_error(served: dict[str, Any]) -> None:
    started = _cli(served, True, "deployments", "sweep", "pipe", "-g", "k", "1,2.5", "-p", "tag", "t")
    sweep_id = started.stdout.split("\t")[1]
    table = json.loads(_cli(served, True, "sweeps", "table", sweep_id, "--format", "json").stdout)
    assert table["columns"][:2] == ["index", "k"] and [row[1] for row in table["rows"]] == [1, 2.5]

    remote = ("--api", served["url"], "--token", TOKEN)
    bad = run_cli(served["home"].parent / "elsewhere", "deployments", "sweep", "job", "-g", "n", "1,x", *remote)
    assert bad.returncode == 1 and "n" in bad.stderr and "Traceback" not in bad.stderr, bad.stderr
