"""Deployments may keep their finished runs longer or shorter than the server does.

Revision ID: 0008_retention
Revises: 0007
Create Date: 2026-12-06

Two nullable columns on ``deployments`` (NULL: the server's setting applies):
``retention_days``, how long its finished runs are kept, and ``keep_last``, how many of its
newest finished runs are kept whatever their age. Two indexes let retention find a run's
subflow runs (``flow_runs.parent_task_run_id``) and its automation firings
(``automation_firings.flow_run_id``) without reading whole tables. Nothing existing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_retention"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = ("retention_days", "keep_last")
_INDEXES = (
    ("ix_flow_runs_parent_task_run_id", "flow_runs", "parent_task_run_id"),
    ("ix_automation_firings_flow_run_id", "automation_firings", "flow_run_id"),
)


def upgrade() -> None:
    for column in _COLUMNS:
        op.add_column("deployments", sa.Column(column, sa.Integer(), nullable=True))
    for name, table, column in _INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _ in _INDEXES:
        op.drop_index(name, table_name=table)
    bind = op.get_bind()
    for column in _COLUMNS:
        if bind.dialect.name == "sqlite":  # native DROP COLUMN, no table rebuild (as in 0003)
            bind.exec_driver_sql(f'ALTER TABLE deployments DROP COLUMN "{column}"')
        else:
            op.drop_column("deployments", column)
