"""Flows called in a notebook show their run widget; everything else runs as it would anyway.

``Flow.__call__`` asks :func:`call_flow` only when ``ipykernel`` is imported, so plain scripts
pay one ``sys.modules`` lookup per top-level flow call. The widget is displayed from the calling
(main) thread and then driven by the one updater; a flow called from another thread, a subflow,
or a process without a kernel gets no widget. ``ORCHESTR_LAB_SHOW_WIDGETS=0`` (or
``%orchestr widgets off``, or :func:`set_show_widgets`) turns the widgets off. A displayed
widget shows its run's log lines, so they stay off stderr while it follows the run; without one
they go to the console as in a script.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from ..engine.drive import run, run_blocking
from ..engine.run_logging import quiet_console

__all__ = [
    "call_flow",
    "in_kernel",
    "run_flow_engine",
    "run_task_engine",
    "set_show_widgets",
    "show_widgets",
    "watch_flow",
    "watch_task",
]

_override: bool | None = None


def set_show_widgets(on: bool | None) -> None:
    """Show run widgets (True), never (False), or as ``ORCHESTR_LAB_SHOW_WIDGETS`` says (None)."""
    global _override
    _override = on


def show_widgets() -> bool:
    if _override is not None:
        return _override
    from ..core.settings import ENV_SHOW_WIDGETS, env_flag

    return env_flag(ENV_SHOW_WIDGETS, True)


def in_kernel() -> bool:
    """True inside a Jupyter kernel (where a widget frontend may be listening)."""
    if "ipykernel" not in sys.modules or "IPython" not in sys.modules:
        return False
    from IPython import get_ipython

    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _display(widget: Any) -> Any:
    from IPython.display import display

    return display(widget, display_id=True)


def _watch(engine: Any, kind: str, display: bool) -> Any:
    from .widgets._model import RunModel
    from .widgets._updater import updater
    from .widgets.flow_run import FlowRunWidget

    what = engine.flow if kind == "flow" else engine.task
    label = engine.ctx.name if kind == "flow" else engine.name
    model = RunModel(run_id=engine.id, name=what.name, label=label, kind=kind, retries=what.retries)
    if engine.state is not None:
        model.set_root_state(engine.state, engine.run_count)
    (updater.watch_flow if kind == "flow" else updater.watch_task)(model)
    widget = FlowRunWidget(model)
    widget.start(_display(widget) if display else None)
    if widget._handle is not None:  # its log shows the run's lines: not again on stderr
        quiet_console(engine.id)
        if kind == "flow":  # and a pause's question, as a form
            from .widgets._pauses import follow

            follow(widget)
    return widget


def watch_flow(engine: Any, *, display: bool = True) -> Any:
    """A live :class:`FlowRunWidget` for the flow run ``engine`` (displayed when ``display``)."""
    return _watch(engine, "flow", display)


def watch_task(engine: Any, *, display: bool = True) -> Any:
    """A live run widget for one task run (what ``%%task`` shows)."""
    return _watch(engine, "task", display)


def _wanted() -> bool:
    return threading.current_thread() is threading.main_thread() and show_widgets() and in_kernel()


def _text_wanted() -> bool:
    """IPython without a kernel (a terminal): no widget frontend, so the widget's text at the end."""
    if "IPython" not in sys.modules or not show_widgets():
        return False
    from IPython import get_ipython

    return get_ipython() is not None and not in_kernel()


def _start(watch: Any, engine: Any, text_fallback: bool) -> Any:
    if _wanted():
        return watch(engine)
    if text_fallback and _text_wanted():
        return watch(engine, display=False)
    return None


def _end(widget: Any) -> None:
    if widget is None:
        return
    from .widgets._pauses import forget

    forget(widget)
    widget.finish()
    quiet_console(widget.model.run_id, False)
    if widget._handle is None:
        print(widget.text)


def run_flow_engine(engine: Any, return_state: bool, *, text_fallback: bool = True, blocking: bool = False) -> Any:
    """Run a top-level flow run as ``Flow.__call__`` would, with its widget if wanted.

    The widget is created here, on the calling thread; an async flow's awaitable (returned as
    is, or run to its end here with ``blocking``) finishes it when it ends, wherever it is awaited.
    """
    widget = _start(watch_flow, engine, text_fallback)
    drive = run_blocking if blocking else run
    return drive(engine, return_state=return_state, on_end=None if widget is None else lambda: _end(widget))


def call_flow(engine: Any, return_state: bool) -> Any:
    """``Flow.__call__`` in a process where ipykernel is loaded."""
    return run_flow_engine(engine, return_state, text_fallback=False)


def run_task_engine(engine: Any) -> Any:
    """Run one task run (``%%task``) to its final state, with its widget if wanted."""
    widget = _start(watch_task, engine, True)
    try:
        return run_blocking(engine, return_state=True)
    finally:
        _end(widget)
