"""OrchestrLabApp's settings (traitlets with ORCHESTR_LAB_* twins) and its services' lifecycle."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from orchestr_lab.server_ext.app import OrchestrLabApp


def test_settings_fall_back_to_their_environment_twins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORCHESTR_LAB_DB_URL", "sqlite:////tmp/from-env.db")
    monkeypatch.setenv("ORCHESTR_LAB_RESULTS_DIR", "/tmp/results-from-env")
    monkeypatch.setenv("ORCHESTR_LAB_SCHEDULER_INTERVAL", "2.5")
    monkeypatch.setenv("ORCHESTR_LAB_HEARTBEAT_TIMEOUT", "12")
    monkeypatch.setenv("ORCHESTR_LAB_SCHEDULER", "0")
    monkeypatch.setenv("ORCHESTR_LAB_LOCAL_WORKER", "off")
    monkeypatch.setenv("ORCHESTR_LAB_LOCAL_WORKER_CONCURRENCY", "4")
    monkeypatch.setenv("ORCHESTR_LAB_LOCAL_WORKER_QUEUES", "gpu, default")
    app = OrchestrLabApp()
    assert app.db_url == "sqlite:////tmp/from-env.db"
    assert app.results_dir == "/tmp/results-from-env"
    assert app.scheduler_interval == 2.5 and app.heartbeat_timeout == 12.0
    assert app.scheduler is False and app.local_worker is False
    assert app.local_worker_concurrency == 4
    assert app.local_worker_queues == ["gpu", "default"]


def test_config_wins_over_the_environment_and_bad_numbers_fall_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from traitlets.config import Config

    monkeypatch.setenv("ORCHESTR_LAB_LOCAL_WORKER_CONCURRENCY", "4")
    monkeypatch.setenv("ORCHESTR_LAB_SCHEDULER_INTERVAL", "soon")
    app = OrchestrLabApp(config=Config({"OrchestrLabApp": {"local_worker_concurrency": 1}}))
    assert app.local_worker_concurrency == 1
    assert app.scheduler_interval == 5.0  # "soon" is not a number: the default, with a warning


def test_the_extension_point_is_found_without_importing_jupyter_server_first() -> None:
    import orchestr_lab

    [point] = orchestr_lab._jupyter_server_extension_points()
    assert point["app"] is OrchestrLabApp


@pytest.fixture
def server_options() -> dict[str, Any]:
    return {"scheduler": True, "local_worker": True, "scheduler_interval": 0.5}


async def test_services_start_with_the_server_and_stop_with_it(
    api: Any, jp_serverapp: Any, db_url: str, jp_root_dir: Any
) -> None:
    # The store's URL and the notebook root are exported for the kernels and workers the server
    # starts (a kernel's %orchestr schedule stores paths relative to the server's root).
    assert os.environ["ORCHESTR_LAB_DB_URL"] == db_url
    assert os.environ["ORCHESTR_LAB_ROOT_DIR"] == str(jp_root_dir.resolve())
    await jp_serverapp.extension_manager.start_all_extensions()
    health = (await api("GET", "health")).json
    assert health["services"] == {"scheduler": True, "reaper": True, "automations": True, "local_worker": True}
    names = {t.name for t in threading.enumerate()}
    assert {"orchestr-lab-scheduler", "orchestr-lab-reaper", "orchestr-lab-local-worker"} <= names

    await jp_serverapp.extension_manager.stop_all_extensions()
    app = jp_serverapp.extension_manager.extension_apps["orchestr_lab"]
    assert next(iter(app)).background.status() == {
        "scheduler": False,
        "reaper": False,
        "automations": False,
        "local_worker": False,
    }
    names = {t.name for t in threading.enumerate()}
    assert not names & {"orchestr-lab-scheduler", "orchestr-lab-reaper", "orchestr-lab-local-worker"}
