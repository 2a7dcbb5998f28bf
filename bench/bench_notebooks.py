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

Both servers are polled at the same interval (--poll, 20 ms) over one keep-alive connection and
get the same pause (--gap, 3 s) between runs, so each run is triggered on an idle server, as a
user triggers one from JupyterLab (papermill has nothing running between runs: back to back).
Each side does one warm-up run, then --reps timed runs; the figure is the median. Every
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
from pathlib import Path
from typing import Any, Callable

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
        {"cell_type": "code", "id": "parameters", "metadata": {"tags": ["parameters"]},
         "execution_count": None, "outputs": [], "source": ["n = 1"]},
        {"cell_type": "code", "id": "double", "metadata": {},
         "execution_count": None, "outputs": [], "source": ["print(n * 2)"]},
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}

# papermill in one process: a warm-up call, then the timed calls; one JSON line on stdout.
PAPERMILL_INPROCESS = r"""
import json, sys, time
t0 = time.perf_counter()
import papermill
import_s = time.perf_counter() - t0
src, out_dir, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
runs = []
for i in range(reps + 1):
    out = f"{out_dir}/papermill-{i}.ipynb"
    t0 = time.perf_counter()
    papermill.execute_notebook(src, out, parameters={"n": 3}, kernel_name="python3",
                               progress_bar=False, log_output=False)
    runs.append({"seconds": time.perf_counter() - t0, "output": out})
print("BENCH_RESULT " + json.dumps({"import_seconds": import_s, "runs": runs}))
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
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER_", "ORCHESTR_LAB_", "IPYTHON", "PYTHONSTARTUP"))}
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


# -- papermill ---------------------------------------------------------------------------------

def bench_papermill(python: Path, work: Path, reps: int, timeout: float) -> dict[str, Any]:
    out_dir = work / "papermill"
    out_dir.mkdir()
    env = isolated_env(work / "papermill-env")
    cmd = [str(python), "-c", PAPERMILL_INPROCESS, str(work / NOTEBOOK_NAME), str(out_dir), str(reps)]
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(work))
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timed out after {timeout:.0f} s"}
    payload = None
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            payload = json.loads(line[len(MARK):])
    if payload is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return {"ok": False, "error": f"exit {proc.returncode}: " + " | ".join(tail)}
    for i, run in enumerate(payload["runs"]):
        err = check_notebook_file(run["output"], f"papermill run {i}")
        if err:
            return {"ok": False, "error": err}
    times = [r["seconds"] for r in payload["runs"]]
    return {"ok": True, "warmup": times[0], "import_seconds": payload["import_seconds"], **summarize(times[1:])}


def bench_papermill_cli(papermill: Path, work: Path, reps: int, timeout: float) -> dict[str, Any]:
    out_dir = work / "papermill-cli"
    out_dir.mkdir()
    env = isolated_env(work / "papermill-cli-env")
    times = []
    for i in range(reps + 1):
        out = out_dir / f"cli-{i}.ipynb"
        cmd = [str(papermill), str(work / NOTEBOOK_NAME), str(out), "-p", "n", "3", "-k", "python3",
               "--no-progress-bar"]
        t0 = time.perf_counter()
        try:
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(work))
        except subprocess.TimeoutExpired:
            return {"ok": False, "error": f"run {i} timed out after {timeout:.0f} s"}
        dt = time.perf_counter() - t0
        if proc.returncode != 0:
            return {"ok": False, "error": f"run {i}: exit {proc.returncode}: " + proc.stderr.strip()[-300:]}
        err = check_notebook_file(out, f"papermill CLI run {i}")
        if err:
            return {"ok": False, "error": err}
        times.append(dt)
    return {"ok": True, "warmup": times[0], **summarize(times[1:])}


# -- servers -----------------------------------------------------------------------------------

class ServerError(RuntimeError):
    pass


class JupyterServer:
    """A ``jupyter server`` in its own process group on a free loopback port, with a token."""

    def __init__(self, label: str, jupyter: Path, root: Path, env: dict[str, str], log: Path,
                 extra_args: list[str] | None = None) -> None:
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
                str(self.jupyter), "server", "--no-browser",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root}",
                *self.extra_args,
            ]
            if hasattr(os, "geteuid") and os.geteuid() == 0:
                cmd.append("--allow-root")
            log = open(self.log_path, "ab")
            t0 = time.perf_counter()
            self.proc = subprocess.Popen(cmd, env=self.env, cwd=str(self.root), stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
            log.close()
            self.client = httpx.Client(base_url=self.url, headers={"Authorization": f"token {self.token}"},
                                       timeout=30.0)
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
        """SIGTERM the server's process group (kernels, job processes), SIGKILL what lingers."""
        if self.client is not None:
            self.client.close()
            self.client = None
        proc, self.proc = self.proc, None
        if proc is None:
            return
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
                proc.wait(20)
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


def timed_runs(trigger: Callable[[], str], status: Callable[[str], tuple[str, str]],
               check: Callable[[str], str | None], times_of: Callable[[str], tuple[float, float]], *,
               reps: int, gap: float, poll: float, timeout: float) -> dict[str, Any]:
    """One warm-up run, then ``reps`` timed ones: trigger -> poll until done; every run checked.

    ``status(id)`` answers ("done" | "failed" | "waiting", detail); ``times_of(id)`` the run's
    start and end as the server recorded them (epoch seconds), for the breakdown."""
    times: list[float] = []
    phases: list[dict[str, float]] = []
    for i in range(reps + 1):
        if i:
            time.sleep(gap)
        posted = time.time()
        t0 = time.perf_counter()
        run_id = trigger()
        while True:
            state, detail = status(run_id)
            if state == "done":
                dt = time.perf_counter() - t0
                break
            if state == "failed":
                return {"ok": False, "error": f"run {i} ({run_id}) failed: {detail}"}
            if time.perf_counter() - t0 > timeout:
                return {"ok": False, "error": f"run {i} ({run_id}) not done after {timeout:.0f} s: {detail}"}
            time.sleep(poll)
        err = check(run_id)
        if err:
            return {"ok": False, "error": err}
        times.append(dt)
        start, end = times_of(run_id)
        phases.append({"to_start": start - posted, "running": end - start, "seen_after_end": posted + dt - end})
        say(f"    {'warm-up' if i == 0 else f'run {i}'}: {fmt_seconds(dt)}")
    timed = phases[1:]
    breakdown = {k: statistics.median(p[k] for p in timed) for k in timed[0]}
    return {"ok": True, "warmup": times[0], **summarize(times[1:]), "breakdown": breakdown, "phases": phases}


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


def bench_jupyter_scheduler(venv: Path, work: Path, a: argparse.Namespace) -> dict[str, Any]:
    base = work / "jupyter-scheduler"
    root = base / "root"
    root.mkdir(parents=True)
    shutil.copy(work / NOTEBOOK_NAME, root / NOTEBOOK_NAME)
    staging = base / "staging"
    env = isolated_env(base)
    server = JupyterServer(
        JS, venv / "bin" / "jupyter", root, env, base / "server.log",
        extra_args=[f"--SchedulerApp.db_url=sqlite:///{base / 'scheduler.sqlite'}",
                    f"--Scheduler.staging_path={staging}"],
    )
    try:
        server.start("scheduler/runtime_environments", lambda body: isinstance(body, list), a.start_timeout)
        say(f"  {JS} ready in {server.ready_seconds:.1f} s on port {server.port}")
        c = server.client

        def trigger() -> str:
            body = {"name": "bench-double", "input_uri": NOTEBOOK_NAME, "runtime_environment_name": "python3",
                    "output_formats": ["ipynb"], "parameters": {"n": "3"}}
            return _json(c.post("scheduler/jobs", json=body), "POST /scheduler/jobs")["job_id"]

        started: set[str] = set()

        def status(job_id: str) -> tuple[str, str]:
            job = _json(c.get(f"scheduler/jobs/{job_id}"), "GET /scheduler/jobs/{id}")
            st = job.get("status")
            if st == "COMPLETED":
                return "done", st
            if st == "IN_PROGRESS":
                started.add(job_id)
            # A new job's row says STOPPED (the column's default) until its process sets
            # IN_PROGRESS; STOPPED only means stopped once the job has started.
            if st == "FAILED" or (st in ("STOPPED", "STOPPING") and job_id in started):
                return "failed", f"{st}: {job.get('status_message')}"
            return "waiting", str(st)

        def check(job_id: str) -> str | None:
            # the executed notebook is written to the job's staging folder before COMPLETED
            outputs = [p for p in (staging / job_id).glob("*.ipynb") if p.name != NOTEBOOK_NAME]
            if len(outputs) != 1:
                return f"{JS} job {job_id}: expected one output notebook, found {[p.name for p in outputs]}"
            return check_notebook_file(outputs[0], f"{JS} job {job_id}")

        def times_of(job_id: str) -> tuple[float, float]:
            job = _json(c.get(f"scheduler/jobs/{job_id}"), "GET /scheduler/jobs/{id}")
            return job["start_time"] / 1e3, job["end_time"] / 1e3  # epoch milliseconds

        r = timed_runs(trigger, status, check, times_of, reps=a.reps, gap=a.gap, poll=a.poll,
                       timeout=a.run_timeout)
        r["server_ready_seconds"] = server.ready_seconds
        return r
    except (ServerError, OSError, KeyError, ValueError) as exc:
        return {"ok": False, "error": f"{exc} (server log: {server.log_tail(3)})"}
    finally:
        server.stop()


def bench_orchestr_lab(venv: Path, work: Path, a: argparse.Namespace) -> dict[str, Any]:
    base = work / "orchestr-lab"
    root = base / "root"
    root.mkdir(parents=True)
    shutil.copy(work / NOTEBOOK_NAME, root / NOTEBOOK_NAME)
    home = base / "home"
    home.mkdir()
    env = isolated_env(base, ORCHESTR_LAB_HOME=str(home), ORCHESTR_LAB_LOGGING_LEVEL="WARNING",
                       ORCHESTR_LAB_SHOW_WIDGETS="0")
    server = JupyterServer(OL, venv / "bin" / "jupyter", root, env, base / "server.log")
    try:
        server.start("orchestr-lab/api/health",
                     lambda body: body.get("status") == "ok" and (body.get("services") or {}).get("local_worker"),
                     a.start_timeout)
        say(f"  {OL} ready in {server.ready_seconds:.1f} s on port {server.port}")
        c = server.client
        dep = _json(c.post("orchestr-lab/api/deployments",
                           json={"name": "bench-double", "notebook": NOTEBOOK_NAME, "parameters": {"n": 1}}),
                    "POST /orchestr-lab/api/deployments")

        def trigger() -> str:
            return _json(c.post(f"orchestr-lab/api/deployments/{dep['id']}/runs", json={"parameters": {"n": 3}}),
                         "POST /orchestr-lab/api/deployments/{id}/runs")["id"]

        def status(run_id: str) -> tuple[str, str]:
            run = _json(c.get(f"orchestr-lab/api/flow_runs/{run_id}"), "GET /orchestr-lab/api/flow_runs/{id}")
            st = (run.get("state") or {}).get("type")
            if st == "COMPLETED":
                return "done", st
            if st in ("FAILED", "CRASHED", "CANCELLED", "CANCELLING"):
                return "failed", f"{st}: {(run.get('state') or {}).get('message')}"
            return "waiting", str(st)

        def check(run_id: str) -> str | None:
            run = _json(c.get(f"orchestr-lab/api/flow_runs/{run_id}"), "GET flow run")
            if run.get("parameters", {}).get("n") != 3:
                return f"{OL} run {run_id}: parameters {run.get('parameters')}, expected n=3"
            r = c.get(f"orchestr-lab/api/flow_runs/{run_id}/notebook")
            if r.status_code != 200:
                return f"{OL} run {run_id}: no executed notebook (HTTP {r.status_code}: {r.text[:200]})"
            return check_notebook(r.json(), f"{OL} run {run_id}")

        def times_of(run_id: str) -> tuple[float, float]:
            run = _json(c.get(f"orchestr-lab/api/flow_runs/{run_id}"), "GET /orchestr-lab/api/flow_runs/{id}")
            return _epoch(run.get("start_time")), _epoch(run.get("end_time"))

        r = timed_runs(trigger, status, check, times_of, reps=a.reps, gap=a.gap, poll=a.poll,
                       timeout=a.run_timeout)
        r["server_ready_seconds"] = server.ready_seconds
        return r
    except (ServerError, OSError, KeyError, ValueError) as exc:
        return {"ok": False, "error": f"{exc} (server log: {server.log_tail(3)})"}
    finally:
        server.stop()


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
    dirty = "; the checkout has uncommitted changes in orchestr_lab/" if meta.get("orchestr_lab_uncommitted_changes") else ""
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
            lines.append(f"| {desc} | {fmt_seconds(r['median'])} | {fmt_seconds(r['best'])} | "
                         f"{fmt_seconds(r['warmup'])} | {runs} s | {ratio_text(rat[side]) if side != OL else '1'} |")
    lines.append("")
    lines.append(
        f"Notebook: a `parameters` cell (`n = 1`) and `print(n * 2)`, run with n = 3; every run's executed "
        f"notebook was checked to print `{EXPECTED}`. Medians of {meta['reps']} runs after one warm-up run; "
        f"each server idle {meta['gap']:g} s between runs (papermill back to back), polled every {meta['poll'] * 1e3:.0f} ms."
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
            lines.append(f"| {side} | {fmt_seconds(b['to_start'])} | {fmt_seconds(b['running'])} | "
                         f"{fmt_seconds(b['seen_after_end'])} |")
        lines.append("")
    starts = [f"{side} {fmt_seconds(results[side]['server_ready_seconds'])}" for side in (JS, OL)
              if results.get(side, {}).get("ok") and results[side].get("server_ready_seconds")]
    if starts:
        lines.append(f"Server start to ready (not in the table): {', '.join(starts)}.")
    pm = results.get(PM)
    if pm and pm.get("ok"):
        lines.append(f"`import papermill` in the in-process side took {fmt_seconds(pm['import_seconds'])} "
                     f"(before its warm-up run, not in the table).")
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
        r = subprocess.run([str(python), "-c", "import orchestr_lab; print(orchestr_lab.__file__)"],
                           capture_output=True, text=True, timeout=60, cwd=tempfile.gettempdir())
        out["orchestr_lab_imported_from"] = str(Path(r.stdout.strip()).parent) if r.returncode == 0 else None
        git = ["git", "-C", str(ROOT)]
        out["commit"] = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                       timeout=30).stdout.strip() or None
        dirty = subprocess.run([*git, "status", "--porcelain", "--", "orchestr_lab"], capture_output=True,
                               text=True, timeout=30).stdout.strip()
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
    ap.add_argument("--reps", type=int, default=7, help="timed runs per side, after one warm-up run")
    ap.add_argument("--gap", type=float, default=3.0,
                    help="pause between a server's runs, seconds (both servers; papermill has no server)")
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
        "reps": a.reps, "gap": a.gap, "poll": a.poll,
        "load_before": loadavg(),
        "versions": {
            "orchestr-lab": lib_version(venv_bin / "python", "orchestr-lab"),
            "papermill": lib_version(venv_bin / "python", "papermill"),
            "jupyter-scheduler": lib_version(a.js_venv / "bin" / "python", "jupyter-scheduler") if JS in sides else None,
        },
    }
    meta.update(source_of_orchestr_lab(venv_bin / "python"))
    results: dict[str, dict[str, Any]] = {}
    work = Path(tempfile.mkdtemp(prefix="orchestr-bench-nb-"))
    (work / NOTEBOOK_NAME).write_text(json.dumps(NOTEBOOK, indent=1))
    t_all = time.perf_counter()
    try:
        for side in sides:
            say(f"{side} (1 warm-up + {a.reps} runs) ...")
            t0 = time.perf_counter()
            if side == PM:
                r = bench_papermill(venv_bin / "python", work, a.reps, a.run_timeout * (a.reps + 2))
            elif side == PM_CLI:
                r = bench_papermill_cli(venv_bin / "papermill", work, a.reps, a.run_timeout)
            elif side == JS:
                r = bench_jupyter_scheduler(a.js_venv, work, a)
            else:
                r = bench_orchestr_lab(a.venv, work, a)
            r["side_seconds"] = round(time.perf_counter() - t0, 1)
            results[side] = r
            shown = fmt_seconds(r["median"]) if r.get("ok") else "FAILED: " + str(r.get("error"))[:400]
            say(f"  -> median {shown}  ({r['side_seconds']} s)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
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
