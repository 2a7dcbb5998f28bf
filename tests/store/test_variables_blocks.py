"""Variables and saved blocks in the store, on SQLite and PostgreSQL: names are unique, values
come back as saved, and a block's secrets never reach the database in clear text."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import Engine

from orchestr_lab.core.errors import Conflict, NotFound
from orchestr_lab.store import blocks, variables
from orchestr_lab.store.secret_key import SecretKeyError, forget_keys, key_path

SECRET = "hunter2-Zq9-never-in-clear"


def _schema(checksum_digit: str = "a", secret_fields: list[str] | None = None) -> dict[str, Any]:
    return {
        "checksum": "sha256:" + checksum_digit * 64,
        "fields": {"title": "Creds", "properties": {"user": {"type": "string"}, "password": {"type": "string"}}},
        "secret_fields": ["password"] if secret_fields is None else secret_fields,
        "capabilities": ["login"],
        "version": "1",
    }


_TYPE = {"slug": "creds", "name": "Creds", "description": "A user and a password"}


def test_variables_keep_json_values_and_unique_names(engine: Engine) -> None:
    made = variables.create_variable(engine, "region", {"zone": ["eu", 1, None]}, ["infra"])
    assert (made["name"], made["value"], made["tags"]) == ("region", {"zone": ["eu", 1, None]}, ["infra"])
    with pytest.raises(Conflict, match="'region' already exists"):
        variables.create_variable(engine, "region", 2)

    variables.update_variable(engine, "region", value=None)
    assert variables.get_variable(engine, "region")["value"] is None  # type: ignore[index]
    variables.create_variable(engine, "other", "x")
    with pytest.raises(Conflict):
        variables.update_variable(engine, "other", new_name="region")
    renamed = variables.update_variable(engine, "other", new_name="renamed", tags=["a"])
    assert (renamed["name"], renamed["value"], renamed["tags"]) == ("renamed", "x", ["a"])
    assert [v["name"] for v in variables.list_variables(engine)] == ["region", "renamed"]
    assert [v["name"] for v in variables.list_variables(engine, name_contains="nam")] == ["renamed"]

    variables.delete_variable(engine, "region")
    assert variables.get_variable(engine, "region") is None
    with pytest.raises(NotFound):
        variables.delete_variable(engine, "region")
    with pytest.raises(NotFound):
        variables.update_variable(engine, "region", value=1)


def _raw_store_text(engine: Engine) -> bytes:
    """Everything the database holds of block documents, as bytes: the SQLite file (and its
    journal), or PostgreSQL's rows read back as text."""
    if engine.dialect.name == "sqlite":
        db = Path(engine.url.database or "")
        engine.dispose()  # checkpoint: nothing left only in memory
        return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*") if not p.name.endswith("secret-key"))
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT CAST(block_documents AS text) FROM block_documents")).scalars().all()
    return "\n".join(rows).encode()


def test_a_saved_secret_is_not_in_the_database_in_clear_text(engine: Engine) -> None:
    user = "ada-lovelace-1815"  # long enough never to occur in the schema's own text
    blocks.create_block(engine, "db", _TYPE, _schema(), {"user": user, "password": SECRET})

    raw = _raw_store_text(engine)
    assert raw, "the store holds the block"
    assert SECRET.encode() not in raw
    assert user.encode() not in raw  # the whole document is encrypted, not only its secret fields

    loaded = blocks.get_block(engine, "creds", "db", include_secrets=True)
    assert loaded is not None and loaded["data"] == {"user": user, "password": SECRET}
    path = key_path(engine)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    if engine.dialect.name == "sqlite":
        assert path.parent == Path(engine.url.database or "").parent


def test_lists_and_plain_reads_hide_secret_fields(engine: Engine) -> None:
    blocks.create_block(engine, "db", _TYPE, _schema(), {"user": "ada", "password": SECRET})
    (listed,) = blocks.list_blocks(engine)
    assert listed["data"] == {"user": "ada", "password": "********"}
    assert blocks.get_block(engine, "creds", "db")["data"]["password"] == "********"  # type: ignore[index]
    assert blocks.list_blocks(engine, slug="secret") == []


def test_a_taken_name_conflicts_and_an_update_replaces_the_data(engine: Engine) -> None:
    blocks.create_block(engine, "db", _TYPE, _schema(), {"user": "ada", "password": "1"})
    with pytest.raises(Conflict, match="creds/db already exists"):
        blocks.create_block(engine, "db", _TYPE, _schema(), {"user": "bob", "password": "2"})
    blocks.update_block(engine, "creds", "db", {"user": "bob", "password": "2"})
    assert blocks.get_block(engine, "creds", "db", include_secrets=True)["data"]["user"] == "bob"  # type: ignore[index]
    with pytest.raises(NotFound):
        blocks.update_block(engine, "creds", "missing", {})
    blocks.delete_block(engine, "creds", "db")
    assert blocks.get_block(engine, "creds", "db") is None
    with pytest.raises(NotFound):
        blocks.delete_block(engine, "creds", "db")


def test_a_changed_class_registers_a_new_schema_and_old_blocks_keep_theirs(engine: Engine) -> None:
    blocks.create_block(engine, "old", _TYPE, _schema("a"), {"user": "a", "password": "1"})
    blocks.create_block(engine, "again", _TYPE, _schema("a"), {"user": "b", "password": "2"})
    (kind,) = blocks.list_block_types(engine)
    assert (kind["slug"], kind["schemas"], kind["blocks"], kind["capabilities"]) == ("creds", 1, 2, ["login"])

    blocks.create_block(engine, "new", _TYPE, _schema("b"), {"user": "c", "password": "3"})
    (kind,) = blocks.list_block_types(engine)
    assert (kind["schemas"], kind["blocks"], kind["checksum"]) == (2, 3, "sha256:" + "b" * 64)
    checksums = {b["name"]: b["block_schema_checksum"][7] for b in blocks.list_blocks(engine)}
    assert checksums == {"again": "a", "new": "b", "old": "a"}


def test_another_key_cannot_read_the_blocks_and_says_so(tmp_path: Path) -> None:
    from cryptography.fernet import Fernet

    from orchestr_lab.store.database import dispose_engines, get_engine

    url = f"sqlite:///{tmp_path / 'keyed.db'}"
    engine = get_engine(url)
    blocks.create_block(engine, "db", _TYPE, _schema(), {"user": "ada", "password": SECRET})
    key_path(engine).write_bytes(Fernet.generate_key())
    forget_keys()
    try:
        with pytest.raises(SecretKeyError, match="creds/db cannot be decrypted"):
            blocks.get_block(engine, "creds", "db", include_secrets=True)
    finally:
        forget_keys()
        dispose_engines(url)
