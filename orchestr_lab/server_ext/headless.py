"""The headless server behind ``orchestr-lab server``: jupyter_server with only this extension.

A stock ServerApp (not a hand-made tornado app) so authentication is exactly Jupyter's: token
(``Authorization: token T``), cookies + XSRF for browsers, and JupyterHub's identity provider
when run as a Hub service. Only the small ``api``/``auth`` services are served besides ours:
no contents, kernels or terminals routes, so the token grants the orchestr-lab API only.
"""

from __future__ import annotations

from typing import Any

from jupyter_server.serverapp import ServerApp
from traitlets import default

from .app import OrchestrLabApp

__all__ = ["HeadlessApp", "HeadlessServerApp"]


class HeadlessServerApp(ServerApp):
    """A Jupyter server serving the orchestr-lab API and nothing a notebook user needs."""

    name = "orchestr-lab-server"
    description = "orchestr-lab API, scheduler, reaper and local worker, without JupyterLab"
    default_services = ("api", "auth")


class HeadlessApp(OrchestrLabApp):
    """Launches :class:`HeadlessServerApp` with this extension alone (``launch_instance``)."""

    load_other_extensions = False
    serverapp_class = HeadlessServerApp

    @default("default_url")
    def _default_default_url(self) -> str:
        return "/orchestr-lab/api/health"

    @default("open_browser")
    def _default_open_browser(self) -> bool:
        return False


def launch(argv: list[str], **kwargs: Any) -> None:
    """Run until SIGINT/SIGTERM; services stop cleanly with the server."""
    HeadlessApp.launch_instance(argv=argv, **kwargs)
