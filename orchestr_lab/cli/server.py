"""``orchestr-lab server``: the REST API, scheduler, reaper and local worker without JupyterLab.

A Jupyter server with only the orchestr-lab extension (see ``server_ext.headless``), so clients
authenticate exactly as with JupyterLab: ``Authorization: token T``. Suited to a machine that
only schedules and runs notebooks, or to a JupyterHub service.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import click

from ._root import CliState

__all__ = ["server"]


@click.command("server")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(min=0, max=65535),
              help="Port to listen on (0: any free port).")
@click.option("--ip", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--db-url", metavar="URL", help="Store URL (default: the global --db-url).")
@click.option("--token", envvar="ORCHESTR_LAB_API_TOKEN", metavar="TOKEN",
              help="Clients send 'Authorization: token TOKEN' [env: ORCHESTR_LAB_API_TOKEN; default: a "
                   "random token, printed at start].")
@click.option("--root", type=click.Path(file_okay=False, exists=True), default=".", show_default=True,
              help="Notebook root: deployment paths are relative to it.")
@click.option("--base-url", default="/", show_default=True, help="URL prefix (e.g. a Hub service's prefix).")
@click.option("--local-worker/--no-local-worker", default=True, show_default=True,
              help="Execute runs in this server (else only separate `orchestr-lab worker`s do).")
@click.option("--concurrency", default=2, show_default=True, type=click.IntRange(min=1),
              help="Runs the local worker executes at once.")
@click.option("--queue", "queues", multiple=True, help="Queue the local worker serves (repeatable) [default: default].")
@click.option("--scheduler-interval", default=5.0, show_default=True, type=click.FloatRange(min=0.1),
              help="Seconds between scheduler and reaper passes.")
@click.pass_obj
def server(state: CliState, port: int, ip: str, db_url: str | None, token: str | None, root: str, base_url: str,
           local_worker: bool, concurrency: int, queues: tuple[str, ...], scheduler_interval: float) -> None:
    """Serve the orchestr-lab API with its scheduler, reaper and local worker (no JupyterLab)."""
    from ..core.settings import db_url as configured_url

    url = db_url or state.db_url or configured_url()
    generated = not token
    token = token or secrets.token_hex(24)
    # Through the environment, not argv: a token on the command line shows in `ps`.
    os.environ["JUPYTER_TOKEN"] = token
    argv = [
        f"--ServerApp.port={port}",
        f"--ServerApp.ip={ip}",
        "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={Path(root).resolve()}",
        f"--ServerApp.base_url={base_url}",
        "--ServerApp.answer_yes=True",
        "--ServerApp.open_browser=False",
        f"--OrchestrLabApp.db_url={url}",
        f"--OrchestrLabApp.local_worker={local_worker}",
        f"--OrchestrLabApp.local_worker_concurrency={concurrency}",
        f"--OrchestrLabApp.scheduler_interval={scheduler_interval}",
    ]
    if queues:
        os.environ["ORCHESTR_LAB_LOCAL_WORKER_QUEUES"] = ",".join(queues)  # the setting's env twin
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--ServerApp.allow_root=True")
    shown = token if generated else "<your --token>"
    click.echo(f"orchestr-lab API: http://{ip}:{port}{base_url.rstrip('/')}/orchestr-lab/api/  "
               f"(clients send 'Authorization: token {shown}', e.g. ORCHESTR_LAB_API_TOKEN={shown})", err=True)
    from ..server_ext.headless import launch

    launch(argv)
