"""Prefect-style import path of what the client's create and update calls take."""

from ...sdk.prefect_objects import WorkPoolCreate as WorkPoolCreate, WorkPoolUpdate as WorkPoolUpdate
