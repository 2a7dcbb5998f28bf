"""Actions called as plain functions, as the REST handlers, the CLI and the sdk call them.

Each test gets a real SQLite store in its temp folder, a server root holding one notebook with
a typed parameters cell, and the :class:`~orchestr_lab.actions.Context` the server would build
(``runs_due`` counts the wake-ups the local worker would get).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from _helpers import write_notebook
from orchestr_lab.actions import Context
from orchestr_lab.core.schemas import DeploymentCreate
from orchestr_lab.store.database import dispose_engines

NOTEBOOK = "reports/daily.ipynb"
PARAMETERS = 'n: int = 3  # how many\nlabel = "daily"'
CELLS = ["print(label, n)"]


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    """One SQLite file per test: the actions add no SQL of their own (the store tests cover both stores)."""
    url = f"sqlite:///{tmp_path / 'orchestr.db'}"
    yield url
    dispose_engines(url)


@dataclass
class Wakeups:
    """How often an action told the local worker that a run became due."""

    count: int = 0

    def __call__(self) -> None:
        self.count += 1


@pytest.fixture
def wakeups() -> Wakeups:
    return Wakeups()


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """The server root, with ``reports/daily.ipynb`` (parameters ``n: int = 3`` and ``label``)."""
    path = tmp_path / "root"
    (path / "reports").mkdir(parents=True)
    write_notebook(path / NOTEBOOK, CELLS, parameters=PARAMETERS)
    return path


@pytest.fixture
def ctx(engine: Engine, root: Path, tmp_path: Path, wakeups: Wakeups) -> Context:
    return Context(
        engine=engine,
        root_dir=root,
        runs_due=wakeups,
        results_dir=tmp_path / "results",
        services=lambda: {"scheduler": False},
    )


@pytest.fixture
def deployment(ctx: Context) -> dict[str, Any]:
    """A deployment of ``reports/daily.ipynb`` made through the action, as ``POST /deployments`` does."""
    from orchestr_lab.actions.deployments import create_deployment

    return create_deployment(ctx, body=DeploymentCreate(name="daily", notebook=NOTEBOOK))
