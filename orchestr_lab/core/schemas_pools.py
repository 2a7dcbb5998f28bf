"""Work pools: their API contract, each type's job variables, and how the layers combine.

A pool's type fixes which job variables its runs take (Prefect's base job template, reduced to
what our workers use): ``process`` runs notebooks and flows in a child process, ``dask`` on a
Dask cluster. Each type's variables are a pydantic model, so a bad one is refused with its path
(``job_variables.env.HOME: Input should be a valid string``) and the model's JSON schema is the
pool's published schema. Layers combine as Prefect combines them: the pool's base, then the
deployment's, then the run's, each key replacing the one below, except ``env``, merged name by
name (:func:`merge_job_variables`).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictStr, StringConstraints, create_model

from .limits import MAX_KEY, Concurrency, Description, Flag, JsonObject, Key, PathText, integer
from .schemas_base import In, Out

__all__ = [
    "DEFAULT_POOL",
    "POOL_TYPES",
    "DaskJobVariables",
    "JobVariablesIn",
    "ProcessJobVariables",
    "WorkPoolCreate",
    "WorkPoolRead",
    "WorkPoolUpdate",
    "check_job_variables",
    "job_variables_schema",
    "merge_job_variables",
]

#: The pool that holds every queue not put in another (today's queues, ``default`` among them).
DEFAULT_POOL = "default"
PoolType = Literal["process", "dask"]

_ENV_NAME = r"^[A-Za-z_][A-Za-z0-9_]*$"
_NO_NUL = r"^[^\x00]*$"
_MAX_ENV_VALUE = 32_768
EnvName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_KEY, pattern=_ENV_NAME)]
EnvValue = Annotated[StrictStr, StringConstraints(max_length=_MAX_ENV_VALUE, pattern=_NO_NUL)]


def _env_schema(schema: dict[str, Any]) -> None:
    """Names as ``propertyNames`` (pydantic's ``patternProperties`` would allow other names)."""
    schema.pop("patternProperties", None)
    schema["propertyNames"] = {"minLength": 1, "maxLength": MAX_KEY, "pattern": _ENV_NAME}
    schema["additionalProperties"] = {"type": "string", "maxLength": _MAX_ENV_VALUE, "pattern": _NO_NUL}


Env = Annotated[
    dict[EnvName, EnvValue],
    Field(max_length=200, description="environment variables of the run", json_schema_extra=_env_schema),
]
KernelName = Annotated[str, StringConstraints(min_length=1, max_length=MAX_KEY, pattern=r"^[A-Za-z0-9._-]+$")]
WarmKernels = integer(ge=0, le=64)


class _JobVariables(BaseModel):
    """Every variable is optional: a layer names only those it sets."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)

    env: Env | None = None
    working_dir: PathText | None = Field(default=None, description="the folder the notebook or flow runs in")


class ProcessJobVariables(_JobVariables):
    kernel_name: KernelName | None = Field(default=None, description="the Jupyter kernel a notebook runs in")
    warm_kernels: WarmKernels | None = Field(  # type: ignore[valid-type]
        default=None, description="spare started kernels a worker of the pool keeps (worker --pool)"
    )


class DaskJobVariables(_JobVariables):
    dask_address: Annotated[str, StringConstraints(min_length=1, max_length=2048)] | None = Field(
        default=None, description="the Dask scheduler's address (worker --pool starts a local cluster without it)"
    )


POOL_TYPES: dict[str, type[_JobVariables]] = {"process": ProcessJobVariables, "dask": DaskJobVariables}


@functools.lru_cache(maxsize=len(POOL_TYPES))
def _wrapper(pool_type: str) -> type[BaseModel]:
    """A model with one field, ``job_variables``, so errors carry the field's whole path."""
    return create_model(f"{pool_type.title()}JobVariablesIn", job_variables=(POOL_TYPES[pool_type], ...))


def check_job_variables(pool_type: str, values: Mapping[str, Any] | None) -> dict[str, Any]:
    """``values`` checked against the type's model (pydantic's ``ValidationError`` naming the
    variable otherwise); returns only the variables given (a null one is not set)."""
    if not values:
        return {}
    checked = _wrapper(pool_type).model_validate({"job_variables": dict(values)})
    model: BaseModel = checked.job_variables  # type: ignore[attr-defined]
    return model.model_dump(exclude_unset=True, exclude_none=True)


def job_variables_schema(pool_type: str) -> dict[str, Any]:
    """The JSON schema of a pool type's job variables (``WorkPoolRead.job_variables_schema``)."""
    return POOL_TYPES[pool_type].model_json_schema()


def merge_job_variables(*layers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The job variables a run executes with: later layers win, ``env`` merged by name.

    Called with (pool base, deployment, run): Prefect's precedence.
    """
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in (layer or {}).items():
            if key == "env" and isinstance(value, Mapping):
                merged["env"] = {**(merged.get("env") or {}), **value}
            else:
                merged[key] = value
    return merged


_DESC = "job variables every run of the pool starts from (checked against the type's schema)"
_LIMIT = "how many of the pool's runs may be active (pending, running, cancelling) at once; null: no limit"


def _documented(schema: dict[str, Any]) -> dict[str, Any]:
    """A model's schema without its title (the document names the field)."""
    return {k: v for k, v in schema.items() if k != "title"}


@functools.lru_cache(maxsize=1)
def _any_type() -> dict[str, Any]:
    return {"anyOf": [_documented(job_variables_schema(t)) for t in POOL_TYPES]}


def _any_pool_type(schema: dict[str, Any]) -> None:
    """Job variables whose pool is not in the body: the variables of one of the pool types (the
    pool's own type decides, when the request is served)."""
    description = schema.get("description")
    schema.clear()
    schema.update(_any_type())
    if description:
        schema["description"] = description


def _by_type(schema: dict[str, Any]) -> None:
    """A new pool's base job variables follow its ``type`` (``process`` when absent)."""
    branches = []
    for name in POOL_TYPES:
        props = {"type": {"const": name}, "base_job_variables": _documented(job_variables_schema(name))}
        branches.append({"properties": props, **({} if name == "process" else {"required": ["type"]})})
    schema["oneOf"] = branches


#: Job variables in a body: a JSON object, checked against the pool's type where it is served.
JobVariablesIn = Annotated[JsonObject, Field(json_schema_extra=_any_pool_type)]


class WorkPoolCreate(In):
    model_config = ConfigDict(**In.model_config, json_schema_extra=_by_type)

    name: Key
    type: PoolType = "process"
    base_job_variables: JsonObject = Field(default_factory=dict, description=_DESC)
    paused: Flag = False
    description: Description | None = None
    concurrency_limit: Concurrency | None = Field(default=None, description=_LIMIT)


class WorkPoolUpdate(In):
    """Only the fields sent change; ``base_job_variables`` replaces the whole set."""

    base_job_variables: JobVariablesIn | None = Field(default=None, description=_DESC)
    paused: Flag | None = None
    description: Description | None = None
    concurrency_limit: Concurrency | None = Field(default=None, description=_LIMIT + " (sending null removes it)")


class WorkPoolRead(Out):
    name: str
    type: str
    base_job_variables: dict[str, Any] = Field(default_factory=dict)
    job_variables_schema: dict[str, Any] = Field(default_factory=dict)
    paused: bool = False
    description: str | None = None
    concurrency_limit: int | None = None
    queues: list[str] = Field(default_factory=list, description="the pool's work queues")
    created: str | None = None
