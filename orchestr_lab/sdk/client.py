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

    def run_deployment(self, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
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

    # -- assets and events ------------------------------------------------------------------
    def list_assets(self, query: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def get_asset(self, key: str) -> dict[str, Any]:
        raise NotImplementedError

    def emit_event(self, event: dict[str, Any]) -> dict[str, Any]:
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

    def run_deployment(self, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
        from ..actions.deployments import run_deployment
        from ..core.schemas import FlowRunCreate, FlowRunRead

        return self._call(
            FlowRunRead, lambda ctx: run_deployment(ctx, deployment_id=name, body=FlowRunCreate(parameters=parameters))
        )

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

    def run_deployment(self, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", f"deployments/{_segment(name)}/runs", json={"parameters": parameters})

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

    # -- assets and events ------------------------------------------------------------------
    def list_assets(self, query: dict[str, Any]) -> dict[str, Any]:
        return self.request("GET", "assets", params=query)

    def get_asset(self, key: str) -> dict[str, Any]:
        return self.request("GET", f"assets/{_segment(key)}")

    def emit_event(self, event: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "events", json=event)


def _segment(value: str) -> str:
    """``value`` as one path segment (an id or a name holding ``/`` stays one)."""
    from urllib.parse import quote

    return quote(value, safe="")
