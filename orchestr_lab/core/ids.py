"""The form of a run id: a UUID (engine/ids.py makes time-ordered ones, the server uuid4).

A run id names files in the results folder (``<id>.ipynb``), so wherever one comes in from
outside (a URL, a worker's batch) it must have this form: ``../x`` is no id. Kept apart from
the pydantic models so that the worker's children can check an id without importing them.
"""

from __future__ import annotations

import re

__all__ = ["RUN_ID_PATTERN", "is_run_id"]

RUN_ID_PATTERN = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_RUN_ID = re.compile(RUN_ID_PATTERN)


def is_run_id(value: object) -> bool:
    """Whether ``value`` has the form of a run id (so it is safe in a file name, too)."""
    return isinstance(value, str) and _RUN_ID.fullmatch(value) is not None
