"""A worker on "another machine": ``orchestr-lab worker --api URL --token T`` against a real
``orchestr-lab server``, reaching the store only over HTTP.

The worker's environment points at a store of its own (another ``ORCHESTR_LAB_HOME``), so any
direct store access would land there and the assertions on the server's records would fail;
the tests also check that this other store was never even created. The notebook exists only
under the server's root: the worker downloads it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from orchestr_lab.workers.child import ChildProcess

from .conftest import process_gone, wait_for, write_notebook

TOKEN = "remote-secret"
FAST = ["--heartbeat-interval", "0.3", "--poll-interval", "0.2"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTER_"))}
    env["ORCHESTR_LAB_HOME"] = str(home)
    return env


class Server:
    """``orchestr-lab server`` without a local worker: only remote workers execute runs."""

    def __init__(self, home: Path, root: Path, port: int, **env: str) -> None:
        self.home, self.root, self.port, self.env = home, root, port, env
        self.url = f"http://127.0.0.1:{port}/"
        self.api = httpx.Client(
            base_url=self.url + "orchestr-lab/api/", headers={"Authorization": f"token {TOKEN}"}, timeout=10
        )
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        log = open(self.home / "server.log", "ab")  # noqa: SIM115 (closed by the with below, once Popen has it)
        with log:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "orchestr_lab",
                    "server",
                    "--port",
                    str(self.port),
                    "--token",
                    TOKEN,
                    "--root",
                    str(self.root),
                    "--no-local-worker",
                    "--scheduler-interval",
                    "0.5",
                ],
                env={**_env(self.home), **self.env},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        wait_for(self._up, timeout=60, interval=0.1, what="the server to answer")

    def _up(self) -> bool:
        assert self.proc is not None and self.proc.poll() is None, (self.home / "server.log").read_text()
        try:
            return self.api.get("health").status_code == 200
        except httpx.TransportError:
            return False

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def run(self, run_id: str) -> dict[str, Any]:
        return self.api.get(f"flow_runs/{run_id}").json()

    def state(self, run_id: str) -> str:
        return self.run(run_id)["state"]["type"]

    def deploy_and_run(self, name: str, cells: list[str], **parameters: Any) -> str:
        write_notebook(self.root / f"{name}.ipynb", cells, parameters="n = 1")
        dep = self.api.post("deployments", json={"name": name, "notebook": f"{name}.ipynb"})
        assert dep.status_code == 201, dep.text
        run = self.api.post(f"deployments/{name}/runs", json={"parameters": parameters})
        assert run.status_code == 201, run.text
        return run.json()["id"]


@pytest.fixture(scope="module")
def tmp_module(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("remote")


@pytest.fixture(scope="module")
def server(tmp_module: Path) -> Iterator[Server]:
    """One server for the module (each test deploys its own notebook): starting one costs seconds."""
    home, root = tmp_module / "server-home", tmp_module / "server-root"
    home.mkdir()
    root.mkdir()
    srv = Server(home, root, _free_port())
    srv.start()
    yield srv
    srv.stop()
    srv.api.close()


@pytest.fixture(scope="module")
def worker_home(tmp_module: Path) -> Path:
    home = tmp_module / "worker-home"
    home.mkdir()
    return home


def _start_worker(server: Server, home: Path, *extra: str, token: str = TOKEN) -> subprocess.Popen[str]:
    with open(home / "worker.log", "a") as log:
        return subprocess.Popen(
            [
                sys.executable,
                "-m",
                "orchestr_lab",
                "worker",
                "--api",
                server.url,
                "--token",
                token,
                "--name",
                "far-away",
                *FAST,
                *extra,
            ],
            env=_env(home),
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )


def _stop_worker(proc: subprocess.Popen[str]) -> None:
    """SIGTERM (the worker hands back what it runs), SIGKILL if it lingers."""
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def remote_worker(server: Server, worker_home: Path) -> Iterator[subprocess.Popen[str]]:
    proc = _start_worker(server, worker_home)
    yield proc
    _stop_worker(proc)
    # Nothing was written to the worker's own store: it never opened one.
    assert not (worker_home / "orchestr.db").exists(), (worker_home / "worker.log").read_text()


def _final(server: Server, run_id: str, timeout: float = 60) -> dict[str, Any]:
    def ended() -> dict[str, Any] | None:
        run = server.run(run_id)
        return run if run["state"]["type"] in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED") else None

    return wait_for(ended, timeout=timeout, interval=0.1, what=f"run {run_id} to end")


def test_a_notebook_deployment_runs_on_a_remote_worker(server: Server, remote_worker: Any) -> None:
    run_id = server.deploy_and_run(
        "report",
        [
            "print('hello', n)",
            "from orchestr_lab import record, flow\nrecord('double', n * 2)",
            "@flow(name='inner')\ndef inner():\n    return 7\ninner()",
        ],
        n=21,
    )

    run = _final(server, run_id)

    assert run["state"]["type"] == "COMPLETED", run
    assert run["worker"] == {"name": "far-away", "type": "process"}
    assert run["recorded"] == {"double": 42}
    cells = server.api.get(f"flow_runs/{run_id}/task_runs").json()
    assert [c["name"] for c in cells] == [f"cell-{i}" for i in range(1, 6)]  # parameters + injected + 3
    assert {c["state"]["type"] for c in cells} == {"COMPLETED"}
    logs = [line["message"] for line in server.api.get(f"flow_runs/{run_id}/logs").json()]
    assert "hello 21" in logs
    notebook = server.api.get(f"flow_runs/{run_id}/notebook").json()
    printed = "".join("".join(o.get("text", "")) for cell in notebook["cells"] for o in cell.get("outputs", ()))
    assert "hello 21" in printed
    assert str(server.home) in run["output_notebook"]  # kept by the server, not the worker
    # A flow called inside the notebook recorded through the same HTTP path.
    inner = server.api.get("flow_runs", params={"flow_name": "inner"}).json()["items"]
    assert [r["state"]["type"] for r in inner] == ["COMPLETED"]


def test_a_flow_entrypoint_deployment_runs_on_a_remote_worker(server: Server, remote_worker: Any) -> None:
    """The flow file exists only under the server's root: the worker fetches it, runs the flow,
    and its task runs and recorded outputs land on the server's run."""
    (server.root / "pipelines").mkdir(exist_ok=True)
    (server.root / "pipelines" / "sums.py").write_text(
        "from orchestr_lab import flow, task, record\n\n"
        "@task\ndef square(x):\n    return x * x\n\n"
        "@flow\ndef total(n: int = 3):\n    value = sum(square(i) for i in range(n))\n"
        "    record('total', value)\n    return value\n"
    )
    dep = server.api.post("deployments", json={"name": "sums", "entrypoint": "pipelines/sums.py:total"})
    assert dep.status_code == 201, dep.text
    run_id = server.api.post("deployments/sums/runs", json={"parameters": {"n": 4}}).json()["id"]

    run = _final(server, run_id)

    assert run["state"]["type"] == "COMPLETED", run
    assert run["worker"] == {"name": "far-away", "type": "process"}
    assert run["recorded"] == {"total": 0 + 1 + 4 + 9}
    tasks = server.api.get(f"flow_runs/{run_id}/task_runs").json()
    assert sorted(t["name"] for t in tasks) == [f"square-{i}" for i in range(4)]
    assert {t["state"]["type"] for t in tasks} == {"COMPLETED"}


def test_the_server_hands_out_flow_files_only(server: Server) -> None:
    (server.root / "secret.txt").write_text("not for workers")
    refused = server.api.get("entrypoints/source", params={"path": "secret.txt"})
    assert refused.status_code == 422 and "only flow files" in refused.text
    assert server.api.get("entrypoints/source", params={"path": "../outside.py"}).status_code == 403
    missing = server.api.get("entrypoints/source", params={"path": "nowhere.py"})
    assert missing.status_code == 404 and "nowhere.py" in missing.text


def test_a_remote_workers_child_imports_no_store(server: Server, tmp_path: Path, monkeypatch: Any) -> None:
    """A remote worker's child reaches the store over HTTP only, so it never imports SQLAlchemy,
    nor httpx's command-line client (rich): together most of what a run's child would pay."""
    (server.root / "probe.py").write_text("from orchestr_lab import flow\n\n@flow\ndef probe():\n    return 1\n")
    dep = server.api.post("deployments", json={"name": "probe", "entrypoint": "probe.py:probe", "work_queue": "probe"})
    assert dep.status_code == 201, dep.text
    assert server.api.post("deployments/probe/runs", json={}).status_code == 201
    claim = server.api.post("workers/claim", json={"name": "probe", "type": "process", "queues": ["probe"]})
    run = claim.json()["run"]
    assert run is not None, claim.text
    monkeypatch.setenv("ORCHESTR_LAB_API_TOKEN", TOKEN)  # the child inherits it, as a worker's does

    child = ChildProcess(server.url)
    child.give(run, {"output_dir": str(tmp_path), "root_dir": None, "work_dir": str(tmp_path)})
    wait_for(child.finished, timeout=60, interval=0.05, what="the child to report")
    child.join(10)

    assert child.result is not None
    kind, state, modules = child.result
    assert (kind, state["type"]) == ("done", "COMPLETED"), child.result
    assert {"httpx", "orchestr_lab_entrypoint_probe"} <= set(modules)
    assert not {"sqlalchemy", "psycopg", "rich", "click"} & set(modules)


def test_cancel_stops_a_remote_run_and_its_kernel(server: Server, remote_worker: Any) -> None:
    run_id = server.deploy_and_run(
        "slow",
        [
            "import os\nfrom orchestr_lab import record\nrecord('kernel_pid', os.getpid())",
            "import time\ntime.sleep(120)",
        ],
    )
    kernel_pid = wait_for(
        lambda: server.run(run_id)["recorded"].get("kernel_pid"), timeout=60, what="the kernel to record its pid"
    )

    def live_notebook() -> dict[str, Any] | None:
        answer = server.api.get(f"flow_runs/{run_id}/notebook")
        return answer.json() if answer.status_code == 200 else None

    # The executed notebook so far is on the server while the run still runs (a live view).
    assert wait_for(live_notebook, timeout=20, what="the live output notebook")["cells"]
    assert server.state(run_id) == "RUNNING"
    assert server.api.post(f"flow_runs/{run_id}/cancel").status_code == 200

    run = _final(server, run_id)

    assert run["state"]["type"] == "CANCELLED", run
    wait_for(lambda: process_gone(kernel_pid), timeout=10, what="the kernel to be killed")
    cells = server.api.get(f"flow_runs/{run_id}/task_runs").json()
    assert [c["state"]["type"] for c in cells][-1] == "CANCELLED"


# Recorded by the kernel: its pid, its parent's (the run's child) and the child's parent's (the
# Dask worker process that ran the run).
LINEAGE = (
    "import os, psutil\nfrom orchestr_lab import record\n"
    "record('lineage', [os.getpid(), os.getppid(), psutil.Process(os.getppid()).ppid()])"
)


def test_a_remote_dask_worker_runs_and_cancels_notebooks_over_http(
    server: Server, worker_home: Path, dask_standalone: Any
) -> None:
    """``worker --api URL --type dask``: the runs execute on a standalone Dask cluster whose
    workers reach the store only through the server (the token travels with each run)."""
    proc = _start_worker(
        server,
        worker_home,
        "--type",
        "dask",
        "--dask-address",
        dask_standalone.address,
        "-q",
        "on-dask",
        "--name",
        "far-dask",
        "--warm-kernels",
        "0",
    )
    try:
        write_notebook(server.root / "on_dask.ipynb", [LINEAGE, "print('twice', n * 2)"], parameters="n = 1")
        write_notebook(server.root / "on_dask_slow.ipynb", [LINEAGE, "import time\ntime.sleep(120)"])
        for name in ("on_dask", "on_dask_slow"):
            dep = server.api.post(
                "deployments", json={"name": name, "notebook": f"{name}.ipynb", "work_queue": "on-dask"}
            )
            assert dep.status_code == 201, dep.text
        run_id = server.api.post("deployments/on_dask/runs", json={"parameters": {"n": 21}}).json()["id"]

        run = _final(server, run_id, timeout=120)

        assert run["state"]["type"] == "COMPLETED", (run, (worker_home / "worker.log").read_text())
        assert run["worker"] == {"name": "far-dask", "type": "dask"}
        assert run["recorded"]["lineage"][2] in dask_standalone.worker_pids()
        logs = [line["message"] for line in server.api.get(f"flow_runs/{run_id}/logs").json()]
        assert "twice 42" in logs
        cells = server.api.get(f"flow_runs/{run_id}/task_runs").json()
        assert [c["state"]["type"] for c in cells] == ["COMPLETED"] * 4
        assert "twice 42" in server.api.get(f"flow_runs/{run_id}/notebook").text

        slow = server.api.post("deployments/on_dask_slow/runs", json={}).json()["id"]
        kernel = wait_for(
            lambda: server.run(slow)["recorded"].get("lineage"), timeout=60, what="the slow run's kernel to start"
        )[0]
        assert server.api.post(f"flow_runs/{slow}/cancel").status_code == 200
        assert _final(server, slow)["state"]["type"] == "CANCELLED"
        wait_for(lambda: process_gone(kernel), timeout=10, what="the kernel on the Dask worker to be killed")
    finally:
        _stop_worker(proc)


def test_a_refused_state_change_keeps_the_logs_around_it(
    server: Server, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The server writes a batch whole or not at all; a remote engine whose late state change
    is refused (its run was cancelled meanwhile) logs the refusal and still gets the rest in."""
    import time

    from orchestr_lab.core.states import Pending, Running
    from orchestr_lab.engine.api_client import api_client
    from orchestr_lab.engine.ids import new_id
    from orchestr_lab.engine.recorder import Recorder

    monkeypatch.setenv("ORCHESTR_LAB_API_TOKEN", TOKEN)
    recorder = Recorder(server.url)
    run_id = new_id()
    row = {
        "id": run_id,
        "name": "late",
        "flow_name": "late-flow",
        "parameters": {},
        "tags": [],
        "parent_task_run_id": None,
        "deployment_id": None,
        "created": time.time(),
    }
    recorder.put(("flow_run", row))
    recorder.put(("state", "flow", run_id, Pending(), {}))
    recorder.flush()
    assert server.api.post(f"flow_runs/{run_id}/cancel").json()["state"]["type"] == "CANCELLED"

    def log(message: str) -> tuple[str, dict[str, Any]]:
        return (
            "log",
            {
                "flow_run_id": run_id,
                "task_run_id": None,
                "level": 20,
                "logger_name": "t",
                "message": message,
                "timestamp": time.time(),
            },
        )

    recorder.put(log("before"))
    recorder.put(("state", "flow", run_id, Running(), {"start_time": time.time()}))
    recorder.put(log("after"))
    try:
        recorder.flush()
    finally:
        recorder.close()
        api_client(server.url).close()  # the process's client for this server: its sockets go now
    assert [line["message"] for line in server.api.get(f"flow_runs/{run_id}/logs").json()] == ["before", "after"]
    assert server.run(run_id)["state"]["type"] == "CANCELLED"
    assert any("state change not recorded" in r.getMessage() and run_id in r.getMessage() for r in caplog.records)


def test_a_wrong_token_stops_the_worker_with_one_line(server: Server, worker_home: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "orchestr_lab", "worker", "--api", server.url, "--token", "wrong"],
        env=_env(worker_home),
        cwd=worker_home,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "403" in lines[0], proc.stderr
    assert "--token" in lines[0]


def test_an_unreachable_server_stops_the_worker_with_one_line(worker_home: Path) -> None:
    url = f"http://127.0.0.1:{_free_port()}/"  # nobody listens there
    proc = subprocess.run(
        [sys.executable, "-m", "orchestr_lab", "worker", "--api", url, "--token", TOKEN],
        env=_env(worker_home),
        cwd=worker_home,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: cannot reach") and url in lines[0], proc.stderr


def test_a_server_restart_mid_run_loses_nothing(server: Server, remote_worker: Any, tmp_path: Path) -> None:
    gate = tmp_path / "gate"
    run_id = server.deploy_and_run(
        "patient",
        [
            f"import os, time\nwhile not os.path.exists({str(gate)!r}):\n    time.sleep(0.05)",
            "print('after the outage')",
        ],
    )
    wait_for(lambda: server.state(run_id) == "RUNNING", timeout=60, what="the run to start")

    server.stop()
    gate.touch()  # the notebook goes on while the server is down: its writes must wait, not vanish
    server.start()

    run = _final(server, run_id)
    assert run["state"]["type"] == "COMPLETED", run
    logs = [line["message"] for line in server.api.get(f"flow_runs/{run_id}/logs").json()]
    assert "after the outage" in logs
    cells = server.api.get(f"flow_runs/{run_id}/task_runs").json()
    assert {c["state"]["type"] for c in cells} == {"COMPLETED"}
    assert server.api.get(f"flow_runs/{run_id}/notebook").status_code == 200


def test_the_reaper_settles_a_remote_worker_that_never_comes_back(tmp_path: Path) -> None:
    home, root = tmp_path / "home", tmp_path / "root"
    home.mkdir()
    root.mkdir()
    server = Server(home, root, _free_port(), ORCHESTR_LAB_HEARTBEAT_TIMEOUT="2")
    server.start()
    worker = None
    try:
        run_id = server.deploy_and_run(
            "stuck",
            [
                "import os\nfrom orchestr_lab import record\nrecord('kernel_pid', os.getpid())",
                "import time\ntime.sleep(120)",
            ],
        )
        (tmp_path / "worker").mkdir()
        worker = _start_worker(server, tmp_path / "worker")
        kernel_pid = wait_for(
            lambda: server.run(run_id)["recorded"].get("kernel_pid"), timeout=60, what="the kernel to record its pid"
        )
        worker.kill()  # no hand-back, no goodbye: the machine is gone
        worker.wait()

        run = _final(server, run_id)

        assert run["state"]["type"] == "CRASHED", run
        assert "heartbeat" in run["state"]["message"].lower(), run
        wait_for(lambda: process_gone(kernel_pid), timeout=10, what="the orphaned kernel to exit")
    finally:
        if worker is not None and worker.poll() is None:
            worker.kill()
        server.stop()
        server.api.close()
