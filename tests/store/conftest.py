"""Store tests run against real SQLite files in a per-test folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from sqlalchemy.engine import Engine

from orchestr_lab.store.database import dispose_engines, get_engine


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    yield url
    dispose_engines(url)


@pytest.fixture
def engine(db_url: str) -> Engine:
    return get_engine(db_url)


@pytest.fixture
def make_deployment(engine: Engine) -> Callable[..., dict[str, Any]]:
    """Create a deployment with sensible defaults; keyword arguments override the spec."""
    from orchestr_lab.store.deployments import create_deployment

    counter = iter(range(1, 1_000_000))

    def make(**overrides: Any) -> dict[str, Any]:
        spec: dict[str, Any] = {"name": f"dep-{next(counter)}", "notebook": "reports/daily.ipynb"}
        spec.update(overrides)
        return create_deployment(engine, spec)

    return make


@pytest.fixture(scope="session")
def postgres_server_url() -> Iterator[str]:
    """A real PostgreSQL server for the whole session.

    ``make test`` installs the server binaries and psycopg; where they are missing this fails
    (a missing component is not a reason to pass).
    """
    from ._postgres import postgres_server, unavailable

    reason = unavailable()
    if reason:
        pytest.fail(f"PostgreSQL is needed for this test and cannot be started: {reason}")
    with postgres_server() as url:
        yield url


@pytest.fixture
def pg_url(postgres_server_url: str) -> Iterator[str]:
    """An empty database on that server, for one test."""
    from ._postgres import fresh_database

    url = fresh_database(postgres_server_url)
    yield url
    dispose_engines(url)
