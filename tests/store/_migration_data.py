"""Rows of every kind the store has held, written into a database at any earlier revision.

One dataset covers every column of every table at head; :func:`seed` writes the part that the
database's revision has (tables and columns it lacks are left out, as that version of
orchestr-lab could not have written them), and :func:`snapshot` reads back what is there, so
a test can compare a store before and after an upgrade column by column.

Before 0002 a task run's states were rows of ``run_states`` (``task_run_id`` set); from 0002
they are ``task_runs.history``. Both forms come from :data:`TASK_STATES`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from orchestr_lab.store.models import metadata

UTC = _dt.timezone.utc
T = _dt.datetime(2023, 11, 14, 22, 13, 20, 250000, tzinfo=UTC)


def at(seconds: float) -> _dt.datetime:
    return T + _dt.timedelta(seconds=seconds)


#: (type, name, seconds after T, message, details) of task run t1, oldest first.
TASK_STATES = [
    ("PENDING", "Pending", 1.0, None, None),
    ("RUNNING", "Running", 1.5, None, None),
    ("FAILED", "Failed", 2.125, "boom", None),
    ("SCHEDULED", "AwaitingRetry", 2.25, "retrying", {"scheduled_time": 1700000010.5}),
    ("RUNNING", "Retrying", 3.0, None, None),
    ("COMPLETED", "Completed", 4.000001, None, None),
]

ROWS: dict[str, list[dict[str, Any]]] = {
    "flows": [{"id": "fl", "name": "etl", "created": T}, {"id": "fl2", "name": "daily", "created": at(1)}],
    "flow_runs": [
        {  # a flow called in a notebook: no deployment, no worker
            "id": "r1",
            "name": "brave-otter",
            "flow_id": "fl",
            "flow_name": "etl",
            "parameters": {"n": 3, "s": "x"},
            "tags": ["adhoc"],
            "state_type": "COMPLETED",
            "state_name": "Completed",
            "state_message": "All done",
            "state_timestamp": at(5),
            "start_time": at(1),
            "end_time": at(5),
            "run_count": 1,
            "created": T,
            "updated": at(5),
            "result_key": "results/r1.pickle",
            "parent_task_run_id": None,
        },
        {  # a scheduled deployment run on its second attempt, resumable from a failed cell
            "id": "r2",
            "name": "calm-lynx",
            "flow_id": "fl2",
            "flow_name": "daily",
            "deployment_id": "dep1",
            "parameters": {"n": 6},
            "tags": ["team"],
            "state_type": "FAILED",
            "state_name": "Failed",
            "state_message": "Cell 3 failed: ZeroDivisionError",
            "state_timestamp": at(30),
            "start_time": at(20),
            "end_time": at(30),
            "run_count": 2,
            "scheduled_start_time": at(10),
            "created": at(9),
            "updated": at(30),
            "worker_name": "w1",
            "worker_type": "process",
            "work_queue": "nightly",
            "schedule_id": "sch1",
            "heartbeat_at": at(29),
            "notebook": "reports/daily.ipynb",
            "output_notebook": "notebooks/r2.ipynb",
            "timeout_seconds": 30.5,
            "max_retries": 2,
            "retry_delay_seconds": 1.5,
            "resume_from": {"cell": 3, "state": "notebooks/r2.state"},
        },
        {  # a subflow run waiting for a worker
            "id": "r3",
            "name": "quiet-heron",
            "flow_id": "fl",
            "flow_name": "etl",
            "parent_task_run_id": "t1",
            "state_type": "SCHEDULED",
            "state_name": "Late",
            "state_timestamp": at(40),
            "run_count": 0,
            "scheduled_start_time": at(35),
            "created": at(34),
            "updated": at(40),
            "entrypoint": "flows.py:etl",
            "work_queue": "default",
        },
    ],
    "task_runs": [
        {
            "id": "t1",
            "flow_run_id": "r1",
            "name": "load-0",
            "task_key": "load",
            "dynamic_key": "0",
            "cache_key": "k1",
            "tags": ["io"],
            "state_type": "COMPLETED",
            "state_name": "Completed",
            "state_timestamp": at(4.000001),
            "start_time": at(1.5),
            "end_time": at(4.000001),
            "run_count": 2,
            "result_key": "results/t1.pickle",
            "created": at(1),
            "updated": at(4.000001),
        },
        {
            "id": "t2",
            "flow_run_id": "r2",
            "name": "cell-3",
            "task_key": "cell-3",
            "dynamic_key": "0",
            "created": at(21),
            "updated": at(21),
            "run_count": 0,
        },
    ],
    "run_states": [
        {"flow_run_id": "r1", "type": "PENDING", "name": "Pending", "timestamp": T},
        {"flow_run_id": "r1", "type": "RUNNING", "name": "Running", "timestamp": at(1)},
        {"flow_run_id": "r1", "type": "COMPLETED", "name": "Completed", "message": "All done", "timestamp": at(5)},
        {
            "flow_run_id": "r2",
            "type": "SCHEDULED",
            "name": "Scheduled",
            "timestamp": at(9),
            "details": {"scheduled_time": at(10).timestamp()},
        },
        {
            "flow_run_id": "r2",
            "type": "FAILED",
            "name": "Failed",
            "message": "Cell 3 failed: ZeroDivisionError",
            "timestamp": at(30),
        },
    ],
    "logs": [
        {
            "flow_run_id": "r1",
            "task_run_id": "t1",
            "level": 20,
            "logger_name": "orchestr_lab.task_runs",
            "message": "loaded 3 rows \u2713",
            "timestamp": at(2),
        },
        {
            "flow_run_id": "r2",
            "task_run_id": None,
            "level": 40,
            "logger_name": "orchestr_lab.flow_runs",
            "message": "line one\nline two",
            "timestamp": at(30),
        },
    ],
    "recorded": [
        {
            "flow_run_id": "r1",
            "task_run_id": "t1",
            "name": "double",
            "value": {"x": [1, 2.5, None, "y"]},
            "repr": "{'x': [1, 2.5, None, 'y']}",
            "timestamp": at(3),
        },
    ],
    # 0003
    "deployments": [
        {
            "id": "dep1",
            "name": "daily",
            "notebook": "reports/daily.ipynb",
            "description": "Every night",
            "parameters": {"n": 5, "label": "plain"},
            "work_queue": "nightly",
            "retries": 2,
            "retry_delay_seconds": 1.5,
            "timeout_seconds": 30.5,
            "tags": ["team"],
            "concurrency_limit": 3,
            "paused": False,
            "created": T,
            "updated": at(1),
        },
        {
            "id": "dep2",
            "name": "flows",
            "entrypoint": "flows.py:etl",
            "parameters": {},
            "work_queue": "default",
            "retries": 0,
            "retry_delay_seconds": 0.0,
            "paused": True,
            "created": at(2),
            "updated": at(2),
        },
    ],
    "deployment_schedules": [
        {
            "id": "sch1",
            "deployment_id": "dep1",
            "interval_seconds": 3600.0,
            "anchor": T,
            "timezone": "Europe/Paris",
            "active": True,
            "parameters": {"n": 6},
            "position": 0,
        },
        {
            "id": "sch2",
            "deployment_id": "dep1",
            "cron": "0 9 * * 1-5",
            "timezone": "UTC",
            "active": False,
            "position": 1,
        },
    ],
    "work_queues": [
        {"name": "nightly", "concurrency_limit": 2, "paused": True, "description": "night jobs", "created": T},
    ],
    "workers": [{"name": "w1", "type": "process", "queues": ["nightly", "default"], "last_seen": at(29)}],
    "events": [
        {
            "occurred": at(9),
            "kind": "flow_run.state",
            "resource_id": "r2",
            "payload": {"state": {"type": "SCHEDULED", "name": "Scheduled"}, "deployment_id": "dep1"},
        },
        {"occurred": at(30), "kind": "deployment.updated", "resource_id": "dep1", "payload": {"name": "daily"}},
    ],
    "scheduler_lock": [{"name": "scheduler", "holder": "host:123:abcd", "expires": at(60)}],
    # 0004
    "concurrency_limits": [{"tag": "gpu", "concurrency_limit": 2, "created": T, "updated": at(1)}],
    "automations": [
        {
            "id": "au1",
            "name": "chain",
            "deployment_id": "dep1",
            "states": ["COMPLETED", "FAILED"],
            "action": "run_deployment",
            "target_deployment_id": "dep2",
            "parameters": {"k": 1},
            "enabled": True,
            "created": T,
            "updated": T,
        },
        {
            "id": "au2",
            "name": "hook",
            "deployment_id": "dep2",
            "states": ["CRASHED"],
            "action": "webhook",
            "webhook_url": "https://example.org/hook",
            "enabled": False,
            "created": T,
            "updated": at(1),
        },
    ],
    "automation_firings": [
        {
            "automation_id": "au1",
            "flow_run_id": "r2",
            "run_count": 1,
            "state_type": "FAILED",
            "fired": at(31),
            "outcome": "ran deployment flows",
            "triggered_run_id": "r3",
        },
    ],
}

#: Columns a migration added to an existing table: what a row already there holds after it
#: (given the row as it is now). Every other added column is None.
ADDED: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    # 0007: a schedule's run keeps the slot it was made for, its scheduled time at the upgrade.
    "slot_time": lambda row: row["scheduled_start_time"] if row["schedule_id"] is not None else None,
    # 0016: every existing queue is in the default pool (a deployment's pool stays unset).
    "work_pool_name": lambda row: None if "id" in row else "default",
}


def added_value(column: str, row: Mapping[str, Any]) -> Any:
    return ADDED[column](row) if column in ADDED else None


def _table(name: str, columns: set[str]) -> sa.TableClause:
    """The table with only ``columns``, typed as the models type them (UTC times, JSON), and
    without the models' Python-side defaults (a column the revision lacks is never sent)."""
    model = metadata.tables[name]
    typed = [sa.column(c.name, c.type) for c in model.columns if c.name in columns]
    if "task_run_id" in columns and "task_run_id" not in model.c:  # run_states before 0002
        typed.append(sa.column("task_run_id", sa.String(36)))
    return sa.table(name, *typed)


def columns(conn: Connection) -> dict[str, set[str]]:
    """The tables this database has, with their columns."""
    insp = inspect(conn)
    return {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names() if t in metadata.tables}


def seed(conn: Connection) -> dict[str, set[str]]:
    """Write :data:`ROWS` as far as this database's schema goes; returns its tables and columns."""
    present = columns(conn)
    for name, rows in ROWS.items():
        if name not in present:
            continue
        table = _table(name, present[name])
        for row in rows:  # one by one: each row leaves out what it leaves to the server's defaults
            conn.execute(table.insert().values({k: v for k, v in row.items() if k in present[name]}))
    task_history = [list(s[:2]) + [at(s[2]).timestamp(), s[3]] + ([s[4]] if s[4] else []) for s in TASK_STATES]
    if "history" in present["task_runs"]:
        runs = _table("task_runs", {"id", "history"})
        conn.execute(runs.update().where(runs.c.id == "t1").values(history=task_history))
    else:  # 0001: one run_states row per task-run state
        states = _table("run_states", {"task_run_id", "type", "name", "message", "timestamp", "details"})
        conn.execute(
            states.insert(),
            [
                {
                    "task_run_id": "t1",
                    "type": s[0],
                    "name": s[1],
                    "timestamp": at(s[2]),
                    "message": s[3],
                    "details": s[4],
                }
                for s in TASK_STATES
            ],
        )
    return present


def snapshot(conn: Connection, present: dict[str, set[str]]) -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables in ``present``, ``present``'s columns only, in a stable order.

    Task-run states are left out of ``run_states`` (0002 moves them into ``task_runs.history``,
    compared apart) and so is the column 0002 drops with them.
    """
    now = columns(conn)
    out = {}
    for name, cols in present.items():
        table = _table(name, cols & now[name] - {"history"})
        rows = [dict(r) for r in conn.execute(sa.select(table)).mappings()]
        if name == "run_states":
            rows = [r for r in rows if r.pop("task_run_id", None) is None]
        out[name] = sorted(rows, key=repr)
    return out
