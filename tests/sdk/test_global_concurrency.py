"""concurrency() and rate_limit() across real processes: a limit of 1 is never held twice at once
(also between a process on the store and one over HTTP), a holder killed with ``kill -9`` frees
its slot within its lease, and rate_limit holds its rate."""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from _helpers import api_server
from orchestr_lab.core.errors import NotFound
from orchestr_lab.sdk.client import ClientError, HttpBackend, LocalBackend, connect

HOLDER = Path(__file__).with_name("_gcl_holder.py")
TOKEN = "gcl-token"


def _env(db_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
    return {**env, "ORCHESTR_LAB_DB_URL": db_url, **extra}


def _start(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, str(HOLDER), *args], env=env, stderr=subprocess.PIPE)


def _wait(proc: subprocess.Popen[bytes]) -> None:
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()


def _intervals(path: Path) -> list[tuple[float, float]]:
    return sorted(tuple(map(float, line.split())) for line in path.read_text().splitlines())  # type: ignore[misc]


def _assert_never_overlap(spans: list[tuple[float, float]], count: int) -> None:
    assert len(spans) == count
    for (_, leave), (enter, _) in itertools.pairwise(spans):
        assert enter >= leave, f"two holders of a limit of 1 overlapped: {spans}"


def test_two_processes_contending_for_a_limit_of_one_never_overlap(db_url: str, tmp_path: Path) -> None:
    connect(engine=db_url).create_global_limit({"name": "gpu", "limit": 1})
    out = tmp_path / "spans"
    procs = [_start(_env(db_url), "contend", "gpu", str(out), "5", "0.1") for _ in range(2)]
    for proc in procs:
        _wait(proc)
    _assert_never_overlap(_intervals(out), 10)
    assert connect(engine=db_url).get_global_limit("gpu")["active_slots"] == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # leases are not the compare-and-set: one store
def test_a_holder_killed_with_kill_9_frees_its_slot_within_its_lease(db_url: str, tmp_path: Path) -> None:
    from orchestr_lab.concurrency.sync import concurrency

    connect(engine=db_url).create_global_limit({"name": "gpu", "limit": 1})
    os.environ["ORCHESTR_LAB_DB_URL"] = db_url  # this process contends too (conftest restores the env)
    ready, lease = tmp_path / "ready", 3.0
    proc = _start(_env(db_url), "hold", "gpu", str(lease), str(ready))
    deadline = time.monotonic() + 60
    while not ready.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail(f"the holder never took the slot: {proc.communicate()[1].decode()}")
        time.sleep(0.05)
    time.sleep(lease)  # it renews while alive: still held well past its first lease
    from orchestr_lab.concurrency.sync import AcquireConcurrencySlotTimeoutError

    with pytest.raises(AcquireConcurrencySlotTimeoutError), concurrency("gpu", timeout_seconds=0.5):
        pass
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    killed = time.monotonic()
    with concurrency("gpu", timeout_seconds=30):
        freed_after = time.monotonic() - killed
    assert freed_after <= lease + 1.0, f"the slot came back {freed_after:.1f}s after the kill (lease {lease}s)"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_rate_limit_holds_its_rate(db_url: str, tmp_path: Path) -> None:
    """A limit of 3 at 10 per second: a burst of 3, then one every 0.1 s (a caller that wakes a
    little late does not slow the pace: the limit's slots drain on their own clock)."""
    rate, burst, times = 10.0, 3, 23
    connect(engine=db_url).create_global_limit({"name": "api", "limit": burst, "slot_decay_per_second": rate})
    out = tmp_path / "stamps"
    _wait(_start(_env(db_url), "rate", "api", str(times), str(out)))
    stamps = [float(x) for x in out.read_text().split()]
    assert stamps[burst - 1] - stamps[0] < (burst - 1) / rate  # the burst did not wait for decay
    paced = stamps[burst - 1 :]
    observed = (len(paced) - 1) / (paced[-1] - paced[0])
    assert abs(observed - rate) <= 0.1 * rate, f"{observed:.2f} per second, asked {rate}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, HttpBackend]]:
    """``orchestr-lab server`` on a SQLite store; yields its URL, the store URL and a client."""
    home, root = tmp_path_factory.mktemp("gcl_home"), tmp_path_factory.mktemp("gcl_root")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
    env["ORCHESTR_LAB_HOME"] = str(home)
    with api_server(home, root, TOKEN, env) as url:
        remote = connect(api_url=url, token=TOKEN)
        assert isinstance(remote, HttpBackend)
        try:
            yield url, f"sqlite:///{home / 'orchestr.db'}", remote
        finally:
            remote.close()


def test_a_remote_holder_and_a_local_one_share_the_limit(server: tuple[str, str, HttpBackend], tmp_path: Path) -> None:
    url, db_url, remote = server
    remote.create_global_limit({"name": "gpu", "limit": 1})
    out = tmp_path / "spans"
    http_env = _env("sqlite:///nowhere.db", ORCHESTR_LAB_API_URL=url, ORCHESTR_LAB_API_TOKEN=TOKEN)
    procs = [
        _start(_env(db_url), "contend", "gpu", str(out), "4", "0.1"),
        _start(http_env, "contend", "gpu", str(out), "4", "0.1"),
    ]
    for proc in procs:
        _wait(proc)
    _assert_never_overlap(_intervals(out), 8)
    assert remote.get_global_limit("gpu")["active_slots"] == 0
    assert not Path("nowhere.db").exists()


def test_both_backends_answer_alike(server: tuple[str, str, HttpBackend]) -> None:
    _, db_url, remote = server
    local = connect(engine=db_url)
    assert isinstance(local, LocalBackend)
    for backend, name in ((local, "a"), (remote, "b")):
        made = backend.create_global_limit({"name": name, "limit": 1, "slot_decay_per_second": 0.5})
        assert made["limit"] == 1 and made["slot_decay_per_second"] == 0.5 and made["active"]
        grant = backend.acquire_slots({"names": [name], "slots": 1, "mode": "rate_limit", "lease_duration": None})
        assert grant["granted"] and grant["lease_id"] is None and grant["limits"][0]["name"] == name
        refused = backend.acquire_slots({"names": [name], "slots": 1, "mode": "rate_limit"})
        assert not refused["granted"] and 0 < refused["retry_after"] <= 2.01
        with pytest.raises(ClientError, match="Slots requested is greater than the limit"):
            backend.acquire_slots({"names": [name], "slots": 2})
        with pytest.raises(NotFound, match="No lease"):
            backend.renew_lease("no-such-lease", 60)
        assert backend.update_global_limit(name, {"active": False})["active"] is False
        backend.delete_global_limit(name)
        with pytest.raises(NotFound, match=f"No global concurrency limit named '{name}'"):
            backend.get_global_limit(name)
    listed = local.list_global_limits()
    assert listed == remote.list_global_limits() and not {"a", "b"} & {x["name"] for x in listed}


def test_a_cancelled_async_waiter_leaves_no_slot_taken(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    from orchestr_lab.concurrency import asyncio as aconc

    backend = connect(engine=db_url)
    backend.create_global_limit({"name": "gpu", "limit": 1})
    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", db_url)

    async def main() -> None:
        async with aconc.concurrency("gpu"):
            waiter = asyncio.ensure_future(aconc.concurrency("gpu").__aenter__())
            await asyncio.sleep(0.3)
            waiter.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiter
        async with aconc.concurrency("gpu", timeout_seconds=5):  # the slot is free again
            pass

    asyncio.run(main())
    deadline = time.monotonic() + 5
    while backend.get_global_limit("gpu")["active_slots"]:
        assert time.monotonic() < deadline, "a cancelled waiter kept a slot"
        time.sleep(0.05)
