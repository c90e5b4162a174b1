"""Residents' details and the self-assessment's answers carry a version: ``resident`` gets
``version``, ``updated_at`` and ``updated_by`` (like cases, remedies and actions), and
``provision_assessment``, which already keeps who saved it and when, gets ``version``
(``services.base.claim_row``: of two officers saving at once exactly one succeeds, and the
other is told who changed it and when).

Existing rows start at version 1 (a resident's ``updated_at`` empty, ``updated_by`` "").
Plain ADD COLUMN (nullable or with a default) works in place on SQLite and PostgreSQL.

Revision ID: 0011c
Revises: 0011a2
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011c"
down_revision: str | Sequence[str] | None = "0011a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("resident", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("resident", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("resident", sa.Column("updated_by", sa.String(length=120), nullable=False, server_default=""))
    op.add_column("provision_assessment", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35+): rebuilding ``resident`` would trip
    # the foreign keys of every case and representative that points at it.
    op.drop_column("provision_assessment", "version")
    for column in ("updated_by", "updated_at", "version"):
        op.drop_column("resident", column)
