"""Prefect-style import path of the lock manager shared by processes through lock files."""

from ..engine.locking import FileSystemLockManager as FileSystemLockManager

__all__ = ["FileSystemLockManager"]
