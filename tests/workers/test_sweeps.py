"""A sweep end to end on a real worker: 12 entrypoint-flow members, max_parallel 3 on a worker
that could run 6; never more than 3 members running at once (read from the stored states),
12 rows whose recorded values match each member's parameters, and a retry that reruns only the
members that failed."""

from __future__ import annotations

import itertools
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

from orchestr_lab import sweep
from orchestr_lab.sdk.client import connect
from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_reads import get_flow_run, state_history
from orchestr_lab.workers.worker import Worker

FLOW = """\
import time
from pathlib import Path
from orchestr_lab import flow, record

@flow
def member(n: int = 0) -> int:
    time.sleep(0.2)
    if n % 5 == 4 and not Path(__file__).with_name("fixed").exists():
        raise ValueError(f"n={n} fails until fixed")
    record("square", n * n)
    record("label", f"n{n}")
    return n
"""


def _most_at_once(engine: Any, run_ids: list[str], states: set[str]) -> int:
    """The most runs in one of ``states`` at one moment, read from the stored state history
    (each state lasts until the run's next one)."""
    moments: list[tuple[float, int]] = []
    for run_id in run_ids:
        history = state_history(engine, "flow", run_id)
        for state, after in itertools.pairwise(history):
            if state["type"] in states:
                moments += [(state["timestamp"], 1), (after["timestamp"], -1)]
    running = most = 0
    for _, step in sorted(moments, key=lambda m: (m[0], m[1])):  # an end before a start at the same moment
        running += step
        most = max(most, running)
    return most


def test_a_sweep_of_twelve_caps_at_three_gathers_its_table_and_retries_only_the_failed(tmp_path: Path) -> None:
    from orchestr_lab.store.database import dispose_engines

    db_url = f"sqlite:///{tmp_path / 'store.db'}"
    (tmp_path / "flows.py").write_text(textwrap.dedent(FLOW))
    engine = get_engine(db_url)
    create_deployment(engine, {"name": "grid", "entrypoint": "flows.py:member"})
    worker = Worker(
        db_url, name="sweeper", root_dir=tmp_path, output_dir=tmp_path / "out", concurrency=6, poll_interval=0.1
    )
    serving = threading.Thread(target=worker.run_forever, daemon=True)
    serving.start()
    backend = connect(engine=db_url, root=tmp_path)
    try:
        rows = sweep("grid", grid={"n": list(range(12))}, max_parallel=3, timeout=120, backend=backend)
        rows = rows.to_dict("records") if hasattr(rows, "to_dict") else rows
        assert len(rows) == 12
        assert [r["n"] for r in rows] == list(range(12))
        failed = [r["n"] for r in rows if r["state"] == "FAILED"]
        assert failed == [4, 9]
        for row in rows:
            if row["state"] == "COMPLETED":
                assert (row["square"], row["label"]) == (row["n"] ** 2, f"n{row['n']}") and row["duration"] > 0
        sweep_id = backend.list_sweeps({})["items"][0]["id"]
        first = backend.get_sweep(sweep_id)
        assert first["state"] == "FAILED" and first["counts"] == {"COMPLETED": 10, "FAILED": 2}

        (tmp_path / "fixed").touch()
        retried = backend.retry_sweep(sweep_id)
        assert retried["counts"] == {"COMPLETED": 10, "SCHEDULED": 2}
        deadline = time.monotonic() + 60
        while backend.get_sweep(sweep_id)["state"] == "RUNNING" and time.monotonic() < deadline:
            time.sleep(0.1)
        final = backend.get_sweep(sweep_id)
        assert final["state"] == "COMPLETED", final["counts"]
        members = final["members"]
        attempts = {m["parameters"]["n"]: get_flow_run(engine, m["flow_run_id"])["run_count"] for m in members}
        assert attempts == {n: 2 if n in (4, 9) else 1 for n in range(12)}  # only the failed ran again
        assert [m["outputs"]["square"] for m in members] == [n * n for n in range(12)]
        ids = [m["flow_run_id"] for m in members]
        assert _most_at_once(engine, ids, {"RUNNING"}) <= 3
        # Claimed (PENDING) or RUNNING: what the cap counts, filled to 3 and never past it
        # although the worker could take 6.
        assert _most_at_once(engine, ids, {"PENDING", "RUNNING"}) == 3
    finally:
        worker.stop()
        serving.join(60)
        backend.close()
        dispose_engines(db_url)
