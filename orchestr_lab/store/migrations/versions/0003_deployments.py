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

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)
_BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

_RUN_COLUMNS = (
    ("work_queue", sa.String(100)),
    ("schedule_id", sa.String(36)),
    ("heartbeat_at", _TS),
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
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
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
        sa.Column("created", _TS, nullable=False),
        sa.Column("updated", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deployments"),
        sa.UniqueConstraint("name", name="uq_deployments_name"),
    )
    op.create_table(
        "deployment_schedules",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column(
            "deployment_id",
            sa.String(36),
            sa.ForeignKey(
                "deployments.id", name="fk_deployment_schedules_deployment_id_deployments", ondelete="CASCADE"
            ),
            nullable=False,
        ),
        sa.Column("cron", sa.String(255), nullable=True),
        sa.Column("interval_seconds", sa.Float(), nullable=True),
        sa.Column("anchor", _TS, nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False, server_default=sa.text("'UTC'")),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("parameters", sa.JSON(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.PrimaryKeyConstraint("id", name="pk_deployment_schedules"),
    )
    op.create_index("ix_deployment_schedules_deployment_id", "deployment_schedules", ["deployment_id"])
    op.create_table(
        "work_queues",
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("concurrency_limit", sa.Integer(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created", _TS, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_work_queues"),
    )
    op.create_table(
        "workers",
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("queues", sa.JSON(), nullable=True),
        sa.Column("last_seen", _TS, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_workers"),
    )
    op.create_table(
        "events",
        sa.Column("id", _BIGID, autoincrement=True, nullable=False),
        sa.Column("occurred", _TS, nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("resource_id", sa.String(255), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_table(
        "scheduler_lock",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("holder", sa.String(255), nullable=True),
        sa.Column("expires", _TS, nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_scheduler_lock"),
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
        sa.column("created", _TS),
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
