"""One of several processes hammering a brand-new SQLite store (run by test_database.py).

Usage: python _race_worker.py URL WORKER_NO BATCHES TASKS_PER_BATCH GO_FILE
Imports first, then waits for GO_FILE so that every process opens (and migrates) the store
at the same moment. Prints one line per refused op; exits non-zero on any exception.
"""

from __future__ import annotations

import os
import sys
import time
import uuid

from orchestr_lab.core.states import Completed, Pending, Running
from orchestr_lab.core.wire import FlowRunOp, LogOp, StateOp, TaskRunOp
from orchestr_lab.store.database import get_engine
from orchestr_lab.store.runs import write_batch


def main() -> None:
    url, worker, batches, per_batch, go_file = sys.argv[1:6]
    n_batches, n_tasks = int(batches), int(per_batch)
    while not os.path.exists(go_file):
        time.sleep(0.002)
    engine = get_engine(url)
    now = time.time()
    flow_run = str(uuid.uuid4())
    pending = [
        FlowRunOp(
            {
                "id": flow_run,
                "name": f"race-{worker}",
                "flow_name": "race",
                "parameters": {"worker": int(worker)},
                "tags": [],
                "parent_task_run_id": None,
                "deployment_id": None,
                "created": now,
            }
        ),
        StateOp("flow", flow_run, Pending(), {}),
        StateOp("flow", flow_run, Running(), {"start_time": now, "run_count": 1}),
    ]
    running: list[str] = []
    for b in range(n_batches):
        ops = list(pending)
        pending = []
        # Finish last batch's task runs (UPDATE path), start this batch's (INSERT path).
        ops += [StateOp("task", tid, Completed(), {"end_time": time.time()}) for tid in running]
        running = []
        for i in range(n_tasks):
            tid = str(uuid.uuid4())
            running.append(tid)
            ops.append(
                TaskRunOp(
                    {
                        "id": tid,
                        "name": f"t-{b}-{i}",
                        "flow_run_id": flow_run,
                        "task_key": "race.t",
                        "dynamic_key": str(b * n_tasks + i),
                        "tags": ["race"],
                        "cache_key": None,
                        "created": time.time(),
                    }
                )
            )
            ops.append(StateOp("task", tid, Pending(), {}))
            ops.append(StateOp("task", tid, Running(), {"start_time": time.time(), "run_count": 1}))
            ops.append(
                LogOp(
                    {
                        "flow_run_id": flow_run,
                        "task_run_id": tid,
                        "level": 20,
                        "logger_name": "race",
                        "message": f"task {b}-{i} started",
                        "timestamp": time.time(),
                    }
                )
            )
        for message in write_batch(engine, ops):
            print(message)
    ops = [StateOp("task", tid, Completed(), {"end_time": time.time()}) for tid in running]
    ops.append(StateOp("flow", flow_run, Completed(), {"end_time": time.time()}))
    for message in write_batch(engine, ops):
        print(message)


if __name__ == "__main__":
    main()
