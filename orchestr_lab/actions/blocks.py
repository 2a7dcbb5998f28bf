"""The blocks routes: block types (``GET block_types``) and saved blocks
(``GET/POST blocks``, ``GET/PATCH/DELETE blocks/{block_type}/{name}``)."""

from __future__ import annotations

from typing import Any

from ..core.errors import found
from ..core.schemas_variables import BlockCreate, BlockQuery, BlockReadQuery, BlockUpdate
from . import Context

__all__ = ["create_block", "delete_block", "get_block", "list_block_types", "list_blocks", "update_block"]


def list_block_types(ctx: Context) -> list[dict[str, Any]]:
    from ..store.blocks import list_block_types as read

    return read(ctx.engine)


def list_blocks(ctx: Context, *, query: BlockQuery) -> list[dict[str, Any]]:
    """Saved blocks; secret fields always read ``********`` here."""
    from ..store.blocks import list_blocks as read

    return read(ctx.engine, slug=query.type, limit=query.limit)


def create_block(ctx: Context, *, body: BlockCreate) -> dict[str, Any]:
    """Save a block, registering its type and schema; 409 when the name is taken for the type."""
    from ..store.blocks import create_block as create

    return create(ctx.engine, body.name, body.block_type.model_dump(), body.block_schema.model_dump(), body.data)


def get_block(ctx: Context, *, block_type: str, name: str, query: BlockReadQuery) -> dict[str, Any]:
    """One block; its secrets only with ``include_secrets`` (what ``Block.load`` asks for)."""
    from ..store.blocks import get_block as read

    answer = read(ctx.engine, block_type, name, include_secrets=query.include_secrets)
    return found(answer, f"No block named {name!r} of block type {block_type!r}")


def update_block(ctx: Context, *, block_type: str, name: str, body: BlockUpdate) -> dict[str, Any]:
    from ..store.blocks import update_block as update

    schema = None if body.block_schema is None else body.block_schema.model_dump()
    return update(ctx.engine, block_type, name, body.data, schema)


def delete_block(ctx: Context, *, block_type: str, name: str) -> None:
    from ..store.blocks import delete_block as delete

    delete(ctx.engine, block_type, name)
