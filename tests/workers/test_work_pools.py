"""Work pools' job variables reach the run: pool -> deployment -> run, read inside the kernel."""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestr_lab.store.database import get_engine
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment, update_deployment
from orchestr_lab.store.work_pools import create_pool, update_pool
from orchestr_lab.workers.worker import Worker

from .conftest import write_notebook

READ_ENV = (
    "import os, orchestr_lab\n"
    "orchestr_lab.record('env', {k: os.environ.get(k) for k in 'ABCD'})\n"
    "orchestr_lab.record('cwd', os.getcwd())"
)


@pytest.mark.parametrize("warm_kernels", [1, 0], ids=["warm-kernel", "cold-kernel"])
def test_pool_then_deployment_then_run_reaches_the_kernel(db_url: str, tmp_path: Path, warm_kernels: int) -> None:
    engine = get_engine(db_url)
    workdir = tmp_path / "scratch"
    workdir.mkdir()
    write_notebook(tmp_path / "job.ipynb", [READ_ENV])
    create_pool(engine, {"name": "lab", "type": "process", "base_job_variables": {"env": {"A": "pool", "B": "pool"}}})
    dep = create_deployment(
        engine,
        {
            "name": "job",
            "notebook": "job.ipynb",
            "work_pool_name": "lab",
            "job_variables": {"env": {"B": "dep", "C": "dep"}},
        },
    )
    assert dep["work_queue"] == "lab" and dep["work_pool_name"] == "lab"
    # Edits made after the run was created still apply: variables are resolved when it is claimed.
    run = create_deployment_run(engine, dep, job_variables={"env": {"C": "run"}})
    update_pool(
        engine,
        "lab",
        {"base_job_variables": {"env": {"A": "pool", "B": "pool", "D": "pool"}, "working_dir": str(workdir)}},
    )
    update_deployment(engine, dep["id"], {"job_variables": {"env": {"B": "dep", "C": "dep"}}})

    worker = Worker(
        db_url, name="w", queues=["lab"], root_dir=tmp_path, output_dir=tmp_path / "out", warm_kernels=warm_kernels
    )
    (outcome,) = worker.run_once()

    assert outcome.run_id == run["id"]
    assert outcome.run["state"]["type"] == "COMPLETED", outcome.run["state"]
    assert outcome.run["recorded"]["env"] == {"A": "pool", "B": "dep", "C": "run", "D": "pool"}
    assert Path(outcome.run["recorded"]["cwd"]).resolve() == workdir.resolve()


def test_a_worker_of_another_pool_leaves_the_run_and_a_paused_pool_holds_it(db_url: str, tmp_path: Path) -> None:
    engine = get_engine(db_url)
    write_notebook(tmp_path / "job.ipynb", ["x = 1"])
    create_pool(engine, {"name": "lab", "type": "process", "paused": True})
    dep = create_deployment(engine, {"name": "job", "notebook": "job.ipynb", "work_pool_name": "lab"})
    create_deployment_run(engine, dep)
    kw = {"root_dir": tmp_path, "output_dir": tmp_path / "out", "warm": False}
    assert Worker(db_url, name="w", queues=["default"], **kw).run_once() == []
    assert Worker(db_url, name="w", queues=["lab"], **kw).run_once() == []  # paused
    update_pool(engine, "lab", {"paused": False})
    (outcome,) = Worker(db_url, name="w", queues=["lab"], **kw).run_once()
    assert outcome.run["state"]["type"] == "COMPLETED"
