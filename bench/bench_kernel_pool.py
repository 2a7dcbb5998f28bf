"""Trigger -> COMPLETED for a trivial parameterized notebook: the worker's warm kernel pool vs papermill.

    .venv/bin/python bench/bench_kernel_pool.py [--reps 5] [--settle 3]

Each worker variant runs ``Worker.run_forever`` in a thread (as the server's local worker
does), on a throwaway SQLite store. A repetition waits ``--settle`` seconds (the pool is warm,
as between scheduled runs), creates a deployment run (the trigger) and polls the store every
5 ms until the run is COMPLETED. With ``wake`` the trigger also calls ``Worker.wake()``;
without it the run waits for the worker's next poll (``poll_interval`` 1 s, the default), so
those repetitions trigger at offsets spread over one poll interval (a fair average wait).
papermill figures: ``execute_notebook`` in this process and the ``papermill`` command, each
starting its own kernel. Prints medians (and min/max) in seconds.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

CELLS = ["total = n * 2", "print('total', total)"]


def write_notebook(path: Path) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell("n = 1")
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, *(nbformat.v4.new_code_cell(c) for c in CELLS)]
    nbformat.write(nb, path)
    return path


def through_worker(root: Path, reps: int, settle: float, *, wake: bool, **options: Any) -> list[float]:
    from orchestr_lab.engine.recorder import reset_recorders
    from orchestr_lab.store.database import dispose_engines, get_engine
    from orchestr_lab.store.deployment_runs import create_deployment_run
    from orchestr_lab.store.deployments import create_deployment
    from orchestr_lab.store.run_reads import get_flow_run
    from orchestr_lab.workers.worker import Worker

    folder = Path(tempfile.mkdtemp(dir=root))
    write_notebook(folder / "report.ipynb")
    url = f"sqlite:///{folder / 'store.db'}"
    engine = get_engine(url)
    dep = create_deployment(engine, {"name": "report", "notebook": "report.ipynb"})
    worker = Worker(url, name="bench", root_dir=folder, output_dir=folder / "out", **options)
    thread = threading.Thread(target=worker.run_forever, daemon=True)
    thread.start()
    times = []
    try:
        for i in range(reps):
            time.sleep(settle + (0 if wake else worker.poll_interval * i / reps))
            started = time.perf_counter()
            run = create_deployment_run(engine, dep, parameters={"n": i})
            if wake:
                worker.wake()
            while True:
                state = get_flow_run(engine, run["id"])["state"]["type"]
                if state in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                    break
                time.sleep(0.005)
            times.append(time.perf_counter() - started)
            if state != "COMPLETED":
                raise SystemExit(f"run ended {state}")
    finally:
        worker.stop(hand_back=True)
        thread.join(30)
        reset_recorders()
        dispose_engines(url)
    return times


def papermill_in_process(root: Path, reps: int) -> list[float]:
    import papermill

    source = write_notebook(root / "pm.ipynb")
    times = []
    for i in range(reps):
        started = time.perf_counter()
        papermill.execute_notebook(str(source), str(root / f"pm-{i}.ipynb"), parameters={"n": i}, progress_bar=False)
        times.append(time.perf_counter() - started)
    return times


def papermill_cli(root: Path, reps: int) -> list[float]:
    source = write_notebook(root / "cli.ipynb")
    command = [str(Path(sys.executable).with_name("papermill")), "--no-progress-bar", str(source)]
    times = []
    for i in range(reps):
        started = time.perf_counter()
        subprocess.run(
            [*command, str(root / f"cli-{i}.ipynb"), "-p", "n", str(i)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--settle", type=float, default=3.0)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-kernel-pool-"))
    variants: list[tuple[str, Callable[[], list[float]]]] = [
        (
            "worker, warm kernel pool (1), wake on trigger",
            lambda: through_worker(root, args.reps, args.settle, wake=True, warm_kernels=1),
        ),
        (
            "worker, warm kernel pool (1), poll 1 s (no wake)",
            lambda: through_worker(root, args.reps, args.settle, wake=False, warm_kernels=1),
        ),
        (
            "worker, warm child, cold kernel (--warm-kernels 0), wake",
            lambda: through_worker(root, args.reps, args.settle, wake=True, warm_kernels=0),
        ),
        (
            "worker, no spare at all (--no-warm), wake",
            lambda: through_worker(root, args.reps, args.settle, wake=True, warm=False),
        ),
        ("papermill.execute_notebook in-process", lambda: papermill_in_process(root, args.reps)),
        ("papermill CLI", lambda: papermill_cli(root, args.reps)),
    ]
    print(f"trigger -> COMPLETED, trivial parameterized notebook ({len(CELLS) + 1} cells), {args.reps} reps")
    for label, measure in variants:
        times = measure()
        print(
            f"  {label:<58} median {statistics.median(times):6.3f} s   (min {min(times):.3f}, max {max(times):.3f})",
            flush=True,
        )


if __name__ == "__main__":
    main()
