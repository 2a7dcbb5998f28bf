"""Reading a notebook's parameters from disk, as papermill will load the notebook to run it.

The reading half of ``core.notebook_parameters`` (which does no I/O): the REST API, automations
and ``orchestr-lab run`` read a notebook here, then check values with
:func:`~orchestr_lab.core.notebook_parameters.validate_notebook_parameters`.
"""

from __future__ import annotations

import os
from typing import Any

from ..core.notebook_parameters import inspect_notebook_parameters

__all__ = ["read_notebook_parameters"]


def read_notebook_parameters(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """The parameters of the notebook at ``path``: ``[{"name", "type", "default", "help"}]``.

    Raises ``FileNotFoundError`` for a missing notebook and nbformat's ``ValueError`` for a
    file that is not one.
    """
    from papermill.iorw import load_notebook_node

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise FileNotFoundError(f"No notebook at {path}")
    return inspect_notebook_parameters(load_notebook_node(path))
