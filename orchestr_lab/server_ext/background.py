"""The background services a server runs: scheduler, reaper and a local worker.

Each runs in its own daemon thread (store work is synchronous and must not block the event
loop). They are started after the server's loop runs and stopped when the server stops; the
same class serves ``jupyter lab`` and the headless ``orchestr-lab server``.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["Background"]


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
        from .services.automations import automation_service
        from .services.reaper import reaper_service
        from .services.scheduler import scheduler_service

        # The scheduler acts only while it holds the database-wide lock (servers may share a
        # database); the reaper and the automations are safe to run everywhere.
        self._loops = [
            scheduler_service(self.engine, interval=self.scheduler_interval),
            reaper_service(self.engine, interval=self.scheduler_interval, heartbeat_timeout=self.heartbeat_timeout),
            automation_service(self.engine, root_dir=self.root_dir, interval=self.scheduler_interval,
                               runs_due=self.wake),
        ]
        for loop in self._loops:
            loop.start()

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
        """Stop the loops, then let the local worker finish or hand back its runs."""
        for loop in self._loops:
            loop.stop()  # the scheduler's loop releases its lock as it ends
        if self._worker is not None:
            self._worker.stop()
        if self._worker_thread is not None:
            self._worker_thread.join(timeout=30)
