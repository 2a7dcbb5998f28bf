"""``orchestr-lab blocks``: list, show and remove saved blocks; list block types.

``show`` prints secret fields as ``********`` unless ``--show-secrets`` asks for them.
"""

from __future__ import annotations

import json

import click

from . import _output as out
from ._api import Backend, remote_options
from ._options import json_option
from ._root import UserError
from .variables import Column, print_rows

__all__ = ["blocks"]


def _split(slug_name: str) -> tuple[str, str]:
    slug, sep, name = slug_name.partition("/")
    if not sep or not slug or not name:
        raise UserError(f"{slug_name!r} is not BLOCK_TYPE/NAME (for example secret/api-key)")
    return slug, name


@click.group()
def blocks() -> None:
    """Saved blocks (Block.save / Block.load) and their types."""


@blocks.command("ls")
@click.option("--type", "block_type", metavar="SLUG", help="Only blocks of this block type.")
@json_option("Print the blocks as JSON (secret fields hidden).")
@remote_options
def ls(backend: Backend, block_type: str | None, as_json: bool) -> None:
    """List saved blocks: type/name, schema checksum, updated."""
    items = backend.list_blocks({"type": block_type} if block_type else {})
    if as_json:
        out.echo_json(items)
        return
    columns: list[Column] = [
        ("block", lambda b: f"{b['block_type_slug']}/{b['name']}"),
        ("type", lambda b: b["block_type_name"]),
        ("checksum", lambda b: b["block_schema_checksum"][:19]),
        ("updated", lambda b: b["updated"]),
    ]
    print_rows(items, columns, empty="No blocks. Save one in Python: Secret(value=...).save('name')")


@blocks.command("types")
@json_option("Print the block types as JSON.")
@remote_options
def types(backend: Backend, as_json: bool) -> None:
    """List block types: slug, name, schemas registered, blocks saved."""
    items = backend.list_block_types()
    if as_json:
        out.echo_json(items)
        return
    columns: list[Column] = [
        ("slug", lambda t: t["slug"]),
        ("name", lambda t: t["name"]),
        ("schemas", lambda t: t["schemas"]),
        ("blocks", lambda t: t["blocks"]),
    ]
    print_rows(items, columns, empty="No block types registered yet.")


@blocks.command("show")
@click.argument("slug_name", metavar="BLOCK_TYPE/NAME")
@click.option("--show-secrets", is_flag=True, help="Print the secret fields' values too.")
@remote_options
def show(backend: Backend, slug_name: str, show_secrets: bool) -> None:
    """Print a saved block as JSON (its secret fields as ******** unless --show-secrets)."""
    from ..core.errors import NotFound

    slug, name = _split(slug_name)
    found = backend.get_block(slug, name, include_secrets=show_secrets)
    if found is None:
        raise NotFound(f"No block named {name!r} of block type {slug!r}")
    click.echo(json.dumps(found, indent=2))


@blocks.command("rm")
@click.argument("slug_name", metavar="BLOCK_TYPE/NAME")
@remote_options
def rm(backend: Backend, slug_name: str) -> None:
    """Delete a saved block."""
    slug, name = _split(slug_name)
    backend.delete_block(slug, name)
    click.echo(f"Deleted block {slug}/{name}.")
