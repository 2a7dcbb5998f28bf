"""``get_run_logger()``: a logger whose lines are stored with the current run."""

from __future__ import annotations

import logging

from ..core.errors import MissingContextError
from ..engine.context import flow_run_var, task_run_var
from ..engine.run_logging import logger_for

__all__ = ["get_run_logger"]


def get_run_logger() -> logging.LoggerAdapter:
    """The current task run's logger, else the current flow run's; raises outside a run."""
    ctx = task_run_var.get() or flow_run_var.get()
    if ctx is None:
        raise MissingContextError("There is no active flow or task run context.")
    return logger_for(ctx)
