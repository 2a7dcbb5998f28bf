"""Deployments, schedules, work queues, workers, events, the scheduler's lease; deployment runs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-05-09

New tables, plus columns on ``flow_runs`` for a deployment run's execution settings (queue,
schedule, heartbeat, notebook/entrypoint, output notebook, timeout, retries), a unique index
on (deployment_id, schedule_id, scheduled_start_time) that makes the scheduler idempotent, and
an index for claims. ``flow_runs`` is only ever ALTERed here (ADD COLUMN, CREATE INDEX), never
rebuilt: on SQLite, rebuilding it would DROP the old table, and with foreign keys on that
deletes every task run, state, log and record that cascades from it. The ``default`` work
queue is created. Written out by hand, like 0001, so later model edits never change it.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RUN_COLUMNS = (
    ("work_queue", sa.String(100)),
    ("schedule_id", sa.String(36)),
    ("heartbeat_at", cols.TS),
    ("notebook", sa.Text()),
    ("entrypoint", sa.Text()),
    ("output_notebook", sa.Text()),
    ("timeout_seconds", sa.Float()),
    ("max_retries", sa.Integer()),
    ("retry_delay_seconds", sa.Float()),
)


def upgrade() -> None:
    op.create_table(
        "deployments",
        cols.id_column(),
        cols.name_column(200),
        sa.Column("notebook", sa.Text(), nullable=True),
        sa.Column("entrypoint", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=True),
        sa.Column("work_queue", sa.String(100), nullable=False, server_default=sa.text("'default'")),
        sa.Column("retries", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("retry_delay_seconds", sa.Float(), nullable=False, server_default=sa.text("0")),
        sa.Column("timeout_seconds", sa.Float(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=True),
        sa.Column("concurrency_limit", sa.Integer(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()),
        *cols.timestamps(),
        cols.primary_key("deployments"),
        cols.unique("deployments", "name"),
    )
    op.create_table(
        "deployment_schedules",
        cols.id_column(),
        cols.fk_column("deployment_id", "deployment_schedules", "deployments", nullable=False, ondelete="CASCADE"),
        sa.Column("cron", sa.String(255), nullable=True),
        sa.Column("interval_seconds", sa.Float(), nullable=True),
        sa.Column("anchor", cols.TS, nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False, server_default=sa.text("'UTC'")),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("parameters", sa.JSON(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False, server_default=sa.text("0")),
        cols.primary_key("deployment_schedules"),
    )
    op.create_index("ix_deployment_schedules_deployment_id", "deployment_schedules", ["deployment_id"])
    op.create_table(
        "work_queues",
        cols.name_column(100),
        sa.Column("concurrency_limit", sa.Integer(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created", cols.TS, nullable=False),
        cols.primary_key("work_queues", "name"),
    )
    op.create_table(
        "workers",
        cols.name_column(255),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("queues", sa.JSON(), nullable=True),
        sa.Column("last_seen", cols.TS, nullable=False),
        cols.primary_key("workers", "name"),
    )
    op.create_table(
        "events",
        cols.serial_id(),
        sa.Column("occurred", cols.TS, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(255), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        cols.primary_key("events"),
    )
    op.create_table(
        "scheduler_lock",
        cols.name_column(64),
        sa.Column("holder", sa.String(255), nullable=True),
        sa.Column("expires", cols.TS, nullable=True),
        cols.primary_key("scheduler_lock", "name"),
    )

    for name, type_ in _RUN_COLUMNS:
        op.add_column("flow_runs", sa.Column(name, type_, nullable=True))
    op.create_index(
        "uq_flow_runs_schedule_slot",
        "flow_runs",
        ["deployment_id", "schedule_id", "scheduled_start_time"],
        unique=True,
    )
    op.create_index("ix_flow_runs_claim", "flow_runs", ["state_type", "work_queue", "scheduled_start_time"])

    queues = sa.table(
        "work_queues",
        sa.column("name", sa.String(100)),
        sa.column("paused", sa.Boolean()),
        sa.column("created", cols.TS),
    )
    op.bulk_insert(queues, [{"name": "default", "paused": False, "created": _dt.datetime.now(_dt.timezone.utc)}])


def downgrade() -> None:
    op.drop_index("ix_flow_runs_claim", table_name="flow_runs")
    op.drop_index("uq_flow_runs_schedule_slot", table_name="flow_runs")
    bind = op.get_bind()
    for name, _ in reversed(_RUN_COLUMNS):
        if bind.dialect.name == "sqlite":
            # Native DROP COLUMN (SQLite >= 3.35), not alembic's batch rebuild: see the docstring.
            bind.exec_driver_sql(f'ALTER TABLE flow_runs DROP COLUMN "{name}"')
        else:
            op.drop_column("flow_runs", name)
    for table in ("scheduler_lock", "events", "workers", "work_queues", "deployment_schedules", "deployments"):
        op.drop_table(table)
