"""PostgreSQL: the open cases' keys in one small partial index (issue 17: "my cases" under
20 ms at 1,000,000 cases on PostgreSQL).

``ix_open_case_id_pg``: ``(id) INCLUDE (officer_id, next_due, stage) WHERE COALESCE(closed,
false) = false``. An officer's inbox holds the open cases where they own an open action but do
not hold the case (6.6, 6.17): the query reads the officer's open actions' cases from
``ix_action_owner_open_case`` and, for each, whether it is open, who holds it and its next
deadline. Measured with EXPLAIN (ANALYZE, BUFFERS) on the 1,000,000-case demo (an officer with
2,766 such cases): through the primary key that is 4 page reads a case (11,064 in all, the
larger part of the inbox's 14,500); through this index, 2 (5,600), since it holds the open
cases only (45,000 of 1,000,000: 1.4 MB) and their keys, so the table is not read. The
predicate is written exactly as those queries write "open" (the COALESCE keeps SQLite's
planner off the ``(closed, ...)`` indexes), so PostgreSQL can prove they are inside it.

PostgreSQL only (SQLite drives these queries from the actions through the primary key
already); the name ends in ``_pg`` (see :func:`caseworker.store.migrate.include_name`). An
index build over the existing rows (under a second at 1,000,000 cases); nothing else changes.

Revision ID: 0012b2
Revises: 0012c
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012b2"
down_revision: str | Sequence[str] | None = "0012c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_open_case_id_pg ON complaint_case (id) "
            "INCLUDE (officer_id, next_due, stage) WHERE COALESCE(closed, false) = false"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_open_case_id_pg")
