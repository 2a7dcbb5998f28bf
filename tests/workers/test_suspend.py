"""``suspend_flow_run`` in a deployment run on a worker: the run is PAUSED "Suspended" and its
process ends, so the worker's one slot runs another run meanwhile; resumed, the run goes back to
the queue ("Resuming"), the worker runs it again from the top, tasks that completed (with
persisted results, as Prefect requires) are not called again, and the suspend returns the input.
On SQLite and PostgreSQL. Outside a deployment run, and past its timeout, it fails as Prefect's.
"""

from __future__ import annotations

import datetime as _dt
import textwrap
from pathlib import Path
from typing import Any

import pytest

from orchestr_lab.sdk.client import connect
from orchestr_lab.services.reaper import reap_tick
from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs, state_history
from orchestr_lab.workers.worker import Worker

from .conftest import process_gone

FLOWS = """
from pathlib import Path
from orchestr_lab import flow, task, record
from orchestr_lab.flow_runs import suspend_flow_run
from orchestr_lab.input import RunInput

CALLS = Path(__file__).with_name("calls.txt")

class Approval(RunInput):
    factor: int

@task
def load(n: int) -> int:
    with CALLS.open("a") as f:
        f.write("load\\n")
    return n + 1

@task
def finish(x: int) -> int:
    with CALLS.open("a") as f:
        f.write("finish\\n")
    return x

@flow(persist_result=True)
def approve(n: int = 1) -> int:
    loaded = load(n)
    got = suspend_flow_run(wait_for_input=Approval, timeout=600)
    value = finish(loaded * got.factor)
    record("value", value)
    return value

@flow
def quick() -> int:
    record("quick", 1)
    return 1
"""


def _state(run: dict[str, Any] | None) -> tuple[str, str]:
    assert run is not None
    return run["state"]["type"], run["state"]["name"]


def test_a_suspended_run_gives_its_worker_back_and_reuses_its_tasks_when_resumed(any_db: str, tmp_path: Path) -> None:
    (tmp_path / "flows.py").write_text(textwrap.dedent(FLOWS))
    calls = tmp_path / "calls.txt"
    engine = get_engine(any_db)
    suspending = create_deployment_run(
        engine, create_deployment(engine, {"name": "approve", "entrypoint": "flows.py:approve"}), parameters={"n": 2}
    )
    worker = Worker(any_db, name="one-slot", root_dir=tmp_path, output_dir=tmp_path / "out", concurrency=1, warm=False)

    (first,) = worker.run_once()

    assert _state(first.run) == ("PAUSED", "Suspended")
    assert first.child_pid is not None and process_gone(first.child_pid)  # no process holds it
    assert calls.read_text().split() == ["load"]
    # The worker's only slot is free: it runs another run while the first one is suspended.
    other = create_deployment_run(engine, create_deployment(engine, {"name": "quick", "entrypoint": "flows.py:quick"}))
    (second,) = worker.run_once()
    assert second.run_id == other["id"] and _state(second.run) == ("COMPLETED", "Completed")

    backend = connect(engine=engine, root=tmp_path)
    asked = backend.input_schema(suspending["id"])
    assert asked["run_input_schema"]["required"] == ["factor"]
    resumed = backend.resume_run(suspending["id"], {"factor": 5})
    assert _state(resumed) == ("SCHEDULED", "Resuming")

    (third,) = worker.run_once()

    assert third.run_id == suspending["id"]
    done = get_flow_run(engine, suspending["id"])
    assert _state(done) == ("COMPLETED", "Completed"), done["state"]
    assert done["recorded"] == {"value": 15}  # (2 + 1) * 5: the input reached the same call
    assert calls.read_text().split() == ["load", "finish"]  # load's result was reused, not called again


def test_suspend_needs_a_deployment_run_and_a_suspension_nobody_resumes_fails(
    any_db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from orchestr_lab import flow
    from orchestr_lab.flow_runs import suspend_flow_run

    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", any_db)

    @flow
    def interactive() -> None:
        suspend_flow_run(timeout=60)

    @flow
    def parent() -> None:
        interactive()

    with pytest.raises(RuntimeError, match="Cannot suspend flows without a deployment"):
        interactive()
    with pytest.raises(RuntimeError, match="Cannot suspend subflows"):
        parent()

    (tmp_path / "flows.py").write_text(textwrap.dedent(FLOWS))
    engine = get_engine(any_db)
    run = create_deployment_run(engine, create_deployment(engine, {"name": "a", "entrypoint": "flows.py:approve"}))
    Worker(any_db, root_dir=tmp_path, output_dir=tmp_path / "out", warm=False).run_once()
    assert _state(get_flow_run(engine, run["id"])) == ("PAUSED", "Suspended")

    reap_tick(engine)  # not expired yet: it keeps waiting
    assert _state(get_flow_run(engine, run["id"])) == ("PAUSED", "Suspended")
    later = _dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(seconds=601)
    assert reap_tick(engine, now=later)["expired"] == 1
    failed = get_flow_run(engine, run["id"])
    assert _state(failed) == ("FAILED", "Failed")
    assert failed["state"]["message"] == "The flow was suspended and never resumed."


PAUSING_CELL = """
from orchestr_lab import record
from orchestr_lab.flow_runs import pause_flow_run
from orchestr_lab.input import RunInput

class Approval(RunInput):
    factor: int

got = pause_flow_run(wait_for_input=Approval, timeout=120, poll_interval=0.2)
record("factor", got.factor)
"""


def test_a_notebook_run_cell_pauses_its_run_and_the_kernel_waits_for_the_resume(db_url: str, tmp_path: Path) -> None:
    import threading

    from .conftest import wait_for, write_notebook

    write_notebook(tmp_path / "ask.ipynb", ["x = 1", PAUSING_CELL, "record('after', x + 1)"])
    engine = get_engine(db_url)
    run = create_deployment_run(engine, create_deployment(engine, {"name": "ask", "notebook": "ask.ipynb"}))
    worker = Worker(db_url, root_dir=tmp_path, output_dir=tmp_path / "out", warm=False)
    outcomes: list[Any] = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run_once(timeout=120)))
    thread.start()
    try:
        wait_for(lambda: _state(get_flow_run(engine, run["id"]))[0] == "PAUSED", timeout=60, what="the cell's pause")
        backend = connect(engine=engine, root=tmp_path)
        assert backend.input_schema(run["id"])["run_input_schema"]["required"] == ["factor"]
        assert _state(backend.resume_run(run["id"], {"factor": 7})) == ("RUNNING", "Running")
    finally:
        thread.join(120)
    (outcome,) = outcomes
    assert _state(outcome.run) == ("COMPLETED", "Completed")
    assert outcome.run["recorded"] == {"factor": 7, "after": 2}  # the same kernel went on


def test_a_notebook_run_cell_suspends_its_run_the_kernel_ends_and_the_resume_runs_it_again(
    db_url: str, tmp_path: Path
) -> None:
    from .conftest import wait_for, write_notebook

    suspending = PAUSING_CELL.replace("pause_flow_run", "suspend_flow_run").replace(", poll_interval=0.2", "")
    write_notebook(tmp_path / "ask.ipynb", ["x = 1", suspending, "record('after', x + 1)"])
    engine = get_engine(db_url)
    run = create_deployment_run(engine, create_deployment(engine, {"name": "ask", "notebook": "ask.ipynb"}))
    worker = Worker(db_url, root_dir=tmp_path, output_dir=tmp_path / "out", warm=False)

    (first,) = worker.run_once()

    assert _state(first.run) == ("PAUSED", "Suspended")
    assert first.kernel_pid is not None and first.child_pid is not None
    wait_for(
        lambda: process_gone(first.kernel_pid) and process_gone(first.child_pid), timeout=10, what="the kernel to end"
    )
    assert _state(connect(engine=engine, root=tmp_path).resume_run(run["id"], {"factor": 3})) == (
        "SCHEDULED",
        "Resuming",
    )
    (second,) = worker.run_once()
    assert second.run["state"]["type"] == "COMPLETED", second.run["state"]
    assert second.run["recorded"] == {"factor": 3, "after": 2}


STOPPED_FROM_OUTSIDE = """
import time
from pathlib import Path
from orchestr_lab import flow, task, record

HERE = Path(__file__).parent

@task
def first() -> int:
    with (HERE / "calls.txt").open("a") as f:
        f.write("first\\n")
    return 1

@task
def slow(x: int) -> int:
    (HERE / "slow-started").touch()
    time.sleep(60 if not (HERE / "fast").exists() else 0)
    return x + 1

@flow(persist_result=True)
def long() -> int:
    value = slow(first())
    record("value", value)
    return value
"""


def test_a_run_suspended_from_outside_stops_on_its_worker_and_reruns_when_resumed(any_db: str, tmp_path: Path) -> None:
    import threading

    from orchestr_lab.flow_runs import suspend_flow_run

    from .conftest import wait_for

    (tmp_path / "flows.py").write_text(textwrap.dedent(STOPPED_FROM_OUTSIDE))
    engine = get_engine(any_db)
    run = create_deployment_run(engine, create_deployment(engine, {"name": "long", "entrypoint": "flows.py:long"}))
    worker = Worker(any_db, root_dir=tmp_path, output_dir=tmp_path / "out", warm=False, heartbeat_interval=0.3)
    outcomes: list[Any] = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run_once(timeout=120)))
    thread.start()
    try:
        wait_for(
            lambda: (tmp_path / "slow-started").exists() and _state(get_flow_run(engine, run["id"]))[0] == "RUNNING",
            timeout=60,
            what="the slow task",
        )
        backend = connect(engine=engine, root=tmp_path)
        assert suspend_flow_run(flow_run_id=run["id"], timeout=600, client=backend) is None
    finally:
        thread.join(60)

    (stopped,) = outcomes
    assert _state(stopped.run) == ("PAUSED", "Suspended")
    assert stopped.child_pid is not None and process_gone(stopped.child_pid)
    tasks = {t["name"]: t["state"]["type"] for t in list_task_runs(engine, run["id"])}
    assert tasks == {"first-0": "COMPLETED", "slow-0": "CANCELLED"}

    (tmp_path / "fast").touch()
    assert _state(backend.resume_run(run["id"], None)) == ("SCHEDULED", "Resuming")
    (again,) = worker.run_once(timeout=120)
    assert _state(again.run) == ("COMPLETED", "Completed") and again.run["recorded"] == {"value": 2}
    assert (tmp_path / "calls.txt").read_text().split() == ["first"]


PAUSE_THEN_SUSPEND = """
from orchestr_lab import flow, record
from orchestr_lab.flow_runs import pause_flow_run, suspend_flow_run

@flow
def both() -> None:
    first = pause_flow_run(wait_for_input=int, timeout=120, poll_interval=0.2)
    second = suspend_flow_run(wait_for_input=int, timeout=120)
    record("answers", [first, second])
"""


def test_a_pause_answered_before_a_suspension_is_not_asked_again_on_the_rerun(db_url: str, tmp_path: Path) -> None:
    import threading

    from .conftest import wait_for

    (tmp_path / "flows.py").write_text(textwrap.dedent(PAUSE_THEN_SUSPEND))
    engine = get_engine(db_url)
    run = create_deployment_run(engine, create_deployment(engine, {"name": "both", "entrypoint": "flows.py:both"}))
    worker = Worker(db_url, root_dir=tmp_path, output_dir=tmp_path / "out", warm=False)
    backend = connect(engine=engine, root=tmp_path)
    outcomes: list[Any] = []
    thread = threading.Thread(target=lambda: outcomes.extend(worker.run_once(timeout=120)))
    thread.start()
    try:
        wait_for(lambda: _state(get_flow_run(engine, run["id"])) == ("PAUSED", "Paused"), timeout=60, what="the pause")
        backend.resume_run(run["id"], {"value": 1})
    finally:
        thread.join(60)
    assert _state(outcomes[0].run) == ("PAUSED", "Suspended")
    backend.resume_run(run["id"], {"value": 2})

    (again,) = worker.run_once(timeout=120)

    assert _state(again.run) == ("COMPLETED", "Completed") and again.run["recorded"] == {"answers": [1, 2]}
    paused = [s["name"] for s in state_history(engine, "flow", run["id"]) if s["type"] == "PAUSED"]
    assert paused == ["Paused", "Suspended"]  # the rerun asked neither again
