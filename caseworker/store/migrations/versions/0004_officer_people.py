"""Officers are people: a job title and a telephone number beside the full name and email
(rule 15, section 7: letters are signed with the officer's name and title and give a contact line).

Existing officers get an empty title and phone ("" server default); an administrator fills
them in with ``caseworker officer set``.

Revision ID: 0004
Revises: 0008
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("officer") as batch:
        batch.add_column(sa.Column("title", sa.String(200), nullable=False, server_default=""))
        batch.add_column(sa.Column("phone", sa.String(60), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("officer") as batch:
        batch.drop_column("phone")
        batch.drop_column("title")
