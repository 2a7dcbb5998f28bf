"""Lock managers: who may work on a transaction record while others wait.

A transaction with the ``SERIALIZABLE`` isolation level takes a lock on its key before it looks
the record up, and releases it once it has committed or rolled back, so two runs computing the
same key do the work once: the second waits, then finds the first one's record.

:class:`MemoryLockManager` serves threads of one process (every instance shares one table, as in
Prefect); :class:`FileSystemLockManager` serves processes on one machine through lock files
created atomically in a directory. Both take a ``holder`` (any string naming the owner) and an
optional ``hold_timeout`` after which an abandoned lock counts as free.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["FileSystemLockManager", "LockManager", "MemoryLockManager"]

_POLL_SECONDS = 0.05


class LockManager:
    """What a lock manager offers (the async forms run the sync ones on a worker thread)."""

    def acquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        """Take the lock on ``key`` for ``holder``, waiting up to ``acquire_timeout`` seconds
        (forever when None; 0 means do not wait). True when held; a holder may take it again."""
        raise NotImplementedError

    def release_lock(self, key: str, holder: str) -> None:
        """Give the lock back; ValueError when ``holder`` does not hold it."""
        raise NotImplementedError

    def is_locked(self, key: str) -> bool:
        raise NotImplementedError

    def is_lock_holder(self, key: str, holder: str) -> bool:
        raise NotImplementedError

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        """Wait until ``key`` is free (True), or ``timeout`` seconds pass (False)."""
        raise NotImplementedError

    async def aacquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        return await asyncio.to_thread(self.acquire_lock, key, holder, acquire_timeout, hold_timeout)

    async def await_for_lock(self, key: str, timeout: float | None = None) -> bool:
        return await asyncio.to_thread(self.wait_for_lock, key, timeout)


def _deadline(timeout: float | None) -> float | None:
    return None if timeout is None else time.monotonic() + timeout


def _left(deadline: float | None) -> float | None:
    return None if deadline is None else max(0.0, deadline - time.monotonic())


@contextlib.contextmanager
def _guard(directory: Path) -> Iterator[None]:
    """An exclusive ``flock`` on the lock directory itself (on systems without fcntl, no guard)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the flock


class MemoryLockManager(LockManager):
    """Locks for the threads of this process. Every ``MemoryLockManager()`` is the same one, so
    a policy configured in one module and a transaction opened in another share their locks."""

    _instance: MemoryLockManager | None = None
    _guard = threading.Lock()

    def __new__(cls) -> MemoryLockManager:
        with cls._guard:
            if cls._instance is None:
                instance = super().__new__(cls)
                instance._cond = threading.Condition()
                instance._holders = {}
                cls._instance = instance
            return cls._instance

    _cond: threading.Condition
    #: key -> (holder, expiry on the monotonic clock or None)
    _holders: dict[str, tuple[str, float | None]]

    def __reduce__(self) -> tuple[Any, tuple[()]]:
        """Pickled (a task shipped to another process), it is that process's own manager."""
        return (MemoryLockManager, ())

    def _current(self, key: str) -> str | None:
        """The key's live holder (an expired hold is dropped). Call with the condition held."""
        entry = self._holders.get(key)
        if entry is None:
            return None
        holder, expires = entry
        if expires is not None and time.monotonic() >= expires:
            del self._holders[key]
            self._cond.notify_all()
            return None
        return holder

    def acquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        deadline = _deadline(acquire_timeout)
        with self._cond:
            while True:
                current = self._current(key)
                if current is None or current == holder:
                    expires = None if hold_timeout is None else time.monotonic() + hold_timeout
                    self._holders[key] = (holder, expires)
                    return True
                left = _left(deadline)
                if left == 0:
                    return False
                self._cond.wait(_POLL_SECONDS if left is None else min(left, _POLL_SECONDS))

    def release_lock(self, key: str, holder: str) -> None:
        with self._cond:
            if self._current(key) != holder:
                raise ValueError(f"No lock held by {holder} for transaction with key {key}")
            del self._holders[key]
            self._cond.notify_all()

    def is_locked(self, key: str) -> bool:
        with self._cond:
            return self._current(key) is not None

    def is_lock_holder(self, key: str, holder: str) -> bool:
        with self._cond:
            return self._current(key) == holder

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        deadline = _deadline(timeout)
        with self._cond:
            while self._current(key) is not None:
                left = _left(deadline)
                if left == 0:
                    return False
                self._cond.wait(_POLL_SECONDS if left is None else min(left, _POLL_SECONDS))
            return True


class FileSystemLockManager(LockManager):
    """Locks shared by the processes of one machine: one ``<key>.lock`` file per held lock.

    A lock file is written whole under a temporary name and then hard-linked into place, which
    fails when the lock file exists: taking a lock is atomic, and a lock file is never seen half
    written. It holds the holder, the process that took it and, with ``hold_timeout``, the
    wall-clock time it expires. A lock whose process has died (``kill -9`` while holding it) or
    whose time is up counts as free: it is removed under a guard (``flock``) after checking it is
    still the same file, so a waiter never removes a lock just taken by another."""

    def __init__(self, lock_files_directory: str | os.PathLike[str]) -> None:
        self.lock_files_directory = Path(lock_files_directory).expanduser().resolve()
        self._host = socket.gethostname()

    def _path(self, key: str) -> Path:
        return self.lock_files_directory / f"{key}.lock"

    def _read(self, key: str) -> dict[str, Any] | None:
        return self._load(key)[0]

    def _load(self, key: str) -> tuple[dict[str, Any] | None, bytes]:
        """The live lock's content (None when free) and the file's bytes; a stale lock file
        (expired, or its process gone) is removed."""
        path = self._path(key)
        try:
            raw = path.read_bytes()
            info: dict[str, Any] = json.loads(raw)
        except FileNotFoundError:
            return None, b""
        except ValueError:
            return {"holder": None, "expiration": None}, b""  # being replaced: count it as held
        if not self._stale(info):
            return info, raw
        self._remove_if_unchanged(path, raw)
        return None, b""

    def _stale(self, info: dict[str, Any]) -> bool:
        expiration = info.get("expiration")
        if expiration is not None and time.time() >= expiration:
            return True
        pid = info.get("pid")
        if info.get("host") != self._host or not isinstance(pid, int):
            return False
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except OSError:
            return False  # alive, owned by another user
        return False

    def _remove_if_unchanged(self, path: Path, raw: bytes) -> None:
        """Unlink ``path`` if it still holds ``raw``; removals are serialized by a guard file."""
        with _guard(self.lock_files_directory):
            try:
                if path.read_bytes() == raw:
                    path.unlink()
            except FileNotFoundError:
                pass

    def _try_create(self, key: str, holder: str, hold_timeout: float | None) -> bool:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        expiration = None if hold_timeout is None else time.time() + hold_timeout
        info = {"holder": holder, "expiration": expiration, "pid": os.getpid(), "host": self._host}
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}")
        tmp.write_bytes(json.dumps(info).encode())
        try:
            os.link(tmp, path)
            return True
        except FileExistsError:
            return False
        finally:
            tmp.unlink(missing_ok=True)

    def acquire_lock(
        self, key: str, holder: str, acquire_timeout: float | None = None, hold_timeout: float | None = None
    ) -> bool:
        deadline = _deadline(acquire_timeout)
        while True:
            info = self._read(key)
            if info is not None and info.get("holder") == holder:
                return True
            if info is None and self._try_create(key, holder, hold_timeout):
                return True
            left = _left(deadline)
            if left == 0:
                return False
            time.sleep(_POLL_SECONDS if left is None else min(left, _POLL_SECONDS))

    def release_lock(self, key: str, holder: str) -> None:
        info, raw = self._load(key)
        if info is None:
            raise ValueError(f"No lock for transaction with key {key}")
        if info.get("holder") != holder:
            raise ValueError(f"No lock held by {holder} for transaction with key {key}")
        self._remove_if_unchanged(self._path(key), raw)

    def is_locked(self, key: str) -> bool:
        return self._read(key) is not None

    def is_lock_holder(self, key: str, holder: str) -> bool:
        info = self._read(key)
        return info is not None and info.get("holder") == holder

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        deadline = _deadline(timeout)
        while self._read(key) is not None:
            left = _left(deadline)
            if left == 0:
                return False
            time.sleep(_POLL_SECONDS if left is None else min(left, _POLL_SECONDS))
        return True

    def __repr__(self) -> str:
        return f"FileSystemLockManager({str(self.lock_files_directory)!r})"
