"""``orchestr_lab.runtime``: facts about the run that is executing right now.

Attributes read the current context when accessed, so ``runtime.flow_run.id`` is always the
current run's id, or None outside a run. A deployment's facts come from the environment the
worker sets (``ORCHESTR_LAB_DEPLOYMENT_ID`` etc.), since a notebook kernel has no flow context.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
from typing import Any

from ..core import settings
from ..engine.context import flow_run_var, task_run_var

__all__ = ["attributes", "deployment", "flow_run", "task_run"]


def attributes(obj: object) -> list[str]:
    """The names ``obj`` answers (its class's public properties), for ``__all__``/``dir()``."""
    return sorted(n for n, v in vars(type(obj)).items() if isinstance(v, property))


def _env_json(name: str) -> Any:
    raw = os.environ.get(name)
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


class _FlowRun:
    """The current flow run: ``id``, ``name``, ``flow_name``, ``parameters``, ``run_count``..."""

    @property
    def id(self) -> str | None:
        ctx = flow_run_var.get()
        return ctx.id if ctx else os.environ.get(settings.ENV_FLOW_RUN_ID)

    @property
    def name(self) -> str | None:
        ctx = flow_run_var.get()
        return ctx.name if ctx else os.environ.get(settings.ENV_FLOW_RUN_NAME)

    @property
    def flow_name(self) -> str | None:
        ctx = flow_run_var.get()
        return ctx.flow_name if ctx else os.environ.get(settings.ENV_FLOW_NAME)

    @property
    def parameters(self) -> dict[str, Any]:
        ctx = flow_run_var.get()
        if ctx:
            return dict(ctx.parameters)
        return _env_json(settings.ENV_FLOW_RUN_PARAMETERS) or {}

    @property
    def run_count(self) -> int:
        ctx = flow_run_var.get()
        if ctx:
            return ctx.run_count
        raw = os.environ.get(settings.ENV_FLOW_RUN_COUNT, "")
        return int(raw) if raw.isdigit() else 0

    @property
    def scheduled_start_time(self) -> _dt.datetime:
        ctx = flow_run_var.get()
        when = ctx.scheduled_start_time or ctx.start_time if ctx else None
        if when is None:
            raw = os.environ.get(settings.ENV_SCHEDULED_START_TIME)
            if raw:
                return _dt.datetime.fromisoformat(raw)
            return _dt.datetime.now(_dt.timezone.utc)
        return _dt.datetime.fromtimestamp(when, _dt.timezone.utc)

    @property
    def tags(self) -> list[str]:
        ctx = flow_run_var.get()
        return sorted(ctx.tags) if ctx else []

    @property
    def flow_version(self) -> str | None:
        ctx = flow_run_var.get()
        return getattr(ctx.flow, "version", None) if ctx else None

    @property
    def root_flow_run_id(self) -> str | None:
        ctx = flow_run_var.get()
        while ctx is not None and ctx.parent is not None:
            ctx = ctx.parent
        return ctx.id if ctx else os.environ.get(settings.ENV_FLOW_RUN_ID)

    @property
    def parent_flow_run_id(self) -> str | None:
        ctx = flow_run_var.get()
        return ctx.parent.id if ctx and ctx.parent else None

    def __repr__(self) -> str:
        return f"<runtime.flow_run id={self.id!r} name={self.name!r}>"


class _TaskRun:
    """The current task run: ``id``, ``name``, ``task_name``, ``parameters``, ``run_count``."""

    @property
    def id(self) -> str | None:
        ctx = task_run_var.get()
        return ctx.id if ctx else None

    @property
    def name(self) -> str | None:
        ctx = task_run_var.get()
        return ctx.name if ctx else None

    @property
    def task_name(self) -> str | None:
        ctx = task_run_var.get()
        return ctx.task_name if ctx else None

    @property
    def parameters(self) -> dict[str, Any]:
        ctx = task_run_var.get()
        return dict(ctx.parameters) if ctx else {}

    @property
    def run_count(self) -> int:
        ctx = task_run_var.get()
        return ctx.run_count if ctx else 0

    @property
    def tags(self) -> list[str]:
        ctx = task_run_var.get()
        return sorted(ctx.tags) if ctx else []

    def __repr__(self) -> str:
        return f"<runtime.task_run id={self.id!r} name={self.name!r}>"


class _Deployment:
    """The deployment the current run belongs to (None outside deployments)."""

    @property
    def id(self) -> str | None:
        ctx = flow_run_var.get()
        if ctx and ctx.deployment:
            return ctx.deployment.get("id")
        return os.environ.get(settings.ENV_DEPLOYMENT_ID)

    @property
    def name(self) -> str | None:
        ctx = flow_run_var.get()
        if ctx and ctx.deployment:
            return ctx.deployment.get("name")
        return os.environ.get(settings.ENV_DEPLOYMENT_NAME)

    @property
    def parameters(self) -> dict[str, Any]:
        ctx = flow_run_var.get()
        if ctx and ctx.deployment:
            return dict(ctx.deployment.get("parameters") or {})
        return _env_json(settings.ENV_DEPLOYMENT_PARAMETERS) or {}

    def __repr__(self) -> str:
        return f"<runtime.deployment id={self.id!r} name={self.name!r}>"


flow_run = _FlowRun()
task_run = _TaskRun()
deployment = _Deployment()
