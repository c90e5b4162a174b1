"""Issued letters kept as sent, and representatives' contact details.

``correspondence`` gets ``letter_date`` (the date printed on an issued letter) and
``letter_format`` (its print choices as JSON) so a reprint reproduces the letter as sent.
``representative`` gets ``phone`` and, being editable by two officers, ``version``,
``updated_at`` and ``updated_by`` like the other versioned records.

Existing letters keep their text; their date is taken from when they were recorded
(``at``), their format left empty (a reprint then uses standard print). Plain ADD COLUMN
(nullable or with a default) works in place on SQLite and PostgreSQL.

Revision ID: 0006
Revises: 0004c
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0004c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("correspondence", sa.Column("letter_date", sa.Date(), nullable=True))
    op.add_column("correspondence", sa.Column("letter_format", sa.Text(), nullable=False, server_default=""))
    day = "date(at)" if op.get_bind().dialect.name == "sqlite" else "CAST(at AS DATE)"
    op.execute(f"UPDATE correspondence SET letter_date = {day} WHERE kind = 'letter' AND direction = 'out'")
    op.add_column("representative", sa.Column("phone", sa.String(length=60), nullable=False, server_default=""))
    op.add_column("representative", sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    op.add_column("representative", sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("representative", sa.Column("updated_by", sa.String(length=120), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("representative") as batch:
        for column in ("updated_by", "updated_at", "version", "phone"):
            batch.drop_column(column)
    with op.batch_alter_table("correspondence") as batch:
        batch.drop_column("letter_format")
        batch.drop_column("letter_date")
