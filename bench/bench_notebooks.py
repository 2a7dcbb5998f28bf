"""Notebook runs, side by side: orchestr-lab vs jupyter-scheduler 2.12.1 vs papermill, one run.

    bash bench/setup_jupyter_scheduler.sh              # once: jupyter-scheduler in its own venv
    .venv/bin/python bench/bench_notebooks.py          # table on stdout + bench/results/notebooks.md
    .venv/bin/python bench/bench_notebooks.py --json   # the same figures as JSON on stdout

The notebook is the smallest parameterized one: a cell tagged ``parameters`` (``n = 1``) and
``print(n * 2)``, run with ``n = 3``. Every side must produce an executed notebook whose last
cell printed ``6`` (checked for every run, warm-ups included), so a fast wrong run fails
instead of winning. What is timed, per side:

- papermill: ``papermill.execute_notebook`` in one Python process (project venv), after a
  warm-up call that pays the imports;
- papermill CLI: ``papermill in.ipynb out.ipynb -p n 3``, a whole process each time;
- jupyter-scheduler: a ``jupyter server`` from bench/.venv-jupyter-scheduler; from
  ``POST /scheduler/jobs`` until ``GET /scheduler/jobs/{id}`` answers ``status: COMPLETED``;
- orchestr-lab: a ``jupyter server`` from the project venv (the extension and its local
  worker); from ``POST /orchestr-lab/api/deployments/{id}/runs`` until
  ``GET /orchestr-lab/api/flow_runs/{id}`` answers ``state.type: COMPLETED``.

All sides are set up first (both servers up), then run in rounds: one warm-up round, then
--reps timed rounds (7), each side once per round, in an order rotating from round to round,
so the changing load of a shared machine falls on every side alike and the ratios compare runs
of the same minutes. Both servers are polled at the same interval (--poll, 20 ms) over one
keep-alive connection, and each has been idle at least --gap seconds (3) before each of its
runs, as when a user triggers one from JupyterLab. The figure is each side's median. Every
process runs with its own throw-away Jupyter config, data, runtime and IPython directories (and
ORCHESTR_LAB_HOME), so nothing of the caller's setup leaks in.
Both servers are stopped at the end, on failure and on Ctrl-C too.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MARK = "BENCH_RESULT "

PM, PM_CLI, JS, OL = "papermill", "papermill-cli", "jupyter-scheduler", "orchestr-lab"
SIDES: dict[str, str] = {
    PM: "`papermill.execute_notebook` in-process (warm)",
    PM_CLI: "`papermill in.ipynb out.ipynb -p n 3` (a process per run)",
    JS: "jupyter-scheduler 2.12.1: `POST /scheduler/jobs` → COMPLETED",
    OL: "orchestr-lab: `POST …/deployments/{id}/runs` → COMPLETED",
}
NOTEBOOK_NAME = "double.ipynb"
EXPECTED = "6"  # print(n * 2) with n = 3

NOTEBOOK: dict[str, Any] = {
    "cells": [
        {
            "cell_type": "code",
            "id": "parameters",
            "metadata": {"tags": ["parameters"]},
            "execution_count": None,
            "outputs": [],
            "source": ["n = 1"],
        },
        {
            "cell_type": "code",
            "id": "double",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": ["print(n * 2)"],
        },
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}

# papermill in one long-lived process: reads an output path per line, runs the notebook to it,
# answers one JSON line with the seconds execute_notebook took (the first line: the import time).
PAPERMILL_INPROCESS = r"""
import json, sys, time
t0 = time.perf_counter()
import papermill
print("BENCH_RESULT " + json.dumps({"import_seconds": time.perf_counter() - t0}), flush=True)
src = sys.argv[1]
for line in sys.stdin:
    out = line.strip()
    t0 = time.perf_counter()
    papermill.execute_notebook(src, out, parameters={"n": 3}, kernel_name="python3",
                               progress_bar=False, log_output=False)
    print("BENCH_RESULT " + json.dumps({"seconds": time.perf_counter() - t0}), flush=True)
"""


# -- helpers -----------------------------------------------------------------------------------


def say(*parts: Any) -> None:
    print(*parts, file=sys.stderr, flush=True)


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "n/a"
    return f"{s:.2f} s" if s >= 1 else f"{s * 1e3:.0f} ms"


def printed_by_last_cell(nb: dict[str, Any]) -> str:
    """The stdout the notebook's last code cell printed (stripped)."""
    code = [c for c in nb.get("cells", []) if c.get("cell_type") == "code"]
    if not code:
        return ""
    text = []
    for out in code[-1].get("outputs", []):
        if out.get("output_type") == "stream" and out.get("name") == "stdout":
            t = out.get("text", "")
            text.append("".join(t) if isinstance(t, list) else t)
    return "".join(text).strip()


def check_notebook(nb: dict[str, Any] | None, where: str) -> str | None:
    """None when the executed notebook printed the expected value, else what is wrong."""
    if nb is None:
        return f"{where}: no executed notebook"
    got = printed_by_last_cell(nb)
    if got != EXPECTED:
        return f"{where}: the last cell printed {got!r}, expected {EXPECTED!r}"
    return None


def check_notebook_file(path: str | Path, where: str) -> str | None:
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return f"{where}: cannot read the executed notebook {path}: {exc}"
    return check_notebook(nb, where)


def isolated_env(base: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without Jupyter/orchestr-lab settings, with throw-away dirs."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("JUPYTER_", "ORCHESTR_LAB_", "IPYTHON", "PYTHONSTARTUP"))
    }
    for name in ("config", "data", "runtime", "ipython"):
        (base / name).mkdir(parents=True, exist_ok=True)
    env.update(
        JUPYTER_CONFIG_DIR=str(base / "config"),
        JUPYTER_DATA_DIR=str(base / "data"),
        JUPYTER_RUNTIME_DIR=str(base / "runtime"),
        IPYTHONDIR=str(base / "ipython"),
    )
    env.update(extra)
    return env


def summarize(times: list[float]) -> dict[str, Any]:
    return {"median": statistics.median(times), "best": min(times), "worst": max(times), "times": times}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


# -- the sides ---------------------------------------------------------------------------------


class RunFailed(RuntimeError):
    pass


class Side:
    """One way of running the notebook: set up once, then ``run(i)`` per round, then closed."""

    name = ""
    is_server = False

    def __init__(self, work: Path, a: argparse.Namespace) -> None:
        self.work, self.a = work, a
        self.times: list[float] = []  # round 0 is the warm-up
        self.phases: list[dict[str, float]] = []
        self.error: str | None = None
        self.extra: dict[str, Any] = {}
        self.last_end = 0.0

    def setup(self) -> None:
        pass

    def run(self, i: int) -> float:
        raise NotImplementedError

    def close(self) -> None:
        pass

    def result(self) -> dict[str, Any]:
        if self.error is not None:
            return {"ok": False, "error": self.error, **self.extra}
        r: dict[str, Any] = {"ok": True, "warmup": self.times[0], **summarize(self.times[1:]), **self.extra}
        timed = self.phases[1:]
        if timed:
            r["breakdown"] = {k: statistics.median(p[k] for p in timed) for k in timed[0]}
            r["phases"] = self.phases
        return r


class PapermillInProcess(Side):
    """``papermill.execute_notebook`` in one long-lived Python process, driven over a pipe."""

    name = PM

    def setup(self) -> None:
        self.out_dir = self.work / "papermill"
        self.out_dir.mkdir()
        env = isolated_env(self.work / "papermill-env")
        self.log = open(self.work / "papermill-env" / "stderr.log", "wb")  # noqa: SIM115 (the child writes it until stop() closes it)
        self.proc = subprocess.Popen(
            [str(self.a.venv / "bin" / "python"), "-u", "-c", PAPERMILL_INPROCESS, str(self.work / NOTEBOOK_NAME)],
            env=env,
            cwd=str(self.work),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            start_new_session=True,
        )
        self.extra["import_seconds"] = self._answer(self.a.run_timeout)["import_seconds"]

    def _answer(self, timeout: float) -> dict[str, Any]:
        import select

        assert self.proc.stdout is not None
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RunFailed(f"no answer from the papermill process after {timeout:.0f} s")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                continue
            line = self.proc.stdout.readline()
            if not line:
                tail = (self.work / "papermill-env" / "stderr.log").read_text(errors="replace").strip()
                raise RunFailed(f"the papermill process exited: {' | '.join(tail.splitlines()[-3:])}")
            if line.startswith(MARK):
                return json.loads(line[len(MARK) :])

    def run(self, i: int) -> float:
        assert self.proc.stdin is not None
        out = self.out_dir / f"papermill-{i}.ipynb"
        self.proc.stdin.write(f"{out}\n")
        self.proc.stdin.flush()
        seconds = self._answer(self.a.run_timeout)["seconds"]
        err = check_notebook_file(out, f"papermill run {i}")
        if err:
            raise RunFailed(err)
        return seconds

    def close(self) -> None:
        proc = getattr(self, "proc", None)
        if proc is not None:
            stop_process_group(proc)
            self.log.close()


class PapermillCli(Side):
    name = PM_CLI

    def setup(self) -> None:
        self.out_dir = self.work / "papermill-cli"
        self.out_dir.mkdir()
        self.env = isolated_env(self.work / "papermill-cli-env")

    def run(self, i: int) -> float:
        out = self.out_dir / f"cli-{i}.ipynb"
        cmd = [
            str(self.a.venv / "bin" / "papermill"),
            str(self.work / NOTEBOOK_NAME),
            str(out),
            "-p",
            "n",
            "3",
            "-k",
            "python3",
            "--no-progress-bar",
        ]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(
                cmd, env=self.env, capture_output=True, text=True, timeout=self.a.run_timeout, cwd=str(self.work)
            )
        except subprocess.TimeoutExpired:
            raise RunFailed(f"run {i} timed out after {self.a.run_timeout:.0f} s") from None
        dt = time.perf_counter() - t0
        if proc.returncode != 0:
            raise RunFailed(f"run {i}: exit {proc.returncode}: " + proc.stderr.strip()[-300:])
        err = check_notebook_file(out, f"papermill CLI run {i}")
        if err:
            raise RunFailed(err)
        return dt


def stop_process_group(proc: subprocess.Popen[Any], grace: float = 20.0) -> None:
    """SIGTERM the process's group (kernels, job processes), SIGKILL what lingers."""
    try:
        pgid = os.getpgid(proc.pid)
    except ProcessLookupError:
        pgid = None
    if proc.poll() is None:
        try:
            os.killpg(pgid or proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    if pgid is not None:
        try:
            os.killpg(pgid, signal.SIGKILL)  # whatever is left of the group (a stuck kernel)
        except ProcessLookupError:
            pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        pass


class ServerError(RuntimeError):
    pass


class JupyterServer:
    """A ``jupyter server`` in its own process group on a free loopback port, with a token."""

    def __init__(
        self, label: str, jupyter: Path, root: Path, env: dict[str, str], log: Path, extra_args: list[str] | None = None
    ) -> None:
        self.label, self.jupyter, self.root, self.env, self.log_path = label, jupyter, root, env, log
        self.extra_args = extra_args or []
        self.token = secrets.token_hex(16)
        self.proc: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.client: Any = None
        self.ready_seconds: float | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def start(self, ready_path: str, ready: Callable[[Any], bool], timeout: float) -> None:
        import httpx

        for attempt in range(3):  # the free port may be taken between choosing and binding it
            self.port = free_port()
            cmd = [
                str(self.jupyter),
                "server",
                "--no-browser",
                "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={self.port}",
                "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={self.root}",
                *self.extra_args,
            ]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                cmd.append("--allow-root")
            log = open(self.log_path, "ab")  # noqa: SIM115 (the server writes it for its whole life)
            t0 = time.perf_counter()
            self.proc = subprocess.Popen(
                cmd,
                env=self.env,
                cwd=str(self.root),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            log.close()
            self.client = httpx.Client(
                base_url=self.url, headers={"Authorization": f"token {self.token}"}, timeout=30.0
            )
            deadline = t0 + timeout
            while time.perf_counter() < deadline:
                if self.proc.poll() is not None:
                    break
                try:
                    r = self.client.get(ready_path)
                    if r.status_code == 200 and ready(r.json()):
                        self.ready_seconds = time.perf_counter() - t0
                        return
                except (httpx.HTTPError, ValueError):
                    pass
                time.sleep(0.1)
            exited = self.proc.poll() is not None
            self.stop()
            if not exited:
                raise ServerError(f"{self.label} not ready after {timeout:.0f} s (log: {self.log_path})")
            say(f"  {self.label} exited while starting (attempt {attempt + 1}); log tail: {self.log_tail(3)}")
        raise ServerError(f"{self.label} would not start (log: {self.log_path}): {self.log_tail(5)}")

    def log_tail(self, n: int) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").strip().splitlines()
        except OSError:
            return ""
        return " | ".join(lines[-n:])

    def stop(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None
        proc, self.proc = self.proc, None
        if proc is not None:
            stop_process_group(proc)


def _epoch(iso: str | None) -> float:
    from datetime import datetime, timezone

    if not iso:
        return float("nan")
    t = datetime.fromisoformat(iso)
    return (t if t.tzinfo else t.replace(tzinfo=timezone.utc)).timestamp()


def _json(r: Any, what: str) -> Any:
    if r.status_code >= 300:
        raise ServerError(f"{what}: HTTP {r.status_code}: {r.text[:300]}")
    return r.json()


class ServerSide(Side):
    """Trigger a run over HTTP, poll until it is done, check its output, note the server's times."""

    is_server = True
    server: JupyterServer

    def trigger(self) -> str:
        raise NotImplementedError

    def status(self, run_id: str) -> tuple[str, str]:
        """("done" | "failed" | "waiting", detail)"""
        raise NotImplementedError

    def check(self, run_id: str) -> str | None:
        raise NotImplementedError

    def times_of(self, run_id: str) -> tuple[float, float]:
        """The run's start and end as the server recorded them (epoch seconds)."""
        raise NotImplementedError

    def run(self, i: int) -> float:
        a = self.a
        try:
            posted = time.time()
            t0 = time.perf_counter()
            run_id = self.trigger()
            while True:
                state, detail = self.status(run_id)
                if state == "done":
                    dt = time.perf_counter() - t0
                    break
                if state == "failed":
                    raise RunFailed(f"run {i} ({run_id}) failed: {detail}")
                if time.perf_counter() - t0 > a.run_timeout:
                    raise RunFailed(f"run {i} ({run_id}) not done after {a.run_timeout:.0f} s: {detail}")
                time.sleep(a.poll)
            err = self.check(run_id)
            if err:
                raise RunFailed(err)
            start, end = self.times_of(run_id)
        except (ServerError, OSError, KeyError, ValueError) as exc:
            raise RunFailed(f"{exc} (server log: {self.server.log_tail(3)})") from None
        self.phases.append({"to_start": start - posted, "running": end - start, "seen_after_end": posted + dt - end})
        return dt

    def close(self) -> None:
        server = getattr(self, "server", None)
        if server is not None:
            server.stop()


class JupyterSchedulerSide(ServerSide):
    name = JS

    def setup(self) -> None:
        base = self.work / "jupyter-scheduler"
        root = base / "root"
        root.mkdir(parents=True)
        shutil.copy(self.work / NOTEBOOK_NAME, root / NOTEBOOK_NAME)
        self.staging = base / "staging"
        self.started: set[str] = set()
        self.server = JupyterServer(
            JS,
            self.a.js_venv / "bin" / "jupyter",
            root,
            isolated_env(base),
            base / "server.log",
            extra_args=[
                f"--SchedulerApp.db_url=sqlite:///{base / 'scheduler.sqlite'}",
                f"--Scheduler.staging_path={self.staging}",
            ],
        )
        self.server.start("scheduler/runtime_environments", lambda body: isinstance(body, list), self.a.start_timeout)
        self.extra["server_ready_seconds"] = self.server.ready_seconds
        say(f"  {JS} ready in {self.server.ready_seconds:.1f} s on port {self.server.port}")

    def trigger(self) -> str:
        body = {
            "name": "bench-double",
            "input_uri": NOTEBOOK_NAME,
            "runtime_environment_name": "python3",
            "output_formats": ["ipynb"],
            "parameters": {"n": "3"},
        }
        return _json(self.server.client.post("scheduler/jobs", json=body), "POST /scheduler/jobs")["job_id"]

    def _job(self, job_id: str) -> dict[str, Any]:
        return _json(self.server.client.get(f"scheduler/jobs/{job_id}"), "GET /scheduler/jobs/{id}")

    def status(self, job_id: str) -> tuple[str, str]:
        job = self._job(job_id)
        st = job.get("status")
        if st == "COMPLETED":
            return "done", st
        if st == "IN_PROGRESS":
            self.started.add(job_id)
        # A new job's row says STOPPED (the column's default) until its process sets
        # IN_PROGRESS; STOPPED only means stopped once the job has started.
        if st == "FAILED" or (st in ("STOPPED", "STOPPING") and job_id in self.started):
            return "failed", f"{st}: {job.get('status_message')}"
        return "waiting", str(st)

    def check(self, job_id: str) -> str | None:
        # the executed notebook is written to the job's staging folder before COMPLETED
        outputs = [p for p in (self.staging / job_id).glob("*.ipynb") if p.name != NOTEBOOK_NAME]
        if len(outputs) != 1:
            return f"{JS} job {job_id}: expected one output notebook, found {[p.name for p in outputs]}"
        return check_notebook_file(outputs[0], f"{JS} job {job_id}")

    def times_of(self, job_id: str) -> tuple[float, float]:
        job = self._job(job_id)
        return job["start_time"] / 1e3, job["end_time"] / 1e3  # epoch milliseconds


class OrchestrLabSide(ServerSide):
    name = OL

    def setup(self) -> None:
        base = self.work / "orchestr-lab"
        root = base / "root"
        root.mkdir(parents=True)
        shutil.copy(self.work / NOTEBOOK_NAME, root / NOTEBOOK_NAME)
        home = base / "home"
        home.mkdir()
        env = isolated_env(
            base, ORCHESTR_LAB_HOME=str(home), ORCHESTR_LAB_LOGGING_LEVEL="WARNING", ORCHESTR_LAB_SHOW_WIDGETS="0"
        )
        self.server = JupyterServer(OL, self.a.venv / "bin" / "jupyter", root, env, base / "server.log")
        self.server.start(
            "orchestr-lab/api/health",
            lambda body: body.get("status") == "ok" and (body.get("services") or {}).get("local_worker"),
            self.a.start_timeout,
        )
        self.extra["server_ready_seconds"] = self.server.ready_seconds
        say(f"  {OL} ready in {self.server.ready_seconds:.1f} s on port {self.server.port}")
        body = {"name": "bench-double", "notebook": NOTEBOOK_NAME, "parameters": {"n": 1}}
        self.deployment = _json(
            self.server.client.post("orchestr-lab/api/deployments", json=body), "POST /orchestr-lab/api/deployments"
        )

    def trigger(self) -> str:
        r = self.server.client.post(
            f"orchestr-lab/api/deployments/{self.deployment['id']}/runs", json={"parameters": {"n": 3}}
        )
        return _json(r, "POST /orchestr-lab/api/deployments/{id}/runs")["id"]

    def _run(self, run_id: str) -> dict[str, Any]:
        return _json(
            self.server.client.get(f"orchestr-lab/api/flow_runs/{run_id}"), "GET /orchestr-lab/api/flow_runs/{id}"
        )

    def status(self, run_id: str) -> tuple[str, str]:
        run = self._run(run_id)
        st = (run.get("state") or {}).get("type")
        if st == "COMPLETED":
            return "done", st
        if st in ("FAILED", "CRASHED", "CANCELLED", "CANCELLING"):
            return "failed", f"{st}: {(run.get('state') or {}).get('message')}"
        return "waiting", str(st)

    def check(self, run_id: str) -> str | None:
        run = self._run(run_id)
        if run.get("parameters", {}).get("n") != 3:
            return f"{OL} run {run_id}: parameters {run.get('parameters')}, expected n=3"
        r = self.server.client.get(f"orchestr-lab/api/flow_runs/{run_id}/notebook")
        if r.status_code != 200:
            return f"{OL} run {run_id}: no executed notebook (HTTP {r.status_code}: {r.text[:200]})"
        return check_notebook(r.json(), f"{OL} run {run_id}")

    def times_of(self, run_id: str) -> tuple[float, float]:
        run = self._run(run_id)
        return _epoch(run.get("start_time")), _epoch(run.get("end_time"))


SIDE_CLASSES: dict[str, type[Side]] = {
    PM: PapermillInProcess,
    PM_CLI: PapermillCli,
    JS: JupyterSchedulerSide,
    OL: OrchestrLabSide,
}


def run_rounds(sides: list[Side], a: argparse.Namespace) -> None:
    """Round 0 is every side's warm-up; then ``a.reps`` rounds. Within a round each side runs once,
    in an order that rotates from round to round, so changing load on a shared machine falls on
    every side alike. A server has been idle at least ``a.gap`` s before each of its runs."""
    for i in range(a.reps + 1):
        live = [s for s in sides if s.error is None]
        if not live:
            return
        k = i % len(live)
        order = live[k:] + live[:k]
        shown = []
        for side in order:
            if side.is_server and side.last_end:
                idle = time.perf_counter() - side.last_end
                if idle < a.gap:
                    time.sleep(a.gap - idle)
            try:
                side.times.append(side.run(i))
            except RunFailed as exc:
                side.error = str(exc)
                say(f"  {side.name} FAILED: {side.error[:400]}")
                continue
            finally:
                side.last_end = time.perf_counter()
            shown.append(f"{side.name} {fmt_seconds(side.times[-1])}")
        say(f"  {'warm-up' if i == 0 else f'round {i}'}: " + ", ".join(shown))


# -- report ------------------------------------------------------------------------------------


def ratio_text(x: float | None) -> str:
    if x is None:
        return "—"
    return f"{x:.0f}×" if x >= 10 else f"{x:.1f}×"


def ratios(results: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """Each side's median over orchestr-lab's (how many times faster orchestr-lab is)."""
    ol = results.get(OL)
    out: dict[str, float | None] = {}
    for side in SIDES:
        r = results.get(side)
        ok = ol and ol.get("ok") and r and r.get("ok") and ol["median"] > 0
        out[side] = (r["median"] / ol["median"]) if ok else None
    return out


def render(results: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    rat = ratios(results)
    versions = meta["versions"]
    dirty = (
        "; the checkout has uncommitted changes in orchestr_lab/"
        if meta.get("orchestr_lab_uncommitted_changes")
        else ""
    )
    lines = [
        "# Notebook runs: orchestr-lab vs jupyter-scheduler vs papermill",
        "",
        f"{meta['when']} · Python {meta['python']} · {meta['machine']} · load average before/after: "
        f"{meta['load_before']} / {meta['load_after']}",
        "",
        f"orchestr-lab {versions.get('orchestr-lab')} at commit {meta.get('commit')} (imported from "
        f"{meta.get('orchestr_lab_imported_from')}{dirty}), papermill {versions.get('papermill')}, "
        f"jupyter-scheduler {versions.get('jupyter-scheduler')}.",
        "",
        "| what is timed | median | best | warm-up | runs | side / orchestr-lab |",
        "|---|---:|---:|---:|---|---:|",
    ]
    for side, desc in SIDES.items():
        r = results.get(side)
        if r is None:
            continue
        if not r.get("ok"):
            lines.append(f"| {desc} | FAILED | | | | |")
        else:
            runs = ", ".join(f"{t:.2f}" for t in r["times"])
            lines.append(
                f"| {desc} | {fmt_seconds(r['median'])} | {fmt_seconds(r['best'])} | "
                f"{fmt_seconds(r['warmup'])} | {runs} s | {ratio_text(rat[side]) if side != OL else '1'} |"
            )
    lines.append("")
    lines.append(
        f"Notebook: a `parameters` cell (`n = 1`) and `print(n * 2)`, run with n = 3; every run's executed "
        f"notebook was checked to print `{EXPECTED}`. Medians of {meta['reps']} rounds after a warm-up round; "
        f"each round runs every side once, in a rotating order; each server idle ≥ {meta['gap']:g} s before "
        f"each run, polled every {meta['poll'] * 1e3:.0f} ms."
    )
    js_ratio = rat.get(JS)
    if js_ratio is not None:
        verdict = "holds" if js_ratio >= 10 else "does NOT hold"
        lines.append(
            f"Target (issue 3): orchestr-lab ≤ 1/10 of jupyter-scheduler's time — {verdict} in this run "
            f"(jupyter-scheduler / orchestr-lab = {js_ratio:.1f}×)."
        )
    parts = [(side, results[side]["breakdown"]) for side in (JS, OL) if results.get(side, {}).get("breakdown")]
    if parts:
        lines += [
            "",
            "Where a server's time goes (medians; start and end as the server recorded them):",
            "",
            "| server | POST → run started | started → ended | ended → seen COMPLETED |",
            "|---|---:|---:|---:|",
        ]
        for side, b in parts:
            lines.append(
                f"| {side} | {fmt_seconds(b['to_start'])} | {fmt_seconds(b['running'])} | "
                f"{fmt_seconds(b['seen_after_end'])} |"
            )
        lines.append("")
    starts = [
        f"{side} {fmt_seconds(results[side]['server_ready_seconds'])}"
        for side in (JS, OL)
        if results.get(side, {}).get("ok") and results[side].get("server_ready_seconds")
    ]
    if starts:
        lines.append(f"Server start to ready (not in the table): {', '.join(starts)}.")
    pm = results.get(PM)
    if pm and pm.get("ok"):
        lines.append(
            f"`import papermill` in the in-process side took {fmt_seconds(pm['import_seconds'])} "
            f"(before its warm-up run, not in the table)."
        )
    errors = [f"- {side}: {r.get('error')}" for side, r in results.items() if not r.get("ok")]
    if errors:
        lines += ["", "Failures:", *errors]
    return "\n".join(lines) + "\n"


def lib_version(python: Path, dist: str) -> str | None:
    code = f"import importlib.metadata as m; print(m.version({dist!r}))"
    try:
        out = subprocess.run([str(python), "-c", code], capture_output=True, text=True, timeout=60)
        return out.stdout.strip() or None
    except (OSError, subprocess.TimeoutExpired):
        return None


def source_of_orchestr_lab(python: Path) -> dict[str, Any]:
    """Which orchestr_lab the server will import (as it runs: outside the checkout), and the commit."""
    out: dict[str, Any] = {}
    try:
        r = subprocess.run(
            [str(python), "-c", "import orchestr_lab; print(orchestr_lab.__file__)"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=tempfile.gettempdir(),
        )
        out["orchestr_lab_imported_from"] = str(Path(r.stdout.strip()).parent) if r.returncode == 0 else None
        git = ["git", "-C", str(ROOT)]
        out["commit"] = (
            subprocess.run(
                [*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=30
            ).stdout.strip()
            or None
        )
        dirty = subprocess.run(
            [*git, "status", "--porcelain", "--", "orchestr_lab"], capture_output=True, text=True, timeout=30
        ).stdout.strip()
        # only meaningful when the server imports the checkout itself (the editable install)
        imported = out.get("orchestr_lab_imported_from") or ""
        out["orchestr_lab_uncommitted_changes"] = bool(dirty) and Path(imported).resolve() == ROOT / "orchestr_lab"
    except (OSError, subprocess.TimeoutExpired):
        pass
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of the table")
    ap.add_argument("--only", nargs="+", choices=list(SIDES), help="run only these sides")
    ap.add_argument("--reps", type=int, default=7, help="timed rounds (each side once), after one warm-up round")
    ap.add_argument(
        "--gap", type=float, default=3.0, help="seconds a server has been idle before each of its runs (both servers)"
    )
    ap.add_argument("--poll", type=float, default=0.02, help="server polling interval, seconds (both servers)")
    ap.add_argument("--venv", type=Path, default=ROOT / ".venv", help="the project's venv (orchestr-lab, papermill)")
    ap.add_argument("--js-venv", type=Path, default=HERE / ".venv-jupyter-scheduler")
    ap.add_argument("--start-timeout", type=float, default=120, help="seconds for a server to become ready")
    ap.add_argument("--run-timeout", type=float, default=120, help="seconds for one run to complete")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "notebooks.md")
    a = ap.parse_args(argv)
    if a.reps < 1:
        ap.error("--reps must be at least 1")

    # SIGTERM must unwind through the finally blocks that stop the servers, like Ctrl-C does
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    sides = [s for s in SIDES if not a.only or s in a.only]
    venv_bin = a.venv / "bin"
    if JS in sides and not (a.js_venv / "bin" / "jupyter").exists():
        say(f"jupyter-scheduler venv missing ({a.js_venv}): run `bash bench/setup_jupyter_scheduler.sh` first")
        return 2
    if not (venv_bin / "jupyter").exists():
        say(f"project venv missing ({a.venv}): run `make setup` first")
        return 2

    meta: dict[str, Any] = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "reps": a.reps,
        "gap": a.gap,
        "poll": a.poll,
        "load_before": loadavg(),
        "versions": {
            "orchestr-lab": lib_version(venv_bin / "python", "orchestr-lab"),
            "papermill": lib_version(venv_bin / "python", "papermill"),
            "jupyter-scheduler": lib_version(a.js_venv / "bin" / "python", "jupyter-scheduler")
            if JS in sides
            else None,
        },
    }
    meta.update(source_of_orchestr_lab(venv_bin / "python"))
    work = Path(tempfile.mkdtemp(prefix="orchestr-bench-nb-"))
    (work / NOTEBOOK_NAME).write_text(json.dumps(NOTEBOOK, indent=1))
    objs = [SIDE_CLASSES[name](work, a) for name in sides]
    t_all = time.perf_counter()
    try:
        for side in objs:
            say(f"setting up {side.name} ...")
            try:
                side.setup()
            except (RunFailed, ServerError, OSError, KeyError, ValueError) as exc:
                side.error = f"setup failed: {exc}"
                say(f"  {side.name} FAILED: {side.error[:400]}")
        say(f"running: 1 warm-up round + {a.reps} rounds, each side once per round ...")
        run_rounds(objs, a)
    finally:
        for side in objs:
            side.close()
        shutil.rmtree(work, ignore_errors=True)
    results = {side.name: side.result() for side in objs}
    meta["load_after"] = loadavg()
    meta["total_seconds"] = round(time.perf_counter() - t_all, 1)

    table = render(results, meta)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(table)
    payload = {"meta": meta, "sides": SIDES, "results": results, "ratios_vs_orchestr_lab": ratios(results)}
    a.out.with_suffix(".json").write_text(json.dumps(payload, indent=2))
    if a.json:
        print(json.dumps(payload, indent=2))
    else:
        print(table)
        print(f"(written to {a.out}; whole bench {meta['total_seconds']} s)")
    return 0 if results and all(r.get("ok") for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
