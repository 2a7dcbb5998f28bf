"""`make run` starts JupyterLab without its "get notified about official Jupyter news?" prompt.

The Makefile installs a settings default in the venv's own JupyterLab app settings (overrides.d):
the user's settings directory is never written, and a choice made there still wins.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jupyterlab_server.settings_utils import get_settings

ROOT = Path(__file__).resolve().parents[1]
NOTIFICATION = "@jupyterlab/apputils-extension:notification"


def _make(*args: str) -> str:
    return subprocess.run(
        ["make", *args], cwd=ROOT, check=True, capture_output=True, text=True, timeout=60
    ).stdout  # fmt: skip


def test_make_run_turns_the_jupyter_news_prompt_off_in_the_venv_only(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    overrides = venv / "share/jupyter/lab/settings/overrides.d/orchestr-lab.json"
    launch = _make("-n", "run", f"VENV={venv}")  # what `make run` would do, in order
    assert launch.index(str(overrides)) < launch.index(f"{venv}/bin/jupyter lab")
    _make(f"VENV={venv}", str(overrides))  # the step itself, for real
    user_settings = tmp_path / "user-settings"
    user_settings.mkdir()
    # As JupyterLab's settings API computes it: fetchNews defaults to "false" ("none" asks the user).
    settings, _ = get_settings(
        str(overrides.parent.parent),
        str(Path(sys.prefix) / "share/jupyter/lab/schemas"),
        str(user_settings),
        schema_name=NOTIFICATION,
    )
    assert settings["schema"]["properties"]["fetchNews"]["default"] == "false"
    assert not any(user_settings.iterdir())  # the user's own settings are not written
