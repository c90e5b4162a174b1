"""Search indexes, and an index for the inbox's status filter. The inbox's search finds a case by reference, resident's name or text without
reading every case (see :mod:`caseworker.store.queries.search` for how queries use them
and why trigrams).

SQLite: FTS5 tables with the ``trigram`` tokenizer over the rows they index (external content,
so the text is not stored twice): ``case_search`` (reference and summary of every case),
``open_case_search`` (the same for open cases only) and ``resident_search`` (residents' names). Triggers keep them current
on every insert, delete and change of those columns, whoever writes: the services, the tracker
import and its undo, the demo builder, loading an export, corrections of names.

PostgreSQL: ``pg_trgm`` GIN indexes on the same three columns, which the database keeps
current itself. ``pg_trgm`` is a trusted contrib extension (shipped in Debian's
``postgresql-15`` package): a role with CREATE on the database may install it. In team mode
this revision runs as the owner role, which has no CREATE on the database, so the extension is
created by the login running the upgrade (a superuser or the database's owner) before acting as
the owner role again. A login that may not gets PostgreSQL's refusal and nothing changes
(checked by hand on PostgreSQL 15 here: the owner role alone is refused "Must have CREATE
privilege on current database"; granted CREATE it succeeds; every PostgreSQL test migrates as a
superuser acting as the owner role, the second path).

Revision ID: 0010c
Revises: 0008b
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0010c"
down_revision: str | Sequence[str] | None = "0008b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: (index, table, column, predicate): the pg_trgm GIN indexes (PostgreSQL), with partial ones
#: over the open cases for the inbox's usual views (as ``open_case_search`` on SQLite).
PG_INDEXES = (
    ("ix_case_reference_trgm", "complaint_case", "reference", ""),
    ("ix_case_summary_trgm", "complaint_case", "summary", ""),
    ("ix_open_case_reference_trgm", "complaint_case", "reference", " WHERE NOT closed"),
    ("ix_open_case_summary_trgm", "complaint_case", "summary", " WHERE NOT closed"),
    ("ix_resident_name_trgm", "resident", "name", ""),
)

#: The FTS5 tables and the triggers that keep them current (SQLite). ``open_case_search`` holds
#: the open cases only (a few percent of a council's cases once it has years of history): the
#: inbox's usual views search it, so a common word costs what the open cases cost, not what
#: every case ever logged would. The triggers fire only when a statement really changes the
#: indexed columns (``closed`` moves a case in or out of the open index), so saving a case's
#: dates costs nothing.
_CASE = "rowid, reference, summary"
_CHANGED = "old.reference IS NOT new.reference OR old.summary IS NOT new.summary OR old.id IS NOT new.id"
SQLITE_UP = (
    "CREATE VIRTUAL TABLE case_search USING fts5(reference, summary, content='complaint_case', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE VIRTUAL TABLE open_case_search USING fts5(reference, summary, content='complaint_case', "
    "content_rowid='id', tokenize='trigram')",
    "CREATE VIRTUAL TABLE resident_search USING fts5(name, content='resident', content_rowid='id', tokenize='trigram')",
    f"""CREATE TRIGGER case_search_insert AFTER INSERT ON complaint_case BEGIN
        INSERT INTO case_search({_CASE}) VALUES (new.id, new.reference, new.summary);
        INSERT INTO open_case_search({_CASE}) SELECT new.id, new.reference, new.summary WHERE NOT new.closed;
    END""",
    f"""CREATE TRIGGER case_search_delete AFTER DELETE ON complaint_case BEGIN
        INSERT INTO case_search(case_search, {_CASE}) VALUES ('delete', old.id, old.reference, old.summary);
        INSERT INTO open_case_search(open_case_search, {_CASE})
            SELECT 'delete', old.id, old.reference, old.summary WHERE NOT old.closed;
    END""",
    f"""CREATE TRIGGER case_search_update AFTER UPDATE OF id, reference, summary ON complaint_case
    WHEN {_CHANGED} BEGIN
        INSERT INTO case_search(case_search, {_CASE}) VALUES ('delete', old.id, old.reference, old.summary);
        INSERT INTO case_search({_CASE}) VALUES (new.id, new.reference, new.summary);
    END""",
    f"""CREATE TRIGGER open_case_search_update AFTER UPDATE OF id, reference, summary, closed ON complaint_case
    WHEN {_CHANGED} OR old.closed IS NOT new.closed BEGIN
        INSERT INTO open_case_search(open_case_search, {_CASE})
            SELECT 'delete', old.id, old.reference, old.summary WHERE NOT old.closed;
        INSERT INTO open_case_search({_CASE}) SELECT new.id, new.reference, new.summary WHERE NOT new.closed;
    END""",
    """CREATE TRIGGER resident_search_insert AFTER INSERT ON resident BEGIN
        INSERT INTO resident_search(rowid, name) VALUES (new.id, new.name);
    END""",
    """CREATE TRIGGER resident_search_delete AFTER DELETE ON resident BEGIN
        INSERT INTO resident_search(resident_search, rowid, name) VALUES ('delete', old.id, old.name);
    END""",
    """CREATE TRIGGER resident_search_update AFTER UPDATE OF id, name ON resident
    WHEN old.name IS NOT new.name OR old.id IS NOT new.id BEGIN
        INSERT INTO resident_search(resident_search, rowid, name) VALUES ('delete', old.id, old.name);
        INSERT INTO resident_search(rowid, name) VALUES (new.id, new.name);
    END""",
    # index what is already there
    "INSERT INTO case_search(case_search) VALUES ('rebuild')",
    "INSERT INTO resident_search(resident_search) VALUES ('rebuild')",
    f"INSERT INTO open_case_search({_CASE}) SELECT id, reference, summary FROM complaint_case WHERE NOT closed",
)

SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS open_case_search_update",
    *(f"DROP TRIGGER IF EXISTS {t}_search_{w}" for t in ("case", "resident") for w in ("insert", "delete", "update")),
    "DROP TABLE IF EXISTS case_search",
    "DROP TABLE IF EXISTS open_case_search",
    "DROP TABLE IF EXISTS resident_search",
)


def _create_pg_trgm(bind) -> None:
    """Install ``pg_trgm`` if it is missing: as the owner role when it may, else (team mode,
    acting as the owner role) as the login running the upgrade. A login that may not either
    gets PostgreSQL's own refusal ("permission denied to create extension"), and the upgrade
    changes nothing."""
    if bind.execute(text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).scalar():
        return
    may = text(
        "SELECT has_database_privilege(current_database(), 'CREATE') "
        "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
    )
    current, session = bind.execute(text("SELECT current_user, session_user")).one()
    if bind.execute(may).scalar() or current == session:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        return
    op.execute("SET LOCAL ROLE NONE")
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute('SET LOCAL ROLE "' + current.replace('"', '""') + '"')


def upgrade() -> None:
    bind = op.get_bind()
    # the inbox's status filter follows this in deadline order (both backends)
    op.create_index("ix_case_status_due", "complaint_case", ["status", "next_due", "id"])
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        _create_pg_trgm(bind)
        for name, table, column, where in PG_INDEXES:
            op.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops){where}")


def downgrade() -> None:
    bind = op.get_bind()
    op.drop_index("ix_case_status_due", table_name="complaint_case")
    if bind.dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    elif bind.dialect.name == "postgresql":
        for name, _table, _column, _where in PG_INDEXES:
            op.execute(f"DROP INDEX IF EXISTS {name}")
