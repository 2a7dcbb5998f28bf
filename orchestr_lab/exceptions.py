"""Public import path of the exception tree (implementation in ``core.errors``)."""

from .core.errors import (
    CancelledRun,
    CrashedRun,
    FailedRun,
    FlowRunTimeout,
    IllegalTransition,
    MissingContextError,
    OrchestrLabError,
    ParameterBindError,
    ParameterTypeError,
    ResultPersistenceError,
    RunError,
    StoreError,
    TaskRunTimeout,
    UpstreamTaskError,
)

__all__ = [
    "CancelledRun",
    "CrashedRun",
    "FailedRun",
    "FlowRunTimeout",
    "IllegalTransition",
    "MissingContextError",
    "OrchestrLabError",
    "ParameterBindError",
    "ParameterTypeError",
    "ResultPersistenceError",
    "RunError",
    "StoreError",
    "TaskRunTimeout",
    "UpstreamTaskError",
]
