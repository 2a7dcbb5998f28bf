"""Deployment actions: what ``POST /deployments`` and ``POST /deployments/{id}/runs`` do."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from _helpers import write_notebook
from orchestr_lab.actions import Context
from orchestr_lab.actions.deployments import (
    create_deployment,
    delete_deployment,
    get_deployment,
    list_deployments,
    next_runs,
    pause_deployment,
    resume_deployment,
    run_deployment,
    update_deployment,
)
from orchestr_lab.core.errors import Conflict, NotFound, ParameterTypeError, PathOutsideRoot
from orchestr_lab.core.schemas import DeploymentCreate, DeploymentUpdate, FlowRunCreate, NextRunsQuery

from .conftest import NOTEBOOK, Wakeups


def _fields(exc: ValidationError) -> set[str]:
    return {".".join(map(str, e["loc"])) for e in exc.errors()}


def test_a_created_deployment_is_read_back_by_id_and_by_name(ctx: Context) -> None:
    created = create_deployment(
        ctx,
        body=DeploymentCreate(
            name="daily", notebook=NOTEBOOK, parameters={"n": "7"}, schedules=[{"cron": "0 9 * * *"}], tags=["team"]
        ),
    )
    assert created["parameters"] == {"n": 7}  # coerced to the parameters cell's type
    assert len(created["next_runs"]) == 5 and created["last_run"] is None
    assert get_deployment(ctx, deployment_id=created["id"])["name"] == "daily"
    assert get_deployment(ctx, deployment_id="daily")["id"] == created["id"]
    assert [d["name"] for d in list_deployments(ctx)] == ["daily"]


def test_an_unknown_deployment_is_not_found(ctx: Context) -> None:
    with pytest.raises(NotFound, match="nope"):
        get_deployment(ctx, deployment_id="nope")
    with pytest.raises(NotFound):
        run_deployment(ctx, deployment_id="nope", body=FlowRunCreate())


def test_a_taken_name_is_a_conflict(ctx: Context, deployment: dict[str, Any]) -> None:
    with pytest.raises(Conflict, match="daily"):
        create_deployment(ctx, body=DeploymentCreate(name="daily", notebook=NOTEBOOK))


@pytest.mark.parametrize(
    ("notebook", "words"),
    [
        ("reports/missing.ipynb", "no file"),
        ("reports", "no file"),
    ],
)
def test_a_notebook_that_is_not_there_is_refused_naming_the_field(ctx: Context, notebook: str, words: str) -> None:
    with pytest.raises(ValidationError) as info:
        create_deployment(ctx, body=DeploymentCreate(name="x", notebook=notebook))
    assert _fields(info.value) == {"notebook"} and words in str(info.value)
    assert list_deployments(ctx) == []


def test_a_file_that_is_not_a_notebook_is_refused(ctx: Context, root: Path) -> None:
    (root / "notes.txt").write_text("hello")
    with pytest.raises(ValidationError) as info:
        create_deployment(ctx, body=DeploymentCreate(name="x", notebook="notes.txt"))
    assert _fields(info.value) == {"notebook"} and "not a notebook" in str(info.value)


def test_a_notebook_outside_the_root_is_refused(ctx: Context, tmp_path: Path) -> None:
    write_notebook(tmp_path / "outside.ipynb", ["1"])
    with pytest.raises(PathOutsideRoot):
        create_deployment(ctx, body=DeploymentCreate(name="x", notebook="../outside.ipynb"))


def test_parameters_that_do_not_fit_the_notebook_name_the_parameter(ctx: Context) -> None:
    with pytest.raises(ParameterTypeError) as info:
        create_deployment(ctx, body=DeploymentCreate(name="x", notebook=NOTEBOOK, parameters={"n": "many"}))
    assert set(info.value.errors) == {"n"}
    with pytest.raises(ParameterTypeError) as unknown:
        create_deployment(ctx, body=DeploymentCreate(name="x", notebook=NOTEBOOK, parameters={"size": 1}))
    assert "size" in unknown.value.errors


def test_a_body_the_model_refuses_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        DeploymentCreate(name="x", notebook=NOTEBOOK, schedules=[{"cron": "every day"}])
    assert _fields(info.value) == {"schedules.0.cron"}
    with pytest.raises(ValidationError) as extra:
        DeploymentCreate(name="x", notebook=NOTEBOOK, colour="blue")  # type: ignore[call-arg]
    assert _fields(extra.value) == {"colour"}


def test_running_a_deployment_makes_a_scheduled_run_and_wakes_the_worker(
    ctx: Context, deployment: dict[str, Any], wakeups: Wakeups
) -> None:
    run = run_deployment(ctx, deployment_id="daily", body=FlowRunCreate(parameters={"n": "5"}, name="by-hand"))
    assert run["state"]["type"] == "SCHEDULED"
    assert run["deployment_id"] == deployment["id"] and run["name"] == "by-hand"
    assert run["parameters"] == {"n": 5}
    assert run["worker"] == {"name": None, "type": None} and run["run_count"] == 0
    assert wakeups.count == 1


def test_a_run_with_parameters_that_do_not_fit_is_not_made(
    ctx: Context, deployment: dict[str, Any], wakeups: Wakeups
) -> None:
    from orchestr_lab.actions.runs import list_flow_runs
    from orchestr_lab.core.schemas import FlowRunQuery

    with pytest.raises(ParameterTypeError) as info:
        run_deployment(ctx, deployment_id="daily", body=FlowRunCreate(parameters={"n": "many"}))
    assert set(info.value.errors) == {"n"}
    assert list_flow_runs(ctx, query=FlowRunQuery())["total"] == 0 and wakeups.count == 0


def test_a_deployment_whose_notebook_is_gone_cannot_run(ctx: Context, deployment: dict[str, Any], root: Path) -> None:
    (root / NOTEBOOK).unlink()
    with pytest.raises(Conflict, match="gone"):
        run_deployment(ctx, deployment_id="daily", body=FlowRunCreate())


def test_pause_stops_the_next_runs_and_resume_brings_them_back(ctx: Context) -> None:
    dep = create_deployment(
        ctx, body=DeploymentCreate(name="hourly", notebook=NOTEBOOK, schedules=[{"interval": 3600}])
    )
    assert pause_deployment(ctx, deployment_id="hourly")["paused"] is True
    assert next_runs(ctx, deployment_id=dep["id"], query=NextRunsQuery(n=3)) == {"next_runs": []}
    assert resume_deployment(ctx, deployment_id="hourly")["next_runs"]
    assert len(next_runs(ctx, deployment_id=dep["id"], query=NextRunsQuery(n=3))["next_runs"]) == 3


def test_an_update_changes_only_what_was_sent_and_checks_parameters(ctx: Context, deployment: dict[str, Any]) -> None:
    updated = update_deployment(ctx, deployment_id="daily", body=DeploymentUpdate(parameters={"n": "2"}))
    assert updated["parameters"] == {"n": 2} and updated["notebook"] == NOTEBOOK
    with pytest.raises(ParameterTypeError):
        update_deployment(ctx, deployment_id="daily", body=DeploymentUpdate(parameters={"n": "two"}))
    assert get_deployment(ctx, deployment_id="daily")["parameters"] == {"n": 2}


def test_a_deleted_deployment_is_gone(ctx: Context, deployment: dict[str, Any]) -> None:
    delete_deployment(ctx, deployment_id="daily")
    with pytest.raises(NotFound):
        get_deployment(ctx, deployment_id=deployment["id"])
