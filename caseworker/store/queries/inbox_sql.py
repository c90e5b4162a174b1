"""The inbox's first page, an officer's open cases by next deadline, as one SQL statement.

Start-up shows this page before SQLAlchemy is imported: :func:`read_first_page` runs the
statements with the standard library's ``sqlite3`` (read-only) while the store opens in the
background (issue 17: inbox filled within a second at a million cases). The read model,
:func:`caseworker.store.queries.inbox.inbox_page` and ``inbox_count``, runs the very same
statements through SQLAlchemy for the same view (an officer's own cases, no other filter,
first page), so the two cannot drift apart; later pages and other filters are built there.

Also the row types every case list shares (:class:`InboxRow`, :class:`InboxPage`,
:data:`FLAGS`) and :func:`inbox_rows`, which turns raw columns into rows with the working
days left and their colour. Nothing here imports SQLAlchemy (``tests/test_app_imports.py``).

The statements are portable between SQLite and PostgreSQL (``TRUE``/``FALSE``, ``EXISTS``), but for
the cases of the officer's open actions, which PostgreSQL reads in a form of its own (``_OWNED_PG``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from caseworker.rules.calendar import WorkingCalendar
from caseworker.store.due_inputs import SETTING_KEY as DUE_INPUTS_KEY
from caseworker.store.queries.case_model import rag

#: The inbox counts its cases up to this many, and says "more than" beyond: a count reads every
#: case it counts, so an exact count of a million open cases would cost more than the page.
COUNT_AT_MOST = 1_000

#: Shortest search term the trigram indexes can find: a shorter one matches the start of a
#: reference only (:mod:`caseworker.store.queries.search`; the inbox says so beside its count).
MIN_INDEXED = 3

#: The inbox flags, in the order screens show them.
FLAGS = ("adjustments", "restriction", "vulnerable", "overdue-actions")


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


# An officer's open cases: those they hold, and those where they own an open action on a case
# they do not hold (6.6, 6.17). Each is its own branch, LIMITed in deadline order where an index
# gives that order, so no branch reads more than the page: the held cases dated
# (ix_case_officer_due walked from the earliest deadline), the held cases undated (the same
# index, by id), and the few cases of the officer's open actions (ix_action_owner_open_case)
# that someone else holds, fetched and sorted. The outer "not closed" of that last branch is
# wrapped in COALESCE so that SQLite drives it from the actions and not from the (closed, ...)
# indexes, which would read every open case.
_OFFICER = "(SELECT o.id FROM officer o WHERE o.login = :login)"
_HELD = f"complaint_case.officer_id = {_OFFICER} AND complaint_case.closed = FALSE"
_OWNED = """complaint_case.id IN (SELECT t.case_id FROM action t WHERE t.owner = :login AND t.done = FALSE)
        AND COALESCE(complaint_case.closed, FALSE) = FALSE
        AND NOT EXISTS (SELECT 1 FROM officer h WHERE h.login = :login AND h.id = complaint_case.officer_id)"""
#: PostgreSQL's form of ``_OWNED`` (the same cases): the officer's open actions' cases as one
#: array read first, looked up in ``ix_open_case_id_pg`` by one index scan (``= ANY``), and "held
#: by someone else" a comparison with the officer's id (none: -1, which no officer has). As a
#: semi-join PostgreSQL probed the index once a case through a nested loop over a hash of the
#: cases and then an anti-join: the same 5,400 index pages for an officer with 2,650 such
#: cases at 1,000,000 cases, but 8.2 ms median against 3.0 (2.5 with the comparison).
_OWNED_PG = """complaint_case.id = ANY(ARRAY(SELECT t.case_id FROM action t WHERE t.owner = :login AND t.done = FALSE))
        AND COALESCE(complaint_case.closed, FALSE) = FALSE
        AND complaint_case.officer_id IS DISTINCT FROM COALESCE((SELECT h.id FROM officer h WHERE h.login = :login), -1)"""
_ORDER = "complaint_case.next_due IS NULL, complaint_case.next_due, complaint_case.id"
_KEYS = "complaint_case.next_due AS next_due, complaint_case.id AS id"

#: The four flags of an inbox row, each a probe of an index that stops at the first row found
#: (a scalar subquery with LIMIT 1: PostgreSQL would turn an EXISTS into a hash of the whole
#: table, built for every page). ``:today`` is the day actions fall overdue after. The one
#: definition of the flags: :data:`MINE_PAGE_SQL` here and every case list of
#: :mod:`caseworker.store.queries.inbox` select these very expressions. Each probe reads a small
#: partial index whose condition is written exactly as here (SQLite: migration 0012a2;
#: PostgreSQL: 0012b), so ``TRUE``/``FALSE`` and the COALESCE must stay as they are.
FLAG_EXPRESSIONS = (
    "(SELECT 1 FROM adjustment a WHERE a.resident_id = complaint_case.resident_id AND a.active = TRUE LIMIT 1)"
    " IS NOT NULL",
    "(SELECT 1 FROM restriction x WHERE x.resident_id = complaint_case.resident_id AND x.active = TRUE LIMIT 1)"
    " IS NOT NULL",
    "(resident.vulnerable = TRUE"
    " OR (SELECT 1 FROM disability d WHERE d.resident_id = complaint_case.resident_id LIMIT 1) IS NOT NULL)",
    # done wrapped in COALESCE so that SQLite follows the case's actions, not the (done, due) index
    "(SELECT 1 FROM action t WHERE t.case_id = complaint_case.id"
    " AND COALESCE(t.done, FALSE) = FALSE AND t.due < :today LIMIT 1) IS NOT NULL",
)
FLAG_COLUMNS = "\n    " + ",\n    ".join(FLAG_EXPRESSIONS)

#: The first page of an officer's open cases by next deadline (undated last), then id: the keys
#: of each branch (at most ``limit`` each), the first ``limit`` of them, then the columns and
#: the four flags for those rows only. Parameters: ``login``, ``today`` (for the
#: overdue-action flag) and ``limit``.


def _mine_page_sql(owned: str) -> str:
    return f"""
SELECT complaint_case.id, complaint_case.reference, resident.name, complaint_case.case_type,
    complaint_case.stage, complaint_case.status, officer.login, complaint_case.next_due,
    complaint_case.next_due_kind, officer.name,{FLAG_COLUMNS}
FROM (SELECT page_keys.id AS id FROM (
        SELECT next_due, id FROM (SELECT {_KEYS} FROM complaint_case
            WHERE {_HELD} AND complaint_case.next_due IS NOT NULL
            ORDER BY complaint_case.next_due, complaint_case.id LIMIT :limit) held_dated
        UNION ALL
        SELECT next_due, id FROM (SELECT {_KEYS} FROM complaint_case
            WHERE {_HELD} AND complaint_case.next_due IS NULL
            ORDER BY complaint_case.next_due, complaint_case.id LIMIT :limit) held_undated
        UNION ALL
        SELECT next_due, id FROM (SELECT {_KEYS} FROM complaint_case
            WHERE {owned} ORDER BY {_ORDER} LIMIT :limit) owned
    ) page_keys
    ORDER BY page_keys.next_due IS NULL, page_keys.next_due, page_keys.id LIMIT :limit) page
JOIN complaint_case ON complaint_case.id = page.id
JOIN resident ON resident.id = complaint_case.resident_id
LEFT OUTER JOIN officer ON officer.id = complaint_case.officer_id
ORDER BY {_ORDER}
"""


def _mine_count_sql(owned: str) -> str:
    return f"""SELECT count(*) FROM (
    SELECT complaint_case.id FROM complaint_case WHERE {_HELD}
    UNION ALL
    SELECT complaint_case.id FROM complaint_case WHERE {owned}
    LIMIT :at_most) counted"""


#: The first page of an officer's open cases by next deadline (undated last), then id: the keys
#: of each branch (at most ``limit`` each), the first ``limit`` of them, then the columns and
#: the four flags for those rows only. Parameters: ``login``, ``today`` (for the
#: overdue-action flag) and ``limit``. (SQLite; :data:`MINE_PAGE_SQL_PG` is the same statement
#: with PostgreSQL's form of the cases of the officer's open actions.)
MINE_PAGE_SQL = _mine_page_sql(_OWNED)
MINE_PAGE_SQL_PG = _mine_page_sql(_OWNED_PG)

#: How many open cases the officer ``login`` has (the same cases as :data:`MINE_PAGE_SQL`),
#: counting no further than ``at_most``: the cases they hold first (from the index alone), the
#: others only when those are fewer. (SQLite; PostgreSQL: :data:`MINE_COUNT_SQL_PG`.)
MINE_COUNT_SQL = _mine_count_sql(_OWNED)
MINE_COUNT_SQL_PG = _mine_count_sql(_OWNED_PG)


def _day(value) -> date | None:
    """A stored date: ISO text from SQLite, a date from PostgreSQL, or None."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def inbox_rows(raw: Iterable[Sequence], today: date, cal: WorkingCalendar) -> list[InboxRow]:
    """Raw inbox columns (as :data:`MINE_PAGE_SQL` selects them) to rows with the working days
    left on each next deadline (negative when overdue), their red/amber/green and the flags."""
    out = []
    days: dict = {None: (None, None, "")}  # stored due -> (date, working days left, colour): a page shares few dates
    flag_sets: dict = {}  # the flags as stored -> the frozenset (a page has a few combinations)
    for cid, ref, resident, case_type, stage, status, login, stored, kind, officer_name, *flags in raw:
        known = days.get(stored)
        if known is None:
            due = _day(stored)
            left = cal.days_left(due, today)
            known = days[stored] = (due, left, rag(left))
        due, left, colour = known
        key = tuple(flags)
        shown = flag_sets.get(key)
        if shown is None:
            shown = flag_sets[key] = frozenset(f for f, on in zip(FLAGS, flags, strict=False) if on)
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
                rag=colour,
                flags=shown,
                officer_name=officer_name or login or "",
            )
        )
    return out


def page_of(rows: list[InboxRow], limit: int) -> InboxPage:
    """A page from up to ``limit + 1`` rows (the extra one only says there are more)."""
    more = len(rows) > limit
    rows = rows[:limit]
    next_after = (rows[-1].next_due, rows[-1].case_id) if more and rows else None
    return InboxPage(rows=tuple(rows), next_after=next_after)


def sqlite_file(url: str) -> Path | None:
    """The existing file behind a plain ``sqlite:///PATH`` URL; None for anything else (memory,
    URL options, other databases, a file not there yet)."""
    scheme, sep, rest = url.partition(":///")
    if not sep or scheme not in ("sqlite", "sqlite+pysqlite") or not rest or "?" in rest or rest == ":memory:":
        return None
    path = Path(rest)
    return path if path.is_file() else None


def schema_head() -> str | None:
    """The schema revision this code expects (:data:`caseworker.store.migrate.SCHEMA_HEAD`),
    read from that module's source text, because importing it loads SQLAlchemy; None when the
    source cannot be read (then nothing is read before the store opens)."""
    import re
    from importlib.util import find_spec

    try:
        spec = find_spec("caseworker.store.migrate")
        text = Path(spec.origin).read_text(encoding="utf-8") if spec and spec.origin else ""
    except (ImportError, OSError, ValueError):
        return None
    found = re.search(r'^SCHEMA_HEAD = "([^"]+)"', text, re.MULTILINE)
    return found.group(1) if found else None


def read_first_page(
    path: Path, login: str, today: date, cal: WorkingCalendar, due_inputs: dict, limit: int, schema: str | None
) -> tuple[InboxPage, int] | None:
    """The first ``limit`` of ``login``'s open cases and how many there are (up to
    :data:`COUNT_AT_MOST` + 1, as the inbox counts), read from the SQLite
    file ``path`` with the standard library (read-only, no SQLAlchemy).

    ``due_inputs`` are the inputs due dates are computed from today
    (:func:`caseworker.store.due_inputs.due_inputs_for`) and ``schema`` the schema revision
    the store must be at (:func:`schema_head`). Returns None, reading nothing more, when the
    page could differ from what the store will show once open: the database is at another
    schema revision (it will be upgraded first, or refused), the officer is not an active
    officer there, the stored due dates were computed from other inputs (they will be
    recomputed first), or the database cannot be read this way (busy, damaged).
    """
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.2)
    except sqlite3.Error:
        return None
    try:
        revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        if schema is None or revision is None or revision[0] != schema:
            return None
        active = con.execute("SELECT active FROM officer WHERE login = ?", (login,)).fetchone()
        if not active or not active[0]:
            return None
        stored = con.execute("SELECT value FROM setting WHERE key = ?", (DUE_INPUTS_KEY,)).fetchone()
        if stored is None or json.loads(stored[0]) != due_inputs:
            return None
        params = {"login": login, "today": today.isoformat(), "limit": limit + 1}
        raw = con.execute(MINE_PAGE_SQL, params).fetchall()
        total = con.execute(MINE_COUNT_SQL, {"login": login, "at_most": COUNT_AT_MOST + 1}).fetchone()[0]
    except (sqlite3.Error, ValueError):
        return None
    finally:
        con.close()
    return page_of(inbox_rows(raw, today, cal), limit), total
