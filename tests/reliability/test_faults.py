"""Fault tests: ``kill -9`` and SIGTERM of a real ``orchestr-lab server`` while schedules fire.

One scenario per store (SQLite, PostgreSQL), three server processes on the same store:

1. server A runs a deployment with an interval schedule; its notebook holds while a gate file
   exists, so both local-worker slots are RUNNING when A is killed with ``kill -9`` (A alone, as
   the OOM killer would: its children must notice and go, or they would run on beside the
   retry). The store stays down for several schedule intervals.
2. server B starts on the same store: the runs A held become CRASHED once the heartbeat timeout
   passes and are retried; the missed slots are handled per the missed-run policy (the default,
   "once": one catch-up run for the whole missed window). Then, with runs RUNNING again and
   clients creating runs, B gets SIGTERM.
3. server C starts: every run B held finishes (handed back and rerun, or completed, or crashed
   and retried), every run a client was told was created exists and runs, and once the schedule
   is paused every run ends.

The notebook appends a line to an executions log when it starts and when it ends (one
``write`` each, ``O_APPEND``): the ground truth for "nothing ran twice at the same time". The
assertions are split by what they check, over one shared scenario per store; the two stores'
scenarios run at the same time (most of each is waiting for a downtime, a heartbeat timeout or
a shutdown).
"""

from __future__ import annotations

import datetime as _dt
import itertools
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from _helpers import process_gone, wait_for, write_notebook
from _postgres import STORES, fresh_database
from orchestr_lab.store.database import dispose_engines, get_engine
from orchestr_lab.store.models import flow_runs
from orchestr_lab.store.run_reads import state_history
from orchestr_lab.store.sql_helpers import as_datetime
from reliability._server import FINAL, Server, descendants, kill_leftovers

INTERVAL = 4.0  # seconds between a schedule's slots (runs must not pile up faster than a loaded machine runs them)
HEARTBEAT_TIMEOUT = 10.0  # the local worker heartbeats every 2 s (generous: the machine may be loaded)
LATE_GRACE = 2.0  # a slot later than this is "missed" and the policy decides
DOWNTIME = 20.0  # seconds without a server after the kill -9: past the 3 runs made ahead, 2+ slots are missed
SERVER_ENV = {
    "ORCHESTR_LAB_HEARTBEAT_TIMEOUT": str(HEARTBEAT_TIMEOUT),
    "ORCHESTR_LAB_SCHEDULER_LATE_GRACE": str(LATE_GRACE),
}
SERVER_ARGS = ["--scheduler-interval", "0.5", "--concurrency", "2"]
HELD = 2  # runs RUNNING (both local-worker slots) when the server goes down
MOVED = {"AwaitingRetry", "HandedBack", "Rerun"}  # states that move a run's scheduled time off its slot
MANUAL_RUNS = 3  # runs a client creates around the SIGTERM (each runs a notebook later)

NOTEBOOK = """
import os, time
from orchestr_lab.runtime import flow_run

def note(what):
    fd = os.open({log!r}, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        os.write(fd, f"{{what}} {{flow_run.id}} {{flow_run.run_count}} {{os.getpid()}} {{time.time():.6f}}\\n".encode())
    finally:
        os.close(fd)

note("start")
deadline = time.monotonic() + 150
while os.path.exists({gate!r}) and time.monotonic() < deadline:
    time.sleep(0.05)
note("end")
"""


@dataclass
class Execution:
    run_id: str
    pid: int
    start: float
    end: float | None = None


@dataclass
class Scenario:
    """What happened in one store's scenario, for the tests to check."""

    store: str
    launched: list[float] = field(default_factory=list)  # time.time() each server was started
    up: list[float] = field(default_factory=list)  # ... and first answered
    kill_at: float = 0.0
    caught_up_at: float = 0.0  # when the restarted server's schedule was paused, having caught up
    kill_left: set[int] = field(default_factory=set)  # processes still alive 20 s after kill -9
    kill_gone_at: float = 0.0  # when every process below the killed server had gone
    held_at_kill: list[dict[str, Any]] = field(default_factory=list)
    term_at: float = 0.0
    term_exit: int | None = None
    term_left: set[int] = field(default_factory=set)
    term_gone_at: float = 0.0
    held_at_term: list[dict[str, Any]] = field(default_factory=list)
    acked: set[str] = field(default_factory=set)  # manual runs a client got 201 for during SIGTERM
    answers: Counter[int] = field(default_factory=Counter)  # HTTP statuses the client got around SIGTERM
    scheduled: list[dict[str, Any]] = field(default_factory=list)  # every run of the scheduled deployment
    manual: list[dict[str, Any]] = field(default_factory=list)
    slots: dict[str, tuple[str, str, float]] = field(default_factory=dict)  # run id -> (deployment, schedule, slot)
    histories: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # run id -> (type, name), oldest first
    executions: dict[str, list[Execution]] = field(default_factory=dict)

    @property
    def first_scheduled_after_restart(self) -> float | None:
        created = [_ts(r["created"]) for r in self.scheduled if _ts(r["created"]) >= self.launched[1]]
        return min(created) if created else None


def _ts(iso: str) -> float:
    return _dt.datetime.fromisoformat(iso).timestamp()


def _executions(log: Path) -> dict[str, list[Execution]]:
    out: dict[tuple[str, int], Execution] = {}
    for line in log.read_text().splitlines() if log.exists() else []:
        what, run_id, _count, pid, when = line.split()
        key = (run_id, int(pid))
        if what == "start":
            out[key] = Execution(run_id, int(pid), float(when))
        else:
            out[key].end = float(when)
    by_run: dict[str, list[Execution]] = {}
    for ex in sorted(out.values(), key=lambda e: e.start):
        by_run.setdefault(ex.run_id, []).append(ex)
    return by_run


def _holding(server: Server, dep_ids: list[str], log: Path, since: float) -> list[dict[str, Any]] | None:
    """The RUNNING runs of these deployments, once ``HELD`` of them are inside the notebook
    (started after ``since`` and not ended)."""
    inside = {ex.run_id for exs in _executions(log).values() for ex in exs if ex.start >= since and ex.end is None}
    running = [r for dep in dep_ids for r in server.runs(dep) if r["state"]["type"] == "RUNNING"]
    return running if len(running) >= HELD and {r["id"] for r in running} <= inside else None


def _all_gone(pids: set[int], timeout: float = 20.0) -> set[int]:
    """Wait for ``pids`` to exit; those still alive after ``timeout`` (killed, and returned)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not all(process_gone(p) for p in pids):
        time.sleep(0.1)
    left = {p for p in pids if not process_gone(p)}
    kill_leftovers(left)
    return left


def _final(server: Server, dep_id: str, ids: set[str] | None = None) -> bool:
    """Every run of the deployment (or those of it among ``ids``) has ended."""
    return all(r["state"]["type"] in FINAL for r in server.runs(dep_id) if ids is None or r["id"] in ids)


def _client_load(server: Server, dep_id: str, acked: set[str], answers: Counter[int], stop: threading.Event) -> None:
    """Read lists as fast as one client can and create a run every few reads (until there are
    ``MANUAL_RUNS``: each one runs a notebook later), until the server is gone; counts the
    status of every answer."""
    with httpx.Client(base_url=server.url, headers=server.client.headers, timeout=10) as client:
        reads = 0
        while not stop.is_set():
            try:
                if reads % 5 == 0 and len(acked) < MANUAL_RUNS:
                    reply = client.post(f"deployments/{dep_id}/runs", json={})
                    answers[reply.status_code] += 1
                    if reply.status_code == 201:
                        acked.add(reply.json()["id"])
                answers[client.get("flow_runs", params={"limit": 20}).status_code] += 1
                reads += 1
            except httpx.HTTPError:
                time.sleep(0.05)  # stopping or gone: what was acknowledged is what counts


def _run_scenario(store: str, db_url: str, tmp: Path) -> Scenario:
    sc = Scenario(store)
    root, home = tmp / "root", tmp / "home"
    root.mkdir()
    gate, log = tmp / "gate", tmp / "executions.log"
    write_notebook(root / "hold.ipynb", [NOTEBOOK.format(log=str(log), gate=str(gate))])
    servers: list[Server] = []

    def start() -> Server:
        sc.launched.append(time.time())
        server = Server(db_url=db_url, root=root, home=home, env=SERVER_ENV, args=SERVER_ARGS)
        servers.append(server)
        server.wait_up()
        sc.up.append(server.up_at)
        return server

    try:
        # 1. kill -9 while both worker slots hold a run and the schedule keeps firing.
        gate.touch()
        a = start()
        spec = {"notebook": "hold.ipynb", "retries": 1, "retry_delay_seconds": 0}
        tick = a.call("POST", "deployments", 201, json={"name": "tick", "schedules": [{"interval": INTERVAL}], **spec})
        manual = a.call("POST", "deployments", 201, json={"name": "manual", **spec})
        both = [tick["id"], manual["id"]]
        sc.held_at_kill = wait_for(
            lambda: _holding(a, [tick["id"]], log, 0.0),
            timeout=120,
            interval=0.2,
            what="two scheduled runs to be inside their notebook",
        )
        sc.kill_at = time.time()
        sc.kill_left = _all_gone(a.kill9())
        sc.kill_gone_at = time.time()
        gate.unlink()
        time.sleep(max(0.0, sc.kill_at + DOWNTIME - time.time()))

        # 2. restart: the scheduler catches up, the held runs are CRASHED and retried. (Paused once
        # it caught up, so the backlog of late runs stays small: they all run before the SIGTERM.)
        b = start()
        wait_for(
            lambda: any(_ts(r["created"]) >= sc.launched[1] for r in b.runs(tick["id"])),
            timeout=90,
            interval=0.3,
            what="the scheduler to insert runs after the restart",
        )
        b.call("POST", f"deployments/{tick['id']}/pause")
        sc.caught_up_at = time.time()
        wait_for(lambda: _final(b, tick["id"]), timeout=150, interval=0.3, what="the crashed runs' retries")
        # Then SIGTERM while two runs are RUNNING, the schedule fires and a client creates runs.
        gate.touch()
        since = time.time()
        for _ in range(HELD):
            sc.acked.add(b.call("POST", f"deployments/{manual['id']}/runs", 201, json={})["id"])
        sc.held_at_term = wait_for(
            lambda: _holding(b, both, log, since),
            timeout=120,
            interval=0.2,
            what="two runs to be inside their notebook again",
        )
        b.call("POST", f"deployments/{tick['id']}/resume")
        stop = threading.Event()
        load = threading.Thread(target=_client_load, args=(b, manual["id"], sc.acked, sc.answers, stop))
        load.start()
        wait_for(lambda: len(sc.acked) >= HELD + 1, timeout=30, what="the client's first runs")
        below = descendants(b.proc.pid)
        sc.term_at = time.time()
        sc.term_exit = b.terminate()
        stop.set()
        load.join(30)
        sc.term_left = _all_gone(below)
        sc.term_gone_at = time.time()
        gate.unlink()

        # 3. restart: everything B held or acknowledged runs; paused, every run ends.
        c = start()
        c.call("POST", f"deployments/{tick['id']}/pause")  # its runs due so far run; no more pile up
        held = {r["id"] for r in sc.held_at_term}
        wait_for(
            lambda: all(_final(c, dep, held | sc.acked) for dep in both),
            timeout=150,
            interval=0.5,
            what="the runs held or acknowledged at SIGTERM to end",
        )
        wait_for(lambda: all(_final(c, dep) for dep in both), timeout=120, interval=0.5, what="every run to end")
        sc.scheduled, sc.manual = c.runs(tick["id"]), c.runs(manual["id"])
        engine = get_engine(db_url)
        with engine.connect() as conn:
            sc.slots = {
                row.id: (row.deployment_id, row.schedule_id, as_datetime(row.slot_time).timestamp())
                for row in conn.execute(select(flow_runs).where(flow_runs.c.schedule_id.is_not(None)))
            }
        sc.histories = {
            r["id"]: [(h["type"], h["name"]) for h in state_history(engine, "flow", r["id"])]
            for r in sc.scheduled + sc.manual
        }
        sc.executions = _executions(log)
        c.terminate()
    finally:
        for server in servers:
            if server.proc.poll() is None:
                server.cleanup()
    return sc


@pytest.fixture(scope="module")
def scenarios(tmp_path_factory: pytest.TempPathFactory, postgres_server_url: str) -> Iterator[dict[str, Any]]:
    """Both stores' scenarios, run at the same time (most of each is waiting: downtime,
    heartbeat timeout, shutdown); each store's outcome, or the error that stopped it."""
    urls = {
        "sqlite": f"sqlite:///{tmp_path_factory.mktemp('faults-sqlite') / 'store.db'}",
        "postgresql": fresh_database(postgres_server_url),
    }
    outcomes: dict[str, Any] = {}

    def run(store: str) -> None:
        try:
            outcomes[store] = _run_scenario(store, urls[store], tmp_path_factory.mktemp(f"faults-{store}-run"))
        except BaseException as exc:  # reported by the tests of that store
            outcomes[store] = exc

    threads = [threading.Thread(target=run, args=(store,), name=f"faults-{store}") for store in STORES]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    yield outcomes
    for url in urls.values():
        dispose_engines(url)


@pytest.fixture(params=STORES)
def scenario(request: pytest.FixtureRequest, scenarios: dict[str, Any]) -> Scenario:
    outcome = scenarios[request.param]
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


# The first test also runs the shared scenarios: minutes, started first in a parallel run.
pytestmark = [pytest.mark.timeout(1200), pytest.mark.long_running]


def test_no_scheduled_slot_gets_two_runs(scenario: Scenario) -> None:
    """The unique (deployment, schedule, slot) key held through both crashes; seen from the API
    too, for the runs still at their slot's time (a retry or hand-back moves a run's time)."""
    assert [slot for slot, n in Counter(scenario.slots.values()).items() if n > 1] == []
    assert set(scenario.slots) == {r["id"] for r in scenario.scheduled}
    at_slot = [r for r in scenario.scheduled if not {name for _, name in scenario.histories[r["id"]]} & MOVED]
    slots = Counter((r["deployment_id"], r["scheduled_start_time"]) for r in at_slot)
    assert [slot for slot, n in slots.items() if n > 1] == []
    assert len(at_slot) >= len(scenario.scheduled) - 2 * HELD


def test_missed_slots_get_one_catch_up_run(scenario: Scenario) -> None:
    """Policy "once": of the slots missed while no server ran, only the latest gets a run."""
    slot = {run_id: when for run_id, (_, _, when) in scenario.slots.items()}
    restart = scenario.launched[1]
    before = max(slot[r["id"]] for r in scenario.scheduled if _ts(r["created"]) <= scenario.kill_at)
    after = [r for r in scenario.scheduled if restart <= _ts(r["created"]) <= scenario.caught_up_at]
    # Due when made: the catch-up run, and maybe the next slot, then less than the grace late.
    # (The tick decides at its "now"; its rows are written a moment later, more under load, so
    # their creation time cannot tell a slot just due from a missed one.)
    due = sorted((slot[r["id"]], _ts(r["created"])) for r in after if slot[r["id"]] <= _ts(r["created"]))
    assert due, "no catch-up run"
    catch_up, made = due[0]
    assert catch_up < made - LATE_GRACE, due  # missed: more than the grace late
    # One catch-up only: any other run due when made is the slot right after it.
    assert len(due) <= 2 and all(abs(when - catch_up - INTERVAL) < 0.01 for when, _ in due[1:]), due
    # Slots were missed (the window held at least two), and none of the others got a run.
    assert catch_up - before >= 2 * INTERVAL - 0.01
    assert [r["id"] for r in after if before < slot[r["id"]] < catch_up] == []


def test_runs_running_at_kill_9_are_crashed_then_retried_once(scenario: Scenario) -> None:
    assert len(scenario.held_at_kill) == HELD
    runs = {r["id"]: r for r in scenario.scheduled}
    for held in scenario.held_at_kill:
        run = runs[held["id"]]
        assert (run["state"]["type"], run["run_count"]) == ("COMPLETED", 2), run
        history = [kind for kind, _ in scenario.histories[held["id"]]]
        assert history.count("CRASHED") == 1 and history[-1] == "COMPLETED", history
        # The first attempt died with the server (no orphan finished it); the retry ran once.
        first, *rest = scenario.executions[held["id"]]
        assert first.end is None and first.start < scenario.kill_at
        assert [ex.end is not None for ex in rest] == [True]


def test_a_crashed_servers_children_do_not_outlive_it(scenario: Scenario) -> None:
    """The local worker's children and their kernels exit when the server is killed: an orphan
    would go on running the notebook beside its retry."""
    assert scenario.kill_left == set()


def test_scheduling_resumes_soon_after_a_restart(scenario: Scenario) -> None:
    """A crashed server's scheduler lock does not keep the restarted one idle."""
    first = scenario.first_scheduled_after_restart
    assert first is not None and first - scenario.up[1] < 15.0, (first, scenario.up[1])


def test_sigterm_loses_nothing_and_doubles_nothing(scenario: Scenario) -> None:
    assert len(scenario.held_at_term) == HELD
    assert scenario.term_left == set()
    # Every request got an answer that says what happened: done, or refused while the server
    # stops (503, try again); a 500 would leave the client not knowing whether its run exists.
    assert [status for status in scenario.answers if status >= 500 and status != 503] == [], scenario.answers
    runs = {r["id"]: r for r in scenario.scheduled + scenario.manual}
    # Every run RUNNING at SIGTERM finished (completed in the grace period, handed back and
    # rerun, or crashed and retried), and every run a client was told exists does and ran.
    for run_id in [r["id"] for r in scenario.held_at_term] + sorted(scenario.acked):
        assert run_id in runs, f"run {run_id} was acknowledged, then lost"
        assert runs[run_id]["state"]["type"] == "COMPLETED", runs[run_id]
        assert [ex.end is not None for ex in scenario.executions[run_id]][-1], scenario.executions[run_id]


def test_no_run_executes_twice_at_once_and_every_run_ends(scenario: Scenario) -> None:
    """Across both crashes: a run's executions never overlap, a COMPLETED run finished its
    notebook exactly once, and nothing is left SCHEDULED, PENDING or RUNNING."""
    eras = [scenario.kill_gone_at, scenario.term_gone_at, float("inf")]  # an unended execution's latest end
    for run_id, executions in scenario.executions.items():
        for ex, following in itertools.pairwise(executions):
            end = ex.end if ex.end is not None else next(e for e in eras if e > ex.start)
            assert end <= following.start, (run_id, executions)
    runs = scenario.scheduled + scenario.manual
    assert Counter(r["state"]["type"] for r in runs) == {"COMPLETED": len(runs)}
    for run in runs:
        assert sum(ex.end is not None for ex in scenario.executions.get(run["id"], [])) == 1, run["id"]
