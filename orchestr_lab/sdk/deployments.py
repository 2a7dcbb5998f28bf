"""``deploy()`` and ``serve()``: deployments from Python, as ``orchestr-lab deploy`` makes them.

``deploy`` is declarative, like the CLI: it creates the deployment, or updates it to match the
call (parameters, schedule, pool, queue, job variables, retries, timeout, tags are replaced). It goes through the
same checks as the CLI and ``POST /deployments`` (they share ``sdk.client`` and ``sdk.specs``,
through ``sdk.ops``): on the local store, or on the server at ``ORCHESTR_LAB_API_URL``.
``serve`` then runs the scheduler, the reaper and a worker in this process until it is
interrupted, for a script that is its own small server (Prefect's ``serve``); inside JupyterLab
the server extension already does all of that, with the same ``services.background``.
"""

from __future__ import annotations

import datetime as _dt
import inspect
import os
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core.errors import OrchestrLabError

__all__ = ["DeploymentError", "deploy", "deploy_flow", "serve"]


class DeploymentError(OrchestrLabError, ValueError):
    """The deployment cannot be made as asked (bad schedule, unknown parameter, name taken, ...)."""


def _entrypoint(flow: Any) -> str:
    """``/abs/path/file.py:function`` of a @flow; a flow defined in a notebook has no file to run."""
    fn = getattr(flow, "fn", None)
    if fn is None:
        raise DeploymentError(f"{flow!r} is not a flow, a notebook path or 'file.py:flow'")
    try:
        source = inspect.getsourcefile(fn)
    except TypeError:
        source = None
    if not source or not source.endswith(".py") or not Path(source).is_file() or "<" in fn.__qualname__:
        raise DeploymentError(
            f"flow {getattr(flow, 'name', fn.__name__)!r} is not defined at the top level of a .py file; "
            "a worker imports it from there (in a notebook, deploy the notebook itself)"
        )
    return f"{Path(source).resolve()}:{fn.__name__}"


def deploy(
    target: str | os.PathLike[str] | Any,
    *,
    name: str | None = None,
    cron: str | None = None,
    interval: float | None = None,
    timezone: str = "UTC",
    parameters: dict[str, Any] | None = None,
    work_queue: str = "default",
    work_pool_name: str | None = None,
    job_variables: dict[str, Any] | None = None,
    retries: int = 0,
    retry_delay_seconds: float = 0.0,
    timeout_seconds: float | None = None,
    tags: Iterable[str] = (),
    concurrency_limit: int | None = None,
    paused: bool = False,
    root: str | os.PathLike[str] | None = None,
    retention_days: int | None = None,
    keep_last: int | None = None,
) -> dict[str, Any]:
    """Create or update the deployment ``name`` of a notebook, a ``file.py:flow`` or a @flow.

    ``work_pool_name``: the pool its runs go to (the pool's own queue unless ``work_queue`` names
    another); ``job_variables`` override the pool's for its runs (checked against the pool's type).
    ``retention_days`` and ``keep_last``: how long its finished runs are kept and how many of its
    newest finished runs are kept whatever their age (None: the server's settings).
    Notebook parameters are checked against its ``parameters`` cell. Paths are stored relative
    to ``root`` (default: ``ORCHESTR_LAB_ROOT_DIR``, else the current directory), which should be
    the Jupyter server's root so its worker finds them. Returns the deployment (with ``id``,
    ``next_runs``); raises :class:`DeploymentError` with the reason.
    """
    from .ops import Ops, OpsError
    from .specs import check_same_target, deploy_target, schedule_specs

    text = (
        target
        if isinstance(target, str)
        else os.fspath(target)
        if isinstance(target, os.PathLike)
        else _entrypoint(target)
    )
    try:
        ops = Ops(root=root)
        backend = ops.backend
        if not backend.is_remote() and not Path(text).is_absolute():
            text = str(ops.root / text)  # relative to the root, as the server sees it
        field, path = ops._call(deploy_target, backend, text)
        if field == "notebook" and not backend.is_remote() and not Path(path).is_file():
            raise OpsError(f"no notebook {text!r}")
        settings: dict[str, Any] = {
            "parameters": dict(parameters or {}),
            "schedules": ops._call(schedule_specs, cron, timezone, interval),
            "work_queue": work_queue,
            "job_variables": dict(job_variables or {}),
            "retries": retries,
            "retry_delay_seconds": retry_delay_seconds,
            "timeout_seconds": timeout_seconds,
            "tags": list(tags),
            "concurrency_limit": concurrency_limit,
            "paused": paused,
            "retention_days": retention_days,
            "keep_last": keep_last,
        }
        if work_pool_name is not None:
            settings["work_pool_name"] = work_pool_name
        name = name or getattr(target, "name", None) or Path(text.partition(":")[0]).stem
        existing = ops._call(backend.get_deployment, name)
        if existing is None:
            return ops._call(backend.create_deployment, {"name": name, field: path, **settings})
        ops._call(check_same_target, existing, field, path, backend)
        return ops._call(backend.update_deployment, existing["id"], settings)
    except OpsError as exc:
        raise DeploymentError(str(exc)) from None


def deploy_flow(
    flow: Any,
    name: str,
    *,
    work_pool_name: str | None = None,
    work_queue_name: str | None = None,
    job_variables: dict[str, Any] | None = None,
    interval: float | _dt.timedelta | None = None,
    cron: str | None = None,
    paused: bool | None = None,
    concurrency_limit: int | None = None,
    parameters: dict[str, Any] | None = None,
    tags: Iterable[str] | None = None,
) -> uuid.UUID:
    """``Flow.deploy``: Prefect's names over :func:`deploy`; returns the deployment's id.

    The flow runs from its file (no image is built: a worker of the pool imports it)."""
    seconds = interval.total_seconds() if isinstance(interval, _dt.timedelta) else interval
    made = deploy(
        flow,
        name=name,
        cron=cron,
        interval=seconds,
        parameters=parameters,
        work_queue=work_queue_name or "default",
        work_pool_name=work_pool_name,
        job_variables=job_variables,
        tags=tags or (),
        concurrency_limit=concurrency_limit,
        paused=bool(paused),
    )
    return uuid.UUID(made["id"])


def serve(
    *deployments: dict[str, Any] | str,
    concurrency: int = 2,
    warm_kernels: int = 1,
    scheduler_interval: float = 5.0,
    root: str | os.PathLike[str] | None = None,
) -> None:
    """Schedule and run ``deployments`` (as :func:`deploy` returns them, or their names) here
    until interrupted (Ctrl-C or SIGTERM): the scheduler, the reaper, automations and a worker
    on their queues. A run in progress at the end is finished or handed back, never lost."""
    import signal
    import threading

    from ..core.settings import db_url, results_dir
    from ..services.background import Background
    from ..store.database import get_engine
    from .ops import Ops, OpsError

    try:
        ops = Ops(root=root)
        if ops.remote:
            raise DeploymentError(
                "serve() runs deployments from the local store; unset ORCHESTR_LAB_API_URL "
                "(a server already schedules and runs them)"
            )
        found = [ops.deployment(d if isinstance(d, str) else d["name"]) for d in deployments]
    except OpsError as exc:
        raise DeploymentError(str(exc)) from None
    queues = sorted({d.get("work_queue") or "default" for d in found}) or ["default"]
    url = db_url()
    background = Background(
        engine=get_engine(url),
        db_url=url,
        root_dir=ops.root,
        results_dir=results_dir(),
        scheduler_interval=scheduler_interval,
        local_worker_concurrency=concurrency,
        local_worker_queues=queues,
        warm_kernels=warm_kernels,
    )
    stop = threading.Event()
    previous = None
    if threading.current_thread() is threading.main_thread():
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    background.start()
    names = ", ".join(d["name"] for d in found) or "no deployments"
    print(f"orchestr-lab: serving {names} (queues {', '.join(queues)}); Ctrl-C to stop", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        background.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
