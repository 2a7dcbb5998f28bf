"""Taking slots of global concurrency limits, and the leases that hold them.

:func:`acquire` takes ``slots`` of every named limit in one transaction, all or none, each by
the compare-and-set of ``store/global_concurrency.py``. A ``concurrency()`` block's slots are
held by a lease row until it ``expires``; its holder renews it while the block runs
(:func:`renew_lease`) and gives it back at the end (:func:`release_lease`). A holder that dies
(``kill -9``) stops renewing: its lease runs out, and the next acquirer of any limit, or the
server's reaper (:func:`reap_expired`), hands its slots back.
"""

from __future__ import annotations

import datetime as _dt
import random
import time
import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import NotFound
from .database import write_transaction
from .global_concurrency import LimitRefusal, RaceLost, decayed, hand_back, set_slots
from .models import global_concurrency_leases as leases, global_concurrency_limits as gcl
from .sql_helpers import utc_now

__all__ = ["acquire", "reap_expired", "release_lease", "renew_lease"]

#: Expired leases handed back per transaction (the rest by the next one).
_REAP_BATCH = 100
#: Bounds of the wait suggested for a full limit without decay (seconds).
_MIN_WAIT, _MAX_WAIT = 0.05, 1.0
#: The longest wait suggested for a rate limit (a very slow decay is asked about again then).
_MAX_DECAY_WAIT = 60.0
#: Compare-and-set attempts before answering "try again shortly".
_CAS_ATTEMPTS = 5


def _wait(row: RowMapping, level: int, anchor: _dt.datetime, slots: int, now: _dt.datetime) -> float:
    """Seconds until ``slots`` could fit: exact for a decaying limit, paced by the average time
    a slot is held otherwise (jittered, so waiting processes do not ask all at once)."""
    rate = float(row["slot_decay_per_second"])
    if rate > 0:
        missing = level + slots - int(row["limit"])
        return min(_MAX_DECAY_WAIT, max(0.0, missing / rate - (now - anchor).total_seconds()) + 0.001)
    per_slot = float(row["avg_slot_occupancy_seconds"]) / max(1, int(row["limit"]))
    return min(_MAX_WAIT, max(_MIN_WAIT, per_slot)) * random.uniform(0.75, 1.25)


def _until_a_lease_expires(conn: Connection, limit_ids: set[str], now: _dt.datetime, wait: float) -> float:
    """``wait``, or less when a lease on one of ``limit_ids`` expires sooner: a dead holder's
    slots are taken up as soon as its lease runs out, not a polling interval later."""
    horizon = now + _dt.timedelta(seconds=wait)
    rows = conn.execute(select(leases.c.expires, leases.c.limit_ids).where(leases.c.expires < horizon))
    soonest = [e for e, ids in rows if limit_ids & set(ids or ())]
    if not soonest:
        return wait
    first: _dt.datetime = min(soonest)
    return max(_MIN_WAIT, (first - now).total_seconds() + 0.01)


def _take(
    conn: Connection, names: Sequence[str], slots: int, mode: str, lease_seconds: float | None, holder: Any
) -> dict[str, Any]:
    now = utc_now()
    _reap(conn, now)
    rows = (
        conn.execute(select(gcl).where(gcl.c.name.in_(sorted(set(names)))).order_by(gcl.c.id).with_for_update())
        .mappings()
        .all()
    )
    limits = [{"id": r["id"], "name": r["name"], "limit": r["limit"]} for r in rows]
    active = [r for r in rows if r["active"]]
    if any(r["limit"] < slots for r in active):
        raise LimitRefusal("Slots requested is greater than the limit", "slots")
    steady = [r["name"] for r in active if not r["slot_decay_per_second"]]
    if mode == "rate_limit" and steady:
        raise LimitRefusal(
            "Only concurrency limits with slot decay can be used for rate limiting. "
            f"The following limits do not have a decay configured: {','.join(steady)!r}",
            "mode",
        )
    plans = [(r, *decayed(r, now)) for r in active]
    full = [(r, level, anchor) for r, level, anchor in plans if level + slots > r["limit"]]
    if full:
        ids = [r["id"] for r in active]
        conn.execute(update(gcl).where(gcl.c.id.in_(ids)).values(denied_slots=gcl.c.denied_slots + slots))
        wait = max(_wait(r, level, anchor, slots, now) for r, level, anchor in full)
        wait = _until_a_lease_expires(conn, {r["id"] for r, _, _ in full}, now, wait)
        return {"granted": False, "lease_id": None, "limits": limits, "retry_after": wait}
    for r, level, anchor in plans:
        set_slots(conn, r, level + slots, anchor, denied_slots=0)
    lease_id = None
    if active and lease_seconds is not None:
        lease_id = str(uuid.uuid4())
        expires = now + _dt.timedelta(seconds=lease_seconds)
        row = {"id": lease_id, "limit_ids": [r["id"] for r in active], "slots": slots, "holder": holder}
        conn.execute(leases.insert().values(**row, created=now, expires=expires))
    return {"granted": True, "lease_id": lease_id, "limits": limits, "retry_after": None}


def acquire(
    engine: Engine,
    names: Sequence[str],
    slots: int,
    *,
    mode: str = "concurrency",
    lease_seconds: float | None = 300.0,
    holder: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Take ``slots`` of each active limit in ``names``, all or none: ``{"granted", "lease_id",
    "limits", "retry_after"}``. Missing limits are left out of ``limits`` (none exist: granted,
    nothing held); inactive ones are listed but not counted. Not granted: ``retry_after`` says
    when to ask again. :class:`LimitRefusal` for a request no wait can satisfy."""
    for attempt in range(_CAS_ATTEMPTS):
        try:
            return write_transaction(engine, lambda conn: _take(conn, names, slots, mode, lease_seconds, holder))
        except RaceLost:
            time.sleep(0.005 * (attempt + 1) * random.random())
    return {"granted": False, "lease_id": None, "limits": [], "retry_after": _MIN_WAIT}


def release_lease(engine: Engine, lease_id: str) -> bool:
    """Give a lease's slots back; False when it was already gone (released, or expired and reaped)."""

    def work(conn: Connection) -> bool:
        row = conn.execute(select(leases).where(leases.c.id == lease_id).with_for_update()).mappings().first()
        if row is None or not conn.execute(delete(leases).where(leases.c.id == lease_id)).rowcount:
            return False
        held = (utc_now() - row["created"]).total_seconds()
        hand_back(conn, row["limit_ids"], row["slots"], held_seconds=held)
        return True

    return bool(_retrying(engine, work))


def renew_lease(engine: Engine, lease_id: str, seconds: float) -> None:
    """Hold a lease ``seconds`` more from now; :class:`NotFound` when it is gone (it expired
    before this renewal, and its slots may have been taken by someone else)."""
    now = utc_now()

    def work(conn: Connection) -> int:
        stmt = update(leases).where(leases.c.id == lease_id, leases.c.expires >= now)
        return conn.execute(stmt.values(expires=now + _dt.timedelta(seconds=seconds))).rowcount

    if not write_transaction(engine, work):
        raise NotFound(f"No lease {lease_id}: it expired or was released")


def _reap(conn: Connection, now: _dt.datetime) -> int:
    """Hand back the slots of leases that expired (a batch), inside the caller's transaction."""
    stmt = select(leases).where(leases.c.expires < now).order_by(leases.c.expires).limit(_REAP_BATCH)
    if conn.dialect.name == "postgresql":
        stmt = stmt.with_for_update(skip_locked=True)
    gone = 0
    for row in conn.execute(stmt).mappings().all():
        if conn.execute(delete(leases).where(leases.c.id == row["id"], leases.c.expires < now)).rowcount:
            hand_back(conn, row["limit_ids"], row["slots"])
            gone += 1
    return gone


def reap_expired(engine: Engine) -> int:
    """Hand back the slots of every lease that expired; how many leases that was."""
    total = 0
    while True:
        gone = int(_retrying(engine, lambda conn: _reap(conn, utc_now())))
        total += gone
        if gone < _REAP_BATCH:
            return total


def _retrying(engine: Engine, work: Any) -> Any:
    for attempt in range(_CAS_ATTEMPTS * 4):
        try:
            return write_transaction(engine, work)
        except RaceLost:
            time.sleep(0.005 * (attempt + 1) * random.random())
    raise RaceLost("gave up after repeated races")
