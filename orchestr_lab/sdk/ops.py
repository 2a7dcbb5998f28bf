"""Deployments and runs for the notebook's ``%orchestr`` magic and widgets.

It goes through the sdk's client (``sdk/client.py``, which the CLI uses too): without
``ORCHESTR_LAB_API_URL`` it calls the very functions the REST handlers call
(``orchestr_lab.actions``) on the local store; with it, it speaks HTTP to that server (token
from ``ORCHESTR_LAB_API_TOKEN``). Deployments are built by ``sdk/specs.py`` as
``orchestr-lab deploy`` builds them. So ``%orchestr schedule``, ``orchestr-lab deploy`` and
``POST /deployments`` check and store the same things. Every error a user can fix comes out as
:class:`OpsError` with a one-line message.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..core.errors import OrchestrLabError
from .specs import json_or_text

__all__ = ["Ops", "OpsError", "parse_parameters"]


class OpsError(OrchestrLabError):
    """Something the user can fix (unknown deployment, bad schedule, ...): one line."""


def parse_parameters(pairs: list[str] | None) -> list[tuple[str, str]]:
    """``["days=3", "city=Lyon"]`` -> ``[("days", "3"), ("city", "Lyon")]``."""
    out = []
    for pair in pairs or []:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise OpsError(f"parameter {pair!r} is not NAME=VALUE")
        out.append((name.strip(), value))
    return out


class Ops:
    """The store (or a server) as the magics see it; methods return API-shaped dicts."""

    def __init__(self, *, root: str | os.PathLike[str] | None = None) -> None:
        from .client import ENV_API_TOKEN, ENV_API_URL, ENV_ROOT, connect

        root = root or os.environ.get(ENV_ROOT) or os.getcwd()
        self.backend = self._call(
            connect, api_url=os.environ.get(ENV_API_URL), token=os.environ.get(ENV_API_TOKEN), root=str(root)
        )
        self.root = Path(root).resolve()

    @staticmethod
    def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
        from pydantic import ValidationError

        from ..core.validation import validation_text
        from .client import ClientError

        try:
            return fn(*args, **kwargs)
        except ClientError as exc:  # worded for the user already: kept whole
            raise OpsError(str(exc)) from None
        except ValidationError as exc:
            raise OpsError(validation_text(exc)) from None
        except OrchestrLabError as exc:
            lines = str(exc).strip().splitlines()
            raise OpsError(lines[0] if lines else type(exc).__name__) from None

    @property
    def remote(self) -> bool:
        return self.backend.is_remote()

    # -- deployments ------------------------------------------------------------------
    def deployments(self) -> list[dict[str, Any]]:
        return self._call(self.backend.list_deployments)

    def deployment(self, name: str) -> dict[str, Any]:
        dep = self._call(self.backend.get_deployment, name)
        if dep is None:
            raise OpsError(f"no deployment named {name!r}")
        return dep

    def schedule(
        self,
        target: str,
        *,
        name: str | None = None,
        cron: str | None = None,
        interval: float | None = None,
        timezone: str = "UTC",
        parameters: Sequence[tuple[str, str]] = (),
        queue: str = "default",
        retries: int = 0,
        timeout: float | None = None,
    ) -> tuple[dict[str, Any], str]:
        """Create or update a deployment of ``target`` as ``orchestr-lab deploy`` does; (deployment, verb)."""
        from .specs import check_same_target, deploy_target, schedule_specs, typed_values

        backend = self.backend
        field, path = self._call(deploy_target, backend, target)
        if field == "notebook" and not backend.is_remote() and not Path(path).is_file():
            raise OpsError(f"no notebook {target!r} (paths are relative to {os.getcwd()})")
        name = name or Path(target.partition(":")[0]).stem
        specs = self._call(backend.notebook_parameters, path) if field == "notebook" else None
        settings: dict[str, Any] = {
            "parameters": typed_values(tuple(parameters), specs),
            "schedules": self._call(schedule_specs, cron, timezone, interval),
            "work_queue": queue,
            "retries": retries,
            "timeout_seconds": timeout,
        }
        existing = self._call(backend.get_deployment, name)
        if existing is None:
            return self._call(backend.create_deployment, {"name": name, field: path, **settings}), "created"
        self._call(check_same_target, existing, field, path, backend)
        return self._call(backend.update_deployment, existing["id"], settings), "updated"

    def run(self, name: str, parameters: Sequence[tuple[str, str]] = ()) -> dict[str, Any]:
        """Run a deployment now (parameters override its defaults); the new run."""
        values = {k: json_or_text(v) for k, v in parameters}
        dep = self.deployment(name)
        if dep.get("notebook"):  # typed notebook parameters: send text, the server coerces it
            specs = {
                p["name"]: p.get("type") for p in self._call(self.backend.notebook_parameters, dep["notebook"]) or []
            }
            values = {k: (v if specs.get(k) not in (None, "None") else json_or_text(v)) for k, v in parameters}
        return self._call(self.backend.run_deployment, dep["id"], values)

    # -- runs ---------------------------------------------------------------------------
    def runs(
        self,
        *,
        deployment: str | None = None,
        flow_name: str | None = None,
        state: list[str] | None = None,
        limit: int = 10,
    ) -> dict[str, Any]:
        query: dict[str, Any] = {"limit": limit}
        if deployment:
            query["deployment_id"] = self.deployment(deployment)["id"]
        if flow_name:
            query["flow_name"] = flow_name
        if state:
            query["state"] = state
        return self._call(self.backend.list_runs, query)

    def get_run(self, run_id: str) -> dict[str, Any]:
        return self._call(self.backend.get_run, run_id)

    def task_runs(self, run_id: str) -> list[dict[str, Any]]:
        return self._call(self.backend.task_runs, run_id)

    def recorded(self, run_id: str) -> list[dict[str, Any]]:
        return self._call(self.backend.recorded, run_id)

    def artifacts(self, run_id: str) -> list[dict[str, Any]]:
        """The run's artifacts, oldest first (its latest 200)."""
        page = self._call(self.backend.list_artifacts, {"flow_run_id": run_id, "limit": 200})
        return list(reversed(page["items"]))
