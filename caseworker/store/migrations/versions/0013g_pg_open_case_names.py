"""PostgreSQL: the open cases' resident names, searchable on their own (issue 17: search and
every inbox filter under 20 ms at 1,000,000 cases on PostgreSQL).

``open_case_name`` holds one row per open case: its id, its resident and the resident's name,
with a pg_trgm GIN index on the name (``ix_open_case_name_trgm``) and one on the resident
(``ix_open_case_name_resident_pg``). It is the database's own copy, kept by triggers (as
SQLite's FTS5 search tables are, revision 0010c); the services never write it:

- ``open_case_name_insert`` (after INSERT on ``complaint_case``, once a statement, from the
  inserted rows: a bulk import or the demo's load adds its rows in one statement);
- ``open_case_name_update`` (after UPDATE of ``closed`` or ``resident_id``, for a row where
  either changed: a case closed or reopened, or moved to another resident);
- ``open_case_name_delete`` (after DELETE on ``complaint_case``, once a statement: an
  import's undo);
- ``resident_name_open_cases`` (after UPDATE of ``name`` on ``resident``, where it changed).

The functions are SECURITY DEFINER, so an officer's session (team mode: officers never
DELETE) keeps the copy current through them without any privilege on the table itself.

Why: the inbox searches names of open cases. Through ``ix_resident_name_trgm`` a surname
matched 4,324 of 700,000 residents at 1,000,000 cases ('Bailey'), every one read from the
table to check it, then each looked up among the open cases for the 287 open cases they hold:
about 12,500 pages and 8-10 ms of the 20 ms budget. The open cases' names alone are 44,535
rows: the same search reads the 287 there.

The demo builder fills the table once its rows are in (``caseworker.store.demo.loading``), as
the triggers are set aside during its load. SQLite: nothing (its ``open_case_search`` and
``resident_search`` FTS5 tables serve). The names end in ``_pg``/``_trgm`` and the table is not a
model (see :func:`caseworker.store.migrate.include_name`).

Revision ID: 0013g
Revises: 0013f
Create Date: 2026-11-30
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0013g"
down_revision: str | Sequence[str] | None = "0013f"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The table's rows from the cases and residents as they are (also the demo builder's fill).
FILL = (
    "INSERT INTO open_case_name (case_id, resident_id, name) "
    "SELECT c.id, c.resident_id, r.name FROM complaint_case c JOIN resident r ON r.id = c.resident_id "
    "WHERE NOT c.closed"
)

_FUNCTIONS = {
    "caseworker_open_case_name_insert": """
        BEGIN
            INSERT INTO open_case_name (case_id, resident_id, name)
            SELECT n.id, n.resident_id, r.name FROM inserted n JOIN resident r ON r.id = n.resident_id
            WHERE NOT n.closed;
            RETURN NULL;
        END""",
    "caseworker_open_case_name_update": """
        BEGIN
            DELETE FROM open_case_name WHERE case_id = OLD.id;
            IF NOT NEW.closed THEN
                INSERT INTO open_case_name (case_id, resident_id, name)
                SELECT NEW.id, NEW.resident_id, r.name FROM resident r WHERE r.id = NEW.resident_id;
            END IF;
            RETURN NULL;
        END""",
    "caseworker_open_case_name_delete": """
        BEGIN
            DELETE FROM open_case_name WHERE case_id IN (SELECT d.id FROM deleted d);
            RETURN NULL;
        END""",
    "caseworker_resident_name_open_cases": """
        BEGIN
            UPDATE open_case_name SET name = NEW.name WHERE resident_id = NEW.id;
            RETURN NULL;
        END""",
}

_TRIGGERS = (
    (
        "open_case_name_insert",
        "AFTER INSERT ON complaint_case REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT",
        "caseworker_open_case_name_insert",
    ),
    (
        "open_case_name_update",
        "AFTER UPDATE OF closed, resident_id ON complaint_case FOR EACH ROW "
        "WHEN (OLD.closed IS DISTINCT FROM NEW.closed OR OLD.resident_id IS DISTINCT FROM NEW.resident_id)",
        "caseworker_open_case_name_update",
    ),
    (
        "open_case_name_delete",
        "AFTER DELETE ON complaint_case REFERENCING OLD TABLE AS deleted FOR EACH STATEMENT",
        "caseworker_open_case_name_delete",
    ),
    (
        "resident_name_open_cases",
        "AFTER UPDATE OF name ON resident FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)",
        "caseworker_resident_name_open_cases",
    ),
)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(text("SELECT quote_ident(current_schema())")).scalar_one()
    op.execute(
        "CREATE TABLE open_case_name (case_id integer PRIMARY KEY, resident_id integer NOT NULL, "
        "name varchar(200) NOT NULL)"
    )
    op.execute(FILL)
    op.execute("CREATE INDEX ix_open_case_name_trgm ON open_case_name USING gin (name gin_trgm_ops)")
    op.execute("CREATE INDEX ix_open_case_name_resident_pg ON open_case_name (resident_id)")
    for name, body in _FUNCTIONS.items():
        op.execute(
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
            f"SET search_path = pg_catalog, {schema} AS $fn${body}\n$fn$"
        )
    for name, when, function in _TRIGGERS:
        op.execute(f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION {function}()")
    op.execute("ANALYZE open_case_name")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, when, _function in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {when.split(' ON ', 1)[1].split()[0]}")
    for name in _FUNCTIONS:
        op.execute(f"DROP FUNCTION IF EXISTS {name}()")
    op.execute("DROP TABLE IF EXISTS open_case_name")
