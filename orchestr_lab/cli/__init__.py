"""The ``orchestr-lab`` command: inspect and steer runs from a shell, a CI job or cron.

Layout, so later commands slot in without touching the existing ones:

- :mod:`._root` holds the root group (global options, error handling) and :func:`main`, the
  console-script entry point (``orchestr_lab.cli:main``).
- Each command group is its own module here (``db.py``, ``runs.py``; later ``run.py``,
  ``deploy.py``, ``worker.py``, ``server.py``) and is listed in :data:`COMMANDS`. Modules are
  imported only when their command is used, so ``orchestr-lab runs ls`` never pays for
  papermill or jupyter_server; each module also imports the store and rich inside commands.
- :mod:`._output` has the shared formatting: a rich table on a terminal, plain tab-separated
  lines when piped, JSON with ``--json``.
- :mod:`._options` declares the options several commands share (``-p``, ``--json``, ``--retries``,
  ...) once; :mod:`._api` adds ``--api``/``--token``/``--root`` and hands the command its backend.
- Any :class:`~orchestr_lab.core.errors.OrchestrLabError` is a user-facing problem: it becomes
  ``error: <one line>`` on stderr and exit 1, never a traceback.
"""

from __future__ import annotations

from ._root import COMMANDS, CliState, UserError, cli, main

COMMANDS.update(
    {
        "artifacts": "orchestr_lab.cli.artifacts:artifacts",
        "concurrency-limits": "orchestr_lab.cli.concurrency_limits:concurrency_limits",
        "assets": "orchestr_lab.cli.assets:assets",
        "db": "orchestr_lab.cli.db:db",
        "deploy": "orchestr_lab.cli.deploy:deploy",
        "deployments": "orchestr_lab.cli.deployments:deployments",
        "run": "orchestr_lab.cli.run:run",
        "runs": "orchestr_lab.cli.runs:runs",
        "server": "orchestr_lab.cli.server:server",
        "task-worker": "orchestr_lab.cli.task_worker:task_worker",
        "worker": "orchestr_lab.cli.worker:worker",
        "variables": "orchestr_lab.cli.variables:variables",
        "blocks": "orchestr_lab.cli.blocks:blocks",
        "work-pools": "orchestr_lab.cli.work_pools:work_pools",
        "sweeps": "orchestr_lab.cli.sweeps:sweeps",
    }
)

__all__ = ["COMMANDS", "CliState", "UserError", "cli", "main"]
