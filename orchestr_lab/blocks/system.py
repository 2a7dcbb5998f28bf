"""Prefect's ``prefect.blocks.system``: ``Secret``; also ``JSON``, ``String``, ``DateTime``."""

from ..sdk.system_blocks import JSON, DateTime, Secret, String

__all__ = ["JSON", "DateTime", "Secret", "String"]
