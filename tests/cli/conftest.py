"""Run the installed ``orchestr-lab`` command for real, against a throwaway home (store)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
import pytest


def cli_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ORCHESTR_LAB_")}
    env["ORCHESTR_LAB_HOME"] = str(home)
    return env


def run_cli(home: Path, *args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m orchestr_lab ARGS``; output captured, so never a terminal (plain lines)."""
    return subprocess.run(
        [sys.executable, "-m", "orchestr_lab", *args],
        env=cli_env(home), cwd=cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
    )


def start_cli(home: Path, *args: str, cwd: Path, log: Path | None = None) -> subprocess.Popen[str]:
    """Start ``python -m orchestr_lab ARGS`` in the background; its output goes to ``log``."""
    log = log or cwd / "cli.log"
    with open(log, "w") as fh:  # the child keeps its own descriptor
        return subprocess.Popen(
            [sys.executable, "-m", "orchestr_lab", *args],
            env=cli_env(home), cwd=cwd, stdin=subprocess.DEVNULL, stdout=fh, stderr=subprocess.STDOUT, text=True,
        )


def write_notebook(path: Path, cells: list[str], parameters: str | None = None) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    if parameters is not None:
        cell = nbformat.v4.new_code_cell(parameters)
        cell.metadata["tags"] = ["parameters"]
        nb.cells.append(cell)
    nb.cells.extend(nbformat.v4.new_code_cell(src) for src in cells)
    nbformat.write(nb, path)
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    path = tmp_path / "home"
    path.mkdir()
    return path


def store(home: Path) -> Any:
    """The engine of ``home``'s store, opened from this (test) process."""
    from orchestr_lab.store.database import get_engine

    return get_engine(f"sqlite:///{home / 'orchestr.db'}")


def wait_for(predicate: Any, *, timeout: float = 20.0, interval: float = 0.05, what: str = "") -> Any:
    """Poll ``predicate`` until it returns something truthy; fail with ``what`` at the deadline."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or predicate}")
        time.sleep(interval)


def process_gone(pid: int) -> bool:
    """True when ``pid`` no longer runs (a zombie waiting for its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True
