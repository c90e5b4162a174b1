"""The case history a page at a time: newest first, audit events and correspondence merged.

A case can gather thousands of events (a long dispute with daily notes). Opening it reads
only the newest :data:`TIMELINE_PAGE` entries with two indexed queries (``audit_event`` by
``(case_id, at)``, ``correspondence`` by ``case_id``) and a count; older pages are read when
the officer scrolls to the end of what is shown, from where the last page stopped (keyset on
the timestamp and id, so page N costs what page 1 does).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, true
from sqlmodel import Session

from caseworker.clock import local
from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.recording import late_record
from caseworker.store.context import Store
from caseworker.store.models import AuditEvent, Correspondence
from caseworker.store.queries.case_model import CorrespondenceInfo, TimelineEntry, as_utc

#: Entries read at a time (the first page when a case opens, then each further page).
TIMELINE_PAGE = 200
#: Audit actions that only announce a correspondence row: the timeline shows the row itself.
CORRESPONDENCE_AUDIT = ("note added", "letter added", "email added", "phone added", "visit added", "letter issued")


@dataclass(frozen=True)
class TimelineCursor:
    """The last entry of a page: the next page holds the entries after it, in the timeline's order
    (newest ``at`` first; at the same moment correspondence before audit events, higher id first)."""

    at: datetime
    correspondence: bool
    id: int


@dataclass(frozen=True)
class TimelinePage:
    """Entries newest first, the correspondence they show, and where the next page starts (None: no more)."""

    entries: tuple[TimelineEntry, ...]
    correspondence: tuple[CorrespondenceInfo, ...]
    older: TimelineCursor | None


def _first_line(text: str | None, width: int = 200) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line[:width]


def correspondence_info(c: Correspondence, calendar: WorkingCalendar | None = None) -> CorrespondenceInfo:
    """The read model of one correspondence row (a note, letter, email, call or visit); with the
    calendar, one recorded after the day it happened says so (:func:`caseworker.rules.recording.late_record`)."""
    at = as_utc(c.at)
    late = late_record(c.kind, c.direction, c.dated, local(at).date(), calendar) if calendar and c.dated else None
    return CorrespondenceInfo(
        id=c.id,
        kind=c.kind,
        direction=c.direction,
        letter_kind=c.letter_kind,
        subject=c.subject,
        body=c.body,
        at=as_utc(c.at),
        by=c.by,
        letter_date=c.letter_date,
        letter_format=c.letter_format,
        dated=c.dated,
        late=late,
    )


def read_page(
    s: Session,
    case_id: int,
    older: TimelineCursor | None,
    limit: int | None = None,
    calendar: WorkingCalendar | None = None,
) -> TimelinePage:
    """One page of the case history inside an open session (see :func:`timeline_page`)."""
    limit = limit or TIMELINE_PAGE
    audit_q = select(AuditEvent.id, AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.detail).where(
        AuditEvent.case_id == case_id, AuditEvent.action.notin_(CORRESPONDENCE_AUDIT)
    )
    corr_q = select(Correspondence).where(Correspondence.case_id == case_id)
    if older is not None:
        at = older.at
        # After a correspondence item: every audit event at that moment, and items with a lower id.
        # After an audit event: the audit events at that moment with a lower id, no items.
        audit_q = audit_q.where(
            or_(
                AuditEvent.at < at,
                and_(AuditEvent.at == at, true())
                if older.correspondence
                else and_(AuditEvent.at == at, AuditEvent.id < older.id),
            )
        )
        corr_q = corr_q.where(
            or_(Correspondence.at < at, and_(Correspondence.at == at, Correspondence.id < older.id))
            if older.correspondence
            else Correspondence.at < at
        )
    audit = s.exec(audit_q.order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit)).all()
    corr = [
        correspondence_info(c, calendar)
        for c in s.exec(corr_q.order_by(Correspondence.at.desc(), Correspondence.id.desc()).limit(limit)).scalars()
    ]
    merged = _merged(audit, corr)
    entries = merged[:limit]
    more = len(audit) == limit or len(corr) == limit or len(merged) > limit
    cursor = None
    if more and entries:
        last = entries[-1]
        cursor = TimelineCursor(last.at, last.source == "correspondence", last.source_id)
    shown = {e.source_id for e in entries if e.source == "correspondence"}
    return TimelinePage(tuple(entries), tuple(c for c in corr if c.id in shown), cursor)


def read_whole(s: Session, case_id: int, calendar: WorkingCalendar | None = None) -> TimelinePage:
    """The whole history of the case in one page (the case file's chronology), newest first.

    Unlike :func:`read_page` it keeps the audit events that announce correspondence ("note
    added", "letter issued"...), so the record shows both who recorded an item and the item.
    """
    audit = s.exec(
        select(AuditEvent.id, AuditEvent.at, AuditEvent.actor, AuditEvent.action, AuditEvent.detail).where(
            AuditEvent.case_id == case_id
        )
    ).all()
    corr = [
        correspondence_info(c, calendar)
        for c in s.exec(select(Correspondence).where(Correspondence.case_id == case_id)).scalars()
    ]
    return TimelinePage(_merged(audit, corr), tuple(sorted(corr, key=lambda c: (c.at, c.id))), None)


def _merged(audit, corr) -> tuple[TimelineEntry, ...]:
    """Audit rows and correspondence as timeline entries, newest first (the timeline's order)."""
    return tuple(
        sorted(
            [TimelineEntry(as_utc(at), actor, action, detail, "audit", i) for i, at, actor, action, detail in audit]
            + [
                TimelineEntry(c.at, c.by, c.kind, c.subject or _first_line(c.body), "correspondence", c.id)
                for c in corr
            ],
            key=lambda t: (t.at, t.source != "audit", t.source_id),
            reverse=True,
        )
    )


def timeline_count(s: Session, case_id: int) -> int:
    """How many entries the whole history of the case has (what the Timeline tab's label says)."""
    audit = s.execute(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.case_id == case_id, AuditEvent.action.notin_(CORRESPONDENCE_AUDIT))
    ).scalar_one()
    corr = s.execute(
        select(func.count()).select_from(Correspondence).where(Correspondence.case_id == case_id)
    ).scalar_one()
    return int(audit) + int(corr)


def timeline_total(store: Store, case_id: int) -> int:
    """How many entries the whole history of case ``case_id`` has (see :func:`timeline_count`),
    in a session of its own: the case screen asks after showing a case read without it."""
    with store.session() as s:
        return timeline_count(s, case_id)


def timeline_page(store: Store, case_id: int, older: TimelineCursor | None, limit: int | None = None) -> TimelinePage:
    """The next older page of the case history.

    Args:
        store: the store.
        case_id: the case.
        older: ``TimelinePage.older`` of the page before (None: the newest page).
        limit: at most this many entries (None: :data:`TIMELINE_PAGE`).

    Returns:
        Entries newest first (ties broken as the full history orders them), the
        correspondence they show, and the cursor for the page after (None at the start).
    """
    with store.session() as s:
        return read_page(s, case_id, older, limit, store.calendar)


__all__ = [
    "CORRESPONDENCE_AUDIT",
    "TIMELINE_PAGE",
    "TimelineCursor",
    "TimelinePage",
    "correspondence_info",
    "read_page",
    "timeline_count",
    "timeline_page",
    "timeline_total",
]
