"""Notebooks for worker tests: tiny, written with nbformat into the test's folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from _helpers import process_gone, wait_for, write_notebook  # noqa: F401  (the tests import them from here)


@pytest.fixture
def notebook(tmp_path: Path) -> Callable[..., Path]:
    def make(cells: list[str], *, name: str = "report.ipynb", **kw: Any) -> Path:
        return write_notebook(tmp_path / name, cells, **kw)

    return make


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """A SQLite store of the test's own; the recorder and engine let go of it after."""
    from orchestr_lab.engine.recorder import reset_recorders
    from orchestr_lab.store.database import dispose_engines

    url = f"sqlite:///{tmp_path / 'store.db'}"
    yield url
    reset_recorders()
    dispose_engines(url)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store on a SQLite file, then on a real PostgreSQL database (for worker tests that
    depend on the store's locking)."""
    if request.param == "sqlite":
        from orchestr_lab.store.database import dispose_engines

        url = f"sqlite:///{tmp_path / 'store.db'}"
        yield url
        dispose_engines(url)
    else:
        yield request.getfixturevalue("pg_url")
