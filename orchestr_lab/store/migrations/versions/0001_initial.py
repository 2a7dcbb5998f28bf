"""Initial schema: flows, flow runs, task runs, state history, logs, recorded outputs.

Revision ID: 0001
Revises:
Create Date: 2026-05-09

Written out by hand (not from the models) so that later model edits never change what this
revision creates; the shared columns come from ``migrations/columns.py``, frozen for that reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _run_fk(name: str, table: str, target: str) -> sa.Column[Any]:
    return cols.fk_column(name, table, target, nullable=True, ondelete="CASCADE")


def _run_record(table: str, *columns: sa.Column[Any]) -> None:
    """An append-only table of a flow run's records (serial id, the run, ``columns``), indexed by run."""
    op.create_table(
        table,
        cols.serial_id(),
        _run_fk("flow_run_id", table, "flow_runs"),
        *columns,
        cols.primary_key(table),
    )
    op.create_index(f"ix_{table}_flow_run_id", table, ["flow_run_id"])


def upgrade() -> None:
    op.create_table(
        "flows",
        cols.id_column(),
        cols.name_column(255),
        sa.Column("created", cols.TS, nullable=False),
        cols.primary_key("flows"),
        cols.unique("flows", "name"),
    )
    op.create_table(
        "flow_runs",
        cols.id_column(),
        cols.name_column(255),
        cols.fk_column("flow_id", "flow_runs", "flows", nullable=False),
        sa.Column("flow_name", sa.String(255), nullable=False),
        sa.Column("deployment_id", sa.String(36), nullable=True),
        sa.Column("parent_task_run_id", sa.String(36), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=True),
        *cols.state_columns(),
        *cols.run_times(),
        sa.Column("scheduled_start_time", cols.TS, nullable=True),
        *cols.timestamps(),
        sa.Column("worker_name", sa.String(255), nullable=True),
        sa.Column("worker_type", sa.String(64), nullable=True),
        sa.Column("result_key", sa.Text(), nullable=True),
        cols.primary_key("flow_runs"),
    )
    for column in ("state_type", "flow_name", "deployment_id", "created"):
        op.create_index(f"ix_flow_runs_{column}", "flow_runs", [column])

    op.create_table(
        "task_runs",
        cols.id_column(),
        _run_fk("flow_run_id", "task_runs", "flow_runs"),
        cols.name_column(255),
        sa.Column("task_key", sa.String(255), nullable=False),
        sa.Column("dynamic_key", sa.String(64), nullable=False),
        sa.Column("cache_key", sa.Text(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=True),
        *cols.state_columns(),
        *cols.run_times(),
        sa.Column("result_key", sa.Text(), nullable=True),
        *cols.timestamps(),
        cols.primary_key("task_runs"),
    )
    op.create_index("ix_task_runs_flow_run_id", "task_runs", ["flow_run_id"])

    _run_record(
        "run_states",
        _run_fk("task_run_id", "run_states", "task_runs"),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("timestamp", cols.TS, nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
    )
    op.create_index("ix_run_states_task_run_id", "run_states", ["task_run_id"])
    _run_record(
        "logs",
        sa.Column("task_run_id", sa.String(36), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("logger_name", sa.String(255), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("timestamp", cols.TS, nullable=False),
    )
    _run_record(
        "recorded",
        sa.Column("task_run_id", sa.String(36), nullable=True),
        cols.name_column(255),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("repr", sa.Text(), nullable=False),
        sa.Column("timestamp", cols.TS, nullable=False),
    )


def downgrade() -> None:
    for table in ("recorded", "logs", "run_states", "task_runs", "flow_runs", "flows"):
        op.drop_table(table)
