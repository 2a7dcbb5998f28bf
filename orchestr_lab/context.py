"""Prefect-style import path for run contexts: ``from orchestr_lab.context import get_run_context``.

``FlowRunContext.get()`` / ``TaskRunContext.get()`` give the current one or None; a context's
``flow_run`` / ``task_run``, ``flow`` / ``task``, ``parameters``, ``tags`` and ``log_prints`` read
as in Prefect.
"""

from .engine.context import FlowRunContext, TaskRunContext
from .sdk.contexts import get_run_context, tags

__all__ = ["FlowRunContext", "TaskRunContext", "get_run_context", "tags"]
