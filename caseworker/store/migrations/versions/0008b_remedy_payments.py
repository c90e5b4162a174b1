"""Remedies as they happened: the payment reference the officer entered when a financial
remedy was paid, and the reason recorded when the calculation used guidance other than the
guidance in force on the case's dates (Code 7.4).

The accepted, declined, paid and completed dates were already kept (until now always the day
they were recorded). Existing rows get sensible values: no payment reference (shown as "not
recorded"; it was never asked for) and no reason (they were worked out under the guidance
the calculator chose for the day).

Revision ID: 0008b
Revises: 0010b
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008b"
down_revision: str | Sequence[str] | None = "0010b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("remedy") as batch:
        batch.add_column(sa.Column("payment_reference", sa.String(60), nullable=False, server_default=""))
        batch.add_column(sa.Column("guidance_reason", sa.Text(), nullable=False, server_default=""))


def _drop_column(table: str, column: str) -> None:
    """Drop a column in place (SQLite 3.35+ ALTER TABLE DROP COLUMN rather than a batch copy,
    which the foreign keys and triggers on a table holding data would refuse)."""
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f'ALTER TABLE "{table}" DROP COLUMN "{column}"')
    else:
        op.drop_column(table, column)


def downgrade() -> None:
    _drop_column("remedy", "guidance_reason")
    _drop_column("remedy", "payment_reference")
