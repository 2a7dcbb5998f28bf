"""Prefect's ``prefect.variables``: ``Variable``."""

from .sdk.variables import Variable

__all__ = ["Variable"]
