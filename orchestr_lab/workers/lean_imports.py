"""Optional imports a process of ours skips when nothing in it would use them.

A worker's child and ``orchestr-lab run`` of a notebook pay every import on each run; the
notebook's own code runs in its kernel, another process, which imports what it likes.
"""

from __future__ import annotations

import sys

__all__ = ["UNUSED_IMPORTS", "allow_flow_imports", "skip_unused_imports"]

#: Optional imports our own imports would pull in but nothing here uses: ``httpx._main``
#: (httpx loads its command-line client, rich, click and pygments, ~0.2 CPU-s, if it can),
#: ``rfc3987_syntax`` (jsonschema, under nbformat under papermill, loads it if installed to
#: check the "iri" string formats and builds its grammar on import: ~1.1 CPU-s, half of a
#: child's imports; nbformat's schemas use no string formats).
UNUSED_IMPORTS = ("httpx._main", "rfc3987_syntax")


def skip_unused_imports() -> None:
    """Make :data:`UNUSED_IMPORTS` fail as if not installed (only here, in a process of ours)."""
    for name in UNUSED_IMPORTS:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  # None: "import X" raises ImportError


def allow_flow_imports() -> None:
    """Before a flow entrypoint's own code runs in this process: it may use rfc3987_syntax (a
    jsonschema imported already keeps no "iri" checks, as where rfc3987-syntax is not installed)."""
    if "rfc3987_syntax" in sys.modules and sys.modules["rfc3987_syntax"] is None:
        del sys.modules["rfc3987_syntax"]
