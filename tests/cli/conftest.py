"""Run the installed ``orchestr-lab`` command for real, against a throwaway home (store)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from _helpers import process_gone, wait_for, write_notebook  # noqa: F401  (the tests import them from here)


def cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
    env["ORCHESTR_LAB_HOME"] = str(home)
    return env


def run_cli(
    home: Path,
    *args: str,
    cwd: Path | None = None,
    timeout: float = 120,
    env: dict[str, str] | None = None,
    check: bool = False,
) -> subprocess.CompletedProcess[str]:
    """``python -m orchestr_lab ARGS``; output captured, so never a terminal (plain lines).

    ``env`` replaces ``cli_env(home)``; ``check`` fails the test (with both outputs) on a non-zero exit.
    """
    proc = subprocess.run(
        [sys.executable, "-m", "orchestr_lab", *args],
        env=env or cli_env(home),
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"{args} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def start_cli(home: Path, *args: str, cwd: Path, log: Path | None = None) -> subprocess.Popen[str]:
    """Start ``python -m orchestr_lab ARGS`` in the background; its output goes to ``log``."""
    log = log or cwd / "cli.log"
    with open(log, "w") as fh:  # the child keeps its own descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "orchestr_lab", *args],
            env=cli_env(home),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=fh,
            stderr=subprocess.STDOUT,
            text=True,
        )


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def store(home: Path) -> Any:
    """The engine of ``home``'s store, opened from this (test) process."""
    from orchestr_lab.store.database import get_engine

    return get_engine(f"sqlite:///{home / 'orchestr.db'}")
