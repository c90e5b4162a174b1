"""Two single-column indexes on ``complaint_case`` that every query can do without (issue 17:
the tracker import at 20,000 rows a second; every index is upkeep on each case stored).

- ``ix_complaint_case_resident_id`` (``resident_id``) is a prefix of ``ix_case_resident_open``
  (``resident_id, closed, next_due, id``): dropped on both engines. Checked by replaying every
  statement the query, search, report, service and import tests run with EXPLAIN QUERY PLAN
  (SQLite, 2,290 distinct statements; SQLite keeps no statistics, so plans do not depend on
  the data) and EXPLAIN (PostgreSQL, 128 statements on a copy of the 1,000,000-case demo):
  each plan that used it uses ``ix_case_resident_open`` instead at the same cost; no new scan.
- ``ix_complaint_case_status`` (``status``) is a prefix of ``ix_case_status_due`` (``status,
  next_due, id``). No SQLite plan used it: dropped there. On PostgreSQL two queries are faster
  with it (counting the open cases of one status: 1.2 ms against 3.2 ms; the Stage 2 cases
  to allocate: 28 ms against 40 ms, at 1,000,000 cases), so there it stays, renamed
  ``ix_case_status_pg`` (a PostgreSQL-only index: the models no longer declare it, and names
  ending ``_pg`` are left out of comparing the schema with the models,
  :func:`caseworker.store.migrate.include_name`). A rename is a catalogue change only.

Measured with ``benchmarks/_import_bench.py``'s store floor (the rows of a 20,000- and a
200,000-row import inserted again by sqlite3 alone): ``complaint_case`` 0.51 -> 0.46 s of CPU
at 20,000 rows, 9.8 -> 8.1 s at 200,000 rows. Dropping an index rewrites nothing.

Revision ID: 0013a
Revises: 0013b
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013a"
down_revision: str | Sequence[str] | None = "0013b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_complaint_case_resident_id")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX IF EXISTS ix_complaint_case_status RENAME TO ix_case_status_pg")
    else:
        op.execute("DROP INDEX IF EXISTS ix_complaint_case_status")


def downgrade() -> None:
    op.execute("CREATE INDEX IF NOT EXISTS ix_complaint_case_resident_id ON complaint_case (resident_id)")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX IF EXISTS ix_case_status_pg RENAME TO ix_complaint_case_status")
    else:
        op.execute("CREATE INDEX IF NOT EXISTS ix_complaint_case_status ON complaint_case (status)")
