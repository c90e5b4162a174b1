"""Writing the demo's rows: the tables in insert order, one batch inserted parents first, and
a writer thread that inserts batches while the next is generated.

Inserting with the database driver releases the GIL, so on two cores generating and
inserting overlap; the bulk insert itself is shared with the tracker import.
"""

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel

from caseworker.store import models as m
from caseworker.store.bulk import insert_rows, insert_tuples, stored_tuples

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


def insert_batch(conn, rows: dict[str, list[dict]] | Prepared) -> None:
    """Insert one batch of rows, parents first: row dicts per table, or rows already made
    stored tuples (:func:`prepare_batch`) when a worker process made them."""
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
