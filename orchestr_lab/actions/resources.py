"""The smaller resources: health, notebook parameters, work queues, workers, events."""

from __future__ import annotations

from typing import Any

from ..core.errors import NotFound, found
from ..core.schemas import (
    EventQuery,
    NotebookPathQuery,
    WorkQueueCreate,
    WorkQueueUpdate,
)
from ..workers.paths import resolve_under_root
from . import Context, field_error

__all__ = [
    "create_queue",
    "delete_queue",
    "get_queue",
    "health",
    "list_events",
    "list_queues",
    "list_workers",
    "notebook_parameters",
    "update_queue",
]


def health(ctx: Context) -> dict[str, Any]:
    """The extension answers; ``services`` says which background services run in this server."""
    from ..core.version import __version__

    return {"status": "ok", "version": __version__, "services": ctx.services()}


def notebook_parameters(ctx: Context, *, query: NotebookPathQuery) -> dict[str, Any]:
    """The parameters cell of a notebook under the root: name, type, default, help."""
    from ..workers.notebook_files import read_notebook_parameters

    path = resolve_under_root(ctx.root_dir, query.path)
    if not path.is_file():
        raise NotFound(f"No notebook {query.path!r} under the server root")
    try:
        return {"parameters": read_notebook_parameters(path)}
    except ValueError as exc:  # nbformat's NotJSONError and friends
        raise field_error("path", f"not a readable notebook: {exc}", query.path) from None


# -- work queues ---------------------------------------------------------------------------


def list_queues(ctx: Context) -> list[dict[str, Any]]:
    from ..store.queues import list_queues as read

    return read(ctx.engine)


def create_queue(ctx: Context, *, body: WorkQueueCreate) -> dict[str, Any]:
    from ..store.queues import create_queue as create

    return create(ctx.engine, body.model_dump())


def get_queue(ctx: Context, *, name: str) -> dict[str, Any]:
    from ..store.queues import get_queue as read

    return found(read(ctx.engine, name), f"No work queue named {name!r}")


def update_queue(ctx: Context, *, name: str, body: WorkQueueUpdate) -> dict[str, Any]:
    from ..store.queues import update_queue as update

    return update(ctx.engine, name, body.model_dump(exclude_unset=True))


def delete_queue(ctx: Context, *, name: str) -> None:
    from ..store.queues import delete_queue as delete

    delete(ctx.engine, name)


# -- workers and events --------------------------------------------------------------------


def list_workers(ctx: Context) -> list[dict[str, Any]]:
    """Workers that ever heartbeated, with when they were last seen."""
    from ..store.workers import list_workers as read

    return read(ctx.engine)


def list_events(ctx: Context, *, query: EventQuery) -> dict[str, Any]:
    """Events after the cursor, oldest first; the answer's ``cursor`` is the next ``after``."""
    from ..store.events import list_events as read

    items = read(ctx.engine, after=query.after, limit=query.limit)
    return {"items": items, "cursor": items[-1]["id"] if items else query.after}
