"""Click options that several commands declare: each is defined once here.

So ``-p NAME VALUE``, ``--retries``, ``--timeout``, ``--json``, ``--token`` and the polling
``--interval`` take the same names, types and defaults in every command that has them; a
command passes only its own help text. :func:`int_option` and :func:`float_option` are the shape most numeric options
share (a lower bound and a default shown in ``--help``). The ``--api``/``--root`` group of the
commands that can use a server is :func:`~orchestr_lab.cli._api.api_options`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import click

from ..core.settings import ENV_API_TOKEN

__all__ = [
    "float_option",
    "int_option",
    "json_option",
    "parameter_option",
    "poll_interval_option",
    "retry_options",
    "seconds_option",
    "token_option",
]

F = TypeVar("F", bound=Callable[..., Any])


class Decorator(Protocol):
    """What ``click.option`` returns: it adds a parameter to any command function."""

    def __call__(self, fn: F, /) -> F: ...


token_option = click.option(
    "--token", envvar=ENV_API_TOKEN, metavar="TOKEN", help="Token for --api [env: ORCHESTR_LAB_API_TOKEN]."
)
"""``--token`` sent with ``--api`` (the server command's own ``--token`` is the one it checks)."""


def int_option(*decls: str, default: int, minimum: int, maximum: int | None = None, **attrs: Any) -> Decorator:
    """An integer of at least ``minimum`` (and at most ``maximum``), its default shown in ``--help``."""
    return click.option(*decls, default=default, show_default=True, type=click.IntRange(minimum, maximum), **attrs)


def float_option(*decls: str, default: float, minimum: float, **attrs: Any) -> Decorator:
    """A number of at least ``minimum``, its default shown in ``--help``."""
    return click.option(*decls, default=default, show_default=True, type=click.FloatRange(minimum), **attrs)


def seconds_option(*decls: str, help: str) -> Decorator:
    """A duration over zero with no default (``--timeout``, ``--interval`` of a schedule)."""
    return click.option(*decls, type=click.FloatRange(min=0, min_open=True), metavar="SECONDS", help=help)


def parameter_option(help: str) -> Decorator:
    """``-p NAME VALUE`` (repeatable), gathered as ``pairs``: values typed later, by the notebook or flow."""
    return click.option("-p", "--parameter", "pairs", nargs=2, multiple=True, metavar="NAME VALUE", help=help)


def json_option(help: str) -> Decorator:
    """``--json`` (as ``as_json``): print the result as JSON instead of a table or lines."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def poll_interval_option(follow_flag: str) -> Decorator:
    """``--interval``: seconds between polls while ``follow_flag`` follows a run."""
    return float_option("--interval", default=0.5, minimum=0.05, help=f"Seconds between polls with {follow_flag}.")


def retry_options(*, retries_help: str, delay_help: str | None = None) -> Decorator:
    """``--retries`` and ``--retry-delay``: how often a failed run runs again, and after how long."""
    retries = int_option("--retries", default=0, minimum=0, help=retries_help)
    delay = float_option("--retry-delay", default=0.0, minimum=0, metavar="SECONDS", help=delay_help)

    def apply(fn: F) -> F:
        return retries(delay(fn))

    return apply
