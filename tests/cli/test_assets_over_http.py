"""A remote worker's view: a flow whose only store is a server's URL materializes assets and
emits events over HTTP; ``orchestr-lab assets`` prints the same lineage on the store and with --api."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from _helpers import api_server

from .conftest import cli_env, run_cli, store

TOKEN = "assets-over-http"

FLOW = """
from orchestr_lab import flow, task
from orchestr_lab.assets import materialize, add_asset_metadata
from orchestr_lab.events import emit_event

@task(asset_deps=["postgres://db/orders"])
def extract():
    return [1, 2, 3]

@materialize("s3://lake/orders.parquet", by="spark")
def load(rows):
    add_asset_metadata("s3://lake/orders.parquet", {"rows": len(rows)})
    event = emit_event("lake.loaded", resource={"prefect.resource.id": "lake.orders"}, payload={"rows": len(rows)})
    print("EVENT", event.event, event.resource.id, event.payload)
    return rows

@flow
def pipeline():
    load(extract())

pipeline()
print("REFUSED", emit_event("lake.loaded", resource={"no": "id"}))
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    home = tmp_path_factory.mktemp("assets_home")
    root = home / "root"
    root.mkdir()
    store(home)  # created (and migrated) before the server opens it
    with api_server(home, root, TOKEN, cli_env(home)) as url:
        remote = cli_env(home.parent / "elsewhere")
        remote.update(ORCHESTR_LAB_DB_URL=url, ORCHESTR_LAB_API_TOKEN=TOKEN)
        proc = subprocess.run(
            [sys.executable, "-c", FLOW], env=remote, capture_output=True, text=True, timeout=120, check=False
        )
        assert proc.returncode == 0, proc.stderr
        yield {"home": home, "url": url, "out": proc.stdout}
    assert not (home.parent / "elsewhere").exists()  # nothing opened a store of its own


def _both(served: dict[str, Any], *args: str) -> str:
    local = run_cli(served["home"], "assets", *args)
    remote = run_cli(served["home"].parent / "other", "assets", *args, "--api", served["url"], "--token", TOKEN)
    assert (remote.returncode, remote.stdout, remote.stderr) == (local.returncode, local.stdout, local.stderr)
    assert local.returncode == 0, local.stderr
    return local.stdout


def test_lineage_recorded_over_http_reads_the_same_on_both_sides(served: dict[str, Any]) -> None:
    keys = [line.split("\t")[0] for line in _both(served, "ls").splitlines()]
    assert keys == ["postgres://db/orders", "s3://lake/orders.parquet"]
    shown = json.loads(_both(served, "show", "s3://lake/orders.parquet", "--json"))
    assert shown["upstream"] == ["postgres://db/orders"] and shown["downstream"] == []
    assert shown["last_metadata"] == {"rows": 3}
    assert shown["materializations"][0]["materialized_by"] == "spark"
    text = _both(served, "show", "postgres://db/orders")
    assert "downstream: 1\n  s3://lake/orders.parquet" in text


def test_events_emitted_over_http_are_returned_and_stored(served: dict[str, Any]) -> None:
    from orchestr_lab.store.events import list_events

    assert "EVENT lake.loaded lake.orders {'rows': 3}" in served["out"]
    assert "REFUSED None" in served["out"]  # as Prefect: logged, not raised
    stored = [e for e in list_events(store(served["home"]), limit=1000) if e["kind"] == "lake.loaded"]
    assert len(stored) == 1
    related = {r["prefect.resource.role"] for r in stored[0]["payload"]["related"]}
    assert related == {"flow-run", "task-run"}


def test_an_unknown_asset_is_an_error_on_both_sides(served: dict[str, Any]) -> None:
    local = run_cli(served["home"], "assets", "show", "s3://nope/x")
    remote = run_cli(
        served["home"].parent / "other", "assets", "show", "s3://nope/x", "--api", served["url"], "--token", TOKEN
    )
    assert local.returncode == remote.returncode == 1
    assert local.stderr == remote.stderr == "error: No asset 's3://nope/x'\n"
