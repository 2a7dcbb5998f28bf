"""Every test session gets its own orchestr-lab home (database + results) in a temp folder.

Also the store fixtures the store, services, actions and server tests share: ``db_url`` (each
test once on a SQLite file and once on a real PostgreSQL database), ``engine`` and
``make_deployment``. A folder overrides ``db_url`` where one store is enough (tests/workers).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from _postgres import STORES, store_url


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Files marked ``long_running`` go first (in collection order otherwise).

    With ``make test``'s xdist workers (``--dist loadfile --no-loadscope-reorder``) a file runs
    whole on one worker in this order: a file of minutes started last would end the run alone.
    """
    items.sort(key=lambda item: item.get_closest_marker("long_running") is None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``--dist loadfile``, tests/browser goes to one worker whole (see tests/_xdist.py)."""
    if config.getvalue("dist") != "loadfile":
        return None
    from _xdist import LoadFileOrFolderScheduling

    return LoadFileOrFolderScheduling(config, log)


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


@pytest.fixture(autouse=True)
def _restore_orchestr_env() -> Iterator[None]:
    """Undo what a test (an in-process CLI call, a server it started) exported as ``ORCHESTR_LAB_*``.

    Otherwise a later test's kernels and subprocesses would inherit another test's store.
    """
    saved = {k: v for k, v in os.environ.items() if k.startswith("ORCHESTR_LAB_")}
    yield
    for k in [k for k in os.environ if k.startswith("ORCHESTR_LAB_") and k not in saved]:
        del os.environ[k]
    os.environ.update(saved)


@pytest.fixture(params=STORES)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A store on a SQLite file, then on a real PostgreSQL database (the test runs on both)."""
    from orchestr_lab.store.database import dispose_engines

    # A server under test exports its store to the environment for the processes it starts.
    for name in ("ORCHESTR_LAB_DB_URL", "ORCHESTR_LAB_RESULTS_DIR", "ORCHESTR_LAB_ROOT_DIR"):
        monkeypatch.delenv(name, raising=False)
    url = store_url(request.param, tmp_path, request)
    yield url
    dispose_engines(url)


@pytest.fixture
def engine(db_url: str) -> Engine:
    """The SQLAlchemy engine of ``db_url``."""
    from orchestr_lab.store.database import get_engine

    return get_engine(db_url)


@pytest.fixture
def make_deployment(engine: Engine) -> Callable[..., dict[str, Any]]:
    """Create a deployment (a notebook on the default queue); keyword arguments override the spec."""
    from orchestr_lab.store.deployments import create_deployment

    counter = iter(range(1, 1_000_000))

    def make(**overrides: Any) -> dict[str, Any]:
        spec: dict[str, Any] = {"name": f"dep-{next(counter)}", "notebook": "reports/daily.ipynb"}
        spec.update(overrides)
        return create_deployment(engine, spec)

    return make


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
