"""The warm kernel pool: the worker keeps spare children ready for its next runs.

Each spare is a spawned child (``child.ChildProcess``) that has done its imports and, with a
kernel name, started a kernel too (``warm_kernel.WarmKernel``, where the neutral environment
and the run's setup are explained), so a claimed notebook run starts in a kernel already up. A
spare serves one run; the worker starts its replacement right after the claim. A child
whose notebook run ended normally comes back as a spare with a new kernel (:meth:`put_back`),
so a busy worker stops paying each run's imports; spares beyond ``size`` that stay idle for
:data:`SPARE_IDLE_SECONDS` are let go.
"""

from __future__ import annotations

import time
from typing import Any

from .child import EXIT_WAIT, ChildProcess, reap

__all__ = ["POOL_KERNEL", "RUNS_PER_CHILD", "SPARE_IDLE_SECONDS", "KernelPool"]

#: The kernel the pool keeps warm (the one notebooks without a kernelspec run in, too).
POOL_KERNEL = "python3"
#: Notebook runs one child serves at most (then a fresh process takes its place): reuse spares
#: each run ~1 CPU-s of imports; the bound keeps a long-lived process's memory in check.
RUNS_PER_CHILD = 25
#: Seconds a spare beyond the pool's size may stay idle before it is let go.
SPARE_IDLE_SECONDS = 30.0


class KernelPool:
    """The worker's side: ``size`` spare children ready for the next runs.

    With ``kernel_name`` each spare also holds a started kernel (a warm kernel); without, it
    has only done its imports. :meth:`take` hands out a spare for one run; :meth:`fill` starts
    replacements (the worker calls it right after a claim, so the next run finds one warm).
    """

    def __init__(self, db_url: str | None, size: int, kernel_name: str | None = POOL_KERNEL) -> None:
        if size < 0:
            raise ValueError("the pool size cannot be negative")
        self.db_url = db_url
        self.size = size
        self.kernel_name = kernel_name if size else None
        self.spares: list[Any] = []
        self._leaving: list[tuple[Any, float]] = []  # idle spares let go, until they have exited

    def take(self) -> Any | None:
        """A spare child (oldest first, so its kernel had the most time to boot), or None."""
        while self.spares:
            child = self.spares.pop(0)
            if child.alive():
                return child
            child.kill()  # died while idle: it must not take a run down with it
        return None

    def put_back(self, child: Any, *, limit: int) -> bool:
        """Take a child back as a spare after its notebook run ended "done" (it starts a new
        kernel), when it has served fewer than :data:`RUNS_PER_CHILD` runs and fewer than
        ``limit`` spares wait. False: the caller lets it go."""
        if not self.kernel_name or not child.can_serve_again():
            return False
        if child.runs_given >= RUNS_PER_CHILD or len(self.spares) >= limit:
            return False
        try:
            child.recycle(self.kernel_name)
        except (OSError, ValueError):  # it is gone already
            return False
        self.spares.append(child)
        return True

    def fill(self) -> None:
        """Start spares until there are ``size`` (each boots in the background: no waiting);
        let spares beyond ``size`` go once idle for :data:`SPARE_IDLE_SECONDS`."""
        for child in list(self.spares):
            child.pump()  # learn its kernel's pid early: a kill must reach the kernel too
            if not child.alive():
                self.spares.remove(child)
                child.kill()
        now = time.monotonic()
        while len(self.spares) > self.size and now - self.spares[0].idle_since > SPARE_IDLE_SECONDS:
            child = self.spares.pop(0)
            child.ask_exit()  # it shuts its unused kernel down and exits; reaped below, later
            self._leaving.append((child, now + EXIT_WAIT))
        self._leaving = reap(self._leaving)
        while len(self.spares) < self.size:
            self.spares.append(ChildProcess(self.db_url, kernel_name=self.kernel_name))

    def kernel_pids(self) -> list[int]:
        """Pids of the spares' warm kernels known so far (read-only: safe from another thread)."""
        return [pid for child in list(self.spares) if (pid := child.kernel_pid)]

    def close(self) -> None:
        """Let every spare go: all are asked first, so they shut their kernels down together."""
        spares, self.spares = self.spares + [child for child, _ in self._leaving], []
        self._leaving = []
        for child in spares:
            child.ask_exit()
        for child in spares:
            child.exit()
