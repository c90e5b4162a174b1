"""Bulk writing with SQLAlchemy Core, shared by the tracker import and the demo builder.

Building SQLModel objects for tens of thousands of rows is several times slower than plain
Core rows (DESIGN section 4), so bulk work never goes through the ORM session. Everything
here runs on a connection inside the caller's transaction.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from itertools import chain
from operator import itemgetter

from sqlalchemy import Connection, Table, func, insert, select, text
from sqlalchemy import types as sa_types

from caseworker.store.db import bulk_page_cache


def begin_bulk(conn: Connection, tables: Iterable[Table]) -> None:
    """Start the bulk transaction holding the write lock, so ids read next stay free until commit.

    SQLite: ``BEGIN IMMEDIATE`` (the database's write lock), with the connection's page cache
    raised for the bulk work (:func:`~caseworker.store.db.bulk_page_cache`). PostgreSQL: the
    tables locked against other writers (readers carry on), and for this transaction only the
    server's own choice of cached plans (see below).

    PostgreSQL checks every foreign key of every row inserted with a statement of its own
    (``SELECT 1 FROM ONLY officer x WHERE id = $1 FOR KEY SHARE OF x``), prepared once per
    session and kept. The app's sessions plan each statement for its values
    (``plan_cache_mode = force_custom_plan``, :data:`~caseworker.store.db.SESSION_OPTIONS`),
    which for those checks means planning the same primary-key look-up again for every row: a
    third of the server's work in a 200,000-row tracker import (``perf`` on the backend:
    ``GetCachedPlan`` -> ``pg_plan_queries`` under ``AfterTriggerEndQuery``). ``SET LOCAL
    plan_cache_mode = auto`` lets those checks run on one generic plan (a unique-index probe)
    until the commit or rollback, when the session's setting comes back by itself; ``DISCARD
    PLANS`` first, so the generic plans are made from the tables as they are now, not kept
    from an earlier transaction on this pooled connection when a table was nearly empty (a
    sequential scan would then be run once per row). The checks, the constraints and the
    triggers are all still there and run for every row.
    """
    dialect = conn.dialect.name
    if dialect == "sqlite":
        bulk_page_cache(conn)
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        names = ", ".join(conn.dialect.identifier_preparer.format_table(t) for t in tables)
        conn.exec_driver_sql(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")
        conn.exec_driver_sql("SET LOCAL plan_cache_mode = auto")
        conn.exec_driver_sql("DISCARD PLANS")


def max_ids(conn: Connection, tables: Iterable[Table]) -> dict[str, int]:
    """The largest id in each table (0 when empty), keyed by table name."""
    return {t.name: conn.execute(select(func.coalesce(func.max(t.c.id), 0))).scalar_one() for t in tables}


def _fill_defaults(table: Table, rows: Sequence[dict]) -> None:
    """Give columns the writer leaves out (e.g. a new record's ``version``) their model default."""
    first = rows[0]
    fill = {
        c.name: c.default.arg
        for c in table.columns
        if c.name not in first and c.default is not None and c.default.is_scalar
    }
    fill.update({c.name: None for c in table.columns if c.name not in first and c.name not in fill and c.nullable})
    if fill:
        for row in rows:
            for key, value in fill.items():
                row.setdefault(key, value)


def insert_rows(conn: Connection, table: Table, rows: Sequence[dict], chunk: int = 20_000) -> None:
    """Executemany inserts of plain dicts (every dict with every column of ``table``).

    On PostgreSQL with psycopg 3 the rows go in with COPY; on other servers this is
    ``insert(table)`` executed with the list of dicts, which SQLAlchemy batches into
    multi-row statements. On SQLite the values are put in the form SQLAlchemy stores them
    (ISO dates; UTC datetimes as ``YYYY-MM-DD HH:MM:SS.ffffff``) and the rows go in as
    :func:`insert_tuples` writes them: positional multi-row INSERTs through the driver.
    SQLAlchemy's per-value bind processing costs about twice the insert itself, one
    statement per row makes FTS5 write its index out at every statement (the demo's
    20,000 cases: 3.0 s of CPU for ``complaint_case`` alone, against 0.35 s without its
    search triggers), and this path is what keeps the demo and tracker imports within
    their budgets (DESIGN section 4). The dicts are converted in place.
    """
    if not rows:
        return
    dialect = conn.dialect
    if dialect.name == "sqlite" or (dialect.name == "postgresql" and dialect.driver == "psycopg"):
        names, tuples = stored_tuples(dialect.name, table, rows)
        insert_tuples(conn, table, names, tuples, {})
        return
    _fill_defaults(table, rows)
    for i in range(0, len(rows), chunk):
        conn.execute(insert(table), list(rows[i : i + chunk]))


def stored_tuples(dialect: str, table: Table, rows: Sequence[dict]) -> tuple[tuple[str, ...], list[tuple]]:
    """Row dicts as tuples of every column of ``table`` (the names returned with them), each
    value in the form the database ``dialect`` stores it: on SQLite ISO dates and UTC
    datetimes as ``YYYY-MM-DD HH:MM:SS.ffffff`` text, as SQLAlchemy writes them; elsewhere
    as given (psycopg adapts dates, aware datetimes and booleans). Columns a row leaves out
    get their model default. The dicts are converted in place.

    What :func:`insert_rows` inserts; the demo builder's worker processes call it so the
    process writing receives rows ready for :func:`insert_tuples`.
    """
    _fill_defaults(table, rows)
    if dialect == "sqlite":
        dates, datetimes = _temporal_columns(table)
        for row in rows:
            for key in dates:
                value = row[key]
                if value is not None:
                    row[key] = value.isoformat()
            for key in datetimes:
                value = row[key]
                if value is not None:
                    row[key] = sqlite_datetime(value)
    names = tuple(c.name for c in table.columns)
    return names, list(map(_getter(names), rows))


_TEMPORAL: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}


def _temporal_columns(table: Table) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of ``table``'s date columns and of its datetime columns."""
    cached = _TEMPORAL.get(table.name)
    if cached is None:
        dates = tuple(
            c.name
            for c in table.columns
            if isinstance(c.type, sa_types.Date) and not isinstance(c.type, sa_types.DateTime)
        )
        datetimes = tuple(
            c.name
            for c in table.columns
            if isinstance(c.type, sa_types.DateTime) or isinstance(getattr(c.type, "impl", None), sa_types.DateTime)
        )
        cached = _TEMPORAL[table.name] = (dates, datetimes)
    return cached


def _getter(names: tuple[str, ...]) -> Callable[[dict], tuple]:
    """A function from a row dict to the tuple of its ``names`` values (C speed: itemgetter)."""
    get = itemgetter(*names)
    return get if len(names) > 1 else lambda row: (get(row),)


def insert_tuples(
    conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple], fixed: dict[str, object]
) -> None:
    """Insert rows given as tuples of ``columns``, with ``fixed`` giving every other column of
    ``table`` one value for all of them. Values are as stored (on SQLite, dates and datetimes
    already text, as :func:`insert_rows` makes them).

    SQLite: positional multi-row INSERTs of up to :data:`SQLITE_ROWS_PER_INSERT` rows each
    (binding tuples is cheaper than looking up named parameters in dicts, and one statement
    per row is slow on tables with FTS5 triggers), with the fixed values written into the
    statement as literals when they are NULL, booleans, integers or text (stored exactly as
    if bound) and bound with every row otherwise. PostgreSQL with psycopg 3: COPY. Others:
    SQLAlchemy ``insert(table)`` with dicts.
    """
    if not rows:
        return
    given = {*columns, *fixed}
    unknown = given - {c.name for c in table.columns}
    if unknown or len(given) != len(columns) + len(fixed):
        raise ValueError(f"{table.name}: {columns} and {tuple(fixed)} are not the table's columns")
    left = [c for c in table.columns if c.name not in given]
    if left:  # columns this writer does not know (added since): their model defaults, as the ORM would
        fixed = dict(fixed)
        for c in left:
            if c.default is not None and c.default.is_scalar:
                value = c.default.arg
                fixed[c.name] = (
                    value.isoformat() if hasattr(value, "isoformat") and conn.dialect.name == "sqlite" else value
                )
            elif c.nullable:
                fixed[c.name] = None
            else:
                raise ValueError(f"{table.name}.{c.name}: no value and no default for a bulk insert")
    dialect = conn.dialect
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        tail = tuple(fixed.values())
        _copy_tuples(conn, table, (*columns, *fixed), [row + tail for row in rows])
        return
    if dialect.name != "sqlite":
        for i in range(0, len(rows), 20_000):
            conn.execute(
                insert(table), [{**dict(zip(columns, row, strict=True)), **fixed} for row in rows[i : i + 20_000]]
            )
        return
    literals = {name: _sqlite_literal(value) for name, value in fixed.items()}
    bound = tuple(name for name, literal in literals.items() if literal is None)
    if bound:
        tail = tuple(fixed[name] for name in bound)
        rows = [row + tail for row in rows]
    prep = dialect.identifier_preparer
    names = (*columns, *bound, *(name for name in fixed if name not in bound))
    width = len(columns) + len(bound)
    one = "(" + ", ".join(["?"] * width + [literals[name] for name in fixed if name not in bound]) + ")"
    head = f"INSERT INTO {prep.format_table(table)} ({', '.join(prep.quote(n) for n in names)}) VALUES "
    per = max(1, min(SQLITE_ROWS_PER_INSERT, SQLITE_MAX_VARIABLES // width))
    full = head + ", ".join([one] * per)
    flat = chain.from_iterable
    whole = len(rows) - len(rows) % per
    for i in range(0, whole, per):
        conn.exec_driver_sql(full, tuple(flat(rows[i : i + per])))
    # The rest in statements of 2**k rows: the driver keeps each distinct statement prepared
    # (sqlite3's cache of 128), and a prepared statement of hundreds of rows is large, so a
    # statement per remainder length (a new one nearly every batch) grew a 200,000-row
    # import's memory by tens of MiB; this way a table has at most a dozen.
    i, size = whole, 1 << max(0, len(rows) - whole).bit_length()
    while i < len(rows):
        size >>= 1
        if i + size <= len(rows):
            conn.exec_driver_sql(head + ", ".join([one] * size), tuple(flat(rows[i : i + size])))
            i += size


#: Rows per multi-row INSERT on SQLite. One statement per row (executemany) costs far more on
#: tables with FTS5 triggers (migration 0010c): each statement opens a savepoint, at which
#: FTS5 writes its pending index out; 20,000 cases took 1.8 s of CPU that way, 0.4 s in
#: statements of 1,000 rows (measured 30 November 2026, SQLite 3.40).
SQLITE_ROWS_PER_INSERT = 1_000
#: Bound parameters per statement: SQLite's default limit since 3.32 (32,766), with room to spare.
SQLITE_MAX_VARIABLES = 30_000


def _sqlite_literal(value: object) -> str | None:
    """``value`` as a SQLite literal that stores exactly what binding it would; None when there is none."""
    if value is None:
        return "NULL"
    if value is True or value is False:
        return "1" if value else "0"  # the driver binds booleans as the integers 1 and 0
    if type(value) is int:
        return str(value)
    if type(value) is str and "\x00" not in value:
        return "'" + value.replace("'", "''") + "'"
    return None


#: Key of ``Connection.info``: the names of the tables truncated in the connection's current
#: transaction (by the demo builder), into which COPY may write its rows already frozen.
COPY_FREEZE = "caseworker_copy_freeze"


def _copy_tuples(conn: Connection, table: Table, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """PostgreSQL with psycopg 3: ``COPY ... FROM STDIN`` of tuples on the connection's own transaction.

    ``WITH (FREEZE)`` when the table is named in ``conn.info[COPY_FREEZE]`` (truncated in this
    transaction): the rows go in frozen and their pages marked all-visible, so the VACUUM after
    a bulk load has nothing to do on them (PostgreSQL 14 and later)."""
    prep = conn.dialect.identifier_preparer
    names = ", ".join(prep.quote(c) for c in columns)
    freeze = " WITH (FREEZE)" if table.name in conn.info.get(COPY_FREEZE, ()) else ""
    cursor = conn.connection.driver_connection.cursor()
    try:
        with cursor.copy(f"COPY {prep.format_table(table)} ({names}) FROM STDIN{freeze}") as copy:
            for row in rows:
                copy.write_row(row)
    finally:
        cursor.close()


_DATETIME_TEXT: dict[datetime, str] = {}


def sqlite_datetime(value: datetime) -> str:
    """A datetime as SQLAlchemy's SQLite dialect stores it (UTC, no offset, microseconds)."""
    text_ = _DATETIME_TEXT.get(value)
    if text_ is None:
        plain = value.astimezone(UTC).replace(tzinfo=None) if value.tzinfo is not None else value
        text_ = plain.isoformat(" ")
        if not plain.microsecond:
            text_ += ".000000"
        if len(_DATETIME_TEXT) > 200_000:
            _DATETIME_TEXT.clear()
        _DATETIME_TEXT[value] = text_
    return text_


def reset_sequences(conn: Connection, tables: Iterable[Table]) -> None:
    """After inserting explicit ids on PostgreSQL, move each id sequence past the largest id."""
    if conn.dialect.name != "postgresql":
        return
    for t in tables:
        name = conn.dialect.identifier_preparer.format_table(t)
        conn.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, 'id'), COALESCE((SELECT MAX(id) FROM {name}), 1), "
                f"(SELECT MAX(id) FROM {name}) IS NOT NULL)"
            ),
            {"table": t.name},
        )


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while tens of thousands of rows are built.

    The rows hold no reference cycles, but allocating that many containers triggers
    collections, and each full one walks every object in the process: about 0.1 s of an
    import of 20,000 rows. Reference counting frees memory as usual meanwhile.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def set_aside_sqlite_indexes(conn: Connection, tables: Iterable[Table]) -> Callable[[Connection], None]:
    """Drop the secondary (non-unique) indexes of ``tables`` in a SQLite database inside the
    caller's write transaction; the returned callable creates them again from their stored SQL
    (``sqlite_master``, so whatever the migrations made comes back exactly as it was).

    For a bulk load that adds more rows than a table holds: keeping ten indexes current row by
    row costs a random B-tree insert each (most of a tracker import's SQLite time once the
    indexes outgrow the page cache), building each once afterwards is a sort. Unique indexes
    stay (they make a repeated reference an error as the rows go in), and so do triggers
    (guards and the search indexes' upkeep). DDL is transactional in SQLite: a rollback puts
    the indexes back untouched, and other connections read the indexes of the last commit
    meanwhile.
    """
    names = [t.name for t in tables]
    marks = ", ".join("?" * len(names))
    found = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND sql NOT LIKE 'CREATE UNIQUE%' AND tbl_name IN ({marks}) ORDER BY tbl_name, name",
        tuple(names),
    ).all()
    for name, _sql in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    statements = [sql for _name, sql in found]

    def restore(c: Connection) -> None:
        for sql in statements:
            c.exec_driver_sql(sql)

    return restore
