"""Prefect-style import path ``orchestr_lab.input.run_input``."""

from ..sdk.run_input import *  # noqa: F403  (the same names, at Prefect's path)
from ..sdk.run_input import __all__ as __all__
