"""``record(name, value)``: a named output of the current run, shown in widgets and the sidebar.

Values that JSON can hold are stored as they are (so downstream deployments can take them as
parameters); anything else is stored as a short repr.
"""

from __future__ import annotations

import json
import time
from typing import Any

from ..core.errors import MissingContextError
from ..engine.context import flow_run_var, task_run_var

__all__ = ["record"]

_REPR_LIMIT = 2000


def record(name: str, value: Any) -> Any:
    """Record ``value`` under ``name`` for the current run, and return it unchanged."""
    if not isinstance(name, str) or not name:
        raise ValueError("record() needs a non-empty name")
    task_ctx = task_run_var.get()
    flow_ctx = flow_run_var.get()
    if task_ctx is None and flow_ctx is None:
        raise MissingContextError(
            "record() was called outside a flow or task run; call it inside a @flow or @task"
        )
    try:
        json.dumps(value, allow_nan=False)
        stored = value
    except (TypeError, ValueError):
        stored = None
    text = repr(value)
    if len(text) > _REPR_LIMIT:
        text = text[: _REPR_LIMIT - 3] + "..."
    recorder = (task_ctx or flow_ctx).recorder  # type: ignore[union-attr]
    recorder.put(
        (
            "record",
            {
                "flow_run_id": (task_ctx.flow_run.id if task_ctx and task_ctx.flow_run else None)
                if task_ctx
                else flow_ctx.id,  # type: ignore[union-attr]
                "task_run_id": task_ctx.id if task_ctx else None,
                "name": name,
                "value": stored,
                "repr": text,
                "timestamp": time.time(),
            },
        )
    )
    return value
