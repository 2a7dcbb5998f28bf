"""Task runs keep their state history on their own row; run_states holds flow-run states only.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-09

``task_runs.history`` is a JSON list of ``[type, name, epoch_seconds, message]`` entries (a
fifth element ``details`` only when the state had details), oldest first. The batch writer
then stores a task run and all its states as one row instead of one row per state. Existing
task-run rows of ``run_states`` are moved into it, and ``run_states.task_run_id`` (its foreign
key and index) is dropped. Written out by hand, like 0001, so later model edits never change
what this revision does.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UTC = _dt.timezone.utc
_TS = sa.DateTime(timezone=True)


def _epoch(value: Any) -> float:
    """A stored timestamp (naive UTC on SQLite, aware on PostgreSQL) as epoch seconds."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=_UTC)
    seconds: float = value.timestamp()
    return seconds


def _task_runs(*extra: sa.ColumnClause[Any]) -> sa.TableClause:
    return sa.table("task_runs", sa.column("id", sa.String(36)), *extra)


def _run_states(*extra: sa.ColumnClause[Any]) -> sa.TableClause:
    return sa.table(
        "run_states",
        sa.column("id", sa.Integer()),
        sa.column("type", sa.String(16)),
        sa.column("name", sa.String(64)),
        sa.column("message", sa.Text()),
        sa.column("timestamp", _TS),
        sa.column("details", sa.JSON()),
        *extra,
    )


def upgrade() -> None:
    with op.batch_alter_table("task_runs") as batch:
        batch.add_column(sa.Column("history", sa.JSON(), nullable=True))

    # Data: each task run's run_states rows, in the order they were written, become its list.
    conn = op.get_bind()
    states = _run_states(sa.column("task_run_id", sa.String(36)))
    rows = conn.execute(
        sa.select(
            states.c.task_run_id,
            states.c.type,
            states.c.name,
            states.c.message,
            states.c.timestamp,
            states.c.details,
        )
        .where(states.c.task_run_id.is_not(None))
        .order_by(states.c.id)
    )
    histories: dict[str, list[list[Any]]] = {}
    for task_run_id, type_, name, message, timestamp, details in rows:
        entry: list[Any] = [type_, name, _epoch(timestamp), message]
        if details:
            entry.append(details)
        histories.setdefault(task_run_id, []).append(entry)
    if histories:
        task_runs = _task_runs(sa.column("history", sa.JSON()))
        conn.execute(
            task_runs.update()
            .where(task_runs.c.id == sa.bindparam("run_id"))
            .values(history=sa.bindparam("run_history")),
            [{"run_id": k, "run_history": v} for k, v in histories.items()],
        )
        conn.execute(states.delete().where(states.c.task_run_id.is_not(None)))

    with op.batch_alter_table("run_states") as batch:
        batch.drop_index("ix_run_states_task_run_id")
        batch.drop_constraint("fk_run_states_task_run_id_task_runs", type_="foreignkey")
        batch.drop_column("task_run_id")


def downgrade() -> None:
    with op.batch_alter_table("run_states") as batch:
        batch.add_column(sa.Column("task_run_id", sa.String(36), nullable=True))
        batch.create_foreign_key(
            "fk_run_states_task_run_id_task_runs",
            "task_runs",
            ["task_run_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch.create_index("ix_run_states_task_run_id", ["task_run_id"])

    conn = op.get_bind()
    task_runs = _task_runs(sa.column("history", sa.JSON()))
    rows = conn.execute(sa.select(task_runs.c.id, task_runs.c.history).where(task_runs.c.history.is_not(None)))
    out: list[dict[str, Any]] = []
    for task_run_id, history in rows:
        for entry in history or ():
            out.append(
                {
                    "task_run_id": task_run_id,
                    "type": entry[0],
                    "name": entry[1],
                    "timestamp": _dt.datetime.fromtimestamp(entry[2], _UTC),
                    "message": entry[3],
                    "details": entry[4] if len(entry) > 4 else None,
                }
            )
    if out:
        states = sa.table(
            "run_states",
            sa.column("task_run_id", sa.String(36)),
            sa.column("type", sa.String(16)),
            sa.column("name", sa.String(64)),
            sa.column("message", sa.Text()),
            sa.column("timestamp", _TS),
            sa.column("details", sa.JSON()),
        )
        conn.execute(states.insert(), out)

    with op.batch_alter_table("task_runs") as batch:
        batch.drop_column("history")
