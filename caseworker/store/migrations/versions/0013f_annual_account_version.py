"""The year's account (``annual_account``: the Ombudsman's annual letter, the governing body's
response, the self-assessment's approval) carries a version, as the self-assessment's answers
do (``services.base.claim_row``: of two officers recording one year's parts at once exactly one
succeeds, and the other is told who changed it and when; issue 17, Deliver 4).

Existing rows start at version 1. Plain ADD COLUMN with a default works in place on SQLite and
PostgreSQL.

Revision ID: 0013f
Revises: 0013a
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013f"
down_revision: str | Sequence[str] | None = "0013a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("annual_account", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))


def downgrade() -> None:
    op.drop_column("annual_account", "version")
