"""A flow run waiting for a person: pause it (its own code asks), read what it asks for, resume
it with input checked against the schema it waits with, and read the input it got.

As Prefect's server does: input that does not match is refused (422 naming the field) and the run
stays PAUSED; resuming a run that is not PAUSED is a 409; a pause past its timeout cannot be
resumed any more, and the run it held FAILS.
"""

from __future__ import annotations

import time
from typing import Any

from ..core.errors import Conflict, NotFound
from ..core.schemas_pause import PauseRequest, ResumeRequest, RunInputQuery
from ..core.states import StateType as _ST
from . import Context, field_error
from .runs import checked_run_id, get_flow_run

__all__ = ["get_input_schema", "get_run_input", "pause_flow_run", "resume_flow_run"]

NEVER_RESUMED = "The flow was paused and never resumed."


def pause_flow_run(ctx: Context, *, flow_run_id: str, body: PauseRequest) -> dict[str, Any]:
    """Move a RUNNING run to PAUSED with what it waits for in the state's details; the
    ``flow_run.paused`` event is written with it."""
    from ..core.states import Paused
    from ..store.pauses import move_with_event

    expires = time.time() + body.timeout_seconds
    details: dict[str, Any] = {
        "pause_key": body.key,
        "pause_timeout": body.timeout_seconds,
        "pause_expiration_time": expires,
    }
    if body.run_input_schema is not None:
        _check_schema(body.run_input_schema)
        details["run_input_schema"] = body.run_input_schema
    if body.description is not None:
        details["run_input_description"] = body.description
    event = {"key": body.key, "waits_for_input": body.run_input_schema is not None, "pause_expiration_time": expires}
    if body.reschedule:
        _check_suspendable(ctx, flow_run_id)
        details["pause_reschedule"] = event["reschedule"] = True
    if _fired_before_rerun(ctx, flow_run_id, body.key):
        return get_flow_run(ctx, flow_run_id=flow_run_id)  # still RUNNING: it goes on
    paused = Paused(details=details, name="Suspended" if body.reschedule else None)
    move_with_event(ctx.engine, checked_run_id(flow_run_id), paused, [("flow_run.paused", event)], require=_ST.RUNNING)
    return get_flow_run(ctx, flow_run_id=flow_run_id)


def _check_suspendable(ctx: Context, flow_run_id: str) -> None:
    """Refuse (409) a suspend as Prefect refuses it: a run that is not RUNNING, a subflow, a run
    of no deployment (no worker would run it again)."""
    run = get_flow_run(ctx, flow_run_id=flow_run_id)
    if (run.get("state") or {}).get("type") != _ST.RUNNING.value:
        raise Conflict("Cannot suspend flows that are not currently running.")
    if run.get("parent_task_run_id"):
        raise Conflict("Cannot suspend subflows.")
    if not run.get("deployment_id"):
        raise Conflict("Cannot suspend flows without a deployment.")


def _fired_before_rerun(ctx: Context, flow_run_id: str, key: str) -> bool:
    """Whether this pause (or suspend) was answered before the suspension this run is the rerun
    of: the call goes on at once with that answer."""
    from ..store.pauses import fired_before_rerun

    return fired_before_rerun(ctx.engine, checked_run_id(flow_run_id), key)


def _paused(ctx: Context, flow_run_id: str) -> dict[str, Any] | None:
    from ..store.pauses import current_pause

    return current_pause(ctx.engine, checked_run_id(flow_run_id))


def get_input_schema(ctx: Context, *, flow_run_id: str) -> dict[str, Any]:
    """What a paused run asks for (404 when it is not paused for input)."""
    details = _paused(ctx, flow_run_id)
    if not details or "run_input_schema" not in details:
        raise NotFound(f"Flow run {flow_run_id} is not paused for input")
    return {
        "flow_run_id": flow_run_id,
        "key": details.get("pause_key", ""),
        "run_input_schema": details["run_input_schema"],
        "description": details.get("run_input_description"),
        "pause_expiration_time": details.get("pause_expiration_time"),
    }


def _check_schema(schema: dict[str, Any]) -> None:
    """A 422 when ``schema`` is not a JSON schema a resume could check input against."""
    import jsonschema

    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        raise field_error("run_input_schema", f"not a JSON schema: {exc.message}", schema) from None


def _check_input(schema: dict[str, Any], run_input: dict[str, Any] | None) -> None:
    """Raise a 422 naming the first field of ``run_input`` that does not match ``schema``."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema)
    try:
        error = jsonschema.exceptions.best_match(validator.iter_errors(run_input if run_input is not None else {}))
    except Exception as exc:  # a $ref it cannot follow (only local ones are): the schema, not the input, is wrong
        raise field_error("run_input", f"the run's input schema cannot check it: {exc}", run_input) from None
    if error is None:
        return
    path = [str(p) for p in error.absolute_path]
    if error.validator == "required" and isinstance(error.instance, dict):
        missing = [name for name in error.validator_value if name not in error.instance]
        path += missing[:1]
    field = ".".join(["run_input", *path])
    raise field_error(field, error.message, error.instance)


def resume_flow_run(ctx: Context, *, flow_run_id: str, body: ResumeRequest) -> dict[str, Any]:
    """PAUSED -> RUNNING with the input (checked first), or SCHEDULED "Resuming" for a suspended
    run; 409 unless the run is PAUSED."""
    from ..core.states import Failed
    from ..store.pauses import move_with_event, never_resumed

    details = _paused(ctx, flow_run_id)
    if details is None:
        raise Conflict(f"Flow run {flow_run_id} is not PAUSED: there is nothing to resume")
    key = details.get("pause_key", "")
    expires = details.get("pause_expiration_time")
    if expires is not None and time.time() > expires:
        move_with_event(ctx.engine, flow_run_id, Failed(never_resumed(details)), [], require=_ST.PAUSED)
        raise Conflict(f"Flow run {flow_run_id} can no longer be resumed: its pause timed out")
    schema = details.get("run_input_schema")
    resumed: dict[str, Any] = {"pause_key": key}
    kinds: list[tuple[str, dict[str, Any]]] = [("flow_run.resumed", {"key": key})]
    if schema is not None:
        _check_input(schema, body.run_input)
        resumed["run_input"] = body.run_input or {}
        kinds.append(("flow_run.input_received", {"key": key, "fields": sorted(body.run_input or {})}))
    move_with_event(ctx.engine, flow_run_id, _resumed_state(details, resumed), kinds, require=_ST.PAUSED)
    return get_flow_run(ctx, flow_run_id=flow_run_id)


def _resumed_state(paused: dict[str, Any], resumed: dict[str, Any]) -> Any:
    """RUNNING for a pause (its process waits); for a suspend, SCHEDULED "Resuming" now, so a
    worker claims the run again and runs it from the top (the input kept in the state)."""
    from ..core.states import Running, State

    if not paused.get("pause_reschedule"):
        return Running(details=resumed)
    return State(_ST.SCHEDULED, "Resuming", details={"scheduled_time": time.time(), **resumed})


def get_run_input(ctx: Context, *, flow_run_id: str, query: RunInputQuery) -> dict[str, Any]:
    """The input the run was resumed with for pause ``query.key`` in its current attempt
    (``received`` false: not answered yet, or the run was retried since)."""
    from ..store.pauses import received_input

    received, value = received_input(ctx.engine, checked_run_id(flow_run_id), query.key)
    return {"key": query.key, "received": received, "value": value}
