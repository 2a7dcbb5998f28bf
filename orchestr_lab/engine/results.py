"""Persisted results: one file per key in the result directory, readable after a restart.

A file holds a one-line JSON header (expiration, serializer) and the cloudpickled value, so an
expired cache entry is recognised without unpickling it. Writes are atomic (temp file + rename).
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core.errors import ResultPersistenceError

__all__ = ["ResultStore", "get_result_store"]

_MISSING = object()


class ResultStore:
    """Reads and writes results under one directory."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory).expanduser()
        self._made = False

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
        tmp = path.with_name(f".{key}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")
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
        except (FileNotFoundError, ValueError):
            return _MISSING
        import cloudpickle

        try:
            return cloudpickle.loads(payload)
        except Exception:
            return _MISSING

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
