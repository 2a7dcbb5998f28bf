"""Sweeps: one deployment run over many parameter sets, at most ``max_parallel`` at once.

Revision ID: 0019_sweeps
Revises: 0018_flow_run_input
Create Date: 2026-12-06

A new table ``sweeps`` (the deployment, its name when the sweep was made, the cap, the
parameter names, when it was cancelled or finished); ``flow_runs`` gains ``sweep_id`` and
``sweep_index`` (a member's place in its sweep), indexed together so claims count a sweep's
active members and a sweep reads its members in order.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0019_sweeps"
down_revision: str | None = "0018_flow_run_input"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ADDED = (
    sa.Column("sweep_id", sa.String(36), nullable=True),
    sa.Column("sweep_index", sa.Integer(), nullable=True),
)


def upgrade() -> None:
    op.create_table(
        "sweeps",
        cols.id_column(),
        sa.Column("deployment_id", sa.String(36), nullable=False),
        sa.Column("deployment_name", sa.String(200), nullable=False),
        sa.Column("max_parallel", sa.Integer(), nullable=False),
        sa.Column("parameter_names", sa.JSON(), nullable=True),
        sa.Column("created", cols.TS, nullable=False),
        sa.Column("cancelled", cols.TS, nullable=True),
        sa.Column("finished", cols.TS, nullable=True),
        cols.primary_key("sweeps"),
    )
    op.create_index("ix_sweeps_deployment_id_created", "sweeps", ["deployment_id", "created"])
    for column in _ADDED:
        op.add_column("flow_runs", column)
    op.create_index("ix_flow_runs_sweep_id_sweep_index", "flow_runs", ["sweep_id", "sweep_index"])


def downgrade() -> None:
    op.drop_index("ix_flow_runs_sweep_id_sweep_index", table_name="flow_runs")
    bind = op.get_bind()
    for column in reversed(_ADDED):
        if bind.dialect.name == "sqlite":  # native DROP COLUMN, no table rebuild (as in 0008)
            bind.exec_driver_sql(f'ALTER TABLE flow_runs DROP COLUMN "{column.name}"')
        else:
            op.drop_column("flow_runs", column.name)
    op.drop_table("sweeps")
