"""``record(name, value)``: a named output of the current run, shown in widgets and the sidebar.

Values that JSON can hold are stored as they are (so downstream deployments can take them as
parameters) when their JSON fits ``max_cell_output_bytes``; anything else is stored as a short
repr. In a notebook executed as a run, whose kernel has no flow context, ``record()`` writes to
the run named by ``ORCHESTR_LAB_FLOW_RUN_ID``.
"""

from __future__ import annotations

import json
import os
import time
from typing import Any

from ..core import settings
from ..core.errors import MissingContextError
from ..core.settings import max_cell_output_bytes
from ..core.wire import RecordOp
from ..engine.context import flow_run_var, task_run_var
from ..engine.observers import LISTENERS, notify_record

__all__ = ["record"]

_REPR_LIMIT = 2000


def record(name: str, value: Any) -> Any:
    """Record ``value`` under ``name`` for the current run, and return it unchanged."""
    if not isinstance(name, str) or not name:
        raise ValueError("record() needs a non-empty name")
    task_ctx = task_run_var.get()
    flow_ctx = flow_run_var.get()
    env_run_id = None
    if task_ctx is None and flow_ctx is None:
        # A notebook executed as a run (by a worker or `orchestr-lab run`) has no flow context
        # in its kernel; the runner puts the run's id in the kernel's environment instead.
        env_run_id = os.environ.get(settings.ENV_FLOW_RUN_ID)
        if not env_run_id:
            raise MissingContextError("record() was called outside a flow or task run; call it inside a @flow or @task")
    try:
        # Kept as JSON only when it fits the output cap: a 50 MB value is a repr, not a 50 MB row.
        stored = value if len(json.dumps(value, allow_nan=False)) <= max_cell_output_bytes() else None
    except (TypeError, ValueError):
        stored = None
    text = repr(value)
    if len(text) > _REPR_LIMIT:
        text = text[: _REPR_LIMIT - 3] + "..."
    if env_run_id is not None:
        _record_to_env_run(env_run_id, name, stored, text)
        return value
    recorder = (task_ctx or flow_ctx).recorder  # type: ignore[union-attr]
    flow_run_id = (task_ctx.flow_run.id if task_ctx.flow_run else None) if task_ctx else flow_ctx.id  # type: ignore[union-attr]
    task_run_id = task_ctx.id if task_ctx else None
    if LISTENERS:  # a live run widget shows it
        notify_record(flow_run_id, task_run_id, name, text)
    recorder.put(
        RecordOp(
            {
                "flow_run_id": flow_run_id,
                "task_run_id": task_run_id,
                "name": name,
                "value": stored,
                "repr": text,
                "timestamp": time.time(),
            },
        )
    )
    return value


def _record_to_env_run(flow_run_id: str, name: str, stored: Any, text: str) -> None:
    """Write a kernel's record() to the run named in its environment, right away.

    Flushed at once (a record() in a notebook is rare) so that when the worker stores the
    run's final state, everything the notebook recorded is already there.
    """
    from ..engine.recorder import get_recorder

    recorder = get_recorder(os.environ.get(settings.ENV_DB_URL) or None)
    recorder.put(
        RecordOp(
            {
                "flow_run_id": flow_run_id,
                "task_run_id": None,
                "name": name,
                "value": stored,
                "repr": text,
                "timestamp": time.time(),
            },
        )
    )
    recorder.flush()
