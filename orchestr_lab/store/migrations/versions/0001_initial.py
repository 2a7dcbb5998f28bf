"""Initial schema: flows, flow runs, task runs, state history, logs, recorded outputs.

Revision ID: 0001
Revises:
Create Date: 2026-05-09

Written out by hand (not from the models) so that later model edits never change what this
revision creates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TS = sa.DateTime(timezone=True)
_BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _state_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("state_type", sa.String(16), nullable=True),
        sa.Column("state_name", sa.String(64), nullable=True),
        sa.Column("state_message", sa.Text(), nullable=True),
        sa.Column("state_timestamp", _TS, nullable=True),
    ]


def _fk_run(name: str, table: str, target: str) -> sa.Column[Any]:
    return sa.Column(
        name,
        sa.String(36),
        sa.ForeignKey(f"{target}.id", name=f"fk_{table}_{name}_{target}", ondelete="CASCADE"),
        nullable=True,
    )


def upgrade() -> None:
    op.create_table(
        "flows",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("created", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_flows"),
        sa.UniqueConstraint("name", name="uq_flows_name"),
    )
    op.create_table(
        "flow_runs",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column(
            "flow_id",
            sa.String(36),
            sa.ForeignKey("flows.id", name="fk_flow_runs_flow_id_flows"),
            nullable=False,
        ),
        sa.Column("flow_name", sa.String(255), nullable=False),
        sa.Column("deployment_id", sa.String(36), nullable=True),
        sa.Column("parent_task_run_id", sa.String(36), nullable=True),
        sa.Column("parameters", sa.JSON(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=True),
        *_state_columns(),
        sa.Column("start_time", _TS, nullable=True),
        sa.Column("end_time", _TS, nullable=True),
        sa.Column("run_count", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("scheduled_start_time", _TS, nullable=True),
        sa.Column("created", _TS, nullable=False),
        sa.Column("updated", _TS, nullable=False),
        sa.Column("worker_name", sa.String(255), nullable=True),
        sa.Column("worker_type", sa.String(64), nullable=True),
        sa.Column("result_key", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_flow_runs"),
    )
    for column in ("state_type", "flow_name", "deployment_id", "created"):
        op.create_index(f"ix_flow_runs_{column}", "flow_runs", [column])

    op.create_table(
        "task_runs",
        sa.Column("id", sa.String(36), nullable=False),
        _fk_run("flow_run_id", "task_runs", "flow_runs"),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("task_key", sa.String(255), nullable=False),
        sa.Column("dynamic_key", sa.String(64), nullable=False),
        sa.Column("cache_key", sa.Text(), nullable=True),
        sa.Column("tags", sa.JSON(), nullable=True),
        *_state_columns(),
        sa.Column("start_time", _TS, nullable=True),
        sa.Column("end_time", _TS, nullable=True),
        sa.Column("run_count", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("result_key", sa.Text(), nullable=True),
        sa.Column("created", _TS, nullable=False),
        sa.Column("updated", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_task_runs"),
    )
    op.create_index("ix_task_runs_flow_run_id", "task_runs", ["flow_run_id"])

    op.create_table(
        "run_states",
        sa.Column("id", _BIGID, autoincrement=True, nullable=False),
        _fk_run("flow_run_id", "run_states", "flow_runs"),
        _fk_run("task_run_id", "run_states", "task_runs"),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("message", sa.Text(), nullable=True),
        sa.Column("timestamp", _TS, nullable=False),
        sa.Column("details", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_run_states"),
    )
    op.create_index("ix_run_states_flow_run_id", "run_states", ["flow_run_id"])
    op.create_index("ix_run_states_task_run_id", "run_states", ["task_run_id"])

    op.create_table(
        "logs",
        sa.Column("id", _BIGID, autoincrement=True, nullable=False),
        _fk_run("flow_run_id", "logs", "flow_runs"),
        sa.Column("task_run_id", sa.String(36), nullable=True),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("logger_name", sa.String(255), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("timestamp", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_logs"),
    )
    op.create_index("ix_logs_flow_run_id", "logs", ["flow_run_id"])

    op.create_table(
        "recorded",
        sa.Column("id", _BIGID, autoincrement=True, nullable=False),
        _fk_run("flow_run_id", "recorded", "flow_runs"),
        sa.Column("task_run_id", sa.String(36), nullable=True),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("repr", sa.Text(), nullable=False),
        sa.Column("timestamp", _TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_recorded"),
    )
    op.create_index("ix_recorded_flow_run_id", "recorded", ["flow_run_id"])


def downgrade() -> None:
    for table in ("recorded", "logs", "run_states", "task_runs", "flow_runs", "flows"):
        op.drop_table(table)
