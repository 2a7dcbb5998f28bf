"""Background task runs: ``Task.delay()`` creates one, a task worker claims and finishes it,
and the caller's future reads it until it is final."""

from __future__ import annotations

import json
from typing import Any

from ..core.errors import NotFound, found
from ..core.schemas_client import (
    MAX_RESULT_BYTES,
    BackgroundTaskClaim,
    BackgroundTaskCreate,
    BackgroundTaskFinish,
)
from . import Context, field_error

__all__ = [
    "claim_background_task",
    "create_background_task",
    "finish_background_task",
    "get_background_task",
]


def _checked_id(run_id: str) -> str:
    from ..core.ids import is_run_id

    if not is_run_id(run_id):
        raise NotFound(f"No background task run with id {run_id!r} (run ids are UUIDs)")
    return run_id


def create_background_task(ctx: Context, *, body: BackgroundTaskCreate) -> dict[str, Any]:
    from ..store.background_tasks import create_background_task as create

    return create(ctx.engine, task_key=body.task_key, name=body.name, parameters=body.parameters, tags=body.tags)


def get_background_task(ctx: Context, *, task_run_id: str) -> dict[str, Any]:
    from ..store.background_tasks import get_background_task as read

    return found(read(ctx.engine, _checked_id(task_run_id)), f"No background task run with id {task_run_id!r}")


def claim_background_task(ctx: Context, *, body: BackgroundTaskClaim) -> dict[str, Any]:
    """The oldest SCHEDULED run of the worker's task keys, now RUNNING (``run`` null when none waits)."""
    from ..store.background_tasks import claim_background_task as claim

    return {"run": claim(ctx.engine, task_keys=list(body.task_keys), worker_name=body.name)}


def finish_background_task(ctx: Context, *, task_run_id: str, body: BackgroundTaskFinish) -> dict[str, Any]:
    """A claimed run's end; a result over :data:`MAX_RESULT_BYTES` of JSON is refused (422)."""
    from ..store.background_tasks import finish_background_task as finish

    if body.result is not None and len(json.dumps(body.result)) > MAX_RESULT_BYTES:
        raise field_error("result", f"the result is larger than {MAX_RESULT_BYTES} bytes of JSON", None)
    s = body.state
    return finish(
        ctx.engine,
        _checked_id(task_run_id),
        state_type=s.type.value,
        state_name=s.name or s.type.value.capitalize(),
        message=s.message,
        result=body.result,
    )
