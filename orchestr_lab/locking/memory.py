"""Prefect-style import path of the in-process lock manager."""

from ..engine.locking import MemoryLockManager as MemoryLockManager

__all__ = ["MemoryLockManager"]
