"""Service tests: real SQLite files, a fake clock passed as ``now`` (no sleeping, no waiting)."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from sqlalchemy.engine import Engine

from orchestr_lab.store.database import get_engine


@pytest.fixture
def engine(db_url: str) -> Engine:
    return get_engine(db_url)


@pytest.fixture
def make_deployment(engine: Engine) -> Callable[..., dict[str, Any]]:
    """Create a deployment (a notebook on the default queue unless overridden)."""
    from orchestr_lab.store.deployments import create_deployment

    counter = iter(range(1, 1_000_000))

    def make(**overrides: Any) -> dict[str, Any]:
        spec: dict[str, Any] = {"name": f"dep-{next(counter)}", "notebook": "reports/daily.ipynb"}
        spec.update(overrides)
        return create_deployment(engine, spec)

    return make
