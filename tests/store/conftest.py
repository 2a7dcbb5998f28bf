"""Store tests run against real SQLite files and a real PostgreSQL server (a database per test).

``db_url``, ``engine`` and ``make_deployment`` come from tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestr_lab.store.database import dispose_engines


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """For what only SQLite has (WAL, its locking, file-level races)."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    yield url
    dispose_engines(url)
