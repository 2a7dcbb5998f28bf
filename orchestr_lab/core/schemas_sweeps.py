"""API contract for sweeps: one deployment run over a parameter grid or a list of parameter sets.

A request gives exactly one of ``grid`` (every combination of the listed values, in the order
the names are given, the last name varying fastest) or ``parameter_sets``; either way at most
:data:`MAX_SWEEP_MEMBERS` members. ``parameters`` are fixed values every member gets (a member's
own values win).
"""

from __future__ import annotations

import itertools
from typing import Any, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .limits import MAX_KEY, Cursor, JsonObject, Key, SweepParallel, bounded_list
from .schemas_base import In, Out, Query

__all__ = [
    "MAX_SWEEP_MEMBERS",
    "SweepCreate",
    "SweepMember",
    "SweepPage",
    "SweepQuery",
    "SweepRead",
    "SweepSummary",
    "SweepTable",
    "SweepTableQuery",
    "expand_grid",
]

#: Members of one sweep (a grid's combinations included).
MAX_SWEEP_MEMBERS = 1000
#: Names of a grid.
MAX_GRID_NAMES = 64


def expand_grid(grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Every combination of a grid's values, the last name varying fastest."""
    names = list(grid)
    return [dict(zip(names, values, strict=True)) for values in itertools.product(*(grid[n] for n in names))]


class SweepCreate(In):
    """Run a deployment once per parameter set, at most ``max_parallel`` at once."""

    # The document says what ``_one_source`` enforces: a grid or parameter sets, never both.
    model_config = ConfigDict(
        **In.model_config,
        json_schema_extra={
            "oneOf": [
                {"required": ["grid"], "properties": {"grid": {"type": "object"}, "parameter_sets": {"type": "null"}}},
                {
                    "required": ["parameter_sets"],
                    "properties": {"parameter_sets": {"type": "array"}, "grid": {"type": "null"}},
                },
            ]
        },
    )

    grid: JsonObject | None = Field(
        default=None,
        description="name -> list of values; one member per combination",
        max_length=MAX_GRID_NAMES,
        json_schema_extra={  # what _grid_lists checks
            "minProperties": 1,
            "maxProperties": MAX_GRID_NAMES,
            "propertyNames": {"minLength": 1, "maxLength": MAX_KEY},
            "additionalProperties": {"type": "array", "minItems": 1},
        },
    )
    parameter_sets: bounded_list(JsonObject, max_length=MAX_SWEEP_MEMBERS, min_length=1) | None = None  # type: ignore[valid-type]
    parameters: JsonObject = Field(default_factory=dict, description="fixed values every member gets")
    max_parallel: SweepParallel = 4

    @field_validator("grid")
    @classmethod
    def _grid_lists(cls, grid: dict[str, Any] | None) -> dict[str, Any] | None:
        if grid is None:
            return None
        if not grid:
            raise ValueError("a grid names at least one parameter")
        for name, values in grid.items():
            if not name or len(name) > MAX_KEY:
                raise ValueError(f"parameter names are 1 to {MAX_KEY} characters")
            if not isinstance(values, list) or not values:
                raise ValueError(f"grid[{name!r}] must be a non-empty list of values")
        return grid

    @model_validator(mode="after")
    def _one_source(self) -> SweepCreate:
        if (self.grid is None) == (self.parameter_sets is None):
            raise ValueError("give exactly one of grid or parameter_sets")
        if self.grid is not None:
            size = 1
            for values in self.grid.values():
                size *= len(values)
                if size > MAX_SWEEP_MEMBERS:
                    raise ValueError(f"the grid has more than {MAX_SWEEP_MEMBERS} combinations")
        return self

    def members(self) -> list[dict[str, Any]]:
        """Each member's parameters: the fixed ones, then its own."""
        own = expand_grid(self.grid) if self.grid is not None else list(self.parameter_sets or [])
        return [{**self.parameters, **values} for values in own]

    def parameter_names(self) -> list[str]:
        """The names that vary between members (the table's parameter columns)."""
        if self.grid is not None:
            return list(self.grid)
        return list(dict.fromkeys(name for values in self.parameter_sets or [] for name in values))


class SweepQuery(Query):
    deployment_id: Key | None = None
    limit: int = Field(default=50, ge=1, le=200)
    offset: Cursor = 0


class SweepTableQuery(Query):
    format: Literal["json", "csv"] = "json"


class MemberState(Out):
    type: str | None = None
    name: str | None = None


class SweepMember(Out):
    index: int
    flow_run_id: str
    parameters: dict[str, Any] = Field(default_factory=dict)
    state: MemberState = Field(default_factory=MemberState)
    start_time: str | None = None
    end_time: str | None = None
    duration: float | None = Field(default=None, description="seconds, once the member finished")
    outputs: dict[str, Any] = Field(default_factory=dict, description="its recorded outputs (last value per name)")


SweepStateName = Literal["RUNNING", "COMPLETED", "FAILED", "CANCELLED"]


class SweepSummary(Out):
    id: str
    deployment_id: str
    deployment_name: str
    created: str
    max_parallel: int
    state: SweepStateName = Field(
        description="COMPLETED: all members completed; FAILED: all final, some not completed; else RUNNING"
    )
    counts: dict[str, int] = Field(default_factory=dict, description="members per state type")
    parameter_names: list[str] = Field(default_factory=list)


class SweepRead(SweepSummary):
    output_names: list[str] = Field(default_factory=list)
    members: list[SweepMember] = Field(default_factory=list)


class SweepPage(Out):
    items: list[SweepSummary]
    total: int


class SweepTable(Out):
    """One row per member: index, parameters, state, duration, recorded outputs."""

    columns: list[str]
    rows: list[list[Any]]
