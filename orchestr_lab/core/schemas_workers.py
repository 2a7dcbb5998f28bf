"""API contract, continued: what remote workers send and receive (``/workers/*``, run writes).

A worker on another machine reaches the store only through these routes: it claims runs,
heartbeats them (learning which to stop), streams the engine's store ops, moves runs and cells
between states, records each attempt's end and uploads the executed notebook.
"""

from __future__ import annotations

from typing import Any, Literal, Optional

from pydantic import ConfigDict, Field

from .schemas import WorkerHeartbeat, WorkerRead
from .schemas_base import In, Out
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
    "WorkerBeat",
    "WorkerBeatRead",
]


class WorkerBeat(WorkerHeartbeat):
    """A worker is alive, and so are the runs it executes (``runs``)."""

    runs: list[str] = Field(default_factory=list, description="ids of the runs this worker is executing")


class WorkerBeatRead(WorkerRead):
    stop: list[str] = Field(default_factory=list,
                            description="runs the worker must stop: cancelled, or taken over by another worker")


class RunClaim(In):
    """Take the oldest due run of these queues (concurrency limits honoured)."""

    name: str = Field(min_length=1, description="the claiming worker")
    type: Literal["process", "dask", "local"] = "process"
    queues: list[str] = Field(default_factory=lambda: ["default"], min_length=1)


class RunClaimed(Out):
    run: Optional[dict[str, Any]] = Field(default=None, description="the claimed run (PENDING), or null")


class StateIn(In):
    type: StateType
    name: Optional[str] = None
    message: Optional[str] = None
    timestamp: Optional[float] = Field(default=None, description="epoch seconds; default: now")
    details: dict[str, Any] = Field(default_factory=dict)


class StateWrite(In):
    """Move a run to ``state`` (the rule book decides: 409 when the move is illegal)."""

    state: StateIn
    fields: dict[str, Any] = Field(default_factory=dict,
                                   description="run columns set with the state (start_time, run_count, ...)")


class AttemptFinish(In):
    """How a worker's attempt ended; the server turns a failure into a retry when one is left."""

    state: StateIn


class OpsBatch(In):
    """The engine's store operations, in order (see ``core.wire``)."""

    ops: list[list[Any]] = Field(max_length=100_000)
    batch_id: Optional[str] = Field(default=None, max_length=100,
                                    description="the same on a retry: a batch already written is not written again")


class OpsWritten(Out):
    written: int
    refused: list[str] = Field(default_factory=list, description="ops skipped, and why (e.g. illegal transitions)")


class NotebookUpload(In):
    """An nbformat 4 notebook (JSON)."""

    model_config = ConfigDict(extra="allow")

    nbformat: int = Field(ge=4)
    nbformat_minor: int = 0
    cells: list[dict[str, Any]]
    metadata: dict[str, Any] = Field(default_factory=dict)
