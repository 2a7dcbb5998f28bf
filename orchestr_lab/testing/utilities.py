"""``prefect_test_harness()``: run a test's flows against a temporary, isolated store."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator

from ..core import settings

__all__ = ["prefect_test_harness"]

# Settings that would point runs at another store; the harness unsets them for its block.
_ISOLATE = (settings.ENV_HOME, settings.ENV_DB_URL, settings.ENV_RESULTS_DIR, settings.ENV_API_URL)


@contextlib.contextmanager
def prefect_test_harness(server_startup_timeout: int | None = 30) -> Iterator[None]:
    """Inside the block, runs are recorded in a fresh database and results directory in a
    temporary home, removed on exit; the previous settings come back. ``server_startup_timeout``
    is accepted for Prefect's signature: there is no server to start."""
    from ..engine.recorder import close_recorder

    saved = {name: os.environ.get(name) for name in _ISOLATE}
    home = tempfile.mkdtemp(prefix="orchestr-lab-test-")
    for name in _ISOLATE:
        os.environ.pop(name, None)
    os.environ[settings.ENV_HOME] = home
    url = settings.db_url()
    try:
        yield
    finally:
        close_recorder(url)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(home, ignore_errors=True)
