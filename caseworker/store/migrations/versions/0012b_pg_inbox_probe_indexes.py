"""PostgreSQL: small partial indexes for the inbox's row flags (issue 17: every filter under
20 ms at 1,000,000 cases on PostgreSQL).

Every inbox page probes, for each of its 200 rows, whether the resident has an active
adjustment or restriction and whether the case has an overdue open action
(:data:`caseworker.store.queries.inbox_sql.FLAG_COLUMNS`). Measured with EXPLAIN (ANALYZE,
BUFFERS) on the 1,000,000-case demo, PostgreSQL answered the restriction probe by reading the
whole ``restriction`` table for each row (140 rows: its cost model prices that below one index
probe), 8 ms a page under load, and the action probe by reading each action's row. With these
indexes each probe is an index-only read of a small index:

- ``ix_restriction_resident_active_pg`` and ``ix_adjustment_resident_active_pg``:
  ``(resident_id) WHERE active``;
- ``ix_action_case_open_pg``: ``(case_id, due) WHERE COALESCE(done, false) = false``, the
  predicate exactly as the probe writes it (the COALESCE keeps SQLite off the ``(done, due)``
  index), so PostgreSQL can prove the probe is inside it.

PostgreSQL only: SQLite has no statistics and always follows ``ix_*_resident_id`` /
``ix_action_case_id`` for these probes already. The names end in ``_pg`` so that comparing
the schema with the models leaves them out (:func:`caseworker.store.migrate.include_name`).
Index builds on existing rows (under a second each at 1,000,000 cases); nothing else changes.

Revision ID: 0012b
Revises: 0011c
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012b"
down_revision: str | Sequence[str] | None = "0011c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (index, table, columns, predicate) of the PostgreSQL-only indexes of this revision.
PG_INDEXES = (
    ("ix_restriction_resident_active_pg", "restriction", "resident_id", "active"),
    ("ix_adjustment_resident_active_pg", "adjustment", "resident_id", "active"),
    ("ix_action_case_open_pg", "action", "case_id, due", "COALESCE(done, false) = false"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, table, columns, where in PG_INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}) WHERE {where}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, _table, _columns, _where in PG_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
