"""A work pool's concurrency limit: how many of its runs may be active at once.

Revision ID: 0017_pool_concurrency
Revises: 0016_work_pools
Create Date: 2026-12-06

One nullable column on ``work_pools`` (None: no limit), added without rebuilding the table.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_pool_concurrency"
down_revision: str | None = "0016_work_pools"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("work_pools", sa.Column("concurrency_limit", sa.Integer(), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # native DROP COLUMN, no table rebuild (as in 0008)
        bind.exec_driver_sql('ALTER TABLE work_pools DROP COLUMN "concurrency_limit"')
    else:
        op.drop_column("work_pools", "concurrency_limit")
