"""Global concurrency and rate limits, and the leases that hold their slots.

Revision ID: 0012_global_concurrency
Revises: 0009_read_indexes
Create Date: 2026-12-06

Only new tables. ``global_concurrency_limits`` is a named limit of slots taken by
``concurrency()`` and ``rate_limit()``; its ``version`` is the counter every change of
``active_slots`` compares and sets, and ``decay_anchor`` the time a rate limit's slots have
drained from. ``global_concurrency_leases`` holds the slots of one ``concurrency()`` block until
``expires`` (indexed: expired leases are found and their slots handed back).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0012_global_concurrency"
down_revision: str | None = "0011_variables_blocks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _zero(name: str, kind: sa.types.TypeEngine[Any], default: str = "0") -> sa.Column[Any]:
    return sa.Column(name, kind, nullable=False, server_default=sa.text(default))


def upgrade() -> None:
    op.create_table(
        "global_concurrency_limits",
        cols.id_column(),
        cols.name_column(200),
        sa.Column("limit", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        _zero("slot_decay_per_second", sa.Float()),
        _zero("active_slots", sa.Integer()),
        _zero("denied_slots", sa.Integer()),
        _zero("avg_slot_occupancy_seconds", sa.Float(), "2"),
        sa.Column("decay_anchor", cols.TS, nullable=False),
        _zero("version", sa.Integer()),
        *cols.timestamps(),
        cols.primary_key("global_concurrency_limits"),
        cols.unique("global_concurrency_limits", "name"),
    )
    op.create_table(
        "global_concurrency_leases",
        cols.id_column(),
        sa.Column("limit_ids", sa.JSON(), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("holder", sa.JSON(), nullable=True),
        sa.Column("created", cols.TS, nullable=False),
        sa.Column("expires", cols.TS, nullable=False),
        cols.primary_key("global_concurrency_leases"),
    )
    op.create_index("ix_global_concurrency_leases_expires", "global_concurrency_leases", ["expires"])


def downgrade() -> None:
    op.drop_index("ix_global_concurrency_leases_expires", table_name="global_concurrency_leases")
    op.drop_table("global_concurrency_leases")
    op.drop_table("global_concurrency_limits")
