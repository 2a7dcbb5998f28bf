"""A parameter sweep end to end, side by side: an orchestr-lab sweep of N members vs N `papermill`
CLI runs vs N jupyter-scheduler jobs, in the same run (issue 16).

    bash bench/setup_jupyter_scheduler.sh          # once: jupyter-scheduler in its own venv
    .venv/bin/python bench/bench_sweep.py          # table on stdout + bench/results/sweep.md
    .venv/bin/python bench/bench_sweep.py --n 20 --parallel 2 --json

The notebook is bench_notebooks.py's (``n = 1`` tagged ``parameters``, ``print(n * 2)``), run N
times with ``n = 3``; every executed notebook must print ``6`` (checked for every member, run and
job), so a fast wrong side fails instead of winning. What is timed, per side, wall clock from the
first request to the last result:

- orchestr-lab: a ``jupyter server`` from the project venv, its local worker running
  ``--parallel`` runs at once; one ``POST …/deployments/{id}/sweeps`` with N parameter sets and
  ``max_parallel = --parallel``, polled with ``GET …/sweeps/{id}`` until the sweep is final, then
  its table read (``GET …/sweeps/{id}/table``).
- papermill CLI: N ``papermill in.ipynb out.ipynb -p n 3`` processes, ``--parallel`` at a time
  (papermill has no sweep: this is how a shell loop or ``xargs -P`` does it).
- jupyter-scheduler 2.12.1: N ``POST /scheduler/jobs`` at once, polled until all are COMPLETED
  (it has no cap: each job is its own process as soon as it is posted).

Each side first runs one warm-up (a sweep of one member, one papermill run, one job), untimed.
Servers, helpers and checks are bench_notebooks.py's.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_notebooks as bn  # noqa: E402  (bench/ is not a package)

SIDES = {
    bn.OL: "orchestr-lab sweep: one `POST …/sweeps`, max_parallel P",
    bn.PM_CLI: "`papermill` CLI, P processes at a time",
    bn.JS: "jupyter-scheduler 2.12.1: N jobs posted at once",
}
_SERVER_ARGS: dict[str, list[str]] = {}


class _Server(bn.JupyterServer):
    """bench_notebooks' server with extra arguments per side (the local worker's concurrency)."""

    def __init__(self, label: str, *args: Any, extra_args: list[str] | None = None, **kw: Any) -> None:
        super().__init__(label, *args, extra_args=[*(extra_args or []), *_SERVER_ARGS.get(label, [])], **kw)


bn.JupyterServer = _Server  # type: ignore[misc]  # the sides build their servers through this name


def _wait(done: Any, what: str, timeout: float, poll: float) -> None:
    deadline = time.perf_counter() + timeout
    while not done():
        if time.perf_counter() > deadline:
            raise bn.RunFailed(f"{what} not done after {timeout:.0f} s")
        time.sleep(poll)


def sweep_batch(side: bn.OrchestrLabSide, n: int, a: argparse.Namespace) -> dict[str, Any]:
    """One sweep of ``n`` members; every member COMPLETED with its notebook checked."""
    client = side.server.client
    body = {"parameter_sets": [{"n": 3}] * n, "max_parallel": a.parallel}
    created = bn._json(
        client.post(f"orchestr-lab/api/deployments/{side.deployment['id']}/sweeps", json=body), "POST sweeps"
    )
    path = f"orchestr-lab/api/sweeps/{created['id']}"
    _wait(lambda: bn._json(client.get(path), "GET sweep")["state"] != "RUNNING", "the sweep", a.run_timeout, a.poll)
    table = bn._json(client.get(path + "/table"), "GET table")
    sweep = bn._json(client.get(path), "GET sweep")
    if sweep["counts"] != {"COMPLETED": n} or len(table["rows"]) != n:
        raise bn.RunFailed(f"sweep {created['id']} ended {sweep['state']} {sweep['counts']}")
    return sweep


def check_sweep(side: bn.OrchestrLabSide, sweep: dict[str, Any]) -> None:
    for member in sweep["members"]:
        err = side.check(member["flow_run_id"])
        if err:
            raise bn.RunFailed(err)


def papermill_batch(side: bn.PapermillCli, first: int, n: int, parallel: int) -> None:
    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(side.run, range(first, first + n)))


def scheduler_batch(side: bn.JupyterSchedulerSide, n: int, a: argparse.Namespace) -> list[str]:
    jobs = [side.trigger() for _ in range(n)]

    def all_done() -> bool:
        try:
            states = [side.status(job) for job in jobs]
        except httpx.TimeoutException:  # a server busy with N job processes answers late: ask again
            return False
        failed = [detail for state, detail in states if state == "failed"]
        if failed:
            raise bn.RunFailed(f"{len(failed)} jobs failed: {failed[0]}")
        return all(state == "done" for state, _ in states)

    _wait(all_done, f"{n} jobs", a.run_timeout, a.poll)
    return jobs


def measure(name: str, work: Path, a: argparse.Namespace) -> dict[str, Any]:
    """Set the side up, warm it up with one run, then time the batch of ``a.n``."""
    side = {bn.OL: bn.OrchestrLabSide, bn.PM_CLI: bn.PapermillCli, bn.JS: bn.JupyterSchedulerSide}[name](work, a)
    try:
        side.setup()
        if name == bn.OL:
            sweep_batch(side, 1, a)  # type: ignore[arg-type]
            t0 = time.perf_counter()
            sweep = sweep_batch(side, a.n, a)  # type: ignore[arg-type]
            seconds = time.perf_counter() - t0
            check_sweep(side, sweep)  # type: ignore[arg-type]
        elif name == bn.PM_CLI:
            side.run(0)
            t0 = time.perf_counter()
            papermill_batch(side, 1, a.n, a.parallel)  # type: ignore[arg-type]
            seconds = time.perf_counter() - t0
        else:
            scheduler_batch(side, 1, a)  # type: ignore[arg-type]
            t0 = time.perf_counter()
            jobs = scheduler_batch(side, a.n, a)  # type: ignore[arg-type]
            seconds = time.perf_counter() - t0
            for job in jobs:
                err = side.check(job)
                if err:
                    raise bn.RunFailed(err)
        return {"ok": True, "seconds": seconds, "per_run": seconds / a.n}
    except (bn.RunFailed, bn.ServerError, OSError, KeyError, ValueError, httpx.HTTPError) as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:400]}
    finally:
        side.close()


def render(results: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    ours = results.get(bn.OL, {}).get("seconds")
    lines = [
        f"Sweep of {meta['n']} trivial notebook runs, parallelism {meta['parallel']} "
        f"({meta['when']}, {meta['machine']}, load before {meta['load_before']}, after {meta['load_after']})",
        "",
        "| side | wall, all runs | per run | this / orchestr-lab |",
        "|---|---|---|---|",
    ]
    for name, r in results.items():
        if not r["ok"]:
            lines.append(f"| {SIDES[name]} | failed: {r['error']} | | |")
            continue
        ratio = f"{r['seconds'] / ours:.1f}×" if ours else "n/a"
        lines.append(f"| {SIDES[name]} | {bn.fmt_seconds(r['seconds'])} | {bn.fmt_seconds(r['per_run'])} | {ratio} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=50, help="runs (sweep members) per side")
    ap.add_argument("--parallel", type=int, default=4, help="runs at once (max_parallel; papermill processes)")
    ap.add_argument("--only", nargs="+", choices=list(SIDES), help="run only these sides")
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of the table")
    ap.add_argument("--poll", type=float, default=0.1, help="server polling interval, seconds")
    ap.add_argument("--venv", type=Path, default=bn.ROOT / ".venv", help="the project's venv (orchestr-lab, papermill)")
    ap.add_argument("--js-venv", type=Path, default=HERE / ".venv-jupyter-scheduler")
    ap.add_argument("--start-timeout", type=float, default=120, help="seconds for a server to become ready")
    ap.add_argument("--run-timeout", type=float, default=900, help="seconds for one side's batch")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "sweep.md")
    a = ap.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    _SERVER_ARGS[bn.OL] = [f"--OrchestrLabApp.local_worker_concurrency={a.parallel}"]
    sides = [s for s in SIDES if not a.only or s in a.only]
    if bn.JS in sides and not (a.js_venv / "bin" / "jupyter").exists():
        bn.say(f"jupyter-scheduler venv missing ({a.js_venv}): run `bash bench/setup_jupyter_scheduler.sh` first")
        return 2
    meta: dict[str, Any] = {
        "n": a.n,
        "parallel": a.parallel,
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
        "load_before": bn.loadavg(),
    }
    work = Path(tempfile.mkdtemp(prefix="orchestr-bench-sweep-"))
    (work / bn.NOTEBOOK_NAME).write_text(json.dumps(bn.NOTEBOOK, indent=1))
    results: dict[str, dict[str, Any]] = {}
    for name in sides:
        bn.say(f"{name}: {a.n} runs, {a.parallel} at a time ...")
        results[name] = measure(name, work, a)
        bn.say(f"  {results[name]}")
    meta["load_after"] = bn.loadavg()
    if a.json:
        print(json.dumps({"meta": meta, "results": results}, indent=2))
    else:
        text = render(results, meta)
        print(text)
        a.out.parent.mkdir(parents=True, exist_ok=True)
        a.out.write_text(text)
    return 0 if all(r["ok"] for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
