"""Persisted results: one file per key in the result directory, readable after a restart.

A file holds a one-line JSON header (expiration, serializer) and the cloudpickled value, so an
expired cache entry is recognised without unpickling it. Writes are atomic (temp file + rename).
A key may name a sub-directory (``result_storage_key="results/{parameters[x]}.json"``).

A store may carry a lock manager: transactions with the ``SERIALIZABLE`` isolation level lock
their key through it (see ``engine/transactions.py``).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.errors import ConfigurationError, ResultPersistenceError

__all__ = ["ResultRecord", "ResultStore", "get_result_store"]

_MISSING = object()


class ResultRecord:
    """A stored value read back by a transaction (``txn.read().result``)."""

    __slots__ = ("key", "result")

    def __init__(self, key: str, result: Any) -> None:
        self.key = key
        self.result = result

    def __repr__(self) -> str:
        return f"ResultRecord(key={self.key!r}, result={self.result!r})"


class ResultStore:
    """Reads and writes results under one directory (``result_storage``; the configured results
    directory when neither is given), locking keys through ``lock_manager`` when it has one."""

    def __init__(
        self,
        directory: str | os.PathLike[str] | None = None,
        *,
        result_storage: str | os.PathLike[str] | None = None,
        lock_manager: Any = None,
    ) -> None:
        location = directory if directory is not None else result_storage
        if location is None:
            from ..core.settings import results_dir

            location = results_dir()
        self.directory = Path(location).expanduser()
        self.lock_manager = lock_manager
        self._made = False

    def with_lock_manager(self, lock_manager: Any) -> ResultStore:
        """The same directory, locked through ``lock_manager``."""
        if lock_manager is self.lock_manager:
            return self
        return ResultStore(self.directory, lock_manager=lock_manager)

    def new_key(self) -> str:
        return uuid.uuid4().hex

    def dumps(self, value: Any, *, what: str) -> bytes:
        """Serialize or raise :class:`ResultPersistenceError` naming ``what`` failed."""
        import cloudpickle

        try:
            data: bytes = cloudpickle.dumps(value)
            return data
        except Exception as exc:
            raise ResultPersistenceError(
                f"The result of {what} could not be persisted: {type(exc).__name__}: {exc}"
            ) from exc

    def write(self, key: str, payload: bytes, *, expiration: float | None = None) -> None:
        if not self._made:
            self.directory.mkdir(parents=True, exist_ok=True)
            self._made = True
        header = json.dumps({"expiration": expiration, "serializer": "cloudpickle", "created": time.time()})
        path = self.directory / key
        if "/" in key:
            path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
        with open(tmp, "wb") as fh:
            fh.write(header.encode() + b"\n" + payload)
        os.replace(tmp, path)

    def read(self, key: str, *, now: float | None = None) -> Any:
        """The stored value, or ``ResultStore.MISSING`` if absent or expired."""
        path = self.directory / key
        try:
            with open(path, "rb") as fh:
                header = json.loads(fh.readline())
                expiration = header.get("expiration")
                if expiration is not None and (now or time.time()) >= expiration:
                    return _MISSING
                payload = fh.read()
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return _MISSING
        import cloudpickle

        try:
            return cloudpickle.loads(payload)
        except Exception:
            return _MISSING

    def exists(self, key: str, *, now: float | None = None) -> bool:
        """A record is stored under ``key`` and has not expired (its value is not read)."""
        try:
            with open(self.directory / key, "rb") as fh:
                header = json.loads(fh.readline())
        except (FileNotFoundError, NotADirectoryError, ValueError):
            return False
        expiration = header.get("expiration")
        return expiration is None or (now or time.time()) < expiration

    def write_value(self, key: str, value: Any, *, expiration: float | None = None) -> None:
        """Serialize and write ``value`` (ResultPersistenceError when it cannot be pickled)."""
        self.write(key, self.dumps(value, what=f"the record {key!r}"), expiration=expiration)

    def read_record(self, key: str) -> ResultRecord | None:
        value = self.read(key)
        return None if value is _MISSING else ResultRecord(key, value)

    # -- locking (through the lock manager) --------------------------------------------
    def supports_isolation_level(self, level: Any) -> bool:
        """READ_COMMITTED always; SERIALIZABLE only with a lock manager."""
        return getattr(level, "value", level) != "SERIALIZABLE" or self.lock_manager is not None

    def acquire_lock(self, key: str, holder: str, timeout: float | None = None) -> bool:
        return bool(self._locks().acquire_lock(key, holder, timeout))

    def release_lock(self, key: str, holder: str) -> None:
        self._locks().release_lock(key, holder)

    def is_locked(self, key: str) -> bool:
        return bool(self._locks().is_locked(key))

    def is_lock_holder(self, key: str, holder: str) -> bool:
        return bool(self._locks().is_lock_holder(key, holder))

    def wait_for_lock(self, key: str, timeout: float | None = None) -> bool:
        return bool(self._locks().wait_for_lock(key, timeout))

    def _locks(self) -> Any:
        if self.lock_manager is None:
            raise ConfigurationError("This result store has no lock manager: give it one to lock records")
        return self.lock_manager

    def loader(self, key: str) -> Callable[[], Any]:
        """A zero-argument function that loads ``key`` (what a state's ``data`` holds)."""

        def load() -> Any:
            value = self.read(key)
            if value is _MISSING:
                raise ResultPersistenceError(f"The result {key!r} is no longer in {self.directory}")
            return value

        load._orchestr_lab_loader = True  # type: ignore[attr-defined]
        return load

    MISSING = _MISSING


_stores: dict[str, ResultStore] = {}


def get_result_store(location: str | os.PathLike[str] | None = None) -> ResultStore:
    """The store for ``location`` (a directory), or the configured results directory."""
    if location is None:
        from ..core.settings import results_dir

        location = results_dir()
    key = os.fspath(location)
    store = _stores.get(key)
    if store is None:
        store = _stores[key] = ResultStore(key)
    return store
