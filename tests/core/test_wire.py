"""The engine's ops on the wire: the JSON lists a remote worker sends, and back."""

from __future__ import annotations

import pytest

from orchestr_lab.core.states import Running
from orchestr_lab.core.wire import (
    FlowOp,
    FlowRunOp,
    LogOp,
    StateOp,
    ops_from_json,
    ops_to_json,
)

T0 = 1_700_000_000.0


def test_ops_travel_as_the_lists_the_api_documents_and_come_back_typed() -> None:
    row = {"id": "f1", "name": "r", "flow_name": "etl", "created": T0}
    log = {"flow_run_id": "f1", "task_run_id": None, "level": 20, "logger_name": "t", "message": "m", "timestamp": T0}
    ops = [FlowRunOp(row), StateOp("flow", "f1", Running(timestamp=T0), {"run_count": 1}), LogOp(log), FlowOp("etl")]
    sent = ops_to_json(ops)
    assert sent == [
        ["flow_run", row],
        [
            "state",
            "flow",
            "f1",
            {"type": "RUNNING", "name": "Running", "message": None, "timestamp": T0, "details": {}},
            {"run_count": 1},
        ],
        ["log", log],
        ["flow", "etl"],
    ]
    back = ops_from_json(sent)
    assert [type(op) for op in back] == [FlowRunOp, StateOp, LogOp, FlowOp]
    assert back[1].state.type.value == "RUNNING" and back[1].fields == {"run_count": 1}
    assert ops_to_json(back) == sent


@pytest.mark.parametrize(
    ("op", "message"),
    [
        (["nope", {}], "op 0: unknown operation 'nope'"),
        (
            ["state", "flow", "f1", {"type": "DONE", "name": "x"}, {}],
            "op 0: the state needs a known 'type' and a 'name'",
        ),
        (["flow_run", {"name": "no id"}], "op 0: a flow_run needs a string 'id'"),
    ],
)
def test_a_malformed_op_is_named(op: list, message: str) -> None:
    with pytest.raises(ValueError) as exc:
        ops_from_json([op])
    assert str(exc.value) == message
