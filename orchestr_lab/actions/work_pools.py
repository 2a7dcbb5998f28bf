"""Work pools over REST, the CLI and the Python client: list, create, read, change, delete."""

from __future__ import annotations

from typing import Any

from ..core.errors import found
from ..core.schemas_pools import WorkPoolCreate, WorkPoolUpdate
from . import Context

__all__ = ["create_work_pool", "delete_work_pool", "get_work_pool", "list_work_pools", "update_work_pool"]


def list_work_pools(ctx: Context) -> list[dict[str, Any]]:
    from ..store.work_pools import list_pools

    return list_pools(ctx.engine)


def create_work_pool(ctx: Context, *, body: WorkPoolCreate) -> dict[str, Any]:
    """A new pool with its own queue of the same name; its base job variables checked by its type."""
    from ..store.work_pools import create_pool

    return create_pool(ctx.engine, body.model_dump())


def get_work_pool(ctx: Context, *, name: str) -> dict[str, Any]:
    from ..store.work_pools import get_pool

    return found(get_pool(ctx.engine, name), f"No work pool named {name!r}")


def update_work_pool(ctx: Context, *, name: str, body: WorkPoolUpdate) -> dict[str, Any]:
    from ..store.work_pools import update_pool

    return update_pool(ctx.engine, name, body.model_dump(exclude_unset=True))


def delete_work_pool(ctx: Context, *, name: str) -> None:
    """Its queues move back to the default pool; the default pool itself cannot be deleted (409)."""
    from ..store.work_pools import delete_pool

    delete_pool(ctx.engine, name)
