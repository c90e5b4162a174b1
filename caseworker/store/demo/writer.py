"""Writing the demo's rows: the tables in insert order, one batch inserted parents first, and
a writer thread that inserts batches while the next is generated.

Inserting with the database driver releases the GIL, so on two cores generating and
inserting overlap; the bulk insert itself is shared with the tracker import.

On SQLite, a worker process (:mod:`.parallel`) sends its rows as a small database of its own:
it inserts them into an in-memory SQLite database and sends that database's bytes
(``Connection.serialize``, :func:`serialized_batch`); the writing process opens the parts'
bytes as attached in-memory databases (``deserialize``) and copies every table with one
``INSERT ... SELECT`` in id order (:func:`merge_parts`). Binding each value from Python is
then done in the workers, side by side, and the one writing process does only SQLite's own
copying (measured at 100,000 cases: 2.6 s of CPU against 7.2 s for the same rows bound from
Python, and no unpickling of millions of tuples).
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from operator import itemgetter

from sqlalchemy import Table
from sqlmodel import SQLModel

from caseworker.store import models as m
from caseworker.store.bulk import (
    _fill_defaults,
    _sqlite_literal,
    insert_rows,
    insert_tuples,
    sqlite_datetime,
    stored_tuples,
)

#: Insert order: parents before children (foreign keys are checked row by row on SQLite).
TABLES: tuple[type[SQLModel], ...] = (
    m.Officer,
    m.Resident,
    m.Representative,
    m.Disability,
    m.Adjustment,
    m.Restriction,
    m.Review,
    m.ServiceRequest,
    m.Case,
    m.Stage,
    m.Extension,
    m.Exclusion,
    m.Remedy,
    m.Action,
    m.ActionUpdate,
    m.Correspondence,
    m.AuditEvent,
    m.Setting,
)


def insert_batch(conn, rows: dict[str, list[dict]] | Prepared | Parts) -> None:
    """Insert one batch of rows, parents first: row dicts per table, rows already made stored
    tuples (:func:`prepare_batch`) or the worker processes' serialized databases (:class:`Parts`)."""
    if isinstance(rows, Parts):
        merge_parts(conn, rows)
        return
    for model in TABLES:
        table: Table = model.__table__
        batch = rows.get(table.name)
        if not batch:
            continue
        if isinstance(batch, tuple):
            names, tuples = batch
            if tuples:
                insert_tuples(conn, table, names, tuples, {})
        else:
            insert_rows(conn, table, batch)


#: A batch of rows made ready to insert: per table, the column names and the stored tuples.
Prepared = dict[str, tuple[tuple[str, ...], list[tuple]]]


def prepare_batch(dialect: str, rows: dict[str, list[dict]]) -> Prepared:
    """One batch of row dicts as stored tuples for ``dialect`` (what a worker process sends)."""
    return {
        model.__table__.name: stored_tuples(dialect, model.__table__, rows[model.__table__.name])
        for model in TABLES
        if rows[model.__table__.name]
    }


class Parts(tuple):
    """One window's rows from each worker process, as serialized SQLite databases (:func:`serialized_batch`)."""


#: The schema names the parts are attached as in the writing connection (``demo_part0``, ...).
PART_SCHEMA = "demo_part{}"


def serialized_batch(rows: dict[str, list[dict]]) -> bytes:
    """One batch of row dicts as the bytes of an in-memory SQLite database holding every table
    of :data:`TABLES` (empty ones too), with the batch's stored tuples: same names, ``id`` the
    integer primary key (so a table reads back in id order), no declared types (so each value
    keeps the type it was bound with, and the target's column affinity applies at the copy
    exactly as at a direct insert).

    Every batch has the same schema, its tables created in the same order before any row goes
    in, so each table has the same root page in every batch: the writing connection's cached
    ``INSERT ... SELECT`` statements stay valid from one batch to the next (SQLite would not
    notice a different layout behind the same schema cookie)."""
    con = sqlite3.connect(":memory:")
    try:
        for model in TABLES:  # every table first: each has the same root page in every batch
            names = tuple(c.name for c in model.__table__.columns)
            columns = ", ".join(f'"{n}" INTEGER PRIMARY KEY' if n == "id" else f'"{n}"' for n in names)
            con.execute(f'CREATE TABLE "{model.__table__.name}" ({columns})')
        for model in TABLES:
            table = model.__table__
            batch = rows[table.name]
            if batch:
                names, values, tuples = _part_tuples(table, batch)
                columns = ", ".join(f'"{n}"' for n in names)
                con.executemany(
                    f'INSERT INTO "{table.name}" ({columns}) VALUES ({values})',  # noqa: S608 - our own names
                    tuples,
                )
        con.commit()
        return con.serialize()
    finally:
        con.close()


def register_part_adapters() -> None:
    """Make the ``sqlite3`` module bind dates and datetimes as caseworker stores them (ISO dates;
    UTC datetimes as ``bulk.sqlite_datetime`` writes them), for :func:`serialized_batch`.

    Adapters are the module's, for the whole process: called in the builder's worker
    processes only (:mod:`.parallel`), which use ``sqlite3`` for nothing else."""
    sqlite3.register_adapter(date, date.isoformat)
    sqlite3.register_adapter(datetime, sqlite_datetime)


def _part_tuples(table: Table, rows: list[dict]) -> tuple[tuple[str, ...], str, list[tuple]]:
    """``rows`` of ``table`` as tuples for :func:`serialized_batch`: the columns the rows give
    (in table order), the ``VALUES`` list (a ``?`` each, then the model default of every
    column they leave out written as a literal), and the tuples. What ``bulk.stored_tuples``
    makes for SQLite, without touching each row in Python: dates and datetimes are bound by
    :func:`register_part_adapters`' adapters, and the rows are not changed.

    Rows of one table that name different columns are first given their defaults one by one
    (``bulk._fill_defaults``), as ``stored_tuples`` does."""
    first = rows[0]
    if min(map(len, rows)) != len(first) or max(map(len, rows)) != len(first):
        _fill_defaults(table, rows)
    given = tuple(c.name for c in table.columns if c.name in first)
    if len(given) != len(first):
        raise ValueError(f"{table.name}: rows name columns the table does not have")
    left = [c for c in table.columns if c.name not in first]
    literals, bound = [], []
    for c in left:
        if c.default is not None and c.default.is_scalar:
            literal = _sqlite_literal(c.default.arg)
        elif c.nullable:
            literal = "NULL"
        else:
            raise ValueError(f"{table.name}.{c.name}: no value and no default for a bulk insert")
        if literal is None:  # a default that only binding stores right (a date, say): bound with every row
            bound.append(c)
        else:
            literals.append((c.name, literal))
    get = itemgetter(*given)
    tuples = list(map(get, rows)) if len(given) > 1 else [(get(r),) for r in rows]
    if bound:
        tail = tuple(c.default.arg for c in bound)
        tuples = [row + tail for row in tuples]
    names = (*given, *(c.name for c in bound), *(name for name, _ in literals))
    values = ", ".join(["?"] * (len(given) + len(bound)) + [literal for _, literal in literals])
    return names, values, tuples


def merge_parts(conn, parts: Parts) -> None:
    """Copy the parts' rows into the build's tables, parents first: each part's bytes opened as
    the attached in-memory database ``demo_part<k>``, then per table one ``INSERT ... SELECT``
    of the parts merged in id order (SQLite merges the parts' id-ordered scans: no sort).

    Each window is its own transaction: a database read in a transaction cannot be replaced
    until it ends. (The build's file is private and thrown away if the build fails.)"""
    raw = conn.connection.driver_connection
    if raw.in_transaction:
        raw.commit()
    attached = {r[1] for r in raw.execute("PRAGMA database_list")}
    for k, data in enumerate(parts):
        schema = PART_SCHEMA.format(k)
        if schema not in attached:
            raw.execute(f"ATTACH DATABASE ':memory:' AS {schema}")
        raw.deserialize(data, name=schema)
    raw.execute("BEGIN IMMEDIATE")
    for model in TABLES:
        table = model.__table__
        names = ", ".join(f'"{c.name}"' for c in table.columns)
        select = " UNION ALL ".join(
            f'SELECT {names} FROM {PART_SCHEMA.format(k)}."{table.name}"' for k in range(len(parts))
        )
        order = ' ORDER BY "id"' if len(parts) > 1 and "id" in table.c else ""
        raw.execute(f'INSERT INTO main."{table.name}" ({names}) {select}{order}')  # noqa: S608 - our own names


def detach_parts(conn) -> None:
    """Detach the parts' databases :func:`merge_parts` attached (after the build's commit)."""
    raw = conn.connection.driver_connection
    for (name,) in [(r[1],) for r in raw.execute("PRAGMA database_list")]:
        if name.startswith("demo_part"):
            raw.execute(f"DETACH DATABASE {name}")


class Writer:
    """Inserts batches on one background thread, in order, while the next batch is generated.

    The database driver does its work with the GIL released, so on two cores generating and
    inserting overlap. At most two batches wait, bounding memory; an error in the writer is
    raised in the caller at the next submit or at ``finish``.
    """

    def __init__(self, conn) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.conn = conn
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-writer")
        self.pending: list = []

    def submit(self, rows: dict[str, list[dict]]) -> None:
        while len(self.pending) >= 2:
            self.pending.pop(0).result()
        self.pending.append(self.pool.submit(insert_batch, self.conn, rows))

    def finish(self) -> None:
        """Wait for every batch; raise the writer's error if it had one."""
        try:
            for future in self.pending:
                future.result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def abandon(self) -> None:
        """Stop after the batch in hand (the caller is failing and will roll back)."""
        self.pool.shutdown(wait=True, cancel_futures=True)
