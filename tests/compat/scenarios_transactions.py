"""Parity scenarios for transactions, task commit/rollback hooks, result_storage_key and locks."""

import asyncio
import importlib
import pathlib
import tempfile
import threading
import time

from scenarios import NONCE, isa, scenario


def _mods(L):
    txn = importlib.import_module(f"{L.name}.transactions")
    memory = importlib.import_module(f"{L.name}.locking.memory")
    filesystem = importlib.import_module(f"{L.name}.locking.filesystem")
    return txn, memory, filesystem


def _exc(e):
    return {"isa": isa(e), "_info": f"{type(e).__name__}: {e}"}


@scenario
def txn_rollback_hooks_undo_side_effects(L):
    T, _, _ = _mods(L)
    folder = pathlib.Path(tempfile.mkdtemp())
    events = []

    @L.task
    def write_file(name):
        (folder / name).write_text("data")
        T.get_transaction().set("name", name)
        return name

    @write_file.on_rollback
    def delete_file(txn):
        events.append(("rollback", txn.get("name"), txn.get("run", None)))
        (folder / txn.get("name")).unlink()

    @L.task
    def quality_test():
        raise ValueError("Not enough data!")

    @L.flow
    def pipeline():
        with T.transaction() as txn:
            txn.set("run", "first")
            write_file("a.txt")
            write_file("b.txt")
            events.append(("before test", txn.state.name))
            quality_test()

    try:
        pipeline()
        raised = None
    except Exception as e:
        raised = _exc(e)
    return {"events": events, "raised": raised, "files_left": sorted(p.name for p in folder.iterdir())}


@scenario
def txn_commit_hooks_run_when_the_outer_transaction_commits(L):
    T, _, _ = _mods(L)
    events = []

    @L.task
    def step(x):
        T.get_transaction().set("x", x)
        events.append(("ran", x))
        return x

    @step.on_commit
    def committed(txn):
        events.append(("commit", txn.get("x"), txn.get("label"), txn.is_committed()))

    @L.flow
    def pipeline():
        with T.transaction() as txn:
            txn.set("label", "outer")
            step(1)
            step(2)
            events.append(("inside", txn.state.name, len(txn.children)))
        events.append(("after", txn.state.name, txn.is_committed()))
        step(3)  # no transaction open: the run commits on its own
        events.append("end")

    pipeline()
    return events


@scenario
def txn_a_caught_task_failure_still_rolls_back(L):
    T, _, _ = _mods(L)
    events = []

    @L.task
    def step(x):
        T.get_transaction().set("x", x)
        return x

    step.on_rollback(lambda txn: events.append(("rollback", txn.get("x"))))
    step.on_commit(lambda txn: events.append(("commit", txn.get("x"))))

    @L.task
    def bad():
        raise ValueError("no")

    @L.flow
    def pipeline():
        with T.transaction() as txn:
            step(1)
            state = bad(return_state=True)
            events.append(("after bad", txn.state.name, state.type.name))
            step(2)
        events.append(("end", txn.state.name))

    pipeline()
    return events


@scenario
def txn_records_are_written_on_commit(L):
    T, _, _ = _mods(L)
    calls = []

    @L.task(cache_policy=L.cache_policies.INPUTS, persist_result=True)
    def square(x, nonce):
        calls.append(x)
        return x * x

    @L.flow
    def pipeline():
        names = []
        with T.transaction():
            names.append(square(3, NONCE + "a", return_state=True).name)
            names.append(square(3, NONCE + "a", return_state=True).name)
        names.append(square(3, NONCE + "a", return_state=True).name)
        try:
            with T.transaction():
                square(4, NONCE + "a")
                raise RuntimeError("after the task")
        except RuntimeError:
            pass
        names.append(square(4, NONCE + "a", return_state=True).name)
        return names

    return {"names": pipeline(), "calls": calls}


@scenario
def txn_commit_modes(L):
    T, _, _ = _mods(L)
    out = {}
    for mode in (T.CommitMode.EAGER, T.CommitMode.LAZY, T.CommitMode.OFF):
        events = []
        with T.transaction(commit_mode=mode) as outer:
            with T.transaction() as inner:
                inner.stage(
                    "value",
                    on_commit_hooks=[lambda t, events=events: events.append("commit")],
                    on_rollback_hooks=[lambda t, events=events: events.append("rollback")],
                )
            events.append(("after inner", inner.state.name, inner.commit_mode.name))
        events.append(("outer", outer.state.name, inner.state.name))
        out[mode.name] = events
    with T.transaction() as plain:
        out["defaults"] = [plain.commit_mode.name, plain.isolation_level.name, plain.state.name, plain.key]
    out["after"] = plain.state.name
    return out


@scenario
def txn_nested_failure_rolls_back_the_parent(L):
    T, _, _ = _mods(L)
    events = []
    with T.transaction() as outer:
        outer.stage(1, on_rollback_hooks=[lambda t: events.append("outer rollback")])
        try:
            with T.transaction() as inner:
                inner.stage(2, on_rollback_hooks=[lambda t: events.append("inner rollback")])
                raise KeyError("x")
        except KeyError:
            events.append("caught")
        events.append(("outer", outer.state.name, inner.state.name))
    events.append(("end", outer.state.name))
    return events


@scenario
def txn_keyed_transactions_run_once(L):
    T, _, _ = _mods(L)
    key = f"download-{NONCE}"
    out = []
    with T.transaction(key=key) as txn:
        out.append(("first", txn.is_committed()))
        txn.stage({"rows": 3})
    with T.transaction(key=key) as txn:
        out.append(("second", txn.is_committed(), txn.read().result))
    with T.transaction(key=key, overwrite=True) as txn:
        out.append(("overwrite", txn.is_committed()))
        txn.stage({"rows": 4})
    with T.transaction(key=key) as txn:
        out.append(("third", txn.read().result))
    with T.transaction(key=key + "-dry", write_on_commit=False) as txn:
        txn.stage(1)
    with T.transaction(key=key + "-dry") as txn:
        out.append(("write_on_commit=False", txn.is_committed()))
    with T.transaction(key=key + "-empty") as txn:
        pass
    with T.transaction(key=key + "-empty") as txn:
        out.append(("nothing staged", txn.is_committed(), txn.read().result))
    return out


@scenario
def txn_values(L):
    T, _, _ = _mods(L)
    out = {"outside": T.get_transaction()}
    with T.transaction() as outer:
        outer.set("rows", [1])
        rows = outer.get("rows")
        rows.append(2)
        out["copy"] = outer.get("rows")
        with T.transaction() as inner:
            out["active_is_inner"] = T.get_transaction() is inner
            out["from_parent"] = inner.get("rows")
            inner.set("rows", [9])
            out["shadowed"] = [inner.get("rows"), outer.get("rows")]
            out["default"] = inner.get("missing", "dflt")
            try:
                inner.get("missing")
            except Exception as e:
                out["missing"] = _exc(e)
    return out


@scenario
def txn_result_storage_key(L):
    folder = pathlib.Path(tempfile.mkdtemp())
    calls = []

    @L.task(result_storage_key="reports-" + NONCE + "/{parameters[day]}.pickle", result_storage=folder)
    def report(day):
        calls.append(day)
        return {"day": day}

    @L.flow
    def pipeline():
        s1 = report(1, return_state=True)
        s2 = report(1, return_state=True)
        s3 = report(2, return_state=True)
        return [s1.name, s2.name, s3.name, s2.result()]

    first = pipeline()
    second = pipeline()
    return {
        "first": first,
        "second": second,
        "calls": calls,
        "files": sorted(p.name for p in (folder / f"reports-{NONCE}").iterdir()),
    }


@scenario
def txn_serializable_needs_a_lock_manager(L):
    T, _, _ = _mods(L)
    out = {}
    try:
        with T.transaction(key=f"ser-{NONCE}", isolation_level=T.IsolationLevel.SERIALIZABLE):
            out["entered"] = True
    except Exception as e:
        out["transaction"] = _exc(e)
    with T.transaction(isolation_level=T.IsolationLevel.SERIALIZABLE) as txn:
        out["without_key"] = txn.isolation_level.name

    @L.task(cache_policy=L.cache_policies.INPUTS.configure(isolation_level="SERIALIZABLE"), persist_result=True)
    def step(x):
        return x

    state = step(NONCE, return_state=True)
    out["task_state"] = state.type.name
    try:
        state.result()
    except Exception as e:
        out["task_error"] = _exc(e)
    return out


@scenario
def txn_serializable_threads_run_once(L):
    _, memory, _ = _mods(L)
    calls = []
    policy = L.cache_policies.INPUTS.configure(lock_manager=memory.MemoryLockManager(), isolation_level="SERIALIZABLE")

    @L.task(cache_policy=policy, persist_result=True)
    def slow(x):
        calls.append(x)
        time.sleep(0.5)
        return len(x)

    states = []
    lock = threading.Lock()

    def worker():
        state = slow(NONCE, return_state=True)
        with lock:
            states.append((state.name, state.result()))

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"calls": len(calls), "states": sorted(states)}


@scenario
def txn_cache_policy_configure(L):
    _, memory, _ = _mods(L)
    CP = L.cache_policies
    locks = memory.MemoryLockManager()
    p = CP.INPUTS.configure(lock_manager=locks, isolation_level="SERIALIZABLE", key_storage="/tmp/keys")
    out = {
        "configured": [p.isolation_level, p.lock_manager is locks, p.key_storage],
        "original": [CP.INPUTS.isolation_level, CP.INPUTS.lock_manager, CP.INPUTS.key_storage],
        "sum": [(p + CP.TASK_SOURCE).isolation_level, (CP.TASK_SOURCE + p).lock_manager is locks],
        "singleton": memory.MemoryLockManager() is locks,
    }
    try:
        p + CP.TASK_SOURCE.configure(isolation_level="READ_COMMITTED")
    except Exception as e:
        out["conflict"] = _exc(e)
    return out


@scenario
def txn_lock_managers(L):
    _, memory, filesystem = _mods(L)
    out = {}
    m = memory.MemoryLockManager()
    k = "lock-key"  # memory locks live in this process only; file locks in a new folder
    out["memory"] = [
        m.acquire_lock(k, "h1"),
        m.is_locked(k),
        m.is_lock_holder(k, "h1"),
        m.is_lock_holder(k, "h2"),
        m.acquire_lock(k, "h2", acquire_timeout=0.1),
        m.acquire_lock(k, "h1"),
        m.wait_for_lock(k, 0.1),
    ]
    m.release_lock(k, "h1")
    out["memory_after"] = [m.is_locked(k), m.wait_for_lock(k)]
    try:
        m.release_lock(k, "h1")
    except Exception as e:
        out["memory_release_twice"] = _exc(e)
    folder = pathlib.Path(tempfile.mkdtemp()) / "locks"
    f = filesystem.FileSystemLockManager(lock_files_directory=folder)
    out["files"] = [
        f.acquire_lock(k, "h1"),
        f.is_locked(k),
        sorted(p.name for p in folder.iterdir()) == [f"{k}.lock"],
        f.acquire_lock(k, "h2", acquire_timeout=0.2),
        f.wait_for_lock(k, 0.2),
    ]
    f.release_lock(k, "h1")
    out["files_after"] = [f.is_locked(k), f.wait_for_lock(k), list(folder.iterdir())]
    try:
        f.release_lock(k, "h1")
    except Exception as e:
        out["files_release_twice"] = _exc(e)
    out["expires"] = [f.acquire_lock(k + "x", "h1", hold_timeout=0.1), time.sleep(0.3), f.is_locked(k + "x")]
    return out


@scenario
def txn_retried_task_in_a_transaction(L):
    T, _, _ = _mods(L)
    events = []
    attempts = []

    @L.task(retries=1)
    def flaky():
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("first attempt")
        return "ok"

    flaky.on_commit(lambda t: events.append("commit"))
    flaky.on_rollback(lambda t: events.append("rollback"))

    @L.flow
    def pipeline():
        with T.transaction() as txn:
            value = flaky()
            events.append(("after task", txn.state.name))
        events.append(("end", txn.state.name))
        return value

    return {"result": pipeline(), "events": events, "attempts": len(attempts)}


@scenario
def txn_hook_errors(L):
    T, _, _ = _mods(L)
    events = []

    def broken(txn):
        events.append("broken hook")
        raise RuntimeError("hook failed")

    @L.task
    def step():
        return 1

    step.on_commit(broken)

    @L.flow
    def pipeline():
        with T.transaction() as txn:
            state = step(return_state=True)
        events.append(("after", txn.state.name, state.type.name))

    pipeline()
    with T.transaction() as outer:
        outer.stage(1, on_rollback_hooks=[broken, lambda t: events.append("second hook")])
    with T.transaction(commit_mode=T.CommitMode.OFF) as off:
        off.stage(1, on_rollback_hooks=[lambda t: events.append("first hook"), broken])
    events.append(("off", off.state.name))
    return events


@scenario
def txn_submitted_and_mapped_tasks_take_part(L):
    T, _, _ = _mods(L)
    events = []
    lock = threading.Lock()

    @L.task
    def step(x):
        T.get_transaction().set("x", x)
        return x

    @step.on_rollback
    def undo(txn):
        with lock:
            events.append(("rollback", txn.get("x")))

    @step.on_commit
    def done(txn):
        with lock:
            events.append(("commit", txn.get("x")))

    @L.task
    def bad():
        raise ValueError("no")

    @L.flow
    def good():
        with T.transaction():
            futures = step.map([1, 2, 3])
            futures.wait()
            step.submit(4).wait()

    @L.flow
    def failing():
        with T.transaction():
            step.map([5, 6]).wait()
            bad.submit().result()

    good()
    committed = sorted(events)
    events.clear()
    try:
        failing()
    except ValueError:
        events.append("raised")
    return {
        "committed": committed,
        "rolled_back": sorted(e for e in events if e != "raised"),
        "raised": "raised" in events,
    }


@scenario
def txn_get_transaction_inside_a_plain_task(L):
    T, _, _ = _mods(L)
    calls = []

    @L.task
    def plain(x):
        txn = T.get_transaction()
        txn.set("x", x)
        return [txn is T.get_transaction(), txn.key is not None, txn.state.name, txn.get("x")]

    @L.task(timeout_seconds=5)
    async def plain_async(x):
        txn = T.get_transaction()
        txn.set("x", x)
        return [txn.state.name, txn.get("x")]

    @L.task(cache_policy=L.cache_policies.INPUTS)
    def cached(x, nonce):
        calls.append(x)
        return [T.get_transaction().state.name]

    @L.flow
    def pipeline():
        return {
            "plain": plain(1),
            "cached": [cached(3, NONCE + "plain", return_state=True).name for _ in range(2)],
            "after": T.get_transaction(),
        }

    @L.flow
    async def pipeline_async():
        return await plain_async(2)

    return {**pipeline(), "async": asyncio.run(pipeline_async()), "outside": T.get_transaction(), "calls": calls}


@scenario
def txn_serializable_docs_race(L):
    """Prefect's documented race: two threads run a keyed SERIALIZABLE transaction; one does the work."""
    T, _, filesystem = _mods(L)
    results = importlib.import_module(f"{L.name}.results")
    folder = pathlib.Path(tempfile.mkdtemp())
    key = f"race-{NONCE}"
    outcomes = []

    @L.task
    def download_data():
        time.sleep(0.3)
        return "data"

    @L.task
    def write_file(contents):
        (folder / "out.txt").write_text(contents + "\n")

    @L.flow
    def pipeline(transaction_key):
        store = results.ResultStore(
            lock_manager=filesystem.FileSystemLockManager(lock_files_directory=folder / "locks")
        )
        with T.transaction(key=transaction_key, isolation_level=T.IsolationLevel.SERIALIZABLE, store=store) as txn:
            if txn.is_committed():
                outcomes.append("exited early")
                return
            write_file(download_data())
            outcomes.append("wrote")

    threads = [threading.Thread(target=pipeline, args=(key,)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"outcomes": sorted(outcomes), "locks_left": sorted(p.name for p in (folder / "locks").iterdir())}


@scenario
def txn_docs_serializable_cache_two_tasks(L):
    """Prefect's caching docs: two tasks sharing an INPUTS policy with SERIALIZABLE isolation and a
    MemoryLockManager, started together on two threads: one runs, the other reads its value."""
    T, memory, _ = _mods(L)
    ran = []
    policy = L.cache_policies.INPUTS.configure(
        isolation_level=T.IsolationLevel.SERIALIZABLE, lock_manager=memory.MemoryLockManager()
    )

    @L.task(cache_policy=policy)
    def version_1(x, nonce):
        ran.append(1)
        time.sleep(0.3)
        return x + 42

    @L.task(cache_policy=policy)
    def version_2(x, nonce):
        ran.append(2)
        time.sleep(0.3)
        return x + 43

    results = []
    threads = [
        threading.Thread(target=lambda fn=fn: results.append(fn(2, NONCE + "docs"))) for fn in (version_1, version_2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"runs": len(ran), "same_value": len(set(results)) == 1, "values": len(results)}
