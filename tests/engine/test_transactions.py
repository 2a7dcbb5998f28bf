"""Transactions around task runs: staged results written on commit, rollback hooks, locks."""

from __future__ import annotations

import asyncio
import os
import pickle
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from orchestr_lab import flow, task
from orchestr_lab.cache_policies import INPUTS
from orchestr_lab.exceptions import ConfigurationError
from orchestr_lab.locking.filesystem import FileSystemLockManager
from orchestr_lab.locking.memory import MemoryLockManager
from orchestr_lab.results import ResultStore
from orchestr_lab.transactions import CommitMode, atransaction, get_transaction, transaction


def test_rollback_runs_the_hooks_of_every_staged_task_newest_first(tmp_path: Path) -> None:
    events: list[str] = []

    @task
    def write(name: str) -> str:
        (tmp_path / name).write_text("x")
        get_transaction().set("name", name)  # the task run's own transaction
        return name

    @write.on_rollback
    def undo(txn) -> None:
        events.append(f"undo {txn.get('name')} (outer {txn.get('outer')})")
        (tmp_path / txn.get("name")).unlink()

    @task
    def check() -> None:
        raise ValueError("bad data")

    @flow
    def pipeline() -> None:
        with transaction() as txn:
            txn.set("outer", "set outside")
            write("a.txt")
            write("b.txt")
            check()

    with pytest.raises(ValueError, match="bad data"):
        pipeline()
    assert events == ["undo b.txt (outer set outside)", "undo a.txt (outer set outside)"]
    assert not list(tmp_path.iterdir())


def test_records_are_written_when_the_outermost_transaction_commits(tmp_path: Path) -> None:
    calls: list[int] = []
    commits: list[str] = []

    @task(cache_policy=INPUTS, result_storage=str(tmp_path))
    def square(x: int) -> int:
        calls.append(x)
        return x * x

    square.on_commit(lambda txn: commits.append(txn.key))

    @flow
    def pipeline() -> list[str]:
        names = []
        with transaction():
            names.append(square(3, return_state=True).name)
            names.append(square(3, return_state=True).name)  # staged only: not visible yet
            assert not any(tmp_path.iterdir())
            assert commits == []
        names.append(square(3, return_state=True).name)  # committed now: a cache hit
        return names

    assert pipeline() == ["Completed", "Completed", "Cached"]
    assert calls == [3, 3]
    assert len(commits) == 2 and len(set(commits)) == 1  # both staged runs committed the same key
    assert [p.name for p in tmp_path.iterdir()] == [commits[0]]


def test_a_rolled_back_transaction_writes_no_record(tmp_path: Path) -> None:
    calls: list[int] = []

    @task(cache_policy=INPUTS, result_storage=str(tmp_path))
    def load(x: int) -> int:
        calls.append(x)
        return x

    @flow
    def pipeline() -> str:
        try:
            with transaction():
                load(1)
                raise RuntimeError("after the task")
        except RuntimeError:
            pass
        return load(1, return_state=True).name

    assert pipeline() == "Completed"
    assert calls == [1, 1]


def test_a_task_with_commit_hooks_commits_on_its_own_when_no_transaction_is_open() -> None:
    seen: list[object] = []

    @task(on_commit=[lambda txn: seen.append(txn.is_committed())])
    def step() -> int:
        seen.append("ran")
        return 1

    @flow
    def pipeline() -> int:
        result = step()
        seen.append("after")
        return result

    assert pipeline() == 1
    assert seen == ["ran", False, "after"]  # the hook runs before the commit completes


@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        (CommitMode.EAGER, ["commit", "after inner: COMMITTED", "outer: COMMITTED"]),
        (CommitMode.LAZY, ["after inner: STAGED", "commit", "outer: COMMITTED"]),
        (CommitMode.OFF, ["after inner: STAGED", "rollback", "outer: ROLLED_BACK"]),
    ],
)
def test_commit_modes(mode: CommitMode, expected: list[str]) -> None:
    events: list[str] = []
    with transaction(commit_mode=mode) as outer:
        with transaction() as inner:
            inner.stage(
                "v",
                on_commit_hooks=[lambda t: events.append("commit")],
                on_rollback_hooks=[lambda t: events.append("rollback")],
            )
        events.append(f"after inner: {inner.state.name}")
    events.append(f"outer: {outer.state.name}")
    assert events == expected


def test_a_keyed_transaction_runs_once_and_overwrite_runs_again(tmp_path: Path) -> None:
    store = ResultStore(tmp_path)
    with transaction(key="job", store=store) as txn:
        assert not txn.is_committed()
        txn.stage({"rows": 3})
    with transaction(key="job", store=store) as txn:
        assert txn.is_committed()
        assert txn.read().result == {"rows": 3}
    with transaction(key="job", store=store, overwrite=True) as txn:
        assert not txn.is_committed()
        txn.stage({"rows": 4})
    with transaction(key="job", store=store) as txn:
        assert txn.read().result == {"rows": 4}
    with transaction(key="dry", store=store, write_on_commit=False) as txn:
        txn.stage(1)
    with transaction(key="dry", store=store) as txn:
        assert not txn.is_committed()


def test_values_are_copies_and_children_see_their_parents() -> None:
    with transaction() as outer:
        outer.set("rows", [1])
        rows = outer.get("rows")
        rows.append(2)
        assert outer.get("rows") == [1]
        with transaction() as inner:
            assert inner.get("rows") == [1]
            assert inner.get("missing", "default") == "default"
            with pytest.raises(ValueError, match="missing"):
                inner.get("missing")


def test_result_storage_key_names_the_record_and_a_second_run_reads_it(tmp_path: Path) -> None:
    calls: list[int] = []

    @task(result_storage_key="reports/{parameters[day]}.pickle", result_storage=str(tmp_path))
    def report(day: int) -> dict[str, int]:
        calls.append(day)
        return {"day": day}

    @flow
    def pipeline() -> list[str]:
        return [report(1, return_state=True).name, report(1, return_state=True).name, report(2).__class__.__name__]

    assert pipeline() == ["Completed", "Cached", "dict"]
    assert calls == [1, 2]
    assert sorted(p.name for p in (tmp_path / "reports").iterdir()) == ["1.pickle", "2.pickle"]


def test_serializable_without_a_lock_manager_fails_the_task_run(tmp_path: Path) -> None:
    @task(cache_policy=INPUTS.configure(isolation_level="SERIALIZABLE"), result_storage=str(tmp_path))
    def step(x: int) -> int:
        return x

    state = step(1, return_state=True)
    assert state.is_failed()
    with pytest.raises(ConfigurationError, match="SERIALIZABLE"):
        state.result()
    store = ResultStore(tmp_path)
    with pytest.raises(ConfigurationError), transaction(key="k", store=store, isolation_level="SERIALIZABLE"):
        pass


def test_threads_with_a_memory_lock_run_a_serializable_task_once(tmp_path: Path) -> None:
    calls: list[int] = []
    policy = INPUTS.configure(lock_manager=MemoryLockManager(), isolation_level="SERIALIZABLE")

    @task(cache_policy=policy, result_storage=str(tmp_path))
    def slow(x: int) -> int:
        calls.append(x)
        time.sleep(0.3)
        return x + 1

    states: list[str] = []
    threads = [threading.Thread(target=lambda: states.append(slow(1, return_state=True).name)) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1]
    assert sorted(states) == ["Cached", "Cached", "Completed"]
    assert not MemoryLockManager().is_locked(slow.cache_policy.compute_key(None, {"x": 1}, {}) or "")


def test_async_tasks_take_part_in_a_transaction() -> None:
    events: list[str] = []

    @task(on_rollback=[lambda txn: events.append("rolled back")])
    async def fetch() -> int:
        await asyncio.sleep(0)
        return 1

    @task
    async def fail() -> None:
        raise ValueError("no")

    @flow
    async def pipeline() -> None:
        with transaction():
            await fetch()
            await fail()

    with pytest.raises(ValueError):
        asyncio.run(pipeline())
    assert events == ["rolled back"]


def test_async_keyed_transactions_wait_for_the_lock_without_blocking_the_loop(tmp_path: Path) -> None:
    store = ResultStore(tmp_path, lock_manager=MemoryLockManager())
    ran: list[str] = []

    async def job(name: str) -> None:
        async with atransaction(key="nightly", store=store, isolation_level="SERIALIZABLE") as txn:
            if txn.is_committed():
                return
            await asyncio.sleep(0.2)  # the other job waits for the lock meanwhile
            ran.append(name)
            txn.stage(name)

    async def both() -> None:
        await asyncio.gather(job("first"), job("second"))

    runner = threading.Thread(target=asyncio.run, args=(both(),), daemon=True)  # a blocked loop would hang
    runner.start()
    runner.join(10)
    assert not runner.is_alive(), "the second job blocked the event loop while waiting for the lock"
    assert ran == ["first"]
    assert not MemoryLockManager().is_locked("nightly")


def test_with_options_keeps_transaction_hooks_and_storage_key(tmp_path: Path) -> None:
    events: list[str] = []

    @task(result_storage_key="out-{parameters[x]}", result_storage=str(tmp_path))
    def step(x: int) -> int:
        return x

    step.on_commit(lambda txn: events.append(f"commit {txn.key}"))
    renamed = step.with_options(name="renamed")
    assert renamed(1) == 1
    assert events == ["commit out-1"]
    assert (tmp_path / "out-1").exists()


def test_memory_lock_manager_is_shared_and_honours_timeouts() -> None:
    locks = MemoryLockManager()
    assert MemoryLockManager() is locks
    assert pickle.loads(pickle.dumps(locks)) is locks  # a policy shipped to a worker keeps working
    assert locks.acquire_lock("k-mem", "a")
    assert locks.acquire_lock("k-mem", "a")  # again by its holder
    assert not locks.acquire_lock("k-mem", "b", acquire_timeout=0.05)
    assert locks.is_lock_holder("k-mem", "a") and not locks.is_lock_holder("k-mem", "b")
    with pytest.raises(ValueError):
        locks.release_lock("k-mem", "b")
    locks.release_lock("k-mem", "a")
    assert not locks.is_locked("k-mem") and locks.wait_for_lock("k-mem", 0)
    assert locks.acquire_lock("k-mem", "a", hold_timeout=0.05)
    assert locks.acquire_lock("k-mem", "b", acquire_timeout=1)  # the first hold expired
    locks.release_lock("k-mem", "b")


def test_file_lock_manager_locks_through_files(tmp_path: Path) -> None:
    locks = FileSystemLockManager(tmp_path / "locks")
    assert locks.acquire_lock("k", "a")
    assert [p.name for p in (tmp_path / "locks").iterdir()] == ["k.lock"]
    other = FileSystemLockManager(tmp_path / "locks")  # another process would see the same file
    assert other.is_locked("k") and not other.is_lock_holder("k", "b")
    assert not other.acquire_lock("k", "b", acquire_timeout=0.1)
    assert not other.wait_for_lock("k", 0.1)
    locks.release_lock("k", "a")
    assert other.wait_for_lock("k", 0) and not (tmp_path / "locks" / "k.lock").exists()
    with pytest.raises(ValueError, match="No lock"):
        locks.release_lock("k", "a")
    assert locks.acquire_lock("k2", "a", hold_timeout=0.05)
    time.sleep(0.1)
    assert not other.is_locked("k2")


WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from orchestr_lab import task
    from orchestr_lab.cache_policies import INPUTS
    from orchestr_lab.locking.filesystem import FileSystemLockManager

    base, me, isolation = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    policy = INPUTS.configure(lock_manager=FileSystemLockManager(base / "locks"), isolation_level=isolation)

    @task(cache_policy=policy, result_storage=str(base / "results"))
    def expensive(x):
        with open(base / "calls.txt", "a") as fh:
            fh.write(me + "\\n")
        time.sleep(1.0)
        return x * 2

    (base / f"ready-{me}").touch()
    while len(list(base.glob("ready-*"))) < 2:  # start together
        time.sleep(0.01)
    state = expensive(21, return_state=True)
    print(state.name, state.result())
    """
)


@pytest.mark.parametrize(("isolation", "runs"), [("SERIALIZABLE", 1), ("READ_COMMITTED", 2)])
def test_two_processes_computing_one_key(tmp_path: Path, isolation: str, runs: int) -> None:
    """SERIALIZABLE with a file lock manager: the second process waits for the lock, then reads
    the first one's record; without the lock both compute."""
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    procs = [
        subprocess.Popen(
            [sys.executable, str(script), str(tmp_path), name, isolation],
            env={**os.environ, "ORCHESTR_LAB_HOME": str(tmp_path / "home")},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("p1", "p2")
    ]
    outputs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        outputs.append(out.split())
    assert len((tmp_path / "calls.txt").read_text().split()) == runs
    assert all(result == "42" for _, result in outputs)
    if runs == 1:
        assert sorted(name for name, _ in outputs) == ["Cached", "Completed"]
        assert not list((tmp_path / "locks").iterdir())  # released


def test_key_storage_keeps_the_records_of_a_policy_elsewhere(tmp_path: Path) -> None:
    calls: list[int] = []

    @task(cache_policy=INPUTS.configure(key_storage=str(tmp_path / "keys")), result_storage=str(tmp_path / "res"))
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    assert [double(4, return_state=True).name, double(4, return_state=True).name] == ["Completed", "Cached"]
    assert calls == [4]
    assert len(list((tmp_path / "keys").iterdir())) == 1


def test_a_file_lock_whose_process_was_killed_is_free(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from orchestr_lab.locking.filesystem import FileSystemLockManager\n"
            "FileSystemLockManager(sys.argv[1]).acquire_lock('job', 'holder')\n"
            "print('held', flush=True)\n"
            "time.sleep(120)\n",
            str(tmp_path / "locks"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        locks = FileSystemLockManager(tmp_path / "locks")
        assert locks.is_locked("job")  # its process is alive
        assert not locks.acquire_lock("job", "me", acquire_timeout=0.2)
    finally:
        holder.kill()  # SIGKILL: no chance to release
        holder.communicate()
    assert locks.acquire_lock("job", "me", acquire_timeout=5)
    assert locks.is_lock_holder("job", "me")
