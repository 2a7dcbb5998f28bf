"""The engine's store operations, typed, and their JSON shapes for a remote worker.

The engine's recorder queues ops (:class:`StateOp`, :class:`FlowRunOp`, :class:`TaskRunOp`,
:class:`LogOp`, :class:`RecordOp`, :class:`FlowOp`) and writes them with
``store.runs.write_batch``, which dispatches on their class. They are NamedTuples, plain tuples
underneath, so queueing one costs little more than a tuple. A worker that reaches the store only
over HTTP sends the same ops as JSON lists, named by :data:`TAGS` (``["state", kind, id, state,
fields]``, ``[tag, row]``, ``["flow", name]``); the server turns them back into ops
(:func:`ops_from_json`) and writes them with the same function, so both paths apply the same
rule book. Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, NamedTuple

from .states import State, StateType

__all__ = [
    "OP_TAGS",
    "OP_TYPES",
    "TAGS",
    "FlowOp",
    "FlowRunOp",
    "LogOp",
    "Op",
    "RecordOp",
    "StateOp",
    "TaskRunOp",
    "as_op",
    "ops_from_json",
    "ops_to_json",
    "state_from_dict",
    "state_to_dict",
]


class StateOp(NamedTuple):
    """Run ``run_id`` of ``kind`` ("flow" or "task") moves to ``state``, setting ``fields`` with it."""

    kind: str
    run_id: str
    state: State
    fields: Mapping[str, Any]


class FlowOp(NamedTuple):
    """A flow known by ``name`` (created if the store has no such flow yet)."""

    name: str


class FlowRunOp(NamedTuple):
    """A new flow run: ``core.schemas_ops.FlowRunRow``'s columns.

    The store files it under its flow (by ``flow_name``, created when new) and stamps ``updated``.
    """

    row: dict[str, Any]


class TaskRunOp(NamedTuple):
    """A new task run: ``core.schemas_ops.TaskRunRow``'s columns; its states go to its history list."""

    row: dict[str, Any]


class LogOp(NamedTuple):
    """A log line of a flow run or task run (``core.schemas_ops.LogRow``).

    The store caps the message (``max_cell_output_bytes``), replaces NUL, and fills in the flow
    run of a task run the same batch inserted.
    """

    row: dict[str, Any]


class RecordOp(NamedTuple):
    """An output ``record()`` kept (``core.schemas_ops.RecordRow``).

    ``value`` is its JSON value, None when it has none; ``repr`` is capped as a log line is.
    """

    row: dict[str, Any]


Op = StateOp | FlowRunOp | TaskRunOp | LogOp | RecordOp | FlowOp
#: Each op type's name on the wire: the first element of its JSON list.
TAGS: dict[type[Op], str] = {
    StateOp: "state",
    FlowRunOp: "flow_run",
    TaskRunOp: "task_run",
    LogOp: "log",
    RecordOp: "record",
    FlowOp: "flow",
}
#: Every op type, for a dispatch on ``op.__class__``.
OP_TYPES = tuple(TAGS)
_BY_TAG: dict[str, Callable[..., Op]] = {tag: cls for cls, tag in TAGS.items()}

#: The op tags the store's batch writer knows.
OP_TAGS = frozenset(_BY_TAG)

_STATE_TYPES = {t.value for t in StateType}


def state_to_dict(state: Any) -> dict[str, Any]:
    """A State without its data (exceptions and values stay where they were raised)."""
    return {
        "type": state.type.value,
        "name": state.name,
        "message": state.message,
        "timestamp": state.timestamp,
        "details": dict(state.details or {}),
    }


def state_from_dict(data: dict[str, Any]) -> State:
    return State(
        data["type"],
        data["name"],
        data.get("message"),
        timestamp=data.get("timestamp"),
        details=data.get("details") or None,
    )


def as_op(op: Any) -> Op | None:
    """``op`` as a typed op: itself, or built from the older plain tuple (``("state", kind, id,
    state, fields)``, ``(tag, row)``, ``("flow", name)``); None when its tag is unknown."""
    if isinstance(op, OP_TYPES):
        return op
    cls = _BY_TAG.get(op[0]) if op and isinstance(op[0], str) else None
    return None if cls is None else cls(*op[1:])


def ops_to_json(ops: Iterable[Any]) -> list[list[Any]]:
    """Ops as JSON-able lists (a state op's State becomes its dict)."""
    out: list[list[Any]] = []
    for op in ops:
        op = as_op(op) or op
        if op.__class__ is StateOp:
            out.append(["state", op.kind, op.run_id, state_to_dict(op.state), dict(op.fields or {})])
        elif isinstance(op, OP_TYPES):
            out.append([TAGS[op.__class__], op[0]])
        else:
            out.append(list(op))  # an unknown tag: the server names it
    return out


def ops_from_json(ops: list[list[Any]]) -> list[Op]:
    """The typed ops back, checked for shape; ValueError names the first bad op."""
    out: list[Op] = []
    for index, op in enumerate(ops):
        tag = op[0] if op else None
        if tag not in OP_TAGS:
            raise ValueError(f"op {index}: unknown operation {tag!r}")
        if tag == "state":
            if (
                len(op) != 5
                or op[1] not in ("flow", "task")
                or not isinstance(op[2], str)
                or not isinstance(op[3], dict)
                or not isinstance(op[4], dict)
            ):
                raise ValueError(f"op {index}: a state op is ['state', 'flow'|'task', id, state, fields]")
            state = op[3]
            if state.get("type") not in _STATE_TYPES or not isinstance(state.get("name"), str):
                raise ValueError(f"op {index}: the state needs a known 'type' and a 'name'")
            timestamp = state.get("timestamp")
            if timestamp is not None and not isinstance(timestamp, (int, float)):
                raise ValueError(f"op {index}: the state's timestamp must be epoch seconds")
            if not isinstance(state.get("details") or {}, dict):
                raise ValueError(f"op {index}: the state's details must be an object")
            out.append(StateOp(op[1], op[2], state_from_dict(state), op[4]))
        elif tag == "flow":
            if len(op) != 2 or not isinstance(op[1], str):
                raise ValueError(f"op {index}: a flow op is ['flow', name]")
            out.append(FlowOp(op[1]))
        else:
            if len(op) != 2 or not isinstance(op[1], dict):
                raise ValueError(f"op {index}: a {tag} op is [{tag!r}, object]")
            if tag in ("flow_run", "task_run") and not isinstance(op[1].get("id"), str):
                raise ValueError(f"op {index}: a {tag} needs a string 'id'")
            out.append(_BY_TAG[tag](op[1]))
    return out
