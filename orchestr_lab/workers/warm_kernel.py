"""A warm kernel: a notebook run starts in a kernel that was started before the run was known.

A cold run pays ~1.5 s before its first cell: the child's imports and a kernel's start. A spare
child (``kernel_pool.KernelPool``, the worker's side) therefore starts a kernel
(:class:`WarmKernel`, the child's side) while it does its imports and no run is known yet.

The run's identity (``ORCHESTR_LAB_FLOW_RUN_ID`` and friends) is only known at claim time, so a
warm kernel starts with a *neutral* environment: the child's own, minus any run's identity,
which is exactly the base a cold kernel's environment is built from. When a run is assigned,
:func:`setup_code` is executed silently in the kernel before the notebook's first cell: it sets
the run's variables in ``os.environ`` and changes to the notebook's folder. That is robust
because everything of ours inside a kernel (``record()``, ``orchestr_lab.runtime``) reads
``os.environ`` when asked, never at import, and ``os.environ`` also reaches subprocesses the
notebook starts. The kernel's ``sys.path`` holds ``''`` (the current folder, whatever it is
now), never the folder it started in, so imports next to the notebook work as in a cold kernel.

A kernel serves exactly one run and is then shut down (never reused: a run's variables,
imports and threads must not leak into the next); its child exits with it. A kernel that died
while idle, or a notebook asking for another kernel or language, falls back to a cold start in
the same child.
"""

from __future__ import annotations

import logging
import os
import signal
from collections.abc import Mapping
from typing import Any

__all__ = ["KERNEL_ARGUMENTS", "WarmKernel", "setup_code"]

_log = logging.getLogger("orchestr_lab.workers")

#: What a cold run's client passes to ipykernel too: no warning about unencrypted local TCP on
#: every start, and no IPython history database shared by concurrent kernels.
KERNEL_ARGUMENTS = ("--IPKernelApp.log_level=CRITICAL", "--HistoryManager.hist_file=:memory:")

#: Run in a warm kernel before any run is known: the imports ``record()`` needs (~0.5 s when a
#: notebook pays them). Only ``sys.modules`` changes (no names, nothing connected); a kernel
#: whose Python lacks orchestr_lab just skips it.
KERNEL_WARM_UP = (
    "exec('try:\\n import orchestr_lab, orchestr_lab.engine.recorder, orchestr_lab.store.database\\n"
    "except Exception:\\n pass', {})"
)

#: Seconds a used kernel gets to exit after the shutdown request: half of it before SIGTERM,
#: the rest before SIGKILL. A normal exit (atexit handlers included) takes ~0.1 s; ipykernel 7
#: sometimes deadlocks in its own teardown (the control thread flushes output to the already
#: stopped IOPub thread, for up to 10 s), which only the signal ends.
SHUTDOWN_WAIT = 2.0


def setup_code(env: Mapping[str, str | None], cwd: str) -> str:
    """Python that gives a warm kernel the run's environment (None: unset) and folder.

    It runs in a throwaway namespace, so the notebook sees no new names, and silently (no
    execution count, no history), so ``In [1]`` is still the notebook's first cell.
    """
    body = (
        "import os\n"
        f"for k, v in {dict(env)!r}.items():\n"
        "    if v is None:\n"
        "        os.environ.pop(k, None)\n"
        "    else:\n"
        "        os.environ[k] = v\n"
        f"os.chdir({cwd!r})\n"
    )
    return f"exec({body!r}, {{}})"


class WarmKernel:
    """The child's side: a kernel started before its run is known, used for one run at most."""

    def __init__(self, km: Any, kernel_name: str, language: str) -> None:
        self.km: Any = km
        self.kc: Any = None  # connected by connect(), while no run waits
        self.kernel_name = kernel_name
        self.language = language
        self.used = False

    @classmethod
    def start(cls, kernel_name: str, db_url: str | None) -> WarmKernel | None:
        """Launch ``kernel_name`` with the neutral environment; None when it cannot start
        (the run then starts a kernel of its own, as without a pool)."""
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        from ..core.settings import db_url as configured_url
        from .run_environment import kernel_environment

        try:
            km = AsyncKernelManager(kernel_name=kernel_name)
            # No spec (None) raises here, and the except below reports it.
            language = (km.kernel_spec.language or "").lower()  # type: ignore[union-attr]
            if language != "python":  # setup_code is Python
                return None
            args = list(KERNEL_ARGUMENTS) if km.ipykernel else []
            env = kernel_environment(None, db_url or configured_url())
            run_sync(km.start_kernel)(extra_arguments=args, env=env, cwd=os.getcwd())
        except Exception:
            _log.warning("could not start a warm %s kernel", kernel_name, exc_info=True)
            return None
        return cls(km, kernel_name, language)

    def connect(self, timeout: float = 60.0, *, preload: bool = True) -> bool:
        """Open a client, wait until the kernel answers (jupyter_client then drains its output
        for 0.2 s) and ``preload`` :data:`KERNEL_WARM_UP`: costs paid here, before the run,
        instead of in it. False (and the kernel gone) when it does not come up."""
        from jupyter_core.utils import run_sync

        if self.km is None:
            return False
        try:
            kc = self.km.client()
            kc.start_channels()
            self.kc = kc
            run_sync(kc.wait_for_ready)(timeout=timeout)
            if preload:
                run_sync(_execute_quietly)(kc, KERNEL_WARM_UP, timeout)
        except Exception:
            _log.warning("warm kernel %s did not come up; runs start a fresh one", self.pid, exc_info=True)
            self.shutdown(now=True)
            return False
        return True

    @property
    def pid(self) -> int | None:
        return getattr(getattr(self.km, "provisioner", None), "pid", None)

    @property
    def pgid(self) -> int | None:
        return getattr(getattr(self.km, "provisioner", None), "pgid", None)

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        if self.km is None:
            return False
        try:
            return bool(run_sync(self.km.is_alive)())
        except Exception:
            return False

    def take(self, kernel_name: str, language: str) -> Any | None:
        """The kernel manager for the run about to execute (its client in :attr:`kc`), or
        None (cold start): when this kernel is not the notebook's, or died while it waited.
        Either way it is used up."""
        if self.km is None or self.used:
            return None
        self.used = True
        if kernel_name != self.kernel_name or (language or "python").lower() != self.language:
            _log.info("warm kernel is %s, the notebook wants %s: starting a fresh one", self.kernel_name, kernel_name)
        elif not self.alive():
            _log.warning("warm kernel %s died while idle: starting a fresh one", self.pid)
        else:
            return self.km
        self.shutdown(now=True)
        return None

    def shutdown(self, *, now: bool = False) -> None:
        """Stop the kernel: ask, wait, terminate, kill (or kill ``now``: it ran nothing).
        Idempotent; never raises."""
        from jupyter_core.utils import run_sync

        km, kc, self.km, self.kc = self.km, self.kc, None, None
        if km is None:
            return
        pgid, pid = getattr(km.provisioner, "pgid", None), getattr(km.provisioner, "pid", None)
        try:
            if kc is not None:
                kc.stop_channels()
            run_sync(_shutdown)(km, now)
        except Exception:
            _log.debug("warm kernel %s did not shut down cleanly; killing it", pid, exc_info=True)
            _kill(pgid, pid)


async def _execute_quietly(kc: Any, code: str, timeout: float) -> None:
    """Execute ``code`` silently and wait until the kernel is idle again, its output drained
    (so the run's client starts from a quiet channel)."""
    import asyncio

    msg_id = kc.execute(code, silent=True, store_history=False, allow_stdin=False)

    async def idle() -> None:
        while True:
            msg = await kc.get_iopub_msg()
            if (
                msg["parent_header"].get("msg_id") == msg_id
                and msg["msg_type"] == "status"
                and msg["content"].get("execution_state") == "idle"
            ):
                return

    await asyncio.wait_for(idle(), timeout)
    while True:
        reply = await kc.get_shell_msg(timeout=timeout)
        if reply["parent_header"].get("msg_id") == msg_id:
            return


async def _shutdown(km: Any, now: bool) -> None:
    """``km.shutdown_kernel`` without its interrupt (the kernel is idle: the run is over) and
    with a finer poll: jupyter_client checks every 0.1 s whether the kernel has exited, half a
    short run's whole time."""
    if not await km.is_alive():
        await km.cleanup_resources()
    elif now:
        await km.shutdown_kernel(now=True)
    else:
        km.shutting_down = True
        await km.request_shutdown()
        await km.finish_shutdown(waittime=SHUTDOWN_WAIT, pollinterval=0.01)
        await km.cleanup_resources()


def _kill(pgid: int | None, pid: int | None) -> None:
    try:
        if pgid:
            os.killpg(pgid, signal.SIGKILL)
        elif pid:
            os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
