"""``orchestr-lab worker``: claim and execute deployment runs until stopped.

SIGTERM (or Ctrl-C) stops claiming and lets running runs finish within ``--grace-period``;
what is still running then is handed back to the queue for another worker. A second signal
hands back at once.
"""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path
from typing import Any

import click

from ..core.settings import ENV_API_URL, ENV_DASK_ADDRESS
from . import _output as out
from ._options import float_option, int_option, token_option
from ._root import CliState

__all__ = ["worker"]


def _setup_logging() -> None:
    """Worker events on stderr, unless the application configured logging itself."""
    logger = logging.getLogger("orchestr_lab.workers")
    if logger.handlers or logging.getLogger("orchestr_lab").handlers or logging.getLogger().handlers:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s | %(levelname)-7s | %(message)s", "%H:%M:%S"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


@click.command("worker")
@click.option(
    "--queue",
    "-q",
    "queues",
    multiple=True,
    metavar="QUEUE",
    help="Work queue to serve (repeatable) [default: default].",
)
@click.option(
    "--pool",
    "pool_name",
    metavar="POOL",
    help="Work pool to serve: its queues (with --queue, only those), its type, and its base job "
    "variables' warm_kernels and dask_address unless given here.",
)
@click.option(
    "--concurrency",
    "-c",
    type=click.IntRange(min=1),
    help="Runs executed at the same time [default: 1; with --type dask, the cluster's threads].",
)
@click.option(
    "--type",
    "worker_type",
    default="process",
    show_default=True,
    type=click.Choice(["process", "dask"]),
    help="How runs execute: 'process' runs each in a fresh spawned process and kernel; 'dask' "
    "submits each to the Dask cluster at --dask-address, where it runs the same way.",
)
@click.option(
    "--dask-address",
    envvar=ENV_DASK_ADDRESS,
    metavar="ADDR",
    help="With --type dask: the scheduler of any Dask cluster (tcp://host:8786) [env: ORCHESTR_LAB_DASK_ADDRESS].",
)
@click.option("--name", help="Worker name shown on its runs [default: <host>-<pid>].")
@click.option(
    "--root",
    "root_dir",
    type=click.Path(file_okay=False, exists=True),
    help="Folder that relative notebook and entrypoint paths are in [default: current folder].",
)
@click.option("--once", is_flag=True, help="Execute the runs due now, then exit (non-zero if one did not complete).")
@float_option(
    "--grace-period",
    default=30.0,
    minimum=0,
    metavar="SECONDS",
    help="On SIGTERM, how long running runs may take before they are handed back.",
)
@float_option(
    "--heartbeat-interval",
    default=2.0,
    minimum=0.05,
    metavar="SECONDS",
    help="How often the worker reports its runs alive and checks for cancels.",
)
@float_option(
    "--poll-interval",
    default=1.0,
    minimum=0.05,
    metavar="SECONDS",
    help="How often to look for due runs when the queues are empty.",
)
@int_option(
    "--warm-kernels",
    default=1,
    minimum=0,
    metavar="N",
    help="Kernels kept started for the next notebook runs, each used for one run (0: none); "
    "with --type dask, in each Dask worker process.",
)
@click.option("--no-warm", is_flag=True, help="Keep no pre-started process (nor kernel) ready for the next run.")
@click.option(
    "--api",
    "api_url",
    envvar=ENV_API_URL,
    metavar="URL",
    help="Reach the store only through the server at URL (its base URL, e.g. http://host:8888/): "
    "a worker on another machine [env: ORCHESTR_LAB_API_URL].",
)
@token_option
@click.pass_context
def worker(
    ctx: click.Context,
    queues: tuple[str, ...],
    pool_name: str | None,
    concurrency: int | None,
    worker_type: str,
    dask_address: str | None,
    name: str | None,
    root_dir: str | None,
    once: bool,
    grace_period: float,
    heartbeat_interval: float,
    poll_interval: float,
    warm_kernels: int,
    no_warm: bool,
    api_url: str | None,
    token: str | None,
) -> None:
    """Claim runs from work queues and execute them until stopped."""
    state: CliState = ctx.obj
    _setup_logging()
    if api_url:
        from ._remote import connect_worker_api

        store_url: str | None = connect_worker_api(api_url, token)  # unreachable, or a refused token: one line
    else:
        state.engine()  # a bad --db-url fails here, with one line, before any process starts
        store_url = state.db_url
    if pool_name:
        pool = _pool(store_url, pool_name)
        queues = queues or tuple(pool["queues"])
        base = pool.get("base_job_variables") or {}
        worker_type = pool["type"]
        dask_address = dask_address or base.get("dask_address")
        if ctx.get_parameter_source("warm_kernels") == click.core.ParameterSource.DEFAULT:
            warm_kernels = base.get("warm_kernels", warm_kernels)
    options: dict[str, Any] = dict(
        name=name,
        queues=queues or ("default",),
        root_dir=Path(root_dir).resolve() if root_dir else None,
        heartbeat_interval=heartbeat_interval,
        poll_interval=poll_interval,
        grace_period=grace_period,
    )
    if worker_type == "dask":
        if not dask_address:
            raise click.UsageError("--type dask needs --dask-address (or ORCHESTR_LAB_DASK_ADDRESS)")
        from ..workers.dask import DaskWorker

        runner: Any = DaskWorker(
            store_url,
            dask_address=dask_address,
            concurrency=concurrency,
            warm=not no_warm,
            warm_kernels=warm_kernels,
            **options,
        )
        try:
            runner.client  # noqa: B018 (the property connects) connect now: an unreachable cluster fails here, with one line
        except ImportError as exc:
            raise click.ClickException(str(exc)) from None
        except OSError as exc:
            raise click.ClickException(f"cannot reach the Dask scheduler at {dask_address}: {exc}") from None
    else:
        from ..workers.worker import Worker

        runner = Worker(
            store_url,
            concurrency=concurrency or 1,
            worker_type=worker_type,
            warm=not no_warm,
            warm_kernels=warm_kernels,
            **options,
        )
    try:
        _serve(runner, once)
    finally:
        if worker_type == "dask":
            runner.close()


def _pool(store_url: str | None, name: str) -> dict[str, Any]:
    """The pool ``--pool`` names, read from the store or the server."""
    from ..workers.gateway import gateway_for

    pool = gateway_for(store_url).get_work_pool(name)
    if pool is None:
        raise click.UsageError(f"No work pool named {name!r} (orchestr-lab's REST API: POST work_pools)")
    return pool


def _serve(runner: Any, once: bool) -> None:
    if once:
        outcomes = runner.run_once()
        failed = 0
        for outcome in outcomes:
            run = outcome.run or {
                "id": outcome.run_id,
                "state": {"type": outcome.attempt.type.value, "name": outcome.attempt.name},
            }
            out.tsv(run.get("name"), out.state_label(run), (run.get("state") or {}).get("message"), run["id"])
            failed += out.state_type(run) != "COMPLETED"
        if failed:
            raise SystemExit(1)
        return

    def on_signal(signum: int, frame: Any) -> None:
        runner.stop()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        runner.run_forever()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
