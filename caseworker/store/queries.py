"""Read models for the screens and the command line: inbox, deadlines, registers, allocation.

Every function takes the :class:`Store` first, opens its own session and returns frozen
dataclasses built from plain column values, never live ORM objects. Lists are paged in SQL
by keyset on ``(next_due, id)`` over the composite indexes on ``complaint_case`` (open
cases by due date, and per officer), so a page costs the same at case 100 as at 100,000.
The case detail lives in :mod:`caseworker.store.queries_case` and is re-exported here.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import (
    case,
    exists,
    false,
    func,
    or_,
    select,
    true,
    tuple_,
    union_all,
)
from sqlmodel import Session

from caseworker.rules.lifecycle import stage2_ineligibility
from caseworker.store.context import Store
from caseworker.store.mapping import case_facts
from caseworker.store.models import (
    Action,
    Adjustment,
    Case,
    Disability,
    Officer,
    Resident,
    Restriction,
    Stage,
)
from caseworker.store.queries_case import (
    ActionInfo,
    ActionUpdateInfo,
    AdjustmentInfo,
    CaseDetail,
    CaseHeader,
    CorrespondenceInfo,
    DeadlineInfo,
    DisabilityInfo,
    ExclusionInfo,
    ExtensionInfo,
    RemedyInfo,
    RepresentativeInfo,
    ResidentInfo,
    RestrictionInfo,
    StageInfo,
    TimelineEntry,
    case_detail,
    case_id_for_reference,
    rag,
)

#: The inbox flags, in the order screens show them.
FLAGS = ("adjustments", "restriction", "vulnerable", "overdue-actions")
#: Deadline board groups, in order.
BOARD_GROUPS = ("overdue", "today", "next 2 working days", "this week", "later")
#: Reviews falling due within this many calendar days count as "due" in the register.
REVIEW_DUE_DAYS = 14
_CHUNK = 500  # ids per IN (...) list


# -- officers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OfficerInfo:
    """An officer, supervisor or administrator."""

    id: int
    login: str
    name: str
    role: str
    active: bool
    email: str = ""


def _officer_info(o: Officer) -> OfficerInfo:
    return OfficerInfo(id=o.id, login=o.login, name=o.name, role=o.role, active=o.active, email=o.email)


def officer_by_login(store: Store, login: str) -> OfficerInfo | None:
    """The officer with ``login``, or None."""
    with store.session() as s:
        o = s.exec(select(Officer).where(Officer.login == login)).scalar_one_or_none()
        return None if o is None else _officer_info(o)


def officers(store: Store, active_only: bool = True) -> list[OfficerInfo]:
    """Officers by name (active ones only unless ``active_only`` is False)."""
    with store.session() as s:
        q = select(Officer).order_by(Officer.name, Officer.login)
        if active_only:
            q = q.where(Officer.active == True)
        return [_officer_info(o) for o in s.exec(q).scalars()]


def _officer_id(s: Session, login: str) -> int | None:
    return s.exec(select(Officer.id).where(Officer.login == login)).scalar_one_or_none()


# -- inbox ------------------------------------------------------------------------------


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
        oid = _officer_id(s, flt.officer_login)
        conds.append(Case.officer_id == (oid if oid is not None else -1))
    if flt.stage is not None:
        conds.append(_unindexed(Case.stage, 0) == flt.stage)
    if flt.status:
        conds.append(_unindexed(Case.status, "") == flt.status)
    if flt.overdue:
        conds.append(Case.next_due < today)
    if flt.due_within is not None:
        conds.append(Case.next_due <= store.calendar.add(today, max(0, flt.due_within)))
    if term:
        p = _like(term)
        conds.append(or_(
            _matches(store, Case.reference, p + "%"),
            _matches(store, Case.summary, "%" + p + "%"),
            Case.resident_id.in_(select(Resident.id).where(_matches(store, Resident.name, "%" + p + "%"))),
        ))
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
        select(Case.id, Case.reference, Resident.name, Case.case_type, Case.stage, Case.status, Officer.login,
               Case.next_due, Case.next_due_kind, *flags)
        .join(Resident, Resident.id == Case.resident_id)
        .outerjoin(Officer, Officer.id == Case.officer_id)
        .where(*conds)
    )


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i:i + _CHUNK])


def _rows(store: Store, raw: Sequence) -> list[InboxRow]:
    """Raw inbox columns to rows with countdown, colour and flags."""
    today = store.today()
    cal = store.calendar
    out = []
    for cid, ref, resident, case_type, stage, status, login, due, kind, *flags in raw:
        left = cal.days_left(due, today) if due is not None else None
        out.append(InboxRow(
            case_id=cid, reference=ref, resident=resident, case_type=case_type, stage=stage, status=status,
            officer=login or "", next_due=due, due_kind=kind or "", days_left=left, rag=rag(left),
            flags=frozenset(f for f, on in zip(FLAGS, flags) if on),
        ))
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


def inbox_page(store: Store, flt: InboxFilter = InboxFilter(), after: tuple | None = None, limit: int = 200) -> InboxPage:
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


# -- deadline board ----------------------------------------------------------------------


@dataclass(frozen=True)
class BoardGroup:
    """One group of the board: its rows (capped) and how many cases it holds in all."""

    name: str
    first: date | None  # earliest due date in the group (None: open-ended)
    last: date | None  # latest due date in the group (None: open-ended)
    rows: tuple[InboxRow, ...]
    total: int


@dataclass(frozen=True)
class OfficerCounts:
    """One officer's cases per board group (login "" = unassigned)."""

    login: str
    name: str
    counts: tuple[int, ...]  # in BOARD_GROUPS order

    @property
    def total(self) -> int:
        """All the officer's open cases with a deadline."""
        return sum(self.counts)


@dataclass(frozen=True)
class DeadlineBoard:
    """The countdown board: groups in BOARD_GROUPS order, and counts per officer."""

    today: date
    groups: tuple[BoardGroup, ...]
    by_officer: tuple[OfficerCounts, ...]


def _board_bounds(store: Store) -> list[tuple[date | None, date | None]]:
    """Inclusive due-date bounds of each board group.

    "This week" runs to the Friday of the current week (on a weekend, the coming Friday)
    after the next-2-working-days group; when that Friday falls inside the 2-day group it
    is empty.
    """
    today = store.today()
    two = store.calendar.add(today, 2)
    friday = today + timedelta(days=(4 - today.weekday()) % 7)
    week_end = max(friday, two)
    one = timedelta(days=1)
    return [
        (None, today - one),
        (today, today),
        (today + one, two),
        (two + one, week_end),
        (week_end + one, None),
    ]


def _between(first: date | None, last: date | None) -> list:
    conds = []
    if first is not None:
        conds.append(Case.next_due >= first)
    if last is not None:
        conds.append(Case.next_due <= last)
    return conds


def deadline_board(store: Store, officer_login: str | None = None, limit: int = 500) -> DeadlineBoard:
    """Open cases with a deadline grouped overdue / today / next 2 WD / this week / later."""
    bounds = _board_bounds(store)
    with store.session() as s:
        mine = []
        if officer_login is not None:
            oid = _officer_id(s, officer_login)
            mine.append(Case.officer_id == (oid if oid is not None else -1))
        base = [_not_closed(), Case.next_due.is_not(None), *mine]
        # Counts come from one pass over the covering (officer_id, closed, next_due) index,
        # grouped in index order and bucketed here: no table row is read.
        q = (
            select(Case.officer_id, Case.closed, Case.next_due, func.count())
            .where(*mine)
            .group_by(Case.officer_id, Case.closed, Case.next_due)
        )
        counts: dict[int | None, list[int]] = {}
        for oid, closed, due, n in s.exec(q).all():
            if closed or due is None:
                continue
            group = next(i for i, (a, b) in enumerate(bounds) if (a is None or due >= a) and (b is None or due <= b))
            counts.setdefault(oid, [0] * len(BOARD_GROUPS))[group] += n
        ids = [i for i in counts if i is not None]
        names = {}
        if ids:
            names = {i: (login, name) for i, login, name in s.exec(select(Officer.id, Officer.login, Officer.name).where(Officer.id.in_(ids))).all()}
        per_officer = sorted(
            (OfficerCounts(*names.get(oid, ("", "(unassigned)")), counts=tuple(c)) for oid, c in counts.items()),
            key=lambda o: (o.login == "", o.login),
        )
        totals = [sum(o.counts[i] for o in per_officer) for i in range(len(BOARD_GROUPS))]
        groups = []
        for name, (a, b), total in zip(BOARD_GROUPS, bounds, totals):
            raw = []
            if total:
                q = _row_select(store.today(), base + _between(a, b)).order_by(Case.next_due, Case.id).limit(limit)
                raw = s.exec(q).all()
            groups.append(BoardGroup(name=name, first=a, last=b, rows=tuple(_rows(store, raw)), total=total))
    return DeadlineBoard(today=store.today(), groups=tuple(groups), by_officer=tuple(per_officer))


def non_working_days(store: Store, months: int = 3, weekends: bool = False) -> list[tuple[date, str]]:
    """Non-working days from today for ``months`` months, with reasons (bank holidays, closures;
    weekends too when asked)."""
    today = store.today()
    y, m = divmod(today.year * 12 + today.month - 1 + months, 12)
    end = date(y, m + 1, min(today.day, monthrange(y, m + 1)[1]))
    return [(d.day, d.reason) for d in store.calendar.non_working_days(today, end) if weekends or not d.weekend]


# -- adjustments register ------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    """A disclosed disability, agreed adjustment or contact restriction of one resident."""

    kind: str  # "disability", "adjustment" or "restriction"
    item_id: int
    resident_id: int
    resident: str
    what: str
    detail: str
    since: date  # disclosed, agreed or started
    review_date: date | None
    review: str  # "overdue", "due" (within 14 days) or ""
    active: bool
    open_cases: tuple[str, ...]  # references of the resident's open cases


@dataclass(frozen=True)
class Register:
    """The adjustments register: overdue reviews first, then due, then by review date."""

    today: date
    rows: tuple[RegisterRow, ...]
    overdue: int
    due: int


def _review_state(active: bool, review: date | None, today: date) -> str:
    if not active or review is None:
        return ""
    if review < today:
        return "overdue"
    if review <= today + timedelta(days=REVIEW_DUE_DAYS):
        return "due"
    return ""


def register(store: Store) -> Register:
    """Disclosed disabilities, agreed adjustments and contact restrictions across residents."""
    today = store.today()
    with store.session() as s:
        items: list[tuple] = []  # kind, id, resident_id, name, what, detail, since, review, active
        for i, rid, name, desc, on in s.exec(
            select(Disability.id, Disability.resident_id, Resident.name, Disability.description, Disability.disclosed_on)
            .join(Resident, Resident.id == Disability.resident_id)
        ).all():
            items.append(("disability", i, rid, name, desc, "", on, None, True))
        for i, rid, name, kind, details, on, review, active in s.exec(
            select(Adjustment.id, Adjustment.resident_id, Resident.name, Adjustment.kind, Adjustment.details,
                   Adjustment.agreed_on, Adjustment.review_date, Adjustment.active)
            .join(Resident, Resident.id == Adjustment.resident_id)
        ).all():
            items.append(("adjustment", i, rid, name, kind, details, on, review, active))
        for i, rid, name, what, evidence, by, on, review, active in s.exec(
            select(Restriction.id, Restriction.resident_id, Resident.name, Restriction.restriction, Restriction.evidence,
                   Restriction.authorised_by, Restriction.starts_on, Restriction.review_date, Restriction.active)
            .join(Resident, Resident.id == Restriction.resident_id)
        ).all():
            items.append(("restriction", i, rid, name, what, f"authorised by {by}; evidence: {evidence}", on, review, active))
        residents = union_all(
            select(Disability.resident_id), select(Adjustment.resident_id), select(Restriction.resident_id)
        ).subquery()
        open_cases: dict[int, list[str]] = {}
        for rid, ref in s.exec(
            select(Case.resident_id, Case.reference)
            .where(_not_closed(scan=True), Case.resident_id.in_(select(residents.c[0])))
            .order_by(Case.reference)
        ).all():
            open_cases.setdefault(rid, []).append(ref)
    rows = [
        RegisterRow(kind=k, item_id=i, resident_id=rid, resident=name, what=what, detail=detail, since=since,
                    review_date=review, review=_review_state(active, review, today), active=active,
                    open_cases=tuple(open_cases.get(rid, ())))
        for k, i, rid, name, what, detail, since, review, active in items
    ]
    rank = {"overdue": 0, "due": 1, "": 2}
    rows.sort(key=lambda r: (rank[r.review], not r.active, r.review_date is None, r.review_date or date.max,
                             r.resident.casefold(), r.kind, r.item_id))
    return Register(
        today=today, rows=tuple(rows),
        overdue=sum(r.review == "overdue" for r in rows), due=sum(r.review == "due" for r in rows),
    )


# -- Stage 2 allocation ----------------------------------------------------------------------


@dataclass(frozen=True)
class AllocationCase:
    """A Stage 2 case with a live deadline, and who has had it."""

    case_id: int
    reference: str
    resident: str
    status: str
    requested: date | None  # the escalation request
    stage1_officer: str  # login, or ""
    stage2_officer: str  # login, or "" when awaiting allocation
    next_due: date | None
    due_kind: str
    days_left: int | None
    rag: str


@dataclass(frozen=True)
class OfficerLoad:
    """An active officer's workload: open cases (current stage theirs) and Stage 2 among them."""

    login: str
    name: str
    role: str
    open_cases: int
    stage2_open: int


@dataclass(frozen=True)
class Allocation:
    """Stage 2 cases (awaiting an officer first) and active officers' workloads."""

    cases: tuple[AllocationCase, ...]
    total: int  # Stage 2 cases with a live deadline, beyond the ``limit`` shown
    officers: tuple[OfficerLoad, ...]


@dataclass(frozen=True)
class Eligibility:
    """Whether an officer may take a case at Stage 2, and if not why (6.13)."""

    login: str
    name: str
    role: str
    eligible: bool
    reason: str  # "" when eligible


def allocation(store: Store, limit: int = 1000) -> Allocation:
    """The Stage 2 allocation screen's data: at most ``limit`` cases (``total`` says how many there are)."""
    today = store.today()
    cal = store.calendar
    with store.session() as s:
        # The current stage's officer is denormalised on the case, so the list is ordered
        # from complaint_case alone; stage and resident details follow for the page only.
        raw = s.exec(
            select(Case.id, Case.reference, Case.resident_id, Case.status, Case.next_due, Case.next_due_kind,
                   func.count().over())
            .where(Case.stage == 2, _not_closed(scan=True))
            .order_by(case((Case.officer_id.is_(None), 0), else_=1), case((Case.next_due.is_(None), 1), else_=0),
                      Case.next_due, Case.id)
            .limit(limit)
        ).all()
        total = raw[0][6] if raw else 0
        stages: dict[tuple[int, int], tuple[date, str]] = {}
        names: dict[int, str] = {}
        for chunk in _chunks([r[0] for r in raw]):
            for cid, number, requested, login in s.exec(
                select(Stage.case_id, Stage.number, Stage.requested, Officer.login)
                .outerjoin(Officer, Officer.id == Stage.officer_id)
                .where(Stage.case_id.in_(chunk))
            ).all():
                stages[(cid, number)] = (requested, login or "")
        for chunk in _chunks(sorted({r[2] for r in raw})):
            names.update(s.exec(select(Resident.id, Resident.name).where(Resident.id.in_(chunk))).all())
        # Open cases per officer from the covering (officer_id, closed, ...) index; Stage 2
        # ones by one scan (grouped on an expression so that no index order is chased).
        workload: dict[int, list[int]] = {}
        for oid, closed, n in s.exec(
            select(Case.officer_id, Case.closed, func.count()).group_by(Case.officer_id, Case.closed)
        ).all():
            if oid is not None and not closed:
                workload.setdefault(oid, [0, 0])[0] += n
        officer_key = func.coalesce(Case.officer_id, 0)
        for oid, n in s.exec(
            select(officer_key, func.count()).where(Case.stage == 2, _not_closed(scan=True)).group_by(officer_key)
        ).all():
            if oid in workload:
                workload[oid][1] += n
        people = s.exec(
            select(Officer.id, Officer.login, Officer.name, Officer.role)
            .where(Officer.active == True).order_by(Officer.name, Officer.login)
        ).all()
    cases = []
    for cid, ref, rid, status, due, kind, _ in raw:
        left = cal.days_left(due, today) if due is not None else None
        requested, stage2_officer = stages.get((cid, 2), (None, ""))
        cases.append(AllocationCase(
            case_id=cid, reference=ref, resident=names.get(rid, ""), status=status, requested=requested,
            stage1_officer=stages.get((cid, 1), (None, ""))[1], stage2_officer=stage2_officer,
            next_due=due, due_kind=kind or "", days_left=left, rag=rag(left),
        ))
    return Allocation(
        cases=tuple(cases),
        total=int(total),
        officers=tuple(
            OfficerLoad(login=login, name=name, role=role, open_cases=workload.get(oid, [0, 0])[0],
                        stage2_open=workload.get(oid, [0, 0])[1])
            for oid, login, name, role in people
        ),
    )


def eligibility(store: Store, case_id: int) -> list[Eligibility]:
    """Every active officer and whether they may take ``case_id`` at Stage 2 (6.13).

    Raises:
        LookupError: there is no such case.
    """
    with store.session() as s:
        row = s.get(Case, case_id)
        if row is None:
            raise LookupError(f"unknown case {case_id}")
        facts = case_facts(s, row)
        people = s.exec(
            select(Officer.login, Officer.name, Officer.role).where(Officer.active == True).order_by(Officer.name, Officer.login)
        ).all()
    out = []
    for login, name, role in people:
        refusal = stage2_ineligibility(facts, login)
        out.append(Eligibility(login=login, name=name, role=role, eligible=refusal is None,
                               reason="" if refusal is None else str(refusal)))
    return out


__all__ = [
    "BOARD_GROUPS", "FLAGS", "ActionInfo", "ActionUpdateInfo", "AdjustmentInfo", "Allocation",
    "AllocationCase", "BoardGroup", "CaseDetail", "CaseHeader", "CorrespondenceInfo",
    "DeadlineBoard", "DeadlineInfo", "DisabilityInfo", "Eligibility", "ExclusionInfo",
    "ExtensionInfo", "InboxFilter", "InboxPage", "InboxRow", "OfficerCounts", "OfficerInfo",
    "OfficerLoad", "Register", "RegisterRow", "RemedyInfo", "RepresentativeInfo", "ResidentInfo",
    "RestrictionInfo", "StageInfo", "TimelineEntry", "allocation", "case_detail",
    "case_id_for_reference", "deadline_board", "due_list", "eligibility", "inbox_count",
    "inbox_page", "non_working_days", "officer_by_login", "officers", "rag", "register",
]
