"""API contract, continued: what remote workers send and receive (``/workers/*``, run writes).

A worker on another machine reaches the store only through these routes: it claims runs,
heartbeats them (learning which to stop), streams the engine's store ops, moves runs and cells
between states, records each attempt's end and uploads the executed notebook.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, SkipValidation

from .limits import (
    MAX_ITEMS,
    Description,
    EpochSeconds,
    JsonObject,
    Key,
    Label,
    Message,
    QueueName,
    StateName,
    bounded_list,
    integer,
)
from .schemas import WorkerHeartbeat, WorkerRead
from .schemas_base import In, Out
from .schemas_ops import EngineFlowFields, EngineTaskFields, FlowRunRow, LogRow, RecordRow, RunId, TaskRunRow
from .states import StateType

__all__ = [
    "AttemptFinish",
    "NotebookUpload",
    "OpsBatch",
    "OpsWritten",
    "RunClaim",
    "RunClaimed",
    "StateIn",
    "StateWrite",
    "TaskStateWrite",
    "WorkerBeat",
    "WorkerBeatRead",
]


class WorkerBeat(WorkerHeartbeat):
    """A worker is alive, and so are the runs it executes (``runs``)."""

    runs: bounded_list(Key, max_length=10 * MAX_ITEMS) = Field(  # type: ignore[valid-type]
        default_factory=list, description="ids of the runs this worker is executing"
    )


class WorkerBeatRead(WorkerRead):
    stop: list[str] = Field(
        default_factory=list, description="runs the worker must stop: cancelled, or taken over by another worker"
    )


class RunClaim(In):
    """Take the oldest due run of these queues (concurrency limits honoured)."""

    name: Key = Field(description="the claiming worker")
    type: Literal["process", "dask", "local"] = "process"
    queues: bounded_list(QueueName, min_length=1) = Field(default_factory=lambda: ["default"])  # type: ignore[valid-type]


class RunClaimed(Out):
    run: dict[str, Any] | None = Field(default=None, description="the claimed run (PENDING), or null")


class StateIn(In):
    type: StateType
    name: StateName | None = None
    message: Message | None = None
    timestamp: EpochSeconds | None = Field(default=None, description="epoch seconds; default: now")
    details: JsonObject = Field(default_factory=dict)


#: Task-run columns a state move may set with the state: what the engine's own state ops set.
TaskRunFields = EngineTaskFields


class FlowRunFields(EngineFlowFields):
    """Flow-run columns a worker's state move may set with the state (``store.transitions.FIELDS``);
    times are epoch seconds. Only the fields sent are set (``null`` clears a column)."""

    result_key: Description | None = None
    worker_name: Key | None = None
    worker_type: Label | None = None
    heartbeat_at: EpochSeconds | None = None
    # Only the server points these at files (its results folder, its kernel-state files); a
    # worker may only clear them.
    output_notebook: None = Field(default=None, description="only null: the server sets it")
    resume_from: None = Field(default=None, description="only null: the server sets it")


def _sent(model: BaseModel) -> dict[str, Any]:
    """The fields as the actions take them: a dict of what was sent."""
    return model.model_dump(exclude_unset=True)


class StateWrite(In):
    """Move a flow run to ``state`` (the rule book decides: 409 when the move is illegal)."""

    state: StateIn
    # A dict, not the model: _sent turns the model into what was sent (empty when nothing was).
    fields: Annotated[FlowRunFields, AfterValidator(_sent)] = Field(  # type: ignore[assignment]
        default_factory=dict, description="run columns set with the state (start_time, run_count, ...)"
    )


class TaskStateWrite(In):
    """Move a task run to ``state``."""

    state: StateIn
    fields: Annotated[TaskRunFields, AfterValidator(_sent)] = Field(  # type: ignore[assignment]
        default_factory=dict, description="task-run columns set with the state"
    )


class AttemptFinish(In):
    """How a worker's attempt ended; the server turns a failure into a retry when one is left."""

    state: StateIn


class OpState(StateIn):
    """A state in a batch's state op: the engine always names it."""

    name: StateName


#: One op of a batch, as ``core.wire.ops_from_json`` and ``actions.worker_api`` check it.
_Op = (
    tuple[Literal["state"], Literal["flow"], RunId, OpState, EngineFlowFields]
    | tuple[Literal["state"], Literal["task"], RunId, OpState, EngineTaskFields]
    | tuple[Literal["flow"], Key]
    | tuple[Literal["flow_run"], FlowRunRow]
    | tuple[Literal["task_run"], TaskRunRow]
    | tuple[Literal["log"], LogRow]
    | tuple[Literal["record"], RecordRow]
)
MAX_OPS = 100_000


def _few_enough(value: Any) -> Any:
    if isinstance(value, list) and len(value) > MAX_OPS:
        raise ValueError(f"at most {MAX_OPS:,} operations per batch")
    if not isinstance(value, list):
        raise ValueError("a list of operations")
    return value


class OpsBatch(In):
    """The engine's store operations, in order (see ``core.wire``).

    The document states each op's shape (the types below); the action checks them, op by op,
    with the same models, and names the op that is wrong (so the raw lists pass through here).
    """

    ops: Annotated[SkipValidation[list[_Op]], BeforeValidator(_few_enough)] = Field(
        json_schema_extra={"maxItems": MAX_OPS}
    )
    batch_id: Key | None = Field(
        default=None, max_length=100, description="the same on a retry: a batch already written is not written again"
    )


class OpsWritten(Out):
    written: int
    refused: list[str] = Field(default_factory=list, description="ops skipped, and why (e.g. illegal transitions)")


class NotebookUpload(In):
    """An nbformat 4 notebook (JSON)."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False)
    large_body = True

    nbformat: integer(ge=4, le=4)  # type: ignore[valid-type]
    nbformat_minor: integer(ge=0, le=1000) = 0  # type: ignore[valid-type]
    cells: list[JsonObject]
    metadata: JsonObject = Field(default_factory=dict)
