"""Prefect-style import path ``orchestr_lab.input.actions``."""

from ..sdk.input_actions import *  # noqa: F403  (the same names, at Prefect's path)
from ..sdk.input_actions import __all__ as __all__
