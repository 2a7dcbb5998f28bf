"""Sweeps in the store (SQLite and PostgreSQL): the max_parallel cap on claims, even when
workers race for the last slot; the members as one sweep; the finish event once."""

from __future__ import annotations

import threading

from sqlalchemy.engine import Engine

from orchestr_lab.core.states import Completed, Failed, Running
from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.events import list_events
from orchestr_lab.store.runs import set_state
from orchestr_lab.store.sweeps import create_sweep, finish_sweeps, list_sweeps, read_sweep


def _claim(engine: Engine, worker: str = "w") -> dict | None:
    return claim_next_run(engine, worker_name=worker, worker_type="process", queues=["default"])


def _sweep(engine: Engine, members: int, max_parallel: int) -> str:
    dep = create_deployment(engine, {"name": "d", "notebook": "n.ipynb"})
    sets = [{"n": i} for i in range(members)]
    return create_sweep(engine, dep, sets, max_parallel=max_parallel, parameter_names=["n"])


def test_at_most_max_parallel_members_are_claimed(engine: Engine) -> None:
    sweep_id = _sweep(engine, 5, 2)
    first, second = _claim(engine), _claim(engine)
    assert first is not None and second is not None
    assert _claim(engine) is None  # two active members fill the sweep: the rest wait SCHEDULED
    assert read_sweep(engine, sweep_id)["counts"] == {"PENDING": 2, "SCHEDULED": 3}
    set_state(engine, "flow", first["id"], Running())
    assert _claim(engine) is None
    set_state(engine, "flow", first["id"], Completed())
    third = _claim(engine)
    assert third is not None and third["sweep_index"] == 2  # members start in order
    assert _claim(engine) is None


def test_racing_workers_never_overfill_a_sweep(engine: Engine) -> None:
    _sweep(engine, 12, 3)
    go = threading.Barrier(8)
    claimed: list[str] = []

    def worker(name: str) -> None:
        go.wait(30)
        for _ in range(3):
            run = _claim(engine, name)
            if run is not None:
                claimed.append(run["id"])

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(claimed) == 3 == len(set(claimed))


def test_a_sweep_reads_its_members_and_finishes_once(engine: Engine) -> None:
    sweep_id = _sweep(engine, 3, 3)
    sweep = read_sweep(engine, sweep_id)
    assert [m["parameters"] for m in sweep["members"]] == [{"n": 0}, {"n": 1}, {"n": 2}]
    assert sweep["state"] == "RUNNING" and sweep["parameter_names"] == ["n"]
    runs = [m["flow_run_id"] for m in sweep["members"]]
    for run_id, end in zip(runs, (Completed(), Completed(), Failed()), strict=True):
        set_state(engine, "flow", run_id, Running())
        assert finish_sweeps(engine) == 0
        set_state(engine, "flow", run_id, end)
    assert finish_sweeps(engine) == 1
    assert finish_sweeps(engine) == 0
    kinds = [e["kind"] for e in list_events(engine, limit=1000) if e["resource_id"] == sweep_id]
    assert kinds == ["sweep.created", "sweep.failed"]
    items, total = list_sweeps(engine)
    assert total == 1 and items[0]["state"] == "FAILED" and items[0]["counts"] == {"COMPLETED": 2, "FAILED": 1}
