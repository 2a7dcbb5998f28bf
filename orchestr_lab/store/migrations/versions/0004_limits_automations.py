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

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "concurrency_limits",
        sa.Column("tag", sa.String(255), nullable=False),
        sa.Column("concurrency_limit", sa.Integer(), nullable=False),
        sa.Column("created", _TS, nullable=False),
        sa.Column("updated", _TS, nullable=False),
        sa.PrimaryKeyConstraint("tag", name="pk_concurrency_limits"),
    )
    op.create_table(
        "automations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column(
            "deployment_id",
            sa.String(36),
            sa.ForeignKey("deployments.id", name="fk_automations_deployment_id_deployments", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("states", sa.JSON(), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("webhook_url", sa.Text(), nullable=True),
        sa.Column(
            "target_deployment_id",
            sa.String(36),
            sa.ForeignKey("deployments.id", name="fk_automations_target_deployment_id_deployments", ondelete="CASCADE"),
            nullable=True,
        ),
        sa.Column("parameters", sa.JSON(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created", _TS, nullable=False),
        sa.Column("updated", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_automations"),
        sa.UniqueConstraint("name", name="uq_automations_name"),
    )
    op.create_index("ix_automations_deployment_id", "automations", ["deployment_id"])
    op.create_table(
        "automation_firings",
        sa.Column(
            "automation_id",
            sa.String(36),
            sa.ForeignKey("automations.id", name="fk_automation_firings_automation_id_automations", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("flow_run_id", sa.String(36), nullable=False),
        sa.Column("run_count", sa.Integer(), nullable=False),
        sa.Column("state_type", sa.String(16), nullable=False),
        sa.Column("fired", _TS, nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("triggered_run_id", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint(
            "automation_id", "flow_run_id", "run_count", "state_type", name="pk_automation_firings"
        ),
    )


def downgrade() -> None:
    op.drop_table("automation_firings")
    op.drop_index("ix_automations_deployment_id", table_name="automations")
    op.drop_table("automations")
    op.drop_table("concurrency_limits")
