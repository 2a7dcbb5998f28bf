"""Run widgets in-process: outside a kernel the comms are dummies, so a test builds a widget,
runs a real flow and reads the widget's values (STYLE.md, "Widgets")."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from _notebooks import rows, run_state

from orchestr_lab import flow, record, task
from orchestr_lab.engine import observers
from orchestr_lab.engine.flow_engine import FlowRunEngine
from orchestr_lab.sdk.notebook import watch_flow
from orchestr_lab.sdk.widgets import _model


def wait_until(check: Callable[[], Any], timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.01)
    raise AssertionError(f"not true within {timeout} s: {check}")


def start(flow_obj: Any, *args: Any) -> tuple[Any, Any, threading.Thread, dict[str, Any]]:
    """Run ``flow_obj(*args)`` on a thread with a widget watching it (as a notebook would)."""
    engine = FlowRunEngine(flow_obj, args, {})
    widget = watch_flow(engine, display=False)
    out: dict[str, Any] = {}

    def run() -> None:
        try:
            out["state"] = engine.run_sync()
        finally:
            widget.finish()

    thread = threading.Thread(target=run)
    thread.start()
    return engine, widget, thread, out


def test_widget_is_live_while_the_flow_runs_and_final_after() -> None:
    gate = threading.Event()
    attempts: list[int] = []

    @task
    def quick(x: int) -> int:
        return x + 1

    @task(retries=1)
    def slow(x: int) -> int:
        attempts.append(x)
        if len(attempts) == 1:
            raise ValueError("first attempt fails")
        gate.wait(30)
        return x * 10

    @flow
    def live(n: int) -> int:
        return record("answer", slow(quick(n)))

    _engine, widget, thread, out = start(live, 1)
    # While slow() waits, the updater has already shown it running on its second attempt.
    wait_until(
        lambda: (
            run_state(widget.header.value) == "RUNNING"
            and [r["attempt"] for r in rows(widget.table.value)] == ["1", "2"]
        )
    )
    assert [r["state"] for r in rows(widget.table.value)] == ["COMPLETED", "RUNNING"]
    assert "Retrying" in widget.table.value
    assert widget.progress.value == 1 and widget.progress.bar_style == "info"
    assert widget.state == "RUNNING"
    gate.set()
    thread.join(30)
    assert out["state"].is_completed()
    assert widget.state == "COMPLETED" and run_state(widget.header.value) == "COMPLETED"
    assert [r["state"] for r in rows(widget.table.value)] == ["COMPLETED", "COMPLETED"]
    assert (widget.progress.value, widget.progress.max, widget.progress.bar_style) == (2, 2, "success")
    assert [r["result"] for r in widget.rows] == ["2", "20"]
    assert 'data-recorded="answer"' in widget.recorded.value and ">20<" in widget.recorded.value
    assert "attempt 2/2" in repr(widget) and "answer = 20" in repr(widget)  # the plain-text fallback
    assert widget._repr_mimebundle_()["text/plain"] == widget.text
    assert observers.LISTENERS == []  # nobody listens once the run is over: the engine pays nothing


def test_tasks_faster_than_the_updater_still_show_a_duration() -> None:
    @task
    def instant(x: int) -> int:
        return x

    @flow
    def quick_ones(n: int) -> int:
        return sum(instant(i) for i in range(n))

    _engine, widget, thread, out = start(quick_ones, 20)
    thread.join(30)
    assert out["state"].is_completed() and len(widget.rows) == 20
    # Each ran within one of the updater's looks (RUNNING never seen): still a duration, not a blank.
    shown = [_model.duration_text(r["duration"]) for r in widget.rows]
    assert all(shown) and all(text in widget.table.value.replace("&lt;", "<") for text in shown)
    assert _model.duration_text(0.0002) == "<1 ms" and _model.duration_text(0.0) == "<1 ms"


def test_failed_task_shows_its_error_and_traceback_on_demand() -> None:
    @task
    def explode() -> None:
        raise ZeroDivisionError("nothing to divide")

    @flow
    def failing() -> None:
        explode()

    _engine, widget, thread, out = start(failing)
    thread.join(30)
    assert out["state"].is_failed()
    assert widget.state == "FAILED" and widget.progress.bar_style == "danger"
    assert [r["state"] for r in rows(widget.table.value)] == ["FAILED"]
    assert "ZeroDivisionError: nothing to divide" in widget.table.value
    errors = widget.errors.value
    assert "<details>" in errors and "Traceback" in errors and "raise ZeroDivisionError" in errors
    assert "task_engine.py" not in errors  # the engine's own frames are left out
    assert widget.rows[0]["error"] == "ZeroDivisionError: nothing to divide"


def test_big_flow_shows_a_summary_and_the_latest_and_failed_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_model, "MAX_ROWS", 30)
    monkeypatch.setattr(_model, "LATEST_ROWS", 10)

    @task
    def check(i: int) -> int:
        if i % 100 == 7:
            raise ValueError(f"bad item {i}")
        return i

    @flow
    def big(n: int) -> int:
        states = [check(i, return_state=True) for i in range(n)]
        return sum(s.is_completed() for s in states)

    _engine, widget, thread, out = start(big, 1000)
    thread.join(60)
    assert out["state"].result() == 990
    shown = rows(widget.table.value)
    assert len(shown) == 20  # 10 failed + 10 latest, not 1,000
    assert sum(r["state"] == "FAILED" for r in shown) == 10
    assert "980 more task runs not shown" in widget.table.value
    assert "1,000 task runs: 990 COMPLETED, 10 FAILED" in widget.table.value
    assert widget.progress.value == 1000
    assert "check-999" in widget.table.value  # the latest


def test_updates_are_throttled_not_one_per_state_change() -> None:
    @task
    def step(x: int) -> int:
        time.sleep(0.0002)
        return x

    @flow
    def many(n: int) -> int:
        return len([step(i) for i in range(n)])

    renders: list[float] = []
    engine = FlowRunEngine(many, (2000,), {})
    widget = watch_flow(engine, display=False)
    widget.table.observe(lambda change: renders.append(time.monotonic()), "value")
    t0 = time.monotonic()
    state = engine.run_sync()
    widget.finish()
    elapsed = time.monotonic() - t0
    assert state.result() == 2000
    # ~6,000 state changes; the table changed at most once per updater interval (plus the end).
    assert len(renders) <= elapsed / 0.09 + 2
    assert widget.progress.value == 2000


def test_flow_outside_a_kernel_shows_no_widget_and_adds_no_listener() -> None:
    @task
    def one() -> int:
        return 1

    @flow
    def outside() -> int:
        return one()

    assert outside() == 1
    assert observers.LISTENERS == []


def test_subflow_is_one_row_of_its_parent() -> None:
    @task
    def leaf(x: int) -> int:
        return x

    @flow
    def child(x: int) -> int:
        return leaf(x) + leaf(x)

    @flow
    def parent() -> int:
        return child(1) + leaf(5)

    _engine, widget, thread, out = start(parent)
    thread.join(30)
    assert out["state"].result() == 7
    assert [(r["kind"], r["state"]) for r in widget.rows] == [("subflow", "COMPLETED"), ("task", "COMPLETED")]
    assert widget.rows[0]["name"].startswith("child (")


def test_import_orchestr_lab_imports_no_notebook_machinery() -> None:
    import subprocess
    import sys

    code = (
        "import sys, orchestr_lab; print(sorted(m for m in ('IPython', 'ipywidgets', 'ipykernel') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
