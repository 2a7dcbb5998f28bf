"""Run listeners (the notebook widget's updater): a broken one never breaks a run, and is seen."""

from __future__ import annotations

import logging

import pytest

from orchestr_lab import flow, task
from orchestr_lab.engine.observers import add_listener, remove_listener


class BrokenListener:
    """Raises on every task state change, like a widget updater with a bug."""

    def __init__(self) -> None:
        self.calls = 0

    def on_flow_state(self, engine, state) -> None:
        pass

    def on_task_state(self, engine, state) -> None:
        self.calls += 1
        raise RuntimeError("updater bug")

    def on_log(self, *args) -> None:
        pass

    def on_record(self, *args) -> None:
        pass


def test_a_raising_listener_is_logged_once_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    @task
    def inc(x: int) -> int:
        return x + 1

    @flow
    def observed() -> list[int]:
        return [inc(i) for i in range(3)]

    listener = BrokenListener()
    add_listener(listener)
    try:
        with caplog.at_level(logging.ERROR, logger="orchestr_lab.observers"):
            assert observed() == [1, 2, 3]  # the run is not affected
    finally:
        remove_listener(listener)
    assert listener.calls >= 9  # three state changes per task, each one raised
    reports = [r for r in caplog.records if r.name == "orchestr_lab.observers"]
    assert len(reports) == 1
    assert "BrokenListener" in reports[0].getMessage()
    assert reports[0].exc_info is not None and "updater bug" in str(reports[0].exc_info[1])
