"""The year's account: Ombudsman cases (findings, orders, complaint-handling failure orders),
learning (root cause and themes, the service-improvement register) and the self-assessment
per financial year (Code 8.1, section 9). New tables only: existing rows are untouched.

Revision ID: 0009
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "annual_account",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("letter_received_on", sa.Date(), nullable=True),
        sa.Column("letter_key_points", sa.Text(), server_default="", nullable=False),
        sa.Column("response_on", sa.Date(), nullable=True),
        sa.Column("governing_body_response", sa.Text(), server_default="", nullable=False),
        sa.Column("approved_by", sa.String(length=120), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("year"),
    )
    op.create_table(
        "provision_assessment",
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("provision", sa.String(length=10), nullable=False),
        sa.Column("complies", sa.String(length=10), nullable=False),
        sa.Column("evidence", sa.Text(), server_default="", nullable=False),
        sa.Column("commentary", sa.Text(), server_default="", nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("year", "provision"),
    )
    op.create_table(
        "service_improvement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("what_changed", sa.Text(), server_default="", nullable=False),
        sa.Column("service_area", sa.String(length=100), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_service_improvement_status_on", "service_improvement", ["status_on"])

    op.create_table(
        "case_learning",
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("root_cause", sa.String(length=100), nullable=False),
        sa.Column("themes", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["complaint_case.id"],
        ),
        sa.PrimaryKeyConstraint("case_id"),
    )
    op.create_table(
        "improvement_case",
        sa.Column("improvement_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["complaint_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["improvement_id"],
            ["service_improvement.id"],
        ),
        sa.PrimaryKeyConstraint("improvement_id", "case_id"),
    )
    op.create_index("ix_improvement_case_case_id", "improvement_case", ["case_id"])

    op.create_table(
        "ombudsman_case",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("ombudsman", sa.String(length=10), nullable=False),
        sa.Column("reference", sa.String(length=60), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("info_requested_on", sa.Date(), nullable=True),
        sa.Column("info_sent_on", sa.Date(), nullable=True),
        sa.Column("determined_on", sa.Date(), nullable=True),
        sa.Column("chfo_on", sa.Date(), nullable=True),
        sa.Column("chfo_details", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by", sa.String(length=120), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["complaint_case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ombudsman_case_case_id", "ombudsman_case", ["case_id"])
    op.create_index("ix_ombudsman_case_determined_on", "ombudsman_case", ["determined_on"])

    op.create_table(
        "ombudsman_finding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ombudsman_case_id", sa.Integer(), nullable=False),
        sa.Column("element", sa.Text(), server_default="", nullable=False),
        sa.Column("finding", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["ombudsman_case_id"],
            ["ombudsman_case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ombudsman_finding_ombudsman_case_id", "ombudsman_finding", ["ombudsman_case_id"])

    op.create_table(
        "ombudsman_order",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ombudsman_case_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), server_default="", nullable=False),
        sa.Column("due", sa.Date(), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=True),
        sa.Column("evidence", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"],
            ["complaint_case.id"],
        ),
        sa.ForeignKeyConstraint(
            ["ombudsman_case_id"],
            ["ombudsman_case.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_ombudsman_order_case_open", "ombudsman_order", ["case_id", "completed_on", "due"])
    op.create_index("ix_ombudsman_order_ombudsman_case_id", "ombudsman_order", ["ombudsman_case_id"])


def downgrade() -> None:
    op.drop_index("ix_ombudsman_order_ombudsman_case_id", table_name="ombudsman_order")
    op.drop_index("ix_ombudsman_order_case_open", table_name="ombudsman_order")

    op.drop_table("ombudsman_order")
    op.drop_index("ix_ombudsman_finding_ombudsman_case_id", table_name="ombudsman_finding")

    op.drop_table("ombudsman_finding")
    op.drop_index("ix_ombudsman_case_determined_on", table_name="ombudsman_case")
    op.drop_index("ix_ombudsman_case_case_id", table_name="ombudsman_case")

    op.drop_table("ombudsman_case")
    op.drop_index("ix_improvement_case_case_id", table_name="improvement_case")

    op.drop_table("improvement_case")
    op.drop_table("case_learning")
    op.drop_index("ix_service_improvement_status_on", table_name="service_improvement")

    op.drop_table("service_improvement")
    op.drop_table("provision_assessment")
    op.drop_table("annual_account")
