"""Where ``deploy``, ``deployments`` and ``runs`` act: the local store, or a server's REST API.

The backends themselves are the sdk's client (``sdk/client.py``): without ``--api`` they call
the same functions the REST handlers call (``orchestr_lab.actions``) on the local store, so
both paths check and store exactly the same things; with ``--api URL`` (or
``ORCHESTR_LAB_API_URL``) they speak HTTP to that server with ``Authorization: token T``.
This module adds only the click side: the shared options, which hand the command the backend
they choose (with the root group's :class:`CliState`). The client's ``ClientError`` prints as
``error: <message>`` (the root group turns it into :class:`UserError`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..sdk.client import ENV_API_URL, ENV_ROOT, Backend, connect
from ._options import token_option
from ._root import CliState

__all__ = ["Backend", "api_options", "backend_from", "remote_options"]

R = TypeVar("R")

_root_option = click.option(
    "--root",
    type=click.Path(file_okay=False, exists=True),
    envvar=ENV_ROOT,
    help="Notebook root (paths are stored relative to it) when using the local store "
    "[env: ORCHESTR_LAB_ROOT_DIR; default: the current directory]. Use the "
    "Jupyter server's root so its worker finds the notebooks.",
)
_api_option = click.option(
    "--api",
    "api_url",
    envvar=ENV_API_URL,
    metavar="URL",
    help="Talk to the server at URL (its base URL, e.g. http://host:8888/) instead of "
    "the local store [env: ORCHESTR_LAB_API_URL].",
)


def api_options(fn: Callable[..., R]) -> Callable[..., R]:
    """``--api``, ``--token`` and ``--root``, for the commands that can go either way.

    The command gets, in their place, ``backend``: the :class:`Backend` they choose.
    """
    return _api_option(token_option(_root_option(_pass_backend(fn))))


def remote_options(fn: Callable[..., R]) -> Callable[..., R]:
    """``--api`` and ``--token``, for the commands that touch no notebook path (``runs``); as :func:`api_options`."""
    return _api_option(token_option(_pass_backend(fn)))


def _pass_backend(fn: Callable[..., R]) -> Callable[..., R]:
    """Call ``fn`` with ``backend=`` the server or store chosen by ``--api``/``--token``/``--root``."""

    @functools.wraps(fn)
    def call(*args: Any, api_url: str | None, token: str | None, root: str | None = None, **options: Any) -> R:
        backend = backend_from(click.get_current_context().obj, api_url, token, root)
        return fn(*args, backend=backend, **options)

    return call


def backend_from(state: CliState, api_url: str | None, token: str | None, root: str | None = None) -> Backend:
    """The server at ``api_url``, else the store of ``--db-url`` with paths under ``root``."""
    return connect(api_url=api_url, token=token, root=root, engine=state.db_url)
