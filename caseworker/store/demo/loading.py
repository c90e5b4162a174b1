"""What the demo builder sets aside while its rows go in, and puts back once they are in.

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
the end, and so are the primary keys and unique constraints, made again from an index built
by sorting (``ADD CONSTRAINT ... USING INDEX``): keeping them during the load cost more than
building them afterwards (COPY of 1.24 million audit events: 8.6-9.1 s with the primary key,
5.1-5.9 s without, 0.9 s to build its index after; load 7), and a repeated id or reference
still fails the build, at the end instead of at the row. There the builder commits its rows
first and builds the indexes on two connections at once (:meth:`SetAside.build_indexes`: at
100,000 cases 6 s against 8.5-11.5 s one after another, load 7), then puts the keys, foreign
keys and triggers back and commits again; a build that fails between the two commits leaves a
demo without some of its indexes, which the next build drops and rebuilds like any other demo.
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


def fill_open_case_names(conn: Connection) -> None:
    """PostgreSQL: make ``open_case_name`` (migration 0013g: the open cases' resident names,
    kept by triggers that :func:`set_aside_postgresql` disabled with the others) from the rows
    loaded, inside the caller's transaction: one statement instead of a trigger per batch. A
    database without the table (an older schema) is left as it is."""
    if conn.exec_driver_sql("SELECT to_regclass('open_case_name')").scalar() is None:
        return
    conn.exec_driver_sql("TRUNCATE open_case_name")
    conn.exec_driver_sql(
        "INSERT INTO open_case_name (case_id, resident_id, name) "
        "SELECT c.id, c.resident_id, r.name FROM complaint_case c JOIN resident r ON r.id = c.resident_id "
        "WHERE NOT c.closed"
    )


#: Connections building a PostgreSQL demo's indexes side by side (:meth:`SetAside.build_indexes`).
INDEX_CONNECTIONS = 2
#: Memory for each index build (a session setting of each building connection).
MAINTENANCE_WORK_MEM = "256MB"


class SetAside:
    """What :func:`set_aside_postgresql` set aside: the secondary ``indexes`` (name, definition),
    the ``foreign`` keys (table, name, definition) and the ``triggered`` tables whose user
    triggers were disabled.

    Called with a connection, it puts everything back inside that connection's transaction,
    in order (indexes, foreign keys, triggers). The demo builder instead commits its rows,
    builds the indexes side by side on connections of their own (:meth:`build_indexes`) and
    then puts the constraints back (:meth:`put_back_constraints`)."""

    def __init__(self, indexes: list, foreign: list, triggered: list[str], keys: list | None = None) -> None:
        self.indexes, self.foreign, self.triggered = indexes, foreign, triggered
        #: primary keys and unique constraints: (table, name, "PRIMARY KEY" or "UNIQUE"); their
        #: indexes are among :attr:`indexes`, under the constraint's name
        self.keys = keys or []

    def __call__(self, c: Connection) -> None:
        for _name, definition in self.indexes:
            c.exec_driver_sql(definition)
        self.put_back_constraints(c)

    def put_back_constraints(self, c: Connection) -> None:
        """Make the primary keys and unique constraints again from their rebuilt indexes (``ADD
        CONSTRAINT ... USING INDEX``), add the foreign keys back (PostgreSQL validates each over
        the whole table) and enable the triggers."""
        for table, name, kind in self.keys:
            c.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} {kind} USING INDEX {name}")
        for table, name, definition in self.foreign:
            c.exec_driver_sql(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        for table in self.triggered:
            c.exec_driver_sql(f"ALTER TABLE {table} ENABLE TRIGGER USER")

    def build_indexes(self, engine, connections: int = INDEX_CONNECTIONS) -> None:
        """Create the indexes on ``connections`` connections of ``engine`` at once (committed rows:
        call after the load's commit), each build its own transaction, the costliest first (the
        pg_trgm GIN indexes, which PostgreSQL builds with one process, then by table size), so
        the GIN builds of one connection overlap the B-tree builds of the other. Each
        connection sets ``maintenance_work_mem`` for its session; a B-tree build may also use
        PostgreSQL's parallel maintenance workers (``max_parallel_maintenance_workers``).

        Raises the first build's error after every connection has stopped."""
        from concurrent.futures import ThreadPoolExecutor

        if not self.indexes:
            return
        with engine.connect() as c:
            sizes = dict(
                c.exec_driver_sql(
                    "SELECT quote_ident(relname), pg_relation_size(oid) FROM pg_class "
                    "WHERE relkind = 'r' AND relnamespace = current_schema()::regnamespace"
                ).all()
            )

        def cost(item: tuple[str, str]) -> tuple[bool, int]:
            definition = item[1]
            table = definition.split(" ON ", 1)[1].split()[0].split(".")[-1]
            return (" USING gin " not in definition, -sizes.get(table, 0))

        todo = sorted(self.indexes, key=cost)

        def build(share: list[tuple[str, str]]) -> None:
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                c.exec_driver_sql(f"SET maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
                while share:
                    try:
                        _name, definition = share.pop(0)
                    except IndexError:
                        return
                    c.exec_driver_sql(definition)

        shared = list(todo)  # list.pop is atomic: each connection takes the next build
        with ThreadPoolExecutor(max_workers=connections, thread_name_prefix="demo-index") as pool:
            futures = [pool.submit(build, shared) for _ in range(min(connections, len(todo)))]
            errors = [f.exception() for f in futures]
        for error in errors:
            if error is not None:
                raise error


def set_aside_postgresql(conn: Connection) -> SetAside:
    """Drop the foreign keys, the primary keys and unique constraints (not deferrable; not
    Alembic's own table's) and every other index (the pg_trgm search indexes and the unique
    ones among them) of caseworker's tables in the current schema, and
    disable their user triggers (the team-mode guards: the builder is privileged, so they
    would change nothing); the returned :class:`SetAside` creates the indexes, adds the foreign
    keys back (PostgreSQL validates each over the whole table) and enables the triggers again.

    Everything is set aside inside the caller's transaction; called with a connection, the
    :class:`SetAside` puts it back inside that connection's transaction.
    """
    schema = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())"
    foreign = conn.exec_driver_sql(
        "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) FROM pg_constraint "
        f"WHERE contype = 'f' AND connamespace = {schema} ORDER BY conrelid::regclass::text, conname"
    ).all()
    keys = conn.exec_driver_sql(
        "SELECT conrelid::regclass::text, quote_ident(conname), "
        "CASE contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, "
        "quote_ident(conname), pg_get_indexdef(conindid) FROM pg_constraint "
        f"WHERE contype IN ('p', 'u') AND connamespace = {schema} AND NOT condeferrable "
        "AND conrelid::regclass::text <> 'alembic_version' ORDER BY 1, 2"
    ).all()
    indexes = conn.exec_driver_sql(
        "SELECT quote_ident(c.relname), pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "JOIN pg_class c ON c.oid = i.indexrelid "
        f"WHERE c.relnamespace = {schema} "
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
    for table, name, _kind, _index, _definition in keys:
        conn.exec_driver_sql(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
    for name, _definition in indexes:
        conn.exec_driver_sql(f"DROP INDEX {name}")
    for table in triggered:
        conn.exec_driver_sql(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    return SetAside(
        [*((index, definition) for _t, _n, _k, index, definition in keys), *(tuple(r) for r in indexes)],
        [tuple(r) for r in foreign],
        triggered,
        [(table, name, kind) for table, name, kind, _index, _definition in keys],
    )
