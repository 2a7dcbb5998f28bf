"""Run loggers: log lines that belong to a flow or task run are stored with it.

``get_run_logger()`` returns an adapter that stamps records with the run's ids; one handler on
the ``orchestr_lab`` logger hands stamped records to the run's recorder. A console handler is
added the first time a run logs (never at import), unless the application configured its own.
``log_prints`` swaps ``builtins.print`` once for a wrapper that also stores the line.
"""

from __future__ import annotations

import builtins
import io
import logging
import sys
import threading
from typing import TYPE_CHECKING, Any

from ..core.output_cap import cap_text
from ..core.wire import LogOp
from .context import FlowRunContext, TaskRunContext, flow_run_var, task_run_var
from .observers import LISTENERS, notify_log

# Generic in the typeshed; subscriptable at run time only from Python 3.11.
if TYPE_CHECKING:
    _StreamHandler = logging.StreamHandler[Any]
    _LoggerAdapter = logging.LoggerAdapter[logging.Logger]
else:
    _StreamHandler = logging.StreamHandler
    _LoggerAdapter = logging.LoggerAdapter

__all__ = ["install_print_capture", "logger_for", "quiet_console", "setup_logging"]

ROOT = "orchestr_lab"
_setup_lock = threading.Lock()
_set_up = False
# Runs whose lines something else shows (a notebook's run widget): no console copy of them.
_quiet_runs: set[str] = set()


class _RunRecordHandler(logging.Handler):
    """Sends records that carry run ids to that run's recorder."""

    def emit(self, record: logging.LogRecord) -> None:
        recorder = getattr(record, "_ol_recorder", None)
        if recorder is None:
            return
        try:
            message = record.getMessage()
            if record.exc_info and record.exc_info[0] is not None:
                message = f"{message}\n{logging.Formatter().formatException(record.exc_info)}"
        except Exception:  # a bad %-format in user code must not break the run
            message = str(record.msg)
        cap = getattr(record, "_ol_cap", None)
        if cap is not None and len(message) > cap // 4:  # the hot path: one len() per line
            message = cap_text(message, cap)
        flow_run_id = getattr(record, "flow_run_id", None)
        task_run_id = getattr(record, "task_run_id", None)
        recorder.put(
            LogOp(
                {
                    "flow_run_id": flow_run_id,
                    "task_run_id": task_run_id,
                    "level": record.levelno,
                    "logger_name": record.name,
                    "message": message,
                    "timestamp": record.created,
                },
            )
        )
        if LISTENERS:
            notify_log(flow_run_id, task_run_id, record.levelno, message, record.created)


class _ConsoleFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "_ol_no_console", False):
            return False
        if _quiet_runs:
            ids = record.__dict__
            return ids.get("flow_run_id") not in _quiet_runs and ids.get("task_run_id") not in _quiet_runs
        return True


def quiet_console(run_id: str, quiet: bool = True) -> None:
    """Keep the lines of run ``run_id`` (a flow run with its task runs, or one task run) off the
    console while ``quiet``: a notebook widget that shows them would otherwise show them twice."""
    if quiet:
        _quiet_runs.add(run_id)
    else:
        _quiet_runs.discard(run_id)


class _ConsoleHandler(_StreamHandler):
    """Writes to whatever ``sys.stderr`` is now (a kernel or test harness may have replaced it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, value: Any) -> None:
        pass


class _RunFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        run = getattr(record, "_ol_label", None)
        record.run_label = f"{run} - " if run else ""
        return super().format(record)


def setup_logging() -> None:
    """Attach our handlers to the ``orchestr_lab`` logger, once per process."""
    global _set_up
    if _set_up:
        return
    with _setup_lock:
        if _set_up:
            return
        from ..core.settings import log_level

        root = logging.getLogger(ROOT)
        root.addHandler(_RunRecordHandler())
        if root.level == logging.NOTSET:
            root.setLevel(log_level())
        console = _ConsoleHandler()
        console.setFormatter(
            _RunFormatter("%(asctime)s.%(msecs)03d | %(levelname)-7s | %(run_label)s%(message)s", "%H:%M:%S")
        )
        console.addFilter(_ConsoleFilter())
        root.addHandler(console)
        _set_up = True


class RunLogger(_LoggerAdapter):
    """Stamps every record with its run so the handler can store it."""

    def process(self, msg: Any, kwargs: Any) -> tuple[Any, Any]:
        extra = dict(self.extra or {})
        if "extra" in kwargs:
            extra.update(kwargs["extra"])
        kwargs["extra"] = extra
        return msg, kwargs


def logger_for(ctx: FlowRunContext | TaskRunContext, *, console: bool = True) -> RunLogger:
    """A logger whose records are stored with the run ``ctx``, each line capped at
    ``ORCHESTR_LAB_MAX_CELL_OUTPUT_BYTES`` (the store takes no 50 MB row)."""
    from ..core.settings import max_cell_output_bytes

    setup_logging()
    if isinstance(ctx, TaskRunContext):
        extra = {
            "flow_run_id": ctx.flow_run.id if ctx.flow_run else None,
            "task_run_id": ctx.id,
            "_ol_label": f"Task run {ctx.name!r}",
            "_ol_recorder": ctx.recorder,
            "_ol_cap": max_cell_output_bytes(),
        }
        name = f"{ROOT}.task_runs"
    else:
        extra = {
            "flow_run_id": ctx.id,
            "task_run_id": None,
            "_ol_label": f"Flow run {ctx.name!r}",
            "_ol_recorder": ctx.recorder,
            "_ol_cap": max_cell_output_bytes(),
        }
        name = f"{ROOT}.flow_runs"
    if not console:
        extra["_ol_no_console"] = True
    return RunLogger(logging.getLogger(name), extra)


# -- print capture -----------------------------------------------------------------------

_original_print = builtins.print
_print_installed = False


def _capturing_print(
    *args: Any, sep: str | None = " ", end: str | None = "\n", file: Any = None, flush: bool = False
) -> None:
    ctx: FlowRunContext | TaskRunContext | None = None
    if file is None or file is sys.stdout:
        ctx = task_run_var.get() or flow_run_var.get()
    if ctx is None or not ctx.log_prints:
        _original_print(*args, sep=sep, end=end, file=file, flush=flush)
        return
    # As in Prefect: the line goes to the run's logger (stored, and shown by the console handler).
    buf = io.StringIO()
    _original_print(*args, sep=sep, end="", file=buf)
    logger_for(ctx).info(buf.getvalue())


def install_print_capture() -> None:
    """Route ``print`` of runs with ``log_prints=True`` to their logs (installed on first use)."""
    global _print_installed
    if not _print_installed:
        builtins.print = _capturing_print
        _print_installed = True
