"""PostgreSQL: references searched by prefix through b-tree ranges (issue 17: search and every
inbox filter under 20 ms at 1,000,000 cases on PostgreSQL).

``ix_case_reference_lower_pg`` (every case) and ``ix_open_case_reference_lower_pg`` (open cases,
``WHERE NOT closed`` as the partial trigram indexes): ``(lower(reference) text_pattern_ops)
INCLUDE (reference)``. The inbox search matches a reference by prefix ignoring case; it now
writes that as ``lower(reference) LIKE lower(pattern)`` (what ``ILIKE`` computes in a UTF-8
database), which these indexes read as a range (``text_pattern_ops``: whatever the database's
collation). The trigram indexes answered a prefix by intersecting the posting lists of trigrams
nearly every reference holds: counting the open cases starting "CM" (up to 1,001) took 17.9 ms
and 770 table pages at 1,000,000 cases, 0.5 ms and 61 index pages this way (``INCLUDE
(reference)`` lets PostgreSQL answer from the index alone).

Then ``ANALYZE complaint_case``, so that the planner has statistics for the new expression
(without them it guesses how many references a prefix matches). Measured on a copy of the
1,000,000-case demo: both builds and the ANALYZE take about 3 s; nothing else changes.
PostgreSQL only: SQLite matches references through its FTS5 trigram index and the unique
reference index; the names end in ``_pg`` (see :func:`caseworker.store.migrate.include_name`).

Revision ID: 0013b
Revises: 0012a2
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013b"
down_revision: str | Sequence[str] | None = "0012a2"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_case_reference_lower_pg ON complaint_case "
            "(lower(reference) text_pattern_ops) INCLUDE (reference)"
        )
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_open_case_reference_lower_pg ON complaint_case "
            "(lower(reference) text_pattern_ops) INCLUDE (reference) WHERE NOT closed"
        )
        op.execute("ANALYZE complaint_case")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_open_case_reference_lower_pg")
        op.execute("DROP INDEX IF EXISTS ix_case_reference_lower_pg")
