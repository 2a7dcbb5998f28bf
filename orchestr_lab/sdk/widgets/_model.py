"""What a run widget knows about one run, fed by engine events; no ipywidgets here.

The engine's threads only append events to :attr:`RunModel.events` (cheap: for a task run, just
its engine, whose current state is read when the events are folded in); the one updater
thread (or the main thread at the end of a run) calls :meth:`RunModel.apply` to fold them into
rows, counts and a log tail. The model stays bounded whatever the run's size: all rows are kept
as small records, but only the failed rows and the most recently changed ones are rendered.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections import OrderedDict, deque
from typing import Any

__all__ = ["Row", "RunModel", "duration_text", "preview"]

#: Rendered rows: all of them up to this many, else a summary plus the latest and failed ones.
MAX_ROWS = 50
LATEST_ROWS = 20
FAILED_ROWS = 20
LOG_LINES = 8
MAX_RECORDED = 20
MAX_ARTIFACTS = 20
PREVIEW_CHARS = 80

_PACKAGE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FINAL = frozenset({"COMPLETED", "FAILED", "CANCELLED", "CRASHED"})
BAD = frozenset({"FAILED", "CRASHED", "CANCELLED"})


def preview(value: Any, limit: int = PREVIEW_CHARS) -> str:
    """A one-line repr of a result, cut to ``limit`` characters."""
    try:
        text = repr(value)
    except Exception as exc:  # a user's __repr__ may fail; the widget must not
        text = f"<unrepresentable {type(value).__name__}: {exc!r}>"
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Raw(str):
    """A repr already made: ``preview`` shows it as is."""

    def __repr__(self) -> str:
        return str(self)


def duration_text(seconds: float | None) -> str:
    """A duration as the CLI prints it (``0.42s``, ``3m 05s``); empty when unknown."""
    if seconds is None:
        return ""
    if seconds < 1:
        return "<1 ms" if seconds < 0.0005 else f"{seconds * 1000:.0f} ms"
    from ...core.formatting import fmt_duration

    return fmt_duration(seconds)


def elapsed(start: float | None, end: float | None) -> float | None:
    """Seconds from ``start`` to ``end``, or to now while it is still going."""
    if start is None:
        return None
    return (end if end is not None else time.time()) - start


def _error_of(state: Any) -> tuple[str, str]:
    """(one line, full traceback) of a failed state."""
    exc = state.data if isinstance(getattr(state, "data", None), BaseException) else None
    if exc is None:
        return (state.message or state.name or ""), (state.message or "")
    line = f"{type(exc).__name__}: {exc}"
    te = traceback.TracebackException(type(exc), exc, exc.__traceback__)
    # The engine's own frames say nothing about the user's error: only the user's code is shown.
    user = [f for f in te.stack if not f.filename.startswith(_PACKAGE + os.sep)]
    if user:
        te.stack = traceback.StackSummary.from_list(user)
    return line, "".join(te.format())


class Row:
    """One task run (or subflow run) of the watched flow run."""

    __slots__ = (
        "id",
        "name",
        "kind",
        "type",
        "state_name",
        "message",
        "run_count",
        "retries",
        "start",
        "end",
        "state",
        "order",
        "_preview",
        "_error",
    )

    def __init__(self, id: str, name: str, kind: str, retries: int, order: int) -> None:
        self.id = id
        self.name = name
        self.kind = kind
        self.type = "PENDING"
        self.state_name = "Pending"
        self.message: str | None = None
        self.run_count = 0
        self.retries = retries
        self.start: float | None = None
        self.end: float | None = None
        self.state: Any = None
        self.order = order
        self._preview: str | None = None
        self._error: tuple[str, str] | None = None

    @property
    def duration(self) -> float | None:
        return elapsed(self.start, self.end)

    @property
    def attempts(self) -> str:
        return f"{max(self.run_count, 1)}/{self.retries + 1}"

    @property
    def result_preview(self) -> str:
        if self.type != "COMPLETED" or self.state is None:
            return ""
        if self._preview is None:
            data = self.state.data
            self._preview = "" if data is None else preview(data)
        return self._preview

    @property
    def error(self) -> tuple[str, str] | None:
        if self.type not in BAD or self.state is None:
            return None
        if self._error is None:
            self._error = _error_of(self.state)
        return self._error

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "state": self.type,
            "state_name": self.state_name,
            "attempt": self.run_count,
            "retries": self.retries,
            "duration": self.duration,
            "result": self.result_preview,
            "error": (self.error or ("", ""))[0] or None,
        }


class RunModel:
    """One watched run: a flow run with its task rows, or a single task run (``kind='task'``)."""

    def __init__(self, *, run_id: str, name: str, label: str, kind: str = "flow", retries: int = 0) -> None:
        self.run_id = run_id
        self.kind = kind
        self.name = name
        self.label = label  # the run's generated name ("crimson-fox") or the task run's name
        self.retries = retries
        self.type = "PENDING"
        self.state_name = "Pending"
        self.state: Any = None
        self.message: str | None = None
        self.run_count = 0
        self.start: float | None = None
        self.end: float | None = None
        self.events: deque[Any] = deque()  # task-run engines and (kind, ...) tuples
        self.rows: dict[str, Row] = {}
        self.counts: dict[str, int] = {}
        self.failed: OrderedDict[str, Row] = OrderedDict()
        self.recent: OrderedDict[str, Row] = OrderedDict()
        self.logs: deque[str] = deque(maxlen=LOG_LINES)
        self.recorded: dict[str, str] = {}  # record(name, value): the latest repr per name
        self.artifacts: OrderedDict[str, dict[str, Any]] = OrderedDict()  # by id, the latest made last
        self.log_count = 0
        self.lock = threading.RLock()
        self.version = 0  # bumped by every applied event: the renderer skips unchanged models

    # -- intake (any thread) ---------------------------------------------------------------
    def push(self, event: tuple[Any, ...]) -> None:
        self.events.append(event)

    # -- folding (the updater's thread, or the main thread at the end) ----------------------
    def apply(self) -> bool:
        """Fold pending events in; True when anything changed."""
        events = self.events
        if not events:
            return False
        with self.lock:
            popleft = events.popleft
            n = 0
            # One update per task or subflow run (its current state), in the order first seen.
            changed: dict[str, tuple[bool, Any]] = {}
            others: list[tuple[Any, ...]] = []
            try:
                while True:
                    event = popleft()
                    n += 1
                    if type(event) is not tuple:
                        changed.setdefault(event.id, (True, event))
                    elif event[0] == "subflow":
                        changed.setdefault(event[1].id, (False, event[1]))
                    else:
                        others.append(event)
            except IndexError:
                pass
            for is_task, engine in changed.values():
                if is_task:
                    self._task(engine)
                else:
                    self._subflow(engine)
            for event in others:  # after the rows, so log lines find their task run's row
                if event[0] == "root":
                    self.set_root_state(event[2], event[3])
                elif event[0] == "record":
                    name, text = event[2]
                    self.recorded[name] = text
                elif event[0] == "artifact":
                    self._artifact(event[2])
                else:
                    self._log(event[1], event[2])
            self.version += n
            return n > 0

    def set_root_state(self, state: Any, run_count: int) -> None:
        with self.lock:
            if self.type in FINAL:
                return  # a run's final state is its last (flow retries never pass through one)
            self.state = state
            self.type = state.type.value
            self.state_name = state.name
            self.message = state.message
            self.run_count = run_count
            ts = state.timestamp
            if self.type == "RUNNING" and self.start is None:
                self.start = ts
            if self.type in FINAL:
                self.end = ts
                if self.start is None:
                    self.start = ts
            self.version += 1

    def _row(self, id: str, name: str, kind: str, retries: int) -> Row:
        row = self.rows.get(id)
        if row is None:
            row = self.rows[id] = Row(id, name, kind, retries, len(self.rows))
            self.counts["PENDING"] = self.counts.get("PENDING", 0) + 1
        return row

    def _update(self, row: Row, state: Any, run_count: int, started: float | None) -> None:
        """``started``: when the run began, for a run whose RUNNING state came and went
        between two looks (a sub-millisecond task) and would have no duration otherwise."""
        new = state.type.value
        counts = self.counts
        counts[row.type] -= 1
        counts[new] = counts.get(new, 0) + 1
        row.type = new
        row.state_name = state.name
        row.message = state.message
        row.state = state
        row.run_count = run_count
        row._preview = None
        row._error = None
        ts = state.timestamp
        if new == "RUNNING" and row.start is None:
            row.start = ts
        if new in FINAL:
            row.end = ts
            if row.start is None:
                row.start = started if started is not None else ts
        elif row.end is not None:
            row.end = None
        if new in BAD:
            self.failed[row.id] = row
        elif row.id in self.failed:
            del self.failed[row.id]
        recent = self.recent
        recent[row.id] = row
        recent.move_to_end(row.id)
        if len(recent) > LATEST_ROWS:
            recent.popitem(last=False)

    def _task(self, engine: Any) -> None:
        """A task run's row brought up to the engine's current state."""
        state = engine.state
        row = self.rows.get(engine.id)
        if row is None:
            row = self._row(engine.id, engine.name, "task", engine.task.retries)
        elif row.state is state:
            return
        self._update(row, state, engine.run_count, engine.ctx.start_time)

    def _subflow(self, engine: Any) -> None:
        state = engine.state
        row = self.rows.get(engine.id)
        if row is None:
            row = self._row(engine.id, f"{engine.flow.name} ({engine.ctx.name})", "subflow", engine.flow.retries)
        elif row.state is state:
            return
        self._update(row, state, engine.run_count, engine.ctx.start_time)

    def _artifact(self, artifact: dict[str, Any]) -> None:
        """A new artifact is shown last; a changed one (progress) where it is. Bounded."""
        self.artifacts[artifact["id"]] = artifact
        while len(self.artifacts) > MAX_ARTIFACTS:
            self.artifacts.popitem(last=False)

    def _log(self, task_run_id: str | None, message: str) -> None:
        row = self.rows.get(task_run_id) if task_run_id else None
        who = row.name if row is not None else None
        first = message.splitlines()[0] if message else ""
        self.logs.append(f"{who} | {first}" if who else first)
        self.log_count += 1

    # -- reading -------------------------------------------------------------------------
    @property
    def duration(self) -> float | None:
        return elapsed(self.start, self.end)

    @property
    def finished(self) -> bool:
        return self.type in FINAL

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def done(self) -> int:
        counts = self.counts
        return sum(counts.get(t, 0) for t in FINAL)

    def error(self) -> tuple[str, str] | None:
        if self.type not in BAD or self.state is None:
            return None
        return _error_of(self.state)

    def shown_rows(self) -> tuple[list[Row], int]:
        """The rows to render, in run order, and how many are left out."""
        rows = self.rows
        if len(rows) <= MAX_ROWS:
            return list(rows.values()), 0
        failed = list(self.failed.values())[-FAILED_ROWS:]
        chosen = {r.id: r for r in failed}
        for row in self.recent.values():
            chosen[row.id] = row
        shown = sorted(chosen.values(), key=lambda r: r.order)
        return shown, len(rows) - len(shown)

    def summary(self) -> str:
        """``3 task runs: 2 COMPLETED, 1 RUNNING``."""
        parts = [f"{n:,} {t}" for t, n in sorted(self.counts.items()) if n]
        noun = "task run" if self.total == 1 else "task runs"
        return f"{self.total:,} {noun}" + (": " + ", ".join(parts) if parts else "")

    def text(self) -> str:
        """The plain-text rendering (where no widget frontend exists)."""
        head = f"{'Task' if self.kind == 'task' else 'Flow'} run {self.name!r} ({self.label}): {self.type}"
        if self.kind == "task" and self.run_count:
            head += f", attempt {self.run_count}/{self.retries + 1}"
        if self.duration is not None:
            head += f" in {duration_text(self.duration)}"
        lines = [head]
        if self.kind == "flow":
            lines.append("  " + self.summary())
            shown, hidden = self.shown_rows()
            if hidden:
                lines.append(f"  ({hidden:,} more task runs not shown)")
            width = max((len(r.name) for r in shown), default=0)
            for r in shown:
                extra = r.result_preview or ((r.error or ("", ""))[0])
                lines.append(
                    f"  {r.name:<{width}}  {r.type:<9}  attempt {r.attempts:<5}  "
                    f"{duration_text(r.duration):>9}  {extra}".rstrip()
                )
        for name, text in list(self.recorded.items())[:MAX_RECORDED]:
            lines.append(f"  {name} = {preview(_Raw(text))}")
        for a in self.artifacts.values():
            data = f"{a['data']}%" if a.get("type") == "progress" else preview(_Raw(str(a.get("data"))))
            lines.append(f"  artifact {a.get('key') or a.get('type')}: {data}")
        err = self.error()
        if err:
            lines.append(f"  error: {err[0]}")
        return "\n".join(lines)
