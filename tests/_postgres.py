"""A throwaway PostgreSQL server for tests: initdb in a temp folder, unix socket only, fsync off.

`make test` installs the PostgreSQL binaries (apt) and psycopg (the test extra).
When the tests run as root (containers), the server runs as the ``postgres`` (or ``nobody``)
user, because PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_counter = itertools.count(1)


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    for user in ("postgres", "nobody"):
        try:
            pwd.getpwnam(user)
        except KeyError:
            continue
        runuser = shutil.which("runuser")
        if runuser:
            return [runuser, "-u", user, "--"]
    raise RuntimeError("running as root and no unprivileged user to run PostgreSQL as")


def unavailable() -> str | None:
    """Why a PostgreSQL server cannot be started here, or None when it can."""
    if _binary("initdb") is None or _binary("pg_ctl") is None:
        return "PostgreSQL binaries (initdb, pg_ctl) not installed"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed"
    return None


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a server; yields the SQLAlchemy URL of its ``postgres`` database."""
    prefix = _run_as()
    root = Path(tempfile.mkdtemp(prefix="orchestr-pg-"))
    os.chmod(root, 0o755)
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if prefix:
        user = prefix[2]
        uid, gid = pwd.getpwnam(user).pw_uid, pwd.getpwnam(user).pw_gid
        os.chown(root, uid, gid)
        os.chown(sock, uid, gid)
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True, "timeout": 120}
    try:
        subprocess.run(
            [*prefix, _binary("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"],
            **quiet,
        )  # type: ignore[arg-type]
        options = f"-c listen_addresses='' -k {sock} -c fsync=off -c synchronous_commit=off -c max_connections=60"
        subprocess.run(
            [*prefix, _binary("pg_ctl"), "-D", str(data), "-o", options, "-w", "-l", str(root / "log"), "start"],
            **quiet,
        )  # type: ignore[arg-type]
        try:
            yield f"postgresql+psycopg://postgres@/postgres?host={sock}"
        finally:
            subprocess.run(
                [*prefix, _binary("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=60,
            )
    finally:
        shutil.rmtree(root, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    """Create an empty database on the server; returns its URL."""
    from sqlalchemy import create_engine

    name = f"t{os.getpid()}_{next(_counter)}"
    engine = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    finally:
        engine.dispose()
    return server_url.replace("@/postgres?", f"@/{name}?")


#: The stores the store and server suites run against (their ``db_url`` fixtures).
STORES = ["sqlite", "postgresql"]


def store_url(kind: str, tmp_path: Path, request: Any) -> str:
    """A fresh, empty store of ``kind`` for one test: a SQLite file, or a PostgreSQL database
    on the session's server (``postgres_server_url``, started on first use)."""
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return fresh_database(request.getfixturevalue("postgres_server_url"))
