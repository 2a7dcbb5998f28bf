"""Flow-run actions: reading, cancelling, retrying and deleting runs, and their executed notebook."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from orchestr_lab.actions import Context
from orchestr_lab.actions.deployments import run_deployment
from orchestr_lab.actions.runs import (
    cancel_flow_run,
    delete_flow_run,
    get_flow_run,
    list_flow_runs,
    list_logs,
    list_recorded,
    list_task_runs,
    output_notebook,
    retry_flow_run,
)
from orchestr_lab.core.errors import Conflict, NotFound
from orchestr_lab.core.schemas import FlowRunCreate, FlowRunQuery, LogQuery, RetryRequest

from .conftest import Wakeups


@pytest.fixture
def run(ctx: Context, deployment: dict[str, Any]) -> dict[str, Any]:
    """A run of the ``daily`` deployment, scheduled now (no worker has claimed it)."""
    return run_deployment(ctx, deployment_id="daily", body=FlowRunCreate())


# The fresh uuid gets a fixed id: every xdist worker must collect the same test names.
@pytest.mark.parametrize(
    "run_id", ["../../etc/passwd", "not-a-uuid", pytest.param(str(uuid.uuid4()), id="unknown-uuid")]
)
def test_an_unknown_run_is_not_found_by_every_reader(ctx: Context, run_id: str) -> None:
    for read in (get_flow_run, list_task_runs, list_recorded, output_notebook, cancel_flow_run, delete_flow_run):
        with pytest.raises(NotFound):
            read(ctx, flow_run_id=run_id)
    with pytest.raises(NotFound):
        list_logs(ctx, flow_run_id=run_id, query=LogQuery())


def test_runs_are_listed_by_deployment_id_or_name(
    ctx: Context, deployment: dict[str, Any], run: dict[str, Any]
) -> None:
    by_name = list_flow_runs(ctx, query=FlowRunQuery(deployment_id="daily"))
    by_id = list_flow_runs(ctx, query=FlowRunQuery(deployment_id=deployment["id"]))
    assert by_name == by_id and by_name["total"] == 1 and by_name["items"][0]["id"] == run["id"]
    assert list_flow_runs(ctx, query=FlowRunQuery(state=["COMPLETED"]))["total"] == 0
    with pytest.raises(NotFound, match="weekly"):  # not an empty page that looks like "no runs yet"
        list_flow_runs(ctx, query=FlowRunQuery(deployment_id="weekly"))


def test_a_run_not_yet_claimed_has_nothing_recorded(ctx: Context, run: dict[str, Any]) -> None:
    assert list_task_runs(ctx, flow_run_id=run["id"]) == []
    assert list_logs(ctx, flow_run_id=run["id"], query=LogQuery()) == []
    assert list_recorded(ctx, flow_run_id=run["id"]) == []
    with pytest.raises(NotFound, match="no executed notebook"):
        output_notebook(ctx, flow_run_id=run["id"])


def test_cancel_then_retry(ctx: Context, run: dict[str, Any], wakeups: Wakeups) -> None:
    cancelled = cancel_flow_run(ctx, flow_run_id=run["id"])
    assert cancelled["state"]["type"] == "CANCELLED"  # nobody runs it yet: it ends at once
    with pytest.raises(Conflict, match="already finished"):
        cancel_flow_run(ctx, flow_run_id=run["id"])

    before = wakeups.count
    again = retry_flow_run(ctx, flow_run_id=run["id"], body=RetryRequest())
    assert (again["id"], again["state"]["type"], again["state"]["name"]) == (run["id"], "SCHEDULED", "Rerun")
    assert wakeups.count == before + 1


def test_only_an_ended_run_can_be_retried(ctx: Context, run: dict[str, Any], wakeups: Wakeups) -> None:
    before = wakeups.count
    with pytest.raises(Conflict, match="only FAILED, CRASHED or CANCELLED"):
        retry_flow_run(ctx, flow_run_id=run["id"], body=RetryRequest())
    cancel_flow_run(ctx, flow_run_id=run["id"])
    with pytest.raises(Conflict, match="failed cell"):  # cancelled, and no kernel state was saved
        retry_flow_run(ctx, flow_run_id=run["id"], body=RetryRequest(from_failed_cell=True))
    assert wakeups.count == before


def test_a_deleted_run_is_gone(ctx: Context, run: dict[str, Any]) -> None:
    delete_flow_run(ctx, flow_run_id=run["id"])
    with pytest.raises(NotFound):
        get_flow_run(ctx, flow_run_id=run["id"])
    assert list_flow_runs(ctx, query=FlowRunQuery())["total"] == 0
