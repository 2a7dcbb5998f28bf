"""Notebook runs through papermill with the orchestr_lab engine: real kernels, real SQLite."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat
import pytest

from orchestr_lab.core.errors import PathOutsideRoot
from orchestr_lab.core.states import AwaitingRetry
from orchestr_lab.store.database import dispose_engines, get_engine
from orchestr_lab.store.run_logs import get_logs
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs, state_history
from orchestr_lab.store.runs import set_state
from orchestr_lab.workers.adhoc import create_adhoc_run
from orchestr_lab.workers.notebook_runner import run_notebook


@pytest.fixture
def db_url(tmp_path: Path) -> Any:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    yield url
    from orchestr_lab.engine.recorder import reset_recorders

    reset_recorders()
    dispose_engines(url)


def _new_run(db_url: str, path: Path, parameters: dict[str, Any] | None = None) -> dict[str, Any]:
    return create_adhoc_run(get_engine(db_url), flow_name=path.stem, parameters=parameters or {}, notebook=str(path))


def test_papermill_finds_the_engine_by_entry_point() -> None:
    from papermill.engines import papermill_engines

    from orchestr_lab.workers.notebook_engine import OrchestrLabEngine

    assert papermill_engines.get_engine("orchestr_lab") is OrchestrLabEngine


def test_parameterized_run_records_cells_logs_and_outputs(
    notebook: Callable[..., Path], db_url: str, tmp_path: Path
) -> None:
    path = notebook(
        [
            "print('n is', n)",
            "import sys\nprint('careful', file=sys.stderr)",
            "import orchestr_lab\nfrom orchestr_lab import runtime\n"
            "orchestr_lab.record('double', n * 2)\nprint(runtime.flow_run.id)",
        ],
        parameters="n = 1\nlabel = 'x'",
    )
    run = _new_run(db_url, path, {"n": 3})
    events: list[tuple[str, dict]] = []

    state = run_notebook(run, output_dir=tmp_path / "out", db_url=db_url, listener=lambda e, i: events.append((e, i)))

    assert state.is_completed(), state
    engine = get_engine(db_url)
    stored = get_flow_run(engine, run["id"])
    assert stored["state"]["type"] == "RUNNING"  # the caller stores the outcome
    assert stored["run_count"] == 1 and stored["start_time"]
    assert stored["recorded"] == {"double": 6}

    executed = nbformat.read(tmp_path / "out" / f"{run['id']}.ipynb", as_version=4)
    injected = [c for c in executed.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and "n = 3" in injected[0].source
    assert run["id"] in "".join(o.get("text", "") for o in executed.cells[-1].outputs)

    # One task run per code cell (the parameters cell, the injected one, three more), in order.
    tasks = list_task_runs(engine, run["id"])
    assert [t["name"] for t in tasks] == [f"cell-{i}" for i in range(1, 6)]
    assert all(t["state"]["type"] == "COMPLETED" for t in tasks)
    assert all(t["start_time"] <= t["end_time"] for t in tasks)
    assert [h["type"] for h in state_history(engine, "task", tasks[2]["id"])] == ["PENDING", "RUNNING", "COMPLETED"]

    logs = get_logs(engine, run["id"])
    by_task = {(line["task_run_id"], line["message"], line["level"]) for line in logs}
    assert (tasks[2]["id"], "n is 3", 20) in by_task
    assert (tasks[3]["id"], "careful", 30) in by_task
    assert [e for e, _ in events][:3] == ["cells", "kernel", "cell_start"]
    assert ("output", {"number": 3, "name": "stdout", "text": "n is 3"}) in events


def test_failing_cell_is_named_and_a_retry_reuses_the_cells(
    notebook: Callable[..., Path], db_url: str, tmp_path: Path
) -> None:
    path = notebook(["x = 1", "import os\nif not os.path.exists('ok'): 1/0", "print('after')"])
    run = _new_run(db_url, path)
    engine = get_engine(db_url)

    state = run_notebook(run, output_dir=tmp_path, db_url=db_url)

    assert state.is_failed()
    assert state.message == "Cell 2 failed: ZeroDivisionError: division by zero"
    assert state.details["cell"] == 2
    tasks = list_task_runs(engine, run["id"])
    assert [(t["state"]["type"], t["state"]["name"]) for t in tasks] == [
        ("COMPLETED", "Completed"),
        ("FAILED", "Failed"),
        ("CANCELLED", "Skipped"),
    ]
    errors = [line for line in get_logs(engine, run["id"]) if line["task_run_id"] == tasks[1]["id"]]
    assert errors and errors[0]["level"] == 40 and "ZeroDivisionError" in errors[0]["message"]
    assert "\x1b[" not in errors[0]["message"]

    # Second attempt (the notebook's folder now has 'ok'): the same task runs go again.
    (path.parent / "ok").touch()
    set_state(engine, "flow", run["id"], state)
    set_state(engine, "flow", run["id"], AwaitingRetry(scheduled_time=time.time()))
    state = run_notebook(get_flow_run(engine, run["id"]) | {"notebook": str(path)}, output_dir=tmp_path, db_url=db_url)

    assert state.is_completed(), state
    again = list_task_runs(engine, run["id"])
    assert [t["id"] for t in again] == [t["id"] for t in tasks]
    assert [t["run_count"] for t in again] == [2, 2, 1]
    assert get_flow_run(engine, run["id"])["state"]["name"] == "Retrying"


def test_timeout_stops_the_kernel_and_names_the_cell(
    notebook: Callable[..., Path], db_url: str, tmp_path: Path
) -> None:
    path = notebook(["x = 1", "import time\ntime.sleep(60)", "print('never')"])
    run = _new_run(db_url, path)
    started = time.monotonic()

    # The timeout counts from the run's start, kernel start included: leave a loaded machine
    # time to start the kernel and reach the sleeping cell.
    state = run_notebook(run, output_dir=tmp_path, db_url=db_url, timeout=12)

    assert time.monotonic() - started < 40
    assert (state.type.value, state.name) == ("FAILED", "TimedOut")
    assert state.message == "Notebook run exceeded its timeout of 12s in cell 2"
    tasks = list_task_runs(get_engine(db_url), run["id"])
    assert [t["state"]["name"] for t in tasks] == ["Completed", "TimedOut", "Skipped"]


def test_a_run_id_that_is_not_an_id_never_names_the_executed_notebook(
    notebook: Callable[..., Path], db_url: str, tmp_path: Path
) -> None:
    """A store written before ids were checked may hold ``../x``: its notebook is not saved
    beside the results folder (the one rule: workers/paths.run_file)."""
    run = _new_run(db_url, notebook(["print(1)"])) | {"id": "../escaped"}

    with pytest.raises(PathOutsideRoot, match="not a run id"):
        run_notebook(run, output_dir=tmp_path / "results" / "notebooks", db_url=db_url)

    assert not (tmp_path / "results" / "escaped.ipynb").exists()
