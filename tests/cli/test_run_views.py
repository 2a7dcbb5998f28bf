"""Compare two runs and read a run's report, on two real runs of ``examples/report.ipynb`` (a
deployment run by a real worker), through the REST API and ``orchestr-lab runs diff``.

The runs differ by one parameter (``city``), which changes one recorded output
(``mean_temperature``) and the output of one cell: the diff names those and nothing else, no
timing or metadata noise.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from _helpers import api_server
from orchestr_lab.core.links import report_url

from .conftest import cli_env, run_cli, store

TOKEN = "run-views"
EXAMPLE = Path(__file__).parents[2] / "examples" / "report.ipynb"


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Two COMPLETED runs of the ``rep`` deployment (city Paris, then Lyon), served."""
    home = tmp_path_factory.mktemp("views_home")
    root = home / "root"
    root.mkdir()
    shutil.copy(EXAMPLE, root / "report.ipynb")
    run_cli(home, "deploy", "report.ipynb", "--name", "rep", cwd=root, check=True)
    ids = []
    for params in (("city", "Paris"), ("city", "Lyon"), ("days", "0")):  # 0 days: min([]) fails cell 3
        started = run_cli(home, "deployments", "run", "rep", "-p", *params, cwd=root, check=True)
        ids.append(started.stdout.split("\t")[-1].strip())
        run_cli(home, "worker", "--once", "--no-warm", cwd=root, check=params[0] == "city")
    headers = {"Authorization": f"token {TOKEN}"}
    with api_server(home, root, TOKEN, cli_env(home)) as url, httpx.Client(headers=headers) as api:
        api.base_url = f"{url}orchestr-lab/api/"
        yield {"home": home, "root": root, "url": url, "api": api, "first": ids[0], "second": ids[1], "failed": ids[2]}


def test_diff_names_the_parameter_the_recorded_output_and_the_changed_cell(runs: dict[str, Any]) -> None:
    api, first, second = runs["api"], runs["first"], runs["second"]
    answer = api.get(f"flow_runs/{second}/diff")  # default: the previous COMPLETED run
    assert answer.status_code == 200, answer.text
    diff = answer.json()
    assert (diff["flow_run_id"], diff["against_id"]) == (second, first)
    assert diff["parameters"] == [{"name": "city", "change": "changed", "old": "Paris", "new": "Lyon"}]
    assert [(c["name"], c["change"]) for c in diff["recorded"]] == [("mean_temperature", "changed")]
    assert diff["state"] is None and diff["duration"] is None and diff["notebooks_compared"]
    (cell,) = diff["cells"]  # the print of the city; the injected parameters are the parameter change
    assert (cell["index"], cell["source_changed"], cell["outputs_changed"]) == (3, False, True)
    assert cell["old_outputs"][0]["text"].startswith("Paris: 7 days")
    assert cell["outputs"][0]["text"].startswith("Lyon: 7 days")
    assert cell["state"] is None and cell["duration"] is None

    same = api.get(f"flow_runs/{second}/diff", params={"against": second}).json()
    assert (same["parameters"], same["recorded"], same["cells"]) == ([], [], [])
    none_before = api.get(f"flow_runs/{first}/diff")
    assert none_before.status_code == 404
    assert "has no COMPLETED run of its deployment before it" in none_before.json()["error"]
    assert api.get(f"flow_runs/{second}/diff", params={"against": "x" * 300}).status_code == 400

    home = runs["home"]
    local = run_cli(home, "runs", "diff", second, check=True).stdout.splitlines()
    assert local[1:] == [
        "parameters:",
        '  city: "Paris" -> "Lyon"',
        "recorded outputs:",
        f"  mean_temperature: {diff['recorded'][0]['old']} -> {diff['recorded'][0]['new']}",
        "cells:",
        "  cell 3 (code): outputs changed",
        "    - Paris: 7 days, from 12.0 to 20.0 °C",
        "    + Lyon: 7 days, from 16.0 to 24.0 °C",
    ]
    remote = run_cli(
        home / "elsewhere", "runs", "diff", second, first, "--json", "--api", runs["url"], "--token", TOKEN
    )
    assert json.loads(remote.stdout) == diff
    refused = run_cli(home, "runs", "diff", first)
    assert refused.returncode != 0 and "has no COMPLETED run of its deployment before it" in refused.stderr


def test_diff_of_a_failed_run_names_the_cell_that_failed(runs: dict[str, Any]) -> None:
    diff = runs["api"].get(f"flow_runs/{runs['failed']}/diff").json()  # against the Lyon run
    assert diff["against_id"] == runs["second"]
    assert diff["state"] == {"old": "COMPLETED", "new": "FAILED"}
    assert [(p["name"], p["change"]) for p in diff["parameters"]] == [("city", "removed"), ("days", "added")]
    failed = next(c for c in diff["cells"] if c["index"] == 3)
    assert failed["state"] == {"old": "COMPLETED", "new": "FAILED"}
    assert failed["outputs"][-1]["output_type"] == "error" and "ValueError" in failed["outputs"][-1]["text"]


def test_report_is_the_executed_notebook_as_html_with_no_script_allowed(runs: dict[str, Any]) -> None:
    from orchestr_lab.store.run_reads import get_flow_run

    api, second = runs["api"], runs["second"]
    url = report_url(second, runs["url"])
    assert url == f"{runs['url']}orchestr-lab/api/flow_runs/{second}/report"
    page = api.get(url)
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy
    assert "Lyon: 7 days, from 16.0 to 24.0 °C" in page.text  # the executed output
    assert "Stand-in data" in page.text and "jp-mod-noInput" not in page.text  # the code, shown

    outputs_only = api.get(report_url(second, runs["url"], no_input=True))
    assert "Lyon: 7 days" in outputs_only.text
    assert "Stand-in data" not in outputs_only.text
    assert "jp-mod-noInput" in outputs_only.text

    # A stored path outside the results folder is never read, and a run with no notebook has no report.
    engine = store(runs["home"])
    outside = runs["root"] / "report.ipynb"
    with engine.begin() as conn:
        from sqlalchemy import update

        from orchestr_lab.store.models import flow_runs

        conn.execute(update(flow_runs).where(flow_runs.c.id == runs["first"]).values(output_notebook=str(outside)))
    assert get_flow_run(engine, runs["first"])["output_notebook"] == str(outside)
    refused = api.get(f"flow_runs/{runs['first']}/report")
    assert refused.status_code == 404 and "no executed notebook in the results folder" in refused.json()["error"]
    assert api.get("flow_runs/00000000-0000-4000-8000-000000000000/report").status_code == 404
