"""The background services a server runs: scheduler, reaper, retention and a local worker.

Each runs in its own daemon thread (store work is synchronous and must not block the event
loop). They are started after the server's loop runs and stopped when the server stops; the
same class serves ``jupyter lab``, the headless ``orchestr-lab server`` and ``serve()``.

Stopping takes a few seconds whatever the services are doing: the loops are asked to stop all
at once and waited for briefly (a tick stuck in the store is left behind on its daemon thread),
and the local worker lets running runs finish for ``shutdown_grace`` seconds, then hands the
rest back (SCHEDULED again, run again by the next worker): nothing is lost.
"""

from __future__ import annotations

import datetime as _dt
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["LOOPS_STOP_WAIT", "WORKER_STOP_MARGIN", "Background"]

#: Seconds stopping waits for the scheduler, reaper and automation loops (together).
LOOPS_STOP_WAIT = 3.0
#: Seconds beyond ``shutdown_grace`` stopping waits for the local worker to hand its runs back.
WORKER_STOP_MARGIN = 5.0


@dataclass
class Background:
    engine: Any
    db_url: str
    root_dir: Path
    results_dir: Path
    scheduler_interval: float = 5.0
    heartbeat_timeout: float = 30.0
    scheduler: bool = True
    local_worker: bool = True
    local_worker_concurrency: int = 2
    local_worker_queues: list[str] = field(default_factory=lambda: ["default"])
    warm_kernels: int = 1
    missed_runs: str = "once"
    late_grace: float = 60.0
    shutdown_grace: float = 5.0
    #: What the store keeps (a ``store.retention.RetentionPolicy``; None: the ``ORCHESTR_LAB_KEEP_*``
    #: settings) and seconds between prune passes (0 or less: no pruning in this process).
    retention: Any = None
    prune_interval: float = 600.0
    #: How the notify action reaches people (``services.notify.NotifySettings``; None: the
    #: ``ORCHESTR_LAB_SMTP_*`` and ``ORCHESTR_LAB_PUBLIC_URL`` settings).
    notify: Any = None
    log: logging.Logger | logging.LoggerAdapter[Any] = field(default_factory=lambda: logging.getLogger(__name__))

    _loops: list[Any] = field(default_factory=list, init=False)
    _worker: Any = field(default=None, init=False)
    _worker_thread: threading.Thread | None = field(default=None, init=False)

    def start(self) -> None:
        """Start what the settings ask for; a service that fails to start is logged, not fatal."""
        if self.scheduler:
            self._start_loops()
        if self.local_worker:
            self._start_worker()

    def _start_loops(self) -> None:
        from .automations import automation_service
        from .reaper import reaper_service
        from .scheduler import scheduler_service

        # The scheduler acts only while it holds the database-wide lock (servers may share a
        # database); the reaper and the automations are safe to run everywhere.
        self._loops = [
            scheduler_service(
                self.engine,
                interval=self.scheduler_interval,
                missed=self.missed_runs,
                late_grace=_dt.timedelta(seconds=self.late_grace),
            ),
            reaper_service(self.engine, interval=self.scheduler_interval, heartbeat_timeout=self.heartbeat_timeout),
            automation_service(
                self.engine,
                root_dir=self.root_dir,
                interval=self.scheduler_interval,
                runs_due=self.wake,
                notify_settings=self.notify,
            ),
        ]
        if self.prune_interval > 0:
            self._loops.append(self._retention_loop())
        for loop in self._loops:
            loop.start()

    def _retention_loop(self) -> Any:
        from ..store.retention import configured_policy
        from .retention import retention_service

        policy = self.retention if self.retention is not None else configured_policy()
        return retention_service(self.engine, policy, interval=self.prune_interval)

    def _start_worker(self) -> None:
        from ..workers.worker import Worker

        name = f"local:{socket.gethostname()}:{os.getpid()}"
        self._worker = Worker(
            self.db_url,
            name=name,
            queues=self.local_worker_queues,
            concurrency=self.local_worker_concurrency,
            root_dir=str(self.root_dir),
            output_dir=str(self.results_dir / "notebooks"),
            warm_kernels=self.warm_kernels,
            grace_period=self.shutdown_grace,
        )
        self._worker_thread = threading.Thread(
            target=self._worker.run_forever, name="orchestr-lab-local-worker", daemon=True
        )
        self._worker_thread.start()

    def wake(self) -> None:
        """A run was just made due: the local worker (if any) claims it now, not at its next poll."""
        if self._worker is not None:
            self._worker.wake()

    def status(self) -> dict[str, bool]:
        """Which services are running in this process (shown by ``/health``)."""
        loops = {loop.name: loop.running for loop in self._loops}
        return {
            "scheduler": loops.get("scheduler", False),
            "reaper": loops.get("reaper", False),
            "automations": loops.get("automations", False),
            "local_worker": bool(self._worker_thread and self._worker_thread.is_alive()),
        }

    def stop(self) -> None:
        """Stop the loops and the local worker together; returns within ``shutdown_grace`` +
        ``WORKER_STOP_MARGIN`` seconds (``LOOPS_STOP_WAIT`` without a local worker), whatever
        they are doing."""
        start = time.monotonic()
        for loop in self._loops:
            loop.request_stop()  # the scheduler's loop releases its lock as it ends
        if self._worker is not None:
            self._worker.stop()  # claims nothing more; finishes or hands back its runs
        for loop in self._loops:
            if not loop.join(max(0.0, start + LOOPS_STOP_WAIT - time.monotonic())):
                self.log.warning("orchestr-lab: the %s is still busy; stopping without it", loop.name)
        if self._worker_thread is not None:
            self._worker_thread.join(max(0.0, start + self.shutdown_grace + WORKER_STOP_MARGIN - time.monotonic()))
            if self._worker_thread.is_alive():
                self.log.warning(
                    "orchestr-lab: the local worker did not stop in time; runs it still holds "
                    "are CRASHED by the reaper and retried"
                )
