"""The orchestr-lab API as Python calls: on the local store in-process, or a server over HTTP.

Without an API URL the :class:`LocalBackend` calls the very functions the REST handlers call
(``orchestr_lab.actions``) on the local store, so both paths check and store exactly the same
things; with one, :class:`HttpBackend` speaks HTTP to that server through the engine's
``ApiClient`` (``Authorization: token T``). Both answer the same: the dicts the REST API sends,
:class:`~orchestr_lab.core.errors.NotFound` for an unknown run or deployment and
:class:`~orchestr_lab.core.errors.Conflict` for a clash, with the server's wording, and
:class:`ClientError` for other refusals. Built from plain values (an engine or store URL, a root,
an API URL and token) so the notebook SDK (``sdk.ops``) and the CLI (``cli/_api.py`` adds only
its click options) share it without the sdk importing the CLI.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core import settings
from ..core.errors import OrchestrLabError
from ..core.validation import validation_text
from ..engine.api_client import ENV_API_TOKEN, ENV_API_URL

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from ..engine.api_client import ApiError

__all__ = [
    "ENV_API_TOKEN",
    "ENV_API_URL",
    "ENV_ROOT",
    "Backend",
    "ClientError",
    "HttpBackend",
    "LocalBackend",
    "connect",
]

ENV_ROOT = settings.ENV_ROOT_DIR
#: Deployments asked for at once when listing them all (the API's largest page).
DEPLOYMENTS_PAGE = 1000


class ClientError(OrchestrLabError):
    """A refusal the user can fix (bad input, unreachable server, refused token): its message is
    shown as is (the CLI prints ``error: <message>``, the magics raise it as ``OpsError``).
    ``status``: the server's HTTP status, when it answered."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def connect(
    *,
    api_url: str | None = None,
    token: str | None = None,
    root: str | os.PathLike[str] | None = None,
    engine: Engine | str | None = None,
) -> Backend:
    """The server at ``api_url`` if given, else the local store (``engine``, or a store URL;
    default: the configured store) with notebook paths under ``root`` (default: the current directory)."""
    if api_url:
        return HttpBackend(api_url, token)
    return LocalBackend(engine, Path(root or os.getcwd()))


class Backend:
    """What the commands and the magics need; every method returns API-shaped dicts."""

    def is_remote(self) -> bool:
        return False

    def close(self) -> None:
        """Let go of connections (the HTTP backend's); the backend is not used after."""

    def notebook_parameters(self, path: str) -> list[dict[str, Any]] | None:
        raise NotImplementedError

    def get_deployment(self, name: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def create_deployment(self, spec: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def update_deployment(self, deployment_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def list_deployments(self) -> list[dict[str, Any]]:
        """Every deployment, by name, read a page at a time (the API's pages are bounded)."""
        from ..core.page_cursor import deployment_cursor

        out: list[dict[str, Any]] = []
        while True:
            page = self.deployment_page(deployment_cursor(out[-1]["name"]) if out else None)
            out += page
            if len(page) < DEPLOYMENTS_PAGE:
                return out

    def deployment_page(self, cursor: str | None) -> list[dict[str, Any]]:
        """:data:`DEPLOYMENTS_PAGE` deployments by name, after ``cursor`` (from the first with None)."""
        raise NotImplementedError

    def run_deployment(
        self, name: str, parameters: dict[str, Any], job_variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        raise NotImplementedError

    def get_run(self, run_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def list_runs(self, query: dict[str, Any]) -> dict[str, Any]:
        """A page of flow runs; ``query`` has the fields of ``core.schemas.FlowRunQuery``."""
        raise NotImplementedError

    def get_task_run(self, task_run_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def task_runs(self, run_id: str) -> list[dict[str, Any]]:
        raise NotImplementedError

    def recorded(self, run_id: str) -> list[dict[str, Any]]:
        raise NotImplementedError

    def logs(self, run_id: str, after: int | None) -> list[dict[str, Any]]:
        """The run's log lines after the id ``after`` (all of them with None), oldest first."""
        raise NotImplementedError

    def cancel_run(self, run_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def retry_run(self, run_id: str, *, from_failed_cell: bool = False) -> dict[str, Any]:
        raise NotImplementedError

    # -- artifacts -----------------------------------------------------------------------------
    def create_artifact(self, body: dict[str, Any]) -> dict[str, Any]:
        """A new artifact; ``body`` has the fields of ``core.schemas_artifacts.ArtifactCreate``."""
        raise NotImplementedError

    def update_artifact(self, artifact_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def get_artifact(self, artifact_id: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def latest_artifact(self, key: str) -> dict[str, Any] | None:
        """The latest version of ``key``, or None."""
        raise NotImplementedError

    def list_artifacts(self, query: dict[str, Any]) -> dict[str, Any]:
        """A page of artifacts; ``query`` has the fields of ``ArtifactQuery``."""
        raise NotImplementedError

    # -- variables and blocks -------------------------------------------------------------------

    def list_variables(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_variable(self, name: str) -> dict[str, Any] | None:
        """The variable, or None when there is none of that name."""
        raise NotImplementedError

    def create_variable(self, spec: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def update_variable(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def delete_variable(self, name: str) -> None:
        raise NotImplementedError

    def list_block_types(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def list_blocks(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_block(self, block_type: str, name: str, *, include_secrets: bool = False) -> dict[str, Any] | None:
        """The saved block, or None when there is none of that type and name."""
        raise NotImplementedError

    def create_block(self, spec: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def update_block(self, block_type: str, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def delete_block(self, block_type: str, name: str) -> None:
        raise NotImplementedError

    # -- global concurrency limits (by name) and the leases holding their slots ---------------

    def list_global_limits(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_global_limit(self, name: str) -> dict[str, Any]:
        """One limit; :class:`NotFound` when there is none of that name."""
        raise NotImplementedError

    def create_global_limit(self, spec: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def update_global_limit(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def delete_global_limit(self, name: str) -> None:
        raise NotImplementedError

    def acquire_slots(self, request: dict[str, Any]) -> dict[str, Any]:
        """``request`` has the fields of ``core.schemas_concurrency.LeaseRequest``; the answer
        those of ``LeaseGrant`` (``granted`` false: ask again after ``retry_after`` seconds)."""
        raise NotImplementedError

    def release_slots(self, lease_id: str) -> None:
        raise NotImplementedError

    def renew_lease(self, lease_id: str, seconds: float) -> None:
        """:class:`NotFound` when the lease expired."""
        raise NotImplementedError

    # -- Prefect's client (sdk/prefect_client.py) and background task runs (Task.delay) --
    def update_run(self, run_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        """Set a run's ``name``, ``tags`` or ``parameters`` (replaced whole); the run as stored now."""
        raise NotImplementedError

    def propose_run_state(self, run_id: str, state: dict[str, Any], *, force: bool = False) -> dict[str, Any]:
        """``{"status": "ACCEPT"|"REJECT", "state": ..., "details": ...}`` (``core.schemas_client.SetStateResult``)."""
        raise NotImplementedError

    def delete_run(self, run_id: str) -> None:
        raise NotImplementedError

    def create_background_task(self, body: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def get_background_task(self, task_run_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def claim_background_task(self, worker_name: str, task_keys: list[str]) -> dict[str, Any] | None:
        raise NotImplementedError

    def finish_background_task(self, task_run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    # -- assets and events ------------------------------------------------------------------
    def list_assets(self, query: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def get_asset(self, key: str) -> dict[str, Any]:
        raise NotImplementedError

    def emit_event(self, event: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    # -- pause and resume (a flow run waiting for a person) ----------------------------------
    def pause_run(self, run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def input_schema(self, run_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def resume_run(self, run_id: str, run_input: dict[str, Any] | None) -> dict[str, Any]:
        raise NotImplementedError

    def run_input(self, run_id: str, key: str) -> dict[str, Any]:
        raise NotImplementedError

    # -- work pools (their queues, type and base job variables) ------------------------------
    def list_work_pools(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def get_work_pool(self, name: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def create_work_pool(self, spec: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def update_work_pool(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def delete_work_pool(self, name: str) -> None:
        raise NotImplementedError

    # -- flow run inputs (send_input / receive_input) -----------------------------------------
    def create_run_input(self, run_id: str, key: str, value: Any, sender: str | None) -> dict[str, Any]:
        raise NotImplementedError

    def filter_run_inputs(self, run_id: str, prefix: str, limit: int, exclude_keys: list[str]) -> list[dict[str, Any]]:
        raise NotImplementedError

    def read_run_input(self, run_id: str, key: str) -> dict[str, Any] | None:
        """The input stored under ``key``, or None."""
        raise NotImplementedError

    def delete_run_input(self, run_id: str, key: str) -> None:
        raise NotImplementedError

    # -- sweeps (one deployment over many parameter sets) ------------------------------------
    def create_sweep(self, deployment: str, body: dict[str, Any]) -> dict[str, Any]:
        """A sweep of ``deployment`` (id or name); ``body`` as ``core.schemas_sweeps.SweepCreate``."""
        raise NotImplementedError

    def list_sweeps(self, query: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def get_sweep(self, sweep_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def sweep_table(self, sweep_id: str) -> dict[str, Any]:
        """``{"columns", "rows"}``: one row per member."""
        raise NotImplementedError

    def retry_sweep(self, sweep_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def cancel_sweep(self, sweep_id: str) -> dict[str, Any]:
        raise NotImplementedError

    # -- run comparison -----------------------------------------------------------------------
    def run_diff(self, run_id: str, against: str | None) -> dict[str, Any]:
        """What changed from run ``against`` (default: the deployment's previous COMPLETED run)."""
        raise NotImplementedError


class LocalBackend(Backend):
    """The local store, through ``orchestr_lab.actions`` (the REST handlers' own functions).

    Answers go through the type each REST route documents (``core.schemas``), as the server
    serialises them, so a dict holds exactly what the HTTP backend's would.
    """

    def __init__(self, engine: Engine | str | None, root: Path) -> None:
        from ..actions import Context

        if engine is None or isinstance(engine, str):
            from ..store.database import get_engine

            engine = get_engine(engine)
        self.root = root.resolve()
        self.ctx = Context(engine=engine, root_dir=self.root)

    def _call(self, shape: Any, fn: Callable[..., Any]) -> Any:
        """``fn(ctx)`` serialised as ``shape``; a pydantic refusal as a :class:`ClientError`."""
        from pydantic import ValidationError

        try:
            answer = fn(self.ctx)
        except ValidationError as exc:
            raise ClientError(validation_text(exc)) from None
        adapter = _adapter(shape)
        return adapter.dump_python(adapter.validate_python(answer), mode="json")

    def notebook_parameters(self, path: str) -> list[dict[str, Any]] | None:
        from ..actions.resources import notebook_parameters
        from ..core.errors import NotFound
        from ..core.schemas import NotebookParameters, NotebookPathQuery
        from ..workers.paths import resolve_under_root

        notebook = resolve_under_root(self.root, path)  # PathOutsideRoot before anything is read
        if notebook.suffix != ".ipynb":
            return None
        try:  # GET notebooks/parameters, as the HTTP backend asks it
            answer = self._call(
                NotebookParameters, lambda ctx: notebook_parameters(ctx, query=NotebookPathQuery(path=path))
            )
        except (NotFound, OSError, ValueError, ClientError):  # ClientError: the path's validation
            return None  # deploy reports the problem with the field's name
        return answer["parameters"]

    def get_deployment(self, name: str) -> dict[str, Any] | None:
        from ..actions.deployments import get_deployment
        from ..core.errors import NotFound
        from ..core.schemas import DeploymentRead

        try:
            return self._call(DeploymentRead, lambda ctx: get_deployment(ctx, deployment_id=name))
        except NotFound:
            return None

    def create_deployment(self, spec: dict[str, Any]) -> dict[str, Any]:
        from ..actions.deployments import create_deployment
        from ..core.schemas import DeploymentCreate, DeploymentRead

        return self._call(
            DeploymentRead, lambda ctx: create_deployment(ctx, body=DeploymentCreate.model_validate(spec))
        )

    def update_deployment(self, deployment_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        from ..actions.deployments import update_deployment
        from ..core.schemas import DeploymentRead, DeploymentUpdate

        return self._call(
            DeploymentRead,
            lambda ctx: update_deployment(
                ctx, deployment_id=deployment_id, body=DeploymentUpdate.model_validate(changes)
            ),
        )

    def deployment_page(self, cursor: str | None) -> list[dict[str, Any]]:
        from ..actions.deployments import list_deployments
        from ..core.schemas import DeploymentQuery, DeploymentRead

        query = DeploymentQuery(limit=DEPLOYMENTS_PAGE, cursor=cursor)
        return self._call(list[DeploymentRead], lambda ctx: list_deployments(ctx, query=query))

    def run_deployment(
        self, name: str, parameters: dict[str, Any], job_variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        from ..actions.deployments import run_deployment
        from ..core.schemas import FlowRunCreate, FlowRunRead

        def call(ctx: Any) -> Any:
            body = FlowRunCreate.model_validate({"parameters": parameters, "job_variables": job_variables or {}})
            return run_deployment(ctx, deployment_id=name, body=body)

        return self._call(FlowRunRead, call)

    def get_run(self, run_id: str) -> dict[str, Any]:
        from ..actions.runs import get_flow_run
        from ..core.schemas import FlowRunRead

        return self._call(FlowRunRead, lambda ctx: get_flow_run(ctx, flow_run_id=run_id))

    def list_runs(self, query: dict[str, Any]) -> dict[str, Any]:
        from ..actions.runs import list_flow_runs
        from ..core.schemas import FlowRunPage, FlowRunQuery

        return self._call(FlowRunPage, lambda ctx: list_flow_runs(ctx, query=FlowRunQuery.model_validate(query)))

    def get_task_run(self, task_run_id: str) -> dict[str, Any]:
        from ..actions.runs import get_task_run
        from ..core.schemas import TaskRunRead

        return self._call(TaskRunRead, lambda ctx: get_task_run(ctx, task_run_id=task_run_id))

    def task_runs(self, run_id: str) -> list[dict[str, Any]]:
        from ..actions.runs import list_task_runs
        from ..core.schemas import TaskRunRead

        return self._call(list[TaskRunRead], lambda ctx: list_task_runs(ctx, flow_run_id=run_id))

    def recorded(self, run_id: str) -> list[dict[str, Any]]:
        from ..actions.runs import list_recorded
        from ..core.schemas import RecordedRead

        return self._call(list[RecordedRead], lambda ctx: list_recorded(ctx, flow_run_id=run_id))

    def logs(self, run_id: str, after: int | None) -> list[dict[str, Any]]:
        from ..actions.runs import list_logs
        from ..core.schemas import LogQuery, LogRead

        return self._call(list[LogRead], lambda ctx: list_logs(ctx, flow_run_id=run_id, query=LogQuery(after=after)))

    def cancel_run(self, run_id: str) -> dict[str, Any]:
        from ..actions.runs import cancel_flow_run
        from ..core.schemas import FlowRunRead

        return self._call(FlowRunRead, lambda ctx: cancel_flow_run(ctx, flow_run_id=run_id))

    def retry_run(self, run_id: str, *, from_failed_cell: bool = False) -> dict[str, Any]:
        from ..actions.runs import retry_flow_run
        from ..core.schemas import FlowRunRead, RetryRequest

        return self._call(
            FlowRunRead,
            lambda ctx: retry_flow_run(ctx, flow_run_id=run_id, body=RetryRequest(from_failed_cell=from_failed_cell)),
        )

    # -- artifacts -----------------------------------------------------------------------------
    def create_artifact(self, body: dict[str, Any]) -> dict[str, Any]:
        from ..actions.artifacts import create_artifact
        from ..core.schemas_artifacts import ArtifactCreate, ArtifactRead

        return self._call(ArtifactRead, lambda ctx: create_artifact(ctx, body=ArtifactCreate.model_validate(body)))

    def update_artifact(self, artifact_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        from ..actions.artifacts import update_artifact
        from ..core.schemas_artifacts import ArtifactRead, ArtifactUpdate

        return self._call(
            ArtifactRead,
            lambda ctx: update_artifact(ctx, artifact_id=artifact_id, body=ArtifactUpdate.model_validate(changes)),
        )

    def get_artifact(self, artifact_id: str) -> dict[str, Any] | None:
        from ..actions.artifacts import get_artifact
        from ..core.errors import NotFound
        from ..core.schemas_artifacts import ArtifactRead

        try:
            return self._call(ArtifactRead, lambda ctx: get_artifact(ctx, artifact_id=artifact_id))
        except NotFound:
            return None

    def latest_artifact(self, key: str) -> dict[str, Any] | None:
        from ..actions.artifacts import latest_artifact
        from ..core.errors import NotFound
        from ..core.schemas_artifacts import ArtifactRead

        try:
            return self._call(ArtifactRead, lambda ctx: latest_artifact(ctx, key=key))
        except NotFound:
            return None

    def list_artifacts(self, query: dict[str, Any]) -> dict[str, Any]:
        from ..actions.artifacts import list_artifacts
        from ..core.schemas_artifacts import ArtifactPage, ArtifactQuery

        return self._call(ArtifactPage, lambda ctx: list_artifacts(ctx, query=ArtifactQuery.model_validate(query)))

    # -- variables and blocks -------------------------------------------------------------------

    def list_variables(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        from ..actions import variables as var
        from ..core.schemas_variables import VariableQuery, VariableRead

        q = VariableQuery.model_validate(query)
        return self._call(list[VariableRead], lambda ctx: var.list_variables(ctx, query=q))

    def get_variable(self, name: str) -> dict[str, Any] | None:
        from ..actions import variables as var
        from ..core.errors import NotFound
        from ..core.schemas_variables import VariableRead

        try:
            return self._call(VariableRead, lambda ctx: var.get_variable(ctx, name=name))
        except NotFound:
            return None

    def create_variable(self, spec: dict[str, Any]) -> dict[str, Any]:
        from ..actions import variables as var
        from ..core.schemas_variables import VariableCreate, VariableRead

        return self._call(VariableRead, lambda ctx: var.create_variable(ctx, body=VariableCreate.model_validate(spec)))

    def update_variable(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        from ..actions import variables as var
        from ..core.schemas_variables import VariableRead, VariableUpdate

        return self._call(
            VariableRead, lambda ctx: var.update_variable(ctx, name=name, body=VariableUpdate.model_validate(changes))
        )

    def delete_variable(self, name: str) -> None:
        from ..actions import variables as var

        var.delete_variable(self.ctx, name=name)

    def list_block_types(self) -> list[dict[str, Any]]:
        from ..actions import blocks as blk
        from ..core.schemas_variables import BlockTypeRead

        return self._call(list[BlockTypeRead], blk.list_block_types)

    def list_blocks(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        from ..actions import blocks as blk
        from ..core.schemas_variables import BlockQuery, BlockRead

        q = BlockQuery.model_validate(query)
        return self._call(list[BlockRead], lambda ctx: blk.list_blocks(ctx, query=q))

    def get_block(self, block_type: str, name: str, *, include_secrets: bool = False) -> dict[str, Any] | None:
        from ..actions import blocks as blk
        from ..core.errors import NotFound
        from ..core.schemas_variables import BlockRead, BlockReadQuery

        q = BlockReadQuery(include_secrets=include_secrets)
        try:
            return self._call(BlockRead, lambda ctx: blk.get_block(ctx, block_type=block_type, name=name, query=q))
        except NotFound:
            return None

    def create_block(self, spec: dict[str, Any]) -> dict[str, Any]:
        from ..actions import blocks as blk
        from ..core.schemas_variables import BlockCreate, BlockRead

        return self._call(BlockRead, lambda ctx: blk.create_block(ctx, body=BlockCreate.model_validate(spec)))

    def update_block(self, block_type: str, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        from ..actions import blocks as blk
        from ..core.schemas_variables import BlockRead, BlockUpdate

        body = BlockUpdate.model_validate(changes)
        return self._call(BlockRead, lambda ctx: blk.update_block(ctx, block_type=block_type, name=name, body=body))

    def delete_block(self, block_type: str, name: str) -> None:
        from ..actions import blocks as blk

        blk.delete_block(self.ctx, block_type=block_type, name=name)

    # -- global concurrency limits (by name) and the leases holding their slots ---------------

    def _gc(self, shape: Any, action: str, body: tuple[Any, dict[str, Any]] | None = None, **kwargs: Any) -> Any:
        """``actions.global_concurrency.<action>(ctx, **kwargs)`` answered as ``shape``; ``body``:
        ``(model, fields)``, checked by the model as the route checks it."""
        from ..actions import global_concurrency as gc

        def call(ctx: Any) -> Any:
            if body is not None:
                kwargs["body"] = body[0].model_validate(body[1])
            return getattr(gc, action)(ctx, **kwargs)

        return self._call(shape, call)

    def list_global_limits(self) -> list[dict[str, Any]]:
        from ..core.schemas_concurrency import GlobalLimitRead

        return self._gc(list[GlobalLimitRead], "list_global_limits")

    def get_global_limit(self, name: str) -> dict[str, Any]:
        from ..core.schemas_concurrency import GlobalLimitRead

        return self._gc(GlobalLimitRead, "get_global_limit", name=name)

    def create_global_limit(self, spec: dict[str, Any]) -> dict[str, Any]:
        from ..core.schemas_concurrency import GlobalLimitCreate, GlobalLimitRead

        return self._gc(GlobalLimitRead, "create_global_limit", (GlobalLimitCreate, spec))

    def update_global_limit(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        from ..core.schemas_concurrency import GlobalLimitRead, GlobalLimitUpdate

        return self._gc(GlobalLimitRead, "update_global_limit", (GlobalLimitUpdate, changes), name=name)

    def delete_global_limit(self, name: str) -> None:
        self._gc(None, "delete_global_limit", name=name)

    def acquire_slots(self, request: dict[str, Any]) -> dict[str, Any]:
        from ..core.schemas_concurrency import LeaseGrant, LeaseRequest

        return self._gc(LeaseGrant, "acquire_slots", (LeaseRequest, request))

    def release_slots(self, lease_id: str) -> None:
        self._gc(None, "release_slots", lease_id=lease_id)

    def renew_lease(self, lease_id: str, seconds: float) -> None:
        from ..core.schemas_concurrency import LeaseRenew

        self._gc(None, "renew_lease", (LeaseRenew, {"lease_duration": seconds}), lease_id=lease_id)

    # -- Prefect's client (sdk/prefect_client.py) and background task runs (Task.delay) --
    def update_run(self, run_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        from ..actions.run_changes import update_flow_run
        from ..core.schemas import FlowRunRead
        from ..core.schemas_client import FlowRunUpdate

        return self._call(
            FlowRunRead,
            lambda ctx: update_flow_run(ctx, flow_run_id=run_id, body=FlowRunUpdate.model_validate(changes)),
        )

    def propose_run_state(self, run_id: str, state: dict[str, Any], *, force: bool = False) -> dict[str, Any]:
        from ..actions.run_changes import propose_flow_run_state
        from ..core.schemas_client import FlowRunStateSet, SetStateResult

        body = FlowRunStateSet.model_validate({"state": state, "force": force})
        return self._call(SetStateResult, lambda ctx: propose_flow_run_state(ctx, flow_run_id=run_id, body=body))

    def delete_run(self, run_id: str) -> None:
        from ..actions.runs import delete_flow_run

        self._call(None, lambda ctx: delete_flow_run(ctx, flow_run_id=run_id))

    def create_background_task(self, body: dict[str, Any]) -> dict[str, Any]:
        from ..actions.background_tasks import create_background_task
        from ..core.schemas_client import BackgroundTaskCreate, BackgroundTaskRead

        checked = BackgroundTaskCreate.model_validate(body)
        return self._call(BackgroundTaskRead, lambda ctx: create_background_task(ctx, body=checked))

    def get_background_task(self, task_run_id: str) -> dict[str, Any]:
        from ..actions.background_tasks import get_background_task
        from ..core.schemas_client import BackgroundTaskRead

        return self._call(BackgroundTaskRead, lambda ctx: get_background_task(ctx, task_run_id=task_run_id))

    def claim_background_task(self, worker_name: str, task_keys: list[str]) -> dict[str, Any] | None:
        from ..actions.background_tasks import claim_background_task
        from ..core.schemas_client import BackgroundTaskClaim, BackgroundTaskClaimed

        body = BackgroundTaskClaim(name=worker_name, task_keys=task_keys)
        answer = self._call(BackgroundTaskClaimed, lambda ctx: claim_background_task(ctx, body=body))
        return answer["run"]

    def finish_background_task(self, task_run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        from ..actions.background_tasks import finish_background_task
        from ..core.schemas_client import BackgroundTaskFinish, BackgroundTaskRead

        checked = BackgroundTaskFinish.model_validate(body)
        return self._call(
            BackgroundTaskRead, lambda ctx: finish_background_task(ctx, task_run_id=task_run_id, body=checked)
        )

    # -- assets and events ------------------------------------------------------------------
    def list_assets(self, query: dict[str, Any]) -> dict[str, Any]:
        from ..actions.assets import list_assets
        from ..core.schemas_assets import AssetPage, AssetQuery

        return self._call(AssetPage, lambda ctx: list_assets(ctx, query=AssetQuery.model_validate(query)))

    def get_asset(self, key: str) -> dict[str, Any]:
        from ..actions.assets import get_asset
        from ..core.schemas_assets import AssetDetail

        return self._call(AssetDetail, lambda ctx: get_asset(ctx, asset_key=key))

    def emit_event(self, event: dict[str, Any]) -> dict[str, Any]:
        from ..actions.assets import emit_event
        from ..core.schemas_assets import EmittedEventRead, EventCreate

        return self._call(EmittedEventRead, lambda ctx: emit_event(ctx, body=EventCreate.model_validate(event)))

    # -- pause and resume --------------------------------------------------------------------
    def pause_run(self, run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        from ..actions.pauses import pause_flow_run
        from ..core.schemas import FlowRunRead
        from ..core.schemas_pause import PauseRequest

        checked = PauseRequest.model_validate(body)
        return self._call(FlowRunRead, lambda ctx: pause_flow_run(ctx, flow_run_id=run_id, body=checked))

    def input_schema(self, run_id: str) -> dict[str, Any]:
        from ..actions.pauses import get_input_schema
        from ..core.schemas_pause import InputSchemaRead

        return self._call(InputSchemaRead, lambda ctx: get_input_schema(ctx, flow_run_id=run_id))

    def resume_run(self, run_id: str, run_input: dict[str, Any] | None) -> dict[str, Any]:
        from ..actions.pauses import resume_flow_run
        from ..core.schemas import FlowRunRead
        from ..core.schemas_pause import ResumeRequest

        body = ResumeRequest.model_validate({"run_input": run_input})
        return self._call(FlowRunRead, lambda ctx: resume_flow_run(ctx, flow_run_id=run_id, body=body))

    def run_input(self, run_id: str, key: str) -> dict[str, Any]:
        from ..actions.pauses import get_run_input
        from ..core.schemas_pause import RunInputQuery, RunInputRead

        query = RunInputQuery.model_validate({"key": key})
        return self._call(RunInputRead, lambda ctx: get_run_input(ctx, flow_run_id=run_id, query=query))

    # -- work pools ---------------------------------------------------------------------------
    def list_work_pools(self) -> list[dict[str, Any]]:
        from ..actions.work_pools import list_work_pools
        from ..core.schemas_pools import WorkPoolRead

        return self._call(list[WorkPoolRead], list_work_pools)

    def get_work_pool(self, name: str) -> dict[str, Any] | None:
        from ..actions.work_pools import get_work_pool
        from ..core.errors import NotFound
        from ..core.schemas_pools import WorkPoolRead

        try:
            return self._call(WorkPoolRead, lambda ctx: get_work_pool(ctx, name=name))
        except NotFound:
            return None

    def create_work_pool(self, spec: dict[str, Any]) -> dict[str, Any]:
        from ..actions.work_pools import create_work_pool
        from ..core.schemas_pools import WorkPoolCreate, WorkPoolRead

        return self._call(WorkPoolRead, lambda ctx: create_work_pool(ctx, body=WorkPoolCreate.model_validate(spec)))

    def update_work_pool(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        from ..actions.work_pools import update_work_pool
        from ..core.schemas_pools import WorkPoolRead, WorkPoolUpdate

        return self._call(
            WorkPoolRead, lambda ctx: update_work_pool(ctx, name=name, body=WorkPoolUpdate.model_validate(changes))
        )

    def delete_work_pool(self, name: str) -> None:
        from ..actions.work_pools import delete_work_pool

        delete_work_pool(self.ctx, name=name)

    # -- flow run inputs ---------------------------------------------------------------------
    def create_run_input(self, run_id: str, key: str, value: Any, sender: str | None) -> dict[str, Any]:
        from ..actions.run_inputs import create_run_input
        from ..core.schemas_run_input import RunInputCreate, RunInputValueRead

        body = RunInputCreate.model_validate({"key": key, "value": value, "sender": sender})
        return self._call(RunInputValueRead, lambda ctx: create_run_input(ctx, flow_run_id=run_id, body=body))

    def filter_run_inputs(self, run_id: str, prefix: str, limit: int, exclude_keys: list[str]) -> list[dict[str, Any]]:
        from ..actions.run_inputs import filter_run_inputs
        from ..core.schemas_run_input import RunInputFilter, RunInputValueRead

        body = RunInputFilter.model_validate({"prefix": prefix, "limit": limit, "exclude_keys": exclude_keys})
        return self._call(list[RunInputValueRead], lambda ctx: filter_run_inputs(ctx, flow_run_id=run_id, body=body))

    def read_run_input(self, run_id: str, key: str) -> dict[str, Any] | None:
        from ..actions.run_inputs import read_run_input
        from ..core.errors import NotFound
        from ..core.schemas_run_input import RunInputValueRead

        try:
            return self._call(RunInputValueRead, lambda ctx: read_run_input(ctx, flow_run_id=run_id, key=key))
        except NotFound:
            return None

    def delete_run_input(self, run_id: str, key: str) -> None:
        from ..actions.run_inputs import delete_run_input

        delete_run_input(self.ctx, flow_run_id=run_id, key=key)

    # -- sweeps --------------------------------------------------------------------------------
    def create_sweep(self, deployment: str, body: dict[str, Any]) -> dict[str, Any]:
        from ..actions.sweeps import create_sweep
        from ..core.schemas_sweeps import SweepCreate, SweepRead

        return self._call(
            SweepRead,
            lambda ctx: create_sweep(ctx, deployment_id=deployment, body=SweepCreate.model_validate(body)),
        )

    def list_sweeps(self, query: dict[str, Any]) -> dict[str, Any]:
        from ..actions.sweeps import list_sweeps
        from ..core.schemas_sweeps import SweepPage, SweepQuery

        return self._call(SweepPage, lambda ctx: list_sweeps(ctx, query=SweepQuery.model_validate(query)))

    def get_sweep(self, sweep_id: str) -> dict[str, Any]:
        from ..actions.sweeps import get_sweep
        from ..core.schemas_sweeps import SweepRead

        return self._call(SweepRead, lambda ctx: get_sweep(ctx, sweep_id=sweep_id))

    def sweep_table(self, sweep_id: str) -> dict[str, Any]:
        from ..actions.sweeps import sweep_table
        from ..core.schemas_sweeps import SweepTable, SweepTableQuery

        return self._call(SweepTable, lambda ctx: sweep_table(ctx, sweep_id=sweep_id, query=SweepTableQuery()))

    def retry_sweep(self, sweep_id: str) -> dict[str, Any]:
        from ..actions.sweeps import retry_sweep
        from ..core.schemas_sweeps import SweepRead

        return self._call(SweepRead, lambda ctx: retry_sweep(ctx, sweep_id=sweep_id))

    def cancel_sweep(self, sweep_id: str) -> dict[str, Any]:
        from ..actions.sweeps import cancel_sweep
        from ..core.schemas_sweeps import SweepRead

        return self._call(SweepRead, lambda ctx: cancel_sweep(ctx, sweep_id=sweep_id))

    # -- run comparison -----------------------------------------------------------------------
    def run_diff(self, run_id: str, against: str | None) -> dict[str, Any]:
        from ..actions.run_diff import run_diff
        from ..core.schemas_run_diff import RunDiffQuery, RunDiffRead

        query = RunDiffQuery(against=against)
        return self._call(RunDiffRead, lambda ctx: run_diff(ctx, flow_run_id=run_id, query=query))


def _refusal(exc: ApiError) -> Exception:
    """What the local backend raises where the server answered ``exc``. Bad input (400, 422)
    reads as it does locally, without the status: ``Invalid request: <field>: <message>``."""
    from ..engine.api_client import core_error

    status, error = exc.status, core_error(exc)
    if error is not exc:
        return error
    return ClientError(exc.message if status in (400, 422) else str(exc), status=status)


@functools.cache
def _adapter(shape: Any) -> Any:
    """A pydantic adapter for a response type, built once (building one costs more than using it)."""
    from pydantic import TypeAdapter

    return TypeAdapter(shape)


class HttpBackend(Backend):
    """A server's REST API (``<URL>/orchestr-lab/api/``) through the engine's :class:`ApiClient`,
    without retries: a person waits for the answer, and a POST here (run a deployment) must not
    happen twice. The server's 404 and 409 raise what the local backend raises
    (:class:`NotFound`, :class:`Conflict`) with the same message; other refusals, and a server
    out of reach, raise :class:`ClientError`."""

    def __init__(self, url: str, token: str | None) -> None:
        from ..engine.api_client import ApiClient

        self.api = ApiClient(url, token, retry_for=0)
        self.url = self.api.url

    def is_remote(self) -> bool:
        return True

    def close(self) -> None:
        self.api.close()

    def request(self, method: str, path: str, *, missing_ok: bool = False, **kwargs: Any) -> Any:
        """The answer's JSON (None when empty, or on a 404 with ``missing_ok``)."""
        from ..engine.api_client import ApiError, ApiUnavailable

        try:
            return self.api.request(method, path, missing_ok=missing_ok, **kwargs)
        except ApiError as exc:
            raise _refusal(exc) from None
        except ApiUnavailable as exc:
            raise ClientError(str(exc)) from None

    def notebook_parameters(self, path: str) -> list[dict[str, Any]] | None:
        try:
            answer = self.request("GET", "notebooks/parameters", params={"path": path}, missing_ok=True)
        except ClientError as exc:
            if exc.status == 422:  # not a readable notebook: as locally, deploy names the field's problem
                return None
            raise
        return None if answer is None else answer["parameters"]

    def get_deployment(self, name: str) -> dict[str, Any] | None:
        return self.request("GET", f"deployments/{_segment(name)}", missing_ok=True)

    def create_deployment(self, spec: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "deployments", json=spec)

    def update_deployment(self, deployment_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", f"deployments/{_segment(deployment_id)}", json=changes)

    def deployment_page(self, cursor: str | None) -> list[dict[str, Any]]:
        params = {"limit": DEPLOYMENTS_PAGE, **({} if cursor is None else {"cursor": cursor})}
        return self.request("GET", "deployments", params=params)

    def run_deployment(
        self, name: str, parameters: dict[str, Any], job_variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        body = {"parameters": parameters, **({"job_variables": job_variables} if job_variables else {})}
        return self.request("POST", f"deployments/{_segment(name)}/runs", json=body)

    def get_run(self, run_id: str) -> dict[str, Any]:
        return self.request("GET", f"flow_runs/{_segment(run_id)}")

    def list_runs(self, query: dict[str, Any]) -> dict[str, Any]:
        state = query.get("state")
        params = {**query, "state": ",".join(state)} if state else query  # the API takes a comma list
        return self.request("GET", "flow_runs", params=params)

    def get_task_run(self, task_run_id: str) -> dict[str, Any]:
        return self.request("GET", f"task_runs/{_segment(task_run_id)}")

    def task_runs(self, run_id: str) -> list[dict[str, Any]]:
        return self.request("GET", f"flow_runs/{_segment(run_id)}/task_runs")

    def recorded(self, run_id: str) -> list[dict[str, Any]]:
        return self.request("GET", f"flow_runs/{_segment(run_id)}/recorded")

    def logs(self, run_id: str, after: int | None) -> list[dict[str, Any]]:
        params = {} if after is None else {"after": after}
        return self.request("GET", f"flow_runs/{_segment(run_id)}/logs", params=params)

    def cancel_run(self, run_id: str) -> dict[str, Any]:
        return self.request("POST", f"flow_runs/{_segment(run_id)}/cancel")

    def retry_run(self, run_id: str, *, from_failed_cell: bool = False) -> dict[str, Any]:
        return self.request("POST", f"flow_runs/{_segment(run_id)}/retry", json={"from_failed_cell": from_failed_cell})

    # -- artifacts -----------------------------------------------------------------------------
    def create_artifact(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "artifacts", json=body)

    def update_artifact(self, artifact_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", f"artifacts/{_segment(artifact_id)}", json=changes)

    def get_artifact(self, artifact_id: str) -> dict[str, Any] | None:
        return self.request("GET", f"artifacts/{_segment(artifact_id)}", missing_ok=True)

    def latest_artifact(self, key: str) -> dict[str, Any] | None:
        return self.request("GET", f"artifacts/latest/{_segment(key)}", missing_ok=True)

    def list_artifacts(self, query: dict[str, Any]) -> dict[str, Any]:
        return self.request("GET", "artifacts", params={k: v for k, v in query.items() if v is not None})

    # -- variables and blocks -------------------------------------------------------------------

    def list_variables(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        return self.request("GET", "variables", params=query)

    def get_variable(self, name: str) -> dict[str, Any] | None:
        return self.request("GET", f"variables/{_segment(name)}", missing_ok=True)

    def create_variable(self, spec: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "variables", json=spec)

    def update_variable(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", f"variables/{_segment(name)}", json=changes)

    def delete_variable(self, name: str) -> None:
        self.request("DELETE", f"variables/{_segment(name)}")

    def list_block_types(self) -> list[dict[str, Any]]:
        return self.request("GET", "block_types")

    def list_blocks(self, query: dict[str, Any]) -> list[dict[str, Any]]:
        return self.request("GET", "blocks", params=query)

    def get_block(self, block_type: str, name: str, *, include_secrets: bool = False) -> dict[str, Any] | None:
        params = {"include_secrets": "true"} if include_secrets else {}
        return self.request("GET", f"blocks/{_segment(block_type)}/{_segment(name)}", params=params, missing_ok=True)

    def create_block(self, spec: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "blocks", json=spec)

    def update_block(self, block_type: str, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", f"blocks/{_segment(block_type)}/{_segment(name)}", json=changes)

    def delete_block(self, block_type: str, name: str) -> None:
        self.request("DELETE", f"blocks/{_segment(block_type)}/{_segment(name)}")

    # -- global concurrency limits (by name) and the leases holding their slots ---------------

    def list_global_limits(self) -> list[dict[str, Any]]:
        return self.request("GET", "global_concurrency_limits")

    def get_global_limit(self, name: str) -> dict[str, Any]:
        return self.request("GET", f"global_concurrency_limits/{_segment(name)}")

    def create_global_limit(self, spec: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "global_concurrency_limits", json=spec)

    def update_global_limit(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", f"global_concurrency_limits/{_segment(name)}", json=changes)

    def delete_global_limit(self, name: str) -> None:
        self.request("DELETE", f"global_concurrency_limits/{_segment(name)}")

    def acquire_slots(self, request: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "global_concurrency_leases", json=request)

    def release_slots(self, lease_id: str) -> None:
        self.request("DELETE", f"global_concurrency_leases/{_segment(lease_id)}")

    def renew_lease(self, lease_id: str, seconds: float) -> None:
        self.request("POST", f"global_concurrency_leases/{_segment(lease_id)}/renew", json={"lease_duration": seconds})

    # -- Prefect's client (sdk/prefect_client.py) and background task runs (Task.delay) --
    def update_run(self, run_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", f"flow_runs/{_segment(run_id)}", json=changes)

    def propose_run_state(self, run_id: str, state: dict[str, Any], *, force: bool = False) -> dict[str, Any]:
        return self.request("POST", f"flow_runs/{_segment(run_id)}/state", json={"state": state, "force": force})

    def delete_run(self, run_id: str) -> None:
        self.request("DELETE", f"flow_runs/{_segment(run_id)}")

    def create_background_task(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "background_task_runs", json=body)

    def get_background_task(self, task_run_id: str) -> dict[str, Any]:
        return self.request("GET", f"background_task_runs/{_segment(task_run_id)}")

    def claim_background_task(self, worker_name: str, task_keys: list[str]) -> dict[str, Any] | None:
        answer = self.request("POST", "background_task_runs/claim", json={"name": worker_name, "task_keys": task_keys})
        return answer["run"]

    def finish_background_task(self, task_run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", f"background_task_runs/{_segment(task_run_id)}/finish", json=body)

    # -- assets and events ------------------------------------------------------------------
    def list_assets(self, query: dict[str, Any]) -> dict[str, Any]:
        return self.request("GET", "assets", params=query)

    def get_asset(self, key: str) -> dict[str, Any]:
        return self.request("GET", f"assets/{_segment(key)}")

    def emit_event(self, event: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "events", json=event)

    # -- pause and resume --------------------------------------------------------------------
    def pause_run(self, run_id: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", f"flow_runs/{_segment(run_id)}/pause", json=body)

    def input_schema(self, run_id: str) -> dict[str, Any]:
        return self.request("GET", f"flow_runs/{_segment(run_id)}/input_schema")

    def resume_run(self, run_id: str, run_input: dict[str, Any] | None) -> dict[str, Any]:
        return self.request("POST", f"flow_runs/{_segment(run_id)}/resume", json={"run_input": run_input})

    def run_input(self, run_id: str, key: str) -> dict[str, Any]:
        return self.request("GET", f"flow_runs/{_segment(run_id)}/input", params={"key": key})

    # -- work pools ---------------------------------------------------------------------------
    def list_work_pools(self) -> list[dict[str, Any]]:
        return self.request("GET", "work_pools")

    def get_work_pool(self, name: str) -> dict[str, Any] | None:
        return self.request("GET", f"work_pools/{_segment(name)}", missing_ok=True)

    def create_work_pool(self, spec: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "work_pools", json=spec)

    def update_work_pool(self, name: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self.request("PATCH", f"work_pools/{_segment(name)}", json=changes)

    def delete_work_pool(self, name: str) -> None:
        self.request("DELETE", f"work_pools/{_segment(name)}")

    # -- flow run inputs ---------------------------------------------------------------------
    def create_run_input(self, run_id: str, key: str, value: Any, sender: str | None) -> dict[str, Any]:
        body = {"key": key, "value": value, "sender": sender}
        return self.request("POST", f"flow_runs/{_segment(run_id)}/input", json=body)

    def filter_run_inputs(self, run_id: str, prefix: str, limit: int, exclude_keys: list[str]) -> list[dict[str, Any]]:
        body = {"prefix": prefix, "limit": limit, "exclude_keys": exclude_keys}
        return self.request("POST", f"flow_runs/{_segment(run_id)}/input/filter", json=body)

    def read_run_input(self, run_id: str, key: str) -> dict[str, Any] | None:
        return self.request("GET", f"flow_runs/{_segment(run_id)}/input/{_segment(key)}", missing_ok=True)

    def delete_run_input(self, run_id: str, key: str) -> None:
        self.request("DELETE", f"flow_runs/{_segment(run_id)}/input/{_segment(key)}")

    # -- sweeps --------------------------------------------------------------------------------
    def create_sweep(self, deployment: str, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", f"deployments/{_segment(deployment)}/sweeps", json=body)

    def list_sweeps(self, query: dict[str, Any]) -> dict[str, Any]:
        return self.request("GET", "sweeps", params=query)

    def get_sweep(self, sweep_id: str) -> dict[str, Any]:
        return self.request("GET", f"sweeps/{_segment(sweep_id)}")

    def sweep_table(self, sweep_id: str) -> dict[str, Any]:
        return self.request("GET", f"sweeps/{_segment(sweep_id)}/table")

    def retry_sweep(self, sweep_id: str) -> dict[str, Any]:
        return self.request("POST", f"sweeps/{_segment(sweep_id)}/retry")

    def cancel_sweep(self, sweep_id: str) -> dict[str, Any]:
        return self.request("POST", f"sweeps/{_segment(sweep_id)}/cancel")

    # -- run comparison -----------------------------------------------------------------------
    def run_diff(self, run_id: str, against: str | None) -> dict[str, Any]:
        params = {} if against is None else {"against": against}
        return self.request("GET", f"flow_runs/{_segment(run_id)}/diff", params=params)


def _segment(value: str) -> str:
    """``value`` as one path segment (an id or a name holding ``/`` stays one)."""
    from urllib.parse import quote

    return quote(value, safe="")
