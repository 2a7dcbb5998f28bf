"""Store tests run against real SQLite files and a real PostgreSQL server (a database per test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterator

import pytest
from sqlalchemy.engine import Engine

from _postgres import STORES, store_url
from orchestr_lab.store.database import dispose_engines, get_engine


@pytest.fixture(params=STORES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every store test runs on a SQLite file and on a real PostgreSQL database."""
    url = store_url(request.param, tmp_path, request)
    yield url
    dispose_engines(url)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """For what only SQLite has (WAL, its locking, file-level races)."""
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
