"""What each REST route does, as plain synchronous functions over the store (no jupyter import).

Handlers stay declarative (the route table in ``server_ext/routes.py`` names one function per
route); the functions compose the store, the deployment view (:mod:`.deployment_view`), the
root-confined paths (:mod:`orchestr_lab.workers.paths`) and the notebook-parameter checks, and raise the errors of
``core.errors`` that the base handler maps to HTTP. The CLI and the notebook SDK call the same
functions when they talk to the store directly (``sdk/client.py``'s local backend), so
``orchestr-lab deploy``, ``%orchestr schedule`` and ``POST /deployments`` agree.

A top-level package rather than part of ``server_ext`` so that those in-process callers need
neither jupyter_server nor tornado: the layers are ``server_ext -> actions -> store -> core``
and ``sdk -> actions``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = ["Context", "field_error"]


def field_error(field: str, message: str, value: Any) -> ValidationError:
    """A 422 naming the offending field, shaped like pydantic's own validation errors."""
    return ValidationError.from_exception_data(
        "request",
        [{"type": "value_error", "loc": (field,), "input": value, "ctx": {"error": ValueError(message)}}],
    )


@dataclass(frozen=True)
class Context:
    """What the actions need to know about where they run.

    ``root_dir`` is the server root: notebook paths are relative to it and may not leave it.
    ``services`` reports which background services run here (for ``/health``);
    ``runs_due`` tells them a run was just made due (the local worker claims it at once
    instead of at its next poll). ``results_dir``: where executed notebooks uploaded by
    remote workers are kept (default: the configured results folder).
    """

    engine: Engine
    root_dir: Path
    base_url: str = "/"
    services: Callable[[], dict[str, bool]] = field(default=dict)
    runs_due: Callable[[], None] = field(default=lambda: None)
    results_dir: Path | None = None
