"""Real Dask clusters for the Dask tests: a LocalCluster, and a standalone scheduler with two
``dask worker`` processes on loopback (the shape of a cluster started by hand or by a batch
system). The fixtures in tests/conftest.py start each once per test module."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


def local_cluster() -> Any:
    from distributed import LocalCluster

    return LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")


@dataclass
class StandaloneCluster:
    address: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def worker_pids(self) -> set[int]:
        """The pids of the processes that run tasks (each ``dask worker`` runs a nanny + worker)."""
        from distributed import Client

        with Client(self.address, set_as_default=False) as client:
            return set(client.run(os.getpid).values())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def standalone_cluster(log_dir: Any) -> Iterator[StandaloneCluster]:
    """``dask scheduler`` + two ``dask worker --nthreads 1``; stopped (with their children) after."""
    from distributed import Client

    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    cli = [sys.executable, "-m"]
    commands = [
        [
            *cli,
            "distributed.cli.dask_scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-dashboard",
            "--dashboard-address",
            "127.0.0.1:0",
        ],
        *[
            [
                *cli,
                "distributed.cli.dask_worker",
                address,
                "--nthreads",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--name",
                f"w{i}",
            ]
            for i in range(2)
        ],
    ]
    cluster = StandaloneCluster(address)
    try:
        for i, command in enumerate(commands):
            log = open(log_dir / f"dask-{i}.log", "wb")  # noqa: SIM115 (closed below, after Popen has it)
            with log:
                cluster.processes.append(
                    subprocess.Popen(
                        command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
                    )
                )
        with Client(address, timeout=60, set_as_default=False) as client:
            client.wait_for_workers(2, timeout=60)
        yield cluster
    finally:
        for proc in reversed(cluster.processes):
            _stop(proc)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group (a worker's nanny and its worker), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
            return
        except subprocess.TimeoutExpired:
            continue
