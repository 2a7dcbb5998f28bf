"""Concurrency limits by tag, automations and the record of what each automation fired.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

Only new tables. ``automation_firings`` has one row per (automation, flow run, attempt, state):
its primary key is what makes an automation fire once for a run's end even when several
servers share the database.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "concurrency_limits",
        sa.Column("tag", sa.String(255), nullable=False),
        sa.Column("concurrency_limit", sa.Integer(), nullable=False),
        *cols.timestamps(),
        cols.primary_key("concurrency_limits", "tag"),
    )
    op.create_table(
        "automations",
        cols.id_column(),
        cols.name_column(200),
        cols.fk_column("deployment_id", "automations", "deployments", nullable=False, ondelete="CASCADE"),
        sa.Column("states", sa.JSON(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("webhook_url", sa.Text(), nullable=True),
        cols.fk_column("target_deployment_id", "automations", "deployments", nullable=True, ondelete="CASCADE"),
        sa.Column("parameters", sa.JSON(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        *cols.timestamps(),
        cols.primary_key("automations"),
        cols.unique("automations", "name"),
    )
    op.create_index("ix_automations_deployment_id", "automations", ["deployment_id"])
    op.create_table(
        "automation_firings",
        cols.fk_column("automation_id", "automation_firings", "automations", nullable=False, ondelete="CASCADE"),
        sa.Column("flow_run_id", sa.String(36), nullable=False),
        sa.Column("run_count", sa.Integer(), nullable=False),
        sa.Column("state_type", sa.String(16), nullable=False),
        sa.Column("fired", cols.TS, nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("triggered_run_id", sa.String(36), nullable=True),
        cols.primary_key("automation_firings", "automation_id", "flow_run_id", "run_count", "state_type"),
    )


def downgrade() -> None:
    op.drop_table("automation_firings")
    op.drop_index("ix_automations_deployment_id", table_name="automations")
    op.drop_table("automations")
    op.drop_table("concurrency_limits")
