"""One attempt of a flow-entrypoint run (``path/to/file.py:flow_name``) under its stored run id.

The file is loaded as a module, the flow found by its function name, and called with the run's
parameters through the flow engine, which adopts the stored run: the flow's task runs, logs and
recorded outputs land on it. Like :func:`.notebook_runner.run_notebook`, the attempt's final
state is returned for the caller to store.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ..core.errors import Pause
from ..core.states import Cancelled, Crashed, Failed, Running, State
from ..engine.drive import run_blocking
from ..engine.flow_engine import FlowRunEngine, as_flow
from .entrypoints import split_entrypoint

__all__ = ["load_flow", "run_entrypoint", "split_entrypoint"]


def load_flow(entrypoint: str, *, root_dir: str | os.PathLike[str] | None = None) -> Any:
    """The flow object an entrypoint names (a plain function is made a flow).

    With ``root_dir`` the file must resolve under it, symlinks included (PathOutsideRoot);
    without, the path is taken as given (relative to the current folder). The file's folder
    goes on ``sys.path`` first so the file can import its neighbours, as it would when run as
    a script. Raises FileNotFoundError / AttributeError / ValueError.
    """
    from .paths import resolve_under_root

    path_text, name = split_entrypoint(entrypoint)
    path = resolve_under_root(root_dir, path_text) if root_dir is not None else Path(path_text).absolute()
    if not path.is_file():
        raise FileNotFoundError(f"No flow file at {path}")
    module_name = "orchestr_lab_entrypoint_" + re.sub(r"\W", "_", path.stem)
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise ValueError(f"Cannot load {path} as Python")
    module = importlib.util.module_from_spec(spec)
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    obj = getattr(module, name, None)
    if obj is None:
        raise AttributeError(f"{path.name} has no flow named {name!r}")
    return as_flow(obj, f"{path.name}:{name}")


def run_entrypoint(
    run: dict[str, Any],
    *,
    db_url: str | None = None,
    root_dir: str | os.PathLike[str] | None = None,
    work_dir: str | os.PathLike[str] | None = None,
) -> State:
    """Execute one attempt of ``run`` (a stored run dict with ``entrypoint`` and ``parameters``).

    The recorder writes to ``db_url`` (set as the process's store for the flow's engine, which
    is why this runs in a worker's child process or a CLI process of its own). A remote worker
    (``db_url`` a server's URL) downloads a flow file that is not under ``root_dir`` into
    ``work_dir`` first (workers/gateway.py).
    """
    from ..core.settings import ENV_DB_URL
    from .gateway import gateway_for
    from .run_environment import apply_job_variables

    apply_job_variables(run, root_dir)
    if db_url:
        os.environ[ENV_DB_URL] = db_url
    gateway = gateway_for(db_url)
    try:
        # The gateway resolves the file under the root now (or fetches the server's copy).
        entrypoint = gateway.entrypoint_for(run, root_dir, work_dir or tempfile.gettempdir())
        flow = load_flow(entrypoint)
    except Exception as exc:
        # Nothing ran: move the run to RUNNING first so the failure is a legal, visible attempt.
        fields: dict[str, Any] = {"run_count": int(run.get("run_count") or 0) + 1}
        if not run.get("start_time"):
            fields["start_time"] = time.time()
        gateway.set_state("flow", run["id"], Running(), fields=fields)
        return Failed(f"Could not load entrypoint {run['entrypoint']!r}: {type(exc).__name__}: {exc}")
    engine = FlowRunEngine(flow, (), dict(run.get("parameters") or {}), flow_run=run)
    try:
        return run_blocking(engine, return_state=True)
    except BaseException as exc:  # the engine already recorded the crash on the run's logs
        if isinstance(exc, Pause) and exc.state is not None:
            return exc.state  # suspended: PAUSED in the store, rerun from the top when resumed
        if isinstance(exc, KeyboardInterrupt):
            return Cancelled("Interrupted (Ctrl-C)")
        return (
            engine.state
            if engine.state is not None and engine.state.is_final()
            else Crashed(f"Execution was interrupted by {type(exc).__name__}")
        )
