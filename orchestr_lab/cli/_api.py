"""Where ``deploy`` and ``deployments`` act: the local store, or a server's REST API.

Without ``--api`` the commands call the same functions the REST handlers call
(``server_ext.actions``) on the local store, so both paths check and store exactly the same
things. With ``--api URL`` (or ``ORCHESTR_LAB_API_URL``) they speak HTTP to that server with
``Authorization: token T``. Both backends raise :class:`UserError` with the server's wording.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable, TypeVar

import click

from ..core import settings

from ._root import CliState, UserError

__all__ = ["Backend", "HttpBackend", "LocalBackend", "api_options", "backend_from"]

ENV_API_URL = "ORCHESTR_LAB_API_URL"
ENV_API_TOKEN = "ORCHESTR_LAB_API_TOKEN"
ENV_ROOT = settings.ENV_ROOT_DIR

F = TypeVar("F", bound=Callable[..., Any])


def api_options(fn: F) -> F:
    """``--api``, ``--token`` and ``--root``, shared by the commands that can go either way."""
    fn = click.option("--root", type=click.Path(file_okay=False, exists=True), envvar=ENV_ROOT,
                      help="Notebook root (paths are stored relative to it) when using the local store "
                           "[env: ORCHESTR_LAB_ROOT_DIR; default: the current directory]. Use the "
                           "Jupyter server's root so its worker finds the notebooks.")(fn)
    fn = click.option("--token", envvar=ENV_API_TOKEN, metavar="TOKEN",
                      help="Token for --api [env: ORCHESTR_LAB_API_TOKEN].")(fn)
    fn = click.option("--api", "api_url", envvar=ENV_API_URL, metavar="URL",
                      help="Talk to the server at URL (its base URL, e.g. http://host:8888/) instead of "
                           "the local store [env: ORCHESTR_LAB_API_URL].")(fn)
    return fn


def backend_from(state: CliState, api_url: str | None, token: str | None, root: str | None) -> Backend:
    if api_url:
        return HttpBackend(api_url, token)
    return LocalBackend(state, Path(root or os.getcwd()))


def _validation_text(exc: Any) -> str:
    parts = []
    for err in exc.errors(include_url=False)[:3]:
        where = ".".join(str(p) for p in err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "invalid " + "; ".join(parts)


class Backend:
    """What the commands need; every method returns API-shaped dicts."""

    def is_remote(self) -> bool:
        return False

    def notebook_parameters(self, path: str) -> list[dict[str, Any]] | None:
        raise NotImplementedError

    def get_deployment(self, name: str) -> dict[str, Any] | None:
        raise NotImplementedError

    def create_deployment(self, spec: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def update_deployment(self, deployment_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def list_deployments(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def run_deployment(self, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def get_run(self, run_id: str) -> dict[str, Any]:
        raise NotImplementedError

    def logs(self, run_id: str, after: int | None) -> list[dict[str, Any]]:
        raise NotImplementedError


class LocalBackend(Backend):
    """The local store, through ``server_ext.actions`` (the REST handlers' own functions)."""

    def __init__(self, state: CliState, root: Path) -> None:
        from ..server_ext.actions import Context

        self.root = root.resolve()
        self.ctx = Context(engine=state.engine(), root_dir=self.root)

    def _call(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        from pydantic import ValidationError

        try:
            return fn(self.ctx, **kwargs)
        except ValidationError as exc:
            raise UserError(_validation_text(exc)) from None

    def notebook_parameters(self, path: str) -> list[dict[str, Any]] | None:
        from ..server_ext.paths import resolve_under_root
        from ..workers.parameters import inspect_parameters

        notebook = resolve_under_root(self.root, path)  # PathOutsideRoot before anything is read
        if notebook.suffix != ".ipynb":
            return None
        try:
            return inspect_parameters(notebook)
        except (OSError, ValueError):
            return None  # deploy reports the problem with the field's name

    def get_deployment(self, name: str) -> dict[str, Any] | None:
        from ..core.errors import NotFound
        from ..server_ext.actions.deployments import get_deployment

        try:
            return get_deployment(self.ctx, deployment_id=name)
        except NotFound:
            return None

    def create_deployment(self, spec: dict[str, Any]) -> dict[str, Any]:
        from ..core.schemas import DeploymentCreate
        from ..server_ext.actions.deployments import create_deployment

        return self._call(lambda ctx: create_deployment(ctx, body=DeploymentCreate.model_validate(spec)))

    def update_deployment(self, deployment_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        from ..core.schemas import DeploymentUpdate
        from ..server_ext.actions.deployments import update_deployment

        return self._call(lambda ctx: update_deployment(
            ctx, deployment_id=deployment_id, body=DeploymentUpdate.model_validate(changes)))

    def list_deployments(self) -> list[dict[str, Any]]:
        from ..server_ext.actions.deployments import list_deployments

        return list_deployments(self.ctx)

    def run_deployment(self, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
        from ..core.schemas import FlowRunCreate
        from ..server_ext.actions.deployments import run_deployment

        return self._call(lambda ctx: run_deployment(
            ctx, deployment_id=name, body=FlowRunCreate(parameters=parameters)))

    def get_run(self, run_id: str) -> dict[str, Any]:
        from ..server_ext.actions.runs import get_flow_run

        return get_flow_run(self.ctx, flow_run_id=run_id)

    def logs(self, run_id: str, after: int | None) -> list[dict[str, Any]]:
        from ..store.run_logs import get_logs

        return get_logs(self.ctx.engine, run_id, after_id=after)


class HttpBackend(Backend):
    """A server's REST API (``<URL>/orchestr-lab/api/``), authenticated with its token."""

    def __init__(self, url: str, token: str | None) -> None:
        import httpx

        self.url = url.rstrip("/") + "/orchestr-lab/api/"
        headers = {"Authorization": f"token {token}"} if token else {}
        self.client = httpx.Client(base_url=self.url, headers=headers, timeout=30.0)

    def is_remote(self) -> bool:
        return True

    def _request(self, method: str, path: str, *, missing_ok: bool = False, **kwargs: Any) -> Any:
        import httpx

        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise UserError(f"cannot reach the orchestr-lab API at {self.url}: {exc}") from None
        if missing_ok and response.status_code == 404:
            return None
        if response.status_code >= 400:
            try:
                message = response.json().get("error")
            except ValueError:
                message = None
            text = f"{message or response.reason_phrase} (HTTP {response.status_code})"
            if response.status_code in (401, 403):
                text += "; pass the server's token with --token or ORCHESTR_LAB_API_TOKEN"
            raise UserError(text)
        return response.json() if response.content else None

    def notebook_parameters(self, path: str) -> list[dict[str, Any]] | None:
        answer = self._request("GET", "notebooks/parameters", params={"path": path}, missing_ok=True)
        return None if answer is None else answer["parameters"]

    def get_deployment(self, name: str) -> dict[str, Any] | None:
        from urllib.parse import quote

        return self._request("GET", f"deployments/{quote(name, safe='')}", missing_ok=True)

    def create_deployment(self, spec: dict[str, Any]) -> dict[str, Any]:
        return self._request("POST", "deployments", json=spec)

    def update_deployment(self, deployment_id: str, changes: dict[str, Any]) -> dict[str, Any]:
        return self._request("PATCH", f"deployments/{deployment_id}", json=changes)

    def list_deployments(self) -> list[dict[str, Any]]:
        return self._request("GET", "deployments")

    def run_deployment(self, name: str, parameters: dict[str, Any]) -> dict[str, Any]:
        from urllib.parse import quote

        return self._request("POST", f"deployments/{quote(name, safe='')}/runs", json={"parameters": parameters})

    def get_run(self, run_id: str) -> dict[str, Any]:
        return self._request("GET", f"flow_runs/{run_id}")

    def logs(self, run_id: str, after: int | None) -> list[dict[str, Any]]:
        params = {} if after is None else {"after": after}
        return self._request("GET", f"flow_runs/{run_id}/logs", params=params)
