"""Years of runs on one store: a million flow runs and 10,000 hourly deployments, on SQLite and PostgreSQL.

For each store: a fresh store (a SQLite file in WAL mode; a fresh database on a throwaway
PostgreSQL server started with tests/_postgres.py: unix socket, fsync off), then

1. **fill**: ``--runs`` trivial finished flow runs (one task each, ~1 in 20 failed), written the
   way the engine writes them: ``store.runs.write_batch`` with the typed ops of ``core.wire``
   (the ops the engine sends for ``@flow def f(): return inc(1)``: the flow run, its states, the
   task run and its states, two log lines), ``--batch`` runs per call. Their times are spread over
   the last ``--span-days`` days. Reported: runs/s and bytes per run (database size over runs;
   SQLite: the file after a WAL checkpoint; PostgreSQL: ``pg_database_size``).
2. **deployments**: ``--deployments`` deployments, each with an hourly cron schedule, through
   ``store.deployments.create_deployment`` (what ``deploy()`` and the API call).
3. **scheduler**: one ``schedule_tick`` over them (the first pass inserts each one's next run),
   then a second (nothing left to insert: the steady state, every few seconds in a server).
   Wall time, database time (time spent in the driver's execute), runs inserted, the longest
   write transaction.
4. **API**: a real ``orchestr-lab server`` on that store (no local worker, scheduler interval
   one hour so it stays quiet); median and p95 over HTTP of GET flow_runs (first page, state
   filters, a deep page by offset, the next pages by cursor when the API answers ``next_cursor``),
   GET flows, GET deployments (first page and next pages when paginated, else the whole list)
   and GET flow_runs/{id}.
5. **WebSocket fan-out**: ``--clients`` clients on WS /orchestr-lab/api/events/stream; the
   server's CPU while they are connected and nothing happens; then ``--rounds`` times one state
   change written to the store and the time until each client got its event (median, p95, all).
6. **prune**: ``orchestr_lab.store.retention.prune`` deleting the oldest ``--prune-fraction`` of
   the runs: runs deleted per second ("unavailable" when that module is not there).

    .venv/bin/python bench/bench_scale.py                                  # 1,000,000 runs, both stores
    .venv/bin/python bench/bench_scale.py --runs 100000 --stores sqlite --json

Not part of the test suite (tests/services/test_scheduler_batches.py checks that a long
scheduler pass writes in batches; this measures how long things take).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import secrets
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))  # _postgres (the tests' throwaway PostgreSQL server), _helpers

API = "orchestr-lab/api/"
FLOW_NAMES = [f"flow-{i:02d}" for i in range(20)]
SAMPLE_EVERY = 1000  # keep one run id in this many, for GET flow_runs/{id}


# -- 1. fill ------------------------------------------------------------------------------------


def _run_ops(when: float, n: int, failed: bool) -> list[Any]:
    """The ops the engine writes for one trivial flow run (one task) that ran at ``when``."""
    from orchestr_lab.core.states import State
    from orchestr_lab.core.wire import FlowRunOp, LogOp, StateOp, TaskRunOp
    from orchestr_lab.engine.ids import new_id

    run_id, task_id = new_id(), new_id()
    flow_name = FLOW_NAMES[n % len(FLOW_NAMES)]
    name = f"run-{n}"
    end = "FAILED" if failed else "COMPLETED"
    return [
        FlowRunOp(_flow_run(run_id, name, flow_name, when)),
        StateOp("flow", run_id, State("PENDING", timestamp=when), {}),
        LogOp(_log(run_id, f"Beginning flow run '{name}' for flow '{flow_name}'", when)),
        StateOp("flow", run_id, State("RUNNING", timestamp=when), {"run_count": 1, "start_time": when}),
        TaskRunOp(
            {
                "id": task_id,
                "name": "inc-0",
                "flow_run_id": run_id,
                "task_key": "bench.inc",
                "dynamic_key": "0",
                "tags": [],
                "cache_key": None,
                "created": when,
            }
        ),
        StateOp("task", task_id, State("PENDING", timestamp=when), {}),
        StateOp("task", task_id, State("RUNNING", timestamp=when), {"run_count": 1, "start_time": when}),
        StateOp("task", task_id, State(end, timestamp=when + 0.001), {"end_time": when + 0.001}),
        StateOp("flow", run_id, State(end, timestamp=when + 0.002), {"end_time": when + 0.002}),
        LogOp(_log(run_id, f"Finished in state {end.title()}()", when + 0.002)),
    ]


def _flow_run(run_id: str, name: str, flow_name: str, when: float) -> dict[str, Any]:
    return {
        "id": run_id,
        "name": name,
        "flow_name": flow_name,
        "parameters": {},
        "tags": [],
        "parent_task_run_id": None,
        "deployment_id": None,
        "created": when,
    }


def _log(run_id: str, message: str, when: float) -> dict[str, Any]:
    return {
        "flow_run_id": run_id,
        "task_run_id": None,
        "level": 20,
        "logger_name": "orchestr_lab.flow_runs",
        "message": message,
        "timestamp": when,
    }


def fill(engine: Any, runs: int, batch: int, span_days: float) -> tuple[dict[str, Any], list[str]]:
    """Write ``runs`` finished runs, oldest first; their rate and a sample of their ids."""
    from orchestr_lab.store.runs import write_batch

    end = time.time() - 3600
    step = span_days * 86400 / max(runs, 1)
    start = end - runs * step
    sample: list[str] = []
    written, seconds, last_report = 0, 0.0, time.monotonic()
    while written < runs:
        count = min(batch, runs - written)
        ops: list[Any] = []
        for n in range(written, written + count):
            ops.extend(_run_ops(start + n * step, n, failed=n % 20 == 7))
            if n % SAMPLE_EVERY == 0:
                sample.append(ops[-10].row["id"])
        began = time.perf_counter()
        write_batch(engine, ops)
        seconds += time.perf_counter() - began
        written += count
        if time.monotonic() - last_report > 30:
            last_report = time.monotonic()
            print(f"  ... {written:,} runs, {written / seconds:,.0f} runs/s", file=sys.stderr, flush=True)
    return {"runs": runs, "seconds": round(seconds, 1), "runs_per_s": round(runs / seconds)}, sample


def db_bytes(engine: Any) -> int:
    """The store's size on disk: SQLite's file after a WAL checkpoint, or pg_database_size."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return int(conn.exec_driver_sql("SELECT pg_database_size(current_database())").scalar())
    import sqlite3

    path = Path(engine.url.database)
    with contextlib.closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    wal = path.with_name(path.name + "-wal")
    return path.stat().st_size + (wal.stat().st_size if wal.exists() else 0)


# -- 2. deployments, 3. scheduler ----------------------------------------------------------------


def make_deployments(engine: Any, count: int) -> dict[str, Any]:
    from orchestr_lab.store.deployments import create_deployment

    began = time.perf_counter()
    for i in range(count):
        spec = {"name": f"hourly-{i:05d}", "notebook": f"reports/r{i:05d}.ipynb", "schedules": [{"cron": "0 * * * *"}]}
        create_deployment(engine, spec)
    seconds = time.perf_counter() - began
    return {"deployments": count, "seconds": round(seconds, 1), "per_s": round(count / seconds)}


@contextlib.contextmanager
def db_time(engine: Any) -> Iterator[list[float]]:
    """Sums the time the engine's connections spend in the driver's execute while active."""
    from sqlalchemy import event

    total = [0.0]

    def before(conn: Any, *_: Any) -> None:
        conn.info["bench_t0"] = time.perf_counter()

    def after(conn: Any, *_: Any) -> None:
        total[0] += time.perf_counter() - conn.info.pop("bench_t0", time.perf_counter())

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield total
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def scheduler_passes(engine: Any) -> list[dict[str, Any]]:
    """Two scheduler passes: the first inserts every deployment's next run, the second finds
    nothing to do. Each write transaction is timed (how long others could wait for the store)."""
    from orchestr_lab.services import scheduler

    real = scheduler.write_transaction
    longest = [0.0]

    def timed(engine_: Any, work: Callable[[Any], Any]) -> Any:
        began = time.perf_counter()
        try:
            return real(engine_, work)
        finally:
            longest[0] = max(longest[0], time.perf_counter() - began)

    out = []
    scheduler.write_transaction = timed  # type: ignore[assignment]
    try:
        for label in ("first", "steady"):
            longest[0] = 0.0
            with db_time(engine) as spent:
                began = time.perf_counter()
                inserted = scheduler.schedule_tick(engine)
                wall = time.perf_counter() - began
            out.append(
                {
                    "pass": label,
                    "inserted": inserted,
                    "wall_s": round(wall, 3),
                    "db_s": round(spent[0], 3),
                    "longest_write_ms": round(longest[0] * 1000, 1),
                }
            )
    finally:
        scheduler.write_transaction = real  # type: ignore[assignment]
    return out


# -- 4. API latencies ----------------------------------------------------------------------------


@contextlib.contextmanager
def server(url: str, folder: Path) -> Iterator[tuple[str, str, int]]:
    """``orchestr-lab server`` on the store at ``url``: (base URL, token, pid)."""
    from _helpers import start_server, stop_process

    token = secrets.token_hex(16)
    env = {**os.environ, "ORCHESTR_LAB_HOME": str(folder / "home"), "ORCHESTR_LAB_LOGGING_LEVEL": "WARNING"}
    args = ("--db-url", url, "--token", token, "--root", str(folder), "--no-local-worker")
    proc, base = start_server(*args, "--scheduler-interval", "3600", env=env, log=folder / "server.log", token=token)
    try:
        yield base, token, proc.pid
    finally:
        stop_process(proc)


def _stats(seconds: list[float]) -> dict[str, Any]:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return {"median_ms": round(statistics.median(ms), 1), "p95_ms": round(p95, 1), "n": len(ms)}


def _timed_get(client: Any, path: str, params: dict[str, Any] | None = None) -> tuple[float, Any]:
    began = time.perf_counter()
    answer = client.get(path, params=params)
    seconds = time.perf_counter() - began
    if answer.status_code != 200:
        raise RuntimeError(f"GET {path} {params}: {answer.status_code} {answer.text[:300]}")
    return seconds, answer


def _repeat(client: Any, path: str, params: dict[str, Any] | None, reps: int) -> dict[str, Any]:
    """``reps`` timed requests after a warm-up; fewer when each takes seconds (about 30 s in all)."""
    warm, _ = _timed_get(client, path, params)
    reps = max(2, min(reps, int(30 / max(warm, 1e-3))))
    return _stats([_timed_get(client, path, params)[0] for _ in range(reps)])


def _follow(client: Any, path: str, params: dict[str, Any], pages: int, next_of: Callable[[Any], Any]) -> Any:
    """Latency of the pages after the first, following the cursor each answer gives."""
    _, answer = _timed_get(client, path, params)
    times = []
    for _ in range(pages):
        cursor = next_of(answer)
        if not cursor:
            break
        seconds, answer = _timed_get(client, path, {**params, "cursor": cursor})
        times.append(seconds)
    return _stats(times) if times else None


def api_latencies(base: str, token: str, sample: list[str], reps: int, runs: int) -> dict[str, Any]:
    """Median and p95 of each read over HTTP; ``runs`` (the fill's count) places the deep pages,
    as the API's ``total`` stops counting at 10,000."""
    import httpx

    out: dict[str, Any] = {}
    with httpx.Client(base_url=base + API, headers={"Authorization": f"token {token}"}, timeout=600) as client:
        _, first = _timed_get(client, "flow_runs", {"limit": 50})
        page = first.json()
        total = page["total"] if page.get("total_exact", True) else max(runs, page["total"])
        out["flow_runs total"] = page["total"]
        out["flow_runs first page"] = _repeat(client, "flow_runs", {"limit": 50}, reps)
        out["flow_runs state=COMPLETED"] = _repeat(client, "flow_runs", {"limit": 50, "state": "COMPLETED"}, reps)
        out["flow_runs state=FAILED"] = _repeat(client, "flow_runs", {"limit": 50, "state": "FAILED"}, reps)
        out["flow_runs deep page (offset)"] = _repeat(
            client, "flow_runs", {"limit": 50, "offset": max(0, total - 50)}, reps
        )
        if "next_cursor" in page:
            deep = client.get("flow_runs", params={"limit": 50, "offset": max(0, total - 100)}).json()
            if deep.get("next_cursor"):
                out["flow_runs deep page (cursor)"] = _repeat(
                    client, "flow_runs", {"limit": 50, "cursor": deep["next_cursor"]}, reps
                )
            out["flow_runs next pages (cursor)"] = _follow(
                client, "flow_runs", {"limit": 50}, reps, lambda a: a.json().get("next_cursor")
            )
            out["flow_runs state=COMPLETED next pages (cursor)"] = _follow(
                client, "flow_runs", {"limit": 50, "state": "COMPLETED"}, reps, lambda a: a.json().get("next_cursor")
            )
        else:
            out["flow_runs next pages (cursor)"] = "unavailable (no next_cursor in GET flow_runs)"
        out["flows"] = _repeat(client, "flows", None, reps)
        deployments = client.get("deployments", params={"limit": 50})
        if deployments.status_code == 200 and "X-Next-Cursor" in deployments.headers:
            out["deployments first page"] = _repeat(client, "deployments", {"limit": 50}, reps)
            out["deployments next pages (cursor)"] = _follow(
                client, "deployments", {"limit": 50}, reps, lambda a: a.headers.get("X-Next-Cursor")
            )
        else:  # not paginated: the whole list (slow with thousands of deployments: few repetitions)
            out["deployments (whole list, not paginated)"] = _repeat(client, "deployments", None, reps)
        times = []
        for run_id in (sample * (reps // max(len(sample), 1) + 1))[:reps]:
            times.append(_timed_get(client, f"flow_runs/{run_id}")[0])
        out["flow_run by id"] = _stats(times)
    return out


# -- 5. WebSocket fan-out ------------------------------------------------------------------------


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` (and its threads), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fanout(engine: Any, base: str, token: str, pid: int, clients: int, rounds: int, idle: float) -> dict[str, Any]:
    return asyncio.run(_fanout(engine, base, token, pid, clients, rounds, idle))


async def _fanout(
    engine: Any, base: str, token: str, pid: int, clients: int, rounds: int, idle: float
) -> dict[str, Any]:
    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    from orchestr_lab.core.states import State
    from orchestr_lab.core.wire import FlowRunOp, StateOp
    from orchestr_lab.engine.ids import new_id
    from orchestr_lab.store.runs import write_batch

    ws_url = base.replace("http://", "ws://") + API + "events/stream"
    arrivals: list[list[float]] = [[] for _ in range(clients)]

    async def connect(i: int) -> Any:
        def received(message: Any) -> None:
            if message is not None:
                arrivals[i].append(time.perf_counter())

        request = HTTPRequest(ws_url, headers={"Authorization": f"token {token}"}, connect_timeout=120)
        return await websocket_connect(request, on_message_callback=received)

    began = time.perf_counter()
    conns: list[Any] = []
    for start in range(0, clients, 50):
        conns.extend(await asyncio.gather(*(connect(i) for i in range(start, min(clients, start + 50)))))
    connected = time.perf_counter() - began
    await asyncio.sleep(2)
    cpu_before, wall_before = _cpu_seconds(pid), time.perf_counter()
    await asyncio.sleep(idle)
    idle_cpu = (_cpu_seconds(pid) - cpu_before) / (time.perf_counter() - wall_before)
    for got in arrivals:
        got.clear()

    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    all_got: list[float] = []
    for _ in range(rounds):
        for got in arrivals:
            got.clear()
        run_id = new_id()
        ops = [
            FlowRunOp(_flow_run(run_id, "fanout", "fanout", time.time())),
            StateOp("flow", run_id, State("PENDING"), {}),
        ]
        t0 = time.perf_counter()
        await loop.run_in_executor(None, write_batch, engine, ops)
        deadline = t0 + 60
        while any(not got for got in arrivals) and time.perf_counter() < deadline:
            await asyncio.sleep(0.005)
        firsts = [got[0] - t0 for got in arrivals if got]
        if len(firsts) < clients:
            raise RuntimeError(f"only {len(firsts)} of {clients} clients got the event within 60 s")
        latencies.extend(firsts)
        all_got.append(max(firsts))
        await asyncio.sleep(1)
    for conn in conns:
        conn.close()
    return {
        "clients": clients,
        "connect_all_s": round(connected, 2),
        "idle_server_cpu_percent": round(idle_cpu * 100, 1),
        "event_to_client": _stats(latencies),
        "event_to_all_clients": _stats(all_got),
    }


# -- 6. prune ------------------------------------------------------------------------------------


def prune(engine: Any, span_days: float, fraction: float) -> dict[str, Any] | str:
    """Runs deleted per second by retention's prune, keeping the newest (1 - fraction) of the span."""
    try:
        from orchestr_lab.store.retention import RetentionPolicy, prune as prune_store
    except ImportError as exc:
        return f"unavailable ({exc})"
    policy = RetentionPolicy(runs_max_age=dt.timedelta(days=span_days * (1 - fraction)), keep_last=0)
    began = time.perf_counter()
    report = prune_store(engine, policy)
    seconds = time.perf_counter() - began
    runs = int(getattr(report, "runs", 0))
    return {
        "runs_deleted": runs,
        "seconds": round(seconds, 2),
        "runs_per_s": round(runs / seconds) if seconds else None,
        "batches": getattr(report, "batches", None),
    }


# -- driver --------------------------------------------------------------------------------------


def measure(url: str, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from orchestr_lab.store.database import dispose_engines, get_engine

    engine = get_engine(url)
    out: dict[str, Any] = {}
    empty = db_bytes(engine)
    out["fill"], sample = fill(engine, args.runs, args.batch, args.span_days)
    size = db_bytes(engine)
    out["bytes_per_run"] = round((size - empty) / max(args.runs, 1))
    out["db_mb_after_runs"] = round(size / 1e6, 1)
    _say(f"  fill: {out['fill']}, {out['bytes_per_run']} bytes/run")
    out["deployments"] = make_deployments(engine, args.deployments)
    _say(f"  deployments: {out['deployments']}")
    out["scheduler"] = scheduler_passes(engine)
    _say(f"  scheduler: {out['scheduler']}")
    out["db_mb"] = round(db_bytes(engine) / 1e6, 1)
    with server(url, folder) as (base, token, pid):
        out["api"] = api_latencies(base, token, sample, args.reps, args.runs)
        _say(f"  api: {json.dumps(out['api'])}")
        if args.clients:
            out["websocket"] = fanout(engine, base, token, pid, args.clients, args.rounds, args.idle)
            _say(f"  websocket: {out['websocket']}")
    try:
        out["prune"] = prune(engine, args.span_days, args.prune_fraction)
    except Exception as exc:  # a module in progress must not cost the other figures
        out["prune"] = f"failed: {type(exc).__name__}: {exc}"
    _say(f"  prune: {out['prune']}")
    dispose_engines(url)
    return out


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000_000, help="finished flow runs to write")
    parser.add_argument("--deployments", type=int, default=10_000, help="deployments with an hourly schedule")
    parser.add_argument("--stores", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--batch", type=int, default=2000, help="runs per write_batch call")
    parser.add_argument("--span-days", type=float, default=365.0, help="the runs' times spread over this many days")
    parser.add_argument("--reps", type=int, default=20, help="timed requests per API figure")
    parser.add_argument("--clients", type=int, default=500, help="WebSocket clients (0: skip)")
    parser.add_argument("--rounds", type=int, default=5, help="state changes sent to the WebSocket clients")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds the server's idle CPU is measured")
    parser.add_argument("--prune-fraction", type=float, default=0.1, help="share of the runs the prune deletes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    kinds = [k.strip() for k in args.stores.split(",") if k.strip()]
    unknown = set(kinds) - {"sqlite", "postgresql"}
    if unknown:
        parser.error(f"unknown store(s): {', '.join(sorted(unknown))}")
    os.environ.setdefault("ORCHESTR_LAB_HOME", tempfile.mkdtemp(prefix="bench-scale-home-"))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind: stop the server, remove the stores

    results = []
    with contextlib.ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="bench-scale-")))
        for kind in kinds:
            if kind == "sqlite":
                url = f"sqlite:///{folder / 'store.db'}"
            else:
                from _postgres import fresh_database, postgres_server, unavailable

                reason = unavailable()
                if reason:
                    raise SystemExit(f"cannot start PostgreSQL: {reason} (make postgres-binaries; pip install psycopg)")
                url = fresh_database(stack.enter_context(postgres_server()))
            _say(f"{kind}: {args.runs:,} runs, {args.deployments:,} deployments (load {os.getloadavg()[0]:.1f})")
            work = folder / kind
            work.mkdir()
            row = {"store": kind, "load_before": round(os.getloadavg()[0], 1), **measure(url, work, args)}
            row["load_after"] = round(os.getloadavg()[0], 1)
            results.append(row)
    print(json.dumps(results, indent=2) if args.json else _table(results))


def _table(results: list[dict[str, Any]]) -> str:
    lines = []
    for row in results:
        lines.append(f"== {row['store']} (load {row['load_before']} -> {row['load_after']})")
        lines.append(f"fill: {row['fill']['runs_per_s']:,} runs/s; {row['bytes_per_run']:,} bytes/run")
        for p in row["scheduler"]:
            lines.append(
                f"scheduler {p['pass']}: {p['inserted']} runs, {p['wall_s']} s wall, {p['db_s']} s db, "
                f"longest write {p['longest_write_ms']} ms"
            )
        for name, value in row["api"].items():
            shown = f"{value['median_ms']} ms median, {value['p95_ms']} ms p95" if isinstance(value, dict) else value
            lines.append(f"GET {name}: {shown}")
        if "websocket" in row:
            lines.append(f"websocket: {json.dumps(row['websocket'])}")
        lines.append(f"prune: {row['prune']}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
