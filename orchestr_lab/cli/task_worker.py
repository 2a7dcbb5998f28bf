"""``orchestr-lab task-worker TASK...``: run the background task runs of these tasks (``Task.delay``).

Each TASK is ``module:task`` (imported as ``import module``, with the current folder on the path)
or ``path/to/file.py:task`` (the file imported as the module named after it, ``file``), so the
tasks' keys are those of a program that did ``from module import task`` before calling
``task.delay(...)``. Ctrl-C (or SIGTERM) stops claiming; runs under way finish.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import signal
import sys
from pathlib import Path
from typing import Any

import click

from ..core.settings import ENV_API_URL
from ._options import int_option, token_option
from ._root import CliState, UserError

__all__ = ["load_task", "task_worker"]


def load_task(spec: str) -> Any:
    """The task ``spec`` names; :class:`UserError` saying what is wrong otherwise."""
    where, sep, name = spec.rpartition(":")
    if not sep or not where or not name.isidentifier():
        raise UserError(f"a task is 'module:task' or 'path/to/file.py:task', not {spec!r}")
    if "." not in sys.path and "" not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = _load_file(Path(where)) if where.endswith(".py") else importlib.import_module(where)
    except (ImportError, OSError) as exc:
        raise UserError(f"cannot load {where!r}: {exc}") from None
    task = getattr(module, name, None)
    if task is None or not hasattr(task, "task_key"):
        raise UserError(f"{where} has no task named {name!r} (a function decorated with @task)")
    return task


def _load_file(path: Path) -> Any:
    path = path.absolute()
    if not path.is_file():
        raise OSError(f"no such file: {path}")
    folder = str(path.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    if path.stem in sys.modules:
        return sys.modules[path.stem]
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"{path} is not a Python file")
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


@click.command("task-worker")
@click.argument("tasks", nargs=-1, required=True, metavar="TASK...")
@int_option("--limit", default=10, minimum=1, help="Background task runs executed at the same time.")
@click.option(
    "--api",
    "api_url",
    envvar=ENV_API_URL,
    metavar="URL",
    help="Reach the store only through the server at URL: a task worker on another machine "
    "[env: ORCHESTR_LAB_API_URL].",
)
@token_option
@click.pass_obj
def task_worker(state: CliState, tasks: tuple[str, ...], limit: int, api_url: str | None, token: str | None) -> None:
    """Run the background task runs (Task.delay) of TASK... until stopped."""
    from ..sdk.task_worker import TaskWorker

    if api_url:
        from ._remote import connect_worker_api

        os.environ[ENV_API_URL] = connect_worker_api(api_url, token)
    else:
        state.engine()  # a bad --db-url fails here, with one line
    worker = TaskWorker(*(load_task(t) for t in tasks), limit=limit)
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    worker.start()
