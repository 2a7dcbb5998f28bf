"""The API contract: pydantic models for what clients send and what the server answers.

Handlers validate request bodies with the ``*Create``/``*Update`` models and serialise answers
with the read models; the OpenAPI document is generated from these same classes, so the
documentation cannot drift from the behaviour. Field names are the REST API's (docs/architecture.md, "The REST API").
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import ConfigDict, Field, field_validator, model_validator

from .limits import (
    ENTRYPOINT,
    FUNCTION_NAME,
    MAX_SCHEDULES,
    MIN_INTERVAL_SECONDS,
    Concurrency,
    CronText,
    Description,
    Flag,
    IsoTime,
    JsonObject,
    KeepLast,
    Key,
    Name,
    PathText,
    QueueName,
    RetentionDays,
    Retries,
    Seconds,
    Tags,
    TimeZone,
    bounded_list,
    integer,
)
from .page_cursor import TOTAL_CAP
from .schemas_automations import (
    AutomationCreate,
    AutomationRead,
    AutomationUpdate,
    ConcurrencyLimitCreate,
    ConcurrencyLimitRead,
    ConcurrencyLimitUpdate,
    FlowQuery,
    FlowRead,
    _one_of,
)
from .schemas_base import In, Out
from .schemas_pools import JobVariablesIn
from .schemas_queries import (
    DeploymentQuery,
    EventQuery,
    FlowRunQuery,
    FlowSource,
    FlowSourceQuery,
    LogQuery,
    NextRunsQuery,
    NotebookPathQuery,
)
from .states import StateType

__all__ = [
    "AutomationCreate",
    "AutomationRead",
    "AutomationUpdate",
    "ConcurrencyLimitCreate",
    "ConcurrencyLimitRead",
    "ConcurrencyLimitUpdate",
    "DeploymentCreate",
    "DeploymentQuery",
    "DeploymentRead",
    "DeploymentUpdate",
    "ErrorBody",
    "EventPage",
    "EventQuery",
    "EventRead",
    "FlowQuery",
    "FlowRead",
    "FlowRunCreate",
    "FlowRunPage",
    "FlowRunQuery",
    "FlowRunRead",
    "FlowSource",
    "FlowSourceQuery",
    "HealthRead",
    "LogQuery",
    "LogRead",
    "NextRunsQuery",
    "NextRunsRead",
    "NotebookParameter",
    "NotebookParameters",
    "NotebookPathQuery",
    "Page",
    "RecordedRead",
    "RetryRequest",
    "ScheduleIn",
    "SchedulePreview",
    "ScheduleRead",
    "StateRead",
    "TaskRunRead",
    "WorkQueueCreate",
    "WorkQueueRead",
    "WorkQueueUpdate",
    "WorkerHeartbeat",
    "WorkerRead",
]

T = TypeVar("T")


class ErrorBody(Out):
    """Every 4xx answer: what was wrong, and details a client can show next to a field."""

    error: str
    detail: Any = None


# -- schedules ---------------------------------------------------------------------------


class ScheduleIn(In):
    """A cron schedule (``cron`` + ``timezone``) or an interval (``interval`` seconds + ``anchor``)."""

    model_config = ConfigDict(
        **In.model_config,
        json_schema_extra=_one_of(
            {"required": ["cron"], "properties": {"cron": {"type": "string"}, "interval": {"type": "null"}}},
            {"required": ["interval"], "properties": {"interval": {"type": "number"}, "cron": {"type": "null"}}},
        ),
    )

    cron: CronText | None = None
    interval: Seconds | None = Field(default=None, ge=MIN_INTERVAL_SECONDS, description="seconds between runs")
    anchor: IsoTime | None = None
    timezone: TimeZone = "UTC"
    active: Flag = True
    parameters: JsonObject = Field(default_factory=dict, description="overrides for runs of this schedule")

    # Field validators first, so an error names the field (``schedules.0.cron``), not the schedule.
    @field_validator("cron")
    @classmethod
    def _valid_cron(cls, value: str | None) -> str | None:
        from croniter import croniter

        if value is not None and not croniter.is_valid(value):
            raise ValueError(f"Invalid cron expression {value!r}")
        return value

    @model_validator(mode="after")
    def _one_kind(self) -> ScheduleIn:
        if (self.cron is None) == (self.interval is None):
            raise ValueError("a schedule needs exactly one of 'cron' or 'interval'")
        # Building the schedule checks the cron expression and the time zone.
        from .errors import ScheduleError
        from .schedules import Cron, Interval

        try:
            if self.cron is not None:
                Cron(self.cron, self.timezone)
            else:
                Interval(self.interval, self.anchor, self.timezone)  # type: ignore[arg-type]
        except ScheduleError as exc:
            raise ValueError(str(exc)) from None
        return self


#: A deployment's schedules: each is computed on every read and every scheduler pass.
# bounded_list(ScheduleIn, max_length=MAX_SCHEDULES), written out so a type checker reads a type.
Schedules = Annotated[list[ScheduleIn], Field(min_length=0, max_length=MAX_SCHEDULES)]


def _check_entrypoint(value: str) -> str:
    """``path/to/file.py:flow_function``: a path and a function name. Where the path leads (under
    the root? a ``.py`` file?) is checked on disk when the deployment is saved (403 or 422)."""
    path, sep, function = value.rpartition(":")
    if not sep or not path or not re.fullmatch(FUNCTION_NAME, function):
        raise ValueError(f"must look like 'path/to/file.py:flow_function', not {value[:100]!r}")
    return value


class ScheduleRead(Out):
    id: str
    cron: str | None = None
    interval: float | None = None
    anchor: str | None = None
    timezone: str
    active: bool
    parameters: dict[str, Any] = Field(default_factory=dict)


# -- deployments -------------------------------------------------------------------------

_RETENTION_DAYS = "days its finished runs are kept (null: the server's keep_runs_days)"
_KEEP_LAST = "its newest finished runs kept whatever their age (null: the server's keep_last_runs)"
_POOL = "the work pool its runs go to (without work_queue: the pool's own queue); default: its queue's pool"
_JOB_VARIABLES = "job variables over the pool's (checked against the pool type's schema); a run's override these"
_MAX_DURATION = "SLA: a run still RUNNING this many seconds after it started is a breach (null: none)"
_FRESHNESS = "SLA: no COMPLETED run for this many seconds is a breach (null: none)"
#: An SLA's seconds: from one second to a year.
SlaSeconds = Annotated[int, Field(ge=1, le=366 * 86400)]


class DeploymentCreate(In):
    """What to run (a notebook path under the server root, or ``file.py:flow``) and how."""

    model_config = ConfigDict(
        **In.model_config,
        json_schema_extra=_one_of(
            {"required": ["notebook"], "properties": {"notebook": {"type": "string"}, "entrypoint": {"type": "null"}}},
            {
                "required": ["entrypoint"],
                "properties": {"entrypoint": {"type": "string"}, "notebook": {"type": "null"}},
            },
        ),
    )

    name: Name
    notebook: PathText | None = Field(default=None, description="a .ipynb file relative to the server root")
    entrypoint: PathText | None = Field(
        default=None,
        description="'path/to/file.py:flow_function', the file relative to the server root",
        json_schema_extra={"pattern": ENTRYPOINT},
    )
    description: Description | None = None
    parameters: JsonObject = Field(default_factory=dict)
    schedules: Schedules = Field(default_factory=list)
    work_queue: QueueName = "default"
    retries: Retries = 0
    retry_delay_seconds: Seconds = Field(default=0, ge=0)
    timeout_seconds: Seconds | None = Field(default=None, gt=0)
    tags: Tags = Field(default_factory=list)
    concurrency_limit: Concurrency | None = None
    paused: Flag = False
    retention_days: RetentionDays | None = Field(default=None, description=_RETENTION_DAYS)
    keep_last: KeepLast | None = Field(default=None, description=_KEEP_LAST)
    work_pool_name: Key | None = Field(default=None, description=_POOL)
    job_variables: JobVariablesIn = Field(default_factory=dict, description=_JOB_VARIABLES)
    max_duration_seconds: SlaSeconds | None = Field(default=None, description=_MAX_DURATION)
    freshness_seconds: SlaSeconds | None = Field(default=None, description=_FRESHNESS)

    @field_validator("entrypoint")
    @classmethod
    def _entrypoint(cls, value: str | None) -> str | None:
        if value is not None:
            _check_entrypoint(value)
        return value

    @model_validator(mode="after")
    def _one_target(self) -> DeploymentCreate:
        if (self.notebook is None) == (self.entrypoint is None):
            raise ValueError("a deployment needs exactly one of 'notebook' or 'entrypoint'")
        return self


class DeploymentUpdate(In):
    """A partial update: only the fields sent change (``schedules`` replaces the whole list)."""

    description: Description | None = None
    parameters: JsonObject | None = None
    schedules: Schedules | None = None
    work_queue: QueueName | None = None
    retries: Retries | None = None
    retry_delay_seconds: Seconds | None = Field(default=None, ge=0)
    timeout_seconds: Seconds | None = Field(default=None, gt=0)
    tags: Tags | None = None
    concurrency_limit: Concurrency | None = None
    paused: Flag | None = None
    retention_days: RetentionDays | None = Field(default=None, description=_RETENTION_DAYS)
    keep_last: KeepLast | None = Field(default=None, description=_KEEP_LAST)
    work_pool_name: Key | None = Field(default=None, description=_POOL)
    job_variables: JobVariablesIn | None = Field(default=None, description=_JOB_VARIABLES)
    max_duration_seconds: SlaSeconds | None = Field(default=None, description=_MAX_DURATION)
    freshness_seconds: SlaSeconds | None = Field(default=None, description=_FRESHNESS)


class DeploymentRead(Out):
    id: str
    name: str
    notebook: str | None = None
    entrypoint: str | None = None
    description: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    schedules: list[ScheduleRead] = Field(default_factory=list)
    work_queue: str
    retries: int
    retry_delay_seconds: float
    timeout_seconds: float | None = None
    tags: list[str] = Field(default_factory=list)
    concurrency_limit: int | None = None
    paused: bool
    retention_days: int | None = None
    keep_last: int | None = None
    work_pool_name: str | None = None
    job_variables: dict[str, Any] = Field(default_factory=dict)
    max_duration_seconds: int | None = None
    freshness_seconds: int | None = None
    created: str
    updated: str
    sla_breaches: list[dict[str, Any]] = Field(
        default_factory=list, description="its SLAs breached now: kind, since, and the run for max_duration"
    )
    next_runs: list[str] = Field(default_factory=list, description="upcoming scheduled times, ISO-8601")
    last_run: dict[str, Any] | None = None


# -- runs --------------------------------------------------------------------------------


class StateRead(Out):
    type: StateType
    name: str
    message: str | None = None
    timestamp: str | None = None


class FlowRunCreate(In):
    """Run a deployment now; ``parameters`` override the deployment's defaults."""

    parameters: JsonObject = Field(default_factory=dict)
    name: Key | None = None
    job_variables: JobVariablesIn = Field(default_factory=dict, description="over the deployment's and pool's")


class WorkerRef(Out):
    name: str | None = None
    type: str | None = None


class FlowRunRead(Out):
    id: str
    name: str
    flow_name: str | None = None
    deployment_id: str | None = None
    parameters: dict[str, Any] = Field(default_factory=dict)
    state: StateRead | None = None
    start_time: str | None = None
    end_time: str | None = None
    scheduled_start_time: str | None = None
    run_count: int = 0
    recorded: dict[str, Any] = Field(default_factory=dict)
    worker: WorkerRef = Field(default_factory=WorkerRef)
    work_queue: str | None = None
    parent_task_run_id: str | None = None
    tags: list[str] = Field(default_factory=list)
    created: str | None = None
    notebook: str | None = Field(default=None, description="a deployment run's notebook, relative to the root")
    entrypoint: str | None = None
    output_notebook: str | None = Field(default=None, description="where the executed notebook was saved")
    timeout_seconds: float | None = None
    max_retries: int | None = None
    job_variables: dict[str, Any] | None = Field(default=None, description="the run's own job variables")
    resume_cell: int | None = Field(
        default=None,
        description="a FAILED notebook run whose kernel state was saved when its cell failed: that "
        "cell's number, where POST .../retry with from_failed_cell resumes",
    )


class RetryRequest(In):
    from_failed_cell: Flag = Field(
        default=False,
        description="resume at the failing cell with the kernel state saved when it failed, instead of "
        "running the notebook from the top (only when the run has a resume_cell)",
    )


class TaskRunRead(Out):
    id: str
    name: str
    flow_run_id: str | None = None
    task_key: str | None = None
    state: StateRead | None = None
    start_time: str | None = None
    end_time: str | None = None
    run_count: int = 0
    created: str | None = None


class LogRead(Out):
    id: int
    flow_run_id: str | None = None
    task_run_id: str | None = None
    level: int
    logger_name: str | None = None
    message: str
    timestamp: str | None = None


class Page(Out, Generic[T]):
    items: list[T]
    total: int


class FlowRunPage(Page[FlowRunRead]):
    """A page of flow runs; pass ``next_cursor`` back as ``cursor`` for the next one (a deep page
    costs what the first does, where an offset walks every run before it)."""

    total: int = Field(
        description=f"how many runs match the filters, counted up to {TOTAL_CAP:,} so that no page "
        f"costs a count of every run: past that, {TOTAL_CAP:,} and total_exact is false"
    )
    total_exact: bool = Field(default=True, description="false when more than total runs match")
    next_cursor: str | None = Field(default=None, description="where the next page starts; null on the last page")


# -- queues, workers, events -------------------------------------------------------------


class WorkQueueCreate(In):
    name: QueueName
    concurrency_limit: Concurrency | None = None
    paused: Flag = False
    description: Description | None = None


class WorkQueueUpdate(In):
    concurrency_limit: Concurrency | None = None
    paused: Flag | None = None
    description: Description | None = None


class WorkQueueRead(Out):
    name: str
    concurrency_limit: int | None = None
    paused: bool = False
    description: str | None = None
    work_pool_name: str = Field(default="default", description="the work pool the queue belongs to")


class WorkerHeartbeat(In):
    name: Key
    type: Literal["process", "dask", "local"] = "process"
    queues: bounded_list(QueueName) = Field(default_factory=lambda: ["default"])  # type: ignore[valid-type]


class WorkerRead(Out):
    name: str
    type: str
    queues: list[str] = Field(default_factory=list)
    last_seen: str | None = None


class EventRead(Out):
    id: int
    occurred: str
    kind: str
    resource_id: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict)


# -- notebooks ---------------------------------------------------------------------------


class NotebookParameter(Out):
    name: str
    type: str | None = None
    default: Any = None
    help: str | None = None


class NotebookParameters(Out):
    parameters: list[NotebookParameter]

    @field_validator("parameters")
    @classmethod
    def _unique(cls, value: list[NotebookParameter]) -> list[NotebookParameter]:
        names = [p.name for p in value]
        if len(names) != len(set(names)):
            raise ValueError("duplicate parameter names")
        return value


# -- server answers and query strings (used by server_ext's route table) -----------------


class HealthRead(Out):
    status: str = "ok"
    version: str
    services: dict[str, bool] = Field(default_factory=dict, description="background services running here")


class SchedulePreview(ScheduleIn):
    """A schedule not yet saved (the sidebar's form) and how many fire times to show."""

    n: integer(ge=1, le=100) = 5  # type: ignore[valid-type]


class NextRunsRead(Out):
    next_runs: list[str] = Field(description="upcoming fire times, ISO-8601, soonest first")


class RecordedRead(Out):
    id: int
    flow_run_id: str | None = None
    task_run_id: str | None = None
    name: str
    value: Any = None
    repr: str
    timestamp: str | None = None


class EventPage(Out):
    """Events after a cursor; pass ``cursor`` back as ``after`` to get the next page."""

    items: list[EventRead]
    cursor: int | None = None
