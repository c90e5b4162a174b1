"""More records two officers can change carry a version: service requests, extension requests
past the cap, Ombudsman orders and service improvements get ``version``, ``updated_at`` and
``updated_by``, like cases, remedies and actions (``services.base.claim_row``).

Existing rows start at version 1, never changed (``updated_at`` empty, ``updated_by`` "").
Plain ADD COLUMN (nullable or with a default) works in place on SQLite and PostgreSQL.

Revision ID: 0010d
Revises: 0010c
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010d"
down_revision: str | Sequence[str] | None = "0010c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("servicerequest", "extension_request", "ombudsman_order", "service_improvement")


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
        op.add_column(table, sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column("updated_by", sa.String(length=120), nullable=False, server_default=""))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("updated_by")
            batch.drop_column("updated_at")
            batch.drop_column("version")
