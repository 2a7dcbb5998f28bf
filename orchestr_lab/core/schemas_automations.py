"""API contract, continued: flows, concurrency limits by tag and automations.

Kept apart from ``schemas`` (which re-exports these) so each module stays one screenful of
one idea; the base classes are shared.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .limits import Cursor, Flag, JsonObject, Key, Name, SearchText, TagLimit, Url, no_nul
from .page_cursor import TOTAL_CAP
from .schemas_base import In, Out, Query
from .states import StateType

__all__ = [
    "AutomationCreate",
    "AutomationRead",
    "AutomationUpdate",
    "ConcurrencyLimitCreate",
    "ConcurrencyLimitRead",
    "ConcurrencyLimitUpdate",
    "FlowQuery",
    "FlowRead",
]

#: An event name or resource id an automation reacts to; a trailing ``*`` matches a prefix.
EventPattern = Annotated[str, StringConstraints(min_length=1, max_length=1024), AfterValidator(no_nul)]

#: An email address a ``notify`` automation mails (a plain ``name@host``: no display name, no spaces).
EMAIL = r"^[^@\s<>,;]+@[^@\s<>,;]+$"
EmailAddress = Annotated[str, StringConstraints(min_length=3, max_length=254, pattern=EMAIL)]
#: A ``notify`` automation's recipients: at most 20 of them.
EmailList = Annotated[list[EmailAddress], Field(min_length=1, max_length=20)]

#: The states an automation may react to: a run's end.
FINAL_STATES = (StateType.COMPLETED, StateType.FAILED, StateType.CRASHED, StateType.CANCELLED)


# -- flows --------------------------------------------------------------------------------


class FlowRead(Out):
    id: str
    name: str
    created: str | None = None
    run_count: int = Field(
        default=0,
        description=f"flow runs recorded for this flow, counted up to {TOTAL_CAP:,} (so that a flow list "
        "never counts every run): past that, run_count_exact is false",
    )
    run_count_exact: bool = Field(default=True, description="false when the flow has more than run_count runs")
    last_run: dict[str, Any] | None = Field(default=None, description="id, name, state and start of the newest run")


class FlowQuery(Query):
    name: SearchText | None = Field(default=None, description="only flows whose name contains this text")
    limit: int = Field(default=100, ge=1, le=1000)
    offset: Cursor = 0


# -- concurrency limits by tag ------------------------------------------------------------


class ConcurrencyLimitCreate(In):
    tag: Key
    concurrency_limit: TagLimit = Field(description="active runs carrying the tag at once (0 holds them all)")


class ConcurrencyLimitUpdate(In):
    concurrency_limit: TagLimit


class ConcurrencyLimitRead(Out):
    tag: str
    concurrency_limit: int
    active_slots: int = Field(default=0, description="runs carrying the tag that are active now")
    created: str | None = None
    updated: str | None = None


# -- automations --------------------------------------------------------------------------


def _final_states(value: list[StateType]) -> list[StateType]:
    bad = [s.value for s in value if s not in FINAL_STATES]
    if bad:
        allowed = ", ".join(s.value for s in FINAL_STATES)
        raise ValueError(f"automations react to a run's end ({allowed}), not {', '.join(bad)}")
    if not value:
        raise ValueError("give at least one state")
    return list(dict.fromkeys(value))


#: The states an automation reacts to (repeats are dropped, but not a thousand of them); the
#: document lists the end states only, as ``_final_states`` enforces. (bounded_list's type written
#: out, so a type checker reads a type.)
States = Annotated[
    list[StateType],
    Field(min_length=0, max_length=len(StateType)),
    Field(json_schema_extra={"items": {"enum": [s.value for s in FINAL_STATES]}, "minItems": 1}),
]


def _one_of(*branches: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of a cross-field rule a model validator enforces (for the OpenAPI document)."""
    return {"oneOf": list(branches)}


class AutomationCreate(In):
    """When a run of ``deployment_id`` ends in one of ``states``: POST the run to ``webhook_url``,
    or run ``target_deployment_id`` with the upstream run's recorded outputs as parameters."""

    model_config = ConfigDict(
        **In.model_config,
        json_schema_extra={
            "allOf": [
                _one_of(
                    {
                        "required": ["webhook_url"],
                        "properties": {"action": {"const": "webhook"}, "webhook_url": {"type": "string"}},
                    },
                    {
                        "required": ["target_deployment_id"],
                        "properties": {
                            "action": {"const": "run_deployment"},
                            "target_deployment_id": {"type": "string"},
                        },
                    },
                    {  # notify: email_to, webhook_url or both
                        "required": ["action"],
                        "properties": {"action": {"const": "notify"}},
                        "anyOf": [
                            {"required": ["email_to"], "properties": {"email_to": {"type": "array"}}},
                            {"required": ["webhook_url"], "properties": {"webhook_url": {"type": "string"}}},
                        ],
                    },
                ),
                _one_of(  # what it reacts to: a deployment's runs, or events
                    {
                        "required": ["deployment_id"],
                        "properties": {
                            "deployment_id": {"type": "string"},
                            "event": {"type": "null"},
                            "event_resource": {"type": "null"},
                        },
                    },
                    {
                        "required": ["event"],
                        "properties": {"event": {"type": "string"}, "deployment_id": {"type": "null"}},
                    },
                ),
            ]
        },
    )

    name: Name
    deployment_id: Key | None = Field(
        default=None, description="the upstream deployment (id or name); or give event instead"
    )
    states: States = Field(default_factory=lambda: [StateType.COMPLETED])
    event: EventPattern | None = Field(
        default=None,
        description="react to each event of this name instead of a deployment's runs (a trailing * matches a prefix)",
    )
    event_resource: EventPattern | None = Field(
        default=None, description="and only to events whose resource id matches this (a trailing * matches a prefix)"
    )
    action: Literal["webhook", "run_deployment", "notify"] = Field(
        description="webhook: POST the run or event as JSON; run_deployment: start target_deployment_id; "
        "notify: a message naming the run, its state, failing cell, duration and report, mailed to "
        "email_to and/or posted as {'text': ...} to webhook_url (Slack, Teams)"
    )
    webhook_url: Url | None = None
    email_to: EmailList | None = Field(default=None, description="notify: the addresses to mail (SMTP settings)")
    target_deployment_id: Key | None = Field(default=None, description="the deployment to run (id or name)")
    parameters: JsonObject = Field(
        default_factory=dict, description="fixed parameters for the triggered run (recorded outputs win)"
    )
    enabled: Flag = True

    @field_validator("states")
    @classmethod
    def _states(cls, value: list[StateType]) -> list[StateType]:
        return _final_states(value)

    @model_validator(mode="after")
    def _action_target(self) -> AutomationCreate:
        if (self.deployment_id is None) == (self.event is None):
            raise ValueError("give either deployment_id (react to its runs) or event (react to an event)")
        if self.event_resource is not None and self.event is None:
            raise ValueError("event_resource narrows an event trigger: give event too")
        if self.action == "webhook" and not self.webhook_url:
            raise ValueError("a webhook automation needs webhook_url")
        if self.action == "run_deployment" and not self.target_deployment_id:
            raise ValueError("a run_deployment automation needs target_deployment_id")
        if self.action == "notify" and not (self.email_to or self.webhook_url):
            raise ValueError("a notify automation needs email_to, webhook_url or both")
        return self


class AutomationUpdate(In):
    states: States | None = None
    webhook_url: Url | None = None
    email_to: EmailList | None = None
    target_deployment_id: Key | None = None
    parameters: JsonObject | None = None
    enabled: Flag | None = None

    @field_validator("states")
    @classmethod
    def _states(cls, value: list[StateType] | None) -> list[StateType] | None:
        return None if value is None else _final_states(value)


class AutomationRead(Out):
    id: str
    name: str
    deployment_id: str | None = None
    event: str | None = Field(default=None, description="the event name it reacts to (instead of a deployment)")
    event_resource: str | None = None
    states: list[StateType]
    action: str
    webhook_url: str | None = None
    email_to: list[str] | None = None
    target_deployment_id: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    enabled: bool = True
    created: str | None = None
    updated: str | None = None
    firings: list[dict[str, Any]] = Field(
        default_factory=list, description="the latest firings: run, state, when, outcome, triggered run"
    )
