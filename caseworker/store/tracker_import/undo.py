"""Undoing a tracker import: the cases, residents and officers one batch created, removed
again, when nothing has been done to those cases since.

The audit trail is append-only, so the batch's own audit events stay; an "import undone"
event records who undid it and what was removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC

from sqlalchemy import (
    Connection,
    Table,
    and_,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlmodel import SQLModel

from caseworker.store.bulk import begin_bulk


class UndoRefused(Exception):
    """The batch cannot be undone; the message says why (and names the cases touched since)."""


@dataclass(frozen=True)
class UndoSummary:
    """What undoing a batch removed, and the residents and officers kept because others use them."""

    batch: int
    source: str
    cases: int
    residents: int
    officers: int
    kept_residents: int
    kept_officers: int


@dataclass(frozen=True)
class BatchInfo:
    """One import batch as listed for people."""

    id: int
    source: str
    imported_at: object
    imported_by: str
    rows: int
    undone: bool


def list_batches(store) -> list[BatchInfo]:
    """Every import batch, newest first."""
    from caseworker.store.models import ImportBatch

    t = ImportBatch.__table__
    with store.engine.connect() as conn:
        return [
            BatchInfo(r.id, r.source, r.imported_at, r.imported_by, r.rows, r.undone_at is not None)
            for r in conn.execute(select(t).order_by(t.c.id.desc()))
        ]


def undo_batch(store, login: str, batch_id: int) -> UndoSummary:
    """Remove what import batch ``batch_id`` created: its cases (with their stages and
    extensions), and the residents and officers it created that nothing else uses.

    Refused when the batch does not exist or was undone already, or when anything has been
    done to one of its cases since (an audit event after the import, or a changed case),
    naming those cases. Everything happens in one transaction holding the write lock, with
    an "import undone" audit event by ``login``.

    Raises:
        UndoRefused: with the reason, naming the cases touched since.
    """
    from caseworker.store.models import AuditEvent, Case, ImportBatch, Officer, Resident

    batch_t, case_t, audit_t = ImportBatch.__table__, Case.__table__, AuditEvent.__table__
    resident_t, officer_t = Resident.__table__, Officer.__table__
    tables = [t for t in SQLModel.metadata.sorted_tables]
    now = store.clock.now().astimezone(UTC)
    with store.engine.connect() as conn:
        begin_bulk(conn, [t for t in tables if t is not audit_t] + [audit_t])
        try:
            batch = conn.execute(select(batch_t).where(batch_t.c.id == batch_id)).first()
            if batch is None:
                raise UndoRefused(f"there is no import batch {batch_id} (caseworker import --batches lists them)")
            if batch.undone_at is not None:
                raise UndoRefused(
                    f"import batch {batch_id} ({batch.source}) was already undone by {batch.undone_by} "
                    f"on {batch.undone_at:%d/%m/%Y}"
                )
            in_batch = case_t.c.id.between(batch.case_first, batch.case_last)
            touched = (
                conn.execute(
                    select(case_t.c.reference)
                    .where(
                        in_batch,
                        or_(
                            case_t.c.version > 1,
                            exists().where(audit_t.c.case_id == case_t.c.id, audit_t.c.id > batch.audit_last),
                        ),
                    )
                    .order_by(case_t.c.id)
                )
                .scalars()
                .all()
            )
            linked = (
                conn.execute(
                    select(case_t.c.reference).where(
                        ~in_batch, case_t.c.related_case_id.between(batch.case_first, batch.case_last)
                    )
                )
                .scalars()
                .all()
            )
            if touched or linked:
                names = list(touched) + list(linked)
                shown = ", ".join(names[:20]) + (f" and {len(names) - 20} more" if len(names) > 20 else "")
                raise UndoRefused(
                    f"import batch {batch_id} ({batch.source}) cannot be undone: {len(names)} of its "
                    f"cases have been worked on since it was imported ({shown}); correct those cases instead"
                )
            cases = conn.execute(select(func.count()).select_from(case_t).where(in_batch)).scalar_one()
            _delete_cases(conn, tables, case_t, batch.case_first, batch.case_last)
            residents, kept_residents = _delete_unused(
                conn, tables, resident_t, batch.resident_first, batch.resident_last
            )
            officers, kept_officers = _delete_unused(conn, tables, officer_t, batch.officer_first, batch.officer_last)
            conn.execute(update(batch_t).where(batch_t.c.id == batch_id).values(undone_at=now, undone_by=login))
            kept = ""
            if kept_residents or kept_officers:
                kept = f"; kept {kept_residents} resident(s) and {kept_officers} officer(s) used elsewhere"
            conn.execute(
                insert(audit_t).values(
                    at=now,
                    actor=login,
                    case_id=None,
                    action="import undone",
                    detail=f"import batch {batch_id} ({batch.source}) undone: removed {cases:,} cases, {residents:,} "
                    f"residents and {officers:,} officers{kept}",
                    before="",
                    after="",
                )
            )
            conn.commit()
        except BaseException:
            conn.rollback()
            raise
    return UndoSummary(batch_id, batch.source, cases, residents, officers, kept_residents, kept_officers)


def _fk_columns(tables: list[Table], parent: Table) -> list[tuple[Table, object]]:
    """(child table, column) for every foreign key pointing at ``parent``'s id."""
    found = []
    for table in tables:
        for fk in table.foreign_keys:
            if fk.column.table is parent:
                found.append((table, fk.parent))
    return found


def _delete_cases(conn: Connection, tables: list[Table], case_t: Table, first: int, last: int) -> None:
    """Delete the cases with ids ``first``..``last`` and every row that hangs off them, children first."""
    if not first:
        return

    def doomed(table: Table, depth: int = 0):
        """A condition selecting ``table``'s rows that belong to the doomed cases."""
        if table is case_t:
            return case_t.c.id.between(first, last)
        conds = []
        for fk in table.foreign_keys:
            parent = fk.column.table
            if parent is table or depth > 4:
                continue
            parent_cond = doomed(parent, depth + 1)
            if parent_cond is not None:
                conds.append(fk.parent.in_(select(fk.column).where(parent_cond)))
        return or_(*conds) if conds else None

    for table in reversed(tables):  # children before parents
        if table is case_t or table.name == "audit_event":
            continue
        cond = doomed(table)
        if cond is not None:
            conn.execute(delete(table).where(cond))
    conn.execute(update(case_t).where(case_t.c.id.between(first, last)).values(related_case_id=None))
    conn.execute(delete(case_t).where(case_t.c.id.between(first, last)))


def _delete_unused(conn: Connection, tables: list[Table], parent: Table, first: int, last: int) -> tuple[int, int]:
    """Delete the rows ``first``..``last`` of ``parent`` that no other row refers to: (deleted, kept)."""
    if not first:
        return 0, 0
    in_range = parent.c.id.between(first, last)
    used = [exists().where(column == parent.c.id) for _, column in _fk_columns(tables, parent)]
    total = conn.execute(select(func.count()).select_from(parent).where(in_range)).scalar_one()
    cond = and_(in_range, *(~u for u in used))
    deleted = conn.execute(delete(parent).where(cond)).rowcount
    return deleted, total - deleted
