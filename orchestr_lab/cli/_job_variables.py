"""``-v NAME=VALUE`` and ``--job-variables JSON``: job variables typed on the command line.

Shared by ``work-pools create/update`` (a pool's base variables) and ``deploy`` (a deployment's).
``env.NAME=VALUE`` sets one environment variable (its value always text); any other VALUE is
read as JSON when it reads as JSON (``warm_kernels=2``), else kept as text. The server checks the
result against the pool type's schema and names a bad variable.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

import click

from ..sdk.specs import json_or_text
from ._root import UserError

__all__ = ["job_variable_options", "job_variables_from"]

F = TypeVar("F", bound=Callable[..., Any])


def job_variable_options(what: str) -> Callable[[F], F]:
    """``-v/--job-variable NAME=VALUE`` (repeatable, as ``variable_pairs``) and ``--job-variables JSON``
    (as ``variables_json``); ``what`` says whose variables they are, in ``--help``."""
    pairs = click.option(
        "-v",
        "-jv",
        "--job-variable",
        "variable_pairs",
        multiple=True,
        metavar="NAME=VALUE",
        help=f"A job variable of {what} (repeatable); env.NAME=VALUE sets one environment variable.",
    )
    whole = click.option(
        "--job-variables", "variables_json", metavar="JSON", help=f"Job variables of {what} as one JSON object."
    )

    def apply(fn: F) -> F:
        return pairs(whole(fn))

    return apply


def job_variables_from(pairs: tuple[str, ...], text: str | None) -> dict[str, Any] | None:
    """The variables ``pairs`` and ``text`` give (pairs win); None when neither was given."""
    if not pairs and text is None:
        return None
    variables: dict[str, Any] = {}
    if text is not None:
        try:
            variables = json.loads(text)
        except ValueError as exc:
            raise UserError(f"--job-variables is not JSON: {exc}") from None
        if not isinstance(variables, dict):
            raise UserError('--job-variables must be a JSON object, e.g. \'{"env": {"A": "1"}}\'')
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise UserError(f"job variable {pair!r}: expected NAME=VALUE (or env.NAME=VALUE)")
        if name.startswith("env."):
            env = variables.setdefault("env", {})
            if not isinstance(env, dict):
                raise UserError("job variable env: must be an object of NAME=VALUE")
            env[name[4:]] = value
        else:
            variables[name] = json_or_text(value)
    return variables
