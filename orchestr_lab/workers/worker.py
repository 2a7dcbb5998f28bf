"""The worker: claims due runs from its queues and executes each in a spawned child process.

One loop does everything (claims, heartbeats, cancels, timeouts, results), waiting on the
children's pipes and process sentinels, so it reacts to a finished run at once and never
sleeps blindly. The store decides what a finished attempt means (``finish_attempt``: retry or
final); the worker only reports it. Used by ``orchestr-lab worker``, and run in a thread by the
server extension as its local worker (it installs no signal handlers itself).

Spare children wait for the next runs (a :class:`~.kernel_pool.KernelPool`): each has done its
imports and, with ``warm_kernels``, started a kernel, so a notebook run starts in a warm kernel
(warm_kernel.py). A spare is used for one run; the worker starts its replacement right after
the claim. :meth:`Worker.wake` (e.g. when a run is triggered) makes the loop claim at once
instead of at its next poll.

Shutdown (:meth:`Worker.stop`, SIGTERM in the CLI): claim nothing more, let running runs finish
within ``grace_period``, then hand the rest back (SCHEDULED again, attempt not counted) so
another worker runs them: no run is lost, none runs twice at the same time.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from multiprocessing.connection import wait as wait_any
from pathlib import Path
from typing import Any, cast

from ..core.states import Cancelled, Crashed, Scheduled, State, StateType, TimedOut
from .child import EXIT_WAIT, ChildProcess, reap, state_from_dict
from .kernel_pool import POOL_KERNEL, KernelPool

__all__ = ["RunOutcome", "Worker"]

_log = logging.getLogger("orchestr_lab.workers")

#: Extra time a notebook gets past its timeout before the worker kills it: the child first
#: interrupts the kernel itself so the executed notebook keeps the cell's traceback.
NOTEBOOK_TIMEOUT_GRACE = 8.0


@dataclass
class RunOutcome:
    """How one claimed run ended on this worker (what :meth:`Worker.run_once` returns)."""

    run_id: str
    attempt: State
    run: dict[str, Any] | None = None
    child_modules: list[str] = field(default_factory=list)
    kernel_pid: int | None = None
    child_pid: int | None = None


@dataclass
class _Active:
    run: dict[str, Any]
    child: ChildProcess
    claimed_at: float = field(default_factory=time.monotonic)
    stop: State | None = None  # set when the worker kills the run (cancel, timeout, hand-back)
    hand_back: bool = False
    abandoned: bool = False  # another worker owns the run now: kill ours, write nothing

    @property
    def deadline(self) -> float | None:
        """When the worker kills the run: its timeout counted from the moment the child was
        ready to run it (a fresh child's imports are the worker's cost, not the run's)."""
        timeout = self.run.get("timeout_seconds")
        if not timeout or self.child.ready_at is None:
            return None
        grace = NOTEBOOK_TIMEOUT_GRACE if self.run.get("notebook") else 0.0
        return max(self.child.ready_at, self.claimed_at) + float(timeout) + grace


class Worker:
    """Executes runs of ``queues`` from the store at ``engine_url``, ``concurrency`` at a time."""

    #: The ``worker_type`` values this class executes (a subclass changes :meth:`_launch`).
    worker_types: tuple[str, ...] = ("process",)

    def __init__(
        self,
        engine_url: str | None = None,
        *,
        name: str | None = None,
        queues: Iterable[str] = ("default",),
        concurrency: int = 1,
        worker_type: str = "process",
        output_dir: str | os.PathLike[str] | None = None,
        root_dir: str | os.PathLike[str] | None = None,
        heartbeat_interval: float = 2.0,
        poll_interval: float = 1.0,
        grace_period: float = 30.0,
        warm: bool = True,
        warm_kernels: int = 1,
    ) -> None:
        """``warm_kernels``: spare children each holding a started kernel (0: none; then
        ``warm`` keeps one spare child with its imports done, as a lighter pool)."""
        if worker_type not in self.worker_types:
            raise ValueError(
                f"worker type {worker_type!r} is not available; use {' or '.join(map(repr, self.worker_types))}"
            )
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if warm_kernels < 0:
            raise ValueError("warm_kernels cannot be negative")
        from ..core.settings import db_url, results_dir
        from .gateway import gateway_for

        self.db_url = engine_url or db_url()
        #: The store, directly or through a server's REST API (``engine_url`` ``http(s)://...``).
        self.gateway = gateway_for(self.db_url)
        self.name = name or f"{socket.gethostname()}-{os.getpid()}"
        self.queues = list(dict.fromkeys(queues)) or ["default"]
        self.concurrency = concurrency
        self.worker_type = worker_type
        self.output_dir = Path(output_dir) if output_dir else results_dir() / "notebooks"
        # A remote worker without a root downloads each run's notebook from the server.
        self.root_dir = str(root_dir) if root_dir else (None if self.gateway.remote else os.getcwd())
        self.heartbeat_interval = heartbeat_interval
        self.poll_interval = poll_interval
        self.grace_period = grace_period
        self.warm = warm
        self.warm_kernels = warm_kernels if warm else 0
        spares = self.warm_kernels or (1 if warm else 0)
        #: The spare children (and their warm kernels) for the next runs.
        self.pool = KernelPool(self.db_url, spares, POOL_KERNEL if self.warm_kernels else None)
        self._active: dict[str, _Active] = {}
        self._serving = False  # in run_forever: children of finished notebook runs are reused
        #: Children whose run is recorded as ended, still shutting their kernel down; reaped
        #: by the loop (killed past their deadline) so a run's end is stored without waiting.
        self._exiting: list[tuple[ChildProcess, float]] = []
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        weakref.finalize(self, _close_all, self._wake_r, self._wake_w)
        self._stop_requested = threading.Event()
        self._hand_back_now = threading.Event()
        self._next_heartbeat = 0.0
        self._next_claim = 0.0

    # -- public -------------------------------------------------------------------------
    @property
    def engine(self) -> Any:
        """The store's engine, for a worker that reaches the database directly."""
        if self.gateway.remote:
            raise AttributeError("a remote worker has no store engine: it works through the server's API")
        return self.gateway.engine  # type: ignore[union-attr]  # remote gateways were refused above

    def stop(self, *, hand_back: bool = False) -> None:
        """Stop claiming; running runs get ``grace_period`` to finish (none with ``hand_back``).

        Safe from a signal handler or another thread: it only sets flags the loop reads. A
        second call hands the remaining runs back at once.
        """
        if self._stop_requested.is_set() or hand_back:
            self._hand_back_now.set()
        self._stop_requested.set()
        self.wake()

    def wake(self) -> None:
        """Look for due runs now rather than at the next poll (a run was just triggered).

        Safe from any thread and from a signal handler: it writes a byte the loop waits on.
        """
        try:
            self._wake_w.send(b"w")
        except OSError:  # the buffer is full (a wake is pending anyway) or the worker is gone
            pass

    def run_once(self, *, timeout: float | None = None) -> list[RunOutcome]:
        """Claim what is due now (up to ``concurrency`` runs), execute it, return how it ended."""
        self._heartbeat(force=True)
        while len(self._active) < self.concurrency and self._claim():
            pass
        deadline = None if timeout is None else time.monotonic() + timeout
        outcomes: list[RunOutcome] = []
        while self._active:
            if deadline is not None and time.monotonic() > deadline:
                self._hand_back_all("run_once timed out")
            outcomes.extend(self._step())
        self._reap(wait=True)
        return outcomes

    def run_forever(self) -> None:
        """Claim and execute until :meth:`stop`; then finish or hand back the runs in hand."""
        _log.info("worker %s serving queues %s (concurrency %d)", self.name, ", ".join(self.queues), self.concurrency)
        stop_deadline: float | None = None
        self._serving = True
        try:
            while True:
                if self._stop_requested.is_set():
                    if stop_deadline is None:
                        stop_deadline = time.monotonic() + self.grace_period
                        self.pool.close()
                        if self._active:
                            _log.info(
                                "worker %s stopping: waiting up to %gs for %d run(s)",
                                self.name,
                                self.grace_period,
                                len(self._active),
                            )
                    if not self._active:
                        break
                    if self._hand_back_now.is_set() or time.monotonic() >= stop_deadline:
                        self._hand_back_all(f"Handed back by worker {self.name} at shutdown")
                        break
                else:
                    try:
                        self._fill()
                    except Exception:  # the store is briefly unavailable: keep serving, retry later
                        _log.exception("worker %s could not claim runs", self.name)
                        self._next_claim = time.monotonic() + self.poll_interval
                self._step()
        finally:
            self._serving = False
            self.pool.close()
            if self._active:  # an exception in the loop: never leave runs behind as RUNNING
                self._hand_back_all(f"Handed back by worker {self.name} after an error")
            self._reap(wait=True)
        _log.info("worker %s stopped", self.name)

    # -- claiming -------------------------------------------------------------------------
    def _fill(self) -> None:
        """Claim while there is room (at most every ``poll_interval`` when nothing was due),
        then top the pool up: a spare taken by a claim is replaced at once."""
        now = time.monotonic()
        if now >= self._next_claim:
            while len(self._active) < self.concurrency:
                if not self._claim():
                    self._next_claim = now + self.poll_interval
                    break
        self.pool.fill()

    def _claim(self) -> bool:
        run = self.gateway.claim(worker_name=self.name, worker_type=self.worker_type, queues=self.queues)
        if run is None:
            return False
        options = {
            "output_dir": str(self.output_dir),
            "root_dir": self.root_dir,
            "work_dir": str(self.output_dir.parent / "inputs"),
        }
        self._active[run["id"]] = _Active(run, self._launch(run, options))
        _log.info("worker %s claimed run %s (%s)", self.name, run["id"], run.get("notebook") or run.get("entrypoint"))
        return True

    def _launch(self, run: dict[str, Any], options: dict[str, Any]) -> Any:
        """Start executing a claimed run; returns its handle, a :class:`ChildProcess` (or an
        object with the same methods, e.g. a run on a Dask cluster: workers/dask.py)."""
        # Without a spare, a new child still starts its kernel while it imports (notebooks only).
        kernel = self.pool.kernel_name if run.get("notebook") else None
        child = self.pool.take() or ChildProcess(self.db_url, kernel_name=kernel)
        try:
            child.give(run, options)
        except OSError:  # the child died just now; a new one takes the run
            child.kill()
            child = ChildProcess(self.db_url, kernel_name=kernel)
            child.give(run, options)
        return child

    # -- supervising --------------------------------------------------------------------
    def _step(self) -> list[RunOutcome]:
        """Wait for something to happen (a message, a child exiting, a deadline), then react."""
        now = time.monotonic()
        wake = self._next_heartbeat
        for active in self._active.values():
            if active.deadline is not None:
                wake = min(wake, active.deadline)
        if not self._stop_requested.is_set() and len(self._active) < self.concurrency:
            wake = min(wake, self._next_claim)
        timeout = max(0.0, min(wake - now, self.poll_interval))
        if any(a.child.eof for a in self._active.values()):
            timeout = min(timeout, 0.02)  # a child is exiting: look again for its exit status
        if self._exiting:
            timeout = min(timeout, 0.2)  # reap finished children soon, without blocking on them
        waitables = [w for a in self._active.values() for w in a.child.waitables()]
        if timeout:
            wait_any([*waitables, self._wake_r], timeout)
        if self._woken():
            self._next_claim = 0.0
        for active in self._active.values():
            active.child.pump()
        self._reap()
        self._heartbeat()
        self._check_deadlines()
        outcomes = []
        for run_id, active in list(self._active.items()):
            if active.child.finished():
                outcomes.append(self._finish(run_id, active))
        return outcomes

    def _heartbeat(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now < self._next_heartbeat:
            return
        self._next_heartbeat = now + self.heartbeat_interval
        try:
            to_stop = self.gateway.heartbeat(
                list(self._active), worker_name=self.name, worker_type=self.worker_type, queues=self.queues
            )
        except ConnectionError as exc:  # the server is out of reach (remote worker): try next time
            _log.warning("worker %s could not heartbeat: %s", self.name, exc)
            return
        except Exception:  # the store is briefly unavailable: keep running, try next time
            _log.exception("worker %s could not heartbeat", self.name)
            return
        for run_id in to_stop:
            active = self._active.get(run_id)
            if active is None or active.stop is not None or active.child.result is not None:
                continue  # a run that already ended is reported as it ended
            stored = self.gateway.get_flow_run(run_id) or {}
            owner = (stored.get("worker") or {}).get("name")
            if (stored.get("state") or {}).get("type") == StateType.PAUSED.value:
                # Suspended by someone else (a flow suspends itself and ends on its own): the
                # process stops here, and a resume puts the run back in the queue.
                self._kill(active, state_from_dict(stored["state"]))
            elif owner not in (None, self.name):
                # The reaper gave up on us and another worker claimed the run: it is theirs.
                active.abandoned = True
                self._kill(active, Crashed(f"Taken over by worker {owner}"))
            else:
                self._kill(active, Cancelled("Cancelled while running"))

    def _check_deadlines(self) -> None:
        now = time.monotonic()
        for active in self._active.values():
            if (
                active.deadline is not None
                and now >= active.deadline
                and active.stop is None
                and active.child.result is None
            ):
                timeout = cast(float, active.run.get("timeout_seconds"))  # set: the run has a deadline
                self._kill(active, TimedOut(f"Run exceeded its timeout of {float(timeout):g}s"))

    def _kill(self, active: _Active, state: State, *, hand_back: bool = False) -> None:
        _log.info("worker %s stopping run %s: %s", self.name, active.run["id"], state.message)
        active.stop, active.hand_back = state, hand_back
        active.child.kill()

    def _hand_back_all(self, reason: str) -> None:
        for run_id, active in list(self._active.items()):
            if active.stop is None and not active.child.finished():  # a finished run is just finished
                self._kill(active, Scheduled(reason, name="HandedBack"), hand_back=True)
            self._finish(run_id, active)

    # -- results --------------------------------------------------------------------------
    def _finish(self, run_id: str, active: _Active) -> RunOutcome:
        """Store how the attempt ended (the store turns a failure into a retry when one is left)."""
        from ..core.errors import IllegalTransition, NotFound

        del self._active[run_id]
        child = active.child
        child.pump()
        kind, payload, modules = child.result or ("died", None, [])
        if kind != "done" and active.stop is None:
            child.kill()  # it died or failed: make sure its kernel does not outlive it
        if active.stop is not None:
            attempt = active.stop
        elif kind == "done":
            attempt = state_from_dict(cast("dict[str, Any]", payload))  # a "done" child sends its state
        elif kind in ("refused", "error"):
            attempt = Crashed(f"The run could not execute: {payload}")
        else:
            attempt = Crashed(_death(child.exitcode))
        stored: dict[str, Any] | None = None
        try:
            if active.abandoned:
                stored = None
            elif active.hand_back:
                stored = self._give_back(active, attempt)
            elif kind == "refused" and active.stop is None:
                stored = self.gateway.get_flow_run(run_id)  # it moved on without us (e.g. cancelled)
            elif attempt.type is StateType.PAUSED:
                # Suspended: PAUSED until a resume puts it back in the queue; the slot is free.
                if kind != "done":
                    self._settle_task_runs(run_id, Cancelled("The flow run was suspended"))  # stopped mid-task
                stored = self.gateway.get_flow_run(run_id)
            else:
                if kind != "done":
                    self._settle_task_runs(run_id, attempt)
                self.gateway.finish_attempt(run_id, attempt)
                stored = self.gateway.get_flow_run(run_id)
        except (IllegalTransition, NotFound) as exc:
            _log.warning("worker %s could not record the end of run %s: %s", self.name, run_id, exc)
        except Exception:  # store unavailable: the reaper sees the heartbeat stop and settles it
            _log.exception("worker %s could not record the end of run %s", self.name, run_id)
        # A child whose notebook run ended normally may serve the next run (its imports done);
        # any other shuts its kernel down on its own and is reaped later (killed if it
        # lingers), so the run's end is in the store without waiting for that.
        if not self._reuse(child, active):
            if isinstance(child, ChildProcess):
                child.ask_exit()  # one that ran a notebook waits to hear whether it serves again
            self._exiting.append((child, time.monotonic() + EXIT_WAIT))
        _log.info("worker %s: run %s ended %s", self.name, run_id, attempt)
        return RunOutcome(run_id, attempt, stored, list(modules), child.kernel_pid, child.pid)

    def _reuse(self, child: Any, active: _Active) -> bool:
        """Back to the pool (a new kernel, the next run; ``KernelPool.put_back`` says which
        children may) when nothing stopped its run and this worker serves on (``run_forever``);
        at most one spare per slot waits."""
        if active.stop is not None or active.abandoned or not isinstance(child, ChildProcess):
            return False
        if not self._serving or self._stop_requested.is_set():
            return False  # run_once (``worker --once``) leaves no process behind
        return self.pool.put_back(child, limit=self.pool.size + self.concurrency)

    def _give_back(self, active: _Active, state: State) -> dict[str, Any]:
        """SCHEDULED again, at its place in the queue, with the attempt not counted, for another worker."""
        run_id = active.run["id"]
        self._settle_task_runs(run_id, Cancelled("Handed back at worker shutdown"))
        handed = Scheduled(state.message, name="HandedBack", scheduled_time=_due_again(active.run))
        fields = {"run_count": int(active.run.get("run_count") or 0), "worker_name": None, "heartbeat_at": None}
        self.gateway.set_state("flow", run_id, handed, fields=fields)
        return self.gateway.get_flow_run(run_id) or {}

    def _settle_task_runs(self, run_id: str, state: State) -> None:
        """Task runs a killed child left unfinished end too: the running cell takes ``state``."""
        for task in self.gateway.list_task_runs(run_id):
            current = (task.get("state") or {}).get("type")
            if current == StateType.RUNNING.value:
                end = state if state.is_final() else Cancelled(state.message)
                self.gateway.set_state(
                    "task", task["id"], end.copy(timestamp=time.time()), fields={"end_time": time.time()}
                )
            elif current in (StateType.PENDING.value, StateType.SCHEDULED.value):
                self.gateway.set_state("task", task["id"], Cancelled("Not run", name="Skipped"))

    def _reap(self, *, wait: bool = False) -> None:
        """Close children that have exited; kill those past their deadline (or all, waiting)."""
        self._exiting = reap(self._exiting, wait=wait)

    def _woken(self) -> bool:
        woken = False
        try:
            while self._wake_r.recv(512):
                woken = True
        except (BlockingIOError, InterruptedError):
            pass
        return woken


def _close_all(*sockets: socket.socket) -> None:
    for sock in sockets:
        sock.close()


def _due_again(run: dict[str, Any]) -> float:
    """A handed-back run keeps its place in the queue: due when it was due (or now, if that is
    earlier), not behind every run that became due while it ran."""
    now = time.time()
    try:
        was = datetime.fromisoformat(run["scheduled_start_time"]).timestamp()
    except (KeyError, TypeError, ValueError):
        return now
    return min(now, was)


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        return f"The run's process was killed by signal {-exitcode}"
    return f"The run's process exited unexpectedly (exit code {exitcode})"
