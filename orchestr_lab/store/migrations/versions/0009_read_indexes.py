"""Run lists read their pages off an index, whatever they filter on.

Revision ID: 0009_read_indexes
Revises: 0008_retention
Create Date: 2026-12-06

Run lists are newest first, ``ORDER BY created DESC, id DESC``. With one index per column
(state_type, flow_name, deployment_id, created), a filtered page found its runs by the filter's
index and then sorted every match: ``?state=COMPLETED`` sorted 180,000 runs of 200,000 for 50.
Each filter now has an index ending in ``(created, id)``, so a page, and the next one after a
cursor, is a walk down one index. ``flow_name`` is served by ``(flow_id, created, id)`` (a
run's flow name is its flow's), which also gives a flow its latest run; ``(deployment_id,
start_time)`` gives a deployment its latest started run without reading all its runs. A time
window (``start_after``/``start_before``) filters on when a run happened, ``coalesce(start_time,
scheduled_start_time, created)``: an index on that expression, then ``(created, id)``, finds a
narrow window's runs without walking every run since (``store/run_pages.py`` picks it when the
window holds few).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_read_indexes"
down_revision: str | None = "0008_retention"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = [["state_type"], ["flow_name"], ["deployment_id"], ["created"]]
_NEW = [
    ["created", "id"],
    ["state_type", "created", "id"],
    ["deployment_id", "created", "id"],
    ["flow_id", "created", "id"],
    ["deployment_id", "start_time"],
]


def _name(columns: list[str]) -> str:
    return "ix_flow_runs_" + "_".join(columns)


_RUN_TIME = "ix_flow_runs_run_time_created_id"


def upgrade() -> None:
    for columns in _NEW:
        op.create_index(_name(columns), "flow_runs", columns)
    run_time = sa.text("coalesce(start_time, scheduled_start_time, created)")
    op.create_index(_RUN_TIME, "flow_runs", [run_time, "created", "id"])
    for columns in _OLD:
        op.drop_index(_name(columns), table_name="flow_runs")


def downgrade() -> None:
    for columns in _OLD:
        op.create_index(_name(columns), "flow_runs", columns)
    op.drop_index(_RUN_TIME, table_name="flow_runs")
    for columns in _NEW:
        op.drop_index(_name(columns), table_name="flow_runs")
