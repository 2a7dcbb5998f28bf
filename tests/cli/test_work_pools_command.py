"""``orchestr-lab work-pools`` on the local store: create, list, inspect (with the type's
variables), update, pause, resume, delete; bad input is one line and a non-zero exit. (Over
HTTP: tests/cli/test_worker_pool.py makes its pool and deployment with the CLI and ``--api``.)"""

from __future__ import annotations

import json
from pathlib import Path

from .conftest import run_cli, write_notebook


def test_work_pools_lifecycle_and_a_deployment_in_a_pool(home: Path, tmp_path: Path) -> None:
    made = run_cli(home, "work-pools", "create", "gpu", "--type", "dask", "-v", "env.A=1", "--concurrency-limit", "2")
    assert made.returncode == 0, made.stderr
    assert "concurrency_limit: 2" in made.stdout and 'base_job_variables: {"env": {"A": "1"}}' in made.stdout
    shown = run_cli(home, "work-pools", "inspect", "gpu", check=True).stdout
    assert "job variables of a dask pool:" in shown and "  dask_address (string): the Dask scheduler's" in shown
    bad = run_cli(home, "work-pools", "update", "gpu", "-v", "kernel_name=python3")
    assert bad.returncode == 1 and bad.stderr.strip().endswith(
        "job_variables.kernel_name: Extra inputs are not permitted"
    )
    typo = run_cli(home, "work-pools", "create", "x", "-v", "env")
    assert typo.returncode == 1 and "job variable 'env': expected NAME=VALUE" in typo.stderr
    assert len(typo.stderr.strip().splitlines()) == 1 and "Traceback" not in typo.stderr
    changed = run_cli(home, "work-pools", "update", "gpu", "--clear-concurrency-limit", "--job-variables", "{}")
    assert "concurrency_limit: -" in changed.stdout and "base_job_variables: {}" in changed.stdout
    run_cli(home, "work-pools", "pause", "gpu", check=True)
    assert run_cli(home, "work-pools", "ls", check=True).stdout.splitlines() == [
        "default\tprocess\tready\t-\tdefault\t-",
        "gpu\tdask\tpaused\t-\tgpu\t-",
    ]
    run_cli(home, "work-pools", "resume", "gpu", check=True)

    write_notebook(tmp_path / "n.ipynb", ["x = 1"])
    deploy = ("deploy", str(tmp_path / "n.ipynb"), "--root", str(tmp_path), "-n", "d", "--pool", "gpu")
    deploy += ("-v", "dask_address=tcp://h:8786")
    run_cli(home, *deploy, check=True)
    listed = run_cli(home, "deployments", "ls", check=True).stdout.split("\t")
    assert listed[-2:] == ["gpu", '{"dask_address": "tcp://h:8786"}\n']
    wrong = run_cli(home, *deploy[:-1], "warm_kernels=2")
    assert wrong.returncode == 1 and "job_variables.warm_kernels" in wrong.stderr

    assert run_cli(home, "work-pools", "delete", "default").returncode == 1
    run_cli(home, "work-pools", "delete", "gpu", check=True)
    gone = run_cli(home, "work-pools", "inspect", "gpu")
    assert gone.returncode == 1 and gone.stderr.strip() == "error: No work pool named 'gpu'"
    pools = json.loads(run_cli(home, "work-pools", "ls", "--json", check=True).stdout)
    assert [p["name"] for p in pools] == ["default"]
