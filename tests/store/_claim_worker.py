"""One of several worker processes claiming runs from the same SQLite store (test_deployment_runs).

Started through multiprocessing's spawn context: opens the store, says it is ready, waits for
``go`` so that every process starts claiming at the same moment, then claims until nothing is
left and reports the ids it got.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def claim_into(results: Any, url: str, worker: str, go: Any, now_iso: str) -> None:
    """Process target: ``("ready", worker)`` then ``(worker, claimed ids)`` on ``results``."""
    from orchestr_lab.store.claims import claim_next_run
    from orchestr_lab.store.database import get_engine

    engine = get_engine(url)
    now = dt.datetime.fromisoformat(now_iso)
    results.put(("ready", worker))
    go.wait(60)
    claimed: list[str] = []
    while True:
        run = claim_next_run(engine, worker_name=worker, worker_type="process", queues=["default"], now=now)
        if run is None:
            break
        claimed.append(run["id"])
    results.put((worker, claimed))
