"""A real ``orchestr-lab server`` process for fault tests: start it, call its API, crash it.

Each server runs in a session of its own, so a signal meant for it never reaches pytest, and
its descendants (the local worker's spawned children, their kernels) can be listed from
``/proc`` before it is killed, to check what a crash leaves behind.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from _helpers import process_gone, wait_for

TOKEN = "fault-tests"
FINAL = frozenset({"COMPLETED", "FAILED", "CRASHED", "CANCELLED"})


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (kernels start sessions of their own but stay below)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                ppid = int(fh.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return {p for p in found if not process_gone(p)}


class Server:
    """``python -m orchestr_lab server`` on ``db_url`` with ``root`` as its notebook root."""

    def __init__(self, *, db_url: str, root: Path, home: Path, env: dict[str, str], args: list[str]) -> None:
        self.db_url, self.root, self.home = db_url, root, home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/orchestr-lab/api/"
        self.log_path = home / f"server-{self.port}.log"
        home.mkdir(parents=True, exist_ok=True)
        clean = {k: v for k, v in os.environ.items() if not k.startswith(("ORCHESTR_LAB_", "JUPYTER_"))}
        clean.update(ORCHESTR_LAB_HOME=str(home), **env)
        with open(self.log_path, "ab") as out:
            self.proc = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "orchestr_lab",
                    "server",
                    "--db-url",
                    db_url,
                    "--port",
                    str(self.port),
                    "--token",
                    TOKEN,
                    "--root",
                    str(root),
                    *args,
                ],
                env=clean,
                cwd=root,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.client = httpx.Client(base_url=self.url, headers={"Authorization": f"token {TOKEN}"}, timeout=30)
        self.up_at = 0.0  # time.time() when it first answered

    def wait_up(self, timeout: float = 90.0) -> Server:
        def up() -> bool:
            assert self.proc.poll() is None, self.log()
            try:
                return self.client.get("health", timeout=5).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(up, timeout=timeout, interval=0.1, what=f"the server to answer\n{self.log()}")
        self.up_at = time.time()
        return self

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def call(self, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
        reply = self.client.request(method, path, **kwargs)
        assert reply.status_code == expect, (method, path, reply.status_code, reply.text)
        return reply.json() if reply.content else None

    def runs(self, deployment_id: str) -> list[dict[str, Any]]:
        """Every run of a deployment, through the API (paged)."""
        out: list[dict[str, Any]] = []
        while True:
            page = self.call(
                "GET", "flow_runs", params={"deployment_id": deployment_id, "limit": 1000, "offset": len(out)}
            )
            out.extend(page["items"])
            if not page["items"] or len(out) >= page["total"]:
                return out

    def kill9(self) -> set[int]:
        """Crash the server process alone (as the OOM killer would); returns the processes it
        had below it, which must notice and go on their own."""
        below = descendants(self.proc.pid)
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)
        self.client.close()
        return below

    def terminate(self, timeout: float = 90.0) -> int | None:
        """SIGTERM, as a service manager stops it; its exit code (None: had to be killed)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.cleanup()
            return None
        finally:
            self.client.close()

    def cleanup(self) -> None:
        """Whatever is left of this server and below it goes (test teardown)."""
        below = descendants(self.proc.pid) if self.proc.poll() is None else set()
        for pid in below | {self.proc.pid}:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(30)
        self.client.close()


def kill_leftovers(pids: set[int]) -> None:
    for pid in pids:
        if not process_gone(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
