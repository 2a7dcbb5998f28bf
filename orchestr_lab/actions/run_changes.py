"""Changing a flow run from a client: rename, retag, new parameters; propose (or force) a state.

What Prefect's ``update_flow_run`` and ``set_flow_run_state`` do. A proposed state the rule book
refuses is not an error here but an answer, ``REJECT`` with the reason and the state the run
keeps, as Prefect's orchestration result reports it.
"""

from __future__ import annotations

from typing import Any

from ..core.errors import Conflict, IllegalTransition
from ..core.schemas_client import FlowRunStateSet, FlowRunUpdate
from . import Context
from .runs import checked_run_id, get_flow_run

__all__ = ["propose_flow_run_state", "update_flow_run"]


def update_flow_run(ctx: Context, *, flow_run_id: str, body: FlowRunUpdate) -> dict[str, Any]:
    from ..store.run_updates import update_flow_run as update

    update(ctx.engine, checked_run_id(flow_run_id), body.model_dump(exclude_none=True))
    return get_flow_run(ctx, flow_run_id=flow_run_id)


def propose_flow_run_state(ctx: Context, *, flow_run_id: str, body: FlowRunStateSet) -> dict[str, Any]:
    """``ACCEPT`` with the run's new state, or ``REJECT`` with its current one and the reason."""
    from ..core.states import State, StateType
    from ..store.runs import set_state

    s = body.state
    if s.type is StateType.CANCELLING:
        # As ``runs cancel`` does: a run no worker holds ends CANCELLED at once, a running one
        # goes CANCELLING and its worker stops it (a bare CANCELLING would wait for nobody).
        from .runs import cancel_flow_run

        try:
            return {"status": "ACCEPT", "state": cancel_flow_run(ctx, flow_run_id=flow_run_id)["state"], "details": {}}
        except (IllegalTransition, Conflict) as exc:
            return _rejected(ctx, flow_run_id, exc)
    state = State(s.type, s.name, s.message, timestamp=s.timestamp, details=s.details or None)
    try:
        set_state(ctx.engine, "flow", checked_run_id(flow_run_id), state, force=body.force)
    except IllegalTransition as exc:
        return _rejected(ctx, flow_run_id, exc)
    if state.is_scheduled():
        ctx.runs_due()
    return {"status": "ACCEPT", "state": get_flow_run(ctx, flow_run_id=flow_run_id)["state"], "details": {}}


def _rejected(ctx: Context, flow_run_id: str, exc: Exception) -> dict[str, Any]:
    current = get_flow_run(ctx, flow_run_id=flow_run_id)["state"]
    return {"status": "REJECT", "state": current, "details": {"reason": str(exc)}}
