"""Side-by-side engine benchmark: orchestr_lab vs Prefect 3.9.1, same workloads, fresh processes.

    bash bench/setup_prefect.sh                     # once: Prefect in bench/.venv-prefect
    .venv/bin/python bench/bench_engine.py          # table on stdout + bench/results/latest.md
    .venv/bin/python bench/bench_engine.py --json   # the same figures as JSON on stdout

Each workload (see workloads.py) runs in a fresh subprocess per library: one warm-up call, then
the median of N timed repetitions. Cold import is the median over several fresh processes.
Both sides log at WARNING (Prefect's per-task INFO lines would otherwise cost it time printing).
Prefect runs offline on its ephemeral API (a temporary local server subprocess it starts itself),
with a throw-away PREFECT_HOME shared by all its processes of one bench run and telemetry off.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKLOADS_PY = HERE / "workloads.py"
MARK = "BENCH_RESULT "

ORCHESTR = "orchestr_lab"
PREFECT = "prefect"

# workload -> (description, reps for prefect, reps for orchestr_lab)
# Prefect's side is slow (about 1 s per flow call, 3-10 s per 1,000 tasks): its reps are kept
# small so a whole run stays under ~5 minutes. The cheap side gets more reps for a steadier median.
WORKLOADS: dict[str, tuple[str, int, int]] = {
    "seq1000": ("(a) flow with 1,000 sequential trivial tasks", 3, 10),
    "map1000": ("(b) .map over 1,000 inputs, results resolved", 3, 10),
    "retry100": ("(c) 100 tasks, each fails once then succeeds on retry", 3, 10),
    "empty_flow": ("(d) empty flow call, warm (median per call)", 10, 200),
    "import": ("(e) cold `import` of the package (median, fresh processes)", 5, 9),
}


def default_python(lib: str) -> Path:
    if lib == PREFECT:
        return HERE / ".venv-prefect" / "bin" / "python"
    venv = ROOT / ".venv" / "bin" / "python"
    return venv if venv.exists() else Path(sys.executable)


def lib_env(lib: str, homes: dict[str, str]) -> dict[str, str]:
    env = dict(os.environ)
    # never let the library under test pick up a developer's own configuration
    for k in list(env):
        if k.startswith("PREFECT_") or k.startswith("ORCHESTR_LAB_"):
            del env[k]
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    if lib == PREFECT:
        env.update(prefect_env(homes[PREFECT]))
    else:
        env["ORCHESTR_LAB_HOME"] = homes[ORCHESTR]
        env["ORCHESTR_LAB_LOGGING_LEVEL"] = "WARNING"
        env["ORCHESTR_LAB_SHOW_WIDGETS"] = "0"
    return env


def prefect_env(home: str) -> dict[str, str]:
    """Prefect offline, no server to start by hand: ephemeral API, telemetry off."""
    return {
        "PREFECT_HOME": home,
        "PREFECT_SERVER_ALLOW_EPHEMERAL_MODE": "true",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_LOGGING_LEVEL": "WARNING",
        "PREFECT_UI_ENABLED": "false",
    }


def run_one(python: Path, lib: str, workload: str, reps: int, env: dict, timeout: float) -> dict:
    cmd = [str(python), str(WORKLOADS_PY), lib, workload, "--reps", str(reps)]
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=str(ROOT))
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": f"timed out after {timeout:.0f} s"}
    except OSError as exc:
        return {"ok": False, "error": f"cannot start {python}: {exc}"}
    wall = time.perf_counter() - t0
    result = None
    for line in proc.stdout.splitlines():
        if line.startswith(MARK):
            result = json.loads(line[len(MARK) :])
    if result is None:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
        return {"ok": False, "error": f"exit {proc.returncode}, no result: " + " | ".join(tail)}
    result["process_wall"] = wall
    return result


def run_import(python: Path, lib: str, reps: int, env: dict, timeout: float) -> dict:
    """``import LIB`` in ``reps`` fresh processes; median of the in-process import times."""
    times, walls, heavy = [], [], set()
    for _ in range(reps):
        r = run_one(python, lib, "import", 0, env, timeout)
        if not r.get("ok"):
            return r
        times.extend(r["times"])
        walls.append(r["process_wall"])
        heavy.update(r.get("heavy_modules", []))
    return {
        "ok": True,
        "times": times,
        "median": statistics.median(times),
        "best": min(times),
        "process_wall_median": statistics.median(walls),
        "heavy_modules": sorted(heavy),
    }


def prime_prefect(python: Path, env: dict, timeout: float) -> dict:
    """One flow run in the shared PREFECT_HOME, so its database is created and migrated once."""
    code = "from prefect import flow\n@flow\ndef prime():\n    return 1\nassert prime() == 1\n"
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([str(python), "-c", code], env=env, capture_output=True, text=True, timeout=timeout)
    except (subprocess.TimeoutExpired, OSError) as exc:
        return {"ok": False, "error": str(exc)}
    dt = time.perf_counter() - t0
    if proc.returncode != 0:
        return {"ok": False, "error": proc.stderr.strip().splitlines()[-1:] or f"exit {proc.returncode}"}
    return {"ok": True, "seconds": dt}


def fmt_seconds(s: float | None) -> str:
    if s is None:
        return "n/a"
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.1f} ms"
    return f"{s * 1e6:.0f} µs"


def cell(r: dict | None) -> str:
    if r is None:
        return "not run"
    if not r.get("ok"):
        return "FAILED"
    return fmt_seconds(r["median"])


def ratio(o: dict | None, p: dict | None, pkey: str = "median") -> str:
    if not (o and p and o.get("ok") and p.get("ok")) or not o["median"] or p.get(pkey) is None:
        return "—"
    x = p[pkey] / o["median"]
    return f"{x:.0f}×" if x >= 10 else f"{x:.1f}×"


def best_cell(r: dict | None) -> str:
    if not (r and r.get("ok")) or r.get("best") is None:
        return "—"
    return fmt_seconds(r["best"])


def render(results: dict, meta: dict) -> str:
    lines = [
        f"# orchestr_lab vs Prefect {meta.get('prefect_version') or '3.9.1'} — engine benchmark",
        "",
        f"{meta['when']} · Python {meta['python']} · {meta['machine']}",
        "",
        "| workload | orchestr_lab | prefect | prefect / orchestr_lab | prefect, best rep "
        "| best prefect / orchestr_lab |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, (desc, _, _) in WORKLOADS.items():
        o = results.get(name, {}).get(ORCHESTR)
        p = results.get(name, {}).get(PREFECT)
        lines.append(f"| {desc} | {cell(o)} | {cell(p)} | {ratio(o, p)} | {best_cell(p)} | {ratio(o, p, 'best')} |")
    # first flow call in a fresh process (the warm-up call of empty_flow)
    o = results.get("empty_flow", {}).get(ORCHESTR)
    p = results.get("empty_flow", {}).get(PREFECT)
    ow = {"ok": True, "median": o["warmup"]} if o and o.get("ok") else o
    pw = {"ok": True, "median": p["warmup"]} if p and p.get("ok") else p
    lines.append(f"| (d0) first flow call in a fresh process | {cell(ow)} | {cell(pw)} | {ratio(ow, pw)} | — | — |")
    lines.append("")
    lines.append(
        "Medians of warm repetitions in one process (after a warm-up call on a small input); reps "
        "(prefect / orchestr_lab): " + ", ".join(f"{k} {v[1]}/{v[2]}" for k, v in WORKLOADS.items()) + ". "
        "'best rep' is Prefect's fastest repetition: back-to-back 1,000-task flows make its temporary "
        "API server fall behind (it records every task run event in SQLite), and the next flow waits "
        "for it, so its median is noisy; the best rep is the conservative figure."
    )
    imp = results.get("import", {}).get(ORCHESTR)
    if imp and imp.get("ok"):
        heavy = imp.get("heavy_modules") or []
        verdict = (
            "none of jupyter_server, papermill"
            if not {"jupyter_server", "papermill"} & set(heavy)
            else "LOADED: " + ", ".join(heavy)
        )
        lines.append(f"`import orchestr_lab` pulls in: {verdict} (heavy modules seen: {', '.join(heavy) or 'none'}).")
    if meta.get("prefect_prime"):
        pr = meta["prefect_prime"]
        if pr.get("ok"):
            lines.append(
                f"Prefect's first flow run with a fresh PREFECT_HOME (database creation + migrations + "
                f"temporary server start) took {fmt_seconds(pr['seconds'])} (whole process, not in the table)."
            )
    if meta.get("orchestr_broken"):
        lines += ["", f"**orchestr_lab not benchmarked**: {meta['orchestr_broken']} (engine not there yet?)."]
    errors = []
    for name in WORKLOADS:
        for lib in (ORCHESTR, PREFECT):
            r = results.get(name, {}).get(lib)
            if r is not None and not r.get("ok"):
                errors.append(f"- {lib} / {name}: {r.get('error')}")
    if errors:
        lines += ["", "Failures:", *errors]
    return "\n".join(lines) + "\n"


def lib_version(python: Path, lib: str, env: dict) -> str | None:
    code = f"import importlib.metadata as m; print(m.version({lib.replace('_', '-')!r}))"
    try:
        out = subprocess.run([str(python), "-c", code], env=env, capture_output=True, text=True, timeout=60)
        return out.stdout.strip() or None
    except (OSError, subprocess.TimeoutExpired):
        return None


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of the table")
    ap.add_argument("--only", nargs="+", choices=list(WORKLOADS), help="run only these workloads")
    ap.add_argument("--lib", choices=[ORCHESTR, PREFECT], help="run only one side")
    ap.add_argument("--orchestr-python", type=Path, default=default_python(ORCHESTR))
    ap.add_argument("--prefect-python", type=Path, default=default_python(PREFECT))
    ap.add_argument(
        "--reps-scale", type=float, default=1.0, help="multiply every rep count (e.g. 0.4 for a quick look)"
    )
    ap.add_argument("--timeout", type=float, default=600, help="per subprocess, seconds")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "latest.md")
    a = ap.parse_args(argv)

    libs = [a.lib] if a.lib else [ORCHESTR, PREFECT]
    pythons = {ORCHESTR: a.orchestr_python, PREFECT: a.prefect_python}

    def say(*x: object) -> None:
        print(*x, file=sys.stderr, flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="orchestr-bench-"))
    homes = {ORCHESTR: str(tmp / "orchestr_lab_home"), PREFECT: str(tmp / "prefect_home")}
    for h in homes.values():
        os.makedirs(h, exist_ok=True)
    envs = {lib: lib_env(lib, homes) for lib in libs}

    meta = {
        "when": time.strftime("%Y-%m-%d %H:%M"),
        "python": platform.python_version(),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores",
    }
    results: dict[str, dict[str, dict]] = {}
    t_all = time.perf_counter()
    try:
        if PREFECT in libs:
            if not pythons[PREFECT].exists():
                say(f"Prefect venv missing ({pythons[PREFECT]}): run `bash bench/setup_prefect.sh` first")
                libs.remove(PREFECT)
            else:
                meta["prefect_version"] = lib_version(pythons[PREFECT], PREFECT, envs[PREFECT])
                say("priming Prefect's database ...")
                meta["prefect_prime"] = prime_prefect(pythons[PREFECT], envs[PREFECT], a.timeout)
                say(f"  {meta['prefect_prime']}")
        if ORCHESTR in libs:
            meta["orchestr_lab_version"] = lib_version(pythons[ORCHESTR], ORCHESTR, envs[ORCHESTR])

        orchestr_broken = None
        for name, (_desc, reps_p, reps_o) in WORKLOADS.items():
            if a.only and name not in a.only:
                continue
            for lib in libs:
                reps = max(1, round((reps_p if lib == PREFECT else reps_o) * a.reps_scale))
                if lib == ORCHESTR and orchestr_broken and name != "import":
                    results.setdefault(name, {})[lib] = {"ok": False, "error": orchestr_broken}
                    continue
                say(f"{name:<11} {lib:<13} x{reps} ...")
                t0 = time.perf_counter()
                if name == "import":
                    r = run_import(pythons[lib], lib, reps, envs[lib], a.timeout)
                else:
                    r = run_one(pythons[lib], lib, name, reps, envs[lib], a.timeout)
                results.setdefault(name, {})[lib] = r
                say(
                    f"    -> {cell(r)}  ({time.perf_counter() - t0:.1f} s)"
                    f"{'' if r.get('ok') else '  ' + str(r.get('error'))[:300]}"
                )
                err = str(r.get("error", ""))
                if (
                    lib == ORCHESTR
                    and not r.get("ok")
                    and err.startswith(("ModuleNotFoundError", "ImportError", "AttributeError"))
                ):
                    orchestr_broken = meta["orchestr_broken"] = f"orchestr_lab cannot be imported: {err}"
                    say(f"!! {orchestr_broken} — reporting Prefect's column only")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    meta["total_seconds"] = round(time.perf_counter() - t_all, 1)

    table = render(results, meta)
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(table)
    payload = {"meta": meta, "workloads": {k: v[0] for k, v in WORKLOADS.items()}, "results": results}
    for per_lib in results.values():
        for r in per_lib.values():
            r.pop("traceback", None)
    a.out.with_suffix(".json").write_text(json.dumps(payload, indent=2))
    if a.json:
        print(json.dumps(payload, indent=2))
    else:
        print(table)
        print(f"(written to {a.out}; whole bench {meta['total_seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
