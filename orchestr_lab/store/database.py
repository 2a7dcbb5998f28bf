"""Opening the store: one cached engine per URL, SQLite tuning, migrations on first use.

SQLite is the default and is shared by many processes (kernels, workers, the server), so
every write transaction takes the write lock up front (``BEGIN IMMEDIATE``): writers then
queue on the busy timeout instead of failing half-way with "database is locked". Readers
can ask for a plain deferred ``BEGIN`` through :func:`read_connection`.

Importing alembic costs about 0.3 s (measured), so a process whose database is already at
:data:`HEAD_REVISION` never imports it.
"""

from __future__ import annotations

import contextlib
import os
import random
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import create_engine, event, inspect
from sqlalchemy.engine import URL, Connection, Engine, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DBAPIError,
    IntegrityError,
    NoSuchModuleError,
    SQLAlchemyError,
)
from sqlalchemy.pool import StaticPool

from ..core import settings
from ..core.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

__all__ = [
    "HEAD_REVISION",
    "alembic_config",
    "dispose_engines",
    "get_engine",
    "read_connection",
    "upgrade",
    "write_transaction",
]

T = TypeVar("T")

#: The newest migration in ``store/migrations/versions``; a test keeps it equal to alembic's head.
HEAD_REVISION = "0020_slas"

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Execution option that makes the SQLite ``begin`` hook emit a deferred BEGIN.
_READ_ONLY = "orchestr_lab_read_only"
# Key for pg_advisory_xact_lock: a stable number derived from a fixed string.
_PG_MIGRATION_LOCK = zlib.crc32(b"orchestr_lab.store.migrations")

_RETRIES = 6
_BACKOFF = 0.02  # seconds, doubled per attempt, with jitter
_PG_TRANSIENT = frozenset({"40001", "40P01", "55P03"})  # serialization, deadlock, lock n/a

_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()
_engines_pid = os.getpid()


def get_engine(url: str | None = None) -> Engine:
    """The process-wide engine for ``url`` (default: the configured store), schema at head.

    Created once per URL; the first call also applies pending migrations, so callers never
    see a half-made schema. Failures raise :class:`StoreError` with a one-line reason.
    """
    key = url or settings.db_url()
    if _engines_pid != os.getpid():
        _forget_after_fork()
    engine = _engines.get(key)
    if engine is not None:
        return engine
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = _open(key)
            try:
                _migrate(engine)
            except BaseException:
                engine.dispose()
                raise
            _engines[key] = engine
    return engine


def upgrade(url: str | None = None) -> str:
    """Bring the database at ``url`` to the newest schema; returns the revision now current.

    Safe to call repeatedly and from several processes at once: the migration runs inside a
    write-locked transaction (SQLite) or under an advisory lock (PostgreSQL), and whoever
    comes second finds the work done.
    """
    engine = get_engine(url)
    _migrate(engine)  # no-op when get_engine just did it; repairs a database reset under us
    return HEAD_REVISION


def dispose_engines(url: str | None = None) -> None:
    """Close cached engines and forget them: all of them, or only the one for ``url`` (tests)."""
    with _engines_lock:
        if url is None:
            engines = list(_engines.values())
            _engines.clear()
        else:
            engine = _engines.pop(url, None)
            engines = [engine] if engine is not None else []
    for engine in engines:
        engine.dispose()


def _forget_after_fork() -> None:
    """A forked child must not touch its parent's pooled connections (SQLite forbids it)."""
    global _engines_pid
    with _engines_lock:
        if _engines_pid == os.getpid():
            return
        for engine in _engines.values():
            engine.dispose(close=False)
        _engines.clear()
        _engines_pid = os.getpid()


@contextlib.contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that does not take SQLite's write lock.

    Reads should not queue behind writers (WAL lets them run side by side); on other
    databases this is an ordinary transaction.
    """
    with engine.connect() as conn:
        conn.execution_options(**{_READ_ONLY: True})
        with conn.begin():
            yield conn


def write_transaction(engine: Engine, work: Callable[[Connection], T]) -> T:
    """Run ``work(conn)`` in one write transaction, retrying all of it on lock contention.

    SQLite's busy timeout absorbs almost all contention; what is left ("database is locked"
    after a timeout, PostgreSQL serialization failures and deadlocks) is retried here with a
    short backoff so it never reaches a user. ``work`` must be safe to run again.
    """
    for attempt in range(_RETRIES):
        try:
            with engine.begin() as conn:
                return work(conn)
        except IntegrityError:
            raise
        except DBAPIError as exc:
            if attempt == _RETRIES - 1 or not _transient(exc):
                raise
        time.sleep(_BACKOFF * (2**attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def _transient(exc: DBAPIError) -> bool:
    orig = exc.orig
    code = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if code in _PG_TRANSIENT:
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database is busy" in text


def alembic_config(url: str | None = None, connection: Connection | None = None) -> Config:
    """An alembic ``Config`` for the packaged migrations (no alembic.ini needed)."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


# -- opening -------------------------------------------------------------------------------


def _describe(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return repr(url)


def _open(raw_url: str) -> Engine:
    try:
        url = make_url(raw_url)
        kwargs: dict[str, Any] = {}
        if url.get_backend_name() == "sqlite":
            url, kwargs = _sqlite_options(url)
        elif url.get_backend_name() == "postgresql":
            kwargs["json_serializer"] = _compact_json()
        engine = create_engine(url, **kwargs)
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as exc:
        raise StoreError(f"Invalid store URL {_describe(raw_url)}: {_one_line(exc)}") from exc
    except OSError as exc:
        raise StoreError(f"Cannot create the store at {_describe(raw_url)}: {_one_line(exc)}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
    return engine


def _compact_json() -> Callable[[Any], str]:
    """JSON text without the spaces ``json.dumps`` puts after ``,`` and ``:``.

    PostgreSQL's ``json`` type keeps the text as given, so those spaces were bytes on every row
    of every JSON column (event payloads, histories, tags); SQLite's batch writer already
    writes compact text (``bulk``).
    """
    from .bulk import compact_json

    return compact_json


def _sqlite_options(url: URL) -> tuple[URL, dict[str, Any]]:
    """Expand ``~`` and create the database's folder; in-memory databases share one connection."""
    database = url.database or ""
    in_memory = database in ("", ":memory:") or "mode=memory" in str(url)
    if in_memory:
        # One connection for every thread, else each thread would see its own empty database.
        # Fine for tests; concurrent writers need a file.
        return url, {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    if not url.query.get("uri"):
        path = Path(database).expanduser()
        path.parent.mkdir(parents=True, exist_ok=True)
        url = url.set(database=str(path))
    return url, {"connect_args": {"timeout": 30.0}}


def _sqlite_on_connect(dbapi_connection: Any, connection_record: Any) -> None:
    # Take transaction control away from pysqlite so the ``begin`` hook decides how to BEGIN.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA busy_timeout=30000")
        # Freed pages can be handed back to the file system after a prune (store/retention.py).
        # Settable only on a new, empty file, before WAL (which writes the header); on a file
        # with pages the pragma would wait for the write lock. An older database keeps its
        # mode until ``db prune`` converts it.
        if cursor.execute("PRAGMA page_count").fetchone()[0] == 0:
            cursor.execute("PRAGMA auto_vacuum=INCREMENTAL")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
    finally:
        cursor.close()


def _switch_to_wal(cursor: Any) -> None:
    """Turn on WAL (a persistent property of the file), waiting out other openers.

    SQLite does not call the busy handler while another connection is switching a new file
    to WAL, so several processes opening a fresh store at once get "database is locked"
    immediately; retry here for as long as the busy timeout would have waited.
    """
    import sqlite3

    deadline = time.monotonic() + 30.0
    while True:
        try:
            mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() not in ("wal", "memory"):
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.005 + random.random() * 0.02)


def _sqlite_on_begin(conn: Connection) -> None:
    if conn.get_execution_options().get(_READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _one_line(exc: BaseException) -> str:
    if isinstance(exc, DBAPIError) and exc.orig is not None:
        exc = exc.orig
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# -- migrations ----------------------------------------------------------------------------


def _revision_quick(engine: Engine) -> str | None:
    """The recorded revision, read without locks or alembic; None when there is none yet."""
    with engine.connect() as conn:  # closed without commit: nothing to keep, failure or not
        conn.execution_options(**{_READ_ONLY: True})
        try:
            return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        except DBAPIError:
            return None


def _migrate(engine: Engine) -> None:
    """Apply pending migrations unless the database already records the head revision."""
    url = engine.url.render_as_string(hide_password=True)
    try:
        if _revision_quick(engine) == HEAD_REVISION:
            return
        with engine.connect() as conn, conn.begin():
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
            # Re-check under the lock: another process may have migrated while we waited.
            current = None
            if inspect(conn).has_table("alembic_version"):
                current = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
                if current == HEAD_REVISION:
                    return
            from alembic import command

            cfg = alembic_config(connection=conn)
            if current is not None:
                _check_known(cfg, current, url)
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"Cannot open the store at {url}: {_one_line(exc)}") from exc
    except OSError as exc:
        raise StoreError(f"Cannot open the store at {url}: {_one_line(exc)}") from exc
    except StoreError:
        raise
    except Exception as exc:  # alembic's own errors (e.g. a revision this code does not know)
        raise StoreError(f"Cannot migrate the store at {url}: {_one_line(exc)}") from exc


def _check_known(cfg: Config, revision: str, url: str) -> None:
    """Refuse, in words, a database written by a newer orchestr-lab than this one."""
    from alembic.script import ScriptDirectory

    try:
        ScriptDirectory.from_config(cfg).get_revision(revision)
    except Exception:
        raise StoreError(
            f"The store at {url} has schema revision {revision!r}, newer than this orchestr-lab "
            f"knows (its newest is {HEAD_REVISION!r}); upgrade orchestr-lab to use it"
        ) from None
