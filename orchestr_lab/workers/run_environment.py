"""A run's identity as environment variables, for the kernel or process that executes it.

The run's job variables (``run["job_variables"]``, resolved over its pool's and deployment's
when claimed) add their ``env``, below the identity, and may name the folder it runs in.

``record()`` and ``orchestr_lab.runtime`` inside a notebook have no flow context: they learn
which run they belong to from these variables (``core.settings.RUN_IDENTITY``). A cold kernel
starts with them (:func:`kernel_environment`); a warm kernel, started before its run was known,
gets them set by ``warm_kernel.setup_code`` (:func:`run_environment`).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ..core.settings import (
    ENV_DB_URL,
    ENV_DEPLOYMENT_ID,
    ENV_DEPLOYMENT_NAME,
    ENV_DEPLOYMENT_PARAMETERS,
    ENV_FLOW_NAME,
    ENV_FLOW_RUN_COUNT,
    ENV_FLOW_RUN_ID,
    ENV_FLOW_RUN_NAME,
    ENV_FLOW_RUN_PARAMETERS,
    ENV_SCHEDULED_START_TIME,
    RUN_IDENTITY,
)

__all__ = ["apply_job_variables", "job_working_dir", "kernel_environment", "run_environment"]


def run_environment(run: dict[str, Any], db_url: str) -> dict[str, str | None]:
    """The run's job ``env`` and its identity as environment variables (None: must be unset), so
    ``record()`` and ``orchestr_lab.runtime`` inside the notebook know which run they belong to."""
    values: dict[str, Any] = dict(_job_variables(run).get("env") or {})
    values.update(dict.fromkeys(RUN_IDENTITY))
    values.update(
        {
            ENV_FLOW_RUN_ID: run["id"],
            ENV_FLOW_RUN_NAME: run.get("name"),
            ENV_FLOW_NAME: run.get("flow_name"),
            ENV_FLOW_RUN_PARAMETERS: json.dumps(run.get("parameters") or {}, default=str),
            ENV_FLOW_RUN_COUNT: int(run.get("run_count") or 0) + 1,
            ENV_SCHEDULED_START_TIME: run.get("scheduled_start_time"),
            ENV_DEPLOYMENT_ID: run.get("deployment_id"),
            ENV_DEPLOYMENT_NAME: run.get("deployment_name"),
            ENV_DB_URL: db_url,
        }
    )
    if run.get("deployment_parameters") is not None:
        values[ENV_DEPLOYMENT_PARAMETERS] = json.dumps(run["deployment_parameters"], default=str)
    return {k: None if v is None else str(v) for k, v in values.items()}


def kernel_environment(run: dict[str, Any] | None, db_url: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """A kernel's whole environment: ours (``base``) with the run's identity, never another
    run's. Without ``run``: the neutral environment a warm kernel starts with."""
    env = dict(os.environ if base is None else base)
    for name in RUN_IDENTITY:  # never inherit another run's identity
        env.pop(name, None)
    env[ENV_DB_URL] = db_url
    if run is not None:
        env.update({k: v for k, v in run_environment(run, db_url).items() if v is not None})
    return env


def _job_variables(run: dict[str, Any] | None) -> dict[str, Any]:
    return (run or {}).get("job_variables") or {}


def job_working_dir(run: dict[str, Any], root_dir: str | os.PathLike[str] | None) -> Path | None:
    """The folder the run's job variables name (relative: under ``root_dir``), or None."""
    folder = _job_variables(run).get("working_dir")
    if not folder:
        return None
    path = Path(folder).expanduser()
    return path if path.is_absolute() else Path(root_dir or os.getcwd()) / path


def apply_job_variables(run: dict[str, Any], root_dir: str | os.PathLike[str] | None) -> None:
    """In a process that executes one run (a flow entrypoint in the worker's child): its job
    ``env`` into this process's environment and its working directory as the current one."""
    os.environ.update(_job_variables(run).get("env") or {})
    folder = job_working_dir(run, root_dir)
    if folder is not None:
        os.chdir(folder)
