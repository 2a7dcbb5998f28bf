"""API contract for a flow run that waits for a person (``pause_flow_run``/``resume_flow_run``).

The flow asks (``PauseRequest``: how long to wait, under which key, and the JSON schema of the
input it wants); anyone reads the question (``InputSchemaRead``) and answers it
(``ResumeRequest``); the flow reads the answer (``RunInputRead``).
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from .limits import Description, EpochSeconds, JsonObject, Key
from .schemas_base import In, Out, Query

__all__ = ["InputSchemaRead", "PauseRequest", "ResumeRequest", "RunInputQuery", "RunInputRead"]

#: The longest a run may wait for input: Prefect's default is an hour; a week is plenty.
MAX_PAUSE_SECONDS = 7 * 24 * 3600.0


class PauseRequest(In):
    """Pause a RUNNING flow run (its own code asks): it waits at most ``timeout_seconds``."""

    key: Key
    timeout_seconds: float = Field(default=3600.0, gt=0, le=MAX_PAUSE_SECONDS, allow_inf_nan=False)
    run_input_schema: JsonObject | None = Field(
        default=None, description="the JSON schema the input must match; null: a plain pause, resumed without input"
    )
    description: Description | None = None
    reschedule: bool = Field(
        default=False,
        description="suspend: the run's process ends, and a resume puts it back in its queue to run again from the top",
    )


class InputSchemaRead(Out):
    """What a paused run asks for: the form to show."""

    flow_run_id: str
    key: str
    run_input_schema: dict[str, Any]
    description: str | None = None
    pause_expiration_time: EpochSeconds | None = None


class ResumeRequest(In):
    """Resume a PAUSED run; ``run_input`` must match the schema it waits with."""

    run_input: JsonObject | None = None


class RunInputQuery(Query):
    """Which pause's input to read (the key the run paused with)."""

    key: Key


class RunInputRead(Out):
    """The input a run was resumed with for one pause: ``received`` false until that pause is
    answered in the run's current attempt (a retry asks again); ``value`` null for a plain pause."""

    key: str
    received: bool
    value: Any = None
