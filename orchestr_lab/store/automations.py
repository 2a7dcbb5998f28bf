"""Automations: when a deployment's run ends in a given state, call a webhook or run another
deployment with the upstream run's recorded outputs as parameters (notebook chains).

Firing is idempotent: each (automation, run, attempt, state) gets one ``automation_firings``
row, inserted in the same transaction as the run it triggers, so however many servers look
at the same database, a run's end triggers the downstream run exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, func, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from ..core.errors import Conflict, NotFound
from .database import read_connection, write_transaction
from .deployment_runs import create_run_in
from .deployments import deployment_in
from .events import event_row, insert_events
from .models import automation_firings, automations, deployments, events, flow_runs
from .rows import iso
from .sql_helpers import insert_ignore, utc_now

__all__ = [
    "create_automation",
    "delete_automation",
    "fire",
    "get_automation",
    "list_automations",
    "pending_firings",
    "set_outcome",
    "update_automation",
]

_SETTABLE = ("states", "webhook_url", "email_to", "target_deployment_id", "parameters", "enabled")
_FIRINGS_SHOWN = 10
_COLUMNS = tuple(c.name for c in automations.c)


def _states(value: Any) -> list[str]:
    return [getattr(s, "value", s) for s in value or ()]


def automation_dict(row: RowMapping | Mapping[str, Any], firings: list[dict[str, Any]]) -> dict[str, Any]:
    """Every column of the automation, JSON-ready, and its latest ``firings``."""
    out = {name: row.get(name) for name in _COLUMNS}
    out.update(
        states=_states(row["states"]),
        parameters=dict(row["parameters"] or {}),
        enabled=bool(row["enabled"]),
        created=iso(row["created"]),
        updated=iso(row["updated"]),
        firings=firings,
    )
    return out


def _firings(conn: Connection, automation_id: str) -> list[dict[str, Any]]:
    from .event_triggers import event_firings

    return _run_firings(conn, automation_id) + event_firings(conn, automation_id, _FIRINGS_SHOWN)


def _run_firings(conn: Connection, automation_id: str) -> list[dict[str, Any]]:
    stmt = (
        select(automation_firings)
        .where(automation_firings.c.automation_id == automation_id)
        .order_by(automation_firings.c.fired.desc())
        .limit(_FIRINGS_SHOWN)
    )
    return [
        {
            "flow_run_id": r["flow_run_id"],
            "run_count": r["run_count"],
            "state": r["state_type"],
            "fired": iso(r["fired"]),
            "outcome": r["outcome"],
            "triggered_run_id": r["triggered_run_id"],
        }
        for r in conn.execute(stmt).mappings()
    ]


def _one(conn: Connection, automation_id: str) -> dict[str, Any]:
    row = (
        conn.execute(
            select(automations).where((automations.c.id == automation_id) | (automations.c.name == automation_id))
        )
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"No automation {automation_id!r}")
    return automation_dict(row, _firings(conn, row["id"]))


def _deployment_id(conn: Connection, ref: str | None, field: str) -> str | None:
    """A deployment's id from its id or name; :class:`NotFound` naming the field otherwise."""
    if ref is None:
        return None
    found: str | None = conn.execute(
        select(deployments.c.id).where((deployments.c.id == ref) | (deployments.c.name == ref))
    ).scalar()
    if found is None:
        raise NotFound(f"{field}: no deployment {ref!r}")
    return found


def create_automation(engine: Engine, spec: Mapping[str, Any]) -> dict[str, Any]:
    """Store an automation (``AutomationCreate.model_dump()``); deployments may be named by id or name."""
    now = utc_now()
    row = {k: spec.get(k) for k in ("name", "action", "webhook_url", "email_to", "enabled", "event", "event_resource")}
    row.update(
        id=str(uuid.uuid4()),
        states=_states(spec.get("states")),
        parameters=dict(spec.get("parameters") or {}),
        created=now,
        updated=now,
    )

    def work(conn: Connection) -> dict[str, Any]:
        row["deployment_id"] = _deployment_id(conn, spec.get("deployment_id"), "deployment_id")
        if row["event"] is not None:  # an event trigger reacts to events from now on
            row["event_cursor"] = conn.execute(select(func.max(events.c.id))).scalar() or 0
        row["target_deployment_id"] = _deployment_id(conn, spec.get("target_deployment_id"), "target_deployment_id")
        if not insert_ignore(conn, automations, row, ["name"]):
            raise Conflict(f"An automation named {row['name']!r} already exists")
        out = automation_dict(row, [])
        insert_events(conn, [event_row("automation.created", row["id"], out)])
        return out

    return write_transaction(engine, work)


def get_automation(engine: Engine, automation_id: str) -> dict[str, Any]:
    with read_connection(engine) as conn:
        return _one(conn, automation_id)


def list_automations(engine: Engine) -> list[dict[str, Any]]:
    with read_connection(engine) as conn:
        rows = conn.execute(select(automations).order_by(automations.c.name)).mappings().all()
        return [automation_dict(r, _firings(conn, r["id"])) for r in rows]


def update_automation(engine: Engine, automation_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
    """Change the fields in ``changes`` (``AutomationUpdate.model_dump(exclude_unset=True)``)."""
    unknown = sorted(set(changes) - set(_SETTABLE))
    if unknown:
        raise ValueError(f"automations have no settable field(s) {', '.join(unknown)}")

    def work(conn: Connection) -> dict[str, Any]:
        current = _one(conn, automation_id)
        values = {k: v for k, v in changes.items() if v is not None or k in ("webhook_url", "email_to")}
        if "states" in values:
            values["states"] = _states(values["states"])
        if "target_deployment_id" in values:
            values["target_deployment_id"] = _deployment_id(
                conn, values["target_deployment_id"], "target_deployment_id"
            )
        merged = {**current, **values}
        if merged["action"] == "webhook" and not merged["webhook_url"]:
            # a valid request that clashes with what the automation is: 409, as for a taken name
            raise Conflict("a webhook automation needs webhook_url: it cannot be removed")
        if merged["action"] == "notify" and not (merged["webhook_url"] or merged.get("email_to")):
            raise Conflict("a notify automation needs email_to or webhook_url: it cannot lose both")
        conn.execute(update(automations).where(automations.c.id == current["id"]).values(**values, updated=utc_now()))
        out = _one(conn, current["id"])
        insert_events(conn, [event_row("automation.updated", out["id"], out)])
        return out

    return write_transaction(engine, work)


def delete_automation(engine: Engine, automation_id: str) -> None:
    def work(conn: Connection) -> None:
        current = _one(conn, automation_id)
        conn.execute(delete(automations).where(automations.c.id == current["id"]))
        insert_events(conn, [event_row("automation.deleted", current["id"], {"name": current["name"]})])

    write_transaction(engine, work)


def pending_firings(engine: Engine, *, limit: int = 100) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """``(automation, run)`` pairs to fire: enabled automations and their deployment's runs
    that ended (after the automation was made) in one of its states, not fired yet."""
    fired = automation_firings
    stmt = (
        select(
            automations,
            flow_runs.c.id.label("run_id"),
            flow_runs.c.run_count,
            flow_runs.c.state_type,
            flow_runs.c.name.label("run_name"),
            flow_runs.c.parameters.label("run_parameters"),
            flow_runs.c.end_time,
            flow_runs.c.state_message,
        )
        .join(flow_runs, flow_runs.c.deployment_id == automations.c.deployment_id)
        .outerjoin(
            fired,
            and_(
                fired.c.automation_id == automations.c.id,
                fired.c.flow_run_id == flow_runs.c.id,
                fired.c.run_count == flow_runs.c.run_count,
                fired.c.state_type == flow_runs.c.state_type,
            ),
        )
        .where(
            automations.c.enabled.is_(True), fired.c.flow_run_id.is_(None), flow_runs.c.updated >= automations.c.created
        )
        .order_by(flow_runs.c.updated)
        .limit(limit * 4)
    )
    out = []
    with read_connection(engine) as conn:
        for r in conn.execute(stmt).mappings():
            if r["state_type"] not in _states(r["states"]):
                continue  # SQL cannot look inside the JSON list portably; the list is short
            automation = automation_dict(r, [])
            run = {
                "id": r["run_id"],
                "name": r["run_name"],
                "run_count": r["run_count"],
                "state": r["state_type"],
                "state_message": r["state_message"],
                "parameters": r["run_parameters"] or {},
                "end_time": iso(r["end_time"]),
            }
            out.append((automation, run))
            if len(out) >= limit:
                break
    return out


def _firing_key(automation_id: str, run: Mapping[str, Any]) -> dict[str, Any]:
    """The firing's unique key, column by column: one firing per (automation, run, attempt, state).

    Defined once so the claiming insert and the later outcome updates address the same row."""
    return {
        "automation_id": automation_id,
        "flow_run_id": run["id"],
        "run_count": run["run_count"],
        "state_type": run["state"],
    }


def _firing_where(automation_id: str, run: Mapping[str, Any]) -> list[ColumnElement[bool]]:
    """WHERE conditions selecting the one ``automation_firings`` row of :func:`_firing_key`."""
    return [automation_firings.c[name] == value for name, value in _firing_key(automation_id, run).items()]


def fire(
    engine: Engine,
    automation: Mapping[str, Any],
    run: Mapping[str, Any],
    *,
    parameters: Mapping[str, Any] | None = None,
    outcome: str | None = None,
) -> dict[str, Any] | None:
    """Claim this firing and, for ``run_deployment`` with ``parameters`` given, create the
    downstream run in the same transaction. Returns the firing, or None when another process
    fired it first (or the target deployment is gone)."""

    def work(conn: Connection) -> dict[str, Any] | None:
        key = _firing_key(automation["id"], run)
        row = {
            **key,
            "fired": utc_now(),
            "outcome": outcome,
            "triggered_run_id": None,
        }
        if not insert_ignore(conn, automation_firings, row, list(key)):
            return None
        events: list[dict[str, Any]] = []
        if automation["action"] == "run_deployment" and parameters is not None:
            target = deployment_in(conn, automation["target_deployment_id"])
            if target is None:
                row["outcome"] = "the target deployment is gone"
            else:
                created, _ = create_run_in(
                    conn,
                    target,
                    events=events,
                    parameters=dict(parameters),
                    name=f"{target['name']}-after-{run['name']}",
                )
                row["triggered_run_id"] = created["id"]
                row["outcome"] = row["outcome"] or f"started run {created['name']}"
            conn.execute(
                update(automation_firings)
                .where(*_firing_where(automation["id"], run))
                .values(outcome=row["outcome"], triggered_run_id=row["triggered_run_id"])
            )
        events.append(
            event_row(
                "automation.fired",
                automation["id"],
                {
                    "automation": automation["name"],
                    "flow_run_id": run["id"],
                    "state": run["state"],
                    "outcome": row["outcome"],
                    "triggered_run_id": row["triggered_run_id"],
                },
            )
        )
        insert_events(conn, events)
        return {**row, "fired": iso(row["fired"])}

    return write_transaction(engine, work)


def set_outcome(engine: Engine, automation_id: str, run: Mapping[str, Any], outcome: str) -> None:
    """What happened when the firing was carried out outside the store (a webhook's answer)."""

    def work(conn: Connection) -> None:
        conn.execute(
            update(automation_firings).where(*_firing_where(automation_id, run)).values(outcome=outcome[:2000])
        )

    write_transaction(engine, work)
