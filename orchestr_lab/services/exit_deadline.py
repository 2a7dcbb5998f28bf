"""Ending a stopping server process for sure: a deadline after which it exits anyway.

The services stop within the local worker's ``shutdown_grace`` plus a few seconds; should
stopping itself hang, the process must still end (runs it still held are then CRASHED by the
next server's reaper and retried, as after ``kill -9``). ``os._exit`` skips the interpreter's
own flush, so what was logged is flushed first.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time

__all__ = ["exit_after", "flush_output"]


def exit_after(seconds: float, log: logging.Logger) -> None:
    """Exit the process with code 1 ``seconds`` from now unless it ended by itself (a daemon
    thread, so it never keeps the process alive, and it runs on while the interpreter waits at
    exit for a stuck non-daemon thread)."""

    def deadline() -> None:
        time.sleep(seconds)
        stuck = sorted(t.name for t in threading.enumerate() if t is not threading.current_thread())
        log.error(
            "orchestr-lab: still stopping %.0f s after the stop signal; exiting now (busy: %s)",
            seconds,
            ", ".join(stuck) or "nothing",
        )
        flush_output(log)
        os._exit(1)

    threading.Thread(target=deadline, name="orchestr-lab-stop-deadline", daemon=True).start()


def flush_output(log: logging.Logger) -> None:
    """Flush what was logged (by the root logger's handlers and ``log``'s) and the standard
    streams, before an ``os._exit``."""
    for handler in logging.getLogger().handlers + log.handlers:
        try:
            handler.flush()
        except (OSError, ValueError):
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
