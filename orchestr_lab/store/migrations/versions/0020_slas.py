"""Deployment SLAs and notifying automations.

Revision ID: 0020_slas
Revises: 0018_flow_run_input
Create Date: 2026-12-06

Deployments gain two optional SLAs: ``max_duration_seconds`` (a run still RUNNING past it) and
``freshness_seconds`` (no COMPLETED run for that long). ``sla_breaches`` holds one row per breach
noticed, so its event is emitted once: per run for a run too long, and per last COMPLETED run for
a stale deployment. Automations gain ``email_to``, the addresses a ``notify`` action mails.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0020_slas"
down_revision: str | None = "0019_sweeps"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ADDED = (
    ("deployments", sa.Column("max_duration_seconds", sa.Integer(), nullable=True)),
    ("deployments", sa.Column("freshness_seconds", sa.Integer(), nullable=True)),
    ("automations", sa.Column("email_to", sa.JSON(), nullable=True)),
)


def upgrade() -> None:
    for table, column in _ADDED:
        op.add_column(table, column)
    op.create_table(
        "sla_breaches",
        cols.fk_column("deployment_id", "sla_breaches", "deployments", nullable=False, ondelete="CASCADE"),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("breached", cols.TS, nullable=False),
        cols.primary_key("sla_breaches", "deployment_id", "kind", "key"),
    )


def downgrade() -> None:
    op.drop_table("sla_breaches")
    bind = op.get_bind()
    for table, column in _ADDED:
        if bind.dialect.name == "sqlite":  # native DROP COLUMN, no table rebuild (as in 0008)
            bind.exec_driver_sql(f'ALTER TABLE {table} DROP COLUMN "{column.name}"')
        else:
            op.drop_column(table, column.name)
