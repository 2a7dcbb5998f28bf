"""Retry a failed notebook run from its failing cell: real worker, kernels, papermill and SQLite.

The first attempt fails in its third cell after an expensive second cell; the user fixes the
failing cell in the notebook and retries "from the failed cell". The expensive cell must not
run again, the names it defined (a list, a function defined in the notebook) must be there,
the fixed code must be what runs, and the output notebook must still show the kept cell's output.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from orchestr_lab.core.errors import Conflict
from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployment_runs import create_deployment_run, retry_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_logs import get_logs
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs
from orchestr_lab.workers.worker import Worker

from .conftest import write_notebook

EXPENSIVE = """\
import threading
open('expensive-ran', 'a').write('x')
data = [1, 2, 3]
def scale(v):
    return v * factor
lock = threading.Lock()  # cannot be pickled: left out of the saved state, named in the log
print('loaded', len(data))"""
FAILING = "total = sum(scale(v) for v in data)\nraise RuntimeError('upstream is down')"
FIXED = "total = sum(scale(v) for v in data)"
LAST = "from orchestr_lab import record\nrecord('total', total)\nprint('total', total)"


def _worker(db_url: str, root: Path) -> Worker:
    return Worker(
        db_url,
        name="resume-worker",
        root_dir=root,
        output_dir=root / "out",
        heartbeat_interval=0.5,
        poll_interval=0.2,
        warm_kernels=0,
    )


def _cells(db_url: str, run_id: str) -> dict[str, tuple[str, int]]:
    return {t["name"]: (t["state"]["type"], t["run_count"]) for t in list_task_runs(get_engine(db_url), run_id)}


def test_a_failed_run_resumes_at_its_failing_cell_with_the_state_it_had(db_url: str, tmp_path: Path) -> None:
    notebook = write_notebook(tmp_path / "job.ipynb", [EXPENSIVE, FAILING, LAST], parameters="factor = 1")
    engine = get_engine(db_url)
    dep = create_deployment(engine, {"name": "job", "notebook": "job.ipynb"})
    run = create_deployment_run(engine, dep, parameters={"factor": 10})

    first = _worker(db_url, tmp_path).run_once()[0]

    assert first.attempt.type.value == "FAILED" and "Cell 4 failed: RuntimeError" in first.attempt.message
    stored = get_flow_run(engine, run["id"])
    assert stored["resume_from"]["cell"] == 4 and Path(stored["resume_from"]["snapshot"]).is_file()

    nb = nbformat.read(notebook, as_version=4)  # the user fixes the failing cell (same cell id)
    nb.cells[2].source = FIXED
    nbformat.write(nb, notebook)
    retry_run(engine, run["id"], from_failed_cell=True)

    second = _worker(db_url, tmp_path).run_once()[0]

    assert second.attempt.type.value == "COMPLETED", second.attempt
    assert (tmp_path / "expensive-ran").read_text() == "x"  # not executed again
    final = get_flow_run(engine, run["id"])
    assert final["recorded"] == {"total": 60}  # data, scale() and factor=10 restored; the fix ran
    assert final["run_count"] == 2 and final["resume_from"] is None
    cells = _cells(db_url, run["id"])
    assert cells["cell-3"] == ("COMPLETED", 1)  # kept from the first attempt
    assert cells["cell-4"] == ("COMPLETED", 2) and cells["cell-5"] == ("COMPLETED", 1)
    messages = [line["message"] for line in get_logs(engine, run["id"])]
    resumed = next(m for m in messages if m.startswith("Resuming at cell 4"))
    assert "lock (" in resumed and "data" not in resumed
    executed = nbformat.read(final["output_notebook"], as_version=4)
    printed = ["".join(o.get("text", "") for o in c.get("outputs", ())) for c in executed.cells]
    assert "loaded 3" in printed[2] and "total 60" in printed[4]
    assert executed.cells[3].source == FIXED


def test_only_a_failed_run_with_saved_state_resumes(db_url: str, tmp_path: Path) -> None:
    write_notebook(tmp_path / "job.ipynb", ["print('fine')"])
    engine = get_engine(db_url)
    dep = create_deployment(engine, {"name": "job", "notebook": "job.ipynb"})
    run = create_deployment_run(engine, dep)
    assert _worker(db_url, tmp_path).run_once()[0].attempt.type.value == "COMPLETED"
    with pytest.raises(Conflict, match="only FAILED, CRASHED or CANCELLED"):
        retry_run(engine, run["id"], from_failed_cell=True)

    write_notebook(tmp_path / "job.ipynb", ["raise ValueError('x')"])
    other = create_deployment_run(engine, dep)
    (tmp_path / "out" / f"{other['id']}.state.pkl").mkdir(parents=True)  # the state cannot be saved there
    failed = _worker(db_url, tmp_path).run_once()[0]
    assert failed.attempt.type.value == "FAILED"
    with pytest.raises(Conflict, match="cannot resume from a failed cell"):
        retry_run(engine, other["id"], from_failed_cell=True)
    messages = [line["message"] for line in get_logs(engine, other["id"])]
    assert any("state could not be saved" in m for m in messages)
