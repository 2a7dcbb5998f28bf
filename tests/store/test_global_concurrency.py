"""Global concurrency limits in the store: the compare-and-set never passes a limit, on SQLite
and PostgreSQL; rate limits drain at their rate; expired leases give their slots back."""

from __future__ import annotations

import datetime as dt
import threading
import time
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from orchestr_lab.core.errors import Conflict, NotFound
from orchestr_lab.store.global_concurrency import (
    LimitRefusal,
    RaceLost,
    create_limit,
    decayed,
    delete_limit,
    get_limit,
    list_limits,
    set_slots,
    update_limit,
)
from orchestr_lab.store.global_leases import acquire, reap_expired, release_lease, renew_lease
from orchestr_lab.store.models import global_concurrency_limits as gcl

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def _slots(engine: Engine, name: str) -> int:
    limit = get_limit(engine, name)
    assert limit is not None
    return int(limit["active_slots"])


def test_threads_contending_never_hold_more_than_the_limit(engine: Engine) -> None:
    create_limit(engine, {"name": "db", "limit": 2})
    holding, most, lock = [0], [0], threading.Lock()

    def worker() -> None:
        for _ in range(6):
            while not (grant := acquire(engine, ["db"], 1, lease_seconds=30))["granted"]:
                time.sleep(0.005)
            with lock:
                holding[0] += 1
                most[0] = max(most[0], holding[0])
            assert _slots(engine, "db") <= 2
            time.sleep(0.002)
            with lock:
                holding[0] -= 1
            assert release_lease(engine, grant["lease_id"])

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert most[0] == 2  # the limit was used, never passed
    assert _slots(engine, "db") == 0


def test_a_stale_compare_and_set_is_refused(engine: Engine) -> None:
    create_limit(engine, {"name": "db", "limit": 1})
    with engine.begin() as conn:
        row = conn.execute(select(gcl).where(gcl.c.name == "db")).mappings().one()
        conn.execute(update(gcl).where(gcl.c.name == "db").values(version=gcl.c.version + 1))
        with pytest.raises(RaceLost):
            set_slots(conn, row, 1, T0)
    with engine.begin() as conn:
        row = conn.execute(select(gcl).where(gcl.c.name == "db")).mappings().one()
        with pytest.raises(RaceLost):  # never above the limit, even with the right version
            set_slots(conn, row, 2, T0)
        set_slots(conn, row, 1, T0)
    assert _slots(engine, "db") == 1


def test_all_or_none_across_limits(engine: Engine) -> None:
    create_limit(engine, {"name": "a", "limit": 1})
    create_limit(engine, {"name": "b", "limit": 1})
    first = acquire(engine, ["b"], 1)
    refused = acquire(engine, ["a", "b"], 1)
    assert first["granted"] and not refused["granted"] and refused["retry_after"] > 0
    assert _slots(engine, "a") == 0  # a was not taken while b was full
    assert get_limit(engine, "b")["denied_slots"] == 1  # type: ignore[index]
    release_lease(engine, first["lease_id"])
    both = acquire(engine, ["a", "b"], 1)
    assert both["granted"] and {x["name"] for x in both["limits"]} == {"a", "b"}
    assert get_limit(engine, "b")["denied_slots"] == 0  # type: ignore[index]


def test_missing_and_inactive_limits(engine: Engine) -> None:
    create_limit(engine, {"name": "off", "limit": 1, "active": False})
    missing = acquire(engine, ["nope"], 1)
    assert missing == {"granted": True, "lease_id": None, "limits": [], "retry_after": None}
    for _ in range(3):  # an inactive limit grants without counting and holds no lease
        grant = acquire(engine, ["off"], 1)
        assert grant["granted"] and grant["lease_id"] is None and grant["limits"][0]["name"] == "off"
    assert _slots(engine, "off") == 0


def test_requests_no_wait_can_satisfy(engine: Engine) -> None:
    create_limit(engine, {"name": "one", "limit": 1})
    with pytest.raises(LimitRefusal, match="greater than the limit") as exc:
        acquire(engine, ["one"], 2)
    assert exc.value.field == "slots"
    with pytest.raises(LimitRefusal, match="do not have a decay configured: 'one'"):
        acquire(engine, ["one"], 1, mode="rate_limit", lease_seconds=None)


def test_decay_keeps_fractions_of_a_slot() -> None:
    row: dict[str, Any] = {"slot_decay_per_second": 4.0, "active_slots": 3, "decay_anchor": T0}
    level, anchor = decayed(row, T0 + dt.timedelta(seconds=0.6))  # type: ignore[arg-type]
    assert level == 1 and anchor == T0 + dt.timedelta(seconds=0.5)  # 2 drained; 0.1 s kept toward the next
    assert decayed(row, T0 + dt.timedelta(seconds=5))[0] == 0  # type: ignore[arg-type]
    assert decayed({**row, "slot_decay_per_second": 0.0}, T0 + dt.timedelta(hours=1))[0] == 3  # type: ignore[arg-type]


def test_a_rate_limit_drains_and_says_how_long_to_wait(engine: Engine) -> None:
    create_limit(engine, {"name": "api", "limit": 2, "slot_decay_per_second": 1.0})
    assert all(acquire(engine, ["api"], 1, mode="rate_limit", lease_seconds=None)["granted"] for _ in range(2))
    refused = acquire(engine, ["api"], 1, mode="rate_limit", lease_seconds=None)
    assert not refused["granted"] and 0 < refused["retry_after"] <= 1.01  # when the first slot drains
    time.sleep(refused["retry_after"])
    assert acquire(engine, ["api"], 1, mode="rate_limit", lease_seconds=None)["granted"]


def test_an_expired_lease_gives_its_slots_back(engine: Engine) -> None:
    create_limit(engine, {"name": "db", "limit": 1})
    dead = acquire(engine, ["db"], 1, lease_seconds=1.0)
    assert dead["granted"]
    assert not acquire(engine, ["db"], 1)["granted"]
    time.sleep(1.1)
    with pytest.raises(NotFound):
        renew_lease(engine, dead["lease_id"], 30)
    assert _slots(engine, "db") == 1  # still counted until someone reaps it
    assert reap_expired(engine) == 1 and _slots(engine, "db") == 0
    assert not release_lease(engine, dead["lease_id"])  # already gone: nothing handed back twice


def test_the_next_acquirer_reaps_and_a_renewed_lease_is_kept(engine: Engine) -> None:
    create_limit(engine, {"name": "db", "limit": 1})
    dead = acquire(engine, ["db"], 1, lease_seconds=0.3)
    time.sleep(0.4)
    live = acquire(engine, ["db"], 1, lease_seconds=1.5)
    assert dead["granted"] and live["granted"]
    for _ in range(4):
        time.sleep(0.5)
        renew_lease(engine, live["lease_id"], 1.5)
    assert not acquire(engine, ["db"], 1)["granted"]  # renewed past its first expiry: still held
    assert release_lease(engine, live["lease_id"]) and _slots(engine, "db") == 0


def test_limit_crud(engine: Engine) -> None:
    made = create_limit(engine, {"name": "db", "limit": 2, "slot_decay_per_second": 0.5})
    assert made["active"] and made["active_slots"] == 0 and made["slot_decay_per_second"] == 0.5
    with pytest.raises(Conflict):
        create_limit(engine, {"name": "db", "limit": 1})
    create_limit(engine, {"name": "api", "limit": 1})
    assert [x["name"] for x in list_limits(engine)] == ["api", "db"]
    changed = update_limit(engine, "db", {"limit": 5, "active": False, "active_slots": 3, "name": "pg"})
    assert (changed["name"], changed["limit"], changed["active"]) == ("pg", 5, False)
    assert get_limit(engine, "db") is None
    with pytest.raises(Conflict):
        update_limit(engine, "pg", {"name": "api"})
    with pytest.raises(NotFound):
        update_limit(engine, "nope", {"limit": 1})
    delete_limit(engine, "pg")
    with pytest.raises(NotFound):
        delete_limit(engine, "pg")


def test_a_waiter_is_told_to_come_back_when_the_blocking_lease_expires(engine: Engine) -> None:
    """The answer is the blocking lease's expiry (polling alone would say 0.75 s or more). On a
    loaded machine the second call may come after a short lease ended: then try a fresh limit."""
    for attempt in range(5):
        create_limit(engine, {"name": f"db{attempt}", "limit": 1})
        took = time.monotonic()
        assert acquire(engine, [f"db{attempt}"], 1, lease_seconds=0.6)["granted"]
        refused = acquire(engine, [f"db{attempt}"], 1)
        if time.monotonic() - took < 0.5:
            break
    else:
        pytest.fail("the machine never made two acquires within 0.5 s")
    assert not refused["granted"] and 0.05 <= refused["retry_after"] <= 0.61
