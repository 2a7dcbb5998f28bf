"""JSON shapes of what a remote worker sends the server: states and the engine's store ops.

The engine's recorder queues op tuples (``("state", kind, id, State, fields)``, ``("flow_run",
row)``, ``("task_run", row)``, ``("log", row)``, ``("record", row)``, ``("flow", name)``) and
writes them with ``store.runs.write_batch``. A worker that reaches the store only over HTTP sends
the same ops as JSON lists; the server turns them back into tuples (:func:`ops_from_json`) and
writes them with the same function, so both paths apply the same rule book. Pure: no I/O.
"""

from __future__ import annotations

from typing import Any, Iterable

from .states import State, StateType

__all__ = ["OP_TAGS", "ops_from_json", "ops_to_json", "state_from_dict", "state_to_dict"]

#: The op tags the store's batch writer knows.
OP_TAGS = frozenset({"state", "flow_run", "task_run", "log", "record", "flow"})

_STATE_TYPES = {t.value for t in StateType}


def state_to_dict(state: Any) -> dict[str, Any]:
    """A State without its data (exceptions and values stay where they were raised)."""
    return {"type": state.type.value, "name": state.name, "message": state.message,
            "timestamp": state.timestamp, "details": dict(state.details or {})}


def state_from_dict(data: dict[str, Any]) -> State:
    return State(data["type"], data["name"], data.get("message"), timestamp=data.get("timestamp"),
                 details=data.get("details") or None)


def ops_to_json(ops: Iterable[tuple[Any, ...]]) -> list[list[Any]]:
    """Op tuples as JSON-able lists (a state op's State becomes its dict)."""
    out: list[list[Any]] = []
    for op in ops:
        if op[0] == "state":
            out.append(["state", op[1], op[2], state_to_dict(op[3]), dict(op[4] or {})])
        else:
            out.append(list(op))
    return out


def ops_from_json(ops: list[list[Any]]) -> list[tuple[Any, ...]]:
    """The op tuples back, checked for shape; ValueError names the first bad op."""
    out: list[tuple[Any, ...]] = []
    for index, op in enumerate(ops):
        tag = op[0] if op else None
        if tag not in OP_TAGS:
            raise ValueError(f"op {index}: unknown operation {tag!r}")
        if tag == "state":
            if len(op) != 5 or op[1] not in ("flow", "task") or not isinstance(op[2], str) \
                    or not isinstance(op[3], dict) or not isinstance(op[4], dict):
                raise ValueError(f"op {index}: a state op is ['state', 'flow'|'task', id, state, fields]")
            state = op[3]
            if state.get("type") not in _STATE_TYPES or not isinstance(state.get("name"), str):
                raise ValueError(f"op {index}: the state needs a known 'type' and a 'name'")
            timestamp = state.get("timestamp")
            if timestamp is not None and not isinstance(timestamp, (int, float)):
                raise ValueError(f"op {index}: the state's timestamp must be epoch seconds")
            if not isinstance(state.get("details") or {}, dict):
                raise ValueError(f"op {index}: the state's details must be an object")
            out.append(("state", op[1], op[2], state_from_dict(state), op[4]))
        elif tag == "flow":
            if len(op) != 2 or not isinstance(op[1], str):
                raise ValueError(f"op {index}: a flow op is ['flow', name]")
            out.append(("flow", op[1]))
        else:
            if len(op) != 2 or not isinstance(op[1], dict):
                raise ValueError(f"op {index}: a {tag} op is [{tag!r}, object]")
            if tag in ("flow_run", "task_run") and not isinstance(op[1].get("id"), str):
                raise ValueError(f"op {index}: a {tag} needs a string 'id'")
            out.append((tag, op[1]))
    return out
