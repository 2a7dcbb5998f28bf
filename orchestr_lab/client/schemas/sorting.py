"""Prefect-style import path of the sort orders: ``from orchestr_lab.client.schemas.sorting import FlowRunSort``."""

from ...sdk.prefect_filters import (
    DeploymentSort as DeploymentSort,
    FlowRunSort as FlowRunSort,
    LogSort as LogSort,
    TaskRunSort as TaskRunSort,
)
