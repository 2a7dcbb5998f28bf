"""Prefect-style import path for run loggers: ``from orchestr_lab.logging import get_run_logger``."""

from .sdk.logs import disable_run_logger, get_logger, get_run_logger

__all__ = ["disable_run_logger", "get_logger", "get_run_logger"]
