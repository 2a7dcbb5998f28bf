"""Resuming a failed notebook run at its failing cell, with the state the kernel had then.

When a cell fails, the kernel is still alive: :func:`snapshot_code` makes it save its user
namespace (cloudpickle, so functions and classes defined in the notebook come along; modules
by name; what cannot be pickled is listed and left out; names starting with "_" are IPython's
or private and are not saved; nothing is saved past :data:`MAX_STATE_BYTES`) to a file next to the output notebook.
A retry "from the failed cell" (``retry_run(..., from_failed_cell=True)``) then runs
:func:`resume_plan`'s notebook: the failed attempt's executed notebook, its cells before the
failing one kept as they were (outputs included, not executed again), the failing cell and
those after it taken from the notebook file as it is now when it still has the failing cell
(so a fix to that cell is picked up), and :func:`restore_code` loading the saved namespace into
a fresh kernel before the first of them runs.

Python kernels only; runs on remote workers save no state (the file would live on the worker's
machine, not where a retry may run).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["ResumePlan", "restore_code", "resume_plan", "saved_but_skipped", "snapshot_code", "snapshot_path_for"]

#: The most a saved kernel state may take on disk; past it nothing is saved (resume unavailable).
MAX_STATE_BYTES = 1 << 30

# Runs in the user's kernel: names start with "_" so the function is not part of what it saves,
# and it deletes itself. Values are pickled together (shared references stay shared) straight
# to the file, through a writer that gives up past MAX_STATE_BYTES; only when pickling fails is
# each value tried alone, to name and leave out the ones that cannot be saved. The file holds
# two pickles: a header (modules by name, what was left out) and the values.
_SNAPSHOT = """
def _orchestr_lab_snapshot(path, cap):
    import os, pickle, types, cloudpickle

    class TooBig(Exception):
        pass

    class Capped:
        def __init__(self, f):
            self.f, self.left = f, cap
        def write(self, data):
            self.left -= len(data)
            if self.left < 0:
                raise TooBig(f"the kernel's state is larger than {cap >> 20} MB: not saved")
            return self.f.write(data) if self.f is not None else len(data)

    ip = get_ipython()
    hidden = set(ip.user_ns_hidden)
    names = [k for k in ip.user_ns if not k.startswith("_") and k not in hidden]
    modules = {k: ip.user_ns[k].__name__ for k in names if isinstance(ip.user_ns[k], types.ModuleType)}
    values = {k: ip.user_ns[k] for k in names if k not in modules}
    skipped = {}
    for k in list(values):
        try:
            cloudpickle.dump(values[k], Capped(None))
        except TooBig:
            raise
        except Exception as exc:
            skipped[k] = f"{type(exc).__name__}: {exc}"[:200]
            del values[k]
    tmp = path + ".tmp"
    try:
        with open(tmp, "wb") as f:
            pickle.dump({"modules": modules, "skipped": skipped}, f)
            cloudpickle.dump(values, Capped(f))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)
try:
    _orchestr_lab_snapshot(__PATH__, __CAP__)
finally:
    del _orchestr_lab_snapshot
"""

_RESTORE = """
def _orchestr_lab_restore(path):
    import importlib, pickle, cloudpickle
    with open(path, "rb") as f:
        saved = pickle.load(f)
        values = cloudpickle.load(f)
    ns = get_ipython().user_ns
    for name, module in saved["modules"].items():
        ns[name] = importlib.import_module(module)
    ns.update(values)
try:
    _orchestr_lab_restore(__PATH__)
finally:
    del _orchestr_lab_restore
"""


def snapshot_path_for(output: Path) -> Path:
    """Where a run's kernel state is saved when a cell fails: beside its output notebook."""
    return output.with_name(output.stem + ".state.pkl")


def snapshot_code(path: str | Path) -> str:
    """Kernel code that saves the user namespace to ``path``."""
    return _SNAPSHOT.replace("__PATH__", repr(str(path))).replace("__CAP__", str(MAX_STATE_BYTES))


def restore_code(path: Path) -> str:
    """Kernel code that loads the namespace saved at ``path``."""
    return _RESTORE.replace("__PATH__", repr(str(path)))


def saved_but_skipped(path: Path) -> dict[str, str]:
    """The names the snapshot at ``path`` left out, with why (they could not be pickled)."""
    import pickle

    with open(path, "rb") as f:
        return dict(pickle.load(f).get("skipped") or {})


class ResumePlan:
    """The notebook a resumed attempt executes and which of its cells it keeps as they were."""

    def __init__(self, nb: Any, kept: dict[int, Any], snapshot: Path, cell: int) -> None:
        self.nb = nb
        self.kept = kept  # cell index -> the cell as the failed attempt left it (not executed again)
        self.snapshot = snapshot
        self.cell = cell  # the failing cell's number, where the attempt resumes


def resume_plan(resume: dict[str, Any], source: Path | None) -> ResumePlan:
    """The notebook for a resumed attempt (see the module docstring).

    ``resume`` is the run's ``resume_from``; ``source`` the deployment's notebook file as it is
    now (None: use only the failed attempt's cells). Raises ValueError when the saved state or
    the failed attempt's notebook is gone.
    """
    import nbformat

    snapshot, previous = Path(resume["snapshot"]), Path(resume["notebook"])
    if not snapshot.is_file():
        raise ValueError(f"the kernel state saved when cell {resume.get('cell')} failed is gone ({snapshot})")
    if not previous.is_file():
        raise ValueError(f"the failed attempt's notebook is gone ({previous})")
    from papermill.execute import remove_error_markers

    nb = remove_error_markers(nbformat.read(str(previous), as_version=4))  # papermill's red banners
    cell_id = resume.get("cell_id")
    ids = [c.get("id") for c in nb.cells]
    index = ids.index(cell_id) if cell_id and cell_id in ids else int(resume["cell_index"])
    if not 0 <= index < len(nb.cells):
        raise ValueError(f"the failed attempt's notebook has no cell {index}")
    head = nb.cells[:index]
    tail = nb.cells[index:]
    if source is not None and cell_id and source.is_file():
        current = nbformat.read(str(source), as_version=4)
        ids = [c.get("id") for c in current.cells]
        if cell_id in ids:  # the notebook still has the failing cell: run its current code
            tail = current.cells[ids.index(cell_id) :]
    for cell in tail:
        if cell.get("cell_type") == "code":
            cell.outputs, cell.execution_count = [], None
    nb.cells = head + tail
    kept = {i: cell for i, cell in enumerate(head) if cell.get("cell_type") == "code"}
    return ResumePlan(nb, kept, snapshot, int(resume.get("cell") or 0))
