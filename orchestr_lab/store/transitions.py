"""The rule book, applied once: every state the store writes passes :func:`fold_state`.

The engine's batch writer (``runs.write_batch``), single transitions (``runs.set_state``) and
the server-side moves (claims, cancel, retry, reaper) all fold states through here, so a run's
history tells a legal story whoever wrote it. :func:`transition_flow_run` is the one-run move
inside a caller's transaction: rule book, row update, history row, ``flow_run.state`` event.
"""

from __future__ import annotations

import datetime as _dt
import time
from collections.abc import Mapping
from typing import Any, cast

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection

from ..core.errors import IllegalTransition, NotFound
from ..core.states import State, StateType, check_transition, transition_error
from .events import event_row
from .models import flow_runs, run_states

__all__ = [
    "FIELDS",
    "as_type",
    "flow_state_event",
    "fold_state",
    "history_entry",
    "history_row",
    "state_payload",
    "transition_flow_run",
    "unknown_fields",
]

# Run columns a state op may update besides the state itself, per kind of run.
FIELDS: dict[str, frozenset[str]] = {
    "flow": frozenset(
        {
            "run_count",
            "start_time",
            "end_time",
            "result_key",
            "worker_name",
            "worker_type",
            "heartbeat_at",
            "output_notebook",
            "resume_from",
        }
    ),
    "task": frozenset({"run_count", "start_time", "end_time", "result_key", "cache_key"}),
}
_STATE_TYPES: dict[str, StateType] = {t.value: t for t in StateType}
_SCHEDULED = StateType.SCHEDULED
_UTC = _dt.timezone.utc


def fold_state(
    kind: str,
    run_id: str,
    current: StateType | None,
    state: State,
    fields: Mapping[str, Any],
    target: dict[str, Any],
    *,
    force: bool = False,
) -> IllegalTransition | None:
    """Check ``current -> state`` and, when legal, write the state and fields into ``target``.

    ``target`` is a new run's insert row or an existing run's pending UPDATE values; folding
    several states into it leaves the last one. Returns the refusal instead of raising so the
    batch writer can skip one op and keep the rest.
    """
    if not force and transition_error(current, state) is not None:
        try:
            check_transition(current, state)
        except IllegalTransition as exc:
            exc.args = (f"{kind} run {run_id}: {exc.args[0]}",)
            return exc
    type_ = state.type
    target["state_type"] = type_._value_  # ``.value`` is a slow property on Python < 3.12
    target["state_name"] = state.name
    target["state_message"] = state.message
    target["state_timestamp"] = state.timestamp
    if type_ is _SCHEDULED:
        when = state.details.get("scheduled_time") if state.details else None
        if when is not None and kind == "flow":
            target["scheduled_start_time"] = when
    if fields:
        target.update(fields)
    return None


def unknown_fields(kind: str, fields: Mapping[str, Any] | None) -> list[str]:
    if not fields:
        return []
    allowed = FIELDS[kind]
    return sorted(k for k in fields if k not in allowed)


def history_row(run_id: str, state: State) -> dict[str, Any]:
    """A flow run's state as a ``run_states`` row."""
    return {
        "flow_run_id": run_id,
        "type": state.type._value_,
        "name": state.name,
        "message": state.message,
        "timestamp": state.timestamp,
        "details": state.details or None,
    }


def _epoch(value: Any) -> float:
    if isinstance(value, (int, float)):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    seconds: float = value.timestamp()
    return seconds


def history_entry(state: State) -> list[Any]:
    """A task run's state as an entry of ``task_runs.history``.

    ``[type, name, epoch_seconds, message]``, plus ``details`` as a fifth element only when
    the state has any; :func:`.run_reads.state_history` reads them back.
    """
    ts = state.timestamp
    if type(ts) is not float:
        ts = _epoch(ts)
    if state.details:
        return [state.type._value_, state.name, ts, state.message, state.details]
    return [state.type._value_, state.name, ts, state.message]


def as_type(value: str | None) -> StateType | None:
    return None if value is None else _STATE_TYPES.get(value)


# -- events -----------------------------------------------------------------------------------


def state_payload(state: State) -> dict[str, Any]:
    """A state as the API shows it: ``{type, name, message, timestamp}`` (ISO timestamp)."""
    ts = state.timestamp
    when = ts if isinstance(ts, _dt.datetime) else _dt.datetime.fromtimestamp(ts, _UTC)
    return {
        "type": state.type._value_,
        "name": state.name,
        "message": state.message,
        "timestamp": when.isoformat(),
    }


def flow_state_event(run_id: str, state: State, *, name: str | None, deployment_id: str | None) -> dict[str, Any]:
    """The ``flow_run.state`` event for one state change of a flow run.

    Stored without a None message or deployment (most runs have neither): ``events.list_events``
    puts them back, so readers see ``{state: {type, name, message, timestamp}, name, deployment_id}``.
    """
    shown = state_payload(state)
    if shown["message"] is None:
        del shown["message"]
    payload = {"state": shown, "name": name}
    if deployment_id is not None:
        payload["deployment_id"] = deployment_id
    return event_row("flow_run.state", run_id, payload)


# -- one flow run, inside the caller's transaction ----------------------------------------------


def transition_flow_run(
    conn: Connection,
    run_id: str,
    state: State,
    *,
    events: list[dict[str, Any]],
    fields: Mapping[str, Any] | None = None,
    force: bool = False,
    row: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Move flow run ``run_id`` to ``state`` and return its row as stored now.

    ``row`` is the run's current row when the caller already read (and locked) it; otherwise
    it is read here ``FOR UPDATE``. The ``flow_run.state`` event is appended to ``events`` for
    the caller to write last (see ``events.insert_events``). Raises :class:`IllegalTransition`
    (unless ``force``) and :class:`NotFound`.
    """
    unknown = unknown_fields("flow", fields)
    if unknown:
        raise ValueError(f"flow runs have no field(s) {', '.join(unknown)}")
    if row is None:
        row = cast(  # a RowMapping, keyed by column name here
            "Mapping[str, Any] | None",
            conn.execute(select(flow_runs).where(flow_runs.c.id == run_id).with_for_update()).mappings().first(),
        )
        if row is None:
            raise NotFound(f"No flow run with id {run_id!r}")
    values: dict[str, Any] = {}
    refused = fold_state("flow", run_id, as_type(row["state_type"]), state, fields or {}, values, force=force)
    if refused is not None:
        raise refused
    values["updated"] = time.time()
    # RETURNING: the stored row comes back with the update, not from another round trip.
    stored = (
        conn.execute(update(flow_runs).where(flow_runs.c.id == run_id).values(values).returning(flow_runs))
        .mappings()
        .one()
    )
    conn.execute(insert(run_states), [history_row(run_id, state)])
    events.append(flow_state_event(run_id, state, name=row["name"], deployment_id=row["deployment_id"]))
    return dict(stored)
