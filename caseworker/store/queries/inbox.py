"""Read models for the inbox: the filter, a page of cases by next deadline (keyset-paged on
``(next_due, id)``), the count, and the ``caseworker due`` list.

Also the row-building helpers the deadline board, adjustments register and Stage 2
allocation share (open-case filters, the inbox columns with their flags, id chunks), so
each of those modules reads the cases exactly as the inbox does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    any_,
    bindparam,
    case,
    cast,
    false,
    func,
    literal,
    or_,
    select,
    text,
    true,
    tuple_,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.selectable import CTE
from sqlmodel import Session

from caseworker.store.context import Store
from caseworker.store.db import read_scope
from caseworker.store.models import (
    Action,
    Case,
    ExtensionRequest,
    Officer,
    Resident,
)
from caseworker.store.queries import search
from caseworker.store.queries.inbox_sql import (
    COUNT_AT_MOST,
    FLAG_EXPRESSIONS,
    MINE_COUNT_SQL,
    MINE_COUNT_SQL_PG,
    MINE_PAGE_SQL,
    MINE_PAGE_SQL_PG,
    InboxPage,
    InboxRow,
    inbox_rows,
    page_of,
)
from caseworker.store.queries.officers import _officer_id, officer_by_login

_CHUNK = 500  # ids per IN (...) list


@dataclass(frozen=True)
class InboxFilter:
    """What the inbox shows. ``officer_login=None`` means every officer's cases.

    ``due_within=N`` keeps cases due on or before the date N working days from today
    (overdue ones included); ``overdue`` keeps cases whose deadline has passed. ``search``
    matches a reference prefix, or a substring of the resident's name or the case summary,
    ignoring case (names and text from three characters: see :mod:`.search`).
    """

    officer_login: str | None = None
    stage: int | None = None
    status: str | None = None
    overdue: bool = False
    due_within: int | None = None
    search: str = ""
    include_closed: bool = False
    awaiting_approval: bool = False  # only cases with an extension request waiting for a supervisor


def _not_closed(scan: bool = False):
    """Open cases only; with ``scan``, written so that SQLite will not drive the query from the
    ``(closed, ...)`` indexes (see :func:`_unindexed`)."""
    return _unindexed(Case.closed, false()) == false() if scan else Case.closed == false()


def _unindexed(column, default):
    """``column`` wrapped in a no-op COALESCE so that SQLite's planner (which has no statistics)
    cannot pick an index on it: the column is then only tested on the rows that the index
    chosen in :func:`_sources` reads (in deadline order, or a small set fetched and sorted).
    PostgreSQL plans from statistics; there the wrapper only costs a function call.
    """
    return func.coalesce(column, default)


def mine(s: Session, login: str):
    """An officer's cases: those they hold, and those with an open action they own (6.6, 6.17).

    One OR-ed condition, for the deadline board's small date windows. The inbox does not use it:
    an OR across two columns stops SQLite following ``ix_case_officer_due`` in deadline order
    (it reads every case of the officer and sorts them), so the inbox asks the two halves as
    two queries (:func:`_sources`) and merges them.
    """
    oid = _officer_id(s, login)
    owned = select(Action.case_id).where(Action.owner == login, Action.done == false())
    return or_(Case.officer_id == (oid if oid is not None else -1), Case.id.in_(owned))


#: Above this many search matches, the inbox follows the deadline index and tests each case
#: against the matches; at or below it, it fetches the matches and sorts them. A term of three
#: characters or more is read no further than the smaller of this and :data:`COUNT_AT_MOST`.
DRIVE_AT_MOST = 2000


@dataclass(frozen=True)
class _Source:
    """One query of a page: its WHERE clauses, and ``scan`` (True: fetch the rows the clauses
    pick out and sort them, nulls last; False: follow an index in deadline order)."""

    conds: tuple
    scan: bool
    #: SQLite, all cases searched for a common term: the closed undated cases (most of a
    #: council's history) that ``fts`` matches, read in id order from the search indexes
    fts: str = ""
    #: False: the clauses keep dated cases only (no statement for the undated ones)
    undated: bool = True


@dataclass(frozen=True)
class _Plan:
    """The sources of a page, and how many cases match when that is already known without
    counting (the search is the only filter): ``known`` (cases, exact) - exact False means
    "more than" that many. ``sources`` may be a function that makes them (see :meth:`listed`)."""

    sources: list[_Source] | Callable[[], list[_Source]]
    known: tuple[int, bool] | None = None
    #: PostgreSQL, a term searched over every case: a bounded count first asks whether more
    #: open cases than the bound match it by reference or summary (:func:`search.more_than`)
    probe: str = ""
    #: PostgreSQL, a search as the only filter: what its page's statement is made of ("ids": the
    #: matches fetched and sorted; "open": a common term over open cases; "all": over every
    #: case), so that the statement's text is kept and run again for any term (:func:`_page`),
    #: and the values of its parameters that depend on the term (``binds``)
    shape: str = ""
    binds: dict | None = None

    def listed(self) -> list[_Source]:
        """:attr:`sources`, made now when they were left to be made when needed (a function)."""
        return self.sources() if callable(self.sources) else self.sources


def _sources(s: Session, store: Store, flt: InboxFilter) -> list[_Source]:
    """The queries whose rows, merged in deadline order, make the inbox for ``flt``.

    Each follows an index in deadline order where one fits (officer, open/closed, status) or
    fetches a set known to be small (a case's open actions, extension requests awaiting approval,
    the matches of a rare search term) and sorts it, so no filter reads the whole table:

    - "My cases" is two queries, the officer's cases (``ix_case_officer_due``) and the cases
      where they own an open action but do not hold the case (``ix_action_owner_open_case``);
    - with closed cases included, open and closed cases are two walks of ``ix_case_open_due``;
    - a status is a walk of ``ix_case_status_due``; a stage (open or closed, an officer's or
      everyone's) a walk of ``ix_case_stage_due`` or ``ix_case_officer_stage_due`` (0011a);
    - the cases awaiting a supervisor's approval are fetched and sorted;
    - a search term matching at most :data:`DRIVE_AT_MOST` cases is fetched from the search
      index and sorted; a commoner one is tested against each case walked (SQLite; PostgreSQL
      plans the search itself).
    """
    return _plan(s, store, flt).listed()


def _search_only(flt: InboxFilter) -> bool:
    """True when the search (over open cases or all) is the inbox's only filter."""
    return flt == InboxFilter(search=flt.search, include_closed=flt.include_closed)


def _plan(s: Session, store: Store, flt: InboxFilter) -> _Plan:
    """:func:`_sources`, with the count when the search already tells it."""
    today = store.today()
    dialect = store.engine.dialect.name
    term = search.clean(flt.search)
    open_only = not flt.include_closed
    ids: list[int] | None = None
    known: tuple[int, bool] | None = None
    if term and len(term) >= search.MIN_INDEXED:
        # a term's matches, read once when they are few (then fetched and sorted, and counted);
        # PostgreSQL over all cases plans the search itself (below): bounding a read of its
        # trigram matches makes it scan the table instead of using the index
        if dialect == "sqlite" or open_only:
            # no more matches read than the inbox counts: past that many, following the deadline
            # index against the matches is as cheap as fetching each match and sorting, and the
            # read itself costs half as much (PostgreSQL: the hashed matches; SQLite, measured
            # A/B at 1,000,000 cases: 'mould' 13.2 -> 12.5 ms CPU, other searches unchanged)
            bound = min(DRIVE_AT_MOST, COUNT_AT_MOST)
            ids = search.match_ids(s, dialect, term, bound, open_only=open_only)
            if _search_only(flt):
                known = (len(ids), True) if ids is not None else (bound, False)
    # the requests awaiting a supervisor are a handful: fetched and sorted, on either database;
    # SQLite: a rare two-letter term's matches too; PostgreSQL's planner chooses itself
    drive = (
        flt.awaiting_approval
        or ids is not None
        or (
            bool(term)
            and len(term) < search.MIN_INDEXED
            and dialect == "sqlite"
            and search.match_count(s, term, DRIVE_AT_MOST, open_only=open_only) <= DRIVE_AT_MOST
        )
    )
    by_status = bool(flt.status) and not drive

    def pick(column, default):
        """``column`` as the planner may use it, unless the search index picks the rows."""
        return _unindexed(column, default) if drive else column

    conds: list = []
    if flt.stage is not None:
        conds.append(pick(Case.stage, 0) == flt.stage)
    if flt.status:
        conds.append(pick(Case.status, "") == flt.status)
    if flt.overdue:
        conds.append(Case.next_due < today)
    if flt.awaiting_approval:
        conds.append(Case.id.in_(select(ExtensionRequest.case_id).where(ExtensionRequest.state == "pending")))
    if flt.due_within is not None:
        conds.append(Case.next_due <= store.calendar.add(today, max(0, flt.due_within)))
    # open/closed: tested on each row when something else picks the rows; else followed in the index
    split = not (drive or by_status)
    common_over_all = (
        split
        and ids is None
        and bool(term)
        and len(term) >= search.MIN_INDEXED
        and flt.include_closed
        and flt.officer_login is None
    )
    if common_over_all and dialect != "sqlite":
        # PostgreSQL, a term over every case: open ones matched by reference or summary as plain
        # conditions (the planner's choice, as for open cases below), open ones matched by name
        # alone fetched and sorted, closed ones along the deadline index, each tested as read
        # (the planner's choice: a common term fills a page in a few rows, a rare one is
        # fetched through the trigram indexes and sorted)
        def sources() -> list[_Source]:
            return [
                _Source((Case.closed == false(), *conds, search.text_matches(term)), False),
                _Source((Case.closed == true(), *conds, search.row_matches(term)), False),
                _Source((Case.closed == false(), *conds, search.name_only_matches(term)), True),
            ]

        # made when needed: a kept page's statement (_page) and a count past the probe need none
        return _Plan(
            sources,
            known,
            probe=term if _search_only(flt) else "",
            **_kept("all", flt, term),
        )
    if common_over_all:
        # a common term over every case: open ones along the deadline index, tested against the
        # open cases' matches (a few thousand at most); closed ones with a deadline the same way
        # against every match (read only if there is such a case); the closed undated rest (most
        # of a council's history) in id order straight from the search indexes
        return _Plan(
            [
                _Source(
                    (Case.closed == false(), *conds, search.matches(dialect, term, drive=False, open_only=True)), False
                ),
                _Source(
                    (
                        Case.closed == true(),
                        Case.next_due.is_not(None),
                        *conds,
                        search.matches(dialect, term, drive=False),
                    ),
                    False,
                    undated=False,
                ),
                # (closed and undated: added by search.closed_undated_keys, and by _conds)
                _Source(tuple(conds), False, fts=term),
            ],
            known,
        )
    name_conds: list | None = None
    if ids is not None:
        conds.append(_among(dialect, ids))
    elif term and dialect != "sqlite" and open_only and not drive and len(term) >= search.MIN_INDEXED:
        # PostgreSQL, more open matches than the bound: the cases matched by reference or summary
        # as plain conditions, so that the planner picks, from its estimate of the matches,
        # between following the deadline index and testing each case (a common word: 'mould',
        # 5,112 open matches, fills the page in the first 1,865 cases) and reading the matches
        # through the indexes and sorting them (a rarer one: 'rats', 1,210); collecting every
        # match first read them all. The cases matched by their resident's name alone are a
        # source of their own, fetched and sorted (so no case is in both).
        name_conds = [*conds, search.name_only_matches(term)]
        conds.append(search.text_matches(term))
    elif term:
        conds.append(search.matches(dialect, term, drive=drive, open_only=open_only))
    tested = [] if flt.include_closed else [_not_closed(scan=True)]
    others: list[_Source] = []
    if flt.officer_login is not None:
        oid = _officer_id(s, flt.officer_login)
        owned = select(Action.case_id).where(Action.owner == flt.officer_login, Action.done == false())
        not_held = Case.officer_id.is_(None) if oid is None else or_(Case.officer_id.is_(None), Case.officer_id != oid)
        if name_conds is not None:  # theirs: held, or an open action they own on it
            mine = (
                and_(Case.id.in_(owned), not_held) if oid is None else or_(Case.officer_id == oid, Case.id.in_(owned))
            )
            name_conds.append(mine)
        # where they own an open action but do not hold the case: a few cases, fetched and sorted
        # (last, so that a bounded count reaches its bound on the officer's own cases first)
        # (when the search or the approvals pick the rows, each of those is tested against the
        # officer's open actions, not every open action read first)
        owned_by = (pick(Case.id, 0) if drive else Case.id).in_(owned)
        if dialect == "postgresql" and not drive:
            # one index scan of ix_open_case_id_pg for the array of cases (inbox_sql._OWNED_PG)
            cases = select(func.array_agg(Action.case_id)).where(
                Action.owner == flt.officer_login, Action.done == false()
            )
            owned_by = Case.id == any_(cast(cases.scalar_subquery(), ARRAY(Integer)))
        others.append(_Source((*tested, *conds, owned_by, not_held), True))
    if name_conds is not None:
        others.append(_Source((Case.closed == false(), *name_conds), True))  # ix_open_case_resident
    if flt.officer_login is not None:
        if oid is None:
            return _Plan(others, known)
        conds.append(pick(Case.officer_id, 0) == oid)
    if not split:
        shape = "ids" if ids is not None and dialect == "postgresql" else ""
        kept = _kept(shape, flt, term, {"match_ids": _ids_text(ids)} if shape else None)
        return _Plan([_Source((*tested, *conds), drive), *others], known, **kept)
    sources = [_Source((Case.closed == false(), *conds), False)]
    if flt.include_closed:
        sources.append(_Source((Case.closed == true(), *conds), False))
    return _Plan([*sources, *others], known, **_kept("open" if name_conds is not None else "", flt, term))


def _kept(shape: str, flt: InboxFilter, term: str, more: dict | None = None) -> dict:
    """:class:`_Plan`'s ``shape`` and ``binds`` for a PostgreSQL search that is the inbox's only
    filter (none otherwise: those statements are built each time)."""
    if not shape or not _search_only(flt) or len(term) < search.MIN_INDEXED:
        return {}
    return {"shape": shape, "binds": {**search.bound_values(term), **(more or {})}}


def _ids_text(ids: list[int]) -> str:
    """The ids as the text of a PostgreSQL integer array (``'{1,2,3}'``)."""
    return "{" + ",".join(map(str, ids)) + "}"


def _among(dialect: str, ids: list[int]):
    """``complaint_case.id`` is one of ``ids`` (the matches of a search, up to
    :data:`DRIVE_AT_MOST`). PostgreSQL: ``= ANY`` of one array parameter, so the statement's
    text is the same whatever the number of ids (an IN list of 300 parameters cost the client
    more CPU, writing and parsing the statement, than the server spent running it)."""
    if dialect == "postgresql":
        # the array as its text ('{1,2,3}'), cast by the server: psycopg writes a list of ints
        # element by element in Python (a third of this process's CPU for a search of 300 matches)
        listed = bindparam("match_ids", _ids_text(ids), type_=String)
        return Case.id == any_(cast(listed, ARRAY(Integer)))
    return Case.id.in_(ids)


def _flags(today) -> tuple:
    """The four inbox flags for the rows of the page only: the very SQL of
    :data:`~caseworker.store.queries.inbox_sql.FLAG_EXPRESSIONS` (probes of small indexes that
    stop at the first row found), with ``today`` (a date, or a bind parameter named ``today``
    given when the statement runs) as the day actions fall overdue after."""
    when = today if isinstance(today, BindParameter) else bindparam("today", today, type_=Date)
    return tuple(text(sql).bindparams(when) if ":today" in sql else text(sql) for sql in FLAG_EXPRESSIONS)


def _columns(today) -> tuple:
    """The inbox columns in the order :func:`~caseworker.store.queries.inbox_sql.inbox_rows` reads them."""
    return (
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
        *_flags(today),
    )


def _row_select(today: date, conds: Sequence = ()):
    """The inbox columns, with the four flags (evaluated only for the rows selected)."""
    return (
        select(*_columns(today))
        .join(Resident, Resident.id == Case.resident_id)
        .outerjoin(Officer, Officer.id == Case.officer_id)
        .where(*conds)
    )


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


def _rows(store: Store, raw: Sequence) -> list[InboxRow]:
    """Raw inbox columns to rows with countdown, colour and flags."""
    return inbox_rows(raw, store.today(), store.calendar)


def _page_keys(conds: Sequence, scan: bool, after: tuple | None, limit: int, undated: bool = True) -> list:
    """Statements, each of up to ``limit`` (next_due, id) after the keyset ``after`` in order
    of next_due (undated last), then id, whose rows merged in that order hold the first
    ``limit`` cases matching ``conds``.

    Following an index (``scan`` False), dated and undated cases are two statements, each in
    index order, so each stops after ``limit`` rows; when the rows are picked some other way
    (``scan``), one statement sorts them with NULLs last.
    """
    return [q for _kind, q in _tagged_keys(conds, scan, after, limit, undated)]


def _tagged_keys(conds: Sequence, scan: bool, after: tuple | None, limit: int, undated: bool = True) -> list:
    """:func:`_page_keys`, each statement with what it holds: "dated" (dated cases only),
    "undated" (undated cases only) or "both" (sorted with NULLs last)."""
    after_due, after_id = after if after is not None else (None, None)
    keys = select(Case.next_due.label("next_due"), Case.id.label("id")).where(*conds)
    if scan:
        if after is not None and after_due is not None:
            keys = keys.where(
                or_(tuple_(Case.next_due, Case.id) > tuple_(after_due, after_id), Case.next_due.is_(None))
            )
        elif after is not None:
            keys = keys.where(Case.next_due.is_(None), Case.id > after_id)
        return [
            ("both", keys.order_by(case((Case.next_due.is_(None), 1), else_=0), Case.next_due, Case.id).limit(limit))
        ]
    out = []
    if after is None or after_due is not None:
        dated = keys.where(Case.next_due.is_not(None))
        if after is not None:
            dated = dated.where(tuple_(Case.next_due, Case.id) > tuple_(after_due, after_id))
        out.append(("dated", dated.order_by(Case.next_due, Case.id).limit(limit)))
    if not undated:
        return out
    nulls = keys.where(Case.next_due.is_(None))
    if after is not None and after_due is None:
        nulls = nulls.where(Case.id > after_id)
    # ordered as the index is (next_due, then id: all NULL here), which PostgreSQL needs to see
    # to follow the index instead of walking the primary key for the undated rows
    out.append(("undated", nulls.order_by(Case.next_due, Case.id).limit(limit)))
    return out


def _key(due: date | None, case_id: int) -> tuple:
    """A case's place in the inbox: undated last, then by next_due, then id."""
    return (due is None, due or date.min, case_id)


def inbox_page(
    store: Store, flt: InboxFilter = InboxFilter(), after: tuple | None = None, limit: int = 200
) -> InboxPage:
    """One page of cases matching ``flt``, ordered by next deadline (undated last), then id.

    With a search term, the case whose reference is the term (ignoring case) comes first,
    then the other matches in that order; ``next_after`` works the same. The page's ids are
    found first (each of :func:`_sources` in index order, merged), then its rows in one query.

    Args:
        store: the store.
        flt: the filter.
        after: ``next_after`` of the previous page, or None for the first page.
        limit: rows per page.
    """
    with read_scope(store.inbox_engine) as s:
        if after is None and _mine_only(flt):
            return _mine_first(s, store, flt, limit)
        plan = _plan(s, store, flt)
        return _page(s, store, flt, plan.sources, after, limit, plan)


def inbox_first_page(
    store: Store, flt: InboxFilter = InboxFilter(), limit: int = 200, at_most: int = COUNT_AT_MOST
) -> tuple[InboxPage, int]:
    """What the inbox shows when a filter changes: the first page (as :func:`inbox_page`) and
    how many cases match (as :func:`inbox_count` with ``at_most``), read together (SQLite:
    one transaction; PostgreSQL: one statement after the other, without BEGIN and COMMIT,
    see :func:`~caseworker.store.db.read_scope`). The count is not asked of the database when
    the page holds every match."""
    with read_scope(store.inbox_engine) as s:
        if _mine_only(flt):
            page = _mine_first(s, store, flt, limit)
            if page.next_after is None:
                return page, len(page.rows)
            return page, max(_mine_count(s, flt, at_most), len(page.rows) + 1)
        plan = _plan(s, store, flt)
        page = _page(s, store, flt, plan.sources, None, limit, plan)
        if page.next_after is None:
            return page, len(page.rows)
        return page, max(_plan_count(s, plan, at_most), len(page.rows) + 1)


def _mine_only(flt: InboxFilter) -> bool:
    """True for an officer's own open cases with no other filter: the view start-up shows,
    read with the statements of :mod:`caseworker.store.queries.inbox_sql` (start-up runs them
    with sqlite3 before SQLAlchemy is imported)."""
    return flt.officer_login is not None and flt == InboxFilter(officer_login=flt.officer_login)


def _mine_first(s: Session, store: Store, flt: InboxFilter, limit: int) -> InboxPage:
    sql = MINE_PAGE_SQL if store.engine.dialect.name == "sqlite" else MINE_PAGE_SQL_PG
    statement = text(sql).bindparams(bindparam("today", type_=Date))
    raw = s.connection().execute(statement, {"login": flt.officer_login, "today": store.today(), "limit": limit + 1})
    return page_of(_rows(store, raw.all()), limit)


def _mine_count(s: Session, flt: InboxFilter, at_most: int | None) -> int:
    bound = 2**62 if at_most is None else at_most + 1
    connection = s.connection()
    sql = MINE_COUNT_SQL if connection.dialect.name == "sqlite" else MINE_COUNT_SQL_PG
    return connection.execute(text(sql), {"login": flt.officer_login, "at_most": bound}).scalar_one()


def _page(
    s: Session,
    store: Store,
    flt: InboxFilter,
    sources: list[_Source] | Callable[[], list[_Source]],
    after,
    limit: int,
    plan: _Plan | None = None,
) -> InboxPage:
    """One statement: the keys of every source (each LIMITed in its own order), the first
    ``limit + 1`` of them in inbox order (the case whose reference is the search term first),
    then the columns and flags of those rows only.

    PostgreSQL, a search as the only filter (``plan.shape``), its first page when no reference
    is the term: the statement's text, made once for each shape and ``limit``, is run again
    with this term's parameters (``plan.binds``), since nothing else in it changes; building
    and keying that statement cost the client more CPU than anything else in a search
    ('mould' over every case: 6.1 of its 8.1 ms)."""
    today = store.today()
    term = search.clean(flt.search)
    exact = search.exact_reference(s, store.engine.dialect.name, term) if term else None
    kept = (plan.shape, limit) if plan is not None and plan.shape and after is None and exact is None else None
    if kept is not None and kept in _KEPT_PAGES:
        sql, params = _KEPT_PAGES[kept]
        raw = s.connection().exec_driver_sql(sql, {**params, **(plan.binds or {}), "today": today}).all()
        return page_of(_rows(store, raw), limit)
    if callable(sources):
        sources = sources()
    branches: list = []  # (rank, statement, what it holds: "dated", "undated" or "both")
    if exact is not None:
        if after is None:
            branches += [(0, q, "both") for q in _page_keys(_exact_conds(sources, exact), True, None, 1)]
        elif after[1] == exact:
            after = None  # the exact match ended the last page: the others from the start
    # overdue, due within: dated cases only (no statement that would walk the dated ones for none)
    dated = flt.overdue or flt.due_within is not None
    for src in sources:
        conds = [*src.conds, Case.id != exact] if exact is not None else list(src.conds)
        if src.fts and dated:
            continue
        if src.fts:  # undated: after a dated key, from the first; after an undated one, past its id
            after_id = after[1] if after is not None and after[0] is None else None
            branches.append((1, search.closed_undated_keys(src.fts, conds, after_id, limit + 1), "undated"))
            continue
        tagged = _tagged_keys(conds, src.scan, after, limit + 1, src.undated and not dated)
        branches += [(1, q, kind) for kind, q in tagged]
    if store.engine.dialect.name == "postgresql" and flt.include_closed and len(term) >= search.MIN_INDEXED:
        # a term tested on each closed case walked: past the dated cases only when they are too few
        branches = _undated_if_needed(branches, limit + 1)
    parts = []
    for rank, q, _kind in branches:
        if isinstance(q, CTE):
            parts.append(select(literal(rank).label("rank"), q.c.next_due, q.c.id))
            continue
        sub = q.subquery()
        parts.append(select(literal(rank).label("rank"), sub.c.next_due, sub.c.id))
    keys = (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("page_keys")
    page = (
        select(keys.c.rank, keys.c.next_due, keys.c.id)
        .order_by(keys.c.rank, keys.c.next_due.is_(None), keys.c.next_due, keys.c.id)
        .limit(limit + 1)
        .subquery("page")
    )
    statement = (
        select(*_page_columns())
        .select_from(page)
        .join(Case, Case.id == page.c.id)
        .join(Resident, Resident.id == Case.resident_id)
        .outerjoin(Officer, Officer.id == Case.officer_id)
        .order_by(page.c.rank, page.c.next_due.is_(None), page.c.next_due, page.c.id)
    )
    if kept is not None:
        compiled = statement.compile(dialect=s.connection().dialect)
        _KEPT_PAGES[kept] = (str(compiled), dict(compiled.params))
    raw = s.connection().execute(statement, {"today": today}).all()
    return page_of(_rows(store, raw), limit)


#: PostgreSQL: the text and the parameters of the search pages :func:`_page` keeps, by (shape,
#: rows a page); the term's own parameters and the day are given each time.
_KEPT_PAGES: dict[tuple[str, int], tuple[str, dict]] = {}


def _undated_if_needed(branches: list, wanted: int) -> list:
    """PostgreSQL: ``branches`` with the walks of undated cases (rank 1) read only when the
    walks of dated cases (rank 1) found fewer than ``wanted`` of them: the undated come after
    every dated case, so then none of them is on the page. The dated walks become one
    common table expression (read once, as every walk is now), and each undated walk is gated
    by a count of its rows, which PostgreSQL evaluates once before it starts the walk (a
    one-time filter: the index is not read at all when the dated cases fill the page). The
    sorted sources ("both") are kept as they are.

    For a search over every case: a common term walked 1,791 closed undated cases, testing
    each, for a page it could never reach ('mould' at 1,000,000 cases: the page's statement
    16.8 -> 12.8 ms, median of 41 alternated, load 5). Not for the other filters: there the
    undated walk stops after a page of rows that need no test, and the common table
    expression cost more than it saved ('team: all open cases' 3.5 -> 4.4 ms)."""
    dated = [q for rank, q, kind in branches if rank == 1 and kind == "dated"]
    if not dated or not any(rank == 1 and kind == "undated" for rank, _q, kind in branches):
        return branches
    found = (dated[0] if len(dated) == 1 else union_all(*dated)).cte("dated_keys")
    enough = select(func.count()).select_from(found).scalar_subquery() < wanted
    out: list = [(1, found, "dated")]
    for rank, q, kind in branches:
        if rank == 1 and kind == "dated":
            continue
        out.append((rank, q.where(enough) if rank == 1 and kind == "undated" else q, kind))
    return out


_PAGE_COLUMNS: tuple = ()


def _page_columns() -> tuple:
    """:func:`_columns` for every page, built once, with the day actions fall overdue after as
    the parameter ``today``."""
    global _PAGE_COLUMNS
    if not _PAGE_COLUMNS:
        _PAGE_COLUMNS = _columns(bindparam("today", type_=Date()))
    return _PAGE_COLUMNS


def _exact_conds(sources: list[_Source], case_id: int) -> list:
    """The case ``case_id`` if any of ``sources`` keeps it."""
    return [Case.id == case_id, or_(*(and_(*_conds(src)) if _conds(src) else true() for src in sources))]


def _conds(src: _Source) -> tuple:
    """The WHERE clauses of ``src`` on ``complaint_case`` (for a source read from the search
    indexes in id order, the same cases as a membership test)."""
    if not src.fts:
        return src.conds
    by_id = search.matches("sqlite", src.fts, drive=False)
    return (Case.closed == true(), Case.next_due.is_(None), *src.conds, by_id)


def inbox_count(store: Store, flt: InboxFilter = InboxFilter(), at_most: int | None = None) -> int:
    """How many cases match ``flt``; with ``at_most``, counting stops there and the answer is
    ``at_most + 1`` when more match (so the cost of a count is bounded, whatever the filter)."""
    with read_scope(store.inbox_engine) as s:
        if _mine_only(flt):
            return _mine_count(s, flt, at_most)
        return _plan_count(s, _plan(s, store, flt), at_most)


def _plan_count(s: Session, plan: _Plan, at_most: int | None) -> int:
    """:func:`_count` of the plan's sources, unless the search already told how many match."""
    if plan.known is not None:
        n, exact = plan.known
        if exact:
            return n if at_most is None else min(n, at_most + 1)
        if at_most is not None and at_most <= n:  # more than n, so more than at_most
            return at_most + 1
    if plan.probe and at_most is not None and search.more_than(s, plan.probe, at_most):
        # a common term: its open matches alone pass the bound, read in the order the trigram
        # index gives them (counting every case would hash all the open matches first)
        return at_most + 1
    return _count(s, plan.listed(), at_most)


def _count(s: Session, sources: list[_Source], at_most: int | None) -> int:
    """How many cases ``sources`` hold (they never share a case), in one statement that stops
    reading after ``at_most + 1`` of them."""
    parts = [select(literal(1).label("one")).select_from(Case).where(*_conds(src)) for src in sources]
    counted = parts[0] if len(parts) == 1 else union_all(*parts)
    if at_most is not None:
        counted = counted.limit(at_most + 1)
    return s.exec(select(func.count()).select_from(counted.subquery())).scalar_one()


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
