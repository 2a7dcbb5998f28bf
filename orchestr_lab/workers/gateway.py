"""Everything a worker and its children do with the store, behind one small interface.

:class:`LocalGateway` calls the store's functions on a database the worker reaches directly
(same machine: today's path, no added cost). :class:`ApiGateway` does the same over the REST
API of an ``orchestr-lab server`` or ``jupyter lab`` (``POST /workers/claim``, ``/workers/heartbeat``,
``/flow_runs/{id}/set_state``, ``/finish``, ...), for workers on other machines. Which one is
chosen by the store location the worker was given (:func:`gateway_for`): a database URL or a
server's ``http(s)://`` base URL.

Errors are the store's own either way (:class:`IllegalTransition` for a refused move,
:class:`NotFound`), so the worker's logic does not care where the store is.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ..core.errors import PathOutsideRoot
from ..core.states import State
from .paths import resolve_under_root

__all__ = ["ApiGateway", "LocalGateway", "gateway_for"]


def gateway_for(url: str | None) -> LocalGateway | ApiGateway:
    """The gateway for a store location (None: the configured database)."""
    from ..engine.api_client import is_api_url

    return ApiGateway(url) if is_api_url(url) else LocalGateway(url)  # type: ignore[arg-type]


class LocalGateway:
    """The store itself (SQLAlchemy URL)."""

    remote = False

    def __init__(self, url: str | None) -> None:
        self.url = url
        self._engine: Any = None

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from ..store.database import get_engine

            self._engine = get_engine(self.url)
        return self._engine

    def claim(self, *, worker_name: str, worker_type: str, queues: list[str]) -> dict[str, Any] | None:
        from ..store.claims import claim_next_run

        return claim_next_run(self.engine, worker_name=worker_name, worker_type=worker_type, queues=queues)

    def heartbeat(self, run_ids: list[str], *, worker_name: str, worker_type: str, queues: list[str]) -> list[str]:
        """The worker is alive and so are ``run_ids``; returns the runs to stop."""
        from ..store.deployment_runs import heartbeat_runs
        from ..store.workers import worker_heartbeat

        worker_heartbeat(self.engine, name=worker_name, type=worker_type, queues=queues)
        return heartbeat_runs(self.engine, run_ids, worker_name=worker_name)

    def get_flow_run(self, run_id: str) -> dict[str, Any] | None:
        from ..store.run_reads import get_flow_run

        return get_flow_run(self.engine, run_id)

    def list_task_runs(self, run_id: str) -> list[dict[str, Any]]:
        from ..store.run_reads import list_task_runs

        return list_task_runs(self.engine, run_id)

    def set_state(self, kind: str, run_id: str, state: State, *, fields: dict[str, Any] | None = None) -> None:
        from ..store.runs import set_state

        set_state(self.engine, kind, run_id, state, fields=fields)

    def finish_attempt(self, run_id: str, state: State) -> dict[str, Any]:
        from ..store.deployment_runs import finish_attempt

        return finish_attempt(self.engine, run_id, state)

    def get_deployment(self, deployment_id: str) -> dict[str, Any] | None:
        from ..store.deployments import get_deployment

        return get_deployment(self.engine, deployment_id)

    def get_work_pool(self, name: str) -> dict[str, Any] | None:
        """The pool ``worker --pool`` serves: its type, queues and base job variables."""
        from ..store.work_pools import get_pool

        return get_pool(self.engine, name)

    def notebook_path(
        self, run: dict[str, Any], root_dir: str | os.PathLike[str] | None, work_dir: str | os.PathLike[str]
    ) -> Path:
        """The run's notebook, resolved under ``root_dir`` right before it runs.

        Checked now, not only when deployed: the file may have been replaced by a symlink to
        one outside the root since (:class:`PathOutsideRoot`). Without a root (a CLI run of
        a notebook the user named on their own machine) the path is taken as given.
        """
        if root_dir is None:
            notebook = Path(run["notebook"])
            return notebook if notebook.is_absolute() else Path(os.getcwd()) / notebook
        return resolve_under_root(root_dir, run["notebook"])

    def entrypoint_for(
        self, run: dict[str, Any], root_dir: str | os.PathLike[str] | None, work_dir: str | os.PathLike[str]
    ) -> str:
        """The run's entrypoint with its file resolved under ``root_dir`` (see :meth:`notebook_path`)."""
        from .entrypoints import split_entrypoint

        if root_dir is None:
            return str(run["entrypoint"])
        path_text, name = split_entrypoint(str(run["entrypoint"]))
        return f"{resolve_under_root(root_dir, path_text)}:{name}"

    def save_output(self, run_id: str, path: Path) -> None:
        """The executed notebook is already where the server reads it."""

    def follow_output(self, run_id: str, path: Path) -> Any:
        """Nothing to do: the server reads the notebook papermill saves as cells run."""
        return _NoFollow()


class ApiGateway:
    """A server's REST API (``http(s)://host:port/``); the token from ``ORCHESTR_LAB_API_TOKEN``.

    Writes that must not be lost (a run's end, its state moves, the executed notebook) are
    retried with backoff for the client's whole budget while the server is unreachable; claims
    and heartbeats give up sooner (``quick``), since the worker's loop tries them again anyway
    (a claim is repeated only when it surely did not reach the server: see ``engine/api_client.py``).
    """

    remote = True

    def __init__(self, url: str, *, quick: float = 3.0) -> None:
        from ..engine.api_client import api_client

        self.url = url
        self.api = api_client(url)
        self.quick = quick

    def check(self) -> None:
        """Fail now, with the server's reason, when it is unreachable or refuses the token."""
        self.api.request("GET", "health", retry_for=0)

    def claim(self, *, worker_name: str, worker_type: str, queues: list[str]) -> dict[str, Any] | None:
        # Not repeated once the server may have acted: a second claim would take a second run.
        body = {"name": worker_name, "type": worker_type, "queues": queues}
        return self.api.request("POST", "workers/claim", json=body, retry_for=self.quick)["run"]

    def heartbeat(self, run_ids: list[str], *, worker_name: str, worker_type: str, queues: list[str]) -> list[str]:
        body = {"name": worker_name, "type": worker_type, "queues": queues, "runs": run_ids}
        return list(
            self.api.request("POST", "workers/heartbeat", json=body, idempotent=True, retry_for=self.quick)["stop"]
        )

    def get_flow_run(self, run_id: str) -> dict[str, Any] | None:
        return self.api.request("GET", f"flow_runs/{run_id}", missing_ok=True, retry_for=self.quick)

    def list_task_runs(self, run_id: str) -> list[dict[str, Any]]:
        return self.api.request("GET", f"flow_runs/{run_id}/task_runs")

    def set_state(self, kind: str, run_id: str, state: State, *, fields: dict[str, Any] | None = None) -> None:
        from ..core.wire import state_to_dict

        path = f"{'flow_runs' if kind == 'flow' else 'task_runs'}/{run_id}/set_state"
        self._write("POST", path, {"state": state_to_dict(state), "fields": dict(fields or {})})

    def finish_attempt(self, run_id: str, state: State) -> dict[str, Any]:
        from ..core.wire import state_to_dict

        return self._write("POST", f"flow_runs/{run_id}/finish", {"state": state_to_dict(state)})

    def get_deployment(self, deployment_id: str) -> dict[str, Any] | None:
        return self.api.request("GET", f"deployments/{deployment_id}", missing_ok=True)

    def get_work_pool(self, name: str) -> dict[str, Any] | None:
        from urllib.parse import quote

        return self.api.request("GET", f"work_pools/{quote(name, safe='')}", missing_ok=True)

    def notebook_path(
        self, run: dict[str, Any], root_dir: str | os.PathLike[str] | None, work_dir: str | os.PathLike[str]
    ) -> Path:
        """With a ``root_dir`` holding the notebook (a shared folder), that file; otherwise the
        server's copy, downloaded into a folder of the run's own under ``work_dir``."""
        import json

        notebook = Path(run["notebook"])
        local = _under(root_dir, run["notebook"])
        if local is not None:
            return local
        content = self.api.request("GET", "notebooks/content", params={"path": run["notebook"]})
        target = Path(work_dir) / run["id"] / notebook.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(content), encoding="utf-8")
        return target

    def entrypoint_for(
        self, run: dict[str, Any], root_dir: str | os.PathLike[str] | None, work_dir: str | os.PathLike[str]
    ) -> str:
        """With a ``root_dir`` holding the flow file (a shared folder), the entrypoint as is;
        otherwise the server's copy of the file, downloaded into a folder of the run's own under
        ``work_dir``, as ``/that/file.py:flow``. Only that file comes: modules it imports must be
        installed here or reachable through ``root_dir``. Either way the file is under a root:
        this worker's (checked here) or the server's (checked there)."""
        from .entrypoints import split_entrypoint

        path_text, name = split_entrypoint(str(run["entrypoint"]))
        path = Path(path_text)
        local = _under(root_dir, path_text)
        if local is not None:
            return f"{local}:{name}"
        answer = self.api.request("GET", "entrypoints/source", params={"path": path_text})
        target = Path(work_dir) / run["id"] / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(answer["source"], encoding="utf-8")
        return f"{target}:{name}"

    def save_output(self, run_id: str, path: Path) -> None:
        """Upload the executed notebook (the server keeps it in its results folder)."""
        import json

        try:
            content = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return  # papermill saved nothing readable (the run failed before its first cell)
        self._write("PUT", f"flow_runs/{run_id}/notebook", content)

    def follow_output(self, run_id: str, path: Path, *, every: float = 1.0) -> _OutputFollower:
        """Upload the notebook papermill saves as cells run, while the run lasts (a live view
        on the server shows progress); :meth:`save_output` uploads the final one."""
        return _OutputFollower(self, run_id, path, every)

    def _write(self, method: str, path: str, body: Any) -> Any:
        """A write that must not be lost, so repeated until it lands: a state move or an
        attempt's end sent again after it landed is refused by the rule book (409) or lands on
        the same state again; a notebook upload replaces the same file."""
        from ..core.errors import IllegalTransition
        from ..engine.api_client import ApiError, core_error

        try:
            return self.api.request(method, path, json=body, idempotent=True)
        except ApiError as exc:
            raise core_error(exc, conflict=IllegalTransition) from None


def _under(root_dir: str | os.PathLike[str] | None, path: str) -> Path | None:
    """``path``'s file under this worker's ``root_dir``; None when there is none (or it leads
    outside): then the server's copy is used, which the server checks against its own root."""
    if root_dir is None:
        return None
    try:
        local = resolve_under_root(root_dir, path)
    except PathOutsideRoot:
        return None
    return local if local.is_file() else None


class _NoFollow:
    def stop(self) -> None:
        pass


class _OutputFollower:
    """A thread that uploads the output notebook whenever papermill has saved it anew."""

    def __init__(self, gateway: ApiGateway, run_id: str, path: Path, every: float) -> None:
        import threading

        self.gateway, self.run_id, self.path, self.every = gateway, run_id, path, every
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="orchestr-lab-output", daemon=True)
        self._thread.start()

    def _loop(self) -> None:
        import json
        import logging

        seen = None
        while not self._stopped.wait(self.every):
            try:
                stamp = self.path.stat().st_mtime_ns
                if stamp == seen:
                    continue
                content = json.loads(self.path.read_text(encoding="utf-8"))
                self.gateway.api.request(
                    "PUT", f"flow_runs/{self.run_id}/notebook", json=content, retry_for=self.gateway.quick
                )
                seen = stamp
            except Exception as exc:  # not saved yet, half written, or the server away: next time
                logging.getLogger("orchestr_lab.workers").debug("live output upload skipped: %s", exc)

    def stop(self) -> None:
        self._stopped.set()
        self._thread.join(self.every + self.gateway.quick + 1)
