"""Runs without a deployment: ``orchestr-lab run NOTEBOOK`` records one of these.

Such a run is stored like a deployment's (so ``runs ls``, the sidebar and the API show it),
with the execution settings a deployment run carries (notebook or entrypoint, timeout,
retries) on the run itself.
"""

from __future__ import annotations

import time
from typing import Any

from ..core.states import Pending
from ..core.wire import FlowRunOp, StateOp

__all__ = ["create_adhoc_run"]


def create_adhoc_run(
    engine: Any,
    *,
    flow_name: str,
    parameters: dict[str, Any],
    name: str | None = None,
    notebook: str | None = None,
    entrypoint: str | None = None,
    timeout_seconds: float | None = None,
    max_retries: int = 0,
    retry_delay_seconds: float = 0.0,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    """Insert a PENDING flow run and return it as the store reads it back (plus its settings)."""
    from ..engine.ids import new_id
    from ..engine.parameters import generate_run_name
    from ..store.models import flow_runs
    from ..store.run_reads import get_flow_run
    from ..store.runs import write_batch

    run_id = new_id()
    settings = {
        "notebook": notebook,
        "entrypoint": entrypoint,
        "timeout_seconds": timeout_seconds,
        "max_retries": max_retries,
        "retry_delay_seconds": retry_delay_seconds,
    }
    row = {
        "id": run_id,
        "name": name or generate_run_name(),
        "flow_name": flow_name,
        "parameters": parameters,
        "tags": list(tags or ()),
        "parent_task_run_id": None,
        "deployment_id": None,
        "created": time.time(),
    }
    row.update({k: v for k, v in settings.items() if k in flow_runs.c})
    refused = write_batch(engine, [FlowRunOp(row), StateOp("flow", run_id, Pending(), {})])
    if refused:
        from ..core.errors import StoreError

        raise StoreError(f"Could not create the run: {refused[0]}")
    run = get_flow_run(engine, run_id)
    assert run is not None
    for key, value in settings.items():
        run.setdefault(key, value)
    return run
