"""Plain helpers shared by test folders (fixtures go in tests/conftest.py).

pytest's default ("prepend") import mode puts tests/ on sys.path (tests/ is not a package), so
this imports as ``_helpers``; a folder's conftest re-exports what its tests use, and they keep
importing from ``.conftest``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import nbformat

UTC = dt.timezone.utc
# The fake "now" of tests that pass the clock in (the scheduler, reaper and claims take ``now``):
# later than any deployment a test creates (the scheduler does not count the time before a
# deployment's last edit as missed), on a minute boundary plus 30 s.
T0 = dt.datetime(dt.datetime.now(UTC).year + 2, 1, 6, 12, 0, 30, tzinfo=UTC)
# The ``make_deployment`` fixture (tests/conftest.py): keyword arguments override the spec.
MakeDeployment = Callable[..., dict[str, Any]]


def write_notebook(path: Path, cells: list[str], *, parameters: str | None = None, kernelspec: bool = True) -> Path:
    """A notebook whose first code cell (tagged ``parameters``) is ``parameters``, then ``cells``."""
    nb = nbformat.v4.new_notebook()
    if kernelspec:
        nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if parameters is not None:
        cell = nbformat.v4.new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    nb.cells.extend(nbformat.v4.new_code_cell(src) for src in cells)
    nbformat.write(nb, path)
    return path


def wait_for(predicate: Callable[[], Any], *, timeout: float = 20.0, interval: float = 0.05, what: str = "") -> Any:
    """Poll ``predicate`` until it returns something truthy; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        time.sleep(interval)


def process_gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True
    except OSError:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False


def create_due_runs(engine: Any, deployment: dict[str, Any], count: int) -> set[str]:
    """``count`` runs of ``deployment``, all due now, in one transaction; their ids.

    Also used by bench/bench_claims.py (which puts tests/ on its path).
    """
    from orchestr_lab.store.database import write_transaction
    from orchestr_lab.store.deployment_runs import create_run_in
    from orchestr_lab.store.events import insert_events

    def work(conn: Any) -> set[str]:
        events: list[dict[str, Any]] = []
        ids = {create_run_in(conn, deployment, events=events)[0]["id"] for _ in range(count)}
        insert_events(conn, events)
        return ids

    return write_transaction(engine, work)


def stop_process(proc: subprocess.Popen[Any], grace: float = 30) -> int:
    """SIGTERM (a server or worker ends what it does), SIGKILL if it lingers; its exit code."""
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def free_port() -> int:
    """A TCP port nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    *args: str,
    env: dict[str, str],
    log: Path,
    token: str,
    cwd: Path | None = None,
    new_session: bool = False,
    timeout: float = 60,
) -> tuple[subprocess.Popen[bytes], str]:
    """``orchestr-lab server --port <free port> ARGS``, its output appended to ``log``.

    Returns the process and its base URL once ``health`` answers ``token``; a server that exits or
    never answers fails the test with the end of its log (and is not left running).
    """
    import httpx

    port = free_port()
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "orchestr_lab", "server", "--port", str(port), *args],
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=new_session,
        )
    url = f"http://127.0.0.1:{port}/"

    def up() -> bool:
        assert proc.poll() is None, log.read_text()[-3000:]
        try:
            health = httpx.get(url + "orchestr-lab/api/health", headers={"Authorization": f"token {token}"})
        except httpx.HTTPError:
            return False
        return health.status_code == 200

    try:
        wait_for(up, timeout=timeout, interval=0.1, what="the server to answer")
    except BaseException:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        raise
    return proc, url


@contextlib.contextmanager
def api_server(home: Path, root: Path, token: str, env: dict[str, str]) -> Iterator[str]:
    """``orchestr-lab server`` on the store of ``env`` without a local worker (nothing runs unless
    a test starts a worker), its log in ``home/server.log``; yields its base URL while it runs."""
    args = ("--token", token, "--root", str(root), "--no-local-worker")
    proc, url = start_server(*args, env=env, log=home / "server.log", token=token)
    try:
        yield url
    finally:
        stop_process(proc)
