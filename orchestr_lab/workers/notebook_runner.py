"""One attempt of a notebook run: papermill with the ``orchestr_lab`` engine, recorded live.

:func:`run_notebook` moves the stored run to RUNNING, executes the notebook in a fresh kernel
(parameters injected after the cell tagged ``parameters``, papermill's rules), records each code
cell as a task run with its output as logs, saves the executed notebook as it goes, and returns
the attempt's final state *without* storing it: the caller decides what the attempt means for
the run (the worker's ``finish_attempt`` may turn a failure into a retry).
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

from ..core.errors import NotebookStopped
from ..core.states import Cancelled, Completed, Crashed, Failed, Retrying, Running, State, StateType, TimedOut
from .cells import CellTracker, Listener
from .resume import ResumePlan, restore_code, resume_plan, saved_but_skipped, snapshot_path_for
from .run_environment import job_working_dir, kernel_environment, run_environment
from .warm_kernel import WarmKernel, setup_code

__all__ = ["output_path_for", "run_notebook"]

_log = logging.getLogger("orchestr_lab.workers")

#: How long an interrupted kernel gets to stop its cell before it is killed.
INTERRUPT_GRACE = 3.0

#: A write failed for want of room: disk full, quota, or the process's file size limit.
_DISK_FULL = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})


def output_path_for(run: dict[str, Any], output_dir: str | os.PathLike[str]) -> Path:
    """Where a run's executed notebook is saved: ``<output_dir>/<run id>.ipynb``, and nowhere
    else (a run id that is not an id, ``../x``, is refused: workers/paths.py)."""
    from .paths import run_file

    return run_file(output_dir, run["id"], ".ipynb")


class _Deadline:
    """Stops a notebook at its timeout: interrupt the kernel, and kill it if that is not enough.

    Interrupting first lets the running cell end with a traceback and the executed notebook be
    saved; the kill is the backstop for code that ignores KeyboardInterrupt.
    """

    def __init__(self, seconds: float, tracker: CellTracker) -> None:
        self.seconds = seconds
        self.tracker = tracker
        self.fired = False
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="orchestr-lab-deadline", daemon=True)
        self._thread.start()

    def _watch(self) -> None:
        if self._done.wait(self.seconds):
            return
        self.fired = True
        tracker = self.tracker
        tracker.request_stop("timeout", TimedOut(f"Cell exceeded the run's timeout of {self.seconds:g}s"))
        _signal(tracker.kernel_pid, signal.SIGINT)
        if self._done.wait(INTERRUPT_GRACE):
            return
        _signal(-tracker.kernel_pgid if tracker.kernel_pgid else tracker.kernel_pid, signal.SIGKILL)

    def cancel(self) -> None:
        self._done.set()


def _signal(pid: int | None, sig: int) -> None:
    if not pid:
        return
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _read_kernel(notebook: str) -> tuple[str, str]:
    import nbformat

    from ..core.notebook_parameters import notebook_kernel

    return notebook_kernel(nbformat.read(notebook, as_version=4))


def _flow_fields(run: dict[str, Any], attempt: int, now: float, output: Path) -> dict[str, Any]:
    """Set with RUNNING: the output path too, since papermill saves the notebook as cells run
    (a live view can open it before the run ends)."""
    fields: dict[str, Any] = {"run_count": attempt, "output_notebook": str(output)}
    if not run.get("start_time"):
        fields["start_time"] = now
    if run.get("resume_from"):
        fields["resume_from"] = None  # used (or outdated) from now on; a new failure sets it again
    return fields


def _with_deployment(gateway: Any, run: dict[str, Any]) -> dict[str, Any]:
    """The run plus its deployment's name and default parameters, for ``runtime.deployment``."""
    if not run.get("deployment_id") or "deployment_name" in run:
        return run
    deployment = gateway.get_deployment(run["deployment_id"]) or {}
    return {**run, "deployment_name": deployment.get("name"), "deployment_parameters": deployment.get("parameters")}


def _kernel_options(
    run: dict[str, Any], db_url: str, folder: Path, kernel: str, language: str, warm_kernel: WarmKernel | None
) -> dict[str, Any]:
    """Engine options: the warm kernel with its setup code, or how to start a fresh kernel."""
    if warm_kernel is not None and (km := warm_kernel.take(kernel, language)) is not None:
        return {
            "km": km,
            "kernel_client": warm_kernel.kc,
            "kernel_setup": setup_code(run_environment(run, db_url), str(folder)),
        }
    return {"kernel_env": kernel_environment(run, db_url), "kernel_cwd": str(folder)}


def run_notebook(
    run: dict[str, Any],
    *,
    output_dir: str | os.PathLike[str],
    db_url: str | None = None,
    output_path: str | os.PathLike[str] | None = None,
    root_dir: str | os.PathLike[str] | None = None,
    listener: Listener | None = None,
    timeout: float | None = None,
    warm_kernel: WarmKernel | None = None,
    work_dir: str | os.PathLike[str] | None = None,
) -> State:
    """Execute one attempt of ``run`` (a stored flow run dict with ``notebook`` and ``parameters``).

    The run must be in a state that may move to RUNNING (claimed PENDING, or SCHEDULED);
    otherwise :class:`~orchestr_lab.core.errors.IllegalTransition` is raised before anything
    runs (e.g. it was cancelled meanwhile). ``timeout`` defaults to the run's
    ``timeout_seconds``. Returns COMPLETED, FAILED (naming the failing cell), FAILED/TimedOut,
    CANCELLED (Ctrl-C) or CRASHED (the kernel died); the caller stores it.

    With ``warm_kernel`` (from the worker's pool) the notebook runs in that already started
    kernel, given the run's environment and folder first (its owner shuts it down); a warm kernel
    that is dead or not the notebook's kernel is discarded for a fresh one.

    ``db_url`` may be a server's ``http(s)://`` URL (a remote worker): the run is then moved,
    recorded (kernel included) and its executed notebook uploaded over the REST API, and a
    notebook not under ``root_dir`` is downloaded into ``work_dir`` first (workers/gateway.py).
    """
    from papermill import execute_notebook
    from papermill.exceptions import PapermillExecutionError

    from ..core.settings import db_url as configured_url
    from ..engine.recorder import get_recorder
    from .gateway import gateway_for
    from .notebook_engine import ENGINE_NAME, register_engine

    register_engine()
    url = db_url or configured_url()
    gateway, recorder = gateway_for(url), get_recorder(url)
    output = Path(output_path) if output_path is not None else output_path_for(run, output_dir)
    output.parent.mkdir(parents=True, exist_ok=True)
    if timeout is None:
        timeout = run.get("timeout_seconds")

    attempt = int(run.get("run_count") or 0) + 1
    now = time.time()
    first = Running(timestamp=now) if attempt == 1 else Retrying(timestamp=now)
    fields = _flow_fields(run, attempt, now, output)
    if gateway.remote:
        del fields["output_notebook"]  # a path on this machine; the server stores the upload
    gateway.set_state("flow", run["id"], first, fields=fields)
    existing = gateway.list_task_runs(run["id"]) if attempt > 1 else []
    tracker = CellTracker(recorder, run["id"], existing=existing, listener=listener)
    tracker.log(f"Beginning notebook run {run.get('name')!r} of {run['notebook']} (attempt {attempt})")

    final: State
    running_cell_state: State | None = None
    deadline = _Deadline(float(timeout), tracker) if timeout else None
    follower = gateway.follow_output(run["id"], output)
    try:
        notebook = gateway.notebook_path(run, root_dir, work_dir or output.parent)
        kernel, language = _read_kernel(str(notebook))
        kernel = (run.get("job_variables") or {}).get("kernel_name") or kernel  # the pool's, deployment's or run's
        folder = job_working_dir(run, root_dir) or notebook.parent
        options = _kernel_options(_with_deployment(gateway, run), url, folder, kernel, language, warm_kernel)
        source: Any = str(notebook)
        parameters = run.get("parameters") or None
        resume = run.get("resume_from") or {}
        if resume.get("requested"):
            plan = resume_plan(resume, notebook)
            source, parameters, options["kept_cells"] = plan.nb, None, plan.kept  # injected before
            options["kernel_setup"] = (options.get("kernel_setup") or "") + restore_code(plan.snapshot)
            tracker.log(_resuming(plan))
        if language == "python" and not gateway.remote:
            options["snapshot_path"] = str(snapshot_path_for(output))
        execute_notebook(
            source,
            str(output),
            parameters=parameters,
            engine_name=ENGINE_NAME,
            kernel_name=kernel,
            language=language,
            progress_bar=False,
            tracker=tracker,
            **options,
        )
    except KeyboardInterrupt:
        running_cell_state = Cancelled("Interrupted")
        final = Cancelled("Interrupted (Ctrl-C)")
    except (PapermillExecutionError, NotebookStopped) as exc:  # a cell failed, or a timeout/cancel stopped it
        final = _suspended(gateway, run["id"], tracker) or _after_error(tracker, deadline, timeout, exc, str(output))
    except Exception as exc:  # kernel died, kernel not found, unreadable notebook, ...
        final = _after_error(tracker, deadline, timeout, exc, str(output))
        running_cell_state = final
    else:
        final = Completed()
    finally:
        follower.stop()
        if deadline is not None:
            deadline.cancel()
        # A warm kernel serves one run; its owner (the worker's child) shuts it down after
        # reporting the run's end: nothing the run recorded is left in it (record() and flows
        # in the kernel write through at once), so the run need not wait for its exit.
    if running_cell_state is None and final.name == "TimedOut":
        running_cell_state = TimedOut("Stopped at the run's timeout")
    tracker.close(running_cell_state, reason=final.message)
    quiet = final.is_completed() or final.type is StateType.PAUSED
    tracker.log(f"Finished in state {final!r}", level=logging.INFO if quiet else logging.ERROR)
    recorder.flush()
    gateway.save_output(run["id"], output)
    return final


def _suspended(gateway: Any, run_id: str, tracker: CellTracker) -> State | None:
    """The run's PAUSED "Suspended" state when a cell stopped by suspending it (``Pause``): the
    attempt ends there, and the kernel with it, until a resume runs the notebook again."""
    if tracker.error is None or tracker.error[0] != "Pause":
        return None
    from ..core.wire import state_from_dict

    state = (gateway.get_flow_run(run_id) or {}).get("state") or {}
    return state_from_dict(state) if state.get("type") == StateType.PAUSED.value else None


def _resuming(plan: ResumePlan) -> str:
    """The resumed attempt's first log line, naming what the saved state lacks."""
    line = f"Resuming at cell {plan.cell} with the state the kernel had when it failed"
    skipped = saved_but_skipped(plan.snapshot)
    if skipped:
        line += "; not restored (could not be saved): " + ", ".join(f"{k} ({why})" for k, why in skipped.items())
    return line


def _after_error(
    tracker: CellTracker, deadline: _Deadline | None, timeout: float | None, exc: BaseException, output: str
) -> State:
    """The attempt's state after execution raised ``exc``."""
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient.exceptions import DeadKernelError

    current = tracker.current or tracker.interrupted or tracker.failed
    where = f" in cell {current.number}" if current else ""
    if deadline is not None and deadline.fired:
        return TimedOut(f"Notebook run exceeded its timeout of {timeout:g}s{where}")
    failure = tracker.describe_failure()
    if failure is not None:
        details: dict[str, Any] = {"cell_index": tracker.failed.index, "cell": tracker.failed.number}  # type: ignore[union-attr]
        if (point := tracker.resume_point(output)) is not None:
            details["resume"] = point  # finish_attempt records it: a retry may resume here
        return Failed(failure, details=details)
    if isinstance(exc, DeadKernelError):
        return Crashed(f"The kernel died{where}")
    if isinstance(exc, NoSuchKernel):
        return Failed(_no_such_kernel(exc.name))
    if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
        return _results_folder_full(exc, Path(output))
    text = str(exc).strip().splitlines()
    return Failed(f"Notebook run failed: {type(exc).__name__}: {text[0] if text else ''}".rstrip(": "))


def _no_such_kernel(name: str) -> str:
    """What to do about a notebook whose kernelspec names a kernel this machine lacks."""
    from jupyter_client.kernelspec import KernelSpecManager

    try:
        installed = ", ".join(sorted(KernelSpecManager().find_kernel_specs())) or "none"
    except Exception:  # a broken kernel folder: the advice stands without the list
        installed = "unknown"
    return f"No such kernel {name!r}: install it or change the notebook's kernelspec (installed: {installed})"


def _results_folder_full(exc: OSError, output: Path) -> State:
    """The executed notebook could not be written (no space, quota, file size limit). A half
    written file is removed: it frees what it took, and nobody is served broken JSON."""
    try:
        output.unlink(missing_ok=True)
    except OSError:
        pass
    return Failed(
        f"The results folder {output.parent} is full: the executed notebook could not be saved ({exc.strerror or exc})"
    )
