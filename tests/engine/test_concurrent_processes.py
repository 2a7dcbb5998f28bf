"""Several processes running flows against one SQLite file: nothing lost, never "locked"."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import text

WORKER = textwrap.dedent(
    """
    import sys
    from orchestr_lab import flow, task, get_run_logger

    @task
    def step(i):
        return i

    @flow
    def job(worker: int, n: int):
        get_run_logger().info("worker %s", worker)
        return sum(step(i) for i in range(n))

    worker = int(sys.argv[1])
    for _ in range(int(sys.argv[2])):
        assert job(worker, 25) == 300
    print("done")
    """
)


def test_four_processes_share_one_database(tmp_path: Path) -> None:
    home = tmp_path / "shared"
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    env = {**os.environ, "ORCHESTR_LAB_HOME": str(home)}
    flows_each = 20
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(w), str(flows_each)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    results = [p.communicate(timeout=240) for p in procs]
    for p, (out, err) in zip(procs, results, strict=True):
        assert p.returncode == 0, err
        assert out.strip() == "done"
        assert "locked" not in err.lower()

    from orchestr_lab.store.database import get_engine

    engine = get_engine(f"sqlite:///{home / 'orchestr.db'}")
    with engine.connect() as conn:
        count = lambda sql: conn.execute(text(sql)).scalar_one()  # noqa: E731
        assert count("select count(*) from flow_runs") == 4 * flows_each
        assert count("select count(*) from flow_runs where state_type = 'COMPLETED'") == 4 * flows_each
        assert count("select count(*) from task_runs") == 4 * flows_each * 25
        assert count("select count(*) from task_runs where state_type = 'COMPLETED'") == 4 * flows_each * 25
        # Pending, Running, Completed for each flow run (rows) and each task run (on its row).
        assert count("select count(*) from run_states") == 3 * 4 * flows_each
        assert count("select count(*) from task_runs where json_array_length(history) = 3") == 4 * flows_each * 25
        assert count("select count(*) from logs where message like 'worker %'") == 4 * flows_each
    engine.dispose()
