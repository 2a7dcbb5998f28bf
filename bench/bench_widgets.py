"""What the live run widget costs: a 10,000-task flow in a real kernel, widget on vs off.

    .venv/bin/python bench/bench_widgets.py            # table on stdout + bench/results/widgets.json
    .venv/bin/python bench/bench_widgets.py --reps 3 --tasks 2000   # a quick look

One kernel (ipykernel, as JupyterLab starts it) runs the same flows again and again, alternating
``%orchestr widgets on`` and ``off`` so both sides share the machine's noise. Per call it measures
the flow call's time inside the kernel (perf_counter around the call) and, on the client side,
every widget update message (comm ``update``) the kernel sent while the call ran: how many, and the
longest silence between two of them while the run was going (the widget is "responsive" when that
gap stays near the updater's 0.1 s interval; one update per state change would be 30,000 messages).

Workloads: ``seq`` (N sequential task calls in a flow) and ``map`` (``task.map`` over N inputs),
the flows and answer checks of bench/workloads.py (sent to the kernel, so both benches time the
same code).
Logging at WARNING (as in bench_engine.py), a throw-away ORCHESTR_LAB_HOME.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import queue
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

WORKLOADS = HERE / "workloads.py"

# Kernel-side timing of one call: wall time and the kernel process's CPU time.
TIMED = """\
def timed(fn, n):
    t0, c0 = time.perf_counter(), time.process_time()
    fn(n)
    return time.perf_counter() - t0, time.process_time() - c0
"""

# bench/workloads.py's timed calls (flow call + answer check), by this bench's workload names.
CALLS = {"seq": "seq1000", "map": "map1000"}


def setup_code() -> str:
    """The kernel's setup cell: bench/workloads.py's source, sent and run as module ``workloads``.

    The flows are not copied here, so this bench and bench_engine.py time the same code; the
    source travels in the cell (the kernel needs no path to this folder), compiled under the
    file's name so tracebacks and ``inspect`` point at it. Its ``__name__`` is not
    ``"__main__"``, so the module's command line does not run in the kernel.
    """
    source = WORKLOADS.read_text(encoding="utf-8")
    calls = "".join(f"{name}_call = _calls[{key!r}][0]\n" for name, key in CALLS.items())
    return (
        "%load_ext orchestr_lab\n"
        "import sys, time, types\n"
        "import orchestr_lab\n"
        "workloads = types.ModuleType('workloads')\n"
        f"workloads.__file__ = {str(WORKLOADS)!r}\n"
        "sys.modules['workloads'] = workloads\n"
        f"exec(compile({source!r}, workloads.__file__, 'exec'), workloads.__dict__)\n"
        "_calls = workloads.build(orchestr_lab)\n" + calls + TIMED
    )


def _run(kc, code: str, timeout: float = 600.0) -> tuple[dict, list[float], float]:
    """Execute ``code``; (its result's text/plain, times of widget update messages, wall seconds)."""
    msg_id = kc.execute(code)
    t0 = time.perf_counter()
    updates: list[float] = []
    result: dict = {}
    deadline = time.monotonic() + timeout
    while True:
        try:
            msg = kc.get_iopub_msg(timeout=max(deadline - time.monotonic(), 0.1))
        except queue.Empty:
            raise SystemExit(f"no answer from the kernel within {timeout} s") from None
        if msg["parent_header"].get("msg_id") != msg_id and msg["msg_type"] != "comm_msg":
            continue
        kind = msg["msg_type"]
        if kind == "comm_msg" and msg["content"].get("data", {}).get("method") == "update":
            updates.append(time.perf_counter() - t0)
        elif kind == "execute_result":
            result = msg["content"]["data"]
        elif kind == "error":
            raise SystemExit("kernel error: " + "\n".join(msg["content"]["traceback"]))
        elif (
            kind == "status"
            and msg["content"]["execution_state"] == "idle"
            and msg["parent_header"].get("msg_id") == msg_id
        ):
            return result, updates, time.perf_counter() - t0


def _renders(times: list[float]) -> list[float]:
    """Update messages grouped into renders: one render sends a burst (header, bar, table...)."""
    starts: list[float] = []
    last = 0.0  # read only once starts has a first entry
    for t in times:
        if not starts or t - last > 0.02:
            starts.append(t)
        last = t
    return starts


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tasks", type=int, default=10_000)
    p.add_argument("--reps", type=int, default=5, help="timed calls per side and workload")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    a = p.parse_args(argv)

    from jupyter_client.manager import start_new_kernel

    home = tempfile.mkdtemp(prefix="orchestr-bench-widgets-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
    env.update(ORCHESTR_LAB_HOME=home, ORCHESTR_LAB_LOGGING_LEVEL="WARNING", PYTHONDONTWRITEBYTECODE="1")
    km, kc = start_new_kernel(kernel_name="python3", env=env, cwd=home)
    figures: dict[str, dict[str, list]] = {}
    try:
        _run(kc, setup_code())
        for workload in CALLS:
            fn = f"{workload}_call"
            _run(kc, f"%orchestr widgets off\n{fn}(100)")  # warm-up: imports, first runs, the store
            _run(kc, f"%orchestr widgets on\n{fn}(100)")
            sides: dict[str, list] = {
                "on": [],
                "off": [],
                "on_cpu": [],
                "off_cpu": [],
                "updates": [],
                "renders": [],
                "max_gap": [],
            }
            for rep in range(a.reps):
                order = ("on", "off") if rep % 2 == 0 else ("off", "on")
                for side in order:
                    result, updates, _wall = _run(kc, f"%orchestr widgets {side}\ntimed({fn}, {a.tasks})")
                    seconds, cpu = eval(result["text/plain"])  # (wall, kernel process CPU) seconds
                    sides[side].append(seconds)
                    sides[f"{side}_cpu"].append(cpu)
                    if side == "on":
                        renders = _renders([t for t in updates if t <= seconds])
                        gaps = [b - a_ for a_, b in itertools.pairwise(renders)]
                        sides["updates"].append(len(updates))
                        sides["renders"].append(len(renders))
                        sides["max_gap"].append(max(gaps) if gaps else seconds)
                    print(
                        f"{workload} {side:>3}: {seconds * 1000:8.1f} ms (cpu {cpu * 1000:7.1f} ms)"
                        + (f"  {len(updates)} widget updates" if side == "on" else ""),
                        file=sys.stderr,
                    )
            figures[workload] = sides
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    rows = []
    for workload, sides in figures.items():
        on, off = statistics.median(sides["on"]), statistics.median(sides["off"])
        rows.append(
            {
                "workload": f"{workload}{a.tasks}",
                "widget_off_s": off,
                "widget_on_s": on,
                "ratio": on / off,
                "cpu_ratio": statistics.median(sides["on_cpu"]) / statistics.median(sides["off_cpu"]),
                "updates_median": statistics.median(sides["updates"]),
                "renders_per_s": statistics.median(n / t for n, t in zip(sides["renders"], sides["on"], strict=True)),
                "max_gap_s": max(sides["max_gap"]),
                "raw": sides,
            }
        )
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / "widgets.json").write_text(json.dumps(rows, indent=2))
    if a.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"\n{a.tasks:,} tasks, median of {a.reps} calls per side, widget on/off alternated in one kernel")
    print(
        f"{'workload':<12} {'widget off':>11} {'widget on':>11} {'on/off':>7} {'cpu on/off':>11} "
        f"{'messages':>9} {'renders/s':>10} {'longest gap':>12}"
    )
    for r in rows:
        print(
            f"{r['workload']:<12} {r['widget_off_s'] * 1000:>9.0f}ms {r['widget_on_s'] * 1000:>9.0f}ms "
            f"{r['ratio']:>6.2f}x {r['cpu_ratio']:>10.2f}x {r['updates_median']:>9.0f} {r['renders_per_s']:>10.1f} "
            f"{r['max_gap_s'] * 1000:>10.0f}ms"
        )
    print(f"(machine load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
