"""Read models for a case's documents (5.12), the updates agreed with and given to the resident
(5.9), and the content of one document (read only when it is opened, saved or put in a case
file, never with the list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import select

from caseworker.store.context import Store
from caseworker.store.models import Document, DocumentWithdrawal, ResidentUpdate, UpdateInterval
from caseworker.store.queries.case_model import as_utc


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document without its content. ``withdrawn_reason`` is "" while it stands."""

    id: int
    case_id: int
    name: str
    media_type: str
    size: int  # bytes
    sha256: str
    description: str
    added_by: str
    added_at: datetime  # UTC
    withdrawn_reason: str = ""
    withdrawn_by: str = ""
    withdrawn_at: datetime | None = None

    @property
    def withdrawn(self) -> bool:
        """True when the document was withdrawn from the record (it stays stored)."""
        return bool(self.withdrawn_by)


@dataclass(frozen=True)
class UpdateIntervalInfo:
    """An interval of updates agreed with the resident (5.9)."""

    id: int
    stage_number: int
    every_days: int  # working days
    agreed_on: date
    how: str
    notes: str
    recorded_by: str


@dataclass(frozen=True)
class ResidentUpdateInfo:
    """An update given to the resident (5.9, 6.6)."""

    id: int
    given_on: date
    how: str
    summary: str
    by: str


def case_documents(store: Store, case_id: int) -> tuple[DocumentInfo, ...]:
    """A case's documents, oldest first, withdrawn ones included (marked)."""
    with store.session() as s:
        rows = s.exec(
            select(
                Document.id,
                Document.case_id,
                Document.name,
                Document.media_type,
                Document.size,
                Document.sha256,
                Document.description,
                Document.added_by,
                Document.added_at,
                DocumentWithdrawal.reason,
                DocumentWithdrawal.by,
                DocumentWithdrawal.at,
            )
            .outerjoin(DocumentWithdrawal, DocumentWithdrawal.document_id == Document.id)
            .where(Document.case_id == case_id)
            .order_by(Document.added_at, Document.id)
        ).all()
    return tuple(
        DocumentInfo(
            id=i,
            case_id=c,
            name=n,
            media_type=m,
            size=z,
            sha256=h,
            description=d,
            added_by=b,
            added_at=as_utc(a),
            withdrawn_reason=wr or "",
            withdrawn_by=wb or "",
            withdrawn_at=as_utc(wa) if wa else None,
        )
        for i, c, n, m, z, h, d, b, a, wr, wb, wa in rows
    )


def document_content(store: Store, document_id: int) -> bytes:
    """The stored bytes of one document.

    Raises:
        LookupError: no such document.
    """
    with store.session() as s:
        content = s.exec(select(Document.content).where(Document.id == document_id)).first()
    if content is None:
        raise LookupError(f"no document with id {document_id}")
    return bytes(content)


def update_intervals(store: Store, case_id: int) -> tuple[UpdateIntervalInfo, ...]:
    """The update intervals agreed on a case, oldest first."""
    with store.session() as s:
        rows = s.exec(select(UpdateInterval).where(UpdateInterval.case_id == case_id).order_by(UpdateInterval.id)).all()
    return tuple(
        UpdateIntervalInfo(r.id, r.stage_number, r.every_days, r.agreed_on, r.how, r.notes, r.recorded_by) for r in rows
    )


def resident_updates(store: Store, case_id: int) -> tuple[ResidentUpdateInfo, ...]:
    """The updates given to the resident on a case, oldest first."""
    with store.session() as s:
        rows = s.exec(
            select(ResidentUpdate)
            .where(ResidentUpdate.case_id == case_id)
            .order_by(ResidentUpdate.given_on, ResidentUpdate.id)
        ).all()
    return tuple(ResidentUpdateInfo(r.id, r.given_on, r.how, r.summary, r.by) for r in rows)
