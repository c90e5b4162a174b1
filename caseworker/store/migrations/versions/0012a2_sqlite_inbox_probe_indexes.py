"""SQLite: small partial covering indexes for the inbox's row-flag probes (issue 17: every
filter under 20 ms at 1,000,000 cases), the SQLite side of what 0012b does for PostgreSQL.

Every inbox page probes, for each of its 200 rows, whether the resident has an active
adjustment or restriction and whether the case has an overdue open action
(:data:`caseworker.store.queries.inbox_sql.FLAG_EXPRESSIONS`). Through ``ix_*_resident_id`` and
``ix_action_case_id`` each probe then read the row itself to test ``active`` or ``done`` and
``due``: 600 table reads a page, most of them not in the page cache. With these indexes each
probe is answered from a small index alone (measured on the 1,000,000-case demo: the page with
its flags 3.0 -> 2.2 ms CPU, SQLite 3.40):

- ``ix_adjustment_resident_active_sqlite`` and ``ix_restriction_resident_active_sqlite``:
  ``(resident_id, active) WHERE active = TRUE``;
- ``ix_action_case_open_sqlite``: ``(case_id, done, due) WHERE COALESCE(done, FALSE) = FALSE``.

Each condition is written exactly as the probes write it: SQLite uses a partial index only for
a query whose WHERE clause contains the index's condition term for term. The tested columns are
in the index so that nothing is read from the table.

SQLite only (PostgreSQL has its own, 0012b). The names end in ``_sqlite`` so that comparing the
schema with the models leaves them out (:func:`caseworker.store.migrate.include_name`). Index
builds on existing rows (well under a second at 1,000,000 cases); nothing else changes.

Revision ID: 0012a2
Revises: 0012b2
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0012a2"
down_revision: str | Sequence[str] | None = "0012b2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (index, table, columns, condition) of the SQLite-only indexes of this revision.
SQLITE_INDEXES = (
    ("ix_adjustment_resident_active_sqlite", "adjustment", "resident_id, active", "active = TRUE"),
    ("ix_restriction_resident_active_sqlite", "restriction", "resident_id, active", "active = TRUE"),
    ("ix_action_case_open_sqlite", "action", "case_id, done, due", "COALESCE(done, FALSE) = FALSE"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, table, columns, where in SQLITE_INDEXES:
        op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns}) WHERE {where}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, _table, _columns, _where in SQLITE_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
