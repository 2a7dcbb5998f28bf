"""Carrying out automations: a run's end calls a webhook, notifies or starts the next deployment.

Each tick looks for ended runs of automated deployments that have not fired yet
(``store.automations.pending_firings``) and fires them. Firing is claimed in the store first, so
several servers on one database fire each run's end once: a downstream run is created in the
claiming transaction (exactly once); a webhook is called after the claim (at most once — a
crash between claim and call drops that call rather than repeating it), and its answer is
stored as the firing's outcome. A ``notify`` firing is claimed the same way, then its message is
sent (``services/notify.py``), so a restart never sends it twice.

A downstream run gets the automation's fixed ``parameters`` overlaid by the upstream run's
recorded outputs, keeping only names the target accepts: a notebook's parameters-cell names,
or for a flow entrypoint the names of the deployment's default parameters.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from ..actions.deployments import notebook_parameters
from ..store.automations import fire, pending_firings, set_outcome
from ..store.database import read_connection
from ..store.deployments import get_deployment
from ..store.event_triggers import advance_cursor, fire_event, pending_event_firings, set_event_outcome
from ..store.run_logs import recorded_values
from ..workers.paths import resolve_under_root
from .loop import ServiceLoop
from .notify import NotifySettings, event_run_id, notify

__all__ = ["automation_service", "automation_tick", "downstream_parameters"]

log = logging.getLogger("orchestr_lab.services.automations")

Post = Callable[..., Any]
#: The actions carried out after their firing is claimed, and the outcome stored meanwhile.
_SENDING = {"webhook": "calling the webhook", "notify": "sending the notification"}


def _recorded(engine: Engine, flow_run_id: str) -> dict[str, Any]:
    with read_connection(engine) as conn:
        return recorded_values(conn, flow_run_id)


def downstream_parameters(
    engine: Engine, automation: Mapping[str, Any], upstream_run_id: str | None, root_dir: Path
) -> dict[str, Any]:
    """The parameters of the run an automation starts (the upstream run's recorded outputs over
    the automation's own; its own alone for an event); ValueError (with the reason) if none fit."""
    target = get_deployment(engine, automation["target_deployment_id"])
    if target is None:
        raise ValueError("the target deployment is gone")
    recorded = _recorded(engine, upstream_run_id) if upstream_run_id is not None else {}
    offered = {**(automation.get("parameters") or {}), **recorded}
    if target.get("notebook"):
        return notebook_parameters(resolve_under_root(root_dir, target["notebook"]), offered, known_only=True)
    names = set(target.get("parameters") or {}) | set(automation.get("parameters") or {})
    return {k: v for k, v in offered.items() if k in names}


def _webhook_body(automation: Mapping[str, Any], run: Mapping[str, Any], recorded: dict[str, Any]) -> dict[str, Any]:
    return {
        "automation": {"id": automation["id"], "name": automation["name"]},
        "deployment_id": automation["deployment_id"],
        "flow_run": {**run, "recorded": recorded},
    }


def automation_tick(
    engine: Engine,
    *,
    root_dir: Path,
    runs_due: Callable[[], None] = lambda: None,
    post: Post | None = None,
    webhook_timeout: float = 10.0,
    notify_settings: NotifySettings | None = None,
) -> int:
    """Fire every pending automation once; returns how many fired here."""
    config = notify_settings or NotifySettings.from_env()
    fired = _event_tick(
        engine, root_dir=root_dir, runs_due=runs_due, post=post, webhook_timeout=webhook_timeout, config=config
    )
    for automation, run in pending_firings(engine):
        if automation["action"] in _SENDING:
            if fire(engine, automation, run, outcome=_SENDING[automation["action"]]) is None:
                continue  # another server fired it
            fired += 1
            if automation["action"] == "notify":
                outcome = notify(engine, automation, run_id=run["id"], config=config, root_dir=root_dir, post=post)
            else:
                outcome = _call(post, automation, run, _recorded(engine, run["id"]), webhook_timeout)
            set_outcome(engine, automation["id"], run, outcome)
            continue
        parameters, problem = _run_parameters(engine, automation, run["id"], root_dir)
        firing = fire(engine, automation, run, parameters=parameters, outcome=problem)
        if firing is not None:
            fired += 1
            if firing.get("triggered_run_id"):
                runs_due()
            else:
                log.warning(
                    "automation %r did not start a run after %s: %s",
                    automation["name"],
                    run["name"],
                    firing.get("outcome"),
                )
    return fired


def _run_parameters(
    engine: Engine, automation: Mapping[str, Any], upstream_run_id: str | None, root_dir: Path
) -> tuple[dict[str, Any] | None, str | None]:
    """The triggered run's parameters, or None and why no run can start."""
    try:
        return downstream_parameters(engine, automation, upstream_run_id, root_dir), None
    except (ValueError, OSError) as exc:  # a parameter that does not fit, a notebook gone
        return None, f"no run started: {exc}"


def _event_tick(
    engine: Engine,
    *,
    root_dir: Path,
    runs_due: Callable[[], None],
    post: Post | None,
    webhook_timeout: float,
    config: NotifySettings,
) -> int:
    """Fire the automations triggered by events (``store/event_triggers.py``); how many fired here."""
    fired = 0
    for automation, found, cursor in pending_event_firings(engine):
        for event in found:
            if automation["action"] in _SENDING:
                if fire_event(engine, automation, event, outcome=_SENDING[automation["action"]]) is None:
                    continue
                if automation["action"] == "notify":
                    run_id = event_run_id(event)
                    outcome = notify(
                        engine, automation, run_id=run_id, event=event, config=config, root_dir=root_dir, post=post
                    )
                else:
                    body = {"automation": {"id": automation["id"], "name": automation["name"]}, "event": event}
                    outcome = _post(post, automation, body, webhook_timeout)
                set_event_outcome(engine, automation["id"], event["id"], outcome)
                fired += 1
                continue
            parameters, problem = _run_parameters(engine, automation, None, root_dir)
            firing = fire_event(engine, automation, event, parameters=parameters, outcome=problem)
            if firing is not None:
                fired += 1
                if firing.get("triggered_run_id"):
                    runs_due()
        advance_cursor(engine, automation["id"], cursor)
    return fired


def _call(
    post: Post | None, automation: Mapping[str, Any], run: Mapping[str, Any], recorded: dict[str, Any], timeout: float
) -> str:
    return _post(post, automation, _webhook_body(automation, run, recorded), timeout)


def _post(post: Post | None, automation: Mapping[str, Any], body: dict[str, Any], timeout: float) -> str:
    if post is None:
        import httpx

        post = httpx.post
    try:
        answer = post(automation["webhook_url"], json=body, timeout=timeout)
    except Exception as exc:  # the webhook's host is down, refuses, times out...
        return f"webhook failed: {type(exc).__name__}: {exc}"
    return f"webhook answered HTTP {answer.status_code}"


def automation_service(
    engine: Engine,
    *,
    root_dir: Path,
    interval: float = 5.0,
    runs_due: Callable[[], None] = lambda: None,
    notify_settings: NotifySettings | None = None,
) -> ServiceLoop:
    """A :class:`ServiceLoop` running :func:`automation_tick` (safe in several servers at once)."""
    return ServiceLoop(
        "automations",
        lambda: automation_tick(engine, root_dir=root_dir, runs_due=runs_due, notify_settings=notify_settings),
        interval,
    )
