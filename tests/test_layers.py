"""The package's import layers hold: import-linter checks the contracts in pyproject.toml.

core <- store <- engine <- workers <- actions <- services <- server_ext | sdk <- cli, nothing
below server_ext imports the Jupyter server, and no package's modules import each other in a
cycle. Every import counts, those inside functions too: a lazy import still ties the layers.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Run in a child so import-linter's logging set-up and sys.path changes stay out of this process;
# from the checkout's root, so it reads this pyproject.toml and this checkout's orchestr_lab.
LINT = (
    "import sys\n"
    "from importlinter.cli import lint_imports\n"
    "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))\n"
)


def test_imports_follow_the_layers() -> None:
    done = subprocess.run([sys.executable, "-c", LINT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"import contracts broken:\n{done.stdout}\n{done.stderr}"
    kept = re.search(r"Contracts: (\d+) kept, 0 broken", done.stdout)
    assert kept is not None and int(kept.group(1)) >= 3, done.stdout  # all three were read and checked
