"""The dask worker: claimed runs execute on a Dask cluster.

:class:`DaskWorker` is the :class:`~.worker.Worker` loop (claims, heartbeats, cancels, timeouts,
hand-backs, results) with one difference: a claimed run is submitted to the cluster at
``dask_address`` as :func:`execute_run`, which runs it on a Dask worker exactly as the process
worker does: in a spawned child (child.py) with papermill and a kernel of its own, recording
each cell as a task run in the same store. Any cluster will do, since only its address is
needed: LocalCluster, ``dask scheduler``, dask-jobqueue, dask-kubernetes, dask-gateway.

Stopping a run (cancel, timeout, hand-back at shutdown) cancels its Dask future, and
:func:`execute_run` kills the child and its kernel as soon as the store shows the run is no
longer this attempt's to run: it watches the run's state while the notebook executes (it reacts
to CANCELLING itself, without waiting for the worker).

The Dask workers need orchestr-lab installed and the store: the database (PostgreSQL, or SQLite
on a shared disk) with the notebooks and output folder at the same paths as this worker, or,
when this worker was given a server's URL (``--api``), only that server over HTTP: each run
carries the token, downloads its notebook or flow file and uploads its output there.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
import weakref
from multiprocessing.connection import wait as wait_any
from typing import Any

from ..core.states import Cancelled, Crashed, StateType
from .child import EXIT_WAIT, reap
from .worker import Worker

__all__ = ["DaskRun", "DaskWorker", "close_pools", "execute_run"]

_log = logging.getLogger("orchestr_lab.workers")

#: How often :func:`execute_run` looks at its run in the store for a reason to stop.
WATCH_INTERVAL = 0.5

_ACTIVE = {StateType.PENDING.value, StateType.RUNNING.value}


class DaskWorker(Worker):
    """A worker whose runs execute on the Dask cluster at ``dask_address``.

    ``concurrency`` defaults to the cluster's thread count when the worker starts (each run
    holds one Dask thread while its notebook runs). ``warm_kernels``: spare children with a
    started kernel that each Dask worker process keeps for the next runs (0: none; ``warm=False``
    too). ``client_kwargs`` go to ``distributed.Client``.
    """

    worker_types = ("dask",)

    def __init__(
        self,
        engine_url: str | None = None,
        *,
        dask_address: str,
        concurrency: int | None = None,
        client_kwargs: dict[str, Any] | None = None,
        **options: Any,
    ) -> None:
        # Runs start in children on the Dask workers: spares are kept there, none here.
        warm, warm_kernels = options.pop("warm", True), options.pop("warm_kernels", 1)
        super().__init__(
            engine_url, worker_type="dask", concurrency=concurrency or 1, warm=False, warm_kernels=0, **options
        )
        if warm_kernels < 0:
            raise ValueError("warm_kernels cannot be negative")
        self.remote_warm_kernels = warm_kernels if warm else 0
        self.dask_address = dask_address
        self.client_kwargs = {"set_as_default": False, **(client_kwargs or {})}
        self._client: Any = None
        self._concurrency_from_cluster = concurrency is None

    @property
    def client(self) -> Any:
        """The ``distributed.Client``, connected on first use (a bad address fails here)."""
        if self._client is None:
            from ..engine.dask_runner import distributed_client

            self._client = distributed_client()(self.dask_address, **self.client_kwargs)
            if self._concurrency_from_cluster:
                self.concurrency = max(1, sum(self._client.nthreads().values()))
            _log.info(
                "worker %s submits runs to the Dask cluster at %s (concurrency %d)",
                self.name,
                self.dask_address,
                self.concurrency,
            )
        return self._client

    def close(self) -> None:
        """Disconnect from the cluster (runs still on it stop: they see their state in the store)."""
        client, self._client = self._client, None
        if client is not None:
            client.close()

    def __enter__(self) -> DaskWorker:
        self.client  # noqa: B018 (the property connects)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run_once(self, *, timeout: float | None = None) -> list[Any]:
        self.client  # noqa: B018 connect (and size concurrency) before claiming anything
        return super().run_once(timeout=timeout)

    def run_forever(self) -> None:
        self.client  # noqa: B018 (the property connects)
        try:
            super().run_forever()
        finally:
            self.close()

    def _launch(self, run: dict[str, Any], options: dict[str, Any]) -> DaskRun:
        return DaskRun(
            self.client,
            run,
            options,
            db_url=self.db_url,
            worker_name=self.name,
            warm_kernels=self.remote_warm_kernels,
            api_token=self._api_token(),
        )

    def _api_token(self) -> str | None:
        """With a server's URL as the store, its token goes with each run: the Dask workers
        (other processes, often other machines) do not share this process's environment."""
        from ..engine.api_client import ENV_API_TOKEN, is_api_url

        return os.environ.get(ENV_API_TOKEN) if is_api_url(self.db_url) else None

    def _finish(self, run_id: str, active: Any) -> Any:
        run = active.child
        if active.stop is None and run.result is not None and run.result[0] == "stopped":
            # The run stopped itself on the cluster before our heartbeat saw why.
            if run.result[1] == "cancelled":
                active.stop = Cancelled("Cancelled while running")
            else:  # it moved on without us (taken over, settled by the reaper): not ours to write
                active.stop, active.abandoned = Crashed(str(run.result[1])), True
        return super()._finish(run_id, active)


class DaskRun:
    """The worker's handle on one run submitted to Dask, with the methods of a
    :class:`~.child.ChildProcess` that the worker loop uses."""

    eof = False

    def __init__(
        self,
        client: Any,
        run: dict[str, Any],
        options: dict[str, Any],
        *,
        db_url: str,
        worker_name: str,
        warm_kernels: int = 1,
        api_token: str | None = None,
    ) -> None:
        self.run = run
        self.ready = True
        self.ready_at = time.monotonic()  # a run's timeout counts from its submission
        self.kernel_pid: int | None = None
        self.process_pid: int | None = None
        self.exit_status: int | None = None
        #: ``(kind, payload, modules)`` once the run ended on the cluster (as a child reports it).
        self.result: tuple[str, Any, list[str]] | None = None
        self._killed = False
        self._r, self._w = socket.socketpair()
        self._r.setblocking(False)
        weakref.finalize(self, _close_all, self._r, self._w)
        self._w.setblocking(False)
        # A key of its own: a run handed back and claimed again must not meet its old task.
        key = f"orchestr-lab-run-{run['id']}-{uuid.uuid4().hex[:12]}"
        try:
            self.future: Any = client.submit(
                execute_run, run, options, db_url, worker_name, warm_kernels, api_token, key=key, pure=False
            )
        except Exception as exc:  # the cluster is gone: the run could not start
            self.future = None
            self.result = ("error", f"submitting to Dask failed: {type(exc).__name__}: {exc}", [])
            return
        self.future.add_done_callback(lambda _f: self._poke())

    @property
    def pid(self) -> int | None:
        return self.process_pid

    @property
    def exitcode(self) -> int | None:
        return self.exit_status

    def _poke(self) -> None:
        try:
            self._w.send(b"d")
        except OSError:
            pass

    def waitables(self) -> list[Any]:
        return [self._r] if self.result is None and not self._killed else []

    def pump(self) -> None:
        """Take the outcome from Dask once the run ended there."""
        try:
            while self._r.recv(64):
                pass
        except (BlockingIOError, InterruptedError, OSError):
            pass
        future = self.future
        if self.result is not None or self._killed or future is None or not future.done():
            return
        try:
            kind, payload, modules, self.kernel_pid, self.process_pid = future.result()
        except BaseException as exc:  # lost worker, cancelled from elsewhere, ...
            self.result = ("error", f"the run was lost on the Dask cluster: {type(exc).__name__}: {exc}", [])
            return
        if kind == "died":
            self.exit_status = payload
        self.result = (kind, payload, modules)

    def finished(self) -> bool:
        self.pump()
        return self.result is not None or self._killed

    def alive(self) -> bool:
        return not self.finished()

    def kill(self) -> None:
        """Cancel the Dask future; on the cluster the child and its kernel are killed when the
        store shows the run stopped (the worker records that next)."""
        self._killed = True
        if self.future is not None and not self.future.done():
            self.future.cancel()

    def join(self, timeout: float) -> None:
        if self.future is not None and not self._killed:
            wait_any([self._r], timeout)

    def close(self) -> None:
        self.future = None
        _close_all(self._r, self._w)


def _close_all(*sockets: socket.socket) -> None:
    for sock in sockets:
        sock.close()


# -- on the Dask worker -------------------------------------------------------------------
#: This Dask worker process's spare children (with warm kernels), one pool per store.
_pools: dict[str, Any] = {}
_pools_lock = threading.Lock()


def execute_run(
    run: dict[str, Any],
    options: dict[str, Any],
    db_url: str,
    worker_name: str,
    warm_kernels: int = 1,
    api_token: str | None = None,
) -> tuple[Any, ...]:
    """Run one claimed run in a child process here and report ``(kind, payload, modules,
    kernel_pid, child_pid)``, as the child reports it to a process worker.

    The child comes from this process's pool of ``warm_kernels`` spares when one is ready (a
    replacement starts at once). While it runs, the run is watched in the store; the child and
    its kernel are killed when the run is cancelled (``("stopped", "cancelled", ...)``) or is no
    longer this attempt's (``("stopped", why, ...)``: timed out or handed back by the worker,
    taken over).

    ``api_token``: with a server's URL as ``db_url`` (the worker reaches the store over HTTP),
    the token for it, put in this process's environment where the watch and the children (and
    their kernels) read it; a Dask worker process serves one orchestr-lab server at a time.
    """
    if api_token:
        from ..engine.api_client import ENV_API_TOKEN

        os.environ[ENV_API_TOKEN] = api_token
    watch = _Watch(run, db_url, worker_name)
    if watch.started_elsewhere():
        # Dask runs a task again when the worker running it is lost; that attempt is over.
        return ("error", "the Dask worker running this attempt was lost", [], None, None)
    child = _child_for(run, db_url, warm_kernels)
    try:
        child.give(run, options)
        while not child.finished():
            wait_any(child.waitables(), WATCH_INTERVAL)
            child.pump()
            if child.result is None and (why := watch.reason_to_stop()) is not None:
                child.kill()
                return ("stopped", why, [], child.kernel_pid, child.pid)
    except BaseException:
        child.kill()
        raise
    kind, payload, modules = child.result or ("died", child.exitcode, [])
    if not _put_back(child, db_url):
        # It shuts its kernel down on its own after reporting; reap it without waiting.
        child.ask_exit()
        exiting = [(child, time.monotonic() + EXIT_WAIT)]
        reaper = threading.Thread(target=reap, args=(exiting,), kwargs={"wait": True}, name="orchestr-lab-reap")
        reaper.daemon = True
        reaper.start()
    return (kind, payload, list(modules), child.kernel_pid, child.pid)


def _child_for(run: dict[str, Any], db_url: str, warm_kernels: int) -> Any:
    from .child import ChildProcess
    from .kernel_pool import POOL_KERNEL, KernelPool

    child = None
    if warm_kernels:
        with _pools_lock:
            pool = _pools.get(db_url)
            if pool is None or pool.size != warm_kernels:
                if pool is not None:
                    pool.close()
                pool = _pools[db_url] = KernelPool(db_url, warm_kernels, POOL_KERNEL)
            child = pool.take()
            pool.fill()
    if child is None:
        # Without a spare, a new child still starts its kernel while it imports (notebooks only).
        child = ChildProcess(db_url, kernel_name=POOL_KERNEL if run.get("notebook") else None)
    return child


def _put_back(child: Any, db_url: str) -> bool:
    """A child whose notebook run ended normally serves a later run of this process (the pool
    says which may: ``KernelPool.put_back``); one spare more than the pool's size may wait."""
    with _pools_lock:
        pool = _pools.get(db_url)
        return pool is not None and pool.put_back(child, limit=pool.size + 1)


def close_pools() -> None:
    """Let this Dask worker process's spare children and their kernels go (e.g. via
    ``client.run(close_pools)``); they also exit on their own when the Dask worker does."""
    with _pools_lock:
        pools = list(_pools.values())
        _pools.clear()
    for pool in pools:
        pool.close()


class _Watch:
    """Reads the run from the store at most every :data:`WATCH_INTERVAL` seconds."""

    def __init__(self, run: dict[str, Any], db_url: str, worker_name: str) -> None:
        self.run_id = run["id"]
        self.attempt = int(run.get("run_count") or 0) + 1
        self.db_url = db_url
        self.worker_name = worker_name
        self._next = time.monotonic() + WATCH_INTERVAL
        self._gateway: Any = None

    def _read(self) -> dict[str, Any] | None:
        if self._gateway is None:
            from .gateway import gateway_for

            self._gateway = gateway_for(self.db_url)  # the store, or a server's API
        return self._gateway.get_flow_run(self.run_id)

    def started_elsewhere(self) -> bool:
        """This attempt already started (RUNNING with its run count): Dask ran it before."""
        stored = self._read() or {}
        return (stored.get("state") or {}).get("type") == StateType.RUNNING.value and int(
            stored.get("run_count") or 0
        ) >= self.attempt

    def reason_to_stop(self) -> str | None:
        now = time.monotonic()
        if now < self._next:
            return None
        self._next = now + WATCH_INTERVAL
        try:
            stored = self._read()
        except Exception:  # the store is briefly unavailable: keep running, look again
            _log.exception("could not read run %s", self.run_id)
            return None
        if stored is None:
            return "the run was deleted"
        state = (stored.get("state") or {}).get("type")
        if state in (StateType.CANCELLING.value, StateType.CANCELLED.value):
            return "cancelled"
        owner = (stored.get("worker") or {}).get("name")
        if owner not in (None, self.worker_name):
            return f"Taken over by worker {owner}"
        if state not in _ACTIVE or int(stored.get("run_count") or 0) > self.attempt:
            return f"the run moved on ({state})"
        return None
