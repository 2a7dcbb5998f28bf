"""Background task runs: what ``Task.delay()`` leaves for a task worker.

Revision ID: 0014_background_tasks
Revises: 0009_read_indexes
Create Date: 2026-12-06

One new table. A row is SCHEDULED until a task worker serving its ``task_key`` claims it
(a compare-and-set on the state), then RUNNING, then final with its ``result``. The index on
``(task_key, state_type, created)`` is the claim's: the oldest SCHEDULED run of a key.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0014_background_tasks"
down_revision: str | None = "0013_assets_events"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "background_task_runs",
        cols.id_column(),
        sa.Column("task_key", sa.String(255), nullable=False),
        cols.name_column(255),
        sa.Column("parameters", sa.JSON(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=True),
        *cols.state_columns(),
        sa.Column("worker_name", sa.String(255), nullable=True),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("start_time", cols.TS, nullable=True),
        sa.Column("end_time", cols.TS, nullable=True),
        *cols.timestamps(),
        cols.primary_key("background_task_runs"),
    )
    op.create_index(
        "ix_background_task_runs_task_key_state_type_created",
        "background_task_runs",
        ["task_key", "state_type", "created"],
    )


def downgrade() -> None:
    op.drop_index("ix_background_task_runs_task_key_state_type_created", table_name="background_task_runs")
    op.drop_table("background_task_runs")
