"""Store tests run against real SQLite files in a per-test folder."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

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
