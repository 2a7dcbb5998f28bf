"""Prefect-style import path of the client's answers: ``DeploymentResponse``, ``SetStateStatus``, ..."""

from ...sdk.prefect_objects import (
    OrchestrationResult as OrchestrationResult,
    SetStateStatus as SetStateStatus,
    StateAcceptDetails as StateAcceptDetails,
    StateRejectDetails as StateRejectDetails,
)
