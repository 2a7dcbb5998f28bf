"""Prefect-style import path: ``from orchestr_lab.flows import flow, Flow``."""

from .sdk.flows import Flow, flow

__all__ = ["Flow", "flow"]
