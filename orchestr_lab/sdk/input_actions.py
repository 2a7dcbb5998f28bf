"""Flow run inputs, one value at a time: Prefect's ``prefect.input.actions``.

Keyed JSON values stored per flow run (``flow_runs/{id}/input``): what ``send_input`` writes and
``receive_input`` reads in turn. Inside a flow run they go to the store the run records to (the
server, on a remote worker); elsewhere to the configured store or ``$ORCHESTR_LAB_API_URL``.
Each function has its ``a``-prefixed coroutine twin, and called from ``async def`` code the
plain name returns an awaitable, as Prefect's do.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..engine.context import flow_run_var, task_run_var
from ._dispatch import dispatch, in_thread
from .client import Backend

__all__ = [
    "FlowRunInput",
    "acreate_flow_run_input",
    "acreate_flow_run_input_from_model",
    "adelete_flow_run_input",
    "afilter_flow_run_input",
    "aread_flow_run_input",
    "create_flow_run_input",
    "create_flow_run_input_from_model",
    "delete_flow_run_input",
    "ensure_flow_run_id",
    "filter_flow_run_input",
    "read_flow_run_input",
]

#: Who sent an input from a flow run: ``<this>.<run id>`` (Prefect's form, so ``respond`` finds it).
SENDER_PREFIX = "prefect.flow-run"


class FlowRunInput(BaseModel):
    """One stored input: ``value`` is its JSON text, ``decoded_value`` the value itself."""

    model_config = ConfigDict(frozen=True)

    flow_run_id: str
    key: str
    value: str
    sender: str | None = None

    @property
    def decoded_value(self) -> Any:
        return json.loads(self.value)


def _current_run_id() -> str | None:
    """The flow run this code runs in, written to its store first (it is there for a sender or
    a responder to find: a run's recorder writes it a moment after it starts)."""
    flow_ctx = flow_run_var.get()
    if flow_ctx is None:
        task_ctx = task_run_var.get()
        flow_ctx = task_ctx.flow_run if task_ctx is not None else None
    if flow_ctx is None:
        return None
    flow_ctx.recorder.flush()
    return str(flow_ctx.id)


def ensure_flow_run_id(flow_run_id: Any = None) -> str:
    """``flow_run_id`` as text, else the flow run this code runs in."""
    if flow_run_id:
        return str(flow_run_id)
    current = _current_run_id()
    if current is None:
        raise RuntimeError("Must either provide a flow run ID or be within a flow run.")
    return current


def _backend() -> Backend:
    from .artifacts import _current

    return _current()[0]


def _sender_here() -> str | None:
    current = _current_run_id()
    return f"{SENDER_PREFIX}.{current}" if current is not None else None


def _create(key: str, value: Any, flow_run_id: Any, sender: str | None) -> None:
    from pydantic_core import to_jsonable_python

    _backend().create_run_input(ensure_flow_run_id(flow_run_id), key, to_jsonable_python(value), sender)


def _from_model(key: str, model_instance: BaseModel, flow_run_id: Any, sender: str | None) -> None:
    value = json.loads(model_instance.model_dump_json())
    _create(key, value, flow_run_id, sender if sender is not None else _sender_here())


def _filter(key_prefix: str, limit: int, exclude_keys: Any, flow_run_id: Any) -> list[FlowRunInput]:
    run_id = ensure_flow_run_id(flow_run_id)
    rows = _backend().filter_run_inputs(run_id, key_prefix, limit, sorted(exclude_keys or ()))
    return [
        FlowRunInput(flow_run_id=r["flow_run_id"], key=r["key"], value=json.dumps(r["value"]), sender=r["sender"])
        for r in rows
    ]


def _read(key: str, flow_run_id: Any) -> Any:
    row = _backend().read_run_input(ensure_flow_run_id(flow_run_id), key)
    return None if row is None else row["value"]


def _delete(key: str, flow_run_id: Any) -> None:
    _backend().delete_run_input(ensure_flow_run_id(flow_run_id), key)


async def acreate_flow_run_input(key: str, value: Any, flow_run_id: Any = None, sender: str | None = None) -> None:
    await in_thread(_create, key, value, flow_run_id, sender)


@dispatch(acreate_flow_run_input)
def create_flow_run_input(key: str, value: Any, flow_run_id: Any = None, sender: str | None = None) -> None:
    """Store ``value`` (JSON) under ``key`` for the flow run (409 refusal: the key is taken)."""
    _create(key, value, flow_run_id, sender)


async def acreate_flow_run_input_from_model(
    key: str, model_instance: BaseModel, flow_run_id: Any = None, sender: str | None = None
) -> None:
    await in_thread(_from_model, key, model_instance, flow_run_id, sender)


@dispatch(acreate_flow_run_input_from_model)
def create_flow_run_input_from_model(
    key: str, model_instance: BaseModel, flow_run_id: Any = None, sender: str | None = None
) -> None:
    """Store a pydantic model's JSON under ``key``; sent from a flow run, it names that run."""
    _from_model(key, model_instance, flow_run_id, sender)


async def afilter_flow_run_input(
    key_prefix: str, limit: int = 1, exclude_keys: Any = None, flow_run_id: Any = None
) -> list[FlowRunInput]:
    return await in_thread(_filter, key_prefix, limit, exclude_keys, flow_run_id)


@dispatch(afilter_flow_run_input)
def filter_flow_run_input(
    key_prefix: str, limit: int = 1, exclude_keys: Any = None, flow_run_id: Any = None
) -> list[FlowRunInput]:
    """The run's inputs whose key starts with ``key_prefix``, oldest first, but ``exclude_keys``."""
    return _filter(key_prefix, limit, exclude_keys, flow_run_id)


async def aread_flow_run_input(key: str, flow_run_id: Any = None) -> Any:
    return await in_thread(_read, key, flow_run_id)


@dispatch(aread_flow_run_input)
def read_flow_run_input(key: str, flow_run_id: Any = None) -> Any:
    """The value stored under ``key``, or None when there is none."""
    return _read(key, flow_run_id)


async def adelete_flow_run_input(key: str, flow_run_id: Any = None) -> None:
    await in_thread(_delete, key, flow_run_id)


@dispatch(adelete_flow_run_input)
def delete_flow_run_input(key: str, flow_run_id: Any = None) -> None:
    """Delete the input stored under ``key`` (a NotFound when there is none)."""
    _delete(key, flow_run_id)
