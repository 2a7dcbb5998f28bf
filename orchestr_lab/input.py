"""Prefect-style import path: ``from orchestr_lab.input import RunInput``."""

from .sdk.run_input import RunInput

__all__ = ["RunInput"]
