"""Variables and blocks: named JSON values, block types, their schemas and saved blocks.

Revision ID: 0011_variables_blocks
Revises: 0009_read_indexes
Create Date: 2026-12-06

Only new tables. A block document's ``data`` is Fernet-encrypted JSON text (the key lives
beside the store, not in it), so the column is plain text.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from orchestr_lab.store.migrations import columns as cols

revision: str = "0011_variables_blocks"
down_revision: str | None = "0010_artifacts"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "variables",
        cols.id_column(),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=True),
        *cols.timestamps(),
        cols.primary_key("variables"),
        cols.unique("variables", "name"),
    )
    op.create_table(
        "block_types",
        cols.id_column(),
        sa.Column("slug", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        *cols.timestamps(),
        cols.primary_key("block_types"),
        cols.unique("block_types", "slug"),
    )
    op.create_table(
        "block_schemas",
        cols.id_column(),
        cols.fk_column("block_type_id", "block_schemas", "block_types", nullable=False, ondelete="CASCADE"),
        sa.Column("checksum", sa.String(80), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("secret_fields", sa.JSON(), nullable=False),
        sa.Column("capabilities", sa.JSON(), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
        sa.Column("created", cols.TS, nullable=False),
        cols.primary_key("block_schemas"),
        sa.UniqueConstraint("block_type_id", "checksum", name="uq_block_schemas_block_type_id_checksum"),
    )
    op.create_table(
        "block_documents",
        cols.id_column(),
        sa.Column("name", sa.String(255), nullable=False),
        cols.fk_column("block_type_id", "block_documents", "block_types", nullable=False, ondelete="CASCADE"),
        cols.fk_column("block_schema_id", "block_documents", "block_schemas", nullable=False, ondelete="CASCADE"),
        sa.Column("data", sa.Text(), nullable=False),
        *cols.timestamps(),
        cols.primary_key("block_documents"),
        sa.UniqueConstraint("block_type_id", "name", name="uq_block_documents_block_type_id_name"),
    )
    op.create_index("ix_block_documents_block_schema_id", "block_documents", ["block_schema_id"])


def downgrade() -> None:
    op.drop_index("ix_block_documents_block_schema_id", table_name="block_documents")
    op.drop_table("block_documents")
    op.drop_table("block_schemas")
    op.drop_table("block_types")
    op.drop_table("variables")
