"""Every test session gets its own orchestr-lab home (database + results) in a temp folder."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterator

import pytest


@pytest.fixture(scope="session", autouse=True)
def orchestr_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("orchestr_home")
    saved = {k: os.environ.get(k) for k in ("ORCHESTR_LAB_HOME", "ORCHESTR_LAB_DB_URL", "ORCHESTR_LAB_RESULTS_DIR")}
    os.environ["ORCHESTR_LAB_HOME"] = str(home)
    os.environ.pop("ORCHESTR_LAB_DB_URL", None)
    os.environ.pop("ORCHESTR_LAB_RESULTS_DIR", None)
    yield home
    from orchestr_lab.engine.recorder import reset_recorders

    reset_recorders()
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture
def store_engine(orchestr_home: Path):
    """The SQLAlchemy engine of the session's store (what the recorder writes to)."""
    from orchestr_lab.store.database import get_engine

    return get_engine()


# Module-scoped: a module's Dask tests share a cluster, and idle Dask processes (their
# heartbeats cost CPU) do not outlive it into the rest of the suite.
@pytest.fixture(scope="module")
def dask_cluster():
    """A ``distributed.LocalCluster`` with two worker processes."""
    from _dask import local_cluster

    cluster = local_cluster()
    yield cluster
    cluster.close()


@pytest.fixture(scope="module")
def dask_standalone(tmp_path_factory: pytest.TempPathFactory):
    """A standalone ``dask scheduler`` and two ``dask worker`` processes on loopback."""
    from _dask import standalone_cluster

    yield from standalone_cluster(tmp_path_factory.mktemp("dask"))


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A real PostgreSQL server for the whole session (started on first use).

    ``make test`` installs the server binaries and psycopg; where they are missing this fails
    (a missing component is not a reason to pass).
    """
    from _postgres import postgres_server, unavailable

    reason = unavailable()
    if reason:
        pytest.fail(f"PostgreSQL is needed for this test and cannot be started: {reason}")
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(postgres_server_url: str) -> Iterator[str]:
    """An empty database on that server, for one test."""
    from _postgres import fresh_database

    from orchestr_lab.store.database import dispose_engines

    url = fresh_database(postgres_server_url)
    yield url
    dispose_engines(url)

