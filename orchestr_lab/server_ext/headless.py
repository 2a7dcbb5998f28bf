"""The headless server behind ``orchestr-lab server``: jupyter_server with only this extension.

A stock ServerApp (not a hand-made tornado app) so authentication is exactly Jupyter's: token
(``Authorization: token T``), cookies + XSRF for browsers, and JupyterHub's identity provider
when run as a Hub service. Only the small ``api``/``auth`` services are served besides ours:
no contents, kernels or terminals routes, so the token grants the orchestr-lab API only.

SIGTERM (or SIGINT) always stops it: the services stop within the local worker's
``shutdown_grace`` plus a few seconds (runs in progress finish or are handed back), requests
still waiting on the store are abandoned, and it exits with code 0. Should stopping itself
hang, :data:`STOP_MARGIN` seconds past the grace it exits anyway with code 1, saying so; runs
it still held are then CRASHED by the next server's reaper and retried, as after ``kill -9``.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from jupyter_server.serverapp import ServerApp
from traitlets import default

from ..services.exit_deadline import exit_after, flush_output
from .app import OrchestrLabApp

__all__ = ["STOP_MARGIN", "HeadlessApp", "HeadlessServerApp"]

#: Seconds past the local worker's shutdown grace after which a stopping server exits anyway.
STOP_MARGIN = 15.0


class HeadlessServerApp(ServerApp):
    """A Jupyter server serving the orchestr-lab API and nothing a notebook user needs."""

    name = "orchestr-lab-server"
    description = "orchestr-lab API, scheduler, reaper and local worker, without JupyterLab"
    default_services = ("api", "auth")  # type: ignore[assignment]  # a subset of the base's services
    _exit_deadline_armed = False

    def _signal_stop(self, sig: Any, frame: Any) -> None:
        """Stop as Jupyter does, with a deadline: a stop signal must end the process."""
        if not self._exit_deadline_armed:
            self._exit_deadline_armed = True
            manager = getattr(self, "extension_manager", None)
            apps = manager.extension_apps.get(HeadlessApp.name, set()) if manager is not None else set()
            grace = max((float(getattr(app, "shutdown_grace", 0.0)) for app in apps), default=0.0)
            exit_after(grace + STOP_MARGIN, self.log)
        super()._signal_stop(sig, frame)


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
    """Run until SIGINT/SIGTERM; services stop cleanly with the server, then the process ends.

    A request still waiting on the store (behind another client's lock, say) would keep the
    interpreter from exiting (the API's worker threads are joined at exit): once the services
    have stopped, its answer can no longer be sent anyway, so the process exits without it.
    """
    HeadlessApp.launch_instance(argv=argv, **kwargs)
    main = threading.main_thread()
    deadline = time.monotonic() + 2.0
    for thread in threading.enumerate():
        if thread is not main and not thread.daemon:
            thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [t.name for t in threading.enumerate() if t is not main and not t.daemon and t.is_alive()]
    if stuck:
        log = logging.getLogger(HeadlessServerApp.name)
        log.warning(
            "orchestr-lab: stopped; exiting without %d request(s) still waiting (%s)", len(stuck), ", ".join(stuck)
        )
        flush_output(log)
        os._exit(0)
