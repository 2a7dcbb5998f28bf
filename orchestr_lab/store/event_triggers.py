"""Automations that react to events: each matching event fires the automation once.

An event trigger names an event (``event``; a trailing ``*`` matches every name with that
prefix, as Prefect's ``expect`` does) and optionally a resource id (``event_resource``, the same
way). ``event_cursor`` is the last event the automation has looked at: a tick reads only newer
matching events, so the event table is never scanned from the start. Each (automation, event)
gets one ``automation_event_firings`` row, inserted in the same transaction as the run it
starts, so several servers on one database fire an event once. The automations' own events
(``automation.*``) never trigger one: an automation reacting to ``*`` would feed itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.engine import Connection, Engine, RowMapping

from .database import read_connection, write_transaction
from .deployment_runs import create_run_in
from .deployments import deployment_in
from .events import event_row, insert_events, latest_event_id
from .models import automation_event_firings, automations, events
from .rows import iso
from .sql_helpers import insert_ignore, utc_now

__all__ = ["advance_cursor", "event_firings", "fire_event", "pending_event_firings", "set_event_outcome"]

_OWN = "automation."


def _matches(column: Any, pattern: str) -> ColumnElement[bool]:
    if pattern.endswith("*"):
        return column.startswith(pattern[:-1], autoescape=True)  # type: ignore[no-any-return]
    return column == pattern  # type: ignore[no-any-return]


def pending_event_firings(
    engine: Engine, *, limit: int = 100
) -> list[tuple[dict[str, Any], list[dict[str, Any]], int]]:
    """For each enabled event trigger: ``(automation, events to fire, cursor)``, the events
    after its cursor that match it and have not fired it, and the cursor to
    :func:`advance_cursor` to once they are fired."""
    top = latest_event_id(engine)
    if top is None:
        return []
    out = []
    with read_connection(engine) as conn:
        triggers = conn.execute(
            select(automations).where(automations.c.enabled.is_(True), automations.c.event.is_not(None))
        ).mappings()
        for trigger in list(triggers):
            found = _matching(conn, trigger, trigger["event_cursor"] or 0, top, limit)
            cursor = top if len(found) < limit else found[-1]["id"]
            out.append((dict(trigger), found, cursor))
    return out


def _matching(
    conn: Connection, trigger: RowMapping | Mapping[str, Any], cursor: int, top: int, limit: int
) -> list[dict[str, Any]]:
    fired = automation_event_firings
    where = [
        events.c.id > cursor,
        events.c.id <= top,
        _matches(events.c.kind, trigger["event"]),
        ~events.c.kind.startswith(_OWN),
        fired.c.event_id.is_(None),
    ]
    if trigger["event_resource"]:
        where.append(_matches(events.c.resource_id, trigger["event_resource"]))
    stmt = (
        select(events)
        .outerjoin(fired, and_(fired.c.automation_id == trigger["id"], fired.c.event_id == events.c.id))
        .where(*where)
        .order_by(events.c.id)
        .limit(limit)
    )
    return [
        {
            "id": r["id"],
            "event": r["kind"],
            "resource_id": r["resource_id"],
            "occurred": iso(r["occurred"]),
            "payload": r["payload"] or {},
        }
        for r in conn.execute(stmt).mappings()
    ]


def advance_cursor(engine: Engine, automation_id: str, to: int) -> None:
    """Move the automation's cursor forward to ``to`` (never back: another server may be ahead)."""
    column = automations.c.event_cursor
    write_transaction(
        engine,
        lambda conn: conn.execute(
            update(automations)
            .where(automations.c.id == automation_id, or_(column.is_(None), column < to))
            .values(event_cursor=to)
        ),
    )


def fire_event(
    engine: Engine,
    automation: Mapping[str, Any],
    event: Mapping[str, Any],
    *,
    parameters: Mapping[str, Any] | None = None,
    outcome: str | None = None,
) -> dict[str, Any] | None:
    """Claim this firing and, for ``run_deployment`` with ``parameters`` given, create the run
    in the same transaction. Returns the firing, or None when another process fired it first."""

    def work(conn: Connection) -> dict[str, Any] | None:
        row = {
            "automation_id": automation["id"],
            "event_id": event["id"],
            "fired": utc_now(),
            "outcome": outcome,
            "triggered_run_id": None,
        }
        if not insert_ignore(conn, automation_event_firings, row, ["automation_id", "event_id"]):
            return None
        written: list[dict[str, Any]] = []
        if automation["action"] == "run_deployment" and parameters is not None:
            target = deployment_in(conn, automation["target_deployment_id"])
            if target is None:
                row["outcome"] = "the target deployment is gone"
            else:
                created, _ = create_run_in(
                    conn, target, events=written, parameters=dict(parameters), name=f"{target['name']}-on-event"
                )
                row["triggered_run_id"] = created["id"]
                row["outcome"] = row["outcome"] or f"started run {created['name']}"
        _set(conn, automation["id"], event["id"], outcome=row["outcome"], triggered_run_id=row["triggered_run_id"])
        body = {"automation": automation["name"], "event": event["event"], "event_id": event["id"]}
        written.append(event_row("automation.fired", automation["id"], {**body, "outcome": row["outcome"]}))
        insert_events(conn, written)
        return {**row, "fired": iso(row["fired"])}

    return write_transaction(engine, work)


def _set(conn: Connection, automation_id: str, event_id: int, **values: Any) -> None:
    fired = automation_event_firings
    conn.execute(
        update(fired).where(fired.c.automation_id == automation_id, fired.c.event_id == event_id).values(**values)
    )


def set_event_outcome(engine: Engine, automation_id: str, event_id: int, outcome: str) -> None:
    """What happened when the firing was carried out outside the store (a webhook's answer)."""
    write_transaction(engine, lambda conn: _set(conn, automation_id, event_id, outcome=outcome[:2000]))


def event_firings(conn: Connection, automation_id: str, limit: int) -> list[dict[str, Any]]:
    """The automation's latest firings by events, shaped as its run firings are."""
    fired = automation_event_firings
    stmt = (
        select(fired, events.c.kind)
        .outerjoin(events, events.c.id == fired.c.event_id)
        .where(fired.c.automation_id == automation_id)
        .order_by(fired.c.fired.desc())
        .limit(limit)
    )
    shown = ("event_id", "outcome", "triggered_run_id")
    rows = conn.execute(stmt).mappings()
    return [{**{c: r[c] for c in shown}, "event": r["kind"], "fired": iso(r["fired"])} for r in rows]
