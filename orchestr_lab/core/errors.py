"""The exception tree: one root, builtins mixed in where callers expect them.

Kept in core (no I/O, no imports of ours) so every layer can raise and catch the same classes;
``orchestr_lab.exceptions`` is the public import path. Every error orchestr-lab raises on purpose
is an :class:`OrchestrLabError`; the few defined beside the code that raises them are marked
with their module::

    OrchestrLabError
    ├── RunError                                  State.result() of a run that did not complete
    │   ├── FailedRun
    │   ├── CrashedRun
    │   ├── CancelledRun
    │   │   └── CancelledWhilePaused              pause_flow_run: the run was cancelled meanwhile
    │   └── UnfinishedRun
    ├── UpstreamTaskError
    ├── MissingContextError (RuntimeError)
    ├── ParameterBindError (TypeError)
    ├── ParameterTypeError (ValueError)
    ├── RunNameTemplateError (KeyError)
    ├── MappingLengthMismatch (ValueError)
    ├── TaskRunTimeout (TimeoutError)
    ├── FlowRunTimeout (TimeoutError)
    ├── FlowPauseTimeout                          a paused run was not resumed in time
    ├── ResultPersistenceError (ValueError)
    ├── ScheduleError (ValueError)                HTTP 422
    ├── IllegalTransition (ValueError)            HTTP 409
    ├── NotFound (LookupError)                    HTTP 404
    ├── Conflict                                  HTTP 409
    │   ├── BatchRefused                          store.runs
    │   └── NotPausedError                        resume_flow_run of a run that is not PAUSED
    ├── PathOutsideRoot (PermissionError)         HTTP 403
    ├── StoreError                                HTTP 503
    ├── NotebookStopped                           a cell hook stops a notebook run (workers)
    ├── ApiError                                  engine.api_client: a server's error answer
    ├── ApiUnavailable (ConnectionError)          engine.api_client
    ├── ClientError                               sdk.client: a refusal worded for the user
    ├── OpsError                                  sdk.ops: the magics' one-line error
    ├── DeploymentError (ValueError)              sdk.deployments: deploy() and serve()
    ├── BadRequest (ValueError)                   server_ext.handlers.base: HTTP 400
    ├── BodyTooLarge (ValueError)                 server_ext.handlers.base: HTTP 413
    └── ServerStopping                            server_ext.handlers.base: HTTP 503

    Pause (BaseException)                         suspend_flow_run: the flow's code stops here

The CLI turns any of them into a one-line ``error:`` and exit status 1 (``cli._root.UserError``,
a click exception, not an error of ours).
"""

from __future__ import annotations

from typing import Any, TypeVar

_T = TypeVar("_T")


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


class CancelledWhilePaused(CancelledRun):
    """Someone cancelled a flow run while it waited in ``pause_flow_run``: the wait stops and the
    run ends CANCELLED (not failed, and not retried)."""


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


class FlowPauseTimeout(OrchestrLabError):
    """A paused flow run was not resumed before its pause timed out (the run fails with it)."""


class Pause(BaseException):
    """A flow run suspended itself (``suspend_flow_run``): its code stops here and its process
    ends without settling the run, which stays PAUSED until a resume reschedules it. Not an
    ``Exception``, so user code's ``except Exception`` does not swallow it."""

    def __init__(self, *args: Any, state: Any = None) -> None:
        super().__init__(*args)
        self.state = state


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


def found(value: _T | None, message: str) -> _T:
    """``value`` as read, or :class:`NotFound` with ``message`` when the read found nothing."""
    if value is None:
        raise NotFound(message)
    return value


class Conflict(OrchestrLabError):
    """The request clashes with the current state: a name already taken, cancelling a finished run; HTTP 409."""


class NotPausedError(Conflict):
    """``resume_flow_run`` of a run that is not PAUSED."""


class PathOutsideRoot(OrchestrLabError, PermissionError):
    """A notebook path points outside the server's root directory; HTTP 403."""


class RunNameTemplateError(OrchestrLabError, KeyError):
    """A ``flow_run_name``/``task_run_name`` template names a parameter the call does not have."""

    def __str__(self) -> str:  # KeyError would quote the whole message
        return str(self.args[0]) if self.args else ""


class ScheduleError(OrchestrLabError, ValueError):
    """A schedule that cannot work: bad cron expression, unknown time zone, interval or anchor out
    of range, or one that never fires. The message names the field."""


class NotebookStopped(OrchestrLabError):
    """Raised from a cell hook to stop a notebook whose run timed out or was cancelled."""


class ConfigurationError(OrchestrLabError):
    """Options that cannot work together: a SERIALIZABLE transaction whose store has no lock manager."""
