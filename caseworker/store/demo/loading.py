"""What the demo builder sets aside while its rows go in, and puts back before it commits.

The builder writes fresh rows it made itself, ids and references precomputed, every foreign
key pointing at a row it wrote first. Checking each row as it goes in (foreign keys, guards
that refuse a replaced audit event or a Stage 2 officer chosen by someone who may not) and
keeping every secondary index current row by row costs several times the insert itself; a
bulk load without them, then indexes built once and constraints put back (PostgreSQL checks
each foreign key again as it is added, over the whole table at once), is how pg_restore and
SQLite's own ``.import`` do it.

What is set aside is read from the database itself (``sqlite_master``; ``pg_catalog``), so
whatever the migrations at ``SCHEMA_HEAD`` made is put back exactly as it was, and a later
migration's index or trigger is handled without a change here.

Kept in place: the search indexes. On SQLite the FTS5 tables are filled by their triggers as
the rows go in (measured: the same work as one ``rebuild`` afterwards, 0.6 s per 20,000 cases
either way), so a case written after the build is found exactly as one written during it.
On PostgreSQL the pg_trgm GIN indexes are secondary indexes like the others: built once at
the end.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection

#: What to run, in order, to put back what was set aside (inside the build's transaction).
Restore = Callable[[Connection], None]


def set_aside_sqlite(conn: Connection) -> Restore:
    """Drop the secondary (non-unique) indexes and the BEFORE INSERT triggers of a SQLite
    database about to be bulk-loaded; the returned callable creates them again from their
    stored SQL. Foreign keys are switched off by the caller on its private build connection
    (``PRAGMA foreign_keys`` cannot change inside a transaction).

    Unique indexes stay: they are what makes a repeated reference or login an error.
    """
    found = conn.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND ("
        "(type = 'index' AND sql NOT LIKE 'CREATE UNIQUE%') OR "
        "(type = 'trigger' AND upper(sql) LIKE '%BEFORE INSERT%'))"
    ).all()
    for kind, name, _sql in found:
        conn.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    statements = [sql for _kind, _name, sql in found]

    def restore(c: Connection) -> None:
        for sql in statements:
            c.exec_driver_sql(sql)

    return restore


def truncate_for_freeze(conn: Connection, tables: list[str]) -> None:
    """Truncate those of ``tables`` that are empty (all of them, in a newly migrated database)
    inside the caller's transaction, and name them in ``conn.info[bulk.COPY_FREEZE]``: COPY
    then loads their rows frozen, their pages already all-visible, so the closing VACUUM does
    not have to visit every page (PostgreSQL's ``COPY FREEZE``: the table must have been
    created or truncated in the same transaction). A table holding rows (say, seeded by a
    migration) is left as it is and loaded plainly. Call after :func:`set_aside_postgresql`
    (no foreign key then stands in the way of TRUNCATE); the builder drops the name at commit."""
    from caseworker.store.bulk import COPY_FREEZE

    empty = [t for t in tables if conn.exec_driver_sql(f'SELECT NOT EXISTS (SELECT 1 FROM "{t}")').scalar()]
    if empty:
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in empty))
    conn.info[COPY_FREEZE] = set(empty)


def set_aside_postgresql(conn: Connection) -> Restore:
    """Drop the foreign keys and the secondary indexes (those backing no constraint, the
    pg_trgm search indexes among them) of caseworker's tables in the current schema, and
    disable their user triggers (the team-mode guards: the builder is privileged, so they
    would change nothing); the returned callable creates the indexes, adds the foreign keys
    back (PostgreSQL validates each over the whole table) and enables the triggers again.

    Everything happens inside the caller's transaction: a failed build leaves nothing set aside.
    """
    schema = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
    foreign = conn.exec_driver_sql(
        "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE contype = 'f' AND connamespace = {schema} ORDER BY conrelid::regclass::text, conname"
    ).all()
    indexes = conn.exec_driver_sql(
        "SELECT quote_ident(c.relname), pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        f"WHERE c.relnamespace = {schema} AND NOT i.indisprimary AND NOT i.indisunique "
        "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid) "
        "ORDER BY c.relname"
    ).all()
    triggered = [
        r[0]
        for r in conn.exec_driver_sql(
            "SELECT DISTINCT tgrelid::regclass::text FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            f"WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = {schema} ORDER BY 1"
        ).all()
    ]
    for table, name, _definition in foreign:
        conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in indexes:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    for table in triggered:
        conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")

    def restore(c: Connection) -> None:
        for _name, definition in indexes:
            c.exec_driver_sql(definition)
        for table, name, definition in foreign:
            c.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        for table in triggered:
            c.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")

    return restore
