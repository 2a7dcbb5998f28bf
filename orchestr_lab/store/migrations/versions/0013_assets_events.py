"""Assets and their lineage; events any code emits; automations triggered by an event.

Revision ID: 0013_assets_events
Revises: 0009_read_indexes
Create Date: 2026-12-06

``assets`` holds one row per asset key (its properties and the latest materialization's
metadata); it outlives every run. ``asset_materializations`` (a task run materialized an asset)
and ``asset_dependencies`` (a run read ``upstream_key`` to make ``downstream_key``) belong to
their flow run and go with it. Events emitted by user code carry Prefect's names and resource
ids, longer than the store's own: ``events.kind`` and ``events.resource_id`` widen to 1024.
An automation may now react to an event (``event``, ``event_resource`` patterns) instead of a
deployment's run, so its ``deployment_id`` becomes optional; ``event_cursor`` is the last event
it looked at, and ``automation_event_firings`` makes each (automation, event) fire once.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0013_assets_events"
down_revision: str | None = "0012_global_concurrency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_KEY = sa.String(512)
_EVENT_COLUMNS = ("event", "event_resource")
_FIRING_COLUMNS = ("automation_id", "flow_run_id", "run_count", "state_type", "fired", "outcome", "triggered_run_id")


def _run_ref(table: str) -> sa.Column[object]:
    return sa.Column(
        "flow_run_id",
        sa.String(36),
        sa.ForeignKey("flow_runs.id", name=f"fk_{table}_flow_run_id_flow_runs", ondelete="CASCADE"),
        nullable=True,
    )


@contextlib.contextmanager
def _firings_kept() -> Iterator[None]:
    """SQLite rebuilds ``automations`` to change a column, and dropping the old table cascades to
    its firings: keep them aside and put them back."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    firings = sa.table("automation_firings", *(sa.column(c) for c in _FIRING_COLUMNS))
    kept = [dict(r) for r in bind.execute(sa.select(firings)).mappings()]
    yield
    if kept:
        bind.execute(firings.insert(), kept)


def _automations_for_events() -> None:
    with op.batch_alter_table("automations") as batch:
        batch.alter_column("deployment_id", existing_type=sa.String(36), nullable=True)
        for column in _EVENT_COLUMNS:
            batch.add_column(sa.Column(column, sa.String(1024), nullable=True))
        batch.add_column(sa.Column("event_cursor", cols.BIGID, nullable=True))


def upgrade() -> None:
    op.create_table(
        "assets",
        sa.Column("key", _KEY, nullable=False),
        sa.Column("properties", sa.JSON(), nullable=True),
        sa.Column("last_metadata", sa.JSON(), nullable=True),
        sa.Column("last_materialized", cols.TS, nullable=True),
        *cols.timestamps(),
        cols.primary_key("assets", "key"),
    )
    op.create_table(
        "asset_materializations",
        cols.serial_id(),
        _run_ref("asset_materializations"),
        sa.Column("task_run_id", sa.String(36), nullable=True),
        sa.Column("asset_key", _KEY, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("materialized_by", sa.String(255), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=True),
        sa.Column("occurred", cols.TS, nullable=False),
        cols.primary_key("asset_materializations"),
    )
    op.create_index("ix_asset_materializations_flow_run_id", "asset_materializations", ["flow_run_id"])
    op.create_index("ix_asset_materializations_asset_key_id", "asset_materializations", ["asset_key", "id"])
    op.create_table(
        "asset_dependencies",
        cols.serial_id(),
        _run_ref("asset_dependencies"),
        sa.Column("upstream_key", _KEY, nullable=False),
        sa.Column("downstream_key", _KEY, nullable=False),
        sa.Column("occurred", cols.TS, nullable=False),
        cols.primary_key("asset_dependencies"),
    )
    op.create_index("ix_asset_dependencies_flow_run_id", "asset_dependencies", ["flow_run_id"])
    op.create_index("ix_asset_dependencies_upstream_key", "asset_dependencies", ["upstream_key"])
    op.create_index("ix_asset_dependencies_downstream_key", "asset_dependencies", ["downstream_key"])
    with op.batch_alter_table("events") as batch:
        batch.alter_column("kind", type_=sa.String(1024), existing_type=sa.String(64), existing_nullable=False)
        batch.alter_column("resource_id", type_=sa.String(1024), existing_type=sa.String(255), existing_nullable=True)
    with _firings_kept():
        _automations_for_events()
    op.create_table(
        "automation_event_firings",
        cols.fk_column("automation_id", "automation_event_firings", "automations", nullable=False, ondelete="CASCADE"),
        sa.Column("event_id", cols.BIGID, nullable=False),
        sa.Column("fired", cols.TS, nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("triggered_run_id", sa.String(36), nullable=True),
        cols.primary_key("automation_event_firings", "automation_id", "event_id"),
    )


def downgrade() -> None:
    op.drop_table("automation_event_firings")
    op.execute("DELETE FROM automations WHERE deployment_id IS NULL")
    with _firings_kept(), op.batch_alter_table("automations") as batch:
        for column in (*_EVENT_COLUMNS, "event_cursor"):
            batch.drop_column(column)
        batch.alter_column("deployment_id", existing_type=sa.String(36), nullable=False)
    with op.batch_alter_table("events") as batch:
        batch.alter_column("kind", type_=sa.String(64), existing_type=sa.String(1024), existing_nullable=False)
        batch.alter_column("resource_id", type_=sa.String(255), existing_type=sa.String(1024), existing_nullable=True)
    for table in ("asset_dependencies", "asset_materializations", "assets"):
        op.drop_table(table)
