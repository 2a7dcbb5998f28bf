"""orchestr-lab: workflow orchestration that lives inside Jupyter.

``from orchestr_lab import flow, task`` runs Prefect 3 code unchanged. Importing this package
has no side effects: no database, no threads, no network until a flow or task runs.
"""

from . import runtime
from .core.version import __version__ as __version__
from .engine.futures import unmapped
from .sdk.contexts import tags
from .sdk.deployments import deploy, serve
from .sdk.flows import flow
from .sdk.get_client import get_client
from .sdk.logs import get_run_logger
from .sdk.records import record
from .sdk.sweeps import sweep
from .sdk.tasks import task


def _jupyter_server_extension_points() -> list[dict[str, object]]:
    """jupyter_server's hook (the server config enables ``orchestr_lab``); imports the app lazily."""
    from .server_ext import _jupyter_server_extension_points as points

    return points()


def load_ipython_extension(ipython: object) -> None:
    """``%load_ext orchestr_lab``: the ``%%flow``, ``%%task`` and ``%orchestr`` magics."""
    from .sdk.magics import load_ipython_extension as load

    load(ipython)


def unload_ipython_extension(ipython: object) -> None:
    from .sdk.magics import unload_ipython_extension as unload

    unload(ipython)


__all__ = [
    "deploy",
    "flow",
    "get_client",
    "get_run_logger",
    "record",
    "runtime",
    "serve",
    "sweep",
    "tags",
    "task",
    "unmapped",
]
