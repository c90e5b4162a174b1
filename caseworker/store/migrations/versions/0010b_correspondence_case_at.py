"""Index correspondence by case and time, so a case's newest page of history is read in order
(a case with thousands of notes no longer sorts all of them to show the newest 200).

Revision ID: 0010b
Revises: 0005
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010b"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_correspondence_case_at", "correspondence", ["case_id", "at"])


def downgrade() -> None:
    op.drop_index("ix_correspondence_case_at", table_name="correspondence")
