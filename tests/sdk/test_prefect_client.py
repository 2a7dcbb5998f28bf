"""``get_client()`` used as Prefect's docs use it: reading runs with Prefect's filters, renaming
and retagging them, proposing states, running a deployment by its Prefect-style name. Each test
runs on the local store (in-process) and on a real ``orchestr-lab server`` over HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _helpers import api_server, write_notebook
from orchestr_lab import get_client
from orchestr_lab.client.orchestration import PrefectClient, SyncPrefectClient
from orchestr_lab.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterName,
    FlowFilter,
    FlowFilterName,
    FlowRunFilter,
    FlowRunFilterName,
    FlowRunFilterState,
    FlowRunFilterStateName,
    FlowRunFilterStateType,
    FlowRunFilterTags,
    LogFilter,
    LogFilterFlowRunId,
    TaskRunFilter,
    TaskRunFilterFlowRunId,
)
from orchestr_lab.client.schemas.responses import SetStateStatus
from orchestr_lab.client.schemas.sorting import FlowRunSort
from orchestr_lab.core.errors import NotFound
from orchestr_lab.sdk.client import HttpBackend, LocalBackend
from orchestr_lab.states import Cancelling, Completed, Failed, Running, Scheduled, StateType

TOKEN = "prefect-client"

FLOWS = """
from orchestr_lab import flow, get_run_logger, task

@task
def double(x: int) -> int:
    return 2 * x

@flow
def numbers(n: int) -> int:
    get_run_logger().info("numbers got %s", n)
    return double(n)

@flow
def letters(s: str) -> str:
    return s.upper()

for n in (1, 2, 3):
    numbers(n)
letters("a")
"""


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTER_"))}
    env["ORCHESTR_LAB_HOME"] = str(home)
    return env


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Four finished flow runs (three of ``numbers``, one of ``letters``) and a notebook deployment
    ``report``, on a store that ``orchestr-lab server`` serves too (no worker runs anything)."""
    from orchestr_lab.store.database import get_engine
    from orchestr_lab.store.deployments import create_deployment

    home = tmp_path_factory.mktemp("prefect_client_home")
    root = home / "root"
    root.mkdir()
    write_notebook(root / "report.ipynb", ["print(n)"], parameters="n: int = 1")
    subprocess.run([sys.executable, "-c", FLOWS], env=_env(home), check=True, capture_output=True, timeout=120)
    engine = get_engine(f"sqlite:///{home / 'orchestr.db'}")
    create_deployment(engine, {"name": "report", "notebook": "report.ipynb", "tags": ["nightly"]})
    with api_server(home, root, TOKEN, _env(home)) as url:
        yield {"engine": engine, "root": root, "url": url}


@pytest.fixture(params=["local", "http"])
def client(request: pytest.FixtureRequest, served: dict[str, Any]) -> Iterator[SyncPrefectClient]:
    if request.param == "local":
        backend: Any = LocalBackend(served["engine"], served["root"])
    else:
        backend = HttpBackend(served["url"], TOKEN)
    with SyncPrefectClient(backend) as c:
        yield c


def _completed(client: SyncPrefectClient, **filters: Any) -> list[Any]:
    completed = FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.COMPLETED]))
    return client.read_flow_runs(flow_run_filter=FlowRunFilter(state=completed), **filters)


def test_read_flow_runs_filters_and_sorts_as_prefect(client: SyncPrefectClient) -> None:
    runs = _completed(client, flow_filter=FlowFilter(name=FlowFilterName(any_=["numbers"])))
    assert sorted(r.parameters["n"] for r in runs) == [1, 2, 3]
    assert all(r.state.is_completed() and r.state_type is StateType.COMPLETED for r in runs)
    ordered = _completed(client, sort=FlowRunSort.START_TIME_ASC, limit=2)
    assert [r.flow_name for r in ordered] == ["numbers", "numbers"]
    assert [r.parameters["n"] for r in ordered] == [1, 2]
    assert [r.parameters for r in _completed(client, sort=FlowRunSort.START_TIME_DESC, limit=1)] == [{"s": "a"}]
    by_state_name = FlowRunFilter(state=FlowRunFilterState(name=FlowRunFilterStateName(any_=["Completed"])))
    assert len(client.read_flow_runs(flow_run_filter=by_state_name)) >= 4
    one = client.read_flow_run(ordered[0].id)
    assert (one.id, one.name, one.flow_name) == (ordered[0].id, ordered[0].name, "numbers")
    assert client.read_flow_runs(flow_run_filter=FlowRunFilter(name=FlowRunFilterName(any_=[one.name])))[0].id == one.id


def test_update_flow_run_renames_and_retags(client: SyncPrefectClient) -> None:
    [run] = _completed(client, sort=FlowRunSort.START_TIME_ASC, limit=1)
    tag = f"checked-{client.backend.is_remote()}"
    client.update_flow_run(run.id, name=f"renamed-{tag}", tags=[tag, "shared"])
    again = client.read_flow_run(str(run.id))
    assert (again.name, again.tags) == (f"renamed-{tag}", [tag, "shared"])
    tagged = client.read_flow_runs(flow_run_filter=FlowRunFilter(tags=FlowRunFilterTags(all_=[tag, "shared"])))
    assert [r.id for r in tagged] == [run.id]


def test_set_flow_run_state_accepts_rejects_and_forces(client: SyncPrefectClient) -> None:
    deployment = client.read_deployment_by_name("report")
    run = client.create_flow_run_from_deployment(deployment.id)
    assert run.state.is_scheduled()
    took = client.set_flow_run_state(run.id, Running())
    assert took.status is SetStateStatus.ACCEPT and took.state.is_running()
    done = client.set_flow_run_state(run.id, Completed())
    assert done.status is SetStateStatus.ACCEPT
    refused = client.set_flow_run_state(run.id, Running())  # COMPLETED is final
    assert refused.status is SetStateStatus.REJECT and refused.state.is_completed()
    assert "COMPLETED" in refused.details.reason
    forced = client.set_flow_run_state(run.id, Failed(message="marked by hand"), force=True)
    assert forced.status is SetStateStatus.ACCEPT
    assert client.read_flow_run(run.id).state.message == "marked by hand"
    waiting = client.create_flow_run_from_deployment(deployment.id)
    cancelled = client.set_flow_run_state(waiting.id, Cancelling())  # nothing runs it: it ends now
    assert cancelled.status is SetStateStatus.ACCEPT and cancelled.state.is_cancelled()
    client.delete_flow_run(waiting.id)
    with pytest.raises(NotFound):
        client.read_flow_run(waiting.id)


def test_deployments_by_prefect_name_and_runs_from_them(client: SyncPrefectClient) -> None:
    by_flow_name = client.read_deployment_by_name("report-flow/report")  # Prefect's flow/deployment form
    assert by_flow_name.id == client.read_deployment(by_flow_name.id).id
    assert (by_flow_name.name, by_flow_name.tags, by_flow_name.work_queue_name) == ("report", ["nightly"], "default")
    with pytest.raises(NotFound):
        client.read_deployment_by_name("report-flow/missing")
    named = DeploymentFilter(name=DeploymentFilterName(any_=["report"]))
    assert [d.name for d in client.read_deployments(deployment_filter=named)] == ["report"]
    run = client.create_flow_run_from_deployment(by_flow_name.id, parameters={"n": 5}, name="by-hand", tags=["extra"])
    assert (run.name, run.parameters, run.deployment_id) == ("by-hand", {"n": 5}, by_flow_name.id)
    assert set(run.tags) == {"nightly", "extra"}
    scheduled = FlowRunFilter(state=FlowRunFilterState(type=FlowRunFilterStateType(any_=["SCHEDULED"])))
    found = client.read_flow_runs(flow_run_filter=scheduled, deployment_filter=named)
    assert run.id in {r.id for r in found} and all(r.deployment_id == by_flow_name.id for r in found)
    client.set_flow_run_state(run.id, Cancelling())
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=30)
    rescheduled = client.create_flow_run_from_deployment(by_flow_name.id, state=Scheduled(scheduled_time=later))
    assert rescheduled.state.is_scheduled()
    assert abs((rescheduled.expected_start_time - later).total_seconds()) < 1
    client.set_flow_run_state(rescheduled.id, Cancelling())


def test_task_runs_and_logs_of_a_run(client: SyncPrefectClient) -> None:
    [run] = _completed(client, sort=FlowRunSort.START_TIME_ASC, limit=1)
    [task_run] = client.read_task_runs(task_run_filter=TaskRunFilter(flow_run_id=TaskRunFilterFlowRunId(any_=[run.id])))
    assert (task_run.name, task_run.flow_run_id, task_run.state.is_completed()) == ("double-0", run.id, True)
    assert client.read_task_run(task_run.id).task_key == task_run.task_key
    lines = client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
    assert "numbers got 1" in [line.message for line in lines]


def test_async_get_client_reads_the_configured_store(served: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """``async with get_client()`` finds the server through ORCHESTR_LAB_API_URL, as code in a
    remote worker's run does."""
    monkeypatch.setenv("ORCHESTR_LAB_API_URL", served["url"])
    monkeypatch.setenv("ORCHESTR_LAB_API_TOKEN", TOKEN)

    async def main() -> list[Any]:
        async with get_client() as client:
            assert isinstance(client, PrefectClient)
            return await client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["letters"])))

    [run] = asyncio.run(main())
    assert run.parameters == {"s": "a"} and isinstance(run.start_time, dt.datetime)


def test_work_pools_as_prefect_and_job_variables_of_a_run(client: SyncPrefectClient) -> None:
    from orchestr_lab.client.schemas.actions import WorkPoolCreate, WorkPoolUpdate
    from orchestr_lab.client.schemas.filters import WorkPoolFilter, WorkPoolFilterName
    from orchestr_lab.sdk.client import ClientError

    name = f"pool-{type(client.backend).__name__}"
    template = {"variables": {"properties": {"env": {"type": "object", "default": {"A": "template"}}}}}
    spec = WorkPoolCreate(name=name, base_job_template=template, base_job_variables={"kernel_name": "k"})
    made = client.create_work_pool(WorkPoolCreate.model_validate({**spec.model_dump(), "concurrency_limit": 3}))
    assert (made.type, made.base_job_variables) == ("process", {"env": {"A": "template"}, "kernel_name": "k"})
    pool = client.read_work_pool(name)
    assert (pool.is_paused, pool.concurrency_limit, pool.queues, pool.id) == (False, 3, [name], made.id)
    assert pool.base_job_template["variables"]["properties"]["kernel_name"]["default"] == "k"
    only = WorkPoolFilter(name=WorkPoolFilterName(any_=[name]))
    assert [p.name for p in client.read_work_pools(work_pool_filter=only)] == [name]
    client.update_work_pool(name, WorkPoolUpdate(is_paused=True, concurrency_limit=None))
    changed = client.read_work_pool(name)
    assert (changed.is_paused, changed.concurrency_limit, changed.base_job_variables) == (
        True,
        None,
        pool.base_job_variables,
    )
    with pytest.raises(ClientError, match=r"job_variables\.dask_address"):
        client.create_work_pool(WorkPoolCreate(name=f"{name}-bad", base_job_variables={"dask_address": "x"}))
    again = client.create_work_pool(WorkPoolCreate(name=name, description="again"), overwrite=True)
    assert again.description == "again" and again.base_job_variables == {}

    report = client.read_deployment_by_name("report")
    run = client.create_flow_run_from_deployment(report.id, job_variables={"env": {"RUN": "1"}})
    assert run.job_variables == {"env": {"RUN": "1"}}
    client.set_flow_run_state(run.id, Cancelling())
    client.delete_work_pool(name)
    with pytest.raises(NotFound):
        client.read_work_pool(name)
