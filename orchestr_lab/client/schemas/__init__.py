"""Prefect's ``prefect.client.schemas`` paths: ``.filters``, ``.sorting``, ``.objects``, ``.responses``."""

from ...sdk.prefect_objects import FlowRun as FlowRun, TaskRun as TaskRun
