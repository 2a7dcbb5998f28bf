"""The store's encryption key for saved blocks: made on first use, kept beside the store.

Block data (and with it every secret) is encrypted with Fernet (AES-128-CBC and HMAC-SHA256,
from ``cryptography``) before it reaches the database, so a copy of the database file or a
dump of the PostgreSQL table shows no secret. The key is a file the database never holds:
beside a SQLite file (``<db>.secret-key``), or ``$ORCHESTR_LAB_HOME/secret-key`` for
PostgreSQL and in-memory stores, created with mode 0600. Every process that opens the store
directly (the server, a local worker, a kernel) reads the same file; remote workers never need
it, as the server decrypts for them. Losing the file makes saved blocks unreadable.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from ..core import settings
from ..core.errors import StoreError

if TYPE_CHECKING:
    from cryptography.fernet import Fernet
    from sqlalchemy.engine import Engine

__all__ = ["SecretKeyError", "cipher_for", "forget_keys", "key_path"]

_ciphers: dict[str, Fernet] = {}
_lock = threading.Lock()


class SecretKeyError(StoreError):
    """The key file cannot be read, or it is not the key the blocks were saved with."""


def key_path(engine: Engine) -> Path:
    """Where ``engine``'s store keeps its key."""
    url = engine.url
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        db = Path(url.database).expanduser().resolve()
        return db.with_name(db.name + ".secret-key")
    return settings.home_dir() / "secret-key"


def _read_or_create(path: Path) -> bytes:
    from cryptography.fernet import Fernet

    try:
        return path.read_bytes().strip()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    try:  # O_EXCL: of two processes making it at once, one writes and both read the same key
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes().strip()
    with os.fdopen(fd, "wb") as out:
        out.write(key)
    return key


def cipher_for(engine: Engine) -> Fernet:
    """The Fernet cipher of ``engine``'s store (its key made on first use)."""
    from cryptography.fernet import Fernet

    path = key_path(engine)
    cache_key = str(path)
    with _lock:
        cipher = _ciphers.get(cache_key)
        if cipher is None:
            try:
                cipher = Fernet(_read_or_create(path))
            except (OSError, ValueError) as exc:
                raise SecretKeyError(f"Cannot use the block encryption key {path}: {exc}") from exc
            _ciphers[cache_key] = cipher
    return cipher


def forget_keys() -> None:
    """Read the key files again on next use (after a key file was replaced)."""
    with _lock:
        _ciphers.clear()
