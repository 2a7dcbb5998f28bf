"""Flow entrypoints (``path/to/file.py:flow_function``): how the text splits into file and name.

A module of its own so that the gateway (which resolves an entrypoint's file) and the entrypoint
runner (which loads and runs it) share it without importing each other.
"""

from __future__ import annotations

__all__ = ["split_entrypoint"]


def split_entrypoint(entrypoint: str) -> tuple[str, str]:
    """``"dir/file.py:my_flow"`` -> ``("dir/file.py", "my_flow")``; ValueError otherwise."""
    path, sep, name = entrypoint.rpartition(":")
    if not sep or not path or not name.isidentifier():
        raise ValueError(f"entrypoint must look like 'path/to/file.py:flow_function', not {entrypoint!r}")
    return path, name
