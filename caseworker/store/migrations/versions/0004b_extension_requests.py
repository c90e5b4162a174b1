"""Extension requests past the cap, awaiting a supervisor who does not hold the case
(6.4, 6.15, rule 14): who asked and why, and who decided, when and why.

Revision ID: 0004b
Revises: 0004
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004b"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "extension_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("case_id", sa.Integer(), sa.ForeignKey("complaint_case.id"), nullable=False),
        sa.Column("stage_id", sa.Integer(), sa.ForeignKey("stage.id"), nullable=False),
        sa.Column("working_days", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("good_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("resident_told", sa.Date(), nullable=False),
        sa.Column("requested_by", sa.String(120), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("decided_by", sa.String(120), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False, server_default=""),
        sa.Column("extension_id", sa.Integer(), sa.ForeignKey("extension.id"), nullable=True),
    )
    op.create_index("ix_extension_request_case_id", "extension_request", ["case_id"])
    op.create_index("ix_extension_request_state", "extension_request", ["state", "requested_at"])


def downgrade() -> None:
    op.drop_index("ix_extension_request_state", table_name="extension_request")
    op.drop_index("ix_extension_request_case_id", table_name="extension_request")
    op.drop_table("extension_request")
