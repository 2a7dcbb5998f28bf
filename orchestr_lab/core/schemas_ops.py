"""What a remote engine's batch (``POST workers/ops``) may carry: one model per kind of op.

The fields are exactly what the engine writes (engine/flow_engine.py, engine/task_engine.py,
workers/cells.py, engine/run_logging.py, sdk/records.py), with their types and the bounds of
their columns (store/models.py). A run's
notebook, entrypoint, output notebook, queue, deployment, worker or resume point are the
server's to set: a batch carrying them could make the server's own worker run, or serve, a
file the token holder chose. These models check a batch (``actions.worker_api``) and can
describe it (their JSON schemas), so the check and the document are one rule.

Run ids are UUIDs (the engine's time-ordered ones and the server's uuid4): they name files in
the results folder, so anything else (``../x``) is refused wherever an id comes in.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, StringConstraints

from .ids import RUN_ID_PATTERN
from .limits import Description, EpochSeconds, JsonObject, Key, Label, RunCount, Tags, integer
from .schemas_base import In

__all__ = [
    "OP_ROWS",
    "STATE_FIELDS",
    "EngineFlowFields",
    "EngineTaskFields",
    "FlowRunRow",
    "LogRow",
    "RecordRow",
    "RunId",
    "TaskRunRow",
]

RunId = Annotated[str, StringConstraints(pattern=RUN_ID_PATTERN)]


class FlowRunRow(In):
    """A flow run the engine starts (a flow called in a remote kernel, a subflow)."""

    id: RunId
    name: Key
    flow_name: Key
    parameters: JsonObject = Field(default_factory=dict)
    tags: Tags = Field(default_factory=list)
    parent_task_run_id: RunId | None = None
    deployment_id: None = Field(default=None, description="always null: deployment runs are the server's")
    created: EpochSeconds


class TaskRunRow(In):
    """A task run (a task call, or a notebook cell)."""

    id: RunId
    name: Key
    flow_run_id: RunId | None = None
    task_key: Key
    dynamic_key: Label  # 64 characters, as stored
    tags: Tags = Field(default_factory=list)
    cache_key: Description | None = None
    created: EpochSeconds


class LogRow(In):
    """A log line (the store caps its length: ``max_cell_output_bytes``)."""

    flow_run_id: RunId | None = None
    task_run_id: RunId | None = None
    level: integer(ge=0, le=100)  # type: ignore[valid-type]
    logger_name: Key
    message: str
    timestamp: EpochSeconds


class RecordRow(In):
    """An output recorded with ``record()``: its JSON value (or null) and its repr."""

    flow_run_id: RunId | None = None
    task_run_id: RunId | None = None
    name: Key
    value: Any = None
    repr: str
    timestamp: EpochSeconds


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


class EngineFlowFields(In):
    """What a flow run's state op sets with the state."""

    # NOT NULL in the store: may be left out, never null.
    run_count: RunCount = Field(default=None, json_schema_extra=_no_default)
    start_time: EpochSeconds | None = None
    end_time: EpochSeconds | None = None


class EngineTaskFields(EngineFlowFields):
    """What a task run's state op sets with the state (a task's result and cache keys too)."""

    result_key: Description | None = None
    cache_key: Description | None = None


#: The row model of each op that carries one.
OP_ROWS: dict[str, type[BaseModel]] = {
    "flow_run": FlowRunRow,
    "task_run": TaskRunRow,
    "log": LogRow,
    "record": RecordRow,
}
#: The fields model of a state op, by kind of run.
STATE_FIELDS: dict[str, type[BaseModel]] = {"flow": EngineFlowFields, "task": EngineTaskFields}
