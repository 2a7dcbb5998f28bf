"""What a batch of engine ops will write, worked out without a database (store.write_plan)."""

from __future__ import annotations

from typing import Any

from orchestr_lab.core.states import Completed, Pending, Running, StateType
from orchestr_lab.core.wire import (
    FlowOp,
    FlowRunOp,
    LogOp,
    Op,
    RecordOp,
    StateOp,
    TaskRunOp,
)
from orchestr_lab.store.write_plan import Stored, WritePlan, fold, runs_to_read

T0 = 1_700_000_000.0
NOW = T0 + 100


def _flow_run(run_id: str) -> FlowRunOp:
    return FlowRunOp({"id": run_id, "name": f"run-{run_id}", "flow_name": "etl", "created": T0})


def _task_run(run_id: str, flow_run_id: str | None) -> TaskRunOp:
    return TaskRunOp(
        {
            "id": run_id,
            "name": f"task-{run_id}",
            "flow_run_id": flow_run_id,
            "task_key": "m.t",
            "dynamic_key": "0",
            "created": T0,
        }
    )


def _log(task_run_id: str | None, message: str, flow_run_id: str | None = None) -> LogOp:
    return LogOp(
        {
            "flow_run_id": flow_run_id,
            "task_run_id": task_run_id,
            "level": 20,
            "logger_name": "t",
            "message": message,
            "timestamp": T0,
        }
    )


def _fold(ops: list[Any], stored: Stored | None = None, *, log_cap: int = 1 << 20) -> WritePlan:
    return fold(list(enumerate(ops)), stored or Stored(), now=NOW, log_cap=log_cap)


def _running_task(run_id: str = "t1", flow_run_id: str = "f1") -> Stored:
    """What the store would hand the fold for one RUNNING task run of a RUNNING flow run."""
    return Stored(
        states={"flow": {flow_run_id: StateType.RUNNING}, "task": {run_id: StateType.RUNNING}},
        histories={run_id: [["PENDING", "Pending", T0, None], ["RUNNING", "Running", T0 + 1, None]]},
        owners={"flow": {flow_run_id: ("run-f1", None)}, "task": {run_id: flow_run_id}},
    )


def test_a_new_run_moved_through_states_is_one_row_with_its_last_state() -> None:
    plan = _fold(
        [
            _flow_run("f1"),
            StateOp("flow", "f1", Pending(timestamp=T0), {}),
            StateOp("flow", "f1", Running(timestamp=T0 + 1), {"start_time": T0 + 1, "run_count": 1}),
            _task_run("t1", "f1"),
            StateOp("task", "t1", Pending(timestamp=T0 + 2), {}),
            StateOp("task", "t1", Completed(timestamp=T0 + 3), {"end_time": T0 + 3}),
        ]
    )
    assert plan.refusals == []
    flow = plan.new_runs["flow"]["f1"]
    assert (flow["state_type"], flow["run_count"], flow["start_time"], flow["updated"]) == ("RUNNING", 1, T0 + 1, NOW)
    task = plan.new_runs["task"]["t1"]
    assert (task["state_type"], task["end_time"]) == ("COMPLETED", T0 + 3)
    assert [entry[0] for entry in task["history"]] == ["PENDING", "COMPLETED"]
    assert [row["type"] for row in plan.history] == ["PENDING", "RUNNING"]  # the flow run's states
    assert plan.changes == {"flow": {}, "task": {}}
    assert plan.flow_names == {"etl": T0}
    # One event per flow run: where the batch left it (its states are all in plan.history).
    assert [(e["kind"], e["resource_id"]) for e in plan.events] == [
        ("flow_run.state", "f1"),
        ("task_runs.changed", "f1"),
    ]
    assert plan.events[0]["payload"]["state"]["type"] == "RUNNING"
    assert plan.events[-1]["payload"] == {"counts": {"COMPLETED": 1}}  # stored compact; read back whole


def test_refused_ops_are_named_by_index_and_the_rest_is_kept() -> None:
    plan = _fold(
        [
            StateOp("task", "t1", Pending(), {}),  # RUNNING -> PENDING
            StateOp("task", "ghost", Running(), {}),
            ("bogus", 1),
            StateOp("flow", "f1", Completed(), {"end_time": NOW, "no_such_column": 1}),
            _task_run("t2", "f1"),
            _task_run("t2", "f1"),
            StateOp("task", "t2", Completed(), {}),  # a new run cannot start COMPLETED
            StateOp("task", "t1", Completed(), {}),  # still legal from RUNNING
        ],
        _running_task(),
    )
    assert plan.refusals == [
        (
            0,
            "task run t1: Illegal transition RUNNING -> PENDING (Pending): a RUNNING run does not go back "
            "to PENDING; it is retried through AwaitingRetry or Retrying",
        ),
        (1, "task run ghost: not found; state Running not recorded"),
        (2, "unknown store operation 'bogus' skipped"),
        (3, "flow run f1: ignored unknown field(s) no_such_column"),
        (5, "task run t2: inserted twice; second insert skipped"),
        (
            6,
            "task run t2: Illegal transition (no state) -> COMPLETED (Completed): a new run starts "
            "SCHEDULED, PENDING or RUNNING",
        ),
    ]
    # The flow run's state is written without the unknown field; the task run ends COMPLETED.
    assert plan.changes["flow"]["f1"] == {
        "state_type": "COMPLETED",
        "state_name": "Completed",
        "state_message": None,
        "state_timestamp": plan.changes["flow"]["f1"]["state_timestamp"],
        "end_time": NOW,
    }
    assert plan.changes["task"]["t1"]["state_type"] == "COMPLETED"
    assert plan.new_runs["task"]["t2"]["state_type"] is None


def test_a_stored_task_runs_history_grows_in_the_plan_not_in_what_was_read() -> None:
    stored = _running_task()
    plan = _fold([StateOp("task", "t1", Completed(timestamp=T0 + 2), {"end_time": T0 + 2})], stored)
    assert [entry[0] for entry in plan.changes["task"]["t1"]["history"]] == ["PENDING", "RUNNING", "COMPLETED"]
    assert len(stored.histories["t1"]) == 2 and stored.states["task"]["t1"] is StateType.RUNNING
    assert plan.events[0]["payload"] == {"counts": {"COMPLETED": 1}}


def test_log_lines_and_records_are_capped_and_filed_under_their_flow_run() -> None:
    plan = _fold(
        [
            _task_run("t1", "f1"),
            _log("t1", "x" * 50),
            _log(None, "a\x00b", flow_run_id="f1"),
            RecordOp({"task_run_id": "t1", "name": "model", "repr": "y" * 50, "timestamp": T0}),
        ],
        log_cap=20,
    )
    first, second = plan.logs
    assert first["flow_run_id"] == "f1"
    assert first["message"] == "x" * 20 + "\n[output truncated: 50 bytes, showing the first 20]"
    assert second["message"] == "a\ufffdb"
    record = plan.records[0]
    assert (record["flow_run_id"], record["value"]) == ("f1", None)
    assert record["repr"].startswith("y" * 20 + "\n[output truncated")


def test_only_runs_the_batch_did_not_insert_first_are_read() -> None:
    ops: list[Op] = [
        StateOp("task", "t0", Running(), {}),  # before its insert: must be read (and is then not found)
        _task_run("t0", "f1"),
        _task_run("t1", "f1"),
        StateOp("task", "t1", Pending(), {}),
        StateOp("flow", "f1", Completed(), {}),
        FlowOp("etl"),
    ]
    assert runs_to_read(list(enumerate(ops))) == {"flow": {"f1"}, "task": {"t0"}}
