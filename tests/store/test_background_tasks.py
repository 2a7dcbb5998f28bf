"""Background task runs in the store: claimed oldest first, by one claimer only, finished once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from orchestr_lab.core.errors import Conflict
from orchestr_lab.store.background_tasks import (
    claim_background_task,
    create_background_task,
    finish_background_task,
    get_background_task,
)


def _create(engine: Engine, key: str, n: int) -> dict[str, Any]:
    return create_background_task(engine, task_key=key, name="t", parameters={"n": n}, tags=["x"])


def test_claims_take_each_waiting_run_once_oldest_first_across_threads(engine: Engine) -> None:
    made = [_create(engine, "mod.add", i)["id"] for i in range(24)]
    _create(engine, "mod.other", 99)  # a key nobody here serves stays waiting
    claimed: list[dict[str, Any]] = []
    by_thread: dict[str, list[int]] = {}
    lock = threading.Lock()

    def claimer(name: str) -> None:
        while (run := claim_background_task(engine, task_keys=["mod.add"], worker_name=name)) is not None:
            with lock:
                claimed.append(run)
                by_thread.setdefault(name, []).append(run["parameters"]["n"])

    threads = [threading.Thread(target=claimer, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r["id"] for r in claimed) == sorted(made)  # every run, none twice
    assert {r["state"]["type"] for r in claimed} == {"RUNNING"}
    # Oldest first: each thread's claims come one after another, so each takes an older run than
    # its next. (Across threads the order they are appended in says nothing: a thread may be
    # paused between its claim and the append.)
    assert all(ns == sorted(ns) for ns in by_thread.values()), by_thread
    assert claim_background_task(engine, task_keys=["mod.add"], worker_name="late") is None


def test_a_run_finishes_once_with_its_result(engine: Engine) -> None:
    run_id = _create(engine, "mod.add", 1)["id"]
    with pytest.raises(Conflict, match="not RUNNING"):  # not claimed yet
        finish_background_task(engine, run_id, state_type="COMPLETED", state_name="Completed", message=None, result={})
    claim_background_task(engine, task_keys=["mod.add"], worker_name="w")
    done = finish_background_task(
        engine, run_id, state_type="COMPLETED", state_name="Completed", message=None, result={"json": 3}
    )
    assert (done["state"]["type"], done["result"], done["worker_name"]) == ("COMPLETED", {"json": 3}, "w")
    with pytest.raises(Conflict):  # a second worker's report of the same run is refused
        finish_background_task(engine, run_id, state_type="FAILED", state_name="Failed", message="x", result=None)
    assert get_background_task(engine, run_id)["state"]["type"] == "COMPLETED"
