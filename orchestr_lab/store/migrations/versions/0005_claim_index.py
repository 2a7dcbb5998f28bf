"""The claim index covers the claim order, so a claim reads one index entry, not every due run.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23

Claims take the oldest due run by (scheduled_start_time, created, id). The 0003 index stopped
at scheduled_start_time, so runs due at the same moment (a burst, a backfill) were sorted on
every claim: PostgreSQL read and sorted all of them, ~3 ms per claim with 2,000 due runs.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD = ["state_type", "work_queue", "scheduled_start_time"]
_NEW = [*_OLD, "created", "id"]


def upgrade() -> None:
    op.drop_index("ix_flow_runs_claim", table_name="flow_runs")
    op.create_index("ix_flow_runs_claim", "flow_runs", _NEW)


def downgrade() -> None:
    op.drop_index("ix_flow_runs_claim", table_name="flow_runs")
    op.create_index("ix_flow_runs_claim", "flow_runs", _OLD)
