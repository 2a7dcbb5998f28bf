"""The current run's context (``get_run_context``) and the ``tags(...)`` block, Prefect-style."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from ..core.errors import MissingContextError
from ..engine.context import FlowRunContext, TaskRunContext, flow_run_var, tags_var, task_run_var

__all__ = ["get_run_context", "tags"]


def get_run_context() -> FlowRunContext | TaskRunContext:
    """The current task run's context, else the current flow run's; raises outside a run."""
    ctx = task_run_var.get() or flow_run_var.get()
    if ctx is None:
        raise MissingContextError("No run context available. You are not in a flow or task run context.")
    return ctx


@contextlib.contextmanager
def tags(*new_tags: str) -> Iterator[set[str]]:
    """Add ``new_tags`` to every flow and task run created inside the block (blocks nest);
    yields the tags now in force."""
    current = tags_var.get() | frozenset(new_tags)
    token = tags_var.set(current)
    try:
        yield set(current)
    finally:
        tags_var.reset(token)
