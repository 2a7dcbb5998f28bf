"""A real Jupyter server (pytest-jupyter) with the orchestr-lab extension on a temporary store.

The base URL is pytest-jupyter's ``/a%40b/``, so every URL must be built with url_path_join.
Background services are off unless a test turns them on (``server_options``), so tests that
only exercise the API are not racing a scheduler. ``db_url`` (SQLite and PostgreSQL) comes from
tests/conftest.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

# pytest-jupyter's fixtures and its coroutine-test runner, for this folder only: enabling the
# plugin globally would give every test in the suite a ServerApp.
from pytest_jupyter.jupyter_server import *  # noqa: F403
from traitlets.config import Config

from orchestr_lab.store.database import get_engine


@pytest.fixture
def store(db_url: str) -> Any:
    """The same store the server uses, for arranging and checking state behind the API."""
    return get_engine(db_url)


@pytest.fixture
def server_options() -> dict[str, Any]:
    """OrchestrLabApp settings for this test; override in a module to start services."""
    return {"scheduler": False, "local_worker": False}


@pytest.fixture
def jp_server_config(db_url: str, tmp_path: Path, server_options: dict[str, Any]) -> Config:
    return Config(
        {
            "ServerApp": {"jpserver_extensions": {"orchestr_lab": True}},
            "OrchestrLabApp": {"db_url": db_url, "results_dir": str(tmp_path / "results"), **server_options},
        }
    )


class Reply:
    """An API answer: status code and decoded JSON body (None when empty)."""

    def __init__(self, code: int, body: bytes) -> None:
        self.code = code
        self.json = json.loads(body) if body else None

    def __repr__(self) -> str:
        return f"<Reply {self.code} {self.json!r}>"


Api = Callable[..., Awaitable[Reply]]


@pytest.fixture
def api(jp_fetch: Any) -> Api:
    """``await api("GET", "deployments", id)`` against ``<base_url>/orchestr-lab/api/...``.

    ``json=`` sends a JSON body, ``body=`` raw bytes; errors are returned, not raised.
    """

    async def call(method: str, *parts: str, json_body: Any = None, body: Any = None, **kwargs: Any) -> Reply:
        if json_body is not None:
            body = json.dumps(json_body)
        if body is None and method in ("POST", "PATCH", "PUT"):
            body = b""
        response = await jp_fetch("orchestr-lab", "api", *parts, method=method, body=body, raise_error=False, **kwargs)
        return Reply(response.code, response.body)

    return call


def write_notebook(path: Path, *, parameters: str, cells: list[str]) -> Path:
    """A real notebook: a cell tagged ``parameters`` followed by ``cells``."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    param_cell = nbformat.v4.new_code_cell(parameters)
    param_cell.metadata["tags"] = ["parameters"]
    nb.cells = [param_cell, *(nbformat.v4.new_code_cell(src) for src in cells)]
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, str(path))
    return path


@pytest.fixture
def notebook(jp_root_dir: Path) -> str:
    """``reports/daily.ipynb`` under the server root, with typed parameters; its root-relative path."""
    write_notebook(
        jp_root_dir / "reports" / "daily.ipynb",
        parameters='n: int = 3  # how many\nlabel = "daily"\nrate = 0.5',
        cells=[
            "from orchestr_lab import record\nprint(f'{label}: {n * rate}')",
            "record('product', n * rate)",
        ],
    )
    return "reports/daily.ipynb"


@pytest.fixture(autouse=True)
def _restore_orchestr_environment() -> Iterator[None]:
    """The extension exports its store, results and root to ``os.environ`` for the processes it
    starts; a test that starts it without ``db_url`` would leave them to later tests (a kernel in
    tests/sdk then wrote to a deleted test's store when server tests ran first)."""
    saved = {k: v for k, v in os.environ.items() if k.startswith("ORCHESTR_LAB_")}
    yield
    for key in [k for k in os.environ if k.startswith("ORCHESTR_LAB_")]:
        if key not in saved:
            del os.environ[key]
    os.environ.update(saved)


@pytest.fixture(autouse=True)
def jp_server_cleanup(jp_asyncio_loop: Any, request: pytest.FixtureRequest) -> Iterator[None]:
    """pytest-jupyter's cleanup (stop the extensions, kernels; forget the app), ordered before
    the store's disposal: taking ``db_url`` first (for the tests that use it) makes the store
    outlive the server, so the services stop (and close their connections, e.g. the
    scheduler's PostgreSQL lock) while it exists."""
    from jupyter_server.serverapp import ServerApp

    if "db_url" in request.fixturenames:
        request.getfixturevalue("db_url")
    yield
    app = ServerApp.instance()
    try:
        jp_asyncio_loop.run_until_complete(app._cleanup())
    except (RuntimeError, SystemExit) as exc:
        print("ignoring cleanup error", exc)
    if hasattr(app, "kernel_manager"):
        app.kernel_manager.context.destroy()
    ServerApp.clear_instance()
