"""Read models for the inbox: the filter, a page of cases by next deadline (keyset-paged on
``(next_due, id)``), the count, and the ``caseworker due`` list.

Also the row-building helpers the deadline board, adjustments register and Stage 2
allocation share (open-case filters, the inbox columns with their flags, id chunks), so
each of those modules reads the cases exactly as the inbox does.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, exists, false, func, or_, select, true, tuple_
from sqlmodel import Session

from caseworker.store.context import Store
from caseworker.store.models import (
    Action,
    Adjustment,
    Case,
    Disability,
    ExtensionRequest,
    Officer,
    Resident,
    Restriction,
)
from caseworker.store.queries.case import rag
from caseworker.store.queries.officers import _officer_id, officer_by_login

#: The inbox flags, in the order screens show them.
FLAGS = ("adjustments", "restriction", "vulnerable", "overdue-actions")
_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows. ``officer_login=None`` means every officer's cases.

    ``due_within=N`` keeps cases due on or before the date N working days from today
    (overdue ones included); ``overdue`` keeps cases whose deadline has passed. ``search``
    matches a reference prefix, or a substring of the resident's name or the case summary,
    ignoring case.
    """

    officer_login: str | None = None
    stage: int | None = None
    status: str | None = None
    overdue: bool = False
    due_within: int | None = None
    search: str = ""
    include_closed: bool = False
    awaiting_approval: bool = False  # only cases with an extension request waiting for a supervisor


@dataclass(frozen=True)
class InboxRow:
    """One case in a list: its next deadline, countdown, colour and flags."""

    case_id: int
    reference: str
    resident: str
    case_type: str
    stage: int
    status: str
    officer: str  # login, or "" when unassigned
    next_due: date | None
    due_kind: str  # "acknowledge", "respond" or ""
    days_left: int | None
    rag: str  # "red", "amber", "green" or ""
    flags: frozenset[str]
    officer_name: str = ""  # the officer's full name, as lists show it ("" when unassigned)


@dataclass(frozen=True)
class InboxPage:
    """A page of the inbox; pass ``next_after`` back as ``after`` for the next page (None: no more)."""

    rows: tuple[InboxRow, ...]
    next_after: tuple[date | None, int] | None


def _like(term: str) -> str:
    """``term`` as the body of a LIKE pattern, with %, _ and the escape character escaped."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _matches(store: Store, column, pattern: str):
    """``column`` LIKE ``pattern`` ignoring case: SQLite's LIKE already ignores (ASCII) case and
    needs no lower() per row; elsewhere ILIKE."""
    if store.engine.dialect.name == "sqlite":
        return column.like(pattern, escape="\\")
    return column.ilike(pattern, escape="\\")


def _not_closed(scan: bool = False):
    """Open cases only; with ``scan``, written so that SQLite will not drive the query from the
    ``(closed, ...)`` indexes (see :func:`_unindexed`)."""
    return _unindexed(Case.closed, false()) == false() if scan else Case.closed == false()


def _unindexed(column, default):
    """``column`` wrapped in a no-op COALESCE so that SQLite's planner (which has no statistics)
    cannot pick an index on it.

    A filter that may match few rows (a status, a stage, a search) is far cheaper as one
    sequential scan of ``complaint_case`` (~20 ms at 100,000 cases) than as a walk of the
    ``(closed, next_due)`` index that reads tens of thousands of rows at random (up to
    ~200 ms); PostgreSQL plans from statistics and is unaffected.
    """
    return func.coalesce(column, default)


def mine(s: Session, login: str):
    """An officer's cases: those they hold, and those with an open action they own (6.6, 6.17).

    Two indexed probes (``ix_case_officer_due`` and ``ix_action_owner_open``), OR-ed.
    """
    oid = _officer_id(s, login)
    owned = select(Action.case_id).where(Action.owner == login, Action.done == false())
    return or_(Case.officer_id == (oid if oid is not None else -1), Case.id.in_(owned))


def _conditions(s: Session, store: Store, flt: InboxFilter) -> tuple[list, bool]:
    """WHERE clauses for ``flt`` and whether they make a sequential scan: index-friendly for
    the officer and date filters, a plain scan for the status, stage and search filters."""
    today = store.today()
    term = flt.search.strip()
    scan = flt.officer_login is None and (term or flt.stage is not None or flt.status)
    conds: list = []
    if not flt.include_closed:
        conds.append(_not_closed(scan=bool(scan)))
    if flt.officer_login is not None:
        conds.append(mine(s, flt.officer_login))
    if flt.stage is not None:
        conds.append(_unindexed(Case.stage, 0) == flt.stage)
    if flt.status:
        conds.append(_unindexed(Case.status, "") == flt.status)
    if flt.overdue:
        conds.append(Case.next_due < today)
    if flt.awaiting_approval:
        conds.append(Case.id.in_(select(ExtensionRequest.case_id).where(ExtensionRequest.state == "pending")))
    if flt.due_within is not None:
        conds.append(Case.next_due <= store.calendar.add(today, max(0, flt.due_within)))
    if term:
        p = _like(term)
        conds.append(
            or_(
                _matches(store, Case.reference, p + "%"),
                _matches(store, Case.summary, "%" + p + "%"),
                Case.resident_id.in_(select(Resident.id).where(_matches(store, Resident.name, "%" + p + "%"))),
            )
        )
    return conds, bool(scan)


def _row_select(today: date, conds: Sequence = ()):
    """The inbox columns, with the four flags as correlated EXISTS probes on indexed columns
    (evaluated only for the rows of the page)."""
    flags = (
        exists().where(Adjustment.resident_id == Case.resident_id, Adjustment.active == true()),
        exists().where(Restriction.resident_id == Case.resident_id, Restriction.active == true()),
        or_(Resident.vulnerable == true(), exists().where(Disability.resident_id == Case.resident_id)),
        # done is wrapped so that the probe follows action.case_id, not the (done, due) index
        exists().where(Action.case_id == Case.id, _unindexed(Action.done, false()) == false(), Action.due < today),
    )
    return (
        select(
            Case.id,
            Case.reference,
            Resident.name,
            Case.case_type,
            Case.stage,
            Case.status,
            Officer.login,
            Case.next_due,
            Case.next_due_kind,
            Officer.name,
            *flags,
        )
        .join(Resident, Resident.id == Case.resident_id)
        .outerjoin(Officer, Officer.id == Case.officer_id)
        .where(*conds)
    )


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


def _rows(store: Store, raw: Sequence) -> list[InboxRow]:
    """Raw inbox columns to rows with countdown, colour and flags."""
    today = store.today()
    cal = store.calendar
    out = []
    for cid, ref, resident, case_type, stage, status, login, due, kind, officer_name, *flags in raw:
        left = cal.days_left(due, today) if due is not None else None
        out.append(
            InboxRow(
                case_id=cid,
                reference=ref,
                resident=resident,
                case_type=case_type,
                stage=stage,
                status=status,
                officer=login or "",
                next_due=due,
                due_kind=kind or "",
                days_left=left,
                rag=rag(left),
                flags=frozenset(f for f, on in zip(FLAGS, flags, strict=False) if on),
                officer_name=officer_name or login or "",
            )
        )
    return out


def _page_raw(s: Session, today: date, conds: list, scan: bool, after: tuple | None, limit: int) -> list:
    """Up to ``limit`` raw rows after the keyset ``after``, by next_due (undated last), then id.

    The page's ids are found on ``complaint_case`` alone and only then joined to the resident
    and officer. Following an index, dated and undated cases are two queries, each in index
    order; when the filters scan the table anyway, one query sorts with NULLs last.
    """

    def fetch(ids_query, *order) -> list:
        ids = ids_query.order_by(*order).limit(limit - len(raw)).subquery()
        return s.exec(_row_select(today).join(ids, ids.c.id == Case.id).order_by(*order)).all()

    raw: list = []
    after_due, after_id = after if after is not None else (None, None)
    if scan:
        q = select(Case.id).where(*conds)
        if after is not None and after_due is not None:
            q = q.where(or_(tuple_(Case.next_due, Case.id) > tuple_(after_due, after_id), Case.next_due.is_(None)))
        elif after is not None:
            q = q.where(Case.next_due.is_(None), Case.id > after_id)
        return fetch(q, case((Case.next_due.is_(None), 1), else_=0), Case.next_due, Case.id)
    if after is None or after_due is not None:
        q = select(Case.id).where(*conds, Case.next_due.is_not(None))
        if after is not None:
            q = q.where(tuple_(Case.next_due, Case.id) > tuple_(after_due, after_id))
        raw.extend(fetch(q, Case.next_due, Case.id))
    if len(raw) < limit:
        q = select(Case.id).where(*conds, Case.next_due.is_(None))
        if after is not None and after_due is None:
            q = q.where(Case.id > after_id)
        raw.extend(fetch(q, Case.id))
    return raw


def inbox_page(
    store: Store, flt: InboxFilter = InboxFilter(), after: tuple | None = None, limit: int = 200
) -> InboxPage:
    """One page of cases matching ``flt``, ordered by next deadline (undated last), then id.

    Args:
        store: the store.
        flt: the filter.
        after: ``next_after`` of the previous page, or None for the first page.
        limit: rows per page.
    """
    with store.session() as s:
        conds, scan = _conditions(s, store, flt)
        raw = _page_raw(s, store.today(), conds, scan, after, limit + 1)
        more = len(raw) > limit
        raw = raw[:limit]
        rows = _rows(store, raw)
    next_after = (rows[-1].next_due, rows[-1].case_id) if more and rows else None
    return InboxPage(rows=tuple(rows), next_after=next_after)


def inbox_count(store: Store, flt: InboxFilter = InboxFilter()) -> int:
    """How many cases match ``flt``."""
    with store.session() as s:
        conds, _ = _conditions(s, store, flt)
        return s.exec(select(func.count()).select_from(Case).where(*conds)).scalar_one()


def due_list(store: Store, within: int | None = None, officer_login: str | None = None) -> list[InboxRow]:
    """Open cases by next deadline, overdue first (``caseworker due``).

    Raises:
        LookupError: ``officer_login`` is not a known officer.
    """
    if officer_login is not None and officer_by_login(store, officer_login) is None:
        raise LookupError(f"unknown officer {officer_login!r}")
    flt = InboxFilter(officer_login=officer_login, due_within=within)
    out: list[InboxRow] = []
    after = None
    while True:
        page = inbox_page(store, flt, after=after, limit=1000)
        out.extend(page.rows)
        if page.next_after is None:
            return out
        after = page.next_after
