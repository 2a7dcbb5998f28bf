"""The sdk's two backends answer alike: the same calls on the local store (in-process) and on a
real ``orchestr-lab server`` over HTTP, both on one store, give the same dicts and raise the same
errors with the same words (an unknown run or deployment, a refused retry, an empty page)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from _helpers import api_server, write_notebook
from orchestr_lab.core.errors import Conflict, NotFound, OrchestrLabError
from orchestr_lab.sdk.client import ClientError, HttpBackend, LocalBackend

TOKEN = "client-parity"
UNKNOWN = "00000000-0000-4000-8000-000000000000"  # a run id's form, but no run's

FLOWS = """
from orchestr_lab import flow, get_run_logger, record, task

@task
def double(x: int) -> int:
    return 2 * x

@flow
def child(n: int) -> int:
    return double(n)

@flow
def parent(n: int = 2) -> int:
    get_run_logger().info("hello from parent")
    total = child(n)
    record("total", total)
    return total

parent()
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTER_"))}
    env["ORCHESTR_LAB_HOME"] = str(home)
    return env


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A store with a finished flow run (a subflow, a task, a log line, a record) and a notebook
    deployment with runs due next year, served by ``orchestr-lab server`` (no local worker)."""
    from orchestr_lab.store.database import get_engine
    from orchestr_lab.store.deployment_runs import create_deployment_run
    from orchestr_lab.store.deployments import create_deployment

    home = tmp_path_factory.mktemp("client_home")
    root = home / "root"
    root.mkdir()
    write_notebook(root / "job.ipynb", ["print(n)"], parameters="n: int = 1")
    (root / "broken.ipynb").write_text("not a notebook")
    subprocess.run(
        [sys.executable, "-c", FLOWS],
        env=_env(home),
        stdin=subprocess.DEVNULL,
        check=True,
        capture_output=True,
        timeout=120,
    )
    engine = get_engine(f"sqlite:///{home / 'orchestr.db'}")
    dep = create_deployment(engine, {"name": "job", "notebook": "job.ipynb"})
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=365)  # never Late while the test runs
    waiting = [create_deployment_run(engine, dep, scheduled_time=later)["id"] for _ in range(2)]

    with api_server(home, root, TOKEN, _env(home)) as url:
        http = HttpBackend(url, TOKEN)
        yield {"local": LocalBackend(engine, root), "http": http, "waiting": waiting, "url": url}
        http.close()


def _outcome(call: Callable[[], Any]) -> Any:
    """What a call gave: its answer, or its error's kind and message."""
    try:
        return call()
    except OrchestrLabError as exc:
        kind = next(k for k in (NotFound, Conflict, ClientError, OrchestrLabError) if isinstance(exc, k))
        return (kind.__name__, str(exc))


def _same(store: dict[str, Any], call: Callable[[Any], Any]) -> Any:
    local, remote = _outcome(lambda: call(store["local"])), _outcome(lambda: call(store["http"]))
    assert local == remote
    return local


def test_reads_answer_the_same(store: dict[str, Any]) -> None:
    page = _same(store, lambda b: b.list_runs({"limit": 10}))
    runs = {run["flow_name"]: run for run in page["items"]}
    assert page["total"] == 4 and {"parent", "child", "job"} == set(runs)
    parent, child = runs["parent"], runs["child"]
    assert parent["worker"] == {"name": None, "type": None}  # one shape: the worker as {name, type}
    assert _same(store, lambda b: b.list_runs({"state": ["COMPLETED"], "limit": 10}))["total"] == 2
    empty = {"items": [], "total": 0, "total_exact": True, "next_cursor": None}
    assert _same(store, lambda b: b.list_runs({"flow_name": "nothing-ran"})) == empty

    shown = _same(store, lambda b: b.get_run(parent["id"]))
    assert shown["recorded"] == {"total": 4} and shown["state"]["type"] == "COMPLETED"
    tasks = _same(store, lambda b: b.task_runs(parent["id"]))
    assert [t["name"] for t in tasks] == ["child-0"]  # the subflow call
    assert _same(store, lambda b: b.get_task_run(child["parent_task_run_id"]))["flow_run_id"] == parent["id"]
    assert [r["name"] for r in _same(store, lambda b: b.recorded(parent["id"]))] == ["total"]
    lines = _same(store, lambda b: b.logs(parent["id"], None))
    assert any(line["message"] == "hello from parent" for line in lines)
    assert _same(store, lambda b: b.logs(parent["id"], lines[-1]["id"])) == []

    [dep] = _same(store, lambda b: b.list_deployments())
    assert _same(store, lambda b: b.get_deployment("job")) == dep
    assert _same(store, lambda b: b.get_deployment("nothing")) is None
    assert _same(store, lambda b: b.notebook_parameters("job.ipynb"))[0]["name"] == "n"
    assert _same(store, lambda b: b.notebook_parameters("missing.ipynb")) is None
    assert _same(store, lambda b: b.notebook_parameters("broken.ipynb")) is None


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda b: b.get_run(UNKNOWN), id="get_run"),
        pytest.param(lambda b: b.get_run("not-an-id"), id="get_run-not-an-id"),
        pytest.param(lambda b: b.task_runs(UNKNOWN), id="task_runs"),
        pytest.param(lambda b: b.recorded(UNKNOWN), id="recorded"),
        pytest.param(lambda b: b.logs(UNKNOWN, None), id="logs"),
        pytest.param(lambda b: b.get_task_run(UNKNOWN), id="get_task_run"),
        pytest.param(lambda b: b.cancel_run(UNKNOWN), id="cancel_run"),
        pytest.param(lambda b: b.retry_run(UNKNOWN), id="retry_run"),
        pytest.param(lambda b: b.run_deployment("nothing", {}), id="run_deployment"),
        pytest.param(lambda b: b.update_deployment("nothing", {"paused": True}), id="update_deployment"),
        pytest.param(lambda b: b.list_runs({"deployment_id": "nothing"}), id="list_runs-of-no-deployment"),
    ],
)
def test_what_does_not_exist_is_the_same_not_found(store: dict[str, Any], call: Callable[[Any], Any]) -> None:
    kind, message = _same(store, call)
    assert kind == "NotFound" and message.startswith("No ")


def test_writes_answer_the_same(store: dict[str, Any]) -> None:
    first, second = store["waiting"]
    local, remote = store["local"].cancel_run(first), store["http"].cancel_run(second)
    assert local["state"]["type"] == remote["state"]["type"] == "CANCELLED"
    assert _without_ids(local) == _without_ids(remote)
    local, remote = store["local"].retry_run(first), store["http"].retry_run(second)
    assert local["state"]["name"] == remote["state"]["name"] == "Rerun"
    assert _without_ids(local) == _without_ids(remote)
    # A retry of a run that is not over: refused alike.
    assert _same(store, lambda b: b.retry_run(first))[0] == "Conflict"
    # A name already taken.
    assert _same(store, lambda b: b.create_deployment({"name": "job", "notebook": "job.ipynb"}))[0] == "Conflict"


def _without_ids(run: dict[str, Any]) -> dict[str, Any]:
    """A run as another run of the same deployment would look, moved at another instant."""
    state = {k: v for k, v in run["state"].items() if k != "timestamp"}
    moved = {k: None for k in run if k in ("id", "name", "created") or k.endswith("_time")}
    return {**run, **moved, "state": state}


@pytest.mark.parametrize(
    ("where", "token", "words"),
    [
        ("server", "wrong", r"HTTP 403\); pass the server's token with --token"),
        ("http://127.0.0.1:9/", TOKEN, "^cannot reach the orchestr-lab API at http://127.0.0.1:9/orchestr-lab/api/"),
    ],
)
def test_a_refused_token_or_an_unreachable_server_is_a_client_error(
    store: dict[str, Any], where: str, token: str, words: str
) -> None:
    backend = HttpBackend(store["url"] if where == "server" else where, token)
    try:
        with pytest.raises(ClientError, match=words):
            backend.list_deployments()
    finally:
        backend.close()


def test_both_list_every_deployment_page_by_page(store: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """The API answers deployments a page at a time; the CLI and the magics still list them all."""
    import orchestr_lab.sdk.client as client

    for name in ("job-b", "job-a", "job-c"):
        store["local"].create_deployment({"name": name, "notebook": "job.ipynb"})
    monkeypatch.setattr(client, "DEPLOYMENTS_PAGE", 2)
    names = [d["name"] for d in _same(store, lambda b: b.list_deployments())]
    assert names == sorted(set(names)) and {"job", "job-a", "job-b", "job-c"} <= set(names)
