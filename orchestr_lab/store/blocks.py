"""Blocks: block types, their schemas (one per checksum) and saved blocks, data encrypted.

A block's data is encrypted as a whole (:mod:`.secret_key`) before it is written, so neither
its secrets nor anything else of it can be read from the database. Reads decrypt; lists and a
plain read show each secret field as ``********``, and only a read asking ``include_secrets``
(``Block.load``) gets the values.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from .database import read_connection, write_transaction
from .models import block_documents, block_schemas, block_types
from .rows import iso
from .secret_key import SecretKeyError, cipher_for
from .sql_helpers import insert_ignore, utc_now

__all__ = ["OBFUSCATED", "create_block", "delete_block", "get_block", "list_block_types", "list_blocks", "update_block"]

#: What a secret field reads as unless its value was asked for.
OBFUSCATED = "********"

_DOC_COLUMNS = (
    block_documents.c.id,
    block_documents.c.name,
    block_documents.c.data,
    block_documents.c.created,
    block_documents.c.updated,
    block_types.c.slug,
    block_types.c.name.label("type_name"),
    block_schemas.c.checksum,
    block_schemas.c.capabilities,
    block_schemas.c.secret_fields,
)
_DOCS = block_documents.join(block_types, block_documents.c.block_type_id == block_types.c.id).join(
    block_schemas, block_documents.c.block_schema_id == block_schemas.c.id
)


def _hide(data: Any, path: list[str]) -> None:
    """Replace the value at dotted ``path`` of ``data`` (``*``: every value there) in place."""
    head, rest = path[0], path[1:]
    if not isinstance(data, dict):
        return
    keys = list(data) if head == "*" else [head] if head in data else []
    for key in keys:
        if rest:
            _hide(data[key], rest)
        elif data[key] is not None:
            data[key] = OBFUSCATED


def _doc_dict(engine: Engine, row: RowMapping | Mapping[str, Any], include_secrets: bool) -> dict[str, Any]:
    try:
        data = json.loads(cipher_for(engine).decrypt(row["data"].encode()))
    except Exception as exc:  # cryptography's InvalidToken: another key, or a changed row
        if isinstance(exc, SecretKeyError):
            raise
        raise SecretKeyError(
            f"Block {row['slug']}/{row['name']} cannot be decrypted with this store's key: "
            "the key file beside the store is not the one it was saved with"
        ) from None
    secret_fields = list(row["secret_fields"] or [])
    if not include_secrets:
        for path in secret_fields:
            _hide(data, path.split("."))
    return {
        "id": row["id"],
        "name": row["name"],
        "block_type_slug": row["slug"],
        "block_type_name": row["type_name"],
        "block_schema_checksum": row["checksum"],
        "capabilities": list(row["capabilities"] or []),
        "secret_fields": secret_fields,
        "data": data,
        "created": iso(row["created"]),
        "updated": iso(row["updated"]),
    }


def _missing(slug: str, name: str) -> NotFound:
    return NotFound(f"No block named {name!r} of block type {slug!r}")


def _encrypt(engine: Engine, data: dict[str, Any]) -> str:
    return cipher_for(engine).encrypt(json.dumps(data).encode()).decode()


def _register(conn: Connection, block_type: Mapping[str, Any], schema: Mapping[str, Any]) -> tuple[str, str]:
    """The ids of ``block_type`` (made, or its name and description brought up to date) and of
    its ``schema`` (made when the type has no schema with that checksum)."""
    now = utc_now()
    slug = block_type["slug"]
    described = {"name": block_type["name"], "description": block_type.get("description")}
    type_row = {"id": str(uuid.uuid4()), "slug": slug, **described, "created": now, "updated": now}
    if not insert_ignore(conn, block_types, type_row, ["slug"]):
        conn.execute(update(block_types).where(block_types.c.slug == slug).values(**described, updated=now))
    type_id = conn.execute(select(block_types.c.id).where(block_types.c.slug == slug)).scalar_one()
    schema_row = {
        "id": str(uuid.uuid4()),
        "block_type_id": type_id,
        "checksum": schema["checksum"],
        "fields": schema["fields"],
        "secret_fields": list(schema.get("secret_fields") or []),
        "capabilities": list(schema.get("capabilities") or []),
        "version": schema.get("version") or "1",
        "created": now,
    }
    insert_ignore(conn, block_schemas, schema_row, ["block_type_id", "checksum"])
    schema_id = conn.execute(
        select(block_schemas.c.id).where(
            block_schemas.c.block_type_id == type_id, block_schemas.c.checksum == schema["checksum"]
        )
    ).scalar_one()
    return type_id, schema_id


def _read(engine: Engine, conn: Connection, slug: str, name: str, include_secrets: bool) -> dict[str, Any] | None:
    stmt = select(*_DOC_COLUMNS).select_from(_DOCS).where(block_types.c.slug == slug, block_documents.c.name == name)
    row = conn.execute(stmt).mappings().first()
    return None if row is None else _doc_dict(engine, row, include_secrets)


def create_block(
    engine: Engine, name: str, block_type: Mapping[str, Any], block_schema: Mapping[str, Any], data: dict[str, Any]
) -> dict[str, Any]:
    """Save a new block (registering its type and schema); :class:`Conflict` when the type
    already has a block of that name."""
    sealed = _encrypt(engine, data)

    def work(conn: Connection) -> dict[str, Any]:
        type_id, schema_id = _register(conn, block_type, block_schema)
        now = utc_now()
        row = {
            "id": str(uuid.uuid4()),
            "name": name,
            "block_type_id": type_id,
            "block_schema_id": schema_id,
            "data": sealed,
            "created": now,
            "updated": now,
        }
        if not insert_ignore(conn, block_documents, row, ["block_type_id", "name"]):
            raise Conflict(f"Block {block_type['slug']}/{name} already exists; save it with overwrite=True")
        return _read(engine, conn, block_type["slug"], name, False)  # type: ignore[return-value]

    return write_transaction(engine, work)


def update_block(
    engine: Engine, slug: str, name: str, data: dict[str, Any], block_schema: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Replace a saved block's data (and the schema it follows, when given)."""
    sealed = _encrypt(engine, data)

    def work(conn: Connection) -> dict[str, Any]:
        type_row = conn.execute(select(block_types).where(block_types.c.slug == slug)).mappings().first()
        if type_row is None:
            raise _missing(slug, name)
        changes: dict[str, Any] = {"data": sealed, "updated": utc_now()}
        if block_schema is not None:
            changes["block_schema_id"] = _register(conn, dict(type_row), block_schema)[1]
        where = (block_documents.c.block_type_id == type_row["id"], block_documents.c.name == name)
        if not conn.execute(update(block_documents).where(*where).values(**changes)).rowcount:
            raise _missing(slug, name)
        return _read(engine, conn, slug, name, False)  # type: ignore[return-value]

    return write_transaction(engine, work)


def get_block(engine: Engine, slug: str, name: str, *, include_secrets: bool = False) -> dict[str, Any] | None:
    with read_connection(engine) as conn:
        return _read(engine, conn, slug, name, include_secrets)


def list_blocks(engine: Engine, *, slug: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
    """Saved blocks by type and name (of type ``slug`` only, when given), secrets hidden."""
    stmt = select(*_DOC_COLUMNS).select_from(_DOCS).order_by(block_types.c.slug, block_documents.c.name).limit(limit)
    if slug:
        stmt = stmt.where(block_types.c.slug == slug)
    with read_connection(engine) as conn:
        rows = conn.execute(stmt).mappings().all()
    return [_doc_dict(engine, r, False) for r in rows]


def delete_block(engine: Engine, slug: str, name: str) -> None:
    def work(conn: Connection) -> None:
        type_id = select(block_types.c.id).where(block_types.c.slug == slug).scalar_subquery()
        where = (block_documents.c.block_type_id == type_id, block_documents.c.name == name)
        if not conn.execute(delete(block_documents).where(*where)).rowcount:
            raise _missing(slug, name)

    write_transaction(engine, work)


def list_block_types(engine: Engine) -> list[dict[str, Any]]:
    """Every registered block type, with its newest schema and counts of schemas and blocks."""
    with read_connection(engine) as conn:
        types = conn.execute(select(block_types).order_by(block_types.c.slug)).mappings().all()
        schemas = conn.execute(select(block_schemas).order_by(block_schemas.c.created)).mappings().all()
        counts: dict[str, int] = dict(
            conn.execute(
                select(block_documents.c.block_type_id, func.count()).group_by(block_documents.c.block_type_id)
            ).all()
        )
    newest: dict[str, Any] = {}
    per_type: dict[str, int] = {}
    for schema in schemas:  # oldest first: the last one seen is the newest
        newest[schema["block_type_id"]] = schema
        per_type[schema["block_type_id"]] = per_type.get(schema["block_type_id"], 0) + 1
    return [
        {
            "id": t["id"],
            "slug": t["slug"],
            "name": t["name"],
            "description": t["description"],
            "checksum": newest[t["id"]]["checksum"] if t["id"] in newest else "",
            "capabilities": list(newest[t["id"]]["capabilities"] or []) if t["id"] in newest else [],
            "schemas": per_type.get(t["id"], 0),
            "blocks": int(counts.get(t["id"], 0)),
            "created": iso(t["created"]),
            "updated": iso(t["updated"]),
        }
        for t in types
    ]
