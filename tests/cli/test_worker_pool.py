"""``orchestr-lab worker --pool NAME`` and ``work-pools``/``deploy --pool``: a worker serves that
pool's queues and gives each run the pool's, deployment's and run's job variables, on the store
and over HTTP (a remote worker). One server serves the whole test: the pool and deployment are
made over HTTP by the CLI, and both workers run at once (each takes one run)."""

from __future__ import annotations

import json
from pathlib import Path

from _helpers import api_server
from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment, get_deployment_by_name
from orchestr_lab.store.run_reads import get_flow_run

from .conftest import cli_env, run_cli, start_cli, store, write_notebook

TOKEN = "pools-over-http"
READ_ENV = "import os, orchestr_lab\norchestr_lab.record('env', [os.environ.get(k) for k in 'ABC'])"


def test_worker_pool_on_the_store_and_over_http(home: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    root.mkdir()
    write_notebook(root / "job.ipynb", [READ_ENV])
    engine = store(home)
    elsewhere = create_deployment_run(engine, create_deployment(engine, {"name": "other", "notebook": "job.ipynb"}))
    nowhere = tmp_path / "nowhere"
    with api_server(home, root, TOKEN, cli_env(home)) as url:
        remote = ("--api", url, "--token", TOKEN)
        made = run_cli(nowhere, "work-pools", "create", "lab", "-v", "env.A=pool", "-v", "env.B=pool", *remote)
        assert made.returncode == 0 and 'base_job_variables: {"env": {"A": "pool", "B": "pool"}}' in made.stdout
        bad = run_cli(nowhere, "work-pools", "update", "lab", "-v", "warm_kernels=many", *remote)
        assert bad.returncode == 1 and "job_variables.warm_kernels" in bad.stderr
        deployed = run_cli(nowhere, "deploy", "job.ipynb", "-n", "job", "--pool", "lab", "-v", "env.B=dep", *remote)
        assert deployed.returncode == 0, deployed.stderr
        dep = get_deployment_by_name(engine, "job")
        assert dep is not None and (dep["work_pool_name"], dep["job_variables"]) == ("lab", {"env": {"B": "dep"}})
        listed = json.loads(run_cli(nowhere, "work-pools", "ls", "--json", *remote).stdout)
        assert [(p["name"], p["queues"]) for p in listed] == [("default", ["default"]), ("lab", ["lab"])]

        with_c = create_deployment_run(engine, dep, job_variables={"env": {"C": "run"}})
        plain = create_deployment_run(engine, dep)
        worker = ("worker", "--pool", "lab", "--once", "--no-warm", "--concurrency", "1")
        on_store = start_cli(home, *worker, "--name", "on-store", cwd=root, log=tmp_path / "store.log")
        over_http = start_cli(nowhere, *worker, "--name", "over-http", *remote, cwd=tmp_path, log=tmp_path / "http.log")
        for proc in (on_store, over_http):
            assert proc.wait(180) == 0, (tmp_path / "store.log").read_text() + (tmp_path / "http.log").read_text()
        missing = run_cli(nowhere, "worker", "--pool", "nope", "--once", *remote)
    assert missing.returncode != 0 and "No work pool named 'nope'" in missing.stderr

    runs = {r["worker"]["name"]: r for r in (get_flow_run(engine, with_c["id"]), get_flow_run(engine, plain["id"]))}
    assert set(runs) == {"on-store", "over-http"}  # each worker took one of the pool's runs
    for run in runs.values():
        own = (run.get("job_variables") or {}).get("env", {}).get("C")
        assert run["recorded"]["env"] == ["pool", "dep", own]
    assert get_flow_run(engine, elsewhere["id"])["state"]["type"] == "SCHEDULED"  # the default pool's
