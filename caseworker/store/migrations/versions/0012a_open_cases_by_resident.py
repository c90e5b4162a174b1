"""A partial index of the open cases by resident (issue 17: search by name under 20 ms at
1,000,000 cases).

The inbox's search by name finds the residents through the name index (SQLite FTS5,
PostgreSQL pg_trgm), then each one's open cases. A common surname matches thousands of
residents (``Adams`` at 1,000,000 cases: 4,179 residents, 254 open cases); probing
``ix_case_resident_open`` (every case, 18 MB) once for each reads a page of it per resident,
most of them not in SQLite's page cache. ``ix_open_case_resident`` holds the open cases only
(about 45,000 of 1,000,000: under 1 MB), so the same probes stay within a few hundred pages:
measured on the 1,000,000-case demo, 7.2 ms -> 3.2 ms for that step (CPU, SQLite 3.40).

``ix_open_case_resident`` (resident_id, closed, next_due, id) WHERE the case is open, on
SQLite and PostgreSQL (``closed = 0`` / ``NOT closed``: each database's own spelling of the
condition its queries state, so that the planner can prove a query's rows are in it). It keeps
``closed`` as a column so that a query reading it is answered from the index alone. A partial
index is built from the open cases only and costs a write only when an open case changes.

Revision ID: 0012a
Revises: 0012b
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012a"
down_revision: str | Sequence[str] | None = "0012b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_open_case_resident",
        "complaint_case",
        ["resident_id", "closed", "next_due", "id"],
        sqlite_where=sa.text("closed = 0"),
        postgresql_where=sa.text("NOT closed"),
    )


def downgrade() -> None:
    op.drop_index("ix_open_case_resident", table_name="complaint_case")
