"""Prefect-style task-argument annotations: ``unmapped``, ``allow_failure``, ``quote``."""

from ..engine.futures import BaseAnnotation, allow_failure, quote, unmapped

__all__ = ["BaseAnnotation", "allow_failure", "quote", "unmapped"]
