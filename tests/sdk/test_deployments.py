"""``deploy()`` and ``serve()`` from Python: the same deployments the CLI and the API make,
and a script that schedules and runs them itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from _helpers import wait_for, write_notebook
from orchestr_lab import deploy, flow
from orchestr_lab.exceptions import OrchestrLabError
from orchestr_lab.sdk.deployments import DeploymentError

FLOWS = """
from orchestr_lab import flow, record

@flow
def nightly(n: int = 1) -> int:
    record("double", n * 2)
    return n * 2
"""


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A store and a notebook root of this test's own."""
    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", f"sqlite:///{tmp_path / 'store.db'}")
    monkeypatch.setenv("ORCHESTR_LAB_RESULTS_DIR", str(tmp_path / "results"))
    monkeypatch.setenv("ORCHESTR_LAB_ROOT_DIR", str(tmp_path))
    monkeypatch.delenv("ORCHESTR_LAB_API_URL", raising=False)
    (tmp_path / "jobs.py").write_text(FLOWS)
    yield tmp_path
    from orchestr_lab.store.database import dispose_engines

    dispose_engines(f"sqlite:///{tmp_path / 'store.db'}")


def test_deploy_a_notebook_then_update_it_declaratively(home: Path) -> None:
    write_notebook(home / "report.ipynb", ["print(days)"], parameters="days: int = 7")
    first = deploy(
        home / "report.ipynb",
        name="report",
        cron="0 9 * * *",
        timezone="Europe/Paris",
        parameters={"days": 30},
        tags=["finance"],
    )
    assert first["notebook"] == "report.ipynb" and first["parameters"] == {"days": 30}
    assert first["schedules"][0]["cron"] == "0 9 * * *" and first["next_runs"]
    assert (first["retention_days"], first["keep_last"]) == (None, None)  # the server's settings
    second = deploy(home / "report.ipynb", name="report", interval=3600, retention_days=7, keep_last=10)
    assert second["id"] == first["id"]
    assert second["parameters"] == {} and second["tags"] == [] and second["schedules"][0]["interval"] == 3600
    assert (second["retention_days"], second["keep_last"]) == (7, 10)


def test_deploy_a_flow_object_by_its_file(home: Path) -> None:
    sys.path.insert(0, str(home))
    try:
        import jobs  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(home))
    dep = deploy(jobs.nightly, parameters={"n": 4})
    assert dep["name"] == "nightly" and dep["entrypoint"] == "jobs.py:nightly"


def test_flow_deploy_puts_the_deployment_in_a_pool_with_job_variables(home: Path) -> None:
    import datetime as dt
    import uuid

    from orchestr_lab import get_client
    from orchestr_lab.client.schemas.actions import WorkPoolCreate

    (home / "pool_jobs.py").write_text(FLOWS)
    sys.path.insert(0, str(home))
    try:
        import pool_jobs as jobs  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(home))
    with get_client(sync_client=True) as client:
        client.create_work_pool(WorkPoolCreate(name="lab", base_job_variables={"env": {"A": "pool"}}))
        made = jobs.nightly.deploy(
            "pooled", work_pool_name="lab", job_variables={"env": {"B": "dep"}}, interval=dt.timedelta(hours=1)
        )
        assert isinstance(made, uuid.UUID)
        dep = client.read_deployment(made)
    assert (dep.work_pool_name, dep.work_queue_name, dep.job_variables) == ("lab", "lab", {"env": {"B": "dep"}})
    assert dep.schedules[0]["interval"] == 3600
    with pytest.raises(DeploymentError, match=r"job_variables\.dask_address"):
        jobs.nightly.deploy("pooled", work_pool_name="lab", job_variables={"dask_address": "tcp://x:1"})


def test_deploy_refuses_what_cannot_run_with_a_reason(home: Path) -> None:
    write_notebook(home / "report.ipynb", ["print(days)"], parameters="days: int = 7")
    with pytest.raises(DeploymentError, match="days"):
        deploy("report.ipynb", name="r", parameters={"days": "many"})
    with pytest.raises(DeploymentError, match="cron"):
        deploy("report.ipynb", name="r", cron="every morning")
    with pytest.raises(DeploymentError, match="no notebook"):
        deploy("missing.ipynb", name="m")

    @flow
    def inline() -> None: ...

    with pytest.raises(DeploymentError, match=r"top level of a \.py file") as info:
        deploy(inline)
    assert isinstance(info.value, (OrchestrLabError, ValueError))
    deploy("report.ipynb", name="taken")
    with pytest.raises(DeploymentError, match=r"runs report\.ipynb"):
        deploy(home / "jobs.py:nightly", name="taken")


def test_serve_schedules_and_runs_until_interrupted(home: Path) -> None:
    script = home / "serve_it.py"
    script.write_text(
        textwrap.dedent("""
        from orchestr_lab import deploy, serve
        serve(deploy("jobs.py:nightly", name="every-second", interval=1, parameters={"n": 21}),
              scheduler_interval=0.5, warm_kernels=0)
    """)
    )
    proc = subprocess.Popen(
        [sys.executable, str(script)],
        cwd=home,
        env=dict(os.environ),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        from orchestr_lab.store.database import get_engine
        from orchestr_lab.store.run_reads import list_flow_runs

        engine = get_engine(os.environ["ORCHESTR_LAB_DB_URL"])

        def completed() -> Any:
            items, _ = list_flow_runs(engine, state="COMPLETED")
            return [r for r in items if r["deployment_id"]]

        runs = wait_for(completed, timeout=120, interval=0.2, what="a served run to complete")
        assert runs[0]["parameters"] == {"n": 21}
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 0, out
    assert "serving every-second" in out
