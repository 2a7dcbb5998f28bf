"""``concurrency()`` and ``rate_limit()``: take slots of global concurrency limits, Prefect's way.

Slots live in the store, so every process and machine using it shares them: this process's
backend is the local store, or the server at ``ORCHESTR_LAB_API_URL`` (remote workers). One
attempt (:meth:`_Request.attempt`) asks for the slots of every named limit at once; the sync and
async forms only differ in how they wait between attempts (``concurrency()`` serves ``with`` and
``async with`` alike, so both modules export the one function). While a block runs,
a daemon thread renews its lease (:class:`_LeaseKeeper`); a process killed mid-block stops
renewing, and its slots come back when the lease runs out.

As in Prefect 3.9.1: a name with no limit is skipped with a warning (``strict=True``: an error);
an inactive limit grants without counting; a timeout raises
:class:`AcquireConcurrencySlotTimeoutError`, a ``TimeoutError``; asking more slots than a limit
has, ``rate_limit`` on a limit without decay, or running out of ``max_retries`` raises
:class:`ConcurrencySlotAcquisitionError`.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from typing import Any

from ..core.settings import ENV_API_TOKEN, ENV_API_URL, ENV_DB_URL, ENV_HOME
from .client import Backend, ClientError, connect

__all__ = [
    "AcquireConcurrencySlotTimeoutError",
    "ConcurrencySlotAcquisitionError",
    "arate_limit",
    "concurrency",
    "rate_limit",
]

logger = logging.getLogger("orchestr_lab.concurrency")

#: A lease is renewed this often, as a share of its duration (Prefect: 0.75; sooner here, so a
#: busy machine does not let a short lease lapse).
_RENEW_EVERY = 1 / 3


class ConcurrencySlotAcquisitionError(Exception):
    """The slots cannot be had: no such limit (strict), more slots than the limit, a rate limit
    without decay, retries used up, or the store refused."""


class AcquireConcurrencySlotTimeoutError(TimeoutError):
    """The slots were not free within ``timeout_seconds``."""


_backends: dict[tuple[Any, ...], Backend] = {}
_backends_lock = threading.Lock()


def _backend() -> Backend:
    """This process's way to the store (one per server or store; a forked child makes its own)."""
    url, token, db_url, home = (os.environ.get(k) for k in (ENV_API_URL, ENV_API_TOKEN, ENV_DB_URL, ENV_HOME))
    key = (os.getpid(), url, token, db_url, home)
    with _backends_lock:
        if key not in _backends:
            _backends[key] = connect(api_url=url, token=token)
        return _backends[key]


def _holder(holder: Any) -> dict[str, Any] | None:
    if holder is None or isinstance(holder, dict):
        return holder
    dump = getattr(holder, "model_dump", None)
    return dump(mode="json") if dump else dict(holder)


class _Request:
    """One acquisition: its limits, how long it may wait, how many refusals it may take."""

    def __init__(
        self,
        names: list[str],
        occupy: int,
        mode: str,
        *,
        timeout_seconds: float | None,
        max_retries: int | None,
        lease_duration: float | None,
        strict: bool,
        holder: Any = None,
    ) -> None:
        self.names = names
        self.strict = strict
        self.retries = max_retries
        self.timeout = timeout_seconds
        self.deadline: float | None = None
        self.lease_duration = float(lease_duration or 0.0)
        self.body = {
            "names": names,
            "slots": occupy,
            "mode": mode,
            "lease_duration": lease_duration,
            "holder": _holder(holder),
        }
        self.backend = _backend()

    def attempt(self) -> tuple[dict[str, Any] | None, float]:
        """``(grant, 0)`` when the slots are taken (or nothing needs taking), else ``(None, seconds
        to wait)``; raises when waiting cannot help."""
        try:
            answer = self.backend.acquire_slots(self.body)
        except ClientError as exc:
            raise ConcurrencySlotAcquisitionError(
                f"Unable to acquire concurrency slots on {self.names!r}: {exc}"
            ) from exc
        if answer["granted"]:
            if not answer["limits"]:
                self._missing()
            return answer, 0.0
        if self.retries is not None:
            if self.retries <= 0:
                raise ConcurrencySlotAcquisitionError(
                    f"Unable to acquire concurrency slots on {self.names!r}: the limits are full, no retries left"
                )
            self.retries -= 1
        wait = float(answer["retry_after"] or 0.05)
        if self.deadline is not None:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise AcquireConcurrencySlotTimeoutError(
                    f"Attempt to acquire concurrency slots timed out after {self.timeout} second(s)"
                )
            wait = min(wait, left)
        return None, wait

    def _missing(self) -> None:
        if self.strict:
            raise ConcurrencySlotAcquisitionError(
                f"Concurrency limits {self.names!r} must be created before acquiring slots"
            )
        _run_logger().warning("Concurrency limits %r do not exist - skipping acquisition.", self.names)

    def _start(self) -> None:
        self.deadline = None if self.timeout is None else time.monotonic() + self.timeout

    def wait_sync(self) -> dict[str, Any]:
        self._start()
        while True:
            grant, wait = self.attempt()
            if grant is not None:
                return grant
            time.sleep(wait)

    async def wait_async(self) -> dict[str, Any]:
        self._start()
        while True:
            attempt = asyncio.ensure_future(asyncio.to_thread(self.attempt))
            try:
                grant, wait = await asyncio.shield(attempt)
            except asyncio.CancelledError:
                # The store may still grant the slots the cancelled caller will never use.
                attempt.add_done_callback(self._give_back)
                raise
            if grant is not None:
                return grant
            await asyncio.sleep(wait)

    def _give_back(self, attempt: asyncio.Future[tuple[dict[str, Any] | None, float]]) -> None:
        if attempt.cancelled() or attempt.exception() is not None:
            return
        grant = attempt.result()[0]
        if grant and grant["lease_id"]:
            threading.Thread(target=self.backend.release_slots, args=(grant["lease_id"],), daemon=True).start()


def _run_logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """The current run's logger (the warning then shows in its logs), else this module's."""
    from .logs import get_run_logger

    try:
        return get_run_logger()
    except Exception:
        return logger


class _LeaseKeeper:
    """A daemon thread renewing a lease until :meth:`stop`."""

    def __init__(self, backend: Backend, lease_id: str, seconds: float, *, loud: bool) -> None:
        self.backend, self.lease_id, self.seconds, self.loud = backend, lease_id, seconds, loud
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"concurrency-lease-{lease_id}", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stopped.wait(self.seconds * _RENEW_EVERY):
            try:
                self.backend.renew_lease(self.lease_id, self.seconds)
            except Exception as exc:  # noqa: BLE001 - reported, and the block goes on (see the module doc)
                if not self.stopped.is_set():
                    level = logging.ERROR if self.loud else logging.WARNING
                    _run_logger().log(
                        level,
                        "Concurrency lease renewal failed - slots are no longer reserved. Execution will "
                        "continue, but concurrency limits may be exceeded. Lease ID: %s, exception: %s",
                        self.lease_id,
                        exc,
                    )
                return

    def stop(self) -> None:
        self.stopped.set()


def _request(names: str | list[str], occupy: int, mode: str, **options: Any) -> _Request | None:
    names = names if isinstance(names, list) else [names]
    return _Request(names, occupy, mode, **options) if names else None


class _Hold:
    """What :func:`concurrency` returns: a context manager for ``with`` and for ``async with``
    (the latter waits without blocking the event loop). Entering waits for the slots and starts
    renewing their lease; leaving stops renewing and gives them back."""

    def __init__(self, request: _Request | None, *, loud: bool) -> None:
        self.request, self.loud = request, loud
        self.keeper: _LeaseKeeper | None = None

    def _held(self, grant: dict[str, Any] | None) -> None:
        if self.request is not None and grant and grant["lease_id"]:
            req = self.request
            self.keeper = _LeaseKeeper(req.backend, grant["lease_id"], req.lease_duration, loud=self.loud)

    def _let_go(self) -> str | None:
        keeper, self.keeper = self.keeper, None
        if keeper is None:
            return None
        keeper.stop()
        return keeper.lease_id

    def __enter__(self) -> None:
        self._held(self.request.wait_sync() if self.request else None)

    def __exit__(self, *exc: object) -> None:
        lease_id = self._let_go()
        if lease_id is not None and self.request is not None:
            self.request.backend.release_slots(lease_id)

    async def __aenter__(self) -> None:
        self._held(await self.request.wait_async() if self.request else None)

    async def __aexit__(self, *exc: object) -> None:
        lease_id = self._let_go()
        if lease_id is not None and self.request is not None:
            await asyncio.to_thread(self.request.backend.release_slots, lease_id)


def concurrency(
    names: str | list[str],
    occupy: int = 1,
    timeout_seconds: float | None = None,
    max_retries: int | None = None,
    lease_duration: float = 300,
    strict: bool = False,
    holder: Any = None,
    raise_on_lease_renewal_failure: bool | None = None,
) -> _Hold:
    """Hold ``occupy`` slots of each limit in ``names`` for the block (``with`` or ``async with``),
    waiting for them first."""
    options = {"max_retries": max_retries, "lease_duration": lease_duration, "holder": holder}
    request = _request(names, occupy, "concurrency", timeout_seconds=timeout_seconds, strict=strict, **options)
    return _Hold(request, loud=strict if raise_on_lease_renewal_failure is None else raise_on_lease_renewal_failure)


def rate_limit(
    names: str | list[str], occupy: int = 1, timeout_seconds: float | None = None, strict: bool = False
) -> None:
    """Wait until ``occupy`` slots of each (decaying) limit in ``names`` are taken; they are not
    given back: they drain at the limit's ``slot_decay_per_second``."""
    request = _request(names, occupy, "rate_limit", **_rate_options(timeout_seconds, strict))
    if request is not None:
        request.wait_sync()


async def arate_limit(
    names: str | list[str], occupy: int = 1, timeout_seconds: float | None = None, strict: bool = False
) -> None:
    """:func:`rate_limit` for ``await``."""
    request = _request(names, occupy, "rate_limit", **_rate_options(timeout_seconds, strict))
    if request is not None:
        await request.wait_async()


def _rate_options(timeout_seconds: float | None, strict: bool) -> dict[str, Any]:
    """A rate limit's request: no lease (its slots drain), no retry count."""
    return {"timeout_seconds": timeout_seconds, "strict": strict, "max_retries": None, "lease_duration": None}
