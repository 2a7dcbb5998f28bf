"""The deployment widget: what it runs, its schedules, next runs, last run, and "Run now"
with parameters (one text field per default parameter; values are JSON or plain text)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

import ipywidgets as w

from ._html import _CELL, TextRepr, badge, kv_table
from .runs import RunWidget, _when

__all__ = ["DeploymentWidget", "DeploymentsWidget"]


def _schedule_text(schedule: dict[str, Any]) -> str:
    if schedule.get("cron"):
        text = f"cron {schedule['cron']}"
    elif schedule.get("interval"):
        text = f"every {schedule['interval']:g} s"
    else:
        text = "?"
    text += f" ({schedule.get('timezone') or 'UTC'})"
    if schedule.get("active") is False:
        text += " paused"
    return text


def _value_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class DeploymentWidget(TextRepr, w.VBox):
    """One deployment; ``run_now(**overrides)`` (or the button) starts a run and follows it."""

    def __init__(self, ops: Any, deployment: dict[str, Any]) -> None:
        self.ops = ops
        self.deployment = deployment
        self.info = w.HTML()
        self.fields: dict[str, w.Text] = {
            name: w.Text(value=_value_text(value), description=name, layout=w.Layout(width="24em"))
            for name, value in (deployment.get("parameters") or {}).items()
        }
        self.run_button = w.Button(
            description="Run now", icon="play", button_style="primary", layout=w.Layout(width="auto")
        )
        self.run_button.on_click(lambda _b: self._clicked())
        self.message = w.HTML()
        self.runs = w.VBox()
        super().__init__(
            [self.info, w.VBox(list(self.fields.values())), w.HBox([self.run_button, self.message]), self.runs]
        )
        self.render()

    @property
    def next_runs(self) -> list[str]:
        return list(self.deployment.get("next_runs") or [])

    def render(self) -> None:
        dep = self.deployment
        last = dep.get("last_run")
        rows = [
            ("runs", escape(dep.get("notebook") or dep.get("entrypoint") or "")),
            (
                "schedule",
                escape("; ".join(_schedule_text(s) for s in dep.get("schedules") or []) or "none (run it now)")
                + (" — paused" if dep.get("paused") else ""),
            ),
            ("next runs", "<br>".join(escape(_when(t)) for t in self.next_runs[:5]) or "—"),
            (
                "last run",
                f"{escape(last.get('name') or '')} "
                f"{badge((last.get('state') or {}).get('type') or 'PENDING', (last.get('state') or {}).get('name'))}"
                if last
                else "—",
            ),
            ("queue", escape(dep.get("work_queue") or "default")),
        ]
        self.info.value = (
            f'<div data-deployment-id="{escape(dep["id"])}"><b>{escape(dep["name"])}</b> '
            f'<span style="color:#757575">deployment</span></div>' + kv_table(rows)
        )

    def _clicked(self) -> None:
        try:
            self.run_now()
        except Exception as exc:  # shown beside the button: a click has no cell to raise into
            self.message.value = f'<span style="color:#c62828">{escape(str(exc))}</span>'

    def run_now(self, **overrides: Any) -> RunWidget:
        """Run the deployment with the fields' values (and ``overrides``); follow the run."""
        values = {name: field.value for name, field in self.fields.items()}
        values.update({k: _value_text(v) for k, v in overrides.items()})
        run = self.ops.run(self.deployment["name"], list(values.items()))
        self.message.value = f"started run <b>{escape(run.get('name') or run['id'])}</b>"
        follow = RunWidget(self.ops, run["id"], title=self.deployment["name"])
        self.runs.children = (follow, *self.runs.children[:4])
        return follow

    def refresh(self) -> None:
        self.deployment = self.ops.deployment(self.deployment["name"])
        self.render()

    def __repr__(self) -> str:
        dep = self.deployment
        sched = "; ".join(_schedule_text(s) for s in dep.get("schedules") or []) or "no schedule"
        nxt = ", ".join(_when(t) for t in self.next_runs[:3]) or "—"
        return f"Deployment {dep['name']} ({dep.get('notebook') or dep.get('entrypoint')}): {sched}; next runs: {nxt}"


class DeploymentsWidget(TextRepr, w.VBox):
    """Every deployment: schedule, next run, last run state; Refresh."""

    def __init__(self, ops: Any) -> None:
        self.ops = ops
        self.table = w.HTML()
        button = w.Button(description="Refresh", icon="refresh", layout=w.Layout(width="auto"))
        button.on_click(lambda _b: self.refresh())
        super().__init__([w.HBox([w.HTML("<b>Deployments</b>"), button]), self.table])
        self.items: list[dict[str, Any]] = []
        self.refresh()

    def refresh(self) -> None:
        self.items = self.ops.deployments()
        head = "".join(
            f'<th style="{_CELL}">{h}</th>' for h in ("deployment", "runs", "schedule", "next run", "last run")
        )
        rows = []
        for dep in self.items:
            last = dep.get("last_run") or {}
            state = last.get("state") or {}
            rows.append(
                f'<tr data-deployment-id="{escape(dep["id"])}">'
                f'<td style="{_CELL}"><b>{escape(dep["name"])}</b></td>'
                f'<td style="{_CELL}">{escape(dep.get("notebook") or dep.get("entrypoint") or "")}</td>'
                f'<td style="{_CELL}">{escape("; ".join(_schedule_text(s) for s in dep.get("schedules") or []) or "—")}'
                f"{' (paused)' if dep.get('paused') else ''}</td>"
                f'<td style="{_CELL}">{escape(_when((dep.get("next_runs") or [None])[0]))}</td>'
                f'<td style="{_CELL}">{badge(state["type"], state.get("name")) if state.get("type") else "—"}</td></tr>'
            )
        self.table.value = (
            f'<table style="border-collapse:collapse"><tr>{head}</tr>{"".join(rows)}</table>'
            if rows
            else '<div style="color:#757575">No deployments yet: '
            '<code>%orchestr schedule NOTEBOOK --cron "..."</code></div>'
        )

    def __repr__(self) -> str:
        return "\n".join(
            ["Deployments"] + [f"  {d['name']}  {d.get('notebook') or d.get('entrypoint')}" for d in self.items]
        )
