"""The Jupyter server extension: REST API, live event stream, and the background services
(``orchestr_lab.services``: scheduler, reaper, automations, local worker) started with it.

Import-light on purpose: ``_jupyter_server_extension_points`` imports the ExtensionApp (and so
jupyter_server) only when a Jupyter server asks for it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["_jupyter_server_extension_points"]


def _jupyter_server_extension_points() -> list[dict[str, Any]]:
    """Tell jupyter_server which ExtensionApp this package provides (imported on demand)."""
    from .app import OrchestrLabApp

    return [{"module": "orchestr_lab.server_ext.app", "app": OrchestrLabApp}]
