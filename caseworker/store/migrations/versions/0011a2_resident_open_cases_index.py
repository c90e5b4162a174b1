"""An index of each resident's cases by open/closed (issue 17): the inbox's search by name
finds the residents through the name index (SQLite FTS5, PostgreSQL pg_trgm), then their open
cases from this index alone, instead of reading every case those residents ever had (a common
surname at 1,000,000 cases: 254 open cases of 5,917).

``ix_case_resident_open`` (resident_id, closed, next_due, id), on SQLite and PostgreSQL.

Revision ID: 0011a2
Revises: 0011a
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011a2"
down_revision: str | Sequence[str] | None = "0011a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_case_resident_open", "complaint_case", ["resident_id", "closed", "next_due", "id"])


def downgrade() -> None:
    op.drop_index("ix_case_resident_open", table_name="complaint_case")
