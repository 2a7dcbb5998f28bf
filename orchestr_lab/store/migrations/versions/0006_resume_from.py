"""Flow runs remember where a retry may resume a failed notebook run.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23

One nullable JSON column, ``flow_runs.resume_from``: the failing cell and the file holding the
kernel's state saved when it failed. Nothing existing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("flow_runs", sa.Column("resume_from", sa.JSON(), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # native DROP COLUMN, no table rebuild (as in 0003)
        bind.exec_driver_sql('ALTER TABLE flow_runs DROP COLUMN "resume_from"')
    else:
        op.drop_column("flow_runs", "resume_from")
