"""Notebook paths: relative to the server root, never outside it.

Deployments store paths relative to the root (what the file browser shows); anything that
resolves outside the root, through ``..`` or a symlink, is refused with ``PathOutsideRoot``.
Used by the actions and by the server's automations service.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath

from ..core.errors import PathOutsideRoot

__all__ = ["relative_to_root", "resolve_under_root"]


def resolve_under_root(root: str | Path, path: str) -> Path:
    """The absolute path of ``path`` (relative to ``root``, or absolute inside it)."""
    base = Path(root).expanduser().resolve()
    candidate = (base / Path(path).expanduser()).resolve()
    if candidate != base and base not in candidate.parents:
        raise PathOutsideRoot(f"{path!r} is outside the server root")
    return candidate


def relative_to_root(root: str | Path, path: str) -> str:
    """``path`` normalised to the POSIX form relative to ``root`` that deployments store."""
    absolute = resolve_under_root(root, path)
    return PurePosixPath(absolute.relative_to(Path(root).expanduser().resolve())).as_posix()
