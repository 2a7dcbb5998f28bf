"""``pause_flow_run`` / ``resume_flow_run`` in one process, on SQLite and PostgreSQL: a flow in a
thread waits for input and gets it back typed; bad input leaves it PAUSED; a pause nobody answers
fails the run with ``FlowPauseTimeout``, as Prefect's does; a late resume is refused; a retried
run asks again; cancelling a paused run ends it CANCELLED.
"""

from __future__ import annotations

import threading
import time
from enum import Enum
from typing import Any

import pytest

from orchestr_lab import flow
from orchestr_lab.exceptions import CancelledRun, FlowPauseTimeout, NotPausedError
from orchestr_lab.flow_runs import pause_flow_run, resume_flow_run
from orchestr_lab.input import RunInput


class Size(Enum):
    SMALL = "small"
    LARGE = "large"


class Pick(RunInput):
    size: Size
    copies: int = 1


@pytest.fixture
def store(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    """The flows below record to ``db_url``; returns a client of it."""
    from orchestr_lab.sdk.client import connect

    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", db_url)
    return connect(engine=db_url)


_ids: list[str] = []  # the flows below put their run id here (a parameter would be a copy)


def _in_thread(fn: Any) -> tuple[threading.Thread, dict[str, Any], list[str]]:
    """Run flow ``fn`` in a thread; returns it, where its result goes, and where its run id goes."""
    out: dict[str, Any] = {}
    ids = _ids
    ids.clear()

    def body() -> None:
        try:
            out["result"] = fn()
        except BaseException as exc:
            out["error"] = exc

    thread = threading.Thread(target=body)
    thread.start()
    return thread, out, ids


def _state(store: Any, run_id: str) -> str | None:
    """The run's state type; None while the recorder has not written the run yet."""
    from orchestr_lab.core.errors import NotFound

    try:
        return str(store.get_run(run_id)["state"]["type"])
    except NotFound:
        return None


def _wait_paused(store: Any, ids: list[str]) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if ids and _state(store, ids[0]) == "PAUSED":
            return ids[0]
        time.sleep(0.02)
    raise AssertionError("the flow never paused")


def test_a_flow_waits_for_an_enum_and_an_int_and_gets_them_back(store: Any) -> None:
    @flow
    def order() -> tuple[Size, int]:
        from orchestr_lab.runtime import flow_run

        _ids.append(flow_run.id)
        got = pause_flow_run(wait_for_input=Pick, timeout=30, poll_interval=0.05)
        return got.size, got.copies

    thread, out, ids = _in_thread(order)
    run_id = _wait_paused(store, ids)
    schema = store.input_schema(run_id)["run_input_schema"]
    assert schema["$defs"]["Size"]["enum"] == ["small", "large"]
    with pytest.raises(RuntimeError, match=r"run_input\.size"):
        resume_flow_run(run_id, {"size": "medium"})
    with pytest.raises(RuntimeError, match=r"run_input\.size"):
        resume_flow_run(run_id, {"copies": 2})  # size has no default: it is required
    assert store.get_run(run_id)["state"]["type"] == "PAUSED"
    resume_flow_run(run_id, run_input={"size": "large", "copies": 4})
    thread.join(30)
    assert out == {"result": (Size.LARGE, 4)}
    assert store.get_run(run_id)["state"]["type"] == "COMPLETED"
    with pytest.raises(NotPausedError):
        resume_flow_run(run_id, {"size": "large"})


def test_a_plain_type_is_asked_as_one_value_and_a_plain_pause_needs_no_input(store: Any) -> None:
    @flow
    def twice() -> list[Any]:
        from orchestr_lab.runtime import flow_run

        _ids.append(flow_run.id)
        number = pause_flow_run(wait_for_input=int, timeout=30, poll_interval=0.05)
        nothing = pause_flow_run(timeout=30, poll_interval=0.05, key="go-ahead")
        return [number, nothing]

    thread, out, ids = _in_thread(twice)
    run_id = _wait_paused(store, ids)
    assert store.input_schema(run_id)["key"] == "1"  # counted per run, as Prefect names pauses
    with pytest.raises(RuntimeError, match=r"run_input\.value"):
        resume_flow_run(run_id, {"value": "ten"})
    resume_flow_run(run_id, {"value": 10})
    while store.get_run(run_id)["state"]["type"] != "PAUSED" or not _paused_again(store, run_id):
        time.sleep(0.02)
    resume_flow_run(run_id)
    thread.join(30)
    assert out == {"result": [10, None]}


def _paused_again(store: Any, run_id: str) -> bool:
    from orchestr_lab.core.errors import NotFound

    try:
        store.input_schema(run_id)
    except NotFound:
        return True  # the second pause asks for no input: no schema to show
    return False


def test_a_pause_nobody_answers_fails_the_run(store: Any) -> None:
    @flow
    def waits() -> None:
        pause_flow_run(wait_for_input=Pick, timeout=0.3, poll_interval=0.05)

    state = waits(return_state=True)
    assert state.is_failed()
    with pytest.raises(FlowPauseTimeout, match="paused and never resumed"):
        state.result()


def test_a_resume_after_the_pause_timed_out_is_refused_and_fails_the_run(
    store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestr_lab.sdk import pauses

    resumed = threading.Event()

    def slow_to_notice(*args: Any) -> bool:  # the flow's process is busy (or gone) past the timeout
        resumed.wait(30)
        return False

    monkeypatch.setattr(pauses, "_wait_until_resumed", slow_to_notice)

    @flow
    def waits() -> None:
        from orchestr_lab.runtime import flow_run

        _ids.append(flow_run.id)
        pause_flow_run(wait_for_input=Pick, timeout=0.05)

    thread, out, ids = _in_thread(waits)
    run_id = _wait_paused(store, ids)
    time.sleep(0.1)
    with pytest.raises(FlowPauseTimeout, match="can no longer be resumed"):
        resume_flow_run(run_id, {"size": "small"})
    state = store.get_run(run_id)["state"]
    assert (state["type"], state["message"]) == ("FAILED", "The flow was paused and never resumed.")
    resumed.set()
    thread.join(30)
    assert isinstance(out["error"], FlowPauseTimeout)


def _wait_paused_again(store: Any, run_id: str, times: int) -> None:
    """Until the run has been PAUSED ``times`` times (its state history says so) and is PAUSED now."""
    from sqlalchemy import text

    deadline = time.monotonic() + 30
    engine = store.ctx.engine
    while time.monotonic() < deadline:
        with engine.connect() as conn:
            n = conn.execute(
                text("SELECT count(*) FROM run_states WHERE flow_run_id = :i AND type = 'PAUSED'"), {"i": run_id}
            ).scalar()
        if n == times and _state(store, run_id) == "PAUSED":
            return
        time.sleep(0.02)
    raise AssertionError(f"the run did not pause {times} times")


def test_a_retried_run_asks_again_and_a_key_answered_in_this_attempt_is_not_asked_twice(store: Any) -> None:
    attempts: list[Any] = []

    @flow(retries=1)
    def asks() -> list[Any]:
        from orchestr_lab.runtime import flow_run

        _ids.append(flow_run.id) if not _ids else None
        got = pause_flow_run(wait_for_input=int, timeout=30, poll_interval=0.05, key="approve")
        again = pause_flow_run(wait_for_input=int, timeout=30, poll_interval=0.05, key="approve")
        attempts.append((got, again))
        if len(attempts) == 1:
            raise ValueError("not this time")
        return attempts

    thread, out, ids = _in_thread(asks)
    run_id = _wait_paused(store, ids)
    resume_flow_run(run_id, {"value": 1})
    _wait_paused_again(store, run_id, 2)  # the retry pauses again rather than reusing 1
    assert store.run_input(run_id, "approve") == {"key": "approve", "received": False, "value": None}
    resume_flow_run(run_id, {"value": 2})
    thread.join(30)
    assert out == {"result": [(1, 1), (2, 2)]}
    assert store.get_run(run_id)["state"]["type"] == "COMPLETED"


def test_cancelling_a_paused_run_ends_it_cancelled(store: Any) -> None:
    @flow(retries=2)
    def waits() -> None:
        from orchestr_lab.runtime import flow_run

        _ids.append(flow_run.id)
        pause_flow_run(wait_for_input=Pick, timeout=30, poll_interval=0.05)

    thread, out, ids = _in_thread(waits)
    run_id = _wait_paused(store, ids)
    started = time.monotonic()
    assert store.cancel_run(run_id)["state"]["type"] == "CANCELLING"
    thread.join(30)
    assert time.monotonic() - started < 10  # the wait stopped, long before the pause's 30 s
    state = store.get_run(run_id)["state"]
    assert state["type"] == "CANCELLED" and "FlowPauseTimeout" not in (state["message"] or "")
    assert state["message"] == "Flow run was cancelled while paused."
    assert isinstance(out["error"], CancelledRun)  # calling a flow that ended CANCELLED raises it
