"""Prefect-style import path of what the client returns: ``FlowRun``, ``TaskRun``, ``Log``, ``StateType``."""

from ...core.states import State as State, StateType as StateType
from ...sdk.prefect_objects import (
    Deployment as Deployment,
    FlowRun as FlowRun,
    Log as Log,
    TaskRun as TaskRun,
    WorkPool as WorkPool,
)
