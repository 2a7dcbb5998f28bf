"""Runs of deployments: creating them, and the moves a server or worker makes on them.

A deployment run is a flow run that carries its deployment's execution settings (queue,
notebook or entrypoint, timeout, retries) in its own row, so a worker needs nothing else to
execute it and later edits of the deployment do not change runs already made. Every move goes
through ``transitions.transition_flow_run`` (the rule book, the history, the event). Claims
live in :mod:`.claims`.
"""

from __future__ import annotations

import datetime as _dt
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath
from typing import Any, cast

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..core.errors import Conflict, NotFound
from ..core.states import (
    FINAL_TYPES,
    AwaitingRetry,
    Cancelled,
    Cancelling,
    Scheduled,
    State,
    StateType,
)
from .database import write_transaction
from .events import event_row, insert_events
from .models import deployment_schedules, deployments, flow_runs, run_states
from .rows import ensure_flows, iso, run_dict
from .sql_helpers import as_datetime, dialect_insert, insert_ignore
from .transitions import flow_state_event, fold_state, history_row, transition_flow_run

__all__ = [
    "active_schedules",
    "cancel_run",
    "create_deployment_run",
    "create_run_in",
    "delete_run",
    "finish_attempt",
    "finish_attempt_in",
    "flow_name_of",
    "heartbeat_runs",
    "insert_runs",
    "insert_scheduled_runs",
    "new_runs",
    "new_scheduled_runs",
    "retry_run",
    "retry_run_in",
]

_ST = StateType
_ACTIVE = (_ST.PENDING.value, _ST.RUNNING.value, _ST.CANCELLING.value)
_SLOT = ("deployment_id", "schedule_id", "slot_time")


def flow_name_of(deployment: Mapping[str, Any]) -> str:
    """The flow name a deployment's runs are filed under: the notebook's stem or the flow function.

    ``reports/daily.ipynb`` -> ``daily``; ``etl.py:load_all`` -> ``load-all`` (the default name
    ``@flow`` gives that function, so entrypoint runs group with interactive runs of the flow).
    """
    if deployment.get("notebook"):
        return PurePosixPath(str(deployment["notebook"]).replace("\\", "/")).stem or deployment["name"]
    function = str(deployment.get("entrypoint") or "").rpartition(":")[2]
    return function.replace("_", "-") or deployment["name"]


def _run_row(
    deployment: Mapping[str, Any],
    *,
    run_id: str,
    parameters: dict[str, Any],
    when: _dt.datetime,
    schedule_id: str | None,
    name: str | None,
    now: float,
) -> dict[str, Any]:
    return {
        "id": run_id,
        "name": name or f"{deployment['name']}-{run_id[:8]}",
        "flow_name": flow_name_of(deployment),
        "deployment_id": deployment["id"],
        "parent_task_run_id": None,
        "parameters": parameters,
        "tags": list(deployment.get("tags") or []),
        "start_time": None,
        "end_time": None,
        "run_count": 0,
        "created": now,
        "updated": now,
        "worker_name": None,
        "worker_type": None,
        "result_key": None,
        "work_queue": deployment.get("work_queue") or "default",
        "schedule_id": schedule_id,
        "heartbeat_at": None,
        "notebook": deployment.get("notebook"),
        "entrypoint": deployment.get("entrypoint"),
        "output_notebook": None,
        "timeout_seconds": deployment.get("timeout_seconds"),
        "max_retries": int(deployment.get("retries") or 0),
        "retry_delay_seconds": float(deployment.get("retry_delay_seconds") or 0),
    }


def _new_run(
    deployment: Mapping[str, Any],
    *,
    when: _dt.datetime,
    schedule_id: str | None,
    parameters: Mapping[str, Any] | None = None,
    name: str | None = None,
    now: float,
    job_variables: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], State]:
    """A new SCHEDULED run's row (without ``flow_id``) and its first state."""
    merged = dict(deployment.get("parameters") or {})
    if schedule_id is not None:
        for spec in deployment.get("schedules") or ():
            if spec.get("id") == schedule_id:
                merged.update(spec.get("parameters") or {})
    merged.update(parameters or {})
    run_id = str(uuid.uuid4())
    row = _run_row(deployment, run_id=run_id, parameters=merged, when=when, schedule_id=schedule_id, name=name, now=now)
    state = Scheduled(scheduled_time=when, timestamp=now)
    refused = fold_state("flow", run_id, None, state, {}, row)
    if refused is not None:  # pragma: no cover - a new run may always start SCHEDULED
        raise refused
    row["scheduled_start_time"] = when  # the exact slot, not a float round trip: it is a unique key
    # Retries move scheduled_start_time; the slot stays (the scheduler's key and cursor).
    row["slot_time"] = when if schedule_id is not None else None
    row["job_variables"] = dict(job_variables) if job_variables else None
    return row, state


def create_run_in(
    conn: Connection,
    deployment: Mapping[str, Any],
    *,
    events: list[dict[str, Any]],
    parameters: Mapping[str, Any] | None = None,
    scheduled_time: _dt.datetime | float | None = None,
    schedule_id: str | None = None,
    name: str | None = None,
    job_variables: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], bool]:
    """:func:`create_deployment_run` inside the caller's transaction; also says if it inserted.

    Automations create runs inside their own transaction through this.
    """
    when = as_datetime(scheduled_time)
    now = time.time()
    row, state = _new_run(
        deployment,
        when=when,
        schedule_id=schedule_id,
        parameters=parameters,
        name=name,
        now=now,
        job_variables=job_variables,
    )
    run_id = row["id"]
    row["flow_id"] = ensure_flows(conn, {row["flow_name"]: now})[row["flow_name"]]
    if schedule_id is not None:
        inserted = insert_ignore(conn, flow_runs, row, _SLOT)
    else:
        conn.execute(insert(flow_runs).values(row))
        inserted = True
    if not inserted:
        existing = (
            conn.execute(
                select(flow_runs).where(
                    flow_runs.c.deployment_id == deployment["id"],
                    flow_runs.c.schedule_id == schedule_id,
                    flow_runs.c.slot_time == when,
                )
            )
            .mappings()
            .one()
        )
        return run_dict(existing), False
    conn.execute(insert(run_states), [history_row(run_id, state)])
    events.append(flow_state_event(run_id, state, name=row["name"], deployment_id=deployment["id"]))
    stored = conn.execute(select(flow_runs).where(flow_runs.c.id == run_id)).mappings().one()
    return run_dict(stored), True


#: A scheduled run ready to insert: its row (without ``flow_id``), first state and event.
NewRun = tuple[dict[str, Any], State, dict[str, Any]]


def new_scheduled_runs(slots: Sequence[tuple[Mapping[str, Any], str, _dt.datetime]]) -> list[NewRun]:
    """The runs of ``(deployment, schedule id, slot time)``s, built before any transaction, so a
    write transaction holds the store only for its statements."""
    now = time.time()
    out: list[NewRun] = []
    for dep, schedule_id, when in slots:
        row, state = _new_run(dep, when=when, schedule_id=schedule_id, now=now)
        out.append((row, state, flow_state_event(row["id"], state, name=row["name"], deployment_id=dep["id"])))
    return out


def new_runs(
    deployment: Mapping[str, Any],
    parameter_sets: Sequence[Mapping[str, Any]],
    *,
    when: _dt.datetime,
    names: Sequence[str],
    job_variables: Mapping[str, Any] | None = None,
) -> list[NewRun]:
    """Runs of ``deployment`` due at ``when``, one per parameter set, named ``names`` (a
    sweep's members), built before any transaction; :func:`insert_runs` writes them. Each is
    created a microsecond after the one before: claims take runs due together in creation order."""
    start = time.time()
    out: list[NewRun] = []
    for index, (parameters, name) in enumerate(zip(parameter_sets, names, strict=True)):
        now = start + index * 1e-6
        row, state = _new_run(
            deployment,
            when=when,
            schedule_id=None,
            parameters=parameters,
            name=name,
            now=now,
            job_variables=job_variables,
        )
        out.append((row, state, flow_state_event(row["id"], state, name=row["name"], deployment_id=deployment["id"])))
    return out


def insert_runs(conn: Connection, runs: Sequence[NewRun]) -> list[dict[str, Any]]:
    """Insert ``runs`` (from :func:`new_runs`): one INSERT of the rows and one of their first
    states, whatever the count; returns their events, for the caller to write last."""
    if not runs:
        return []
    _set_flow_ids(conn, runs)
    conn.execute(insert(flow_runs), [row for row, _, _ in runs])
    conn.execute(insert(run_states), [history_row(row["id"], state) for row, state, _ in runs])
    return [event for _, _, event in runs]


def _set_flow_ids(conn: Connection, runs: Sequence[NewRun]) -> None:
    flow_ids = ensure_flows(conn, {row["flow_name"]: row["created"] for row, _, _ in runs})
    for row, _, _ in runs:
        row["flow_id"] = flow_ids[row["flow_name"]]


def insert_scheduled_runs(conn: Connection, runs: Sequence[NewRun]) -> tuple[int, list[dict[str, Any]]]:
    """Insert ``runs`` (from :func:`new_scheduled_runs`), each unless its slot already has a run;
    returns how many were inserted and their events (for the caller to write last).

    One INSERT of the runs (``ON CONFLICT DO NOTHING`` on the slot's unique index), one read of
    which were inserted, one INSERT of their first states: the scheduler's write, whatever the count.
    """
    if not runs:
        return 0, []
    _set_flow_ids(conn, runs)
    stmt = dialect_insert(conn, flow_runs).on_conflict_do_nothing(index_elements=list(_SLOT))
    conn.execute(stmt, [row for row, _, _ in runs])
    # The new ids that are there now are those inserted (a RETURNING over hundreds of rows makes
    # psycopg parse a statement of thousands of parameters: slower than this second query).
    new_ids = select(flow_runs.c.id).where(flow_runs.c.id.in_([row["id"] for row, _, _ in runs]))
    inserted = set(conn.execute(new_ids).scalars())
    if not inserted:
        return 0, []
    new = [run for run in runs if run[0]["id"] in inserted]
    conn.execute(insert(run_states), [history_row(row["id"], state) for row, state, _ in new])
    return len(new), [event for _, _, event in new]


def active_schedules(conn: Connection) -> list[dict[str, Any]]:
    """Every active schedule of an unpaused deployment, by deployment name then position: the
    scheduler's whole read. Each is ``{deployment_id, updated, schedule, last}``: the deployment's
    last edit, the schedule as stored, and the latest slot it has a run for (None: none yet).

    One query, one index seek per schedule for its latest slot (the slot's unique index ends with
    the slot time), never a scan of the runs.
    """
    s, d = deployment_schedules.c, deployments.c
    latest = (
        select(func.max(flow_runs.c.slot_time))
        .where(flow_runs.c.deployment_id == s.deployment_id, flow_runs.c.schedule_id == s.id)
        .scalar_subquery()
    )
    stmt = (
        select(d.id, d.updated, s.id, s.cron, s.interval_seconds, s.anchor, s.timezone, latest)
        .join_from(deployment_schedules, deployments, s.deployment_id == d.id)
        .where(s.active.is_(True), d.paused.is_(False))
        .order_by(d.name, s.position)
    )
    return [
        {
            "deployment_id": dep_id,
            "updated": iso(updated),
            "schedule": {"id": sid, "cron": cron, "interval": every, "anchor": iso(anchor), "timezone": zone},
            "last": None if last is None else as_datetime(last),
        }
        for dep_id, updated, sid, cron, every, anchor, zone, last in conn.execute(stmt)
    ]


def create_deployment_run(
    engine: Engine,
    deployment: dict[str, Any],
    *,
    parameters: dict[str, Any] | None = None,
    scheduled_time: _dt.datetime | None = None,
    schedule_id: str | None = None,
    name: str | None = None,
    job_variables: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A SCHEDULED flow run of ``deployment`` at ``scheduled_time`` (default now).

    Parameters are the deployment's defaults, then the schedule's overrides, then
    ``parameters`` (validation is the caller's job). With a ``schedule_id`` the run is
    idempotent on (deployment, schedule, time): asking again returns the run made first.
    ``job_variables`` are the run's own (checked by the caller), over its deployment's.
    """

    def work(conn: Connection) -> dict[str, Any]:
        events: list[dict[str, Any]] = []
        run, _ = create_run_in(
            conn,
            deployment,
            events=events,
            parameters=parameters,
            scheduled_time=scheduled_time,
            schedule_id=schedule_id,
            name=name,
            job_variables=job_variables,
        )
        insert_events(conn, events)
        return run

    return write_transaction(engine, work)


def heartbeat_runs(
    engine: Engine, run_ids: list[str], *, worker_name: str, now: _dt.datetime | None = None
) -> list[str]:
    """Refresh ``heartbeat_at`` of the runs ``worker_name`` is executing; return those to stop.

    To stop: runs now CANCELLING (someone asked to cancel), runs that were cancelled or
    taken from this worker while it held them (CANCELLED, or claimed by another worker after
    the reaper gave up on this one), and runs suspended from outside (PAUSED "Suspended"; a
    resume reruns them). The worker kills those.
    """
    if not run_ids:
        return []
    when = as_datetime(now)

    def work(conn: Connection) -> list[str]:
        conn.execute(
            update(flow_runs)
            .where(
                flow_runs.c.id.in_(run_ids),
                flow_runs.c.worker_name == worker_name,
                flow_runs.c.state_type.in_(_ACTIVE),
            )
            .values(heartbeat_at=when)
        )
        rows = conn.execute(
            select(flow_runs.c.id, flow_runs.c.state_type, flow_runs.c.worker_name, flow_runs.c.state_name).where(
                flow_runs.c.id.in_(run_ids)
            )
        ).all()
        return [
            run_id
            for run_id, state_type, owner, name in rows
            if state_type in (_ST.CANCELLING.value, _ST.CANCELLED.value)
            or (owner != worker_name and state_type in _ACTIVE)
            or (state_type == _ST.PAUSED.value and name == "Suspended")  # suspended by someone else
        ]

    return write_transaction(engine, work)


def _locked_run(conn: Connection, run_id: str) -> Mapping[str, Any]:
    row = conn.execute(select(flow_runs).where(flow_runs.c.id == run_id).with_for_update()).mappings().first()
    if row is None:
        raise NotFound(f"No flow run with id {run_id!r}")
    return cast("Mapping[str, Any]", row)  # a RowMapping, keyed by column name here


def cancel_run(engine: Engine, run_id: str) -> dict[str, Any]:
    """Cancel a run: not started -> CANCELLED; RUNNING or PAUSED -> CANCELLING (its worker, or
    the paused flow's wait, stops it).

    Cancelling a CANCELLING run changes nothing; a finished run is a :class:`Conflict`.
    """

    def work(conn: Connection) -> dict[str, Any]:
        row = _locked_run(conn, run_id)
        current = row["state_type"]
        if current == _ST.CANCELLING.value:
            return run_dict(row)
        if current in {t.value for t in FINAL_TYPES}:
            raise Conflict(f"Flow run {run_id} already finished ({row['state_name']}); it cannot be cancelled")
        events: list[dict[str, Any]] = []
        waiting = current == _ST.PAUSED.value and row["state_name"] != "Suspended"  # its process waits
        if current == _ST.RUNNING.value or waiting:
            state = Cancelling("Cancellation requested")
            stored = transition_flow_run(conn, run_id, state, events=events, row=row)
        else:
            state = Cancelled("Cancelled before it started")
            fields = {"end_time": state.timestamp}
            stored = transition_flow_run(conn, run_id, state, events=events, row=row, fields=fields)
        insert_events(conn, events)
        return run_dict(stored)

    return write_transaction(engine, work)


def resumable_cell(run: Mapping[str, Any]) -> int | None:
    """The cell a retry ``from_failed_cell`` of ``run`` (a stored run dict) resumes at: a FAILED
    run whose kernel state saved at the failure is still on disk; None otherwise."""
    state = run.get("state_type") or (run.get("state") or {}).get("type")
    resume = run.get("resume_from") or {}
    if state != _ST.FAILED.value or not resume.get("snapshot") or not Path(resume["snapshot"]).is_file():
        return None
    return resume.get("cell")


def retry_run(
    engine: Engine, run_id: str, *, from_failed_cell: bool = False, now: _dt.datetime | None = None
) -> dict[str, Any]:
    """Schedule a FAILED, CRASHED or CANCELLED run again, now (state "Rerun", same id).

    ``from_failed_cell``: the next attempt of a failed notebook run resumes at its failing cell
    with the kernel state saved when it failed (``resume_from``, recorded by
    :func:`finish_attempt`), instead of running the notebook from the top. Anything else (still
    running, COMPLETED, or no saved state to resume from) is a :class:`Conflict`.
    """
    when = as_datetime(now)
    return write_transaction(engine, lambda conn: retry_run_in(conn, run_id, when, from_failed_cell=from_failed_cell))


def retry_run_in(
    conn: Connection, run_id: str, when: _dt.datetime, *, from_failed_cell: bool = False
) -> dict[str, Any]:
    """:func:`retry_run` inside the caller's transaction (a sweep retries its members in one)."""
    retryable = {_ST.FAILED.value, _ST.CRASHED.value, _ST.CANCELLED.value}
    row = _locked_run(conn, run_id)
    if row["state_type"] not in retryable:
        raise Conflict(
            f"Flow run {run_id} is {row['state_type'] or 'new'} ({row['state_name']}); "
            "only FAILED, CRASHED or CANCELLED runs can be retried"
        )
    events: list[dict[str, Any]] = []
    fields: dict[str, Any] = {"end_time": None, "heartbeat_at": None}
    state = Scheduled("Retry requested", scheduled_time=when, name="Rerun")
    if from_failed_cell:
        resume = row["resume_from"]
        if row["state_type"] != _ST.FAILED.value or not resume:
            raise Conflict(
                f"Flow run {run_id} cannot resume from a failed cell: only a FAILED notebook run "
                "whose kernel state was saved when its cell failed can (retry it from the top instead)"
            )
        if not Path(resume.get("snapshot") or "").is_file():
            raise Conflict(
                f"Flow run {run_id} cannot resume from cell {resume.get('cell')}: the kernel "
                "state saved when it failed is gone (retry it from the top instead)"
            )
        fields["resume_from"] = {**resume, "requested": True}
        state = Scheduled(f"Retry from cell {resume.get('cell')} requested", scheduled_time=when, name="Rerun")
    stored = transition_flow_run(conn, run_id, state, events=events, row=row, fields=fields)
    insert_events(conn, events)
    return run_dict(stored)


def delete_run(engine: Engine, run_id: str) -> None:
    """Delete a flow run with its task runs, states, logs and recorded outputs."""

    def work(conn: Connection) -> None:
        row = conn.execute(select(flow_runs.c.deployment_id).where(flow_runs.c.id == run_id)).first()
        if row is None:
            raise NotFound(f"No flow run with id {run_id!r}")
        conn.execute(delete(flow_runs).where(flow_runs.c.id == run_id))
        insert_events(conn, [event_row("flow_run.deleted", run_id, {"deployment_id": row[0]})])

    write_transaction(engine, work)


def finish_attempt(
    engine: Engine,
    run_id: str,
    state: State,
    *,
    fields: Mapping[str, Any] | None = None,
    now: _dt.datetime | None = None,
) -> dict[str, Any]:
    """Record how a worker's attempt ended, and schedule the next attempt when one is due.

    FAILED or CRASHED with attempts left (``run_count <= max_retries``) continues, in the same
    transaction, to AwaitingRetry at now + ``retry_delay_seconds``. An attempt that ended
    before the run reached RUNNING still counts as one, so a run that cannot start does not
    retry forever. A run cancelled meanwhile stays CANCELLED (the cancel won the race).
    """

    def work(conn: Connection) -> dict[str, Any]:
        events: list[dict[str, Any]] = []
        stored = finish_attempt_in(conn, run_id, state, events=events, fields=fields, now=as_datetime(now))
        insert_events(conn, events)
        return run_dict(stored)

    return write_transaction(engine, work)


def finish_attempt_in(
    conn: Connection,
    run_id: str,
    state: State,
    *,
    now: _dt.datetime,
    events: list[dict[str, Any]],
    fields: Mapping[str, Any] | None = None,
    row: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """:func:`finish_attempt` inside the caller's transaction (the reaper uses it); returns the row."""
    if row is None:
        row = _locked_run(conn, run_id)
    if row["state_type"] == _ST.CANCELLED.value:
        return dict(row)
    values = dict(fields or {})
    if state.type is _ST.FAILED and state.details and state.details.get("resume"):
        values.setdefault("resume_from", state.details["resume"])  # a later retry may resume here
    run_count = int(row["run_count"] or 0)
    if row["state_type"] == _ST.PENDING.value and "run_count" not in values:
        run_count += 1
        values["run_count"] = run_count
    if state.is_final() and "end_time" not in values:
        values["end_time"] = state.timestamp
    was_cancelling = row["state_type"] == _ST.CANCELLING.value
    stored = transition_flow_run(conn, run_id, state, events=events, fields=values, row=row)
    retries = int(row["max_retries"] or 0)
    run_count = int(stored["run_count"] or 0)
    if state.type in (_ST.FAILED, _ST.CRASHED) and not was_cancelling and run_count <= retries:
        delay = float(row["retry_delay_seconds"] or 0)
        when = now + _dt.timedelta(seconds=delay)
        retry = AwaitingRetry(
            f"Attempt {run_count} of {retries + 1} ended {state.type.value}"
            + (f": {state.message}" if state.message else ""),
            scheduled_time=when,
        )
        stored = transition_flow_run(conn, run_id, retry, events=events, row=stored)
    return stored
