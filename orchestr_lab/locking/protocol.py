"""Prefect-style import path of what every lock manager offers."""

from ..engine.locking import LockManager as LockManager

__all__ = ["LockManager"]
