"""The tree passes its linter, its formatter's check and its type checker.

Each tool runs as CI would run it by hand, from the repository root with the settings in
pyproject.toml (``[tool.ruff]``, ``[tool.mypy]``: strict for core, store, engine and actions);
a failure shows the tool's own report, which names the file, the line and the rule.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, check=False)


def _passes(*args: str) -> None:
    proc = _run(*args)
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(args)}` failed (exit {proc.returncode}):\n{proc.stdout}{proc.stderr}", pytrace=False)


def test_lint_finds_nothing() -> None:
    _passes("ruff", "check", "--no-fix", "--output-format", "concise", ".")


def test_code_is_formatted() -> None:
    _passes("ruff", "format", "--check", ".")


# A cold run reads the typeshed and every library the package imports: about 20 s of CPU,
# several times that on a loaded machine.
@pytest.mark.timeout(900)
def test_types_check() -> None:
    _passes("mypy")
