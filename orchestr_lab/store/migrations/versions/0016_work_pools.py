"""Work pools: queues grouped under a type and base job variables; job variables on
deployments and runs.

Revision ID: 0016_work_pools
Revises: 0014_background_tasks
Create Date: 2026-12-06

A new table ``work_pools`` with the ``default`` pool (type ``process``); every existing queue
belongs to it (``work_queues.work_pool_name`` defaults to ``'default'``). Deployments get their
pool and ``job_variables``, runs their own ``job_variables`` overrides: columns added without
rebuilding a table.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0016_work_pools"
down_revision: str | None = "0014_background_tasks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ADDED = (
    ("work_queues", sa.Column("work_pool_name", sa.String(255), nullable=False, server_default=sa.text("'default'"))),
    ("deployments", sa.Column("work_pool_name", sa.String(255), nullable=True)),
    ("deployments", sa.Column("job_variables", sa.JSON(), nullable=True)),
    ("flow_runs", sa.Column("job_variables", sa.JSON(), nullable=True)),
)


def upgrade() -> None:
    pools = op.create_table(
        "work_pools",
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("base_job_variables", sa.JSON(), nullable=True),
        sa.Column("paused", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created", cols.TS, nullable=False),
        cols.primary_key("work_pools", "name"),
    )
    now = _dt.datetime.now(_dt.timezone.utc)
    default = {"name": "default", "type": "process", "base_job_variables": {}, "paused": False, "created": now}
    op.bulk_insert(pools, [default])
    for table, column in _ADDED:
        op.add_column(table, column)
    op.create_index("ix_work_queues_work_pool_name", "work_queues", ["work_pool_name"])


def downgrade() -> None:
    op.drop_index("ix_work_queues_work_pool_name", table_name="work_queues")
    bind = op.get_bind()
    for table, column in reversed(_ADDED):
        if bind.dialect.name == "sqlite":  # native DROP COLUMN, no table rebuild (as in 0008)
            bind.exec_driver_sql(f'ALTER TABLE {table} DROP COLUMN "{column.name}"')
        else:
            op.drop_column(table, column.name)
    op.drop_table("work_pools")
