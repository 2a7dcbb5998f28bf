"""Lock managers for SERIALIZABLE transactions: ``.memory`` (threads) and ``.filesystem`` (processes)."""

from ..engine.locking import LockManager as LockManager

__all__ = ["LockManager"]
