"""Concurrency limits by tag: claims skip runs whose tag is full, across queues and deployments."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from _helpers import T0, MakeDeployment
from orchestr_lab.core.errors import Conflict, NotFound
from orchestr_lab.core.states import Completed, Running
from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.concurrency_limits import (
    create_limit,
    delete_limit,
    get_limit,
    list_limits,
    update_limit,
)
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.runs import set_state


def _claim(engine: Engine, queues: tuple[str, ...] = ("default", "gpu")) -> dict[str, Any] | None:
    return claim_next_run(engine, worker_name="w", worker_type="process", queues=list(queues), now=T0)


def test_a_tag_limit_holds_across_deployments_and_queues(engine: Engine, make_deployment: MakeDeployment) -> None:
    db_a = make_deployment(tags=["database"])
    db_b = make_deployment(tags=["database", "nightly"], work_queue="gpu")
    free = make_deployment(tags=["nightly"])
    runs = [
        create_deployment_run(engine, d, scheduled_time=T0 - dt.timedelta(minutes=m))
        for m, d in ((4, db_a), (3, db_b), (2, db_a), (1, free))
    ]
    create_limit(engine, "database", 2)

    first, second, third = _claim(engine), _claim(engine), _claim(engine)
    # Two "database" runs take the limit; the third database run waits, the untagged-by-it one goes.
    assert [r["id"] for r in (first, second, third)] == [runs[0]["id"], runs[1]["id"], runs[3]["id"]]  # type: ignore[index]
    assert _claim(engine) is None
    assert get_limit(engine, "database")["active_slots"] == 2  # type: ignore[index]

    set_state(engine, "flow", first["id"], Running())  # type: ignore[index]
    assert _claim(engine) is None  # RUNNING still holds its slot
    set_state(engine, "flow", first["id"], Completed())  # type: ignore[index]
    assert _claim(engine)["id"] == runs[2]["id"]  # type: ignore[index]


def test_a_zero_limit_holds_every_run_with_the_tag(engine: Engine, make_deployment: MakeDeployment) -> None:
    held = make_deployment(tags=["maintenance"])
    run = create_deployment_run(engine, held, scheduled_time=T0)
    create_limit(engine, "maintenance", 0)
    assert _claim(engine) is None
    update_limit(engine, "maintenance", 1)
    assert _claim(engine)["id"] == run["id"]  # type: ignore[index]


def test_limit_crud_and_errors(engine: Engine) -> None:
    created = create_limit(engine, "db", 3)
    assert created["tag"] == "db" and created["concurrency_limit"] == 3 and created["active_slots"] == 0
    with pytest.raises(Conflict, match="already has a concurrency limit"):
        create_limit(engine, "db", 1)
    assert update_limit(engine, "db", 5)["concurrency_limit"] == 5
    assert [x["tag"] for x in list_limits(engine)] == ["db"]
    delete_limit(engine, "db")
    assert get_limit(engine, "db") is None
    with pytest.raises(NotFound):
        delete_limit(engine, "db")
    with pytest.raises(NotFound):
        update_limit(engine, "db", 1)
