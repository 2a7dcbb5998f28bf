"""``get_run_logger()``: a logger whose lines are stored with the current run."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator

from ..core.errors import MissingContextError
from ..engine.context import flow_run_var, task_run_var
from ..engine.run_logging import ROOT, logger_for

__all__ = ["disable_run_logger", "get_logger", "get_run_logger"]


def get_run_logger() -> logging.LoggerAdapter:
    """The current task run's logger, else the current flow run's; raises outside a run, except
    inside ``disable_run_logger()`` (a test calling a task's ``.fn``), where it is a silent one."""
    ctx = task_run_var.get() or flow_run_var.get()
    if ctx is None:
        if _run_loggers_disabled():
            silent = logging.getLogger(f"{ROOT}.null")
            silent.disabled = True
            return logging.LoggerAdapter(silent, {})
        raise MissingContextError("There is no active flow or task run context.")
    return logger_for(ctx)


def get_logger(name: str | None = None) -> logging.Logger:
    """The ``orchestr_lab`` logger, or its child ``name`` (a full ``orchestr_lab.x`` name is kept)."""
    root = logging.getLogger(ROOT)
    if not name:
        return root
    return logging.getLogger(name) if name.startswith(f"{ROOT}.") else root.getChild(name)


def _run_loggers() -> list[logging.Logger]:
    return [logging.getLogger(f"{ROOT}.flow_runs"), logging.getLogger(f"{ROOT}.task_runs")]


def _run_loggers_disabled() -> bool:
    return all(lg.disabled for lg in _run_loggers())


@contextlib.contextmanager
def disable_run_logger() -> Iterator[None]:
    """Silence the run loggers inside the block (lines are neither shown nor stored), e.g. to
    call a task's ``.fn`` in a unit test; their previous state comes back on exit."""
    loggers = _run_loggers()
    before = [lg.disabled for lg in loggers]
    for lg in loggers:
        lg.disabled = True
    try:
        yield
    finally:
        for lg, was in zip(loggers, before, strict=True):
            lg.disabled = was
