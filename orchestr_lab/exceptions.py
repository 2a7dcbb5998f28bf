"""Public import path of the exception tree (implementation in ``core.errors``)."""

from .core.errors import (
    CancelledRun as CancelledRun,
    Conflict as Conflict,
    CrashedRun as CrashedRun,
    FailedRun as FailedRun,
    FlowRunTimeout as FlowRunTimeout,
    IllegalTransition as IllegalTransition,
    MappingLengthMismatch as MappingLengthMismatch,
    MissingContextError as MissingContextError,
    NotFound as NotFound,
    OrchestrLabError as OrchestrLabError,
    ParameterBindError as ParameterBindError,
    ParameterTypeError as ParameterTypeError,
    PathOutsideRoot as PathOutsideRoot,
    ResultPersistenceError as ResultPersistenceError,
    RunError as RunError,
    RunNameTemplateError as RunNameTemplateError,
    StoreError as StoreError,
    TaskRunTimeout as TaskRunTimeout,
    UnfinishedRun as UnfinishedRun,
    UpstreamTaskError as UpstreamTaskError,
)
