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
        from .services.reaper import reap_tick
        from .services.scheduler import SchedulerLock, schedule_tick
        from .services.loop import ServiceLoop

        engine, timeout = self.engine, self.heartbeat_timeout
        lock = SchedulerLock(engine)

        def schedule() -> None:
            # Only the holder of the database-wide lock schedules, so servers can share a database.
            if lock.acquire():
                schedule_tick(engine)

        self._loops = [
            ServiceLoop("orchestr-lab-scheduler", schedule, self.scheduler_interval),
            ServiceLoop("orchestr-lab-reaper", lambda: reap_tick(engine, heartbeat_timeout=timeout),
                        self.scheduler_interval),
        ]
        for loop in self._loops:
            loop.start()
        self._lock = lock

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
        )
        self._worker_thread = threading.Thread(
            target=self._worker.run_forever, name="orchestr-lab-local-worker", daemon=True
        )
        self._worker_thread.start()

    def status(self) -> dict[str, bool]:
        """Which services are running in this process (shown by ``/health``)."""
        loops = {getattr(loop, "name", str(i)): loop.is_alive() for i, loop in enumerate(self._loops)}
        return {
            "scheduler": loops.get("orchestr-lab-scheduler", False),
            "reaper": loops.get("orchestr-lab-reaper", False),
            "local_worker": bool(self._worker_thread and self._worker_thread.is_alive()),
        }

    def stop(self) -> None:
        """Stop the loops, then let the local worker finish or hand back its runs."""
        for loop in self._loops:
            loop.stop()
        lock = getattr(self, "_lock", None)
        if lock is not None:
            lock.release()
        if self._worker is not None:
            self._worker.stop()
        if self._worker_thread is not None:
            self._worker_thread.join(timeout=30)
