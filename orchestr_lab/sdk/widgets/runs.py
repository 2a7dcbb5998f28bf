"""Widgets over stored runs: recent runs (refreshable), and one run of another process followed live.

They read through :class:`~orchestr_lab.sdk.ops.Ops` (the local store, or a server's API), and
are refreshed by the one updater (``_updater.py``) while something they show is still running.
"""

from __future__ import annotations

import time
from html import escape
from typing import Any

import ipywidgets as w

from ._artifacts import artifacts_html
from ._html import _CELL, TextRepr, badge
from ._model import FINAL, duration_text, preview
from ._updater import updater

__all__ = ["RunWidget", "RunsWidget"]

#: Seconds between two reads of the store by a live store-backed widget.
POLL = 0.5
#: A live widget stops polling after this long (the runs go on; Refresh reads them again).
MAX_FOLLOW = 3600.0


def _seconds(run: dict[str, Any]) -> float | None:
    from ...core.formatting import duration

    return duration(run)


def _state(run: dict[str, Any]) -> tuple[str, str]:
    state = run.get("state") or {}
    return state.get("type") or "PENDING", state.get("name") or ""


def _when(iso: str | None) -> str:
    if not iso:
        return ""
    from ...core.formatting import fmt_local

    return fmt_local(iso)


class _Polled:
    """Refreshed from the store by the updater every :data:`POLL` seconds until ``finished``."""

    _next = 0.0
    _until = float("inf")

    def follow(self, live: bool) -> None:
        self._until = time.time() + MAX_FOLLOW
        if live and not self.finished:
            updater.add(self)

    def tick(self, now: float) -> bool:
        if now < self._next:
            return True
        self._next = now + POLL
        self.refresh()
        return not self.finished and now < self._until

    @property
    def finished(self) -> bool:
        raise NotImplementedError

    def refresh(self) -> None:
        raise NotImplementedError


def runs_table(items: list[dict[str, Any]], deployments: dict[str, str] | None = None) -> str:
    head = "".join(
        f'<th style="{_CELL}">{h}</th>' for h in ("run", "flow / deployment", "state", "started", "duration")
    )
    rows = []
    for run in items:
        type_, name = _state(run)
        owner = (deployments or {}).get(run.get("deployment_id") or "", "") or run.get("flow_name") or ""
        message = (run.get("state") or {}).get("message") or ""
        title = f' title="{escape(message)}"' if message else ""
        rows.append(
            f'<tr data-run-id="{escape(run["id"])}" data-state="{escape(type_)}"{title}>'
            f'<td style="{_CELL}">{escape(run.get("name") or "")}</td><td style="{_CELL}">{escape(owner)}</td>'
            f'<td style="{_CELL}">{badge(type_, name)}</td>'
            f'<td style="{_CELL}">{escape(_when(run.get("start_time")))}</td>'
            f'<td style="{_CELL}">{escape(duration_text(_seconds(run)))}</td></tr>'
        )
    if not rows:
        return '<div style="color:#757575">No runs yet.</div>'
    return f'<table class="orchestr-lab-runs" style="border-collapse:collapse"><tr>{head}</tr>{"".join(rows)}</table>'


class RunsWidget(TextRepr, _Polled, w.VBox):
    """Recent runs (of a flow or a deployment); a Refresh button, live while some are unfinished."""

    def __init__(
        self,
        ops: Any,
        *,
        deployment: str | None = None,
        flow_name: str | None = None,
        state: list[str] | None = None,
        limit: int = 10,
        live: bool = True,
    ) -> None:
        self.ops = ops
        self.query = {"deployment": deployment, "flow_name": flow_name, "state": state, "limit": limit}
        title = f"deployment {deployment}" if deployment else (f"flow {flow_name}" if flow_name else "all flows")
        self.title = w.HTML(f'<b>Runs</b> <span style="color:#757575">{escape(title)}</span>')
        self.table = w.HTML()
        self.refresh_button = w.Button(description="Refresh", icon="refresh", layout=w.Layout(width="auto"))
        self.refresh_button.on_click(lambda _b: self.refresh())
        super().__init__([w.HBox([self.title, self.refresh_button]), self.table])
        self.items: list[dict[str, Any]] = []
        self.total = 0
        self._names: dict[str, str] = {}
        self.refresh()
        self.follow(live)

    @property
    def finished(self) -> bool:
        return all(_state(r)[0] in FINAL for r in self.items)

    @property
    def states(self) -> list[str]:
        return [_state(r)[0] for r in self.items]

    def refresh(self) -> None:
        answer = self.ops.runs(**self.query)
        self.items, self.total = answer["items"], answer["total"]
        if any(r.get("deployment_id") and r["deployment_id"] not in self._names for r in self.items):
            self._names = {d["id"]: d["name"] for d in self.ops.deployments()}
        more = (
            f'<div style="color:#757575">{len(self.items)} of {self.total} runs</div>'
            if self.total > len(self.items)
            else ""
        )
        self.table.value = runs_table(self.items, self._names) + more

    def __repr__(self) -> str:
        lines = [f"Runs ({len(self.items)} of {self.total})"]
        for r in self.items:
            lines.append(f"  {r.get('name')}  {r.get('flow_name')}  {_state(r)[0]}  {duration_text(_seconds(r))}")
        return "\n".join(lines)


class RunWidget(TextRepr, _Polled, w.VBox):
    """One stored run (e.g. a deployment run a worker executes), followed live until it ends:
    state, duration, its task runs (a notebook's cells), its recorded outputs and artifacts."""

    def __init__(self, ops: Any, run_id: str, *, live: bool = True, title: str | None = None) -> None:
        self.ops = ops
        self.run_id = run_id
        self.title = title
        self.header = w.HTML()
        self.table = w.HTML()
        self.outputs = w.HTML()
        self.artifacts = w.HTML()
        super().__init__([self.header, self.table, self.outputs, self.artifacts])
        self.run: dict[str, Any] = {}
        self.task_runs: list[dict[str, Any]] = []
        self.recorded: list[dict[str, Any]] = []
        self.refresh()
        self.follow(live)

    @property
    def state(self) -> str:
        return _state(self.run)[0]

    @property
    def finished(self) -> bool:
        return self.state in FINAL

    def wait(self, timeout: float = 300.0) -> str:
        """Block until the run ends (or ``timeout``); its final state type."""
        deadline = time.monotonic() + timeout
        while not self.finished and time.monotonic() < deadline:
            time.sleep(0.2)
            self.refresh()
        return self.state

    def refresh(self) -> None:
        run = self.ops.get_run(self.run_id)
        self.run = run
        self.task_runs = self.ops.task_runs(self.run_id)
        shown = artifacts_html(self.ops.artifacts(self.run_id))
        if shown != self.artifacts.value:
            self.artifacts.value = shown
        if self.finished:
            self.recorded = self.ops.recorded(self.run_id)
        type_, name = _state(run)
        what = escape(self.title or run.get("flow_name") or "")
        message = (run.get("state") or {}).get("message") or ""
        self.header.value = (
            f'<div data-run-id="{escape(self.run_id)}" data-state="{escape(type_)}"><b>{what}</b> '
            f'<span style="color:#757575">run {escape(run.get("name") or "")}</span> &nbsp; {badge(type_, name)}'
            f" &nbsp; {escape(duration_text(_seconds(run)))}"
            + (f' &nbsp; <span style="color:#757575">{escape(message[:200])}</span>' if message else "")
            + "</div>"
        )
        rows = []
        for t in self.task_runs:
            ttype, tname = _state(t)
            rows.append(
                f'<tr data-task-run-id="{escape(t["id"])}" data-state="{escape(ttype)}">'
                f'<td style="{_CELL}">{escape(t.get("name") or "")}</td>'
                f'<td style="{_CELL}">{badge(ttype, tname)}</td>'
                f'<td style="{_CELL}">{escape(duration_text(_seconds(t)))}</td></tr>'
            )
        self.table.value = f'<table style="border-collapse:collapse">{"".join(rows)}</table>' if rows else ""
        if self.recorded:
            items = "".join(
                f'<tr><th style="{_CELL}">{escape(r["name"])}</th><td style="{_CELL};font-family:monospace">'
                f"{escape(preview(r['value']) if r['value'] is not None else r['repr'])}</td></tr>"
                for r in self.recorded
            )
            self.outputs.value = (
                f'<div style="color:#757575">recorded</div><table style="border-collapse:collapse">{items}</table>'
            )

    def __repr__(self) -> str:
        lines = [
            (
                f"Run {self.run.get('name')} of {self.title or self.run.get('flow_name')}: "
                f"{self.state} {duration_text(_seconds(self.run))}"
            ).rstrip()
        ]
        for r in self.recorded:
            lines.append(f"  {r['name']} = {r['repr']}")
        return "\n".join(lines)
