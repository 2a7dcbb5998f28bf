"""Parity scenarios: small programs written against Prefect 3's public API.

Each scenario takes ``L`` (the library under test, see :func:`load_library`) and returns a
JSON-able observation of what the library did: return values, state types and names, exception
classes, call counts, hook order... ``run_scenarios.py`` runs them all; the observations made under
Prefect 3.9.1 are the reference (``prefect_3_9_1.json``) that ``test_prefect_parity.py`` holds
orchestr_lab to.

The library is chosen by ``ORCHESTR_COMPAT_LIB`` (``prefect`` or ``orchestr_lab``); the same code
runs under both, importing only Prefect's public names, re-rooted at the chosen package:
``<lib>.flow``, ``.task``, ``.unmapped``, ``.get_run_logger``, ``.runtime``, and the modules
``<lib>.states``, ``.tasks``, ``.cache_policies``, ``.futures``, ``.task_runners``.

Observation conventions (the comparison in test_prefect_parity.py relies on them):

* Everything is compared exactly, except:
* ``"_info"`` keys: facts worth seeing (library-specific class names, exact message texts,
  Prefect-internal state names) that are shown in a failure but never compared.
* keys ending in ``"_isa"``: the builtin exception classes an exception is an instance of; the
  reference list must be a subset of the observed one (an ``except TypeError`` that catches
  Prefect's error must catch ours; being *also* a ValueError is allowed).
* numbers compare by value (``2 == 2.0``); booleans are not numbers.

Exceptions raised by scenario code use ``UserError`` (defined here), whose class and message are
compared exactly; any other exception (Prefect's own classes, and builtins a library raises) is
observed by the builtin classes it is an instance of, with its class name and message in
``_info``.

Observations are deterministic: no ids, no timestamps, durations only as coarse booleans, and
run names described by the patterns they match, not their text.
"""

# No `from __future__ import annotations`: flows here annotate parameters with local classes,
# which a library can only resolve when annotations are real objects (as in most user code).
import asyncio
import contextlib
import datetime
import importlib
import io
import os
import re
import threading
import time
import types
import uuid
from collections.abc import Callable
from typing import Any

LIB_ENV = "ORCHESTR_COMPAT_LIB"

SCENARIOS: dict[str, Callable[[Any], Any]] = {}

# distinguishes this process's cache keys from any earlier run's (never part of an observation)
NONCE = uuid.uuid4().hex[:12]


def scenario(fn: Callable[[Any], Any]) -> Callable[[Any], Any]:
    if fn.__name__ in SCENARIOS:
        raise ValueError(f"two scenarios are named {fn.__name__!r}")
    SCENARIOS[fn.__name__] = fn
    return fn


def load_topics() -> dict[str, list[str]]:
    """Import every ``scenarios_<topic>.py`` beside this file (each registers its scenarios with
    :func:`scenario`); topic -> its scenario names, ``core`` for the ones defined here."""
    import pathlib
    import sys

    topics = {"core": [n for n, fn in SCENARIOS.items() if fn.__module__ == __name__]}
    sys.modules.setdefault("scenarios", sys.modules[__name__])  # topics import this module by that name
    for path in sorted(pathlib.Path(__file__).parent.glob("scenarios_*.py")):
        module = importlib.import_module(path.stem)
        topics[path.stem.removeprefix("scenarios_")] = [
            n for n, fn in SCENARIOS.items() if fn.__module__ == module.__name__
        ]
    return topics


def load_library(name: str | None = None) -> types.SimpleNamespace:
    """The public names of the library under test, Prefect's import paths re-rooted at it."""
    name = name or os.environ.get(LIB_ENV, "prefect")
    if name not in ("prefect", "orchestr_lab"):
        raise ValueError(f"{LIB_ENV} must be prefect or orchestr_lab, not {name!r}")
    root = importlib.import_module(name)

    def sub(mod: str):
        return importlib.import_module(f"{name}.{mod}")

    return types.SimpleNamespace(
        name=name,
        root=root,
        flow=root.flow,
        task=root.task,
        unmapped=root.unmapped,
        get_run_logger=root.get_run_logger,
        runtime=sub("runtime"),
        states=sub("states"),
        tasks=sub("tasks"),
        cache_policies=sub("cache_policies"),
        futures=sub("futures"),
        task_runners=sub("task_runners"),
    )


# ----------------------------------------------------------------------------- helpers

_BUILTIN_EXC = (TimeoutError, TypeError, ValueError, RuntimeError, KeyError, AttributeError, LookupError, OSError)


def isa(e: BaseException) -> list[str]:
    return sorted(c.__name__ for c in _BUILTIN_EXC if isinstance(e, c))


class UserError(Exception):
    """Raised by scenario code (not by the library): must come back as itself."""


def user_exc(e: BaseException) -> dict:
    """An exception of a class defined here (UserError): class and message must survive as is."""
    return {"type": type(e).__name__, "msg": str(e)}


def lib_exc(e: BaseException) -> dict:
    """Any other exception: the builtin classes it is an instance of are compared (the reference
    must be a subset: an ``except KeyError`` that catches Prefect's must catch ours); its class
    name and message are informative only."""
    return {"raised": True, "exc_isa": isa(e), "_info": {"type": type(e).__name__, "msg": str(e)[:500]}}


def exc(e: BaseException) -> dict:
    """Either of the above, by where the class comes from."""
    if type(e).__module__ == __name__:
        return user_exc(e)
    return lib_exc(e)


def raises(fn: Callable[[], Any]) -> dict:
    """Call fn; {"returned": value} or the observation of what it raised."""
    try:
        v = fn()
    except BaseException as e:  # noqa: BLE001 - observing is the point
        if isinstance(e, (KeyboardInterrupt, SystemExit)):
            raise
        return {"raised": exc(e)}
    return {"returned": jsonable(v)}


def jsonable(v: Any) -> Any:
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, (list, tuple)):
        return [jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): jsonable(x) for k, x in v.items()}
    if isinstance(v, BaseException):
        return {"exception": exc(v)}
    if is_state(v):
        return {"state": state_obs(v)}
    return {"object": type(v).__name__}


def is_state(v: Any) -> bool:
    return hasattr(v, "is_completed") and hasattr(v, "type") and hasattr(v, "name")


def state_obs(s: Any, result: bool = False) -> dict:
    t = s.type
    out = {"type": getattr(t, "name", str(t)), "name": s.name}
    if result:
        out["result"] = raises(lambda: s.result(raise_on_failure=False))
    return out


def name_shape(name: str | None, known: str | None = None) -> str | None:
    """A run name reduced to a pattern, deterministically.

    ``known`` (the task or flow name) is kept as ``{name}``; then a 3-character hex suffix is
    ``<hex3>`` (checked first: Prefect's random suffixes may be all digits or all letters), other
    numbers ``<int>``, two lowercase words ``<word>-<word>`` (a coolname-style run name).
    """
    if name is None:
        return None
    prefix, rest = "", name
    if known and name.startswith(known):
        prefix, rest = "{name}", name[len(known) :]
    if rest == "":
        return prefix
    m = re.fullmatch(r"([-_ ])([0-9a-f]{3})", rest)
    if m and prefix:
        return f"{prefix}{m.group(1)}<hex3>"
    if not prefix and re.fullmatch(r"[a-z]+-[a-z]+", rest):
        return "<word>-<word>"
    return prefix + re.sub(r"[0-9]+", "<int>", rest)


@contextlib.contextmanager
def capture_stdout():
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        yield buf


class Counter:
    def __init__(self) -> None:
        self.n = 0
        self.lock = threading.Lock()

    def hit(self) -> int:
        with self.lock:
            self.n += 1
            return self.n


def prefect_state_name_inside() -> str | None:
    """Prefect only: the task run's state name as seen from inside the task (for _info)."""
    try:
        from prefect.context import TaskRunContext  # type: ignore

        ctx = TaskRunContext.get()
        return ctx.task_run.state.name if ctx and ctx.task_run and ctx.task_run.state else None
    except Exception:  # noqa: BLE001
        return None


# ----------------------------------------------------------------------------- basics


@scenario
def basic_flow_and_task(L):
    @L.task
    def inc(x):
        return x + 1

    @L.flow
    def f(x):
        return inc(inc(x))

    return {"result": f(1), "flow_name": f.name, "task_name": inc.name}


@scenario
def default_names_with_underscores(L):
    @L.task
    def my_task_fn():
        return 1

    @L.flow
    def my_flow_fn():
        return my_task_fn()

    named_t = L.task(name="Custom Task")(lambda: 1)
    named_f = L.flow(name="Custom Flow")(lambda: 1)
    return {
        "flow_name": my_flow_fn.name,
        "task_name": my_task_fn.name,
        "custom_flow": named_f.name,
        "custom_task": named_t.name,
    }


@scenario
def task_exception_propagates(L):
    calls = Counter()

    @L.task
    def boom():
        calls.hit()
        raise UserError("boom")

    @L.flow
    def f():
        return boom()

    return {"call": raises(f), "calls": calls.n}


@scenario
def task_fn_attribute_bypasses_engine(L):
    @L.task
    def inc(x):
        return x + 1

    @L.flow
    def f(x):
        return x * 2

    return {"task_fn": inc.fn(1), "flow_fn": f.fn(2)}


@scenario
def nested_task_in_task(L):
    @L.task
    def inner(x):
        return x + 1

    @L.task
    def outer(x):
        return inner(x) * 10

    @L.flow
    def f():
        return outer(1)

    return {"result": raises(f)}


# ----------------------------------------------------------------------------- retries


@scenario
def retries_number(L):
    calls = Counter()
    run_counts = []
    inside_names = []

    @L.task(retries=2, retry_delay_seconds=0)
    def flaky():
        n = calls.hit()
        run_counts.append(L.runtime.task_run.run_count)
        inside_names.append(prefect_state_name_inside())
        if n < 3:
            raise UserError(f"attempt {n}")
        return "ok"

    @L.flow
    def f():
        s = flaky(return_state=True)
        return state_obs(s, result=True)

    out = f()
    return {
        "state": out,
        "calls": calls.n,
        "task_run_count_per_attempt": run_counts,
        "retries_attr": flaky.retries,
        "_info": {"prefect_state_name_inside_task_per_attempt": inside_names if L.name == "prefect" else None},
    }


@scenario
def retries_exhausted(L):
    calls = Counter()

    @L.task(retries=2, retry_delay_seconds=0)
    def always():
        calls.hit()
        raise UserError("always")

    @L.flow
    def f():
        return state_obs(always(return_state=True), result=True)

    @L.flow
    def g():
        return always()

    a = f()
    n1 = calls.n
    b = raises(g)
    return {"state": a, "calls_first_flow": n1, "second_flow": b, "calls_total": calls.n}


@scenario
def retries_delay_list(L):
    calls = Counter()
    inside_names = []

    @L.task(retries=3, retry_delay_seconds=[0.2, 0.2, 0.2])
    def flaky():
        n = calls.hit()
        inside_names.append(prefect_state_name_inside())
        if n < 4:
            raise UserError("again")
        return n

    @L.flow
    def f():
        return flaky()

    t0 = time.perf_counter()
    res = f()
    elapsed = time.perf_counter() - t0
    return {
        "result": res,
        "calls": calls.n,
        "retry_delay_seconds_attr": flaky.retry_delay_seconds,
        "waited_at_least_0_5s": elapsed >= 0.5,
        "_info": {"prefect_state_name_inside_task_per_attempt": inside_names if L.name == "prefect" else None},
    }


@scenario
def retries_exponential_backoff(L):
    eb = L.tasks.exponential_backoff

    @L.task(retries=4, retry_delay_seconds=eb(backoff_factor=2))
    def t1():
        return 1

    @L.task(retries=3, retry_delay_seconds=eb(backoff_factor=0.5))
    def t2():
        return 1

    calls = Counter()

    @L.task(retries=2, retry_delay_seconds=eb(backoff_factor=0.01))
    def t3():
        if calls.hit() < 3:
            raise UserError("x")
        return "done"

    @L.flow
    def f():
        return t3()

    return {
        "delays_factor_2_retries_4": t1.retry_delay_seconds,
        "delays_factor_0_5_retries_3": t2.retry_delay_seconds,
        "small_backoff_runs": f(),
        "calls": calls.n,
    }


@scenario
def retries_many_delays_rejected(L):
    def make():
        @L.task(retries=60, retry_delay_seconds=[0] * 60)
        def t():
            return 1

        return t.retry_delay_seconds

    return raises(make)


@scenario
def retry_jitter_factor(L):
    calls = Counter()

    @L.task(retries=1, retry_delay_seconds=0.1, retry_jitter_factor=0.5)
    def flaky():
        if calls.hit() == 1:
            raise UserError("x")
        return "ok"

    @L.flow
    def f():
        return flaky()

    def negative():
        @L.task(retries=1, retry_jitter_factor=-1)
        def t():
            return 1

        return t.retry_jitter_factor

    return {
        "result": f(),
        "calls": calls.n,
        "attr": flaky.retry_jitter_factor,
        "negative_jitter": raises(negative),
    }


@scenario
def retry_condition_fn_refuses(L):
    calls = Counter()
    seen = []

    def only_value_errors(task, task_run, state):
        seen.append(
            {
                "nargs": 3,
                "task_name": getattr(task, "name", None),
                "state_type": state.type.name,
                "state_name": state.name,
                "_info": {"task_run_type": type(task_run).__name__, "state_class": type(state).__name__},
            }
        )
        try:
            state.result()
        except ValueError:
            return True
        except Exception:  # noqa: BLE001
            return False
        return False

    @L.task(retries=3, retry_delay_seconds=0, retry_condition_fn=only_value_errors)
    def typed():
        n = calls.hit()
        if n == 1:
            raise ValueError("retry me")
        raise TypeError("do not retry me")

    @L.flow
    def f():
        return state_obs(typed(return_state=True), result=True)

    refused = Counter()

    @L.task(retries=3, retry_delay_seconds=0, retry_condition_fn=lambda t, r, s: False)
    def never():
        refused.hit()
        raise UserError("never retried")

    @L.flow
    def g():
        return never()

    return {
        "mixed": f(),
        "mixed_calls": calls.n,
        "condition_calls": seen,
        "refusing": raises(g),
        "refusing_calls": refused.n,
    }


# ----------------------------------------------------------------------------- timeouts


@scenario
def task_timeout(L):
    started = Counter()

    @L.task(timeout_seconds=0.5)
    def slow():
        started.hit()
        time.sleep(3)
        return "late"

    @L.flow
    def f():
        s = slow(return_state=True)
        return state_obs(s, result=True)

    @L.flow
    def g():
        return slow()

    t0 = time.perf_counter()
    a = f()
    stopped_early = time.perf_counter() - t0 < 2.5
    b = raises(g)
    return {"state": a, "stopped_before_sleep_ended": stopped_early, "raised_in_flow": b, "attempts": started.n}


@scenario
def task_timeout_with_retry(L):
    started = Counter()

    @L.task(timeout_seconds=0.3, retries=1, retry_delay_seconds=0)
    def slow_once():
        if started.hit() == 1:
            time.sleep(2)
        return "second attempt"

    @L.flow
    def f():
        return slow_once()

    return {"call": raises(f), "attempts": started.n}


@scenario
def flow_timeout(L):
    @L.flow(timeout_seconds=0.5)
    def slow():
        time.sleep(3)
        return "late"

    t0 = time.perf_counter()
    state = slow(return_state=True)
    early = time.perf_counter() - t0 < 2.5
    return {
        "state": state_obs(state, result=True),
        "stopped_before_sleep_ended": early,
        "call": raises(slow),
    }


# ----------------------------------------------------------------------------- caching


@scenario
def cache_key_fn_within_and_across_flows(L):
    calls = Counter()
    key = f"ck-{NONCE}"

    @L.task(cache_key_fn=lambda ctx, params: f"{key}-{params['x']}")
    def expensive(x):
        calls.hit()
        return x * 10

    @L.flow
    def f(x):
        a = expensive(x, return_state=True)
        b = expensive(x, return_state=True)
        return [state_obs(a, result=True), state_obs(b, result=True)]

    first = f(1)
    second = f(1)
    other = f(2)
    return {"first_flow": first, "second_flow": second, "other_input": other, "calls": calls.n}


def _policy_scenario(L, policy_of: Callable[[Any], Any]):
    cp = L.cache_policies
    calls = Counter()

    @L.task(cache_policy=policy_of(cp))
    def t(x, nonce):
        calls.hit()
        return x

    @L.flow
    def f():
        same1 = t(1, NONCE, return_state=True)
        same2 = t(1, NONCE, return_state=True)
        diff = t(2, NONCE, return_state=True)
        return {
            "first": state_obs(same1, result=True),
            "same_inputs": state_obs(same2, result=True),
            "different_inputs": state_obs(diff, result=True),
        }

    out = f()
    out["calls"] = calls.n
    return out


@scenario
def cache_policy_inputs(L):
    return _policy_scenario(L, lambda cp: cp.INPUTS)


@scenario
def cache_policy_task_source(L):
    return _policy_scenario(L, lambda cp: cp.TASK_SOURCE)


@scenario
def cache_policy_none(L):
    return _policy_scenario(L, lambda cp: cp.NONE)


@scenario
def cache_policy_inputs_plus_task_source(L):
    return _policy_scenario(L, lambda cp: cp.INPUTS + cp.TASK_SOURCE)


@scenario
def cache_default_policy_across_flows(L):
    """No cache option at all: does a second flow run reuse the first's task result?"""
    calls = Counter()

    @L.task
    def plain(x):
        calls.hit()
        return x

    @L.flow
    def f():
        return state_obs(plain(1, return_state=True))

    return {"first": f(), "second": f(), "calls": calls.n}


@scenario
def cache_expiration(L):
    calls = Counter()
    key = f"exp-{NONCE}"

    @L.task(cache_key_fn=lambda ctx, params: key, cache_expiration=datetime.timedelta(seconds=1))
    def t():
        return calls.hit()

    @L.flow
    def f():
        a = t(return_state=True)
        b = t(return_state=True)
        time.sleep(1.5)
        c = t(return_state=True)
        return [state_obs(s, result=True) for s in (a, b, c)]

    return {"states": f(), "calls": calls.n}


@scenario
def cache_refresh_cache(L):
    calls = Counter()
    key = f"refresh-{NONCE}"

    @L.task(cache_key_fn=lambda ctx, params: key)
    def t():
        return calls.hit()

    @L.flow
    def f():
        a = t(return_state=True)
        b = t.with_options(refresh_cache=True)(return_state=True)
        c = t(return_state=True)
        return [state_obs(s, result=True) for s in (a, b, c)]

    return {"states": f(), "calls": calls.n}


# ----------------------------------------------------------------------------- map / submit / futures


@scenario
def map_with_unmapped(L):
    @L.task
    def add(x, y):
        return x + y

    @L.task
    def extend(x, ys):
        return [x, *ys]

    @L.flow
    def f():
        a = add.map([1, 2, 3], L.unmapped(10))
        b = add.map([1, 2], [10, 20])
        c = extend.map([1, 2], L.unmapped([7, 8]))
        d = add.map(x=[1, 2], y=L.unmapped(100))
        return {
            "a": [x.result() for x in a],
            "b": [x.result() for x in b],
            "c": [x.result() for x in c],
            "d": [x.result() for x in d],
            "map_returns_list": isinstance(a, list),
            "_info": {"map_return_type": type(a).__name__, "future_type": type(a[0]).__name__},
        }

    return f()


@scenario
def map_edge_cases(L):
    @L.task
    def add(x, y):
        return x + y

    @L.flow
    def empty():
        return [x.result() for x in add.map([], [])]

    @L.flow
    def mismatched():
        return [x.result() for x in add.map([1, 2, 3], [1, 2])]

    @L.flow
    def scalar():
        return [x.result() for x in add.map([1, 2], 5)]

    @L.flow
    def futures_list_result():
        return add.map([1, 2], L.unmapped(1)).result()

    return {
        "empty": raises(empty),
        "mismatched_lengths": raises(mismatched),
        "scalar_is_broadcast": raises(scalar),
        "future_list_result_method": raises(futures_list_result),
    }


@scenario
def submit_and_wait_for(L):
    order = []
    lock = threading.Lock()

    @L.task
    def first():
        time.sleep(0.3)
        with lock:
            order.append("first")
        return 1

    @L.task
    def second():
        with lock:
            order.append("second")
        return 2

    @L.flow
    def f():
        a = first.submit()
        b = second.submit(wait_for=[a])
        return [b.result(), a.result()]

    return {"results": f(), "order": order}


@scenario
def future_as_argument(L):
    @L.task
    def one():
        return 1

    @L.task
    def double(x):
        return x * 2

    @L.task
    def total(xs):
        return sum(xs)

    @L.task
    def kinds(x, d):
        return [type(x).__name__, {k: type(v).__name__ for k, v in d.items()}]

    @L.flow
    def f():
        a = one.submit()
        b = double.submit(a)
        c = double(a)  # direct call with a future argument
        d = total.submit([a, b])
        e = kinds(a, {"k": b})
        return {"b": b.result(), "c": c, "d": d.result(), "kinds": e}

    return f()


@scenario
def future_api(L):
    fut_mod = L.futures

    @L.task
    def val(x):
        time.sleep(0.05 * x)
        return x

    @L.task
    def boom():
        raise UserError("future failed")

    @L.flow
    def f():
        futs = [val.submit(i) for i in (3, 1, 2)]
        done = fut_mod.wait(futs)
        completed = sorted(fu.result() for fu in fut_mod.as_completed(futs))
        bad = boom.submit()
        bad.wait()
        return {
            "wait_done": len(done.done),
            "wait_not_done": len(done.not_done),
            "as_completed_all": completed,
            "state_after_wait": state_obs(futs[0].state),
            "failed_future_state": state_obs(bad.state),
            "failed_result_no_raise": raises(lambda: bad.result(raise_on_failure=False)),
            "failed_result": raises(bad.result),
            "has_task_run_id": getattr(futs[0], "task_run_id", None) is not None,
        }

    return raises(f)


@scenario
def failed_upstream_future_to_downstream(L):
    down_calls = Counter()

    @L.task
    def boom():
        raise UserError("upstream failed")

    @L.task
    def plus_one(x):
        down_calls.hit()
        return x + 1

    @L.flow
    def f():
        up = boom.submit()
        down = plus_one.submit(up)
        down.wait()
        return {
            "upstream": state_obs(up.state),
            "downstream": state_obs(down.state),
            "downstream_result_no_raise": raises(lambda: down.result(raise_on_failure=False)),
            "downstream_result": raises(down.result),
            "_info": {"downstream_message": down.state.message},
        }

    @L.flow
    def g():
        up = boom.submit()
        return plus_one(up)  # direct call with a failed future

    @L.flow
    def h():
        up = boom.submit()
        down = plus_one.submit(2, wait_for=[up])
        down.wait()
        return state_obs(down.state)

    @L.flow
    def unreturned():
        boom.submit()
        return "flow body finished"

    st = unreturned(return_state=True)
    return {
        "submitted": f(),
        "direct_call": raises(g),
        "wait_for_failed": h(),
        "downstream_calls": down_calls.n,
        "flow_not_returning_failed_future": state_obs(st, result=True),
    }


@scenario
def map_one_element_fails(L):
    @L.task
    def maybe(x):
        if x == 2:
            raise UserError("two")
        return x

    @L.flow
    def returns_futures():
        return maybe.map([1, 2, 3])

    @L.flow
    def resolves_results():
        return [f.result() for f in maybe.map([1, 2, 3])]

    @L.flow
    def only_waits():
        futs = maybe.map([1, 2, 3])
        L.futures.wait(futs)
        return "done"

    @L.flow
    def inspects_states():
        futs = maybe.map([1, 2, 3])
        L.futures.wait(futs)
        return [state_obs(f.state) for f in futs]

    s = returns_futures(return_state=True)
    return {
        "returning_futures_state": state_obs(s),
        "returning_futures_call": raises(returns_futures),
        "resolving_results": raises(resolves_results),
        "only_waiting": raises(only_waits),
        "states": inspects_states(),
        "_info": {"returning_futures_message": s.message},
    }


@scenario
def map_and_submit_with_retries(L):
    attempts = {}
    lock = threading.Lock()

    @L.task(retries=1, retry_delay_seconds=0)
    def flaky(x):
        with lock:
            attempts[x] = attempts.get(x, 0) + 1
            first = attempts[x] == 1
        if first:
            raise UserError(f"first attempt of {x}")
        return x * 10

    @L.flow
    def f():
        mapped = [fu.result() for fu in flaky.map([1, 2, 3])]
        submitted = flaky.submit(4).result()
        return mapped, submitted

    mapped, submitted = f()
    return {"mapped": mapped, "submitted": submitted, "attempts": dict(sorted(attempts.items()))}


@scenario
def task_returns_state(L):
    S = L.states

    @L.task
    def returns_failed():
        return S.Failed(message="task chose to fail")

    @L.task
    def returns_completed():
        return S.Completed(data="payload")

    @L.flow
    def f():
        a = returns_failed(return_state=True)
        b = returns_completed(return_state=True)
        return {
            "failed": state_obs(a, result=True),
            "failed_message": a.message,
            "completed": state_obs(b, result=True),
            "direct_completed": raises(returns_completed),
        }

    @L.flow
    def g():
        return returns_failed()

    return {"states": f(), "direct_failed_call": raises(g)}


@scenario
def varargs_flow(L):
    rt = L.runtime
    seen = {}

    @L.flow
    def f(a, *args, b=2, **kwargs):
        seen["parameters"] = jsonable(dict(rt.flow_run.parameters))
        return [a, list(args), b, kwargs]

    return {"result": raises(lambda: f(1, 2, 3, b=4, c=5)), "seen": seen}


@scenario
def flow_returns_future(L):
    @L.task
    def one():
        return 1

    @L.flow
    def f():
        return one.submit()

    @L.flow
    def g():
        return {"a": one.submit(), "b": [one.submit()]}

    return {"future": raises(f), "nested": raises(g)}


@scenario
def task_runner_concurrency(L):
    threads = []
    lock = threading.Lock()

    @L.task
    def nap(i):
        with lock:
            threads.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.3)
        return i

    direct_main = []

    @L.task
    def where():
        direct_main.append(threading.current_thread() is threading.main_thread())
        return 1

    @L.flow(task_runner=L.task_runners.ThreadPoolTaskRunner(max_workers=2))
    def f():
        where()
        futs = [nap.submit(i) for i in range(4)]
        return [x.result() for x in futs]

    t0 = time.perf_counter()
    out = f()
    el = time.perf_counter() - t0
    return {
        "results": out,
        "two_workers_took_two_rounds": el >= 0.55,
        "submitted_ran_in_main_thread": sorted(set(threads)),
        "direct_call_ran_in_main_thread": direct_main,
    }


# ----------------------------------------------------------------------------- subflows


@scenario
def subflows(L):
    rt = L.runtime

    @L.flow
    def child(i):
        return {"id": str(rt.flow_run.id), "name": rt.flow_run.name, "i": i, "flow_name": rt.flow_run.flow_name}

    @L.flow
    def parent():
        me = str(rt.flow_run.id)
        a = child(1)
        b = child(2)
        return me, a, b

    me, a, b = parent()
    return {
        "parent_differs_from_child": me != a["id"],
        "children_differ": a["id"] != b["id"],
        "child_values": [a["i"], b["i"]],
        "child_flow_name": a["flow_name"],
        "child_name_shape": name_shape(a["name"]),
    }


@scenario
def subflow_failure(L):
    @L.flow
    def child():
        raise UserError("child failed")

    @L.flow
    def parent_catches():
        try:
            child()
        except UserError as e:
            return f"caught {e}"

    @L.flow
    def parent_state():
        return state_obs(child(return_state=True), result=True)

    @L.flow
    def parent_lets_it_raise():
        return child()

    return {
        "catches": raises(parent_catches),
        "return_state": raises(parent_state),
        "propagates": raises(parent_lets_it_raise),
    }


# ----------------------------------------------------------------------------- async


@scenario
def async_flow_and_tasks(L):
    @L.task
    async def aval(x):
        await asyncio.sleep(0.01)
        return x * 2

    @L.task
    def sval(x):
        return x + 100

    @L.flow
    async def af():
        a = await aval(1)
        b, c = await asyncio.gather(aval(2), aval(3))
        d = sval(1)
        fut = aval.submit(4)
        e = fut.result()
        if asyncio.iscoroutine(e):  # some libraries need an await here
            e = await e
        return [a, b, c, d, e]

    coro = af()
    is_coro = asyncio.iscoroutine(coro)
    out = asyncio.run(coro) if is_coro else coro
    return {"call_returns_coroutine": is_coro, "result": out}


@scenario
def async_flow_return_state(L):
    @L.flow
    async def af():
        return 5

    @L.task
    async def at():
        return 6

    async def main():
        s = await af(return_state=True)
        r = s.result()  # inside a running loop: a value, or an awaitable?
        awaitable = asyncio.iscoroutine(r) or asyncio.isfuture(r)
        if awaitable:
            r = await r
        ts = await at(return_state=True)
        tr = ts.result()
        t_awaitable = asyncio.iscoroutine(tr) or asyncio.isfuture(tr)
        if t_awaitable:
            tr = await tr
        return {
            "flow_state": state_obs(s),
            "flow_result_in_loop_is_awaitable": awaitable,
            "flow_result": r,
            "task_state": state_obs(ts),
            "task_result_in_loop_is_awaitable": t_awaitable,
            "task_result": tr,
        }

    return asyncio.run(main())


@scenario
def sync_flow_calls_async_task(L):
    @L.task
    async def aval(x):
        await asyncio.sleep(0.01)
        return x * 2

    @L.flow
    def f():
        got = aval(2)
        is_coro = asyncio.iscoroutine(got)
        if is_coro:
            got.close()  # never awaited: close it so no warning is left behind
            got = "<coroutine>"
        fut = aval.submit(3)
        return {"direct_call": jsonable(got), "direct_is_coroutine": is_coro, "submit_result": fut.result()}

    return raises(f)


@scenario
def sync_task_called_from_async_flow_in_running_loop(L):
    @L.task
    def s(x):
        return x + 1

    @L.flow
    def sf(x):
        return s(x)

    async def main():
        # a sync flow called while an event loop runs (as in a Jupyter cell)
        return sf(1)

    return raises(lambda: asyncio.run(main()))


# ----------------------------------------------------------------------------- hooks


@scenario
def task_hooks(L):
    events = []

    def rec(kind):
        def hook(*args):
            task, task_run, state = args
            events.append(
                {
                    "hook": kind,
                    "nargs": len(args),
                    "task_name": task.name,
                    "state_type": state.type.name,
                    "state_name": state.name,
                    "_info": {
                        "task_run_type": type(task_run).__name__,
                        "task_run_name_shape": name_shape(getattr(task_run, "name", None), task.name),
                    },
                }
            )

        return hook

    @L.task(on_completion=[rec("completion1"), rec("completion2")], on_failure=[rec("failure")])
    def good():
        events.append({"body": "good"})
        return 1

    @L.task(
        on_completion=[rec("completion")],
        on_failure=[rec("failure1"), rec("failure2")],
        retries=1,
        retry_delay_seconds=0,
    )
    def bad():
        events.append({"body": "bad"})
        raise UserError("bad")

    @L.flow
    def f():
        good()
        bad(return_state=True)
        events.append({"body": "flow end"})
        return "ok"

    return {"result": f(), "events": events}


@scenario
def task_hook_decorator_form(L):
    events = []

    @L.task
    def t():
        return 1

    def has_decorator():
        @t.on_completion
        def hook(task, task_run, state):
            events.append(state.name)

        return True

    registered = raises(has_decorator)

    @L.flow
    def f():
        return t()

    return {"registered": registered, "result": f(), "events": events}


@scenario
def task_hook_raising(L):
    def hook(t, r, s):
        raise UserError("hook failed")

    @L.task(on_completion=[hook])
    def t():
        return 1

    @L.flow
    def f():
        s = t(return_state=True)
        return state_obs(s, result=True)

    return raises(f)


@scenario
def flow_hooks(L):
    events = []

    def rec(kind):
        def hook(*args):
            fl, flow_run, state = args
            events.append(
                {
                    "hook": kind,
                    "nargs": len(args),
                    "flow_name": fl.name,
                    "state_type": state.type.name,
                    "state_name": state.name,
                    "_info": {"flow_run_type": type(flow_run).__name__},
                }
            )

        return hook

    def task_hook(t, r, s):
        events.append({"task_hook": s.name})

    @L.task(on_completion=[task_hook])
    def t():
        return 1

    @L.flow(on_completion=[rec("completion1"), rec("completion2")], on_failure=[rec("failure")])
    def good():
        t()
        events.append({"body": "good flow end"})
        return 1

    @L.flow(on_completion=[rec("completion")], on_failure=[rec("failure")], retries=1, retry_delay_seconds=0)
    def bad():
        events.append({"body": "bad flow"})
        raise UserError("bad flow")

    r1 = good()
    r2 = raises(bad)
    return {"good": r1, "bad": r2, "events": events}


@scenario
def flow_hook_raising(L):
    def hook(fl, fr, s):
        raise UserError("flow hook failed")

    @L.flow(on_completion=[hook])
    def f():
        return 1

    st = f(return_state=True)
    return {"state": state_obs(st, result=True), "call": raises(f)}


# ----------------------------------------------------------------------------- options


@scenario
def with_options(L):
    calls = Counter()

    @L.task(name="orig", retries=0)
    def flaky():
        if calls.hit() % 3 != 0:
            raise UserError("x")
        return "ok"

    renamed = flaky.with_options(name="renamed", retries=2, retry_delay_seconds=0)

    @L.flow
    def f():
        return renamed()

    @L.flow(name="flow-orig")
    def g():
        return 1

    g2 = g.with_options(name="flow-renamed", retries=3)
    return {
        "task_names": [flaky.name, renamed.name],
        "task_retries": [flaky.retries, renamed.retries],
        "result": f(),
        "calls": calls.n,
        "flow_names": [g.name, g2.name],
        "flow_retries": [g.retries, g2.retries],
        "flow_result": g2(),
        "same_fn": renamed.fn is flaky.fn,
    }


@scenario
def flow_retries_rerun_tasks(L):
    task_calls = Counter()
    flow_calls = Counter()
    run_counts = []

    @L.task
    def step(x):
        task_calls.hit()
        return x

    @L.flow(retries=1, retry_delay_seconds=0)
    def f():
        n = flow_calls.hit()
        run_counts.append(L.runtime.flow_run.run_count)
        step(1)
        if n == 1:
            raise UserError("first flow attempt fails")
        return "second attempt"

    cached_calls = Counter()
    fc2 = Counter()

    @L.task(cache_key_fn=lambda c, p: f"flowretry-{NONCE}")
    def cached_step():
        cached_calls.hit()
        return 1

    @L.flow(retries=1, retry_delay_seconds=0)
    def g():
        cached_step()
        if fc2.hit() == 1:
            raise UserError("x")
        return "ok"

    return {
        "result": raises(f),
        "flow_calls": flow_calls.n,
        "task_calls": task_calls.n,
        "flow_run_count_per_attempt": run_counts,
        "with_cached_task": raises(g),
        "cached_task_calls": cached_calls.n,
    }


# ----------------------------------------------------------------------------- parameters


@scenario
def parameter_coercion(L):
    import pydantic

    class Point(pydantic.BaseModel):
        x: int
        y: int = 0

    @L.flow
    def f(x: int, xs: list[int], p: Point, flag: bool = False):
        return [type(x).__name__, x, [type(v).__name__ for v in xs], type(p).__name__, p.x, flag]

    @L.task
    def t(x: int):
        return type(x).__name__

    @L.flow
    def g():
        return t("3")

    return {"flow": f("3", ["1", 2], {"x": "4"}, flag="true"), "task_does_not_coerce": g()}


@scenario
def parameter_validation_failure(L):
    calls = Counter()

    @L.flow
    def f(x: int):
        calls.hit()
        return x

    msg = {}

    def call():
        try:
            return f("abc")
        except Exception as e:
            m = str(e)
            msg["names_parameter_and_reason"] = "x" in m and "valid integer" in m
            raise

    out = raises(call)
    st = raises(lambda: state_obs(f("abc", return_state=True), result=True))
    return {"call": out, "return_state": st, "body_calls": calls.n, **msg}


@scenario
def parameter_bind_failures(L):
    calls = Counter()

    @L.flow
    def f(x, y=1):
        calls.hit()
        return x + y

    return {
        "missing_argument": raises(lambda: f()),
        "unknown_kwarg": raises(lambda: f(1, z=2)),
        "too_many_positional": raises(lambda: f(1, 2, 3)),
        "body_calls": calls.n,
    }


@scenario
def task_bind_failures(L):
    @L.task
    def t(x):
        return x

    @L.flow
    def f():
        return t(1, 2)

    @L.flow
    def g():
        return t()

    return {"too_many": raises(f), "missing": raises(g)}


@scenario
def validate_parameters_false(L):
    @L.flow(validate_parameters=False)
    def f(x: int):
        return [type(x).__name__, x]

    return f("3")


# ----------------------------------------------------------------------------- logging


@scenario
def get_run_logger_contexts(L):
    @L.task
    def t():
        lg = L.get_run_logger()
        lg.info("from task")
        return callable(getattr(lg, "info", None))

    @L.flow
    def f():
        lg = L.get_run_logger()
        lg.info("from flow")
        return [callable(getattr(lg, "info", None)), t()]

    outside = raises(lambda: L.get_run_logger().info("outside"))
    return {"inside": f(), "outside": outside}


@scenario
def log_prints(L):
    @L.task
    def t():
        print("printed in task")
        return 1

    @L.task(log_prints=False)
    def quiet():
        print("printed in quiet task")
        return 2

    @L.flow(log_prints=True)
    def f():
        print("printed in flow")
        return [t(), quiet()]

    @L.task(log_prints=True)
    def loud():
        print("printed in loud task")
        return 4

    @L.flow
    def g():
        print("printed in plain flow")
        return [3, loud()]

    with capture_stdout() as out:
        r = f()
        r2 = g()
    text = out.getvalue()
    return {
        "results": [r, r2],
        "log_prints_task_in_plain_flow_on_stdout": "printed in loud task" in text,
        "flow_print_on_stdout": "printed in flow" in text,
        "inherited_task_print_on_stdout": "printed in task" in text,
        "log_prints_false_task_on_stdout": "printed in quiet task" in text,
        "plain_flow_print_on_stdout": "printed in plain flow" in text,
    }


# ----------------------------------------------------------------------------- states


@scenario
def return_state_task_and_flow(L):
    @L.task
    def ok():
        return 1

    @L.task
    def bad():
        raise UserError("bad")

    @L.flow
    def f():
        a = ok(return_state=True)
        b = bad(return_state=True)
        return {
            "ok": state_obs(a, result=True),
            "ok_flags": [a.is_completed(), a.is_failed()],
            "bad": state_obs(b, result=True),
            "bad_flags": [b.is_completed(), b.is_failed()],
            "bad_result_raises": raises(b.result),
            "bad_message": b.message,
        }

    @L.flow
    def g():
        raise UserError("flow failed")

    fs = f(return_state=True)
    gs = g(return_state=True)
    return {
        "flow_state": state_obs(fs),
        "flow_result": jsonable(fs.result()),
        "failed_flow_state": state_obs(gs, result=True),
        "failed_flow_result_raises": raises(gs.result),
        "failed_flow_message": gs.message,
    }


@scenario
def flow_returns_failed_state(L):
    Failed = L.states.Failed

    @L.flow
    def f():
        return Failed(message="returned failure")

    st = f(return_state=True)
    return {
        "call": raises(f),
        "state": state_obs(st, result=True),
        "message": st.message,
    }


@scenario
def flow_returns_list_with_failed_state(L):
    Failed, Completed = L.states.Failed, L.states.Completed

    @L.task
    def bad():
        raise UserError("bad task")

    @L.flow
    def all_states():
        return [Completed(data=1), Failed(message="one failed")]

    @L.flow
    def mixed():
        return [1, Failed(message="one failed")]

    @L.flow
    def task_states():
        return [bad(return_state=True), bad(return_state=True)]

    s1 = all_states(return_state=True)
    s2 = mixed(return_state=True)
    s3 = task_states(return_state=True)
    return {
        "all_states": state_obs(s1, result=True),
        "all_states_message": s1.message,
        "all_states_call": raises(all_states),
        "mixed": state_obs(s2, result=True),
        "mixed_call": raises(mixed),
        "task_states": state_obs(s3, result=True),
        "task_states_message": s3.message,
    }


@scenario
def state_result_raise_on_failure_false(L):
    S = L.states

    @L.task
    def bad():
        raise UserError("inner")

    @L.flow
    def f():
        s = bad(return_state=True)
        v = s.result(raise_on_failure=False)
        return {"value": jsonable(v), "same_type": isinstance(v, UserError)}

    plain_failed = S.Failed(message="no exception attached")
    done = S.Completed(data=42)
    return {
        "task_state": f(),
        "bare_failed_state": raises(lambda: plain_failed.result(raise_on_failure=False)),
        "bare_failed_state_raises": raises(plain_failed.result),
        "completed_with_data": raises(done.result),
        "completed_names": [done.name, plain_failed.name],
        "state_type_members": sorted(m.name for m in S.StateType),
    }


# ----------------------------------------------------------------------------- outside a flow


@scenario
def task_outside_flow(L):
    rt = L.runtime
    seen = {}

    @L.task
    def t(x):
        seen["flow_run_id_is_none"] = rt.flow_run.id is None
        seen["task_run_name"] = name_shape(rt.task_run.name, "t")
        return x + 1

    res = raises(lambda: t(1))
    st = raises(lambda: state_obs(t(1, return_state=True), result=True))
    return {"call": res, "return_state": st, "seen": seen}


@scenario
def task_submit_and_map_outside_flow(L):
    @L.task
    def t(x):
        return x * 3

    def submit():
        fut = t.submit(2)
        return fut.result()

    def mapped():
        return [f.result() for f in t.map([1, 2])]

    return {"submit": raises(submit), "map": raises(mapped)}


# ----------------------------------------------------------------------------- names and runtime


@scenario
def default_run_names(L):
    rt = L.runtime
    seen = {"task": []}

    @L.task
    def my_task():
        seen["task"].append(rt.task_run.name)
        return 1

    @L.flow
    def my_flow():
        seen["flow"] = rt.flow_run.name
        my_task()
        my_task()
        my_task.submit().result()
        return 1

    my_flow()
    tnames = seen["task"]
    return {
        "flow_run_name_shape": name_shape(seen["flow"]),
        "flow_run_name_is_adjective_animal": bool(re.fullmatch(r"[a-z]+-[a-z]+", seen["flow"] or "")),
        "task_run_name_shapes": [name_shape(n, "my_task") for n in tnames],
        "task_run_names_distinct": len(set(tnames)) == len(tnames),
    }


@scenario
def run_name_templates(L):
    rt = L.runtime
    seen = {}

    @L.task(task_run_name="t-{x}")
    def t(x):
        seen["task"] = rt.task_run.name
        return x

    @L.task(task_run_name=lambda: "from-callable")
    def tc(x):
        seen["task_callable"] = rt.task_run.name
        return x

    @L.flow(flow_run_name="{x}-run")
    def f(x):
        seen["flow"] = rt.flow_run.name
        t(x)
        tc(x)
        return x

    @L.flow(flow_run_name=lambda: "callable-run")
    def g():
        seen["flow_callable"] = rt.flow_run.name
        return 1

    f(5)
    g()

    @L.flow(flow_run_name="{missing}-run")
    def bad():
        return 1

    seen["missing_template_key"] = raises(bad)
    return seen


@scenario
def runtime_parameters(L):
    rt = L.runtime
    seen = {}

    @L.task
    def t(a, b=2):
        seen["task_parameters"] = jsonable(dict(rt.task_run.parameters))
        seen["task_name"] = rt.task_run.task_name
        seen["task_run_count"] = rt.task_run.run_count
        return a

    @L.flow
    def f(x, y="default", *, z=3):
        seen["flow_parameters"] = jsonable(dict(rt.flow_run.parameters))
        seen["flow_name"] = rt.flow_run.flow_name
        seen["flow_run_count"] = rt.flow_run.run_count
        t(1)
        return x

    f(1)
    seen["outside_flow_id_is_none"] = rt.flow_run.id is None
    seen["outside_task_id_is_none"] = rt.task_run.id is None
    return seen


# ----------------------------------------------------------------------------- results


@scenario
def unpicklable_result_persisted(L):
    @L.task(persist_result=True)
    def lock_maker():
        return threading.Lock()

    @L.flow
    def f():
        s = lock_maker(return_state=True)
        v = raises(lambda: s.result())
        return {"state": state_obs(s), "result": v}

    @L.flow
    def g():
        return type(lock_maker()).__name__

    return {"return_state": raises(f), "direct": raises(g)}


@scenario
def persisted_result_across_flows_via_cache(L):
    """A cached result read back in a later flow run is an equal copy, not the same object."""
    key = f"persist-{NONCE}"
    calls = Counter()

    @L.task(cache_key_fn=lambda c, p: key, persist_result=True)
    def t():
        calls.hit()
        return {"a": [1, 2]}

    holder = {}

    @L.flow
    def f():
        v = t()
        holder.setdefault("first", v)
        return v

    a = f()
    b = f()
    return {"equal": a == b, "same_object": a is b, "calls": calls.n, "value": b}


@scenario
def subflow_wait_for(L):
    order = []  # list.append is atomic: the task's thread and the flow's may both append

    @L.task
    def slow():
        time.sleep(0.3)
        order.append("upstream")

    @L.task
    def boom():
        raise UserError("upstream failed")

    @L.flow
    def child():
        order.append("child")
        return "child ran"

    @L.flow
    def waits():
        return child(wait_for=[slow.submit()])

    @L.flow
    def blocked():
        up = boom.submit()
        state = child(wait_for=[up], return_state=True)
        return {"state": state_obs(state), "call": raises(lambda: child(wait_for=[up]))}

    return {"waits": waits(), "order": list(order), "blocked": blocked(), "order_after": list(order)}


@scenario
def submit_and_map_return_state(L):
    @L.task
    def inc(x):
        return x + 1

    @L.task
    def boom(x):
        raise UserError(f"bad {x}")

    @L.flow
    def f():
        ok = inc.submit(1, return_state=True)
        bad = boom.submit(2, return_state=True)
        mapped = inc.map([1, 2], return_state=True)
        return {
            "submit_is_state": is_state(ok),
            "submit": state_obs(ok, result=True),
            "submit_failed": state_obs(bad, result=True),
            "map_is_list": type(mapped) is list,
            "map": [state_obs(s, result=True) for s in mapped],
        }

    return f()
