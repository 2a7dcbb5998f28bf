"""Artifacts: what a run shows its user (markdown, tables, links, images, progress).

Revision ID: 0010_artifacts
Revises: 0009_read_indexes
Create Date: 2026-12-06

One table, ``artifacts``. Rows sharing a ``key`` are that key's versions (the newest is the
latest); ``flow_run_id`` and ``task_run_id`` say which run made one (both may be empty). Three
indexes: every artifact newest first ``(created, id)``, a run's ``(flow_run_id, created, id)``,
and a key's versions ``(key, updated, id)``. No foreign keys (see ``store/models.py``).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0010_artifacts"
down_revision: str | None = "0009_read_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = (["created", "id"], ["flow_run_id", "created", "id"], ["key", "updated", "id"])


def upgrade() -> None:
    op.create_table(
        "artifacts",
        cols.id_column(),
        sa.Column("key", sa.String(255), nullable=True),
        sa.Column("type", sa.String(64), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        sa.Column("meta", sa.JSON(), nullable=True),
        sa.Column("flow_run_id", sa.String(36), nullable=True),
        sa.Column("task_run_id", sa.String(36), nullable=True),
        *cols.timestamps(),
        cols.primary_key("artifacts"),
    )
    for columns in _INDEXES:
        op.create_index(f"ix_artifacts_{'_'.join(columns)}", "artifacts", columns)


def downgrade() -> None:
    for columns in _INDEXES:
        op.drop_index(f"ix_artifacts_{'_'.join(columns)}", table_name="artifacts")
    op.drop_table("artifacts")
