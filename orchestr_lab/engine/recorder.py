"""Batched, ordered persistence of everything the engine does.

The engine appends typed ops (``core.wire``: NamedTuples, so tuples) to a deque (cheap, lock-free
for the caller); one writer thread drains them into the store every ``interval`` seconds so long runs show up live, and
:meth:`Recorder.flush` drains synchronously before a flow call returns, so that when it returns
every run, state, log line and recorded output is in the store.

Given a server's URL instead of a database URL (a worker on another machine, and the kernels
it starts), the batches go to ``POST /orchestr-lab/api/workers/ops``, whose handler writes them
with the same ``write_batch`` (engine/api_client.py; retried with backoff while the server is
unreachable).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import deque
from typing import Any

from ..core.wire import Op

__all__ = ["Recorder", "close_recorder", "get_recorder", "reset_recorders"]

_log = logging.getLogger("orchestr_lab.recorder")


class Recorder:
    """Writes engine operations to one database, in order, in batches."""

    batch_size = 600
    max_failures = 5

    def __init__(self, url: str | None = None, *, interval: float = 0.2) -> None:
        from .api_client import is_api_url

        self.url = url
        self._engine: Any = None
        self._api: Any = None
        if is_api_url(url):
            from .api_client import api_client

            self._api = api_client(url)  # type: ignore[arg-type]
        else:
            from ..store.database import get_engine  # opens + migrates now: a bad URL fails the call

            self._engine = get_engine(url)
        self._ops: deque[Op] = deque()
        self._write_lock = threading.Lock()
        self._wake = threading.Event()
        self._interval = interval
        self._thread: threading.Thread | None = None
        self._closed = False
        self._failures = 0

    @property
    def api(self) -> Any:
        """The server's client when this recorder writes over HTTP (else None)."""
        return self._api

    @property
    def engine(self) -> Any:
        """The store's SQLAlchemy engine when this recorder writes to it directly (else None)."""
        return self._engine

    # -- producer side ----------------------------------------------------------------
    def put(self, op: Op) -> None:
        ops = self._ops
        ops.append(op)
        if len(ops) >= self.batch_size:
            # Hand a full batch to the writer now: SQLite releases the GIL while it writes,
            # so the run keeps going and the final flush has only the tail left.
            self._wake.set()
        if self._thread is None:
            self._start()

    def flush(self) -> None:
        """Write everything put so far (by any thread) before returning."""
        self._write_pending()

    # -- writer side --------------------------------------------------------------------
    def _start(self) -> None:
        with self._write_lock:
            if self._thread is not None:
                return
            t = threading.Thread(target=self._loop, name="orchestr-lab-recorder", daemon=True)
            self._thread = t
            t.start()

    def _loop(self) -> None:
        while not self._closed:
            self._wake.wait(self._interval)
            self._wake.clear()
            try:
                self._write_pending()
            except Exception:  # pragma: no cover - logged; ops are kept for the next try
                _log.exception("orchestr-lab could not write run records; will retry")

    def _write_pending(self) -> None:
        with self._write_lock:
            ops = self._ops
            if not ops:
                return
            batch = []
            popleft = ops.popleft
            try:
                while True:
                    batch.append(popleft())
            except IndexError:
                pass
            try:
                if self._api is None:
                    from ..store.runs import write_batch  # not for a server's URL: no SQLAlchemy

                    refused = write_batch(self._engine, batch)
                else:
                    refused = _post_batch(self._api, batch)
            except BaseException:
                # write_batch already retried passing lock/serialization errors; what reaches
                # here is lasting (disk full, schema gone). Keep the ops for a few more tries,
                # then give them up loudly rather than loop forever.
                self._failures += 1
                if self._failures < self.max_failures:
                    ops.extendleft(reversed(batch))
                else:
                    _log.error("orchestr-lab dropped %d run records it could not write", len(batch))
                    self._failures = 0
                raise
            self._failures = 0
            for message in refused:
                _log.warning("state change not recorded: %s", message)

    def close(self) -> None:
        self._closed = True
        self._wake.set()
        try:
            self._write_pending()
        except Exception:  # pragma: no cover - interpreter shutdown
            _log.exception("orchestr-lab could not write its last run records")


def _post_batch(api: Any, batch: list[Op]) -> list[str]:
    """Send a batch to the server; its id makes a retry after a lost answer harmless.

    The server writes a batch whole or not at all: a 409 lists the ops it refused (a late
    state change of a cancelled run, say). Those are returned, to be logged as a local store's
    refusals are, and the rest goes again as a new batch, so the logs around a refused state
    change are kept, as they are with a local store.
    """
    import uuid

    from ..core.wire import ops_to_json
    from .api_client import ApiError

    refused: list[str] = []
    while batch:
        body = {"ops": ops_to_json(batch), "batch_id": uuid.uuid4().hex}
        try:
            answer = api.request("POST", "workers/ops", json=body, idempotent=True)  # by batch_id
        except ApiError as exc:
            dropped = _refused_ops(exc, len(batch))
            if not dropped:
                raise
            refused.extend(dropped.values())
            batch = [op for index, op in enumerate(batch) if index not in dropped]
            continue
        return refused + list((answer or {}).get("refused") or ())
    return refused


def _refused_ops(exc: Any, size: int) -> dict[int, str]:
    """The ops a 409 from ``workers/ops`` names (index -> message); empty for any other error."""
    if exc.status != 409 or not isinstance(exc.detail, list):
        return {}
    found: dict[int, str] = {}
    for item in exc.detail:
        index = item.get("index") if isinstance(item, dict) else None
        if isinstance(index, int) and 0 <= index < size:
            found[index] = str(item.get("message") or exc.message)
    return found


_recorders: dict[str, Recorder] = {}
_lock = threading.Lock()
_pid = os.getpid()
_atexit_registered = False


def get_recorder(url: str | None = None) -> Recorder:
    """The process's recorder for ``url`` (the configured database when None)."""
    global _pid, _atexit_registered
    if url is None:
        from ..core.settings import db_url

        url = db_url()
    if _pid != os.getpid():  # forked: the parent's writer thread does not exist here
        _recorders.clear()
        _pid = os.getpid()
    rec = _recorders.get(url)
    if rec is None:
        with _lock:
            rec = _recorders.get(url)
            if rec is None:
                rec = _recorders[url] = Recorder(url)
                if not _atexit_registered:
                    atexit.register(_close_all)
                    _atexit_registered = True
    return rec


def reset_recorders() -> None:
    """Close every recorder (tests switch databases between cases)."""
    with _lock:
        for rec in list(_recorders.values()):
            rec.close()
        _recorders.clear()


def close_recorder(url: str) -> None:
    """Write out and close the recorder for ``url``, if one was made (a database about to go)."""
    with _lock:
        rec = _recorders.pop(url, None)
    if rec is not None:
        rec.close()


def _close_all() -> None:
    for rec in list(_recorders.values()):
        rec.close()
