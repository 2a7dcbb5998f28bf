"""The spawned process that executes one run, and the worker's handle on it.

Each run gets a process of its own, *spawned* (a fork would inherit the worker's threads and
event loop; docs/architecture.md, step 4), so a run can be killed without touching the worker or other runs. The
process imports papermill and the store before it is given a run, so a worker can keep one
ready ("warm") and a claimed run starts without paying ~1.5 s of imports. It never imports
jupyter_server.

The child is a fresh ``python -c`` started with :mod:`subprocess`, talking over an inherited
socket wrapped in a :class:`multiprocessing.connection.Connection`, rather than a
``multiprocessing`` "spawn" Process: that one re-runs the parent's ``__main__`` script in the
child, and under ``jupyter lab`` (the server's local worker) that script imports JupyterLab
and jupyter_server, seconds of imports the child must not pay or carry.

Given a kernel name, the child starts that kernel first (a warm kernel, see warm_kernel.py),
so it boots while the imports run and a notebook run finds it ready.

Protocol on the pipe, child -> parent: ``("kernel", pid, pgid)`` (the warm kernel, at once, and
again for the kernel the notebook runs in), ``("ready", pid)``, then one
of ``("done", state, modules)``, ``("refused", message, modules)`` (the run moved on before it
started, e.g. it was cancelled) or ``("error", message, modules)``. Parent -> child:
``("run", run, options)``, or ``("exit",)``. After a notebook run that ended "done" (its code
ran in its kernel, so this process holds nothing of it) the child waits for ``("warm",
kernel_name)`` -- start a new kernel and report "ready" again, to serve the next run without
paying its imports again -- or ``("exit",)``; any other run ends the process.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from multiprocessing.connection import Connection
from typing import Any

from ..core.wire import state_from_dict, state_to_dict
from .lean_imports import allow_flow_imports, skip_unused_imports

__all__ = ["EXIT_WAIT", "ChildProcess", "child_main", "main", "reap", "state_from_dict", "state_to_dict"]

#: Imported before a run arrives (the cost a warm child has already paid), what every run needs
#: first. A child given its run while still preloading skips the rest: papermill's ~1.5 s is
#: no use to a flow-entrypoint run, and a notebook run imports it when it needs it.
PRELOAD = (
    "orchestr_lab.workers.entrypoint_runner",
    "papermill.execute",
    "orchestr_lab.workers.notebook_engine",
    "orchestr_lab.workers.notebook_runner",
)
#: Preloaded first by a child that reaches the store directly; a remote worker's child reaches
#: it over HTTP (``PRELOAD_API``) and never needs SQLAlchemy.
PRELOAD_STORE = (
    "orchestr_lab.store.runs",
    "orchestr_lab.store.deployments",  # a notebook run reads its deployment (runtime.deployment)
)
PRELOAD_API = ("httpx",)


def _modules() -> list[str]:
    """Top-level packages imported in this process (tests check jupyter_server is not)."""
    return sorted({name.partition(".")[0] for name, module in list(sys.modules.items()) if module is not None})


def main() -> None:
    """``python -c "...; main()" FD DB_URL [KERNEL]``: the child's entry point (see :class:`ChildProcess`)."""
    skip_unused_imports()
    conn = Connection(int(sys.argv[1]))
    child_main(conn, sys.argv[2] or None, (sys.argv[3] if len(sys.argv) > 3 else "") or None)
    # Everything is stored and the kernel is gone: skip the interpreter's teardown (~0.2 s of
    # zmq and thread cleanup) that the worker would wait for before it reports the run.
    _close_store_connections()  # properly, all the same
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def _warm_up(db_url: str | None, conn: Any) -> None:
    """Imports, and first-use work a run would otherwise pay: the store's database driver
    (loaded, not connected: an idle connection may go stale), nbformat's schema. Stops early
    once a run is waiting (``conn`` readable): it imports what it needs itself."""
    from ..engine.api_client import is_api_url

    remote = is_api_url(db_url)
    for name in (*(PRELOAD_API if remote else PRELOAD_STORE), *PRELOAD):
        if conn.poll():
            return
        importlib.import_module(name)
        if name == PRELOAD_STORE[-1]:
            _load_driver(db_url)
    if not conn.poll():
        import nbformat

        nbformat.validate(nbformat.v4.new_notebook())


def _load_driver(db_url: str | None) -> None:
    from sqlalchemy.engine import make_url

    from ..core.settings import db_url as configured_url

    try:
        make_url(db_url or configured_url()).get_dialect()
    except Exception:  # a bad URL or missing driver is the run's error to report, not ours
        pass


def child_main(conn: Any, db_url: str | None, kernel_name: str | None = None) -> None:
    """Start the warm kernel (if asked), preload, wait for a run, execute it, report; after a
    notebook run, serve another when the worker asks (``("warm", kernel_name)``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the worker's terminal is the worker's
    _exit_with_parent()
    warm = _start_kernel(conn, db_url, kernel_name)
    try:
        _warm_up(db_url, conn)
        while True:
            if warm is not None:
                # On failure the run starts a kernel of its own. A run already waiting (a child
                # started for it) pays no preload it may not need.
                warm.connect(preload=not conn.poll())
            conn.send(("ready", os.getpid()))
            message = _receive(conn)
            if message[0] != "run":
                return
            again = _serve(conn, db_url, message[1], message[2], warm)
            if warm is not None:
                warm.shutdown(now=not warm.used)
                warm = None
            message = _receive(conn) if again else ("exit",)
            if message[0] != "warm":
                return
            _close_store_connections()  # one idle until the next run may have gone stale
            warm = _start_kernel(conn, db_url, message[1])
    finally:
        if warm is not None:
            warm.shutdown(now=not warm.used)  # unused: nothing to flush, just go
        conn.close()


def _receive(conn: Any) -> tuple[Any, ...]:
    """The worker's next message; its end of the pipe closed reads as ``("exit",)``."""
    try:
        return tuple(conn.recv())
    except EOFError:
        return ("exit",)


def _start_kernel(conn: Any, db_url: str | None, kernel_name: str | None) -> Any:
    """A warm kernel (None without a name, or when it cannot start), announced to the worker
    at once so it can kill it from then on."""
    if not kernel_name:
        return None
    from .warm_kernel import WarmKernel

    warm = WarmKernel.start(kernel_name, db_url)
    if warm is not None:
        conn.send(("kernel", warm.pid, warm.pgid))
    return warm


def _close_store_connections() -> None:
    """Close the store's pooled connections (a remote worker's child has no store): at exit,
    and between two runs, where the next run connects afresh."""
    database = sys.modules.get("orchestr_lab.store.database")
    if database is not None:
        database.dispose_engines()


def _serve(conn: Any, db_url: str | None, run: dict[str, Any], options: dict[str, Any], warm: Any) -> bool:
    """Execute the run and report how it ended. True when this process may serve another run:
    a notebook run that ended normally (its code ran in its kernel, not here)."""
    from ..engine.recorder import reset_recorders

    try:
        state = _execute(run, options, conn, db_url, warm)
    except Exception as exc:
        from ..core.errors import IllegalTransition

        kind = "refused" if isinstance(exc, IllegalTransition) else "error"
        report: tuple[str, Any, list[str]] = (kind, f"{type(exc).__name__}: {exc}", _modules())
    else:
        report = ("done", state_to_dict(state), _modules())
    # Everything the run wrote is in the store before the worker records its end; the worker
    # does so at once, while this process still shuts its kernel down.
    reset_recorders()
    conn.send(report)
    return report[0] == "done" and bool(run.get("notebook"))


def _exit_with_parent(interval: float = 0.5) -> None:
    """Die when the worker dies (even by ``kill -9``): nobody would store this run's outcome,
    so the reaper must see its heartbeat stop and retry it elsewhere. The kernel follows: it
    exits when its parent (this process) is gone."""
    import threading

    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(interval)
            if os.getppid() != parent:
                os._exit(70)

    threading.Thread(target=watch, name="orchestr-lab-parent-watch", daemon=True).start()


def _execute(run: dict[str, Any], options: dict[str, Any], conn: Any, db_url: str | None, warm: Any = None) -> Any:
    if warm is not None and not run.get("notebook"):
        warm.shutdown(now=True)  # an entrypoint run has no use for the kernel
        warm = None
    if run.get("notebook"):
        from .notebook_runner import run_notebook

        def listener(event: str, info: dict[str, Any]) -> None:
            if event == "kernel":
                conn.send(("kernel", info.get("pid"), info.get("pgid")))

        return run_notebook(
            run,
            output_dir=options["output_dir"],
            db_url=db_url,
            root_dir=options.get("root_dir"),
            work_dir=options.get("work_dir"),
            listener=listener,
            warm_kernel=warm,
        )
    if run.get("entrypoint"):
        from .entrypoint_runner import run_entrypoint

        allow_flow_imports()
        return run_entrypoint(run, db_url=db_url, root_dir=options.get("root_dir"), work_dir=options.get("work_dir"))
    raise ValueError(f"Run {run.get('id')} has neither a notebook nor an entrypoint to execute")


class ChildProcess:
    """The worker's side of one spawned child: start it, hand it a run, read what it reports, kill it."""

    def __init__(self, db_url: str | None, *, kernel_name: str | None = None) -> None:
        ours, theirs = socket.socketpair()
        with theirs:
            # A session of its own: the worker can kill it with everything it started, and a
            # Ctrl-C in the worker's terminal reaches only the worker.
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-c",
                    "from orchestr_lab.workers.child import main; main()",
                    str(theirs.fileno()),
                    db_url or "",
                    kernel_name or "",
                ],
                pass_fds=(theirs.fileno(),),
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.conn = Connection(ours.detach())
        #: Runs given to this process so far (it may serve several notebook runs).
        self.runs_given = 0
        #: When it was started or last became a spare again (``recycle``), for the pool's idle limit.
        self.idle_since = time.monotonic()
        self.ready = False
        self.eof = False  # the child closed its end: it exited or is exiting
        self.ready_at: float | None = None
        self.run: dict[str, Any] | None = None
        self.kernel_pid: int | None = None
        self.kernel_pgid: int | None = None
        #: ``(kind, payload, modules)`` once the child reported how the run ended.
        self.result: tuple[str, Any, list[str]] | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def waitables(self) -> list[Any]:
        """The socket becomes readable on a message and at EOF, i.e. when the child exits."""
        return [] if self.eof else [self.conn]

    def alive(self) -> bool:
        return self.process.poll() is None

    @property
    def exitcode(self) -> int | None:
        return self.process.poll()

    def give(self, run: dict[str, Any], options: dict[str, Any]) -> None:
        self.run = run
        self.runs_given += 1
        self.conn.send(("run", run, options))

    def can_serve_again(self) -> bool:
        """Its notebook run ended "done": the process holds nothing of it (the notebook's code
        ran in its kernel) and waits to hear whether it serves another (the child's own rule)."""
        return self.result is not None and self.result[0] == "done" and bool((self.run or {}).get("notebook"))

    def recycle(self, kernel_name: str | None) -> None:
        """After its notebook run ended "done": start a new kernel and wait for the next run
        (OSError when the process is gone). The used kernel's pid is kept until the new one's
        arrives, so a kill meanwhile still reaches it."""
        self.conn.send(("warm", kernel_name))
        self.run = self.result = self.ready_at = None
        self.ready = False
        self.idle_since = time.monotonic()

    def pump(self) -> None:
        """Read every message the child has sent so far."""
        try:
            while self.conn.poll():
                message = self.conn.recv()
                kind = message[0]
                if kind == "ready":
                    self.ready = True
                    self.ready_at = time.monotonic()
                elif kind == "kernel":
                    self.kernel_pid, self.kernel_pgid = message[1], message[2]
                elif kind in ("done", "refused", "error"):
                    self.result = (kind, message[1], message[2])
        except (EOFError, OSError):
            self.eof = True

    def finished(self) -> bool:
        """The child reported a result, or died (with or without one)."""
        self.pump()
        return self.result is not None or not self.alive()

    def kill(self) -> None:
        """Kill the kernel (its own session) and the child's process group, then reap the child."""
        self.pump()
        _kill_group(self.kernel_pgid, self.kernel_pid)
        if self.alive():  # a reaped child's pid may already belong to someone else
            _kill_group(self.pid, self.pid)
        self.join(5)
        self.close()

    def join(self, timeout: float) -> None:
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            pass

    def close(self) -> None:
        try:
            self.conn.close()
        except OSError:
            pass

    def ask_exit(self) -> None:
        """Tell an idle child to go (it has preloaded, but no run came); :meth:`exit` waits."""
        try:
            self.conn.send(("exit",))
        except (OSError, ValueError):
            pass

    def exit(self) -> None:
        """Let an idle child go, killing it if it does not within a few seconds."""
        self.ask_exit()
        self.join(3)
        if self.alive():
            self.kill()
        self.close()


#: Seconds a child that reported its run (or was let go) gets to shut its kernel down and exit.
EXIT_WAIT = 5.0


def reap(exiting: list[tuple[Any, float]], *, wait: bool = False) -> list[tuple[Any, float]]:
    """Of ``(child, deadline)``s on their way out: close those that have exited, kill those
    past their deadline (``wait``: wait for each until then, then kill); the rest, still going."""
    still = []
    now = time.monotonic()
    for child, deadline in exiting:
        if wait and child.alive():
            child.join(max(0.0, deadline - now))
        if child.alive() and now < deadline and not wait:
            still.append((child, deadline))
            continue
        if child.alive():
            child.kill()
        child.close()
    return still


def _kill_group(pgid: int | None, pid: int | None) -> None:
    if pgid:
        try:
            os.killpg(pgid, signal.SIGKILL)
            return
        except (ProcessLookupError, PermissionError):
            pass
    if pid:
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
