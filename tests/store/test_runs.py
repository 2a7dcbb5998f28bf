"""Runs in the store: the engine's batched writes, single transitions, and what readers get back."""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine

from orchestr_lab.core.errors import IllegalTransition, NotFound
from orchestr_lab.core.states import (
    AwaitingRetry,
    Completed,
    Crashed,
    Failed,
    Pending,
    Retrying,
    Running,
    Scheduled,
    StateType,
)
from orchestr_lab.core.wire import FlowRunOp, LogOp, RecordOp, StateOp, TaskRunOp
from orchestr_lab.exceptions import NotFound as PublicNotFound
from orchestr_lab.store.run_logs import get_logs, get_recorded
from orchestr_lab.store.run_reads import (
    get_flow_run,
    get_task_run,
    list_flow_runs,
    list_task_runs,
    state_history,
)
from orchestr_lab.store.runs import set_state, write_batch

T0 = 1_700_000_000.25  # 2023-11-14T22:13:20.25Z


def flow_run_op(run_id: str, *, flow: str = "etl", created: float = T0, **extra: Any) -> FlowRunOp:
    row = {
        "id": run_id,
        "name": f"run-{run_id}",
        "flow_name": flow,
        "parameters": {"n": 3},
        "tags": ["nightly"],
        "parent_task_run_id": None,
        "deployment_id": None,
        "created": created,
    }
    row.update(extra)
    return FlowRunOp(row)


def task_run_op(run_id: str, flow_run_id: str | None, *, created: float = T0) -> TaskRunOp:
    return TaskRunOp(
        {
            "id": run_id,
            "name": f"task-{run_id}",
            "flow_run_id": flow_run_id,
            "task_key": "m.add",
            "dynamic_key": "0",
            "tags": [],
            "cache_key": None,
            "created": created,
        }
    )


def log_op(flow_run_id: str | None, task_run_id: str | None, message: str) -> LogOp:
    return LogOp(
        {
            "flow_run_id": flow_run_id,
            "task_run_id": task_run_id,
            "level": 20,
            "logger_name": "orchestr_lab.test",
            "message": message,
            "timestamp": T0,
        }
    )


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[str]]:
    """SQL statements the engine sends (executemany counts once). Rows loaded with PostgreSQL's
    COPY bypass SQLAlchemy's events; the store logs those, and they count as one INSERT each."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        seen.append(" ".join(statement.split()))

    class Copies(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append("INSERT INTO " + str(record.args[0]).removeprefix("COPY "))  # type: ignore[index]

    bulk_log, copies = logging.getLogger("orchestr_lab.store.bulk"), Copies()
    level = bulk_log.level
    bulk_log.setLevel(logging.DEBUG)
    bulk_log.addHandler(copies)
    event.listen(engine, "before_cursor_execute", record)
    yield seen
    event.remove(engine, "before_cursor_execute", record)
    bulk_log.removeHandler(copies)
    bulk_log.setLevel(level)


# -- write_batch ------------------------------------------------------------------------------


def test_new_runs_are_written_once_with_their_final_state(engine: Engine, statements: list[str]) -> None:
    ops = [
        flow_run_op("f1"),
        StateOp("flow", "f1", Pending(timestamp=T0), {}),
        StateOp("flow", "f1", Running(timestamp=T0 + 1), {"start_time": T0 + 1, "run_count": 1}),
    ]
    for i in range(3):
        ops += [
            task_run_op(f"t{i}", "f1"),
            StateOp("task", f"t{i}", Pending(timestamp=T0 + 2), {}),
            StateOp("task", f"t{i}", Running(timestamp=T0 + 3), {"start_time": T0 + 3, "run_count": 1}),
            StateOp("task", f"t{i}", Completed(timestamp=T0 + 4), {"end_time": T0 + 4, "result_key": f"k{i}"}),
        ]
    assert write_batch(engine, ops) == []

    writes = [s for s in statements if s.startswith(("INSERT", "UPDATE"))]
    assert sum(s.startswith("INSERT INTO task_runs") for s in writes) == 1
    assert sum(s.startswith("INSERT INTO flow_runs") for s in writes) == 1
    assert sum(s.startswith("INSERT INTO run_states") for s in writes) == 1  # the flow run's
    assert not any(s.startswith("UPDATE") for s in writes)
    with engine.connect() as conn:  # task states ride on their run's row, none in run_states
        assert conn.execute(text("SELECT count(*) FROM run_states")).scalar() == 2

    task = get_task_run(engine, "t1")
    assert task is not None
    assert task["state"] == {
        "type": "COMPLETED",
        "name": "Completed",
        "message": None,
        "timestamp": "2023-11-14T22:13:24.250000+00:00",
    }
    assert (task["run_count"], task["result_key"]) == (1, "k1")
    assert task["start_time"] == "2023-11-14T22:13:23.250000+00:00"
    assert task["end_time"] == "2023-11-14T22:13:24.250000+00:00"
    assert state_history(engine, "task", "t1") == [
        {
            "id": 0,
            "type": "PENDING",
            "name": "Pending",
            "message": None,
            "timestamp": "2023-11-14T22:13:22.250000+00:00",
            "details": {},
        },
        {
            "id": 1,
            "type": "RUNNING",
            "name": "Running",
            "message": None,
            "timestamp": "2023-11-14T22:13:23.250000+00:00",
            "details": {},
        },
        {
            "id": 2,
            "type": "COMPLETED",
            "name": "Completed",
            "message": None,
            "timestamp": "2023-11-14T22:13:24.250000+00:00",
            "details": {},
        },
    ]
    flow_history = state_history(engine, "flow", "f1")
    assert [h["name"] for h in flow_history] == ["Pending", "Running"]
    assert flow_history[1]["timestamp"] == "2023-11-14T22:13:21.250000+00:00"


def test_existing_runs_get_their_final_state_and_fields(engine: Engine, statements: list[str]) -> None:
    write_batch(
        engine,
        [
            flow_run_op("f1"),
            StateOp("flow", "f1", Pending(), {}),
            task_run_op("t1", "f1"),
            StateOp("task", "t1", Pending(), {}),
        ],
    )
    statements.clear()
    messages = write_batch(
        engine,
        [
            StateOp("flow", "f1", Running(), {"start_time": T0, "run_count": 1, "worker_name": "w1"}),
            StateOp("task", "t1", Running(), {"start_time": T0, "run_count": 1}),
            StateOp("task", "t1", Failed("boom"), {"end_time": T0 + 1}),
            StateOp("task", "t1", AwaitingRetry(scheduled_time=T0 + 5), {}),
            StateOp("task", "t1", Retrying(), {"run_count": 2}),
            StateOp("task", "t1", Completed(), {"end_time": T0 + 6, "cache_key": "ck"}),
        ],
    )
    assert messages == []
    assert sum(s.startswith("SELECT") and "FROM task_runs" in s for s in statements) == 1
    assert sum(s.startswith("UPDATE task_runs") for s in statements) == 1
    assert sum(s.startswith("INSERT INTO run_states") for s in statements) == 1  # the flow run's

    task = get_task_run(engine, "t1")
    assert task is not None
    assert task["state"]["type"] == "COMPLETED"
    assert (task["run_count"], task["cache_key"]) == (2, "ck")
    assert task["end_time"] == "2023-11-14T22:13:26.250000+00:00"
    history = state_history(engine, "task", "t1")
    assert [h["name"] for h in history] == ["Pending", "Running", "Failed", "AwaitingRetry", "Retrying", "Completed"]
    assert history[2]["message"] == "boom"
    assert history[3]["details"] == {"scheduled_time": T0 + 5}
    flow = get_flow_run(engine, "f1")
    assert flow is not None
    assert flow["worker"]["name"] == "w1" and flow["state"]["type"] == "RUNNING"


def test_illegal_transition_is_refused_and_the_rest_written(engine: Engine) -> None:
    write_batch(
        engine,
        [
            flow_run_op("f1"),
            StateOp("flow", "f1", Running(), {}),
            task_run_op("t1", "f1"),
            StateOp("task", "t1", Running(), {}),
        ],
    )
    messages = write_batch(
        engine,
        [
            StateOp("task", "t1", Pending(), {}),  # RUNNING -> PENDING: refused
            StateOp("task", "t1", Completed(), {}),  # still legal from RUNNING
            task_run_op("t2", "f1"),
            StateOp("task", "t2", Completed(), {}),  # a new run cannot start COMPLETED
            StateOp("task", "t2", Pending(), {}),
            log_op("f1", "t1", "still here"),
        ],
    )
    assert len(messages) == 2
    assert "task run t1" in messages[0]
    assert "a RUNNING run does not go back to PENDING" in messages[0]
    assert "a new run starts SCHEDULED, PENDING or RUNNING" in messages[1]
    assert [h["type"] for h in state_history(engine, "task", "t1")] == ["RUNNING", "COMPLETED"]
    assert [h["type"] for h in state_history(engine, "task", "t2")] == ["PENDING"]
    assert [line["message"] for line in get_logs(engine, "f1")] == ["still here"]


def test_unknown_runs_and_ops_are_reported_not_raised(engine: Engine) -> None:
    messages = write_batch(
        engine,
        [
            StateOp("task", "ghost", Running(), {}),
            ("bogus", 1),
            flow_run_op("f1"),
            StateOp("flow", "f1", Pending(), {"no_such_column": 1}),
        ],
    )
    assert "task run ghost: not found" in messages[0]
    assert "bogus" in messages[1]
    assert "no_such_column" in messages[2]
    flow = get_flow_run(engine, "f1")
    assert flow is not None and flow["state"]["type"] == "PENDING"


def test_a_dangling_reference_does_not_lose_the_batch(engine: Engine) -> None:
    write_batch(engine, [flow_run_op("f1"), StateOp("flow", "f1", Running(), {})])
    messages = write_batch(
        engine,
        [
            task_run_op("orphan", "no-such-flow-run"),
            StateOp("task", "orphan", Pending(), {}),
            flow_run_op("f1"),  # already stored
            task_run_op("t1", "f1"),
            StateOp("task", "t1", Pending(), {}),
            StateOp("flow", "f1", Completed(), {}),
        ],
    )
    assert any("no-such-flow-run" in m for m in messages)
    assert any("f1: already exists" in m for m in messages)
    assert get_task_run(engine, "orphan") is None
    assert [t["id"] for t in list_task_runs(engine, "f1")] == ["t1"]
    flow = get_flow_run(engine, "f1")
    assert flow is not None and flow["state"]["type"] == "COMPLETED"


def test_tasks_outside_a_flow_and_their_logs(engine: Engine) -> None:
    assert (
        write_batch(
            engine, [task_run_op("solo", None), StateOp("task", "solo", Running(), {}), log_op(None, "solo", "alone")]
        )
        == []
    )
    task = get_task_run(engine, "solo")
    assert task is not None and task["flow_run_id"] is None
    with engine.connect() as conn:
        assert conn.execute(text("SELECT message FROM logs WHERE task_run_id = 'solo'")).scalar() == "alone"


def test_task_logs_show_under_their_flow_run(engine: Engine) -> None:
    write_batch(
        engine,
        [
            flow_run_op("f1"),
            task_run_op("t1", "f1"),
            log_op("f1", None, "flow says"),
            log_op(None, "t1", "task says"),
            log_op("f1", "t1", "task says again"),
        ],
    )
    lines = get_logs(engine, "f1")
    assert [line["message"] for line in lines] == ["flow says", "task says", "task says again"]
    assert lines[0]["timestamp"] == "2023-11-14T22:13:20.250000+00:00"
    newer = get_logs(engine, "f1", after_id=lines[0]["id"], limit=1)
    assert [line["message"] for line in newer] == ["task says"]


def test_batch_of_a_thousand_task_runs_is_written_whole(engine: Engine) -> None:
    """A big map arrives as one batch: every run and every state lands (speed is in bench/)."""
    fid = str(uuid.uuid4())
    now = time.time()
    ops = [flow_run_op(fid, created=now), StateOp("flow", fid, Running(timestamp=now), {})]
    for _ in range(1000):
        tid = str(uuid.uuid4())
        ops += [
            task_run_op(tid, fid, created=now),
            StateOp("task", tid, Pending(timestamp=now), {}),
            StateOp("task", tid, Running(timestamp=now), {"start_time": now, "run_count": 1}),
            StateOp("task", tid, Completed(timestamp=now), {"end_time": now}),
        ]
    assert write_batch(engine, ops) == []
    runs = list_task_runs(engine, fid)
    assert len(runs) == 1000
    assert {r["state"]["type"] for r in runs} == {"COMPLETED"}
    assert all(r["run_count"] == 1 and r["end_time"] for r in runs)


# -- set_state --------------------------------------------------------------------------------


def test_set_state_moves_a_run_and_records_history(engine: Engine) -> None:
    write_batch(engine, [flow_run_op("f1"), StateOp("flow", "f1", Scheduled(scheduled_time=T0 + 60), {})])
    state = Running()
    assert set_state(engine, "flow", "f1", state, fields={"worker_name": "w", "worker_type": "process"}) is state
    flow = get_flow_run(engine, "f1")
    assert flow is not None
    assert flow["state"]["type"] == "RUNNING"
    assert flow["worker"] == {"name": "w", "type": "process"}
    assert flow["scheduled_start_time"] == "2023-11-14T22:14:20.250000+00:00"
    assert [h["type"] for h in state_history(engine, "flow", "f1")] == ["SCHEDULED", "RUNNING"]


def test_a_task_run_spanning_batches_keeps_one_history(engine: Engine) -> None:
    write_batch(
        engine,
        [
            flow_run_op("f1"),
            StateOp("flow", "f1", Running(), {}),
            task_run_op("t1", "f1"),
            StateOp("task", "t1", Pending(timestamp=T0), {}),
            task_run_op("t2", "f1"),
            StateOp("task", "t2", Pending(timestamp=T0), {}),
        ],
    )
    assert write_batch(engine, [StateOp("task", "t1", Running(timestamp=T0 + 1), {"run_count": 1})]) == []
    messages = write_batch(
        engine,
        [
            StateOp("task", "t1", Running(timestamp=T0 + 2), {}),  # refused: not a retry
            StateOp("task", "t1", Failed("boom", timestamp=T0 + 3), {"end_time": T0 + 3}),
            StateOp("task", "t2", Running(timestamp=T0 + 4), {}),
        ],
    )
    assert len(messages) == 1 and "task run t1" in messages[0]
    history = state_history(engine, "task", "t1")
    assert [(h["id"], h["name"], h["message"]) for h in history] == [
        (0, "Pending", None),
        (1, "Running", None),
        (2, "Failed", "boom"),
    ]
    assert history[2]["timestamp"] == "2023-11-14T22:13:23.250000+00:00"
    assert [h["name"] for h in state_history(engine, "task", "t2")] == ["Pending", "Running"]
    task = get_task_run(engine, "t1")
    assert task is not None and task["state"]["message"] == "boom" and "history" not in task
    assert state_history(engine, "task", "missing") == []


def test_set_state_appends_to_a_task_runs_history(engine: Engine) -> None:
    write_batch(engine, [task_run_op("t1", None), StateOp("task", "t1", Running(timestamp=T0), {})])
    set_state(engine, "task", "t1", AwaitingRetry(scheduled_time=T0 + 5), fields={"run_count": 1})
    with pytest.raises(IllegalTransition):
        set_state(engine, "task", "t1", Completed())  # SCHEDULED -> COMPLETED is not allowed
    set_state(engine, "task", "t1", Crashed("killed"), force=True)
    history = state_history(engine, "task", "t1")
    assert [h["name"] for h in history] == ["Running", "AwaitingRetry", "Crashed"]
    assert history[1]["details"] == {"scheduled_time": T0 + 5}
    assert history[2]["message"] == "killed"
    task = get_task_run(engine, "t1")
    assert task is not None and task["state"]["type"] == "CRASHED" and task["run_count"] == 1
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM run_states")).scalar() == 0


def test_set_state_refuses_an_illegal_transition_naming_the_rule(engine: Engine) -> None:
    write_batch(
        engine, [flow_run_op("f1"), StateOp("flow", "f1", Running(), {}), StateOp("flow", "f1", Completed(), {})]
    )
    with pytest.raises(IllegalTransition, match="COMPLETED is final") as info:
        set_state(engine, "flow", "f1", Running())
    assert "flow run f1" in str(info.value)
    assert info.value.rule.startswith("COMPLETED is final")
    assert [h["type"] for h in state_history(engine, "flow", "f1")] == ["RUNNING", "COMPLETED"]
    # An operator may override the rule book.
    set_state(engine, "flow", "f1", Failed("marked failed by hand"), force=True)
    flow = get_flow_run(engine, "f1")
    assert flow is not None and flow["state"]["message"] == "marked failed by hand"


def test_set_state_on_a_missing_run(engine: Engine) -> None:
    with pytest.raises(NotFound, match="No task run with id 'nope'"):
        set_state(engine, "task", "nope", Running())
    assert PublicNotFound is NotFound and issubclass(NotFound, LookupError)


def test_set_state_rejects_unknown_fields_and_kinds(engine: Engine) -> None:
    write_batch(engine, [task_run_op("t1", None)])
    with pytest.raises(ValueError, match="worker_name"):
        set_state(engine, "task", "t1", Running(), fields={"worker_name": "x"})
    with pytest.raises(ValueError, match="kind"):
        set_state(engine, "job", "t1", Running())


# -- reads ------------------------------------------------------------------------------------


def test_list_flow_runs_filters_pages_and_counts(engine: Engine) -> None:
    ops: list[tuple] = []
    for i in range(5):
        ops += [
            flow_run_op(f"f{i}", flow="a" if i % 2 else "b", created=T0 + i, deployment_id="d" if i == 4 else None),
            StateOp("flow", f"f{i}", Running() if i < 3 else Pending(), {}),
        ]
    write_batch(engine, ops)
    items, total = list_flow_runs(engine)
    assert total == 5 and [r["id"] for r in items] == ["f4", "f3", "f2", "f1", "f0"]
    items, total = list_flow_runs(engine, limit=2, offset=1)
    assert total == 5 and [r["id"] for r in items] == ["f3", "f2"]
    assert list_flow_runs(engine, state="PENDING")[1] == 2
    assert list_flow_runs(engine, state=[StateType.PENDING, "RUNNING"])[1] == 5
    assert [r["id"] for r in list_flow_runs(engine, flow_name="a")[0]] == ["f3", "f1"]
    assert [r["id"] for r in list_flow_runs(engine, deployment_id="d")[0]] == ["f4"]


def test_flow_run_reads_are_plain_json(engine: Engine) -> None:
    write_batch(
        engine,
        [
            flow_run_op("f1"),
            StateOp("flow", "f1", Running(), {}),
            task_run_op("t2", "f1", created=T0 + 2),
            task_run_op("t1", "f1", created=T0 + 1),
            RecordOp(
                {
                    "flow_run_id": "f1",
                    "task_run_id": None,
                    "name": "accuracy",
                    "value": 0.93,
                    "repr": "0.93",
                    "timestamp": T0,
                }
            ),
            RecordOp(
                {
                    "flow_run_id": "f1",
                    "task_run_id": "t1",
                    "name": "model",
                    "value": None,
                    "repr": "<Model 3 layers>",
                    "timestamp": T0,
                }
            ),
            RecordOp(
                {
                    "flow_run_id": "f1",
                    "task_run_id": None,
                    "name": "nothing",
                    "value": None,
                    "repr": "None",
                    "timestamp": T0,
                }
            ),
        ],
    )
    flow = get_flow_run(engine, "f1")
    assert flow is not None
    assert flow["recorded"] == {"accuracy": 0.93, "model": "<Model 3 layers>", "nothing": None}
    assert flow["parameters"] == {"n": 3} and flow["tags"] == ["nightly"]
    assert dt.datetime.fromisoformat(flow["created"]) == dt.datetime.fromtimestamp(T0, dt.timezone.utc)
    assert [t["id"] for t in list_task_runs(engine, "f1")] == ["t1", "t2"]
    recorded = get_recorded(engine, "f1")
    assert [r["name"] for r in recorded] == ["accuracy", "model", "nothing"]
    assert recorded[1]["task_run_id"] == "t1"
    assert get_flow_run(engine, "missing") is None and get_task_run(engine, "missing") is None


def test_deleting_a_flow_run_removes_its_records(engine: Engine) -> None:
    write_batch(
        engine,
        [
            flow_run_op("f1"),
            StateOp("flow", "f1", Running(), {}),
            task_run_op("t1", "f1"),
            StateOp("task", "t1", Running(), {}),
            log_op("f1", "t1", "x"),
        ],
    )
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM flow_runs WHERE id = 'f1'"))
    assert get_task_run(engine, "t1") is None
    assert state_history(engine, "task", "t1") == [] and get_logs(engine, "f1") == []


def test_older_plain_tuples_are_written_as_typed_ops_are(engine: Engine) -> None:
    assert (
        write_batch(
            engine,
            [
                ("flow_run", flow_run_op("f1").row),
                ("state", "flow", "f1", Running(), {}),
                ("task_run", task_run_op("t1", "f1").row),
                ("state", "task", "t1", Running(), {}),
                ("log", log_op("f1", "t1", "hello").row),
                ("flow", "other"),
            ],
        )
        == []
    )
    task = get_task_run(engine, "t1")
    assert task is not None and task["state"]["type"] == "RUNNING"
    assert [line["message"] for line in get_logs(engine, "f1")] == ["hello"]
