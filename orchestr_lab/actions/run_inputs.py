"""The flow run input routes: keyed JSON values sent to a run (``POST flow_runs/{id}/input``,
``POST flow_runs/{id}/input/filter``, ``GET/DELETE flow_runs/{id}/input/{key}``), as Prefect's."""

from __future__ import annotations

from typing import Any

from ..core.errors import NotFound, found
from ..core.schemas_run_input import RunInputCreate, RunInputFilter, check_input_key
from . import Context
from .runs import checked_run_id

__all__ = ["create_run_input", "delete_run_input", "filter_run_inputs", "read_run_input"]


def _key(key: str) -> str:
    """A key from the path: one that could not be stored is simply not there (404)."""
    try:
        return check_input_key(key)
    except ValueError:
        raise NotFound("Flow run input not found") from None


def create_run_input(ctx: Context, *, flow_run_id: str, body: RunInputCreate) -> dict[str, Any]:
    from ..store.run_inputs import create_input

    return create_input(ctx.engine, checked_run_id(flow_run_id), body.key, body.value, body.sender)


def filter_run_inputs(ctx: Context, *, flow_run_id: str, body: RunInputFilter) -> list[dict[str, Any]]:
    from ..store.run_inputs import filter_inputs

    run_id = checked_run_id(flow_run_id)
    return filter_inputs(ctx.engine, run_id, body.prefix, limit=body.limit, exclude=body.exclude_keys)


def read_run_input(ctx: Context, *, flow_run_id: str, key: str) -> dict[str, Any]:
    from ..store.run_inputs import read_input

    return found(read_input(ctx.engine, checked_run_id(flow_run_id), _key(key)), "Flow run input not found")


def delete_run_input(ctx: Context, *, flow_run_id: str, key: str) -> None:
    from ..store.run_inputs import delete_input

    delete_input(ctx.engine, checked_run_id(flow_run_id), _key(key))
