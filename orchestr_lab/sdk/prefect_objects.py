"""What ``get_client()`` reads return: Prefect's object shapes over the REST API's dicts.

Attribute names are Prefect's (``flow_run.state.is_completed()``, ``deployment.work_queue_name``,
``expected_start_time``); ids are :class:`uuid.UUID` as in Prefect, times aware datetimes, and a
state is the engine's :class:`~orchestr_lab.core.states.State`, so its predicates are the ones
flows return. Fields orchestr-lab has beyond Prefect's (``flow_name``, ``notebook``) are kept.
"""

from __future__ import annotations

import datetime as _dt
import enum
import uuid
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..core.states import State, StateType

__all__ = [
    "Deployment",
    "FlowRun",
    "Log",
    "OrchestrationResult",
    "SetStateStatus",
    "StateAcceptDetails",
    "StateRejectDetails",
    "TaskRun",
    "WorkPool",
    "WorkPoolCreate",
    "WorkPoolUpdate",
    "state_from_dict",
    "state_to_dict",
]


def _time(value: Any) -> _dt.datetime | None:
    return None if not value else _dt.datetime.fromisoformat(value)


def _uuid(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(str(value))


def state_from_dict(data: dict[str, Any] | None) -> State | None:
    """A state as the API sends it (``{type, name, message, timestamp}``) as a :class:`State`."""
    if data is None:
        return None
    when = _time(data.get("timestamp"))
    return State(
        data["type"], data.get("name"), data.get("message"), timestamp=None if when is None else when.timestamp()
    )


def state_to_dict(state: State) -> dict[str, Any]:
    """A :class:`State` (or any object with Prefect's ``type``/``name``/``message``) as a proposal."""
    kind = state.type.value if isinstance(state.type, enum.Enum) else str(state.type)
    out: dict[str, Any] = {"type": kind, "name": state.name, "message": state.message}
    when = getattr(state, "scheduled_time", None)  # ours: epoch seconds in details; Prefect's: a datetime
    if isinstance(when, _dt.datetime):
        when = when.timestamp()
    if isinstance(when, (int, float)):
        out["details"] = {"scheduled_time": float(when)}
    return {k: v for k, v in out.items() if v is not None}


class _Object(BaseModel):
    model_config = ConfigDict(arbitrary_types_allowed=True, extra="allow")

    @property
    def id_text(self) -> str:
        return str(getattr(self, "id", ""))


class _Run(_Object):
    id: uuid.UUID
    name: str
    state: State | None = None
    run_count: int = 0
    start_time: _dt.datetime | None = None
    end_time: _dt.datetime | None = None
    expected_start_time: _dt.datetime | None = None
    created: _dt.datetime | None = None
    tags: list[str] = Field(default_factory=list)

    @property
    def state_type(self) -> StateType | None:
        return None if self.state is None else self.state.type

    @property
    def state_name(self) -> str | None:
        return None if self.state is None else self.state.name

    @property
    def total_run_time(self) -> _dt.timedelta:
        if self.start_time is None:
            return _dt.timedelta(0)
        return (self.end_time or _dt.datetime.now(_dt.timezone.utc)) - self.start_time


def _run_fields(data: dict[str, Any]) -> dict[str, Any]:
    """What flow runs and task runs share, from the API's dict."""
    return {
        "id": data["id"],
        "name": data["name"],
        "state": state_from_dict(data.get("state")),
        "run_count": data.get("run_count") or 0,
        "start_time": _time(data.get("start_time")),
        "end_time": _time(data.get("end_time")),
        "created": _time(data.get("created")),
        "tags": data.get("tags") or [],
    }


class FlowRun(_Run):
    flow_id: uuid.UUID | None = None
    flow_name: str | None = None
    deployment_id: uuid.UUID | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    parent_task_run_id: uuid.UUID | None = None
    work_queue_name: str | None = None
    job_variables: dict[str, Any] = Field(default_factory=dict)
    next_scheduled_start_time: _dt.datetime | None = None
    notebook: str | None = None
    entrypoint: str | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> FlowRun:
        expected = _time(data.get("scheduled_start_time")) or _time(data.get("start_time")) or _time(data["created"])
        common = _run_fields(data)
        state = common["state"]
        return cls(
            **common,
            flow_id=_uuid(data.get("flow_id")),
            flow_name=data.get("flow_name"),
            deployment_id=_uuid(data.get("deployment_id")),
            parameters=data.get("parameters") or {},
            expected_start_time=expected,
            next_scheduled_start_time=expected if state is not None and state.is_scheduled() else None,
            parent_task_run_id=_uuid(data.get("parent_task_run_id")),
            work_queue_name=data.get("work_queue"),
            job_variables=data.get("job_variables") or {},
            notebook=data.get("notebook"),
            entrypoint=data.get("entrypoint"),
        )


class TaskRun(_Run):
    flow_run_id: uuid.UUID | None = None
    task_key: str | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> TaskRun:
        return cls(
            **_run_fields(data),
            flow_run_id=_uuid(data.get("flow_run_id")),
            task_key=data.get("task_key"),
            expected_start_time=_time(data.get("start_time")) or _time(data.get("created")),
        )


class Deployment(_Object):
    """A deployment; ``work_queue_name`` is its queue, ``entrypoint`` or ``notebook`` what it runs."""

    id: uuid.UUID
    name: str
    description: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)
    entrypoint: str | None = None
    notebook: str | None = None
    work_queue_name: str | None = None
    work_pool_name: str | None = None
    job_variables: dict[str, Any] = Field(default_factory=dict)
    paused: bool = False
    schedules: list[dict[str, Any]] = Field(default_factory=list)
    concurrency_limit: int | None = None
    created: _dt.datetime | None = None
    updated: _dt.datetime | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Deployment:
        return cls(
            id=data["id"],
            name=data["name"],
            description=data.get("description"),
            parameters=data.get("parameters") or {},
            tags=data.get("tags") or [],
            entrypoint=data.get("entrypoint"),
            notebook=data.get("notebook"),
            work_queue_name=data.get("work_queue"),
            work_pool_name=data.get("work_pool_name"),
            job_variables=data.get("job_variables") or {},
            paused=bool(data.get("paused")),
            schedules=data.get("schedules") or [],
            concurrency_limit=data.get("concurrency_limit"),
            created=_time(data.get("created")),
            updated=_time(data.get("updated")),
        )


class Log(_Object):
    id: int
    name: str | None = None
    level: int
    message: str
    timestamp: _dt.datetime | None = None
    flow_run_id: uuid.UUID | None = None
    task_run_id: uuid.UUID | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> Log:
        return cls(
            id=data["id"],
            name=data.get("logger_name"),
            level=data["level"],
            message=data["message"],
            timestamp=_time(data.get("timestamp")),
            flow_run_id=_uuid(data.get("flow_run_id")),
            task_run_id=_uuid(data.get("task_run_id")),
        )


class SetStateStatus(str, enum.Enum):
    """What became of a proposed state (Prefect's names; orchestr-lab answers ACCEPT or REJECT)."""

    ACCEPT = "ACCEPT"
    REJECT = "REJECT"
    ABORT = "ABORT"
    WAIT = "WAIT"


class StateAcceptDetails(_Object):
    type: str = "accept_details"


class StateRejectDetails(_Object):
    type: str = "reject_details"
    reason: str | None = None


class OrchestrationResult(_Object):
    """``set_flow_run_state``'s answer: ``status``, the run's ``state`` after it, and ``details``."""

    status: SetStateStatus
    state: State | None = None
    details: StateAcceptDetails | StateRejectDetails

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> OrchestrationResult:
        status = SetStateStatus(data["status"])
        details = data.get("details") or {}
        return cls(
            status=status,
            state=state_from_dict(data.get("state")),
            details=StateRejectDetails(reason=details.get("reason"))
            if status is SetStateStatus.REJECT
            else StateAcceptDetails(),
        )


# -- work pools ------------------------------------------------------------------------------


def _job_template(schema: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    """Prefect's ``base_job_template`` of a pool: its type's variables, the pool's values as defaults."""
    variables = {**schema, "properties": {k: dict(v) for k, v in (schema.get("properties") or {}).items()}}
    for name, value in base.items():
        if name in variables["properties"]:
            variables["properties"][name]["default"] = value
    return {"job_configuration": {}, "variables": variables}


def _template_values(template: dict[str, Any] | None) -> dict[str, Any]:
    """The job variables a ``base_job_template`` sets: the defaults of its variables."""
    properties = ((template or {}).get("variables") or {}).get("properties") or {}
    return {k: v["default"] for k, v in properties.items() if isinstance(v, dict) and v.get("default") is not None}


class WorkPool(_Object):
    """A work pool: Prefect's fields (``base_job_template``, ``is_paused``), and orchestr-lab's
    ``base_job_variables`` (what the template's defaults say) and ``queues``. ``id`` is derived
    from the name (a pool's name is its key)."""

    id: uuid.UUID
    name: str
    description: str | None = None
    type: str
    base_job_template: dict[str, Any] = Field(default_factory=dict)
    base_job_variables: dict[str, Any] = Field(default_factory=dict)
    is_paused: bool = False
    concurrency_limit: int | None = None
    queues: list[str] = Field(default_factory=list)
    created: _dt.datetime | None = None

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> WorkPool:
        base = data.get("base_job_variables") or {}
        return cls(
            id=uuid.uuid5(uuid.NAMESPACE_URL, f"orchestr-lab:work_pool:{data['name']}"),
            name=data["name"],
            description=data.get("description"),
            type=data["type"],
            base_job_template=_job_template(data.get("job_variables_schema") or {}, base),
            base_job_variables=base,
            is_paused=bool(data.get("paused")),
            concurrency_limit=data.get("concurrency_limit"),
            queues=data.get("queues") or [],
            created=_time(data.get("created")),
        )


class WorkPoolCreate(BaseModel):
    """``create_work_pool``'s argument. The pool's job variables: ``base_job_variables``, or the
    defaults of a Prefect ``base_job_template``'s variables (both given: merged, ours win)."""

    name: str
    description: str | None = None
    type: str = "process"
    base_job_template: dict[str, Any] = Field(default_factory=dict)
    base_job_variables: dict[str, Any] = Field(default_factory=dict)
    is_paused: bool = False
    concurrency_limit: int | None = None

    def to_api(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "description": self.description,
            "type": self.type,
            "base_job_variables": {**_template_values(self.base_job_template), **self.base_job_variables},
            "paused": self.is_paused,
            "concurrency_limit": self.concurrency_limit,
        }


class WorkPoolUpdate(BaseModel):
    """``update_work_pool``'s argument: only the fields set change (``concurrency_limit=None``
    set explicitly removes the limit)."""

    description: str | None = None
    is_paused: bool | None = None
    base_job_template: dict[str, Any] | None = None
    base_job_variables: dict[str, Any] | None = None
    concurrency_limit: int | None = None

    def to_api(self) -> dict[str, Any]:
        given = self.model_dump(exclude_unset=True)
        out: dict[str, Any] = {k: given[k] for k in ("description", "concurrency_limit") if k in given}
        if given.get("is_paused") is not None:
            out["paused"] = given["is_paused"]
        if self.base_job_template is not None or self.base_job_variables is not None:
            out["base_job_variables"] = {
                **_template_values(self.base_job_template),
                **(self.base_job_variables or {}),
            }
        return out
