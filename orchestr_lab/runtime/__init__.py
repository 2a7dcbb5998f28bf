"""``orchestr_lab.runtime``: the current ``flow_run``, ``task_run`` and ``deployment``.

Each is a module, as in Prefect (``import orchestr_lab.runtime.flow_run``), whose attributes
(``flow_run.id``, ``task_run.name``, ...) are read from the current run when accessed.
"""

from . import deployment, flow_run, task_run

__all__ = ["deployment", "flow_run", "task_run"]
