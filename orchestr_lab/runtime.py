"""``orchestr_lab.runtime``: the current ``flow_run``, ``task_run`` and ``deployment``."""

from .sdk.runtime import deployment, flow_run, task_run

__all__ = ["deployment", "flow_run", "task_run"]
