"""Parity scenarios, topic ``concurrency``: global concurrency and rate limits.

``concurrency()`` and ``rate_limit()`` (``<lib>.concurrency.sync`` and ``.asyncio``) against
limits each scenario creates first: with Prefect through its client
(``create_global_concurrency_limit``), with orchestr_lab through its own (``sdk.client``). That
setup is the only place the library's name is looked at; what is observed is the same code.
Timings are coarse booleans.
"""

import asyncio
import importlib
import time

from scenarios import isa, scenario


def _make_limit(L, name, limit, *, active=True, decay=0.0):
    """Create a global concurrency limit with the library's own client (setup only)."""
    if L.name == "prefect":
        from prefect import get_client
        from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate

        spec = GlobalConcurrencyLimitCreate(name=name, limit=limit, active=active, slot_decay_per_second=decay)
        with get_client(sync_client=True) as client:
            client.create_global_concurrency_limit(spec)
    else:
        from orchestr_lab.sdk.client import connect

        connect().create_global_limit({"name": name, "limit": limit, "active": active, "slot_decay_per_second": decay})


def _sync(L):
    return importlib.import_module(f"{L.name}.concurrency.sync")


def _async(L):
    return importlib.import_module(f"{L.name}.concurrency.asyncio")


def _error(L, e):
    """What a caller can tell of an exception: builtin classes, and the module's two error classes."""
    mod = _async(L)
    return {
        "isa": isa(e),
        "acquisition_error": isinstance(e, mod.ConcurrencySlotAcquisitionError),
        "timeout_error": isinstance(e, mod.AcquireConcurrencySlotTimeoutError),
        "_info": {"type": type(e).__name__, "msg": str(e)},
    }


def _attempt(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the observation
        return e
    return None


@scenario
def gcl_limit_of_one_is_held_by_one_block(L):
    _make_limit(L, "gcl-one", 1)
    c = _sync(L)
    entered = []

    def nested(**options):
        with c.concurrency("gcl-one", **options):
            entered.append("nested")

    with c.concurrency("gcl-one", occupy=1):
        entered.append("outer")
        started = time.monotonic()
        timed_out = _attempt(lambda: nested(timeout_seconds=0.5))
        waited = time.monotonic() - started
        no_retries = _attempt(lambda: nested(max_retries=0))
    after = _attempt(lambda: nested(timeout_seconds=5))
    return {
        "entered": entered,
        "timeout": _error(L, timed_out),
        "waited_about_the_timeout": 0.4 <= waited < 5,
        "max_retries_0": _error(L, no_retries),
        "after_exit": after is None,
    }


@scenario
def gcl_missing_limit(L):
    c = _sync(L)
    ran = []
    with c.concurrency("gcl-nowhere"):
        ran.append("lenient")
    with c.concurrency([]):
        ran.append("no names")
    strict = _attempt(lambda: c.concurrency("gcl-nowhere", strict=True).__enter__())
    c.rate_limit("gcl-nowhere")
    ran.append("rate_limit lenient")
    strict_rate = _attempt(lambda: c.rate_limit("gcl-nowhere", strict=True))
    return {"ran": ran, "strict": _error(L, strict), "strict_rate_limit": _error(L, strict_rate)}


@scenario
def gcl_inactive_limit_grants_without_counting(L):
    _make_limit(L, "gcl-off", 1, active=False)
    c = _sync(L)
    depth = []
    with c.concurrency("gcl-off"), c.concurrency("gcl-off", timeout_seconds=2), c.concurrency("gcl-off", occupy=5):
        depth.append(3)
    return {"entered": depth}


@scenario
def gcl_requests_that_cannot_wait(L):
    _make_limit(L, "gcl-two", 2)
    c = _sync(L)
    too_many = _attempt(lambda: c.concurrency("gcl-two", occupy=3).__enter__())
    no_decay = _attempt(lambda: c.rate_limit("gcl-two"))
    return {"occupy_over_limit": _error(L, too_many), "rate_limit_without_decay": _error(L, no_decay)}


@scenario
def gcl_several_names_all_or_none(L):
    _make_limit(L, "gcl-a", 1)
    _make_limit(L, "gcl-b", 1)
    c = _sync(L)
    seen = {}
    with c.concurrency(["gcl-a", "gcl-b"]):
        seen["b_while_both_held"] = _error(L, _attempt(lambda: c.concurrency("gcl-b", timeout_seconds=0.3).__enter__()))
    with c.concurrency("gcl-b"):
        seen["both_while_b_held"] = _error(
            L, _attempt(lambda: c.concurrency(["gcl-a", "gcl-b"], timeout_seconds=0.3).__enter__())
        )
        with c.concurrency("gcl-a", timeout_seconds=5):  # a was not left taken by the refused request
            seen["a_free"] = True
    return seen


@scenario
def gcl_rate_limit_bursts_then_paces(L):
    _make_limit(L, "gcl-rate", 2, decay=2.0)
    c = _sync(L)
    started = time.monotonic()
    c.rate_limit("gcl-rate")
    c.rate_limit("gcl-rate")
    burst = time.monotonic() - started
    c.rate_limit("gcl-rate")
    c.rate_limit("gcl-rate", occupy=1)
    paced = time.monotonic() - started - burst
    timed_out = _attempt(lambda: c.rate_limit("gcl-rate", occupy=2, timeout_seconds=0.2))
    return {
        "burst_is_quick": burst < 0.8,
        "two_more_wait_for_decay": paced >= 0.6,
        "timeout": _error(L, timed_out),
    }


@scenario
def gcl_asyncio_forms(L):
    _make_limit(L, "gcl-async", 1)
    _make_limit(L, "gcl-async-rate", 5, decay=10.0)
    a = _async(L)
    seen = []

    async def main():
        async with a.concurrency("gcl-async"):
            seen.append("held")
            try:
                async with a.concurrency("gcl-async", timeout_seconds=0.3):
                    seen.append("nested?!")
            except Exception as e:  # noqa: BLE001 - the observation
                seen.append(_error(L, e))
        async with a.concurrency("gcl-async", timeout_seconds=5):
            seen.append("again")
        await a.rate_limit("gcl-async-rate")
        await a.rate_limit(["gcl-async-rate"], occupy=2)
        seen.append("rated")
        async with a.concurrency("gcl-async-missing"):
            seen.append("missing")

    asyncio.run(main())
    return seen
