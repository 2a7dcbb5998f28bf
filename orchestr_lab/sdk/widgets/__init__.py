"""Notebook widgets (ipywidgets 8): a flow run live, recent runs, a deployment.

Importing this package imports ipywidgets; ``import orchestr_lab`` never does.
"""

from __future__ import annotations

from .deployment import DeploymentsWidget, DeploymentWidget
from .flow_run import FlowRunWidget
from .runs import RunsWidget, RunWidget

__all__ = ["DeploymentWidget", "DeploymentsWidget", "FlowRunWidget", "RunWidget", "RunsWidget"]
