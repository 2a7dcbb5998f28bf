"""The warm kernel pool: the worker keeps spare children ready for its next runs.

Each spare is a spawned child (``child.ChildProcess``) that has done its imports and, with a
kernel name, started a kernel too (``warm_kernel.WarmKernel``, where the neutral environment
and the run's setup are explained), so a claimed notebook run starts in a kernel already up. A
spare serves one run; the worker starts its replacement right after the claim.
"""

from __future__ import annotations

from typing import Any

from .child import ChildProcess

__all__ = ["POOL_KERNEL", "KernelPool"]

#: The kernel the pool keeps warm (the one notebooks without a kernelspec run in, too).
POOL_KERNEL = "python3"


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

    def take(self) -> Any | None:
        """A spare child (oldest first, so its kernel had the most time to boot), or None."""
        while self.spares:
            child = self.spares.pop(0)
            if child.alive():
                return child
            child.kill()  # died while idle: it must not take a run down with it
        return None

    def fill(self) -> None:
        """Start spares until there are ``size`` (each boots in the background: no waiting)."""
        for child in list(self.spares):
            child.pump()  # learn its kernel's pid early: a kill must reach the kernel too
            if not child.alive():
                self.spares.remove(child)
                child.kill()
        while len(self.spares) < self.size:
            self.spares.append(ChildProcess(self.db_url, kernel_name=self.kernel_name))

    def kernel_pids(self) -> list[int]:
        """Pids of the spares' warm kernels known so far (read-only: safe from another thread)."""
        return [pid for child in list(self.spares) if (pid := child.kernel_pid)]

    def close(self) -> None:
        """Let every spare go: all are asked first, so they shut their kernels down together."""
        spares, self.spares = self.spares, []
        for child in spares:
            child.ask_exit()
        for child in spares:
            child.exit()
