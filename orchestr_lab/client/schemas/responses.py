"""Prefect-style import path of the client's answers: ``DeploymentResponse``, ``SetStateStatus``, ..."""

from ...sdk.prefect_objects import (
    Deployment as DeploymentResponse,
    OrchestrationResult as OrchestrationResult,
    SetStateStatus as SetStateStatus,
    StateAcceptDetails as StateAcceptDetails,
    StateRejectDetails as StateRejectDetails,
)
