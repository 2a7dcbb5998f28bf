"""Running a service's tick every few seconds on a daemon thread, for as long as the server runs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["ServiceLoop"]

log = logging.getLogger("orchestr_lab.services")


class ServiceLoop:
    """Call ``tick()`` every ``interval`` seconds on a daemon thread until :meth:`stop`.

    A tick that raises is logged and the loop carries on: a database hiccup must not stop
    the scheduler for good. ``on_stop`` runs once on the loop's thread after the last tick
    (e.g. to release the scheduler's lock).
    """

    def __init__(
        self,
        name: str,
        tick: Callable[[], Any],
        interval: float,
        *,
        on_stop: Callable[[], Any] | None = None,
    ) -> None:
        if interval <= 0:
            raise ValueError(f"interval must be positive, got {interval!r}")
        self.name = name
        self.tick = tick
        self.interval = float(interval)
        self.on_stop = on_stop
        self.ticks = 0
        self.errors = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def stopping(self) -> bool:
        """True once :meth:`stop` was asked: a long tick checks it to end early."""
        return self._stop.is_set()

    def start(self) -> ServiceLoop:
        """Start the thread (the first tick runs at once); starting twice is a no-op."""
        if self.running:
            return self
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name=f"orchestr-lab-{self.name}", daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = 10.0) -> bool:
        """Ask the loop to end after the current tick and wait up to ``timeout`` seconds; True
        if it ended. A tick stuck past that is left behind: the thread is a daemon, so it
        never keeps the process alive."""
        self.request_stop()
        return self.join(timeout)

    def request_stop(self) -> None:
        """Ask the loop to end after the current tick, without waiting (stop several at once)."""
        self._stop.set()

    def join(self, timeout: float | None = None) -> bool:
        """Wait up to ``timeout`` seconds for the loop to end; True if it did."""
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        return not self.running

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                try:
                    self.tick()
                except Exception:
                    self.errors += 1
                    log.exception("%s tick failed; trying again in %.3g s", self.name, self.interval)
                finally:
                    self.ticks += 1
                self._stop.wait(self.interval)
        finally:
            if self.on_stop is not None:
                try:
                    self.on_stop()
                except Exception:
                    log.exception("%s: stopping failed", self.name)

    def __enter__(self) -> ServiceLoop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"ServiceLoop({self.name!r}, every {self.interval:g} s, {state}, {self.ticks} ticks)"
