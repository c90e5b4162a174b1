"""Index the link from a case to the case it was split from (6.8), so opening a case finds
its linked cases without reading the whole table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_complaint_case_related_case_id", "complaint_case", ["related_case_id"])


def downgrade() -> None:
    op.drop_index("ix_complaint_case_related_case_id", table_name="complaint_case")
