"""``orchestr-lab worker --pool NAME``: serves that pool's queues and gives each run the pool's,
deployment's and run's job variables, on the store and over HTTP (a remote worker)."""

from __future__ import annotations

from pathlib import Path

from _helpers import api_server
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_reads import get_flow_run
from orchestr_lab.store.work_pools import create_pool

from .conftest import cli_env, run_cli, store, write_notebook

TOKEN = "pools-over-http"
READ_ENV = "import os, orchestr_lab\norchestr_lab.record('env', [os.environ.get(k) for k in 'ABC'])"


def test_worker_pool_on_the_store_and_over_http(home: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root / "job.ipynb", [READ_ENV])
    engine = store(home)
    create_pool(engine, {"name": "lab", "type": "process", "base_job_variables": {"env": {"A": "pool", "B": "pool"}}})
    spec = {"name": "job", "notebook": "job.ipynb", "work_pool_name": "lab", "job_variables": {"env": {"B": "dep"}}}
    dep = create_deployment(engine, spec)
    elsewhere = create_deployment_run(engine, create_deployment(engine, {"name": "other", "notebook": "job.ipynb"}))
    local = create_deployment_run(engine, dep, job_variables={"env": {"C": "run"}})

    proc = run_cli(home, "worker", "--pool", "lab", "--once", "--no-warm", cwd=root)

    assert proc.returncode == 0, proc.stderr
    assert get_flow_run(engine, local["id"])["recorded"]["env"] == ["pool", "dep", "run"]
    assert get_flow_run(engine, elsewhere["id"])["state"]["type"] == "SCHEDULED"  # the default pool's

    remote = create_deployment_run(engine, dep)
    with api_server(home, root, TOKEN, cli_env(home)) as url:
        proc = run_cli(
            tmp_path / "nowhere", "worker", "--pool", "lab", "--once", "--no-warm", "--api", url, "--token", TOKEN
        )
        assert proc.returncode == 0, proc.stderr
        assert get_flow_run(engine, remote["id"])["recorded"]["env"] == ["pool", "dep", None]
        missing = run_cli(tmp_path / "nowhere", "worker", "--pool", "nope", "--once", "--api", url, "--token", TOKEN)
    assert missing.returncode != 0 and "No work pool named 'nope'" in missing.stderr
