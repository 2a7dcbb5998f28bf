"""Prefect's filter and sort objects for ``get_client()`` reads (``client.schemas.filters``).

The same classes and fields as Prefect (``FlowRunFilter(state=FlowRunFilterState(type=
FlowRunFilterStateType(any_=[...])))``, ...). What our REST run list filters on (state types, one
deployment, one flow) is asked of the server; every other field is tested here on the runs it
answers, by :meth:`_Filter.matches`, so the result is what Prefect's server would return.
"""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

__all__ = [
    "DeploymentFilter",
    "DeploymentFilterId",
    "DeploymentFilterName",
    "DeploymentFilterTags",
    "DeploymentSort",
    "FlowFilter",
    "FlowFilterId",
    "FlowFilterName",
    "FlowRunFilter",
    "FlowRunFilterDeploymentId",
    "FlowRunFilterExpectedStartTime",
    "FlowRunFilterId",
    "FlowRunFilterName",
    "FlowRunFilterParentTaskRunId",
    "FlowRunFilterStartTime",
    "FlowRunFilterState",
    "FlowRunFilterStateName",
    "FlowRunFilterStateType",
    "FlowRunFilterTags",
    "FlowRunSort",
    "LogFilter",
    "LogFilterFlowRunId",
    "LogFilterLevel",
    "LogFilterTaskRunId",
    "LogSort",
    "TaskRunFilter",
    "TaskRunFilterFlowRunId",
    "TaskRunFilterId",
    "TaskRunFilterName",
    "TaskRunFilterState",
    "TaskRunFilterStateName",
    "TaskRunFilterStateType",
    "TaskRunSort",
    "WorkPoolFilter",
    "WorkPoolFilterName",
    "WorkPoolFilterType",
]


def _plain(value: Any) -> Any:
    """Ids and enums compared as text (``UUID('..')`` and ``'..'`` name the same run)."""
    if isinstance(value, enum.Enum):
        return value.value
    return None if value is None else str(value)


class _Leaf(BaseModel):
    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)

    def test(self, value: Any) -> bool:  # pragma: no cover - every leaf overrides it
        raise NotImplementedError


class _AnyOf(_Leaf):
    """``any_``: one of these; ``not_any_``: none of these; ``is_null_``: unset (or set)."""

    any_: list[Any] | None = None
    not_any_: list[Any] | None = None
    is_null_: bool | None = None

    def test(self, value: Any) -> bool:
        v = _plain(value)
        if self.any_ is not None and v not in {_plain(x) for x in self.any_}:
            return False
        if self.not_any_ is not None and v in {_plain(x) for x in self.not_any_}:
            return False
        return self.is_null_ is None or (value is None) == self.is_null_


class _Named(_AnyOf):
    """Also ``like_``: the text appears in the name, ignoring case (Prefect's ILIKE '%x%')."""

    like_: str | None = None

    def test(self, value: Any) -> bool:
        if self.like_ is not None and self.like_.lower() not in str(value or "").lower():
            return False
        return super().test(value)


class _Tags(_Leaf):
    """``all_``: has every one of these tags; ``any_``: has at least one; ``is_null_``: has none."""

    all_: list[str] | None = None
    any_: list[str] | None = None
    is_null_: bool | None = None

    def test(self, value: Any) -> bool:
        tags = set(value or ())
        if self.all_ is not None and not set(self.all_) <= tags:
            return False
        if self.any_ is not None and not tags.intersection(self.any_):
            return False
        return self.is_null_ is None or (not tags) == self.is_null_


class _Times(_Leaf):
    """``before_``/``after_``: at or before/after this time; ``is_null_``: unset (or set)."""

    before_: _dt.datetime | None = None
    after_: _dt.datetime | None = None
    is_null_: bool | None = None

    def test(self, value: Any) -> bool:
        if self.is_null_ is not None and (value is None) != self.is_null_:
            return False
        if value is None:
            return self.before_ is None and self.after_ is None
        if self.before_ is not None and value > _aware(self.before_):
            return False
        return self.after_ is None or value >= _aware(self.after_)


def _aware(value: _dt.datetime) -> _dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=_dt.timezone.utc)


class _Filter(BaseModel):
    """A group of leaves, each tested on one attribute of the object (``_on``: field -> attribute)."""

    model_config = ConfigDict(extra="forbid", arbitrary_types_allowed=True)
    _on: ClassVar[dict[str, str]] = {}

    def matches(self, obj: Any) -> bool:
        for field in self.model_fields_set:
            leaf = getattr(self, field)
            if leaf is None:
                continue
            if isinstance(leaf, _Filter):
                if not leaf.matches(obj):
                    return False
            elif not leaf.test(_attr(obj, self._on.get(field, field))):
                return False
        return True


def _attr(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = None if obj is None else getattr(obj, part, None)
    return obj


# -- flow runs -------------------------------------------------------------------------------
class FlowRunFilterId(_AnyOf): ...


class FlowRunFilterName(_Named): ...


class FlowRunFilterTags(_Tags): ...


class FlowRunFilterDeploymentId(_AnyOf): ...


class FlowRunFilterParentTaskRunId(_AnyOf): ...


class FlowRunFilterStateType(_AnyOf): ...


class FlowRunFilterStateName(_AnyOf): ...


class FlowRunFilterStartTime(_Times): ...


class FlowRunFilterExpectedStartTime(_Times): ...


class _StateFilter(_Filter):
    """``type`` and ``name`` tested on the object's state."""

    _on: ClassVar[dict[str, str]] = {"type": "state.type", "name": "state.name"}


class FlowRunFilterState(_StateFilter):
    type: FlowRunFilterStateType | None = None
    name: FlowRunFilterStateName | None = None


class FlowRunFilter(_Filter):
    id: FlowRunFilterId | None = None
    name: FlowRunFilterName | None = None
    tags: FlowRunFilterTags | None = None
    deployment_id: FlowRunFilterDeploymentId | None = None
    state: FlowRunFilterState | None = None
    parent_task_run_id: FlowRunFilterParentTaskRunId | None = None
    start_time: FlowRunFilterStartTime | None = None
    expected_start_time: FlowRunFilterExpectedStartTime | None = None


# -- flows, deployments -----------------------------------------------------------------------
class FlowFilterId(_AnyOf): ...


class FlowFilterName(_Named): ...


class FlowFilter(_Filter):
    """Tested on a run's flow (its ``flow_name``); a deployment's flow is not known here."""

    _on: ClassVar[dict[str, str]] = {"id": "flow_id", "name": "flow_name"}
    id: FlowFilterId | None = None
    name: FlowFilterName | None = None


class DeploymentFilterId(_AnyOf): ...


class DeploymentFilterName(_Named): ...


class DeploymentFilterTags(_Tags): ...


class DeploymentFilter(_Filter):
    id: DeploymentFilterId | None = None
    name: DeploymentFilterName | None = None
    tags: DeploymentFilterTags | None = None


class WorkPoolFilterName(_AnyOf): ...


class WorkPoolFilterType(_AnyOf): ...


class WorkPoolFilter(_Filter):
    name: WorkPoolFilterName | None = None
    type: WorkPoolFilterType | None = None


# -- task runs, logs ---------------------------------------------------------------------------
class TaskRunFilterId(_AnyOf): ...


class TaskRunFilterName(_Named): ...


class TaskRunFilterFlowRunId(_AnyOf): ...


class TaskRunFilterStateType(_AnyOf): ...


class TaskRunFilterStateName(_AnyOf): ...


class TaskRunFilterState(_StateFilter):
    type: TaskRunFilterStateType | None = None
    name: TaskRunFilterStateName | None = None


class TaskRunFilter(_Filter):
    id: TaskRunFilterId | None = None
    name: TaskRunFilterName | None = None
    flow_run_id: TaskRunFilterFlowRunId | None = None
    state: TaskRunFilterState | None = None


class LogFilterFlowRunId(_AnyOf): ...


class LogFilterTaskRunId(_AnyOf): ...


class LogFilterLevel(_Leaf):
    ge_: int | None = None
    le_: int | None = None

    def test(self, value: Any) -> bool:
        return (self.ge_ is None or value >= self.ge_) and (self.le_ is None or value <= self.le_)


class LogFilter(_Filter):
    flow_run_id: LogFilterFlowRunId | None = None
    task_run_id: LogFilterTaskRunId | None = None
    level: LogFilterLevel | None = None


# -- sorting -----------------------------------------------------------------------------------
class FlowRunSort(str, enum.Enum):
    ID_DESC = "ID_DESC"
    START_TIME_ASC = "START_TIME_ASC"
    START_TIME_DESC = "START_TIME_DESC"
    EXPECTED_START_TIME_ASC = "EXPECTED_START_TIME_ASC"
    EXPECTED_START_TIME_DESC = "EXPECTED_START_TIME_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"
    NEXT_SCHEDULED_START_TIME_ASC = "NEXT_SCHEDULED_START_TIME_ASC"
    END_TIME_DESC = "END_TIME_DESC"


class TaskRunSort(str, enum.Enum):
    ID_DESC = "ID_DESC"
    EXPECTED_START_TIME_ASC = "EXPECTED_START_TIME_ASC"
    EXPECTED_START_TIME_DESC = "EXPECTED_START_TIME_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"
    NEXT_SCHEDULED_START_TIME_ASC = "NEXT_SCHEDULED_START_TIME_ASC"
    END_TIME_DESC = "END_TIME_DESC"


class DeploymentSort(str, enum.Enum):
    CREATED_DESC = "CREATED_DESC"
    UPDATED_DESC = "UPDATED_DESC"
    NAME_ASC = "NAME_ASC"
    NAME_DESC = "NAME_DESC"


class LogSort(str, enum.Enum):
    TIMESTAMP_ASC = "TIMESTAMP_ASC"
    TIMESTAMP_DESC = "TIMESTAMP_DESC"


#: sort -> (attribute, descending). Runs without the attribute come last, as in Prefect (NULLS LAST).
SORT_KEYS: dict[str, tuple[str, bool]] = {
    "ID_DESC": ("id_text", True),
    "START_TIME_ASC": ("start_time", False),
    "START_TIME_DESC": ("start_time", True),
    "EXPECTED_START_TIME_ASC": ("expected_start_time", False),
    "EXPECTED_START_TIME_DESC": ("expected_start_time", True),
    "NEXT_SCHEDULED_START_TIME_ASC": ("next_scheduled_start_time", False),
    "NAME_ASC": ("name", False),
    "NAME_DESC": ("name", True),
    "END_TIME_DESC": ("end_time", True),
    "CREATED_DESC": ("created", True),
    "UPDATED_DESC": ("updated", True),
    "TIMESTAMP_ASC": ("timestamp", False),
    "TIMESTAMP_DESC": ("timestamp", True),
}


def sort_objects(items: list[Any], sort: Any) -> list[Any]:
    """``items`` in ``sort``'s order (an enum member or its name); as given when ``sort`` is None."""
    if sort is None:
        return items
    attr, descending = SORT_KEYS[_plain(sort)]
    present = [i for i in items if _attr(i, attr) is not None]
    missing = [i for i in items if _attr(i, attr) is None]
    return sorted(present, key=lambda i: _attr(i, attr), reverse=descending) + missing
