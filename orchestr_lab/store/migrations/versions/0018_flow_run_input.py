"""Flow run inputs: keyed JSON values sent to a flow run (``send_input``/``receive_input``).

Revision ID: 0018_flow_run_input
Revises: 0017_pool_concurrency
Create Date: 2026-12-06

A new table ``flow_run_inputs``: one row per (flow run, key), with the JSON value, who sent it
and when; its rows go with their flow run.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0018_flow_run_input"
down_revision: str | None = "0017_pool_concurrency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "flow_run_inputs",
        cols.serial_id(),
        cols.fk_column("flow_run_id", "flow_run_inputs", "flow_runs", nullable=False, ondelete="CASCADE"),
        sa.Column("key", sa.String(255), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("sender", sa.String(255), nullable=True),
        sa.Column("created", cols.TS, nullable=False),
        cols.primary_key("flow_run_inputs"),
        sa.UniqueConstraint("flow_run_id", "key", name="uq_flow_run_inputs_flow_run_id_key"),
    )


def downgrade() -> None:
    op.drop_table("flow_run_inputs")
