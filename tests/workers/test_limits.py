"""Limits a notebook run meets: a cell's output cap, a full results folder, a kernel that is not
installed. Real worker, real children and kernels, real SQLite (and PostgreSQL for the full disk)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest

from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_logs import get_logs
from orchestr_lab.store.run_reads import get_flow_run, list_task_runs, state_history
from orchestr_lab.workers.worker import Worker

from .conftest import wait_for, write_notebook

CAP = 100_000
CAP_SETTING = "ORCHESTR_LAB_MAX_CELL_OUTPUT_BYTES"

# 3,000,000 bytes of "PNG" as base64: 4,000,000 characters, plus the 11 of its text/plain.
BIG_IMAGE = (
    "import base64\nfrom IPython.display import display\n"
    "display({'image/png': base64.b64encode(b'i' * 3_000_000).decode(), 'text/plain': '<big image>'},"
    " raw=True)"
)


def _worker(db_url: str, root: Path, **kw: Any) -> Worker:
    return Worker(
        db_url,
        name="limits-worker",
        root_dir=root,
        output_dir=root / "out",
        heartbeat_interval=0.5,
        poll_interval=0.2,
        **kw,
    )


def _run(db_url: str, root: Path, cells: list[str], *, notebook: str = "job.ipynb") -> dict[str, Any]:
    """A deployment of a notebook made of ``cells`` and one run of it, due now."""
    write_notebook(root / notebook, cells)
    engine = get_engine(db_url)
    dep = create_deployment(engine, {"name": notebook.split(".")[0], "notebook": notebook})
    return create_deployment_run(engine, dep) | {"deployment": dep}


def _text(outputs: list[Any]) -> str:
    return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")


def test_a_cell_printing_megabytes_is_capped_in_its_logs_and_the_executed_notebook(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CAP_SETTING, str(CAP))  # the worker's children and kernels inherit it
    run = _run(db_url, tmp_path, ["print('x' * 5_000_000)", BIG_IMAGE, "print('after')\n6 * 7"])

    (outcome,) = _worker(db_url, tmp_path, warm_kernels=0).run_once()

    engine = get_engine(db_url)
    assert outcome.run["state"]["type"] == "COMPLETED", outcome.run["state"]
    printing, imaging, after = list_task_runs(engine, run["id"])
    logs = get_logs(engine, run["id"])

    def lines(task: dict[str, Any]) -> list[str]:
        return [line["message"] for line in logs if line["task_run_id"] == task["id"]]

    printed = lines(printing)
    assert "[output truncated: 5,000,001 bytes, showing the first 100,000]" in printed
    assert CAP <= sum(len(m) for m in printed) < CAP + 200
    assert lines(imaging) == ["[output truncated: 4,000,011 bytes, showing the first 11]"]
    assert lines(after) == ["after"]
    assert sum(len(line["message"]) for line in logs) < CAP + 2_000  # what GET logs answers

    output = Path(outcome.run["output_notebook"])
    assert output.stat().st_size < 3 * CAP  # 9 MB without the cap
    cells = [c for c in nbformat.read(output, as_version=4).cells if c.cell_type == "code"]
    first, image, last = cells[-3:]
    assert _text(first.outputs) == "x" * CAP + "[output truncated: 5,000,001 bytes, showing the first 100,000]\n"
    assert [o.output_type for o in image.outputs] == ["display_data", "stream"]
    assert image.outputs[0].data == {"text/plain": "<big image>"}  # the image itself is gone
    assert image.outputs[1].text == "[output truncated: 4,000,011 bytes, showing the first 11]\n"
    assert _text(last.outputs) == "after\n"
    assert [o.data["text/plain"] for o in last.outputs if o.output_type == "execute_result"] == ["42"]


def test_a_huge_error_keeps_its_name_and_the_cap(db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CAP_SETTING, str(CAP))
    run = _run(db_url, tmp_path, ["raise ValueError('v' * 3_000_000)", "print('never')"])

    (outcome,) = _worker(db_url, tmp_path, warm_kernels=0).run_once()

    state = outcome.run["state"]
    assert state["type"] == "FAILED" and state["message"].startswith("Cell 1 failed: ValueError: vvv")
    assert len(state["message"]) < 5_000
    logs = get_logs(get_engine(db_url), run["id"])
    assert max(len(line["message"]) for line in logs) < CAP + 200
    cells = nbformat.read(outcome.run["output_notebook"], as_version=4).cells
    error = next(o for c in cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error")
    assert error.ename == "ValueError" and len(json.dumps(error)) < CAP + 500


def test_one_run_log_line_from_a_flow_is_capped(store_engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from orchestr_lab import flow, get_run_logger, runtime
    from orchestr_lab.store.run_logs import get_logs as read_logs

    monkeypatch.setenv(CAP_SETTING, str(CAP))

    @flow(log_prints=True)
    def noisy() -> str:
        get_run_logger().info("y" * 5_000_000)
        print("z" * 3_000_000)
        get_run_logger().info("é" * 3_000_001)  # 2 bytes each: cut between characters, never inside one
        get_run_logger().info("small")
        return runtime.flow_run.id

    messages = [line["message"] for line in read_logs(store_engine, noisy())]
    big = [m for m in messages if m[:1] in ("y", "z", "é")]
    assert [m.rsplit("\n", 1)[1] for m in big] == [
        "[output truncated: 5,000,000 bytes, showing the first 100,000]",
        "[output truncated: 3,000,000 bytes, showing the first 100,000]",
        "[output truncated: 6,000,002 bytes, showing the first 100,000]",
    ]
    assert big[2].startswith("é" * 50_000 + "\n")
    assert all(len(m.encode()) < CAP + 100 for m in big) and "small" in messages


def test_the_servers_setting_caps_what_its_local_worker_keeps(tmp_path: Path) -> None:
    """``c.OrchestrLabApp.max_cell_output_bytes`` in a Jupyter config file reaches the runs the
    server's local worker executes (the app exports it to their environment)."""
    from reliability._server import FINAL, Server

    config = tmp_path / "jupyter"
    config.mkdir()
    settings = {"OrchestrLabApp": {"max_cell_output_bytes": 20_000}}
    (config / "jupyter_orchestr_lab_config.json").write_text(json.dumps(settings))
    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root / "loud.ipynb", ["print('x' * 1_000_000)", "print('after')"])
    server = Server(
        db_url=f"sqlite:///{tmp_path / 'store.db'}",
        root=root,
        home=tmp_path / "home",
        env={"JUPYTER_CONFIG_DIR": str(config)},
        args=[],
    )
    try:
        server.wait_up()
        dep = server.call("POST", "deployments", 201, json={"name": "loud", "notebook": "loud.ipynb"})
        run = server.call("POST", f"deployments/{dep['id']}/runs", 201, json={})
        wait_for(
            lambda: server.call("GET", f"flow_runs/{run['id']}")["state"]["type"] in FINAL,
            timeout=120,
            what="the run to end",
        )
        assert server.call("GET", f"flow_runs/{run['id']}")["state"]["type"] == "COMPLETED"
        messages = [line["message"] for line in server.call("GET", f"flow_runs/{run['id']}/logs")]
    finally:
        server.terminate()
    assert "[output truncated: 1,000,001 bytes, showing the first 20,000]" in messages and "after" in messages
    assert sum(len(m) for m in messages) < 25_000


def test_an_unknown_kernelspec_fails_the_run_naming_the_kernel(db_url: str, tmp_path: Path) -> None:
    run = _run(db_url, tmp_path, ["print(1)", "print(2)"])
    nb = nbformat.read(tmp_path / "job.ipynb", as_version=4)
    nb.metadata.kernelspec = {"name": "nope", "display_name": "Nope", "language": "python"}
    nbformat.write(nb, tmp_path / "job.ipynb")

    (outcome,) = _worker(db_url, tmp_path).run_once()

    state = outcome.run["state"]
    assert state["type"] == "FAILED"
    assert state["message"].startswith("No such kernel 'nope': install it or change the notebook's kernelspec")
    assert "python3" in state["message"]  # what is installed
    tasks = list_task_runs(get_engine(db_url), run["id"])
    assert [(t["state"]["type"], t["state"]["name"]) for t in tasks] == [("CANCELLED", "Skipped")] * 2
    assert all(
        "earlier cell" not in t["state"]["message"] and "No such kernel 'nope'" in t["state"]["message"] for t in tasks
    )
    shown = subprocess.run(
        [sys.executable, "-m", "orchestr_lab", "--db-url", db_url, "runs", "show", run["id"]],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert f"message: {state['message']}" in shown.stdout, shown  # what `orchestr-lab runs show` says


# -- a full results folder ----------------------------------------------------------------------

#: The worker (and the children and kernels it starts) may write no file larger than this:
#: the store stays below it, an executed notebook of four ~0.9 MB displays does not.
FSIZE = 3_000_000
FAT_CELL = (
    "import base64\nfrom IPython.display import display\n"
    "display({'image/png': base64.b64encode(b'i' * 650_000).decode()}, raw=True)"
)


#: ``orchestr-lab worker`` whose process tree cannot write past FSIZE: a write that would fails
#: with EFBIG, as on a full disk (Python ignores SIGXFSZ, and so do the interpreters it starts).
LIMITED_WORKER = (
    f"import resource, runpy, sys; resource.setrlimit(resource.RLIMIT_FSIZE, ({FSIZE}, {FSIZE})); "
    "sys.argv[0] = 'orchestr-lab'; runpy.run_module('orchestr_lab', run_name='__main__')"
)


def test_a_full_results_folder_fails_the_run_clearly_and_loses_nothing(any_db: str, tmp_path: Path) -> None:
    engine = get_engine(any_db)
    big = _run(any_db, tmp_path, [FAT_CELL] * 4 + ["print('not reached')"], notebook="big.ipynb")
    after = _run(any_db, tmp_path, ["print('after')"], notebook="small.ipynb")  # claimed next
    results = tmp_path / "results"
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
    env.update(ORCHESTR_LAB_HOME=str(tmp_path / "home"), ORCHESTR_LAB_RESULTS_DIR=str(results))
    with open(tmp_path / "worker.log", "w") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-c",
                LIMITED_WORKER,
                "--db-url",
                any_db,
                "worker",
                "--name",
                "full-disk",
                "--root",
                str(tmp_path),
                "--heartbeat-interval",
                "0.3",
                "--poll-interval",
                "0.2",
            ],
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:

        def ended(run: dict[str, Any]) -> bool:
            return get_flow_run(engine, run["id"])["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED")

        wait_for(lambda: ended(big) and ended(after), timeout=120, what="both runs to end")
        assert worker.poll() is None, "the worker must keep serving"
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.wait(30)
    log_text = (tmp_path / "worker.log").read_text()

    failed = get_flow_run(engine, big["id"])
    assert failed["state"]["type"] == "FAILED", (failed["state"], log_text)
    assert failed["state"]["message"] == (
        f"The results folder {results / 'notebooks'} is full: the executed notebook could not be saved (File too large)"
    )
    history = [h["type"] for h in state_history(engine, "flow", big["id"])]
    assert history == ["SCHEDULED", "PENDING", "RUNNING", "FAILED"]
    assert not (results / "notebooks" / f"{big['id']}.ipynb").exists()  # no half-written notebook left
    # The notebook grew past the limit when cell 4 ended: cell 5 never ran, for that reason.
    tasks = list_task_runs(engine, big["id"])
    assert [t["state"]["type"] for t in tasks] == ["COMPLETED"] * 4 + ["CANCELLED"]
    assert tasks[-1]["state"]["message"] == f"Not run: {failed['state']['message']}"
    # The same worker goes on to run the next one as usual.
    stored = get_flow_run(engine, after["id"])
    assert stored["state"]["type"] == "COMPLETED" and stored["worker"]["name"] == "full-disk", stored["state"]
    assert stored["start_time"] >= failed["end_time"]
    assert _text(nbformat.read(stored["output_notebook"], as_version=4).cells[-1].outputs) == "after\n"
