"""The run widget: a flow run (or one task run) live while it executes, final after.

Stock ipywidgets composed, tqdm-style: a header (name, state badge, duration), a progress bar
and the state counts, one row per task run (state colour, attempt/retries, duration, result
preview), what the run ``record()``ed, its artifacts (a progress bar that moves, a table,
markdown...), each error with its traceback folded until clicked, and a log tail. Values are
set only by the one updater (``_updater.py``) or, at the end of the run, by the thread that ran it.
"""

from __future__ import annotations

import time
from typing import Any

import ipywidgets as w

from ._artifacts import artifacts_html
from ._html import TextRepr, errors_html, header_html, logs_html, recorded_html, table_html
from ._model import RunModel
from ._updater import INTERVAL, updater

__all__ = ["FlowRunWidget"]


class FlowRunWidget(TextRepr, w.VBox):
    """Follows one run of this process; ``.state``, ``.rows`` and ``.text`` read what it shows."""

    def __init__(self, model: RunModel, **kwargs: Any) -> None:
        self.model = model
        self.header = w.HTML()
        self.progress = w.IntProgress(min=0, max=1, value=0, layout=w.Layout(width="50%"))
        self.table = w.HTML()
        self.errors = w.HTML()
        self.recorded = w.HTML()
        self.artifacts = w.HTML()
        self.logs = w.HTML()
        self.pause_box = w.VBox()  # the question of the run's current (or last) pause
        self.pause_form: Any = None  # the PauseForm while the run waits for an answer
        children = [self.header, self.progress, self.table] if model.kind == "flow" else [self.header]
        children += [self.pause_box, self.recorded, self.artifacts, self.errors, self.logs]
        super().__init__(children, **kwargs)
        self.add_class("orchestr-lab-run-widget")
        self._rendered_version = -1
        self._failed_key: tuple[Any, ...] = ()
        self._log_count = -1
        self._recorded_key: tuple[Any, ...] = ()
        self._artifacts_key: tuple[Any, ...] = ()
        self._last_render = 0.0
        self._final = False
        self._handle: Any = None
        self.render()

    # -- what it shows (for tests and users) ------------------------------------------
    @property
    def state(self) -> str:
        """The state type the widget shows (``COMPLETED``...)."""
        return self.model.type

    @property
    def rows(self) -> list[dict[str, Any]]:
        """The task-run rows shown (bounded for big runs), as dicts."""
        with self.model.lock:
            return [r.as_dict() for r in self.model.shown_rows()[0]]

    @property
    def text(self) -> str:
        with self.model.lock:
            return self.model.text()

    def __repr__(self) -> str:
        return self.text

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(self.text)

    # -- following the run ---------------------------------------------------------------
    def start(self, handle: Any = None) -> None:
        """Go live: the updater renders this widget until its run ends."""
        self._handle = handle
        updater.add(self)

    def tick(self, now: float) -> bool:
        if self._final:
            return False
        if now - self._last_render >= INTERVAL * 0.9:
            self.model.apply()
            self.render(now)
        return True

    def ask(self, form: Any) -> Any:
        """Show ``form`` (a :class:`PauseForm`) as the question the run waits on; its clicks
        are handled while the flow's thread waits, where the kernel can (else it says where
        else to answer)."""
        from ._kernel import answer_while_busy

        answerable = answer_while_busy(form.widgets)  # before the frontend can show it
        if not answerable:
            form.note(
                "This kernel handles the form only after the cell ends: resume the run from the "
                f"sidebar or with `orchestr-lab runs resume {self.model.run_id}`."
            )
        self.pause_form = form
        self.pause_box.children = [form]
        self.show_paused(True)
        return form

    def show_paused(self, paused: bool) -> None:
        """The header's badge says Paused while the run waits (the engine, in the run's thread,
        is not told: it is the one waiting)."""
        model = self.model
        with model.lock:
            if not model.finished:
                model.type, model.state_name = ("PAUSED", "Paused") if paused else ("RUNNING", "Running")
                model.version += 1

    def finish(self) -> None:
        """The run is over: fold in the last events, render the final state, stop following.

        Called by the thread that ran the flow (the cell's), so the final values reach the
        frontend with the cell as parent, and the display's plain text is the final summary.
        """
        updater.unwatch(self.model)
        self._final = True
        updater.discard(self)
        self.model.apply()
        self.render(time.time(), force=True)
        if self._handle is not None:
            try:
                self._handle.update(self)
            except Exception:  # the display may be gone (closed comm, no frontend)
                pass

    def render(self, now: float | None = None, *, force: bool = False) -> None:
        model = self.model
        self._last_render = now or time.time()
        with model.lock:
            self.header.value = header_html(model)
            if model.kind == "flow" and (force or model.version != self._rendered_version):
                self._rendered_version = model.version
                total, done = model.total, model.done
                with self.progress.hold_sync():
                    self.progress.max = max(total, 1)
                    self.progress.value = total if model.finished and total == 0 else done
                    self.progress.bar_style = _bar_style(model)
                self.table.value = table_html(model)
            failed = list(model.failed.values())[-20:]
            key = (model.type, tuple((r.id, r.run_count, r.type) for r in failed))
            if force or key != self._failed_key:
                self._failed_key = key
                self.errors.value = errors_html(model, failed)
            recorded_key = tuple(model.recorded.items())
            if force or recorded_key != self._recorded_key:
                self._recorded_key = recorded_key
                self.recorded.value = recorded_html(model.recorded)
            artifacts_key = tuple((a["id"], a.get("updated")) for a in model.artifacts.values())
            if force or artifacts_key != self._artifacts_key:
                self._artifacts_key = artifacts_key
                self.artifacts.value = artifacts_html(list(model.artifacts.values()))
            if force or model.log_count != self._log_count:
                self._log_count = model.log_count
                self.logs.value = logs_html(model.logs, model.log_count)


def _bar_style(model: RunModel) -> str:
    if model.failed or model.type in ("FAILED", "CRASHED"):
        return "danger"
    if model.type == "COMPLETED":
        return "success"
    return "info"
