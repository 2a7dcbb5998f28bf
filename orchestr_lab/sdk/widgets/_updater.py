"""The one throttled updater behind every live widget of this process.

It is the engine's only observer (``engine.observers``) while at least one widget is live: the
engine's threads hand it events (one ``deque.append`` each), and its own thread, every
:data:`INTERVAL` seconds, routes them to the watched runs' models and re-renders the widgets whose
model changed. So a run of 10,000 tasks sends at most ~10 updates a second per widget, never one
per state change, and no worker thread ever touches a widget. Widgets that follow runs of other
processes (deployment runs) are polled from the store by the same thread, less often.

When no widget is live the listener is removed and the thread ends: the engine pays nothing.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any, Protocol

from ...engine import observers

__all__ = ["INTERVAL", "Live", "updater"]

#: Seconds between two renders of one widget (at most ~10 frontend updates a second).
INTERVAL = 0.1


class Live(Protocol):
    """What the updater drives: a widget following something that changes."""

    def tick(self, now: float) -> bool:
        """Render if due; False once it has nothing more to follow (then it is dropped)."""
        ...


class _Updater:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._route_lock = threading.Lock()
        self._events: deque[Any] = deque()  # task-run engines and (kind, ...) tuples
        self._flows: dict[str, Any] = {}  # flow run id -> RunModel (its tasks and subflows)
        self._tasks: dict[str, Any] = {}  # task run id -> RunModel watching a lone task run
        self._live: list[Live] = []
        self._thread: threading.Thread | None = None
        self._wake = threading.Event()

    # -- the engine's side (any thread; as cheap as possible) -------------------------------
    def on_flow_state(self, engine: Any, state: Any) -> None:
        self._events.append(("flow", engine, state, engine.run_count))

    def on_task_state(self, engine: Any, state: Any) -> None:
        # Only the engine: the model reads its current state when it folds the events in, so
        # a task's three or four state changes within one interval cost one row update.
        self._events.append(engine)

    def on_log(
        self, flow_run_id: str | None, task_run_id: str | None, level: int, message: str, timestamp: float
    ) -> None:
        self._events.append(("log", flow_run_id, task_run_id, message))

    def on_record(self, flow_run_id: str | None, task_run_id: str | None, name: str, text: str) -> None:
        self._events.append(("record", flow_run_id, task_run_id, (name, text)))

    def on_artifact(self, flow_run_id: str | None, task_run_id: str | None, artifact: dict[str, Any]) -> None:
        self._events.append(("artifact", flow_run_id, task_run_id, artifact))

    # -- registration (the main thread) -------------------------------------------------
    def watch_flow(self, model: Any) -> None:
        with self._lock:
            self._flows[model.run_id] = model
            observers.add_listener(self)

    def watch_task(self, model: Any) -> None:
        with self._lock:
            self._tasks[model.run_id] = model
            observers.add_listener(self)

    def unwatch(self, model: Any) -> None:
        """Stop routing to ``model`` (after routing what is pending to it)."""
        self.route()
        with self._lock:
            self._flows.pop(model.run_id, None)
            self._tasks.pop(model.run_id, None)
            self._maybe_idle()

    def add(self, live: Live) -> None:
        with self._lock:
            if live not in self._live:
                self._live.append(live)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, name="orchestr-lab-widgets", daemon=True)
                self._thread.start()
        self._wake.set()

    def discard(self, live: Live) -> None:
        with self._lock:
            if live in self._live:
                self._live.remove(live)

    def _maybe_idle(self) -> None:
        if not self._flows and not self._tasks:
            observers.remove_listener(self)
            self._events.clear()

    # -- routing (the updater thread, or the main thread when a run ends) ----------------
    def route(self) -> None:
        """Hand pending engine events to the models that watch their runs, in order (the
        updater and a run's end may both route: one at a time)."""
        with self._route_lock:
            self._route()

    def _route(self) -> None:
        events = self._events
        flows, tasks = self._flows, self._tasks
        popleft = events.popleft
        try:
            while True:
                event = popleft()
                if type(event) is not tuple:  # a task run's engine
                    fctx = event.flow_ctx
                    model = flows.get(fctx.id) if fctx is not None else None
                    if model is not None:
                        model.push(event)
                    elif tasks:
                        model = tasks.get(event.id)
                        if model is not None:
                            model.push(("root", event, event.state, event.run_count))
                    continue
                kind = event[0]
                if kind == "flow":
                    engine = event[1]
                    model = flows.get(engine.id)
                    if model is not None:
                        model.push(("root", engine, event[2], event[3]))
                    else:
                        parent = engine.ctx.parent
                        model = flows.get(parent.id) if parent is not None else None
                        if model is not None:
                            model.push(("subflow", engine, event[2], event[3]))
                else:  # a log line, a record() or an artifact
                    kind, flow_run_id, task_run_id, payload = event
                    model = flows.get(flow_run_id) if flow_run_id else None
                    if model is None and task_run_id:
                        model = tasks.get(task_run_id)
                    if model is not None:
                        model.push((kind, task_run_id, payload))
        except IndexError:
            pass

    def _loop(self) -> None:
        while True:
            self._wake.wait(INTERVAL)
            self._wake.clear()
            self.route()
            now = time.time()
            with self._lock:
                live = list(self._live)
            for item in live:
                try:
                    keep = item.tick(now)
                except Exception:  # a broken widget (closed comm...) must not stop the others
                    keep = False
                if not keep:
                    self.discard(item)
            with self._lock:
                if not self._live:
                    self._thread = None
                    return


updater = _Updater()
