"""The inbox search: which cases a typed term matches, through the search indexes of migration
0010c, and which one matches it exactly (ranked first).

A term matches a case when the case's reference starts with it, or the resident's name or the
case summary contains it, ignoring case (``%``, ``_`` and ``\\`` are literal). This is the
meaning the search had before it was indexed; only terms of one or two characters changed (see
below).

SQLite: FTS5 tables with the **trigram** tokenizer (``case_search`` over reference and summary,
``resident_search`` over names). A term is one quoted FTS5 phrase, so it matches as a substring,
punctuation and all; the reference is matched with ``^`` (the phrase starts the column), which is
a prefix. Trigrams were chosen over word tokens (``unicode61`` with prefix indexes) because:

- word tokens change what matches: ``100%`` would find "1000", ``2025-0101`` would find the
  middle of a reference, ``mith`` would no longer find "Smith", and punctuation inside a name
  ("O'Brien", "Jo_Smith") splits it into words;
- measured on the 200,000-case demo (``benchmarks/_search_bench.py --compare-tokenizers``):
  the two indexes took about the same time to build, and the trigram index was larger; the
  queries the inbox makes (first 2,001 matches of a surname or a word of text) took the same
  few milliseconds, far under the 20 ms budget - figures in the README's benchmark section.

A trigram index cannot find a term shorter than three characters, so a one- or two-character
term matches reference prefixes only (SQLite: through the unique index on the reference),
which is what a handler typing the start of a reference expects; names and text
need three characters.

PostgreSQL: ``ILIKE`` (the same meaning) served by ``pg_trgm`` GIN indexes on the summary and
names; the reference prefix as ``lower(reference) LIKE lower(pattern)`` (what ILIKE computes in a
UTF-8 database), a range of the b-tree indexes of migration 0013b. PostgreSQL's planner chooses
between them and the deadline index from its statistics.
"""

from __future__ import annotations

from itertools import product

from sqlalchemy import (
    String,
    and_,
    bindparam,
    column,
    false,
    func,
    literal_column,
    not_,
    or_,
    select,
    table,
    text,
    true,
    union,
)
from sqlmodel import Session

from caseworker.store.models import Case, Resident
from caseworker.store.queries.inbox_sql import MIN_INDEXED


def clean(term: str) -> str:
    """The term as searched: surrounding spaces dropped."""
    return term.strip()


def _like(term: str) -> str:
    """``term`` as the body of a LIKE pattern, with %, _ and the escape character escaped."""
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _prefix(term: str):
    """PostgreSQL: ``term`` as a LIKE pattern for a prefix, as the bound parameter
    ``search_prefix`` (the same name in every statement: see :func:`bound_values`)."""
    return bindparam("search_prefix", _like(term) + "%", type_=String)


def _inside(term: str):
    """PostgreSQL: ``term`` as a LIKE pattern for a substring, as the bound parameter
    ``search_inside`` (see :func:`bound_values`)."""
    return bindparam("search_inside", "%" + _like(term) + "%", type_=String)


def bound_values(term: str) -> dict[str, str]:
    """PostgreSQL: the values of the parameters in which every clause of this module carries
    ``term`` (``search_prefix``, ``search_inside``): a statement built for one term, given
    these, runs for another (``inbox`` keeps the text of its search pages so)."""
    return {"search_prefix": _like(term) + "%", "search_inside": "%" + _like(term) + "%"}


def _reference_starts(term: str):
    """PostgreSQL: the case's reference starts with ``term`` ignoring case, written as
    ``lower(reference) LIKE lower(pattern)``, which is what ``reference ILIKE pattern`` computes
    in a multibyte (UTF-8) database, so that the b-tree indexes of migration 0013b
    (``lower(reference) text_pattern_ops``) read the prefix as a range of a few entries. The
    trigram indexes answer a prefix by intersecting the posting lists of trigrams that nearly
    every reference holds ("cmp", "mp-"): 17 ms to count 1,001 references starting "CM" at
    1,000,000 cases, 0.5 ms through the range."""
    return func.lower(Case.reference).like(func.lower(_prefix(term)), escape="\\")


def _phrase(term: str) -> str:
    """``term`` as one FTS5 phrase: double quotes around it, inner double quotes doubled."""
    return '"' + term.replace('"', '""') + '"'


def _prefix_ranges(term: str):
    """SQLite: reference starts with ``term`` ignoring (ASCII) case, as ranges of the unique
    reference index (SQLite compares text byte by byte): one range per mix of upper and lower
    case of the (at most two) characters."""
    variants = {"".join(p) for p in product(*({c.upper(), c.lower()} for c in term))}
    ranges = []
    for v in sorted(variants):
        if ord(v[-1]) >= 0x10FFFF:
            ranges.append(Case.reference >= v)
        else:
            ranges.append(and_(Case.reference >= v, Case.reference < v[:-1] + chr(ord(v[-1]) + 1)))
    return and_(or_(*ranges), Case.reference.like(_like(term) + "%", escape="\\"))


def _case_table(open_only: bool) -> str:
    return "open_case_search" if open_only else "case_search"


def _matching_ids(term: str, open_only: bool):
    """SQLite: the ids of the cases ``term`` matches (a term of three characters or more), from
    the search indexes: reference or summary, and the cases of the residents it matches by name.
    ``open_only`` searches the open cases' index (a closed case may still come through its
    resident: callers keep open cases themselves)."""
    phrase = _phrase(term)
    table = _case_table(open_only)
    by_case = (
        select(literal_column("rowid").label("id"))
        .select_from(text(table))
        .where(text(f"{table} MATCH :case_q").bindparams(case_q=f"(reference : ^{phrase}) OR (summary : {phrase})"))
    )
    residents = (
        select(literal_column("rowid"))
        .select_from(text("resident_search"))
        .where(text("resident_search MATCH :name_q").bindparams(name_q=phrase))
    )
    by_name = select(Case.id).where(Case.resident_id.in_(residents), *_open(open_only))
    return union(by_case, by_name)


def _open(open_only: bool) -> tuple:
    """The open-cases condition when ``open_only`` (a resident's open cases come from the
    partial index of open cases ``ix_open_case_resident``, migration 0012a, without reading
    their closed ones)."""
    return (Case.closed == false(),) if open_only else ()


#: SQLite, :func:`match_ids`: the first ``?`` (second parameter) cases whose reference or
#: summary match the FTS5 query (first parameter), of open cases only (True) or all (False).
_SQLITE_BY_CASE = {
    open_only: f"SELECT rowid FROM {table} WHERE {table} MATCH ? LIMIT ?"
    for open_only, table in ((True, "open_case_search"), (False, "case_search"))
}
#: SQLite, :func:`match_ids`: the cases (open ones from ``ix_open_case_resident``: the condition
#: ``complaint_case.closed = 0`` is that partial index's) of the residents whose name matches.
_SQLITE_BY_NAME = {
    open_only: "SELECT complaint_case.id FROM complaint_case WHERE complaint_case.resident_id IN "
    "(SELECT rowid FROM resident_search WHERE resident_search MATCH ?)"
    + (" AND complaint_case.closed = 0" if open_only else "")
    + " LIMIT ?"
    for open_only in (True, False)
}


def _pg_matches(open_only: bool) -> str:
    """PostgreSQL, :func:`match_ids`: up to ``n`` cases whose reference starts with ``prefix``
    (lowered, as :func:`_reference_starts`) or whose summary is like ``inside``, then up to ``n``
    cases of the residents whose name is like ``inside``; open ones only with ``open_only``
    (their names read from ``open_case_name``, migration 0013g)."""
    open_ = " AND complaint_case.closed = false" if open_only else ""
    by_name = (
        "SELECT open_case_name.case_id FROM open_case_name WHERE open_case_name.name ILIKE %(inside)s ESCAPE '\\'"
        if open_only
        else "SELECT complaint_case.id FROM complaint_case WHERE complaint_case.resident_id IN "
        "(SELECT resident.id FROM resident WHERE resident.name ILIKE %(inside)s ESCAPE '\\')"
    )
    return (
        "SELECT a.id FROM (SELECT complaint_case.id FROM complaint_case WHERE "
        "(lower(complaint_case.reference) LIKE lower(%(prefix)s) ESCAPE '\\' "
        f"OR complaint_case.summary ILIKE %(inside)s ESCAPE '\\'){open_} LIMIT %(n)s) a "
        f"UNION ALL SELECT b.* FROM ({by_name} LIMIT %(n)s) b"
    )


_PG_MATCHES = {open_only: _pg_matches(open_only) for open_only in (True, False)}


def match_ids(s: Session, dialect: str, term: str, at_most: int, *, open_only: bool = False) -> list[int] | None:
    """The ids of the cases ``term`` (three characters or more) matches, in order, when there are
    at most ``at_most`` of them; None when there are more. With ``open_only``, open cases only.

    Each part is read no further than ``at_most + 1`` rows: the cases matched by reference or
    summary (SQLite: ``open_case_search`` or ``case_search``; PostgreSQL: the pg_trgm indexes),
    then the cases of the residents matched by name (their open ones from
    ``ix_open_case_resident``), so a common term costs a bounded read and a rare one is
    fetched whole, once, for the page and the count. (SQLite reads the names only when the
    first part left room, each part one statement of constant text; PostgreSQL asks for both
    parts in one statement.)
    """
    n = at_most + 1
    connection = s.connection()
    if dialect == "sqlite":
        # plain statements, the same text every time (nothing for SQLAlchemy to build or key)
        phrase = _phrase(term)
        query = f"(reference : ^{phrase}) OR (summary : {phrase})"
        ids = set(connection.exec_driver_sql(_SQLITE_BY_CASE[open_only], (query, n)).scalars().all())
        if len(ids) > at_most:
            return None
        ids.update(connection.exec_driver_sql(_SQLITE_BY_NAME[open_only], (phrase, n)).scalars().all())
        return sorted(ids) if len(ids) <= at_most else None
    # one plain statement of constant text (nothing for SQLAlchemy to build or key each time),
    # both parts in it: one round trip to the server instead of two
    p = _like(term)
    rows = connection.exec_driver_sql(_PG_MATCHES[open_only], {"prefix": p + "%", "inside": "%" + p + "%", "n": n})
    found = {row[0] for row in rows}
    return sorted(found) if len(found) <= at_most else None


def matches(dialect: str, term: str, *, drive: bool = True, open_only: bool = False):
    """A WHERE clause on ``complaint_case`` keeping the cases that ``term`` matches.

    Args:
        dialect: the engine's dialect name ("sqlite", "postgresql").
        term: the search term, already :func:`clean`.
        drive: True: written so the planner starts from the matches (few of them: fetch
            them, then sort; PostgreSQL: its planner's choice). False: written so that it
            cannot (many: follow the deadline index and test each case against the matches,
            collected once).
        open_only: the caller keeps open cases only, so the smaller indexes of open cases
            serve (SQLite's ``open_case_search``, PostgreSQL's partial indexes).
    """
    if len(term) < MIN_INDEXED:
        if dialect == "sqlite":
            return _prefix_ranges(term)
        # PostgreSQL orders text by the database's collation, where a range need not hold a prefix
        return _reference_starts(term)
    if dialect != "sqlite":
        # one list of ids from three index searches (pg_trgm): an OR of the three would make
        # PostgreSQL test every open case against each pattern instead
        open_ = (Case.closed == false(),) if open_only else ()  # the partial indexes over open cases
        by_name = (
            _open_names_like(term)
            if open_only
            else select(Case.id)
            .join(Resident, Resident.id == Case.resident_id)
            .where(Resident.name.ilike(_inside(term), escape="\\"))
        )
        found = Case.id.in_(
            union(
                select(Case.id).where(_reference_starts(term), *open_),
                select(Case.id).where(Case.summary.ilike(_inside(term), escape="\\"), *open_),
                by_name,
            )
        )
        # not driving: "IS TRUE" keeps the IN from being turned into a join (which hashes the
        # matches and then reads every case the other clauses keep, e.g. every open case, and
        # sorts them); PostgreSQL then collects the matches once into a hashed subplan and tests
        # each case as it follows the deadline index, stopping when the page is full (open cases
        # only: their matches are few enough to hash; over every case the planner chooses)
        return found.is_(true()) if open_only and not drive else found
    case_id = Case.id if drive else func.coalesce(Case.id, 0)
    return case_id.in_(_matching_ids(term, open_only))


def more_than(s: Session, term: str, n: int) -> bool:
    """PostgreSQL: True when more than ``n`` open cases match ``term`` (three characters or
    more) by reference or summary, reading no more than ``n + 1`` of them from the partial
    trigram indexes (a bounded count: the matches by name are not needed to say "more than").
    One plain statement of constant text, as :func:`match_ids` (nothing for SQLAlchemy to build
    or key each time)."""
    values = bound_values(term)
    params = {"prefix": values["search_prefix"], "inside": values["search_inside"], "n": n + 1}
    return s.connection().exec_driver_sql(_PG_MORE_THAN, params).scalar_one() > n


#: :func:`more_than`: the open cases whose reference starts with ``prefix`` (lowered, as
#: :func:`_reference_starts`) or whose summary is like ``inside``, counted up to ``n``.
_PG_MORE_THAN = (
    "SELECT count(*) FROM (SELECT 1 FROM complaint_case WHERE "
    "(lower(complaint_case.reference) LIKE lower(%(prefix)s) ESCAPE '\\' "
    "OR complaint_case.summary ILIKE %(inside)s ESCAPE '\\') AND complaint_case.closed = false "
    "LIMIT %(n)s) AS found"
)


def row_matches(term: str):
    """PostgreSQL: a WHERE clause testing each case read against ``term`` (three characters or
    more): its reference starts with it, or its summary or its resident's name holds it (the
    residents matched once, through the trigram index on names)."""
    return or_(
        _reference_starts(term),
        Case.summary.ilike(_inside(term), escape="\\"),
        Case.resident_id.in_(select(Resident.id).where(Resident.name.ilike(_inside(term), escape="\\"))),
    )


def text_matches(term: str):
    """PostgreSQL: a WHERE clause keeping the cases whose reference starts with ``term`` or
    whose summary holds it (three characters or more), as plain conditions the planner can
    either test on each case read or answer from the indexes (a BitmapOr of the reference
    range and the summary's trigrams), whichever its estimate of the matches makes cheaper."""
    return or_(_reference_starts(term), Case.summary.ilike(_inside(term), escape="\\"))


def name_only_matches(term: str):
    """PostgreSQL: a WHERE clause keeping the open cases whose resident's name holds ``term``
    and that :func:`text_matches` does not keep (so the two never share a case). Callers keep
    open cases only: the names are those of ``open_case_name``."""
    return and_(Case.id.in_(_open_names_like(term)), not_(text_matches(term)))


#: PostgreSQL: the open cases with their residents' names (migration 0013g, kept by triggers).
_OPEN_CASE_NAME = table("open_case_name", column("case_id"), column("name"))


def _open_names_like(term: str):
    """PostgreSQL: a select of the ids of the open cases whose resident's name holds ``term``,
    from ``open_case_name`` through its trigram index: the open cases' names only (44,535 at
    1,000,000 cases), not every resident's and then their cases."""
    return select(_OPEN_CASE_NAME.c.case_id).where(_OPEN_CASE_NAME.c.name.ilike(_inside(term), escape="\\"))


def match_count(s: Session, term: str, at_most: int, *, open_only: bool = False) -> int:
    """About how many cases ``term`` matches (SQLite), counting no further than ``at_most + 1``,
    so that the cost of the estimate is bounded whatever the term. A case matched both by its
    own text and through its resident counts twice: the figure only chooses a plan."""
    if len(term) < MIN_INDEXED:
        q = select(Case.id).where(_prefix_ranges(term)).limit(at_most + 1)
        return s.exec(select(func.count()).select_from(q.subquery())).scalar_one()
    phrase = _phrase(term)
    table = _case_table(open_only)
    n = s.exec(
        text(f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH :q LIMIT :n)").bindparams(
            q=f"(reference : ^{phrase}) OR (summary : {phrase})", n=at_most + 1
        )
    ).scalar_one()
    if n > at_most:
        return n
    residents = text("SELECT rowid FROM resident_search WHERE resident_search MATCH :q LIMIT :n").bindparams(
        q=phrase, n=at_most + 1
    )
    q = select(Case.id).where(Case.resident_id.in_(residents)).limit(at_most + 1 - n)
    return n + s.exec(select(func.count()).select_from(q.subquery())).scalar_one()


def exact_reference(s: Session, dialect: str, term: str) -> int | None:
    """The id of the case whose reference is ``term`` (ignoring case), or None.

    Looked up through the unique reference index as typed, in capitals and in small letters
    (a reference in mixed case is found by the search all the same, just not ranked first).
    """
    if not term:
        return None
    return s.connection().execute(_EXACT, {"typed": term, "upper": term.upper(), "lower": term.lower()}).scalar()


#: :func:`exact_reference`: one plain statement, the same text every time, on either database.
_EXACT = text(
    "SELECT complaint_case.id FROM complaint_case WHERE complaint_case.reference IN (:typed, :upper, :lower) "
    "ORDER BY complaint_case.id LIMIT 1"
)


def closed_undated_keys(term: str, conds, after_id: int | None, limit: int):
    """SQLite: a select of up to ``limit`` (next_due, id) of the closed cases without a deadline
    that ``term`` (three characters or more) matches and ``conds`` keep, by id, after
    ``after_id`` - read in id order from ``case_search`` (which gives its matches in rowid
    order, so a word in a tenth of a million cases costs a page, not a tenth of a million) and
    from the cases of the residents matched by name (``ix_case_resident_open``)."""
    phrase = _phrase(term)
    fts = table("case_search", column("rowid"))
    by_case = (
        select(Case.next_due.label("next_due"), Case.id.label("id"))
        .select_from(fts)
        .join(Case, Case.id == fts.c.rowid)
        .where(
            literal_column("case_search").op("MATCH")(f"(reference : ^{phrase}) OR (summary : {phrase})"),
            # wrapped so that SQLite starts from the search index, not the (closed, ...) indexes
            func.coalesce(Case.closed, false()) == true(),
            Case.next_due.is_(None),
            *conds,
        )
    )
    residents = text("SELECT rowid FROM resident_search WHERE resident_search MATCH :name_q").bindparams(name_q=phrase)
    # closed wrapped too: SQLite would rather walk every closed case in id order than sort these
    by_name = select(Case.next_due.label("next_due"), Case.id.label("id")).where(
        Case.resident_id.in_(residents), func.coalesce(Case.closed, false()) == true(), Case.next_due.is_(None), *conds
    )
    if after_id is not None:
        by_case = by_case.where(fts.c.rowid > after_id)
        by_name = by_name.where(Case.id > after_id)
    a = by_case.order_by(fts.c.rowid).limit(limit).subquery()
    b = by_name.order_by(Case.id).limit(limit).subquery()
    both = union(select(a.c.next_due, a.c.id), select(b.c.next_due, b.c.id)).subquery()
    return select(both.c.next_due, both.c.id).order_by(both.c.id).limit(limit)
