"""Caching: keys from policies or a key function, expiration, and hits across processes."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from orchestr_lab import flow, task
from orchestr_lab.cache_policies import INPUTS, NONE, TASK_SOURCE
from orchestr_lab.states import State


def make_counter():
    calls: list[object] = []
    return calls


def test_cache_key_fn_hits_within_and_across_flow_runs() -> None:
    calls = make_counter()

    @task(cache_key_fn=lambda ctx, params: f"square-{params['x']}")
    def square(x: int) -> int:
        calls.append(x)
        return x * x

    @flow
    def f(x: int) -> dict:
        return {"first": square(x, return_state=True), "second": square(x, return_state=True)}

    out = f(7)
    assert out["first"].name == "Completed" and out["second"].name == "Cached"
    assert out["second"].result() == 49
    again = f(7)
    assert again["first"].name == "Cached"
    assert calls == [7]


def test_inputs_policy_hits_same_inputs_misses_different() -> None:
    calls = make_counter()

    @task(cache_policy=INPUTS)
    def double(x: int) -> int:
        calls.append(x)
        return 2 * x

    @flow
    def f() -> list[int]:
        return [double(1), double(1), double(2)]

    assert f() == [2, 2, 4]
    assert calls == [1, 2]


def test_inputs_minus_a_name_ignores_that_input() -> None:
    calls = make_counter()

    @task(cache_policy=INPUTS - "noise")
    def t(x: int, noise: int) -> int:
        calls.append(noise)
        return x

    @flow
    def f() -> None:
        t("minus-test", 1)
        t("minus-test", 2)

    f()
    assert calls == [1]


def test_task_source_policy_changes_with_the_code() -> None:
    @task(cache_policy=TASK_SOURCE, persist_result=True)
    def v1() -> str:
        return "one"

    @task(cache_policy=TASK_SOURCE, persist_result=True, name="v1")
    def v2() -> str:
        return "two"

    @flow
    def f() -> tuple:
        return v1(), v1(return_state=True).name, v2()

    assert f() == ("one", "Cached", "two")


def test_combined_policy_and_none() -> None:
    calls = make_counter()

    @task(cache_policy=INPUTS + TASK_SOURCE)
    def combined(x: int) -> int:  # TASK_SOURCE keeps its key apart from other tasks' INPUTS
        calls.append(("c", x))
        return x

    @task(cache_policy=NONE, persist_result=True)
    def never(x: int) -> int:
        calls.append(("n", x))
        return x

    @flow
    def f() -> None:
        combined(3)
        combined(3)
        never(3)
        never(3)

    f()
    assert calls == [("c", 3), ("n", 3), ("n", 3)]


def test_cache_expiration() -> None:
    calls = make_counter()
    key = f"exp-{time.time()}"

    @task(cache_key_fn=lambda c, p: key, cache_expiration=dt.timedelta(seconds=0.3))
    def t() -> int:
        calls.append(1)
        return len(calls)

    @flow
    def f() -> State:
        return {"s": t(return_state=True)}

    assert f()["s"].name == "Completed"
    assert f()["s"].name == "Cached"
    time.sleep(0.35)
    assert f()["s"].name == "Completed"
    assert len(calls) == 2


def test_refresh_cache_recomputes() -> None:
    calls = make_counter()
    key = f"refresh-{time.time()}"

    @task(cache_key_fn=lambda c, p: key)
    def t() -> int:
        calls.append(1)
        return len(calls)

    @flow
    def f() -> int:
        return t()

    assert f() == 1 and f() == 1
    assert f.with_options() and t.with_options(refresh_cache=True)
    refreshed = t.with_options(refresh_cache=True)

    @flow
    def g() -> int:
        return refreshed()

    assert g() == 2


def test_cache_survives_a_process_restart(tmp_path: Path, orchestr_home: Path) -> None:
    """A kernel restart is a new process: the second process must hit the first one's cache."""
    marker = tmp_path / "calls.txt"
    script = tmp_path / "job.py"
    script.write_text(
        textwrap.dedent(
            f"""
            from pathlib import Path
            from orchestr_lab import flow, task

            @task(cache_key_fn=lambda ctx, p: "restart-" + str(p["n"]))
            def expensive(n):
                with open({str(marker)!r}, "a") as fh:
                    fh.write("x")
                return n * 10

            @flow
            def job(n: int):
                s = expensive(n, return_state=True)
                print(s.name, s.result())

            job(4)
            """
        )
    )
    env = {**os.environ, "ORCHESTR_LAB_HOME": str(orchestr_home)}
    outs = [
        subprocess.run([sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=120)
        for _ in range(2)
    ]
    assert [o.returncode for o in outs] == [0, 0], outs[0].stderr + outs[1].stderr
    assert outs[0].stdout.split() == ["Completed", "40"]
    assert outs[1].stdout.split() == ["Cached", "40"]
    assert marker.read_text() == "x"
