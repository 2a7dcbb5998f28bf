"""What a remote worker asks of the server, as actions: claim, state moves, ops, its notebook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import update
from sqlalchemy.engine import Engine

from orchestr_lab.actions import Context
from orchestr_lab.actions.deployments import create_deployment, run_deployment
from orchestr_lab.actions.runs import get_flow_run, output_notebook
from orchestr_lab.actions.worker_api import (
    claim_run,
    finish_attempt,
    flow_source,
    notebook_content,
    save_output_notebook,
    set_flow_run_state,
    worker_heartbeat,
    write_ops,
)
from orchestr_lab.core.errors import IllegalTransition, NotFound, PathOutsideRoot
from orchestr_lab.core.schemas import DeploymentCreate, FlowRunCreate, FlowSourceQuery, NotebookPathQuery
from orchestr_lab.core.schemas_workers import (
    AttemptFinish,
    NotebookUpload,
    OpsBatch,
    RunClaim,
    StateWrite,
    WorkerBeat,
)

from .conftest import NOTEBOOK


def _state(type_: str, name: str | None = None) -> dict[str, Any]:
    return {"type": type_, "name": name}


def _claimed(ctx: Context) -> dict[str, Any]:
    run = claim_run(ctx, body=RunClaim(name="remote-1"))["run"]
    assert run is not None
    return run


def test_nothing_due_claims_nothing(ctx: Context, deployment: dict[str, Any]) -> None:
    assert claim_run(ctx, body=RunClaim(name="remote-1")) == {"run": None}


def test_a_claimed_run_is_pending_on_its_worker_and_says_its_deployment(
    ctx: Context, deployment: dict[str, Any]
) -> None:
    made = run_deployment(ctx, deployment_id="daily", body=FlowRunCreate(parameters={"n": 4}))
    run = _claimed(ctx)
    assert run["id"] == made["id"] and run["state"]["type"] == "PENDING"
    assert (run["deployment_name"], run["parameters"]) == ("daily", {"n": 4})
    shown = get_flow_run(ctx, flow_run_id=run["id"])
    assert shown["worker"] == {"name": "remote-1", "type": "process"}
    assert claim_run(ctx, body=RunClaim(name="remote-2")) == {"run": None}  # claimed once


def test_a_state_move_follows_the_rule_book(ctx: Context, deployment: dict[str, Any]) -> None:
    run_deployment(ctx, deployment_id="daily", body=FlowRunCreate())
    run = _claimed(ctx)
    moved = set_flow_run_state(ctx, flow_run_id=run["id"], body=StateWrite(state=_state("RUNNING")))
    assert (moved["type"], moved["name"]) == ("RUNNING", "Running")
    with pytest.raises(IllegalTransition, match="RUNNING -> PENDING"):
        set_flow_run_state(ctx, flow_run_id=run["id"], body=StateWrite(state=_state("PENDING")))
    assert get_flow_run(ctx, flow_run_id=run["id"])["state"]["type"] == "RUNNING"  # unchanged


def test_a_failed_attempt_with_retries_left_awaits_its_retry(ctx: Context) -> None:
    create_deployment(ctx, body=DeploymentCreate(name="flaky", notebook=NOTEBOOK, retries=1))
    run_deployment(ctx, deployment_id="flaky", body=FlowRunCreate())
    run = _claimed(ctx)
    set_flow_run_state(ctx, flow_run_id=run["id"], body=StateWrite(state=_state("RUNNING"), fields={"run_count": 1}))
    first = finish_attempt(ctx, flow_run_id=run["id"], body=AttemptFinish(state=_state("FAILED")))
    assert (first["state"]["type"], first["state"]["name"]) == ("SCHEDULED", "AwaitingRetry")

    again = _claimed(ctx)
    set_flow_run_state(
        ctx, flow_run_id=again["id"], body=StateWrite(state=_state("RUNNING", "Retrying"), fields={"run_count": 2})
    )
    last = finish_attempt(ctx, flow_run_id=run["id"], body=AttemptFinish(state=_state("FAILED")))
    assert (last["state"]["type"], last["run_count"]) == ("FAILED", 2)  # no retries left


def test_a_heartbeat_answers_which_runs_to_stop(ctx: Context, deployment: dict[str, Any]) -> None:
    from orchestr_lab.actions.runs import cancel_flow_run

    run_deployment(ctx, deployment_id="daily", body=FlowRunCreate())
    run = _claimed(ctx)
    set_flow_run_state(ctx, flow_run_id=run["id"], body=StateWrite(state=_state("RUNNING")))
    assert worker_heartbeat(ctx, body=WorkerBeat(name="remote-1", runs=[run["id"]]))["stop"] == []
    cancel_flow_run(ctx, flow_run_id=run["id"])
    assert worker_heartbeat(ctx, body=WorkerBeat(name="remote-1", runs=[run["id"]]))["stop"] == [run["id"]]


def test_a_bad_op_in_a_batch_is_refused_naming_it(ctx: Context) -> None:
    ops = [["flow_run", {"id": "x", "name": "n", "flow_name": "f", "colour": "blue"}]]
    with pytest.raises(ValidationError) as info:
        write_ops(ctx, body=OpsBatch(ops=ops))
    assert info.value.errors()[0]["loc"] == ("ops",)
    assert "op 0" in str(info.value) and "colour" in str(info.value)


def test_an_uploaded_notebook_is_served_back(
    ctx: Context, deployment: dict[str, Any], engine: Engine, tmp_path: Path
) -> None:
    from orchestr_lab.store.models import flow_runs

    run_deployment(ctx, deployment_id="daily", body=FlowRunCreate())
    run = _claimed(ctx)
    executed = {"cells": [], "metadata": {"ran": "remote"}, "nbformat": 4, "nbformat_minor": 5}
    save_output_notebook(ctx, flow_run_id=run["id"], body=NotebookUpload(**executed))
    assert output_notebook(ctx, flow_run_id=run["id"])["metadata"] == {"ran": "remote"}
    assert list((tmp_path / "results" / "notebooks").glob("*.ipynb"))

    # A stored path that leads out of the results folder is never read.
    secret = tmp_path / "secret.ipynb"
    secret.write_text('{"cells": []}')
    with engine.begin() as conn:
        conn.execute(update(flow_runs).where(flow_runs.c.id == run["id"]).values(output_notebook=str(secret)))
    with pytest.raises(NotFound, match="results folder"):
        output_notebook(ctx, flow_run_id=run["id"])


def test_a_worker_reads_notebooks_and_flow_files_only_under_the_root(ctx: Context, root: Path) -> None:
    assert notebook_content(ctx, query=NotebookPathQuery(path=NOTEBOOK))["nbformat"] == 4
    with pytest.raises(PathOutsideRoot):
        notebook_content(ctx, query=NotebookPathQuery(path="../orchestr.db"))
    with pytest.raises(NotFound):
        notebook_content(ctx, query=NotebookPathQuery(path="reports/missing.ipynb"))
    (root / "flows.py").write_text("def etl():\n    return 1\n")
    assert flow_source(ctx, query=FlowSourceQuery(path="flows.py"))["source"].startswith("def etl")
    with pytest.raises(ValidationError) as info:
        flow_source(ctx, query=FlowSourceQuery(path=NOTEBOOK))
    assert info.value.errors()[0]["loc"] == ("path",)
