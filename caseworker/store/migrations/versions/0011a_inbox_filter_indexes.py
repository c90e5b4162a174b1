"""Indexes for the inbox's stage filters and an officer's own cases (issue 17: every filter
under 20 ms at 1,000,000 cases), on SQLite and PostgreSQL.

- ``ix_case_stage_due`` (closed, stage, next_due, id) and ``ix_case_officer_stage_due``
  (officer_id, closed, stage, next_due, id): "Stage 2" and "my cases, Stage 2" follow an index
  in deadline order that holds only the stage asked for, instead of reading every open case
  (or every case of the officer) and testing its stage;
- ``ix_action_owner_open_case`` (owner, done, case_id) replaces ``ix_action_owner_open``
  (owner, done): the cases where an officer owns an open action (6.6, 6.17: they are in
  that officer's inbox) are read from the index alone, without reading each action.

Plain B-tree indexes on existing columns: built from the rows already there, nothing else
changes.

Revision ID: 0011a
Revises: 0010d
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0011a"
down_revision: str | Sequence[str] | None = "0010d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_case_stage_due", "complaint_case", ["closed", "stage", "next_due", "id"])
    op.create_index("ix_case_officer_stage_due", "complaint_case", ["officer_id", "closed", "stage", "next_due", "id"])
    op.create_index("ix_action_owner_open_case", "action", ["owner", "done", "case_id"])
    op.drop_index("ix_action_owner_open", table_name="action")


def downgrade() -> None:
    op.create_index("ix_action_owner_open", "action", ["owner", "done"])
    op.drop_index("ix_action_owner_open_case", table_name="action")
    op.drop_index("ix_case_officer_stage_due", table_name="complaint_case")
    op.drop_index("ix_case_stage_due", table_name="complaint_case")
