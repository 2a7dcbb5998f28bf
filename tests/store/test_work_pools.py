"""Work pools in the store (SQLite and PostgreSQL): queues in pools, claims, resolved job variables."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from orchestr_lab.core.errors import Conflict
from orchestr_lab.store.claims import claim_next_run
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment, update_deployment
from orchestr_lab.store.queues import create_queue, get_queue
from orchestr_lab.store.work_pools import create_pool, delete_pool, get_pool, update_pool


def _claim(engine: Engine, *queues: str) -> dict | None:
    return claim_next_run(engine, worker_name="w", worker_type="process", queues=list(queues))


def test_a_claimed_run_carries_its_resolved_job_variables(engine: Engine) -> None:
    create_pool(
        engine, {"name": "lab", "type": "process", "base_job_variables": {"env": {"A": "1"}, "kernel_name": "k0"}}
    )
    dep = create_deployment(
        engine,
        {"name": "d", "notebook": "n.ipynb", "work_pool_name": "lab", "job_variables": {"kernel_name": "k1"}},
    )
    run = create_deployment_run(engine, dep, job_variables={"env": {"B": "2"}})
    assert run["job_variables"] == {"env": {"B": "2"}}  # the run keeps its own
    update_pool(engine, "lab", {"paused": True})
    assert _claim(engine, "lab") is None
    update_pool(engine, "lab", {"paused": False})
    claimed = _claim(engine, "lab")
    assert claimed is not None and claimed["id"] == run["id"]
    assert claimed["job_variables"] == {"env": {"A": "1", "B": "2"}, "kernel_name": "k1"}


def test_a_queue_belongs_to_one_pool(engine: Engine) -> None:
    create_queue(engine, {"name": "shared"})
    create_pool(engine, {"name": "lab"})
    with pytest.raises(Conflict, match="belongs to work pool 'default'"):
        create_deployment(engine, {"name": "d", "notebook": "n.ipynb", "work_queue": "shared", "work_pool_name": "lab"})
    dep = create_deployment(
        engine, {"name": "d", "notebook": "n.ipynb", "work_queue": "fresh", "work_pool_name": "lab"}
    )
    assert get_pool(engine, "lab")["queues"] == ["fresh", "lab"]  # type: ignore[index]
    moved = update_deployment(engine, dep["id"], {"work_pool_name": "default"})
    assert (moved["work_queue"], moved["work_pool_name"]) == ("default", "default")
    delete_pool(engine, "lab")
    assert get_queue(engine, "fresh")["work_pool_name"] == "default"  # type: ignore[index]


def test_a_pool_concurrency_limit_caps_active_runs_over_all_its_queues(engine: Engine) -> None:
    from orchestr_lab.core.states import Completed, Running
    from orchestr_lab.store.runs import set_state

    create_pool(engine, {"name": "lab", "concurrency_limit": 1})
    deps = [
        create_deployment(engine, {"name": q, "notebook": "n.ipynb", "work_queue": q, "work_pool_name": "lab"})
        for q in ("lab", "gpu")
    ]
    for dep in deps * 2:
        create_deployment_run(engine, dep)
    first = _claim(engine, "lab", "gpu")
    assert first is not None
    assert _claim(engine, "lab", "gpu") is None  # one active run fills the pool, whichever queue
    set_state(engine, "flow", first["id"], Running())
    assert _claim(engine, "gpu") is None
    set_state(engine, "flow", first["id"], Completed())
    second = _claim(engine, "gpu")
    assert second is not None
    assert update_pool(engine, "lab", {"concurrency_limit": None})["concurrency_limit"] is None
    assert _claim(engine, "lab") is not None  # no limit: the next run goes too
    assert _claim(engine, "default") is None and get_pool(engine, "default")["concurrency_limit"] is None  # type: ignore[index]
