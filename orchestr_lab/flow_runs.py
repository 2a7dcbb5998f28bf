"""Prefect-style import path: ``from orchestr_lab.flow_runs import pause_flow_run, resume_flow_run``."""

from .sdk.pauses import pause_flow_run, resume_flow_run, suspend_flow_run

__all__ = ["pause_flow_run", "resume_flow_run", "suspend_flow_run"]
