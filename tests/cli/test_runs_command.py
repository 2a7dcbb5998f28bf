"""``orchestr-lab runs cancel|retry``: steer runs from a terminal, with one-line refusals."""

from __future__ import annotations

from pathlib import Path

from orchestr_lab.store.deployment_runs import create_deployment_run
from orchestr_lab.store.deployments import create_deployment
from orchestr_lab.store.run_reads import get_flow_run

from .conftest import run_cli, store, write_notebook

FLAKY = (
    "import os\nif not os.path.exists('second-try'):\n"
    "    open('second-try', 'w').close()\n    raise RuntimeError('first try')"
)


def test_retry_from_the_failed_cell_and_cancel(home: Path, tmp_path: Path) -> None:
    write_notebook(
        tmp_path / "job.ipynb", ["open('setup-ran', 'a').write('x')\nvalue = 41", FLAKY + "\nprint(value + 1)"]
    )
    dep = create_deployment(store(home), {"name": "job", "notebook": "job.ipynb"})
    run = create_deployment_run(store(home), dep)

    assert run_cli(home, "worker", "--once", "--warm-kernels", "0", cwd=tmp_path).returncode == 1
    shown = run_cli(home, "runs", "show", run["id"])
    assert f"resumable: from cell 2 (orchestr-lab runs retry {run['id']} --from-failed-cell)" in shown.stdout

    retried = run_cli(home, "runs", "retry", run["id"], "--from-failed-cell")
    assert retried.returncode == 0, retried.stderr
    assert retried.stdout.split("\t")[1:3] == ["SCHEDULED (Rerun)", "Retry from cell 2 requested"]
    done = run_cli(home, "worker", "--once", "--warm-kernels", "0", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "setup-ran").read_text() == "x"

    again = run_cli(home, "runs", "retry", run["id"], "--from-failed-cell")
    assert again.returncode != 0 and again.stdout == ""
    assert again.stderr.strip().splitlines() == [
        f"error: Flow run {run['id']} is COMPLETED (Completed); only FAILED, CRASHED or CANCELLED runs can be retried"
    ]

    waiting = create_deployment_run(store(home), dep)
    cancelled = run_cli(home, "runs", "cancel", waiting["id"])
    assert cancelled.returncode == 0 and cancelled.stdout.split("\t")[1] == "CANCELLED"
    assert get_flow_run(store(home), waiting["id"])["state"]["type"] == "CANCELLED"
    assert run_cli(home, "runs", "retry", waiting["id"]).returncode == 0  # a plain retry: from the top
    missing = run_cli(home, "runs", "cancel", "no-such-run")
    assert missing.returncode != 0 and "No flow run with id 'no-such-run'" in missing.stderr
