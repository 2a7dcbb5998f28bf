"""``sweep(...)``: run a deployment over a parameter grid (or list of parameter sets) and get
the results back as one table, a pandas DataFrame when pandas is installed.

The members are normal deployment runs: a worker serving the deployment's queue runs them, at
most ``max_parallel`` at once. The store is the configured one, or the server at
``$ORCHESTR_LAB_API_URL``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .client import Backend

__all__ = ["sweep", "table_rows"]


def table_rows(table: Mapping[str, Any]) -> list[dict[str, Any]]:
    """``{"columns", "rows"}`` as one dict per row, keyed by column."""
    columns = list(table["columns"])
    return [dict(zip(columns, row, strict=True)) for row in table["rows"]]


def _frame(table: Mapping[str, Any], sweep_id: str) -> Any:
    """A DataFrame when pandas imports, else the list of dicts."""
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        return table_rows(table)
    frame = pd.DataFrame(list(table["rows"]), columns=list(table["columns"]))
    frame.attrs["sweep_id"] = sweep_id
    return frame


def sweep(
    deployment: str,
    grid: Mapping[str, Sequence[Any]] | None = None,
    parameter_sets: Sequence[Mapping[str, Any]] | None = None,
    *,
    parameters: Mapping[str, Any] | None = None,
    max_parallel: int = 4,
    wait: bool = True,
    timeout: float | None = None,
    poll_interval: float = 0.5,
    backend: Backend | None = None,
) -> Any:
    """Run ``deployment`` (name or id) once per combination of ``grid`` or per item of
    ``parameter_sets``, at most ``max_parallel`` at once; return the results table.

    With ``wait`` (the default) it returns once every member is final (``TimeoutError`` after
    ``timeout`` seconds); else at once, with the members' current states. Columns: ``index``,
    the parameters, ``state``, ``duration`` (seconds), then each recorded output. The sweep's id
    is in the DataFrame's ``attrs["sweep_id"]``.
    """
    from ._dispatch import backend as default_backend

    body: dict[str, Any] = {"max_parallel": max_parallel, "parameters": dict(parameters or {})}
    if grid is not None:
        body["grid"] = {name: list(values) for name, values in grid.items()}
    if parameter_sets is not None:
        body["parameter_sets"] = [dict(values) for values in parameter_sets]
    api = backend or default_backend()
    try:
        sweep_id = api.create_sweep(deployment, body)["id"]
        deadline = None if timeout is None else time.monotonic() + timeout
        while wait and api.get_sweep(sweep_id)["state"] == "RUNNING":
            if deadline is not None and time.monotonic() > deadline:
                raise TimeoutError(f"Sweep {sweep_id} still running after {timeout} s")
            time.sleep(poll_interval)
        return _frame(api.sweep_table(sweep_id), sweep_id)
    finally:
        if backend is None:
            api.close()
