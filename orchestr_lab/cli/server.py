"""``orchestr-lab server``: the REST API, scheduler, reaper and local worker without JupyterLab.

A Jupyter server with only the orchestr-lab extension (see ``server_ext.headless``), so clients
authenticate exactly as with JupyterLab: ``Authorization: token T``. Suited to a machine that
only schedules and runs notebooks, or to a JupyterHub service: started by the Hub (``JUPYTERHUB_*``
in the environment) it listens where the Hub says, under the service's prefix, and accepts the
Hub's tokens instead of its own (``server_ext.hub``).
"""

from __future__ import annotations

import importlib.util
import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..core.settings import ENV_API_TOKEN, ENV_LOCAL_WORKER_QUEUES
from ._options import float_option, int_option
from ._root import CliState

if TYPE_CHECKING:
    from ..server_ext.hub import HubService

__all__ = ["server"]


@click.command("server")
@int_option("--port", default=8765, minimum=0, maximum=65535, help="Port to listen on (0: any free port).")
@click.option("--ip", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--db-url", metavar="URL", help="Store URL (default: the global --db-url).")
@click.option(
    "--token",
    envvar=ENV_API_TOKEN,
    metavar="TOKEN",
    help="Clients send 'Authorization: token TOKEN' [env: ORCHESTR_LAB_API_TOKEN; default: a "
    "random token, printed at start].",
)
@click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True),
    default=".",
    show_default=True,
    help="Notebook root: deployment paths are relative to it.",
)
@click.option(
    "--base-url", default="/", show_default=True, help="URL prefix [default under a Hub: JUPYTERHUB_SERVICE_PREFIX]."
)
@click.option(
    "--auth",
    type=click.Choice(["auto", "token", "hub"]),
    default="auto",
    show_default=True,
    help="Who may call the API: 'token' (--token), 'hub' (JupyterHub users and tokens holding "
    "access:services!service=NAME), 'auto' (hub when started as a Hub service, else token).",
)
@click.option(
    "--local-worker/--no-local-worker",
    default=True,
    show_default=True,
    help="Execute runs in this server (else only separate `orchestr-lab worker`s do).",
)
@int_option("--concurrency", default=2, minimum=1, help="Runs the local worker executes at once.")
@click.option("--queue", "queues", multiple=True, help="Queue the local worker serves (repeatable) [default: default].")
@float_option("--scheduler-interval", default=5.0, minimum=0.1, help="Seconds between scheduler and reaper passes.")
@click.option(
    "--missed-runs",
    type=click.Choice(["skip", "once", "all"]),
    help="Slots missed while no server ran: skip them, run once for the latest, or run all "
    "[env: ORCHESTR_LAB_MISSED_RUNS; default: once].",
)
@click.option(
    "--shutdown-grace",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="At SIGTERM, seconds running runs get to finish before they are handed back to be run "
    "again [env: ORCHESTR_LAB_SHUTDOWN_GRACE; default: 5].",
)
@click.pass_obj
def server(
    state: CliState,
    port: int,
    ip: str,
    db_url: str | None,
    token: str | None,
    root: str,
    base_url: str,
    auth: str,
    local_worker: bool,
    concurrency: int,
    queues: tuple[str, ...],
    scheduler_interval: float,
    missed_runs: str | None,
    shutdown_grace: float | None,
) -> None:
    """Serve the orchestr-lab API with its scheduler, reaper and local worker (no JupyterLab).

    SIGTERM stops it within the shutdown grace and a few seconds: running runs finish or are
    handed back, never lost.
    """
    from ..core.settings import db_url as configured_url

    url = db_url or state.db_url or configured_url()
    ctx = click.get_current_context()
    hub = _hub_service() if auth != "token" else None
    if auth == "hub" and hub is None:
        raise click.UsageError(
            "--auth hub needs the environment the Hub gives a service (JUPYTERHUB_API_TOKEN, "
            "JUPYTERHUB_SERVICE_NAME and JUPYTERHUB_SERVICE_URL or JUPYTERHUB_SERVICE_PREFIX)"
        )
    if hub is not None:
        # Where the Hub routes the service, unless said otherwise on the command line.
        explicit = {
            name
            for name in ("port", "ip", "base_url")
            if ctx.get_parameter_source(name) is not click.core.ParameterSource.DEFAULT
        }
        port = port if "port" in explicit or hub.port is None else hub.port
        ip = ip if "ip" in explicit or hub.ip is None else hub.ip
        base_url = base_url if "base_url" in explicit else hub.base_url
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
    if missed_runs is not None:  # else the setting's env twin (or its default) applies
        argv.append(f"--OrchestrLabApp.missed_runs={missed_runs}")
    if shutdown_grace is not None:
        argv.append(f"--OrchestrLabApp.shutdown_grace={shutdown_grace}")
    if queues:
        os.environ[ENV_LOCAL_WORKER_QUEUES] = ",".join(queues)  # the setting's env twin
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        argv.append("--ServerApp.allow_root=True")
    api = f"http://{ip}:{port}{base_url.rstrip('/')}/orchestr-lab/api/"
    if hub is not None:
        argv.append("--ServerApp.identity_provider_class=orchestr_lab.server_ext.hub.HubIdentityProvider")
        os.environ.pop("JUPYTER_TOKEN", None)
        click.echo(
            f"orchestr-lab API: {api}  (auth: JupyterHub service {hub.name} at {hub.api_url}; "
            f"clients send 'Authorization: token <their Hub API token>')",
            err=True,
        )
        if token:
            click.echo(
                "note: --token / ORCHESTR_LAB_API_TOKEN is not used under the Hub (--auth token to use it)", err=True
            )
    else:
        generated = not token
        token = token or secrets.token_hex(24)
        # Through the environment, not argv: a token on the command line shows in `ps`.
        os.environ["JUPYTER_TOKEN"] = token
        shown = token if generated else "<your --token>"
        click.echo(
            f"orchestr-lab API: {api}  (auth: token; clients send 'Authorization: token {shown}', "
            f"e.g. ORCHESTR_LAB_API_TOKEN={shown})",
            err=True,
        )
    from ..server_ext.headless import launch

    launch(argv)


def _hub_service() -> HubService | None:
    """The Hub service this process was started as, if any; refuses when jupyterhub is missing."""
    from ..server_ext.hub import hub_service

    hub = hub_service()
    if hub is not None and importlib.util.find_spec("jupyterhub") is None:
        raise click.ClickException(
            'authenticating through JupyterHub needs jupyterhub: pip install "orchestr-lab[hub]"'
        )
    return hub
