"""Paths a token holder names: under the server root (or the results folder), never outside.

Deployments store notebook and flow-file paths relative to the root (what the file browser
shows). Anything that resolves outside its folder, through ``..`` or a symlink, is refused
with :class:`PathOutsideRoot` (HTTP 403); so is a path no file system can open: a NUL
character, a name or path longer than the system allows, a symlink loop, text that is not a
file name. The API checks a path when it is submitted, and the worker checks it again right
before it runs the file (the file may have been replaced by a symlink since).

Kept in ``workers`` so the worker and everything above it (actions, services, sdk) share
these rules. Run ids name files in the results folder: :func:`run_file` takes only a real one.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from ..core.errors import PathOutsideRoot
from ..core.ids import is_run_id

__all__ = [
    "MAX_NAME_BYTES",
    "MAX_PATH_BYTES",
    "relative_to_root",
    "resolve_under",
    "resolve_under_root",
    "run_file",
]

#: The longest file name and path (in bytes, as the file system counts) accepted; Linux's limits.
MAX_NAME_BYTES = 255
MAX_PATH_BYTES = 4096


def _unusable(path: str, why: str) -> PathOutsideRoot:
    shown = path if len(path) <= 80 else path[:77] + "..."
    return PathOutsideRoot(f"{shown!r} is not a usable path: {why}")


def _encoded(path: str) -> bytes:
    """The path as the file system sees it; refuses what no file system can open."""
    if "\x00" in path:
        raise _unusable(path, "it contains a NUL character")
    try:
        raw = os.fsencode(path)
    except UnicodeError:
        raise _unusable(path, "it is not valid text for a file name") from None
    if len(raw) > MAX_PATH_BYTES:
        raise _unusable(path, f"it is longer than {MAX_PATH_BYTES} bytes")
    if any(len(part) > MAX_NAME_BYTES for part in raw.split(b"/")):
        raise _unusable(path, f"a name in it is longer than {MAX_NAME_BYTES} bytes")
    return raw


def resolve_under(folder: str | os.PathLike[str], path: str | os.PathLike[str], *, what: str = "the folder") -> Path:
    """The absolute, symlink-free path of ``path`` (relative to ``folder``, or absolute inside it).

    Raises :class:`PathOutsideRoot` when it resolves outside ``folder`` (``what`` names the
    folder in the message) or cannot be a path at all.
    """
    text = os.fspath(path)
    _encoded(text)
    try:
        base = Path(folder).expanduser().resolve()
        candidate = (base / Path(text).expanduser()).resolve()
    except RuntimeError as exc:  # a symlink loop (Python < 3.13), or ~user of an unknown user
        raise _unusable(text, str(exc) or "a symlink loop") from None
    except OSError as exc:  # ELOOP, ENAMETOOLONG and the like (Python >= 3.13 raises these)
        raise _unusable(text, exc.strerror or str(exc)) from None
    _encoded(str(candidate))  # symlinks may lead to a longer path than the one given
    if candidate != base and base not in candidate.parents:
        raise PathOutsideRoot(f"{text!r} is outside {what}")
    return candidate


def resolve_under_root(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """``path`` (a notebook or flow file, relative to the server root) made absolute, inside the root."""
    return resolve_under(root, path, what="the server root")


def relative_to_root(root: str | os.PathLike[str], path: str | os.PathLike[str]) -> str:
    """``path`` normalised to the POSIX form relative to ``root`` that deployments store."""
    absolute = resolve_under_root(root, path)
    return PurePosixPath(absolute.relative_to(Path(root).expanduser().resolve())).as_posix()


def run_file(folder: str | os.PathLike[str], run_id: str, suffix: str) -> Path:
    """``<folder>/<run_id><suffix>`` (an executed notebook, say): only for a real run id.

    A run id that is not an id (``../x``) would name a file elsewhere; it is refused.
    """
    if not is_run_id(run_id):
        raise PathOutsideRoot(f"{run_id!r} is not a run id")
    return resolve_under(folder, f"{run_id}{suffix}", what="the results folder")
