"""The exception tree: one root, builtins mixed in where callers expect them.

Kept in core (no I/O, no imports of ours) so every layer can raise and catch the same classes;
``orchestr_lab.exceptions`` is the public import path.
"""

from __future__ import annotations

from typing import Any


class OrchestrLabError(Exception):
    """Root of every error orchestr-lab raises on purpose."""


class IllegalTransition(OrchestrLabError, ValueError):
    """A writer asked for a state change the rule book forbids; ``rule`` says which rule."""

    def __init__(self, message: str, *, current: Any = None, proposed: Any = None, rule: str = "") -> None:
        super().__init__(message)
        self.current = current
        self.proposed = proposed
        self.rule = rule


class RunError(OrchestrLabError):
    """Raised by ``State.result()`` for a run that did not complete and carries no exception."""


class FailedRun(RunError):
    """The run FAILED (e.g. a flow returned a Failed state with a message)."""


class CrashedRun(RunError):
    """The run CRASHED: its process, kernel or worker died."""


class CancelledRun(RunError):
    """The run was CANCELLED."""


class UpstreamTaskError(OrchestrLabError):
    """A task could not start because a task it depends on did not complete."""


class ParameterBindError(OrchestrLabError, TypeError):
    """The call's arguments do not fit the function's signature."""


class ParameterTypeError(OrchestrLabError, ValueError):
    """A parameter failed validation; ``errors`` maps parameter names to messages."""

    def __init__(self, message: str, *, errors: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = errors or {}


class TaskRunTimeout(OrchestrLabError, TimeoutError):
    """A task run exceeded its ``timeout_seconds``."""


class FlowRunTimeout(OrchestrLabError, TimeoutError):
    """A flow run exceeded its ``timeout_seconds``."""


class ResultPersistenceError(OrchestrLabError, ValueError):
    """A result could not be serialized into result storage (e.g. it cannot be pickled)."""


class MissingContextError(OrchestrLabError, RuntimeError):
    """Something that needs a running flow or task was called outside one."""


class StoreError(OrchestrLabError):
    """The store could not be opened or written (bad URL, failed migration)."""


class UnfinishedRun(RunError):
    """``result()`` was asked of a run that has not finished (e.g. NotReady after an upstream failure)."""


class MappingLengthMismatch(OrchestrLabError, ValueError):
    """``.map`` was given iterables of different lengths."""


class NotFound(OrchestrLabError, LookupError):
    """The thing asked for (run, deployment, work queue, ...) does not exist; HTTP 404."""


class RunNotFound(NotFound):
    """No flow run or task run has the id that was asked for."""


class Conflict(OrchestrLabError):
    """The request clashes with the current state: a name already taken, cancelling a finished run; HTTP 409."""


class PathOutsideRoot(OrchestrLabError, PermissionError):
    """A notebook path points outside the server's root directory; HTTP 403."""


class RunNameTemplateError(OrchestrLabError, KeyError):
    """A ``flow_run_name``/``task_run_name`` template names a parameter the call does not have."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""
