"""Claims per second: N processes racing ``claim_next_run`` over M due runs, on SQLite and PostgreSQL.

The real claim path (``orchestr_lab.store.deployment_runs.claim_next_run``: BEGIN IMMEDIATE on
SQLite, FOR UPDATE SKIP LOCKED on PostgreSQL), each claimer a spawned process with its own
engine, as workers are. Runs are created first (one deployment, M runs due now); every claimer
opens the store, says it is ready, and all start on one signal; each claims until nothing is
left. Timed: from that signal to the last claimer's last claim. Every run must be claimed
exactly once, or the bench fails instead of reporting a figure.

PostgreSQL: a throwaway server (tests/_postgres.py: initdb in a temp folder, unix socket,
fsync off), a fresh database per measurement. SQLite: a fresh file per measurement (WAL).

    .venv/bin/python bench/bench_claims.py                 # 1, 4, 8 claimers x 2,000 runs, both stores
    .venv/bin/python bench/bench_claims.py --claimers 8 --runs 5000 --stores postgresql --json

The issue's target (>= 200 claims/s with 8 racing workers on PostgreSQL) is checked here, not in
the test suite: tests/reliability/test_exactly_once.py checks exactly-once, this measures speed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # _postgres (the tests' throwaway PostgreSQL server), _helpers

TARGET = 200.0  # claims/s, 8 claimers on PostgreSQL (issue 6)


def _claimer(url: str, name: str, ready: Any, go: Any, results: Any) -> None:
    """Process target: open the store, report ready, wait for ``go``, claim until empty."""
    from orchestr_lab.store.claims import claim_next_run
    from orchestr_lab.store.database import get_engine

    engine = get_engine(url)
    ready.put(name)
    go.wait(120)
    ids: list[str] = []
    while True:
        run = claim_next_run(engine, worker_name=name, worker_type="process", queues=["default"])
        if run is None:
            break
        ids.append(run["id"])
    results.put((name, time.monotonic(), ids))
    engine.dispose()


def _create_runs(url: str, runs: int) -> set[str]:
    from _helpers import create_due_runs
    from orchestr_lab.store.database import dispose_engines, get_engine
    from orchestr_lab.store.deployments import create_deployment

    engine = get_engine(url)
    ids = create_due_runs(engine, create_deployment(engine, {"name": "bench", "entrypoint": "flows.py:noop"}), runs)
    dispose_engines(url)
    return ids


def measure(url: str, claimers: int, runs: int) -> dict[str, Any]:
    """Race ``claimers`` processes over ``runs`` fresh runs at ``url``; claims per second."""
    created = _create_runs(url, runs)
    ctx = multiprocessing.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=_claimer, args=(url, f"claimer-{i}", ready, go, results)) for i in range(claimers)]
    for proc in procs:
        proc.start()
    for _ in procs:
        ready.get(timeout=120)
    started = time.monotonic()
    go.set()
    reports = [results.get(timeout=600) for _ in procs]
    for proc in procs:
        proc.join(60)
        if proc.exitcode != 0:
            raise SystemExit(f"a claimer exited with {proc.exitcode}")
    claimed = [run_id for _, _, ids in reports for run_id in ids]
    if len(claimed) != len(set(claimed)) or set(claimed) != created:
        raise SystemExit(f"claims were wrong: {len(claimed)} claims, {len(set(claimed))} distinct, {len(created)} runs")
    seconds = max(end for _, end, _ in reports) - started
    return {
        "claimers": claimers,
        "runs": runs,
        "seconds": round(seconds, 3),
        "claims_per_s": round(runs / seconds, 1),
        "per_claimer": sorted(len(ids) for _, _, ids in reports),
    }


@contextlib.contextmanager
def stores(kinds: list[str]) -> Iterator[dict[str, Any]]:
    """``{kind: make_url()}``: each call gives a fresh, empty store of that kind."""
    makers: dict[str, Any] = {}
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-claims-")))
        if "sqlite" in kinds:
            counter = iter(range(1, 1000))
            makers["sqlite"] = lambda: f"sqlite:///{folder / f'store{next(counter)}.db'}"
        if "postgresql" in kinds:
            from _postgres import fresh_database, postgres_server, unavailable

            reason = unavailable()
            if reason:
                raise SystemExit(f"cannot start PostgreSQL: {reason} (make postgres-binaries; pip install psycopg)")
            server = stack.enter_context(postgres_server())
            makers["postgresql"] = lambda: fresh_database(server)
        yield makers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claimers", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--runs", type=int, default=2000, help="runs created (and claimed) per measurement")
    parser.add_argument("--stores", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite", "postgresql"])
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    os.environ.setdefault("ORCHESTR_LAB_HOME", tempfile.mkdtemp(prefix="bench-claims-home-"))

    rows = []
    with stores(args.stores) as makers:
        for kind in args.stores:
            for n in args.claimers:
                row = {"store": kind, **measure(makers[kind](), n, args.runs), "load": round(os.getloadavg()[0], 1)}
                rows.append(row)
                if not args.json:
                    print(
                        f"{kind:<10} {n:>2} claimer(s)  {row['claims_per_s']:>7.1f} claims/s  "
                        f"({row['runs']} runs in {row['seconds']:.2f} s; per claimer {row['per_claimer']}; "
                        f"load {row['load']})",
                        flush=True,
                    )
    if args.json:
        print(json.dumps(rows, indent=2))
    pg8 = [r for r in rows if r["store"] == "postgresql" and r["claimers"] == 8]
    if pg8 and not args.json:
        verdict = "meets" if pg8[0]["claims_per_s"] >= TARGET else "MISSES"
        print(f"8 claimers on PostgreSQL: {pg8[0]['claims_per_s']:.0f} claims/s ({verdict} the {TARGET:.0f}/s target)")


if __name__ == "__main__":
    main()
