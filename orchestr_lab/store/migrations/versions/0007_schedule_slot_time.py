"""A scheduled run keeps the slot it was made for, whatever its retries do to its due time.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

The scheduler's idempotency key was (deployment, schedule, scheduled_start_time), and where a
schedule left off was the latest scheduled_start_time of its runs. But a retry, a rerun or a
hand-back moves a run's scheduled_start_time to when it may run again: one failed run with an
hour's retry delay moved its schedule's cursor an hour ahead (an every-minute schedule went
silent for that hour), and a retry landing on a slot another run already held broke the unique
index (the retry failed). ``flow_runs.slot_time`` is written once, when the scheduler makes the
run, and never changed: the unique index and the cursor use it. Existing schedule runs take
their current scheduled_start_time (unique under the old index, so unique under the new one).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEX = "uq_flow_runs_schedule_slot"


def upgrade() -> None:
    op.add_column("flow_runs", sa.Column("slot_time", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE flow_runs SET slot_time = scheduled_start_time WHERE schedule_id IS NOT NULL")
    op.drop_index(_INDEX, table_name="flow_runs")
    op.create_index(_INDEX, "flow_runs", ["deployment_id", "schedule_id", "slot_time"], unique=True)


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="flow_runs")
    # 0006 keys slots by scheduled_start_time, which a retry may have moved onto another slot's
    # time: each schedule run takes its slot's time back (unique per schedule), so the old index
    # holds again; a retry still waiting becomes due at its slot, i.e. sooner.
    op.execute(
        "UPDATE flow_runs SET scheduled_start_time = slot_time "
        "WHERE slot_time IS NOT NULL AND scheduled_start_time <> slot_time"
    )
    op.create_index(_INDEX, "flow_runs", ["deployment_id", "schedule_id", "scheduled_start_time"], unique=True)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":  # native DROP COLUMN, no table rebuild (as in 0003)
        bind.exec_driver_sql('ALTER TABLE flow_runs DROP COLUMN "slot_time"')
    else:
        op.drop_column("flow_runs", "slot_time")
