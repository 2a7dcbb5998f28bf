"""The variables routes: named JSON values (``GET/POST variables``, ``GET/PATCH/DELETE variables/{name}``)."""

from __future__ import annotations

from typing import Any

from ..core.errors import found
from ..core.schemas_variables import VariableCreate, VariableQuery, VariableUpdate
from . import Context

__all__ = ["create_variable", "delete_variable", "get_variable", "list_variables", "update_variable"]


def list_variables(ctx: Context, *, query: VariableQuery) -> list[dict[str, Any]]:
    from ..store.variables import list_variables as read

    return read(ctx.engine, name_contains=query.name, limit=query.limit)


def create_variable(ctx: Context, *, body: VariableCreate) -> dict[str, Any]:
    """A new variable; 409 when the name is taken (change it with PATCH)."""
    from ..store.variables import create_variable as create

    return create(ctx.engine, body.name, body.value, body.tags)


def get_variable(ctx: Context, *, name: str) -> dict[str, Any]:
    from ..store.variables import get_variable as read

    return found(read(ctx.engine, name), f"No variable named {name!r}")


def update_variable(ctx: Context, *, name: str, body: VariableUpdate) -> dict[str, Any]:
    """Change the fields the body holds (``"value": null`` included)."""
    from ..store.variables import update_variable as update

    sent = body.model_fields_set
    changes: dict[str, Any] = {"value": body.value} if "value" in sent else {}
    return update(ctx.engine, name, new_name=body.name, tags=body.tags, **changes)


def delete_variable(ctx: Context, *, name: str) -> None:
    from ..store.variables import delete_variable as delete

    delete(ctx.engine, name)
