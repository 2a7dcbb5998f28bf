"""A paused run's question under its run widget, answered while the flow waits.

:func:`orchestr_lab.sdk.pauses.pause_flow_run` waits in the flow's thread, calling a waiter
between two looks at the run's state. In a kernel this module's waiter is installed: for a run
whose widget is live here it reads the question (``input_schema``), shows the form under the
widget, and waits on the form's answer rather than sleeping, so a Submit resumes the flow at
once. A run resumed elsewhere (the sidebar, the CLI) is seen at the flow's next look, and the
form says so.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from ...core.errors import NotFound
from .pause_form import PauseForm

__all__ = ["follow", "forget"]

_widgets: dict[str, Any] = {}  # flow run id -> its live FlowRunWidget in this process
_lock = threading.Lock()


def follow(widget: Any) -> None:
    """Show the questions of ``widget``'s run in it while it is live."""
    from .. import pauses

    with _lock:
        _widgets[widget.model.run_id] = widget
    pauses.set_waiter(wait)


def forget(widget: Any) -> None:
    with _lock:
        _widgets.pop(widget.model.run_id, None)


def wait(backend: Any, run_id: str, seconds: float | None) -> None:
    """What a paused run's thread does between two looks at its state (``seconds`` None: the
    pause is over)."""
    widget = _widgets.get(run_id)
    if widget is None:
        if seconds is not None:
            time.sleep(seconds)
        return
    form = widget.pause_form
    if seconds is None:  # the form stays, answered or not, until the run asks again
        widget.pause_form = None
        widget.show_paused(False)
        if form is not None and not form.answered.is_set():
            state = (backend.get_run(run_id).get("state") or {}).get("type")
            form.done("Resumed from elsewhere." if state == "RUNNING" else "No longer waiting: the pause ended.")
        return
    if form is None:
        form = widget.ask(_form(backend, run_id))
    form.answered.wait(seconds)


def _form(backend: Any, run_id: str) -> PauseForm:
    try:
        question = backend.input_schema(run_id)
    except NotFound:  # a plain pause: nothing to fill in, just a button that resumes it
        question = {"key": "", "run_input_schema": {}}
        return PauseForm(question, lambda values: backend.resume_run(run_id, None))
    return PauseForm(question, lambda values: backend.resume_run(run_id, values))
