"""Tracker imports recorded as batches, so an import can be undone.

One row per import: the file, who and when, and the id ranges of the cases, residents and
officers it created. Existing databases get an empty table: earlier imports are not batches
and cannot be undone.

Revision ID: 0007
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=100), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by", sa.String(length=120), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("case_first", sa.Integer(), nullable=False),
        sa.Column("case_last", sa.Integer(), nullable=False),
        sa.Column("resident_first", sa.Integer(), nullable=False),
        sa.Column("resident_last", sa.Integer(), nullable=False),
        sa.Column("officer_first", sa.Integer(), nullable=False),
        sa.Column("officer_last", sa.Integer(), nullable=False),
        sa.Column("audit_last", sa.Integer(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("undone_by", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("import_batch")
