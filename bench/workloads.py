"""The benchmark workloads, written once against the public API of the library under test.

    python bench/workloads.py LIBRARY WORKLOAD [--reps N] [--calls N]

LIBRARY is an importable package exposing Prefect's names (``orchestr_lab`` or ``prefect``):
``from LIBRARY import flow, task`` is the only import. Each workload runs one warm-up call, then
N timed repetitions, checks the answer of every call, and prints one line::

    BENCH_RESULT {"ok": true, "times": [...], "warmup": s, ...}

on stdout (the last such line counts; anything the library prints is ignored by the driver).
If the library cannot be imported the line carries ``"ok": false`` and the error, and the
process exits 2. ``bench_engine.py`` runs each workload in a fresh process.
"""

from __future__ import annotations

import argparse
import importlib
import json
import statistics
import sys
import time
import traceback

WORKLOADS = ("seq1000", "map1000", "retry100", "empty_flow", "import")

MARK = "BENCH_RESULT "


def emit(payload: dict) -> None:
    sys.stdout.flush()
    print(MARK + json.dumps(payload), flush=True)


def build(lib):
    """The flows of every workload, decorated with ``lib``'s flow/task."""
    flow, task = lib.flow, lib.task

    @task
    def inc(x):
        return x + 1

    @flow
    def seq_flow(n: int):
        x = 0
        for _ in range(n):
            x = inc(x)
        return x

    @flow
    def map_flow(n: int):
        futures = inc.map(range(n))
        return [f.result() for f in futures]

    attempts: dict[int, int] = {}

    @task(retries=1, retry_delay_seconds=0)
    def flaky(i):
        attempts[i] = attempts.get(i, 0) + 1
        if attempts[i] == 1:
            raise ValueError(f"first attempt of {i} fails")
        return i

    @flow
    def retry_flow(n: int):
        attempts.clear()
        out = [flaky(i) for i in range(n)]
        return out, sum(attempts.values())

    @flow
    def empty_flow():
        return None

    def seq_call(n=1000):
        got = seq_flow(n)
        assert got == n, got

    def map_call(n=1000):
        got = map_flow(n)
        assert got == list(range(1, n + 1)), got[:5]

    def retry_call(n=100):
        out, calls = retry_flow(n)
        assert out == list(range(n)), out[:5]
        assert calls == 2 * n, calls

    def empty_call():
        assert empty_flow() is None

    # workload -> (timed call, warm-up call). The warm-up runs the same flows on a small input:
    # it pays the one-time costs (imports, first run, Prefect's temporary API server start)
    # without leaving a backlog of 1,000 task runs' events for the timed calls to wait behind.
    return {
        "seq1000": (seq_call, lambda: seq_call(10)),
        "map1000": (map_call, lambda: map_call(10)),
        "retry100": (retry_call, lambda: retry_call(10)),
        "empty_flow": (empty_call, empty_call),
    }


def run_import(libname: str) -> dict:
    """Time ``import LIBRARY`` in this (fresh) process and list heavy modules it pulled in."""
    t0 = time.perf_counter()
    importlib.import_module(libname)
    dt = time.perf_counter() - t0
    heavy = sorted(
        m
        for m in ("jupyter_server", "papermill", "nbclient", "distributed", "dask", "IPython", "ipywidgets")
        if m in sys.modules
    )
    return {"ok": True, "times": [dt], "heavy_modules": heavy, "n_modules": len(sys.modules)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("library")
    p.add_argument("workload", choices=WORKLOADS)
    p.add_argument("--reps", type=int, default=3, help="timed repetitions after the warm-up call")
    p.add_argument("--calls", type=int, default=1, help="calls per repetition (time is per call)")
    a = p.parse_args(argv)

    if a.workload == "import":
        try:
            emit(run_import(a.library))
            return 0
        except Exception as exc:  # noqa: BLE001 - reported to the driver
            emit({"ok": False, "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
            return 2

    t_import = time.perf_counter()
    try:
        lib = importlib.import_module(a.library)
        lib.flow, lib.task  # noqa: B018 - must exist
    except Exception as exc:  # noqa: BLE001
        emit({"ok": False, "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
        return 2
    t_import = time.perf_counter() - t_import

    try:
        call, warm = build(lib)[a.workload]
        t0 = time.perf_counter()
        warm()  # warm-up: the first call pays one-time costs (e.g. starting an API server)
        warmup = time.perf_counter() - t0
        times = []
        for _ in range(a.reps):
            t0 = time.perf_counter()
            for _ in range(a.calls):
                call()
            times.append((time.perf_counter() - t0) / a.calls)
    except Exception as exc:  # noqa: BLE001
        emit({"ok": False, "error": f"{type(exc).__name__}: {exc}", "traceback": traceback.format_exc()})
        return 3
    emit(
        {
            "ok": True,
            "times": times,
            "median": statistics.median(times),
            "best": min(times),
            "warmup": warmup,
            "import": t_import,
            "reps": a.reps,
            "calls": a.calls,
        }
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
