"""The server's reaper gives back the slots of global-concurrency leases whose holder died,
even when nobody is waiting to acquire them."""

from __future__ import annotations

import time

from sqlalchemy.engine import Engine

from orchestr_lab.services.reaper import reaper_service
from orchestr_lab.store.global_concurrency import create_limit, get_limit
from orchestr_lab.store.global_leases import acquire


def test_the_reaper_frees_the_slots_of_an_expired_lease(engine: Engine) -> None:
    create_limit(engine, {"name": "gpu", "limit": 2})
    assert acquire(engine, ["gpu"], 2, lease_seconds=0.2)["granted"]
    loop = reaper_service(engine, interval=0.1)
    loop.start()
    try:
        deadline = time.monotonic() + 10
        while get_limit(engine, "gpu")["active_slots"]:  # type: ignore[index]
            assert time.monotonic() < deadline, "the expired lease's slots never came back"
            time.sleep(0.05)
    finally:
        loop.stop()
