"""Issue 17: the inbox's search through the search indexes (migration 0010c), and the inbox's
filters as indexed queries.

Search meaning (unchanged by the indexes): a reference prefix, or a substring of the resident's
name or of the case summary, ignoring case. Ranking: the case whose reference is the term comes
first, then the other matches by next deadline (undated last), then id. Every test runs on SQLite
and, when CASEWORKER_TEST_PG_URL is set, on PostgreSQL.
"""

from __future__ import annotations

import os
from datetime import date
from functools import partial
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import event
from test_queries import T0, TODAY, World, store_at

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.facts import CaseType, Role
from caseworker.rules.lifecycle import NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.migrate import alembic_config, upgrade
from caseworker.store.models import Action
from caseworker.store.queries import inbox
from caseworker.store.queries.inbox import InboxFilter, inbox_count, inbox_first_page, inbox_page
from caseworker.store.tracker_import import import_rows, parse_tracker
from caseworker.store.tracker_import.undo import undo_batch


@pytest.fixture
def db(engine, db_url):
    return engine, db_url


@pytest.fixture
def world(db) -> World:
    return World(db[0])


def refs(page) -> list[str]:
    return [r.reference for r in page.rows]


def every_page(store: Store, flt: InboxFilter, size: int) -> list[str]:
    """The references of every page of ``size`` rows, in order, following ``next_after``."""
    seen: list[str] = []
    after = None
    while True:
        page = inbox_page(store, flt, after=after, limit=size)
        assert len(page.rows) <= size
        seen += refs(page)
        if page.next_after is None:
            return seen
        after = page.next_after


@pytest.fixture(params=["few", "many"])
def plan(request, monkeypatch):
    """Both SQLite plans: matches fetched and sorted ("few"), or tested along the deadline
    index ("many"); on PostgreSQL both are the same query."""
    monkeypatch.setattr(inbox, "DRIVE_AT_MOST", 10_000 if request.param == "few" else 0)
    return request.param


def found_and_counted(store: Store, term: str, **kw) -> list[str]:
    """The references the inbox shows for search ``term`` (and filter ``kw``), checked against
    the inbox's count of them."""
    flt = InboxFilter(search=term, **kw)
    rows = refs(inbox_page(store, flt))
    assert inbox_count(store, flt) == len(rows)
    return rows


def test_search_finds_reference_prefix_surname_and_a_word_of_the_text(db, world, plan):
    amy = world.officer("amy")
    okafor = world.resident("Mrs Ada Okafor")
    okafo = world.resident("Mr Okafo Reid")
    jones = world.resident("Ms Cy Jones")
    a = world.case(okafor, amy, date(2025, 12, 22), ref="HRA-0001", summary="Mould in the back bedroom")
    b = world.case(okafo, amy, date(2025, 12, 23), ref="HRA-0002", summary="Lift out of order")
    c = world.case(jones, amy, date(2025, 12, 24), ref="MKC-0001", summary="Neighbour noise at night")
    d = world.case(jones, None, None, ref="MKC-0002", summary="Bins not collected", closed=True, status="closed")
    store = store_at(db)

    found = partial(found_and_counted, store)

    assert found("hra-") == [a.reference, b.reference]  # reference prefix, any case
    assert found("HR") == [a.reference, b.reference]  # two letters: reference prefixes
    assert found("ok") == []  # two letters: not names or text (a trigram index needs three)
    assert found("h") == [a.reference, b.reference] and found("m") == [c.reference]
    assert found("0001") == []  # references match from their start only
    assert found("okaf") == [a.reference, b.reference]  # prefix of a surname (and of a first name)
    assert found("okafor") == [a.reference]
    assert found("kafo") == [a.reference, b.reference]  # inside a name, as before the index
    assert found("BEDROOM") == [a.reference]  # a word of the text
    assert found("out of order") == [b.reference]  # words together, in that order
    assert found("order out") == []
    assert found("jones") == [c.reference]  # the closed case only with closed ones shown
    assert found("jones", include_closed=True) == [c.reference, d.reference]
    assert found("zqxj") == []
    assert found('"') == [] and found("a\"b'c%_") == []  # quotes and LIKE characters are literal


def test_the_case_whose_reference_is_the_term_comes_first_and_pages_follow_it(db, world, plan):
    amy = world.officer("amy")
    res = world.resident("Mr Tom Gale")
    later = world.case(res, amy, date(2026, 1, 9), ref="HRA-0010")
    first = world.case(res, amy, date(2025, 12, 22), ref="HRA-00101")
    second = world.case(res, amy, date(2025, 12, 23), ref="HRA-00102")
    other = world.case(res, amy, date(2025, 12, 24), ref="XYZ-1", summary="see hra-0010 for the history")
    store = store_at(db)
    flt = InboxFilter(search="hra-0010")

    expected = [later.reference, first.reference, second.reference, other.reference]
    assert refs(inbox_page(store, flt)) == expected
    for size in (1, 2, 3):
        assert every_page(store, flt, size) == expected, size
    # The exact reference found only when the other filters keep it
    assert refs(inbox_page(store, InboxFilter(search="HRA-0010", overdue=True))) == []
    # due within 2 working days of Fri 19 Dec: on or before Tue 23 Dec
    assert refs(inbox_page(store, InboxFilter(search="HRA-0010", due_within=2))) == [first.reference, second.reference]


def test_search_results_page_stably_through_ties_and_undated_cases(db, world, plan):
    amy, bob = world.officer("amy"), world.officer("bob")
    res = world.resident("Mrs Iris Damp")
    dues = [date(2025, 12, 22), None, date(2025, 12, 19), date(2025, 12, 22), None, date(2026, 1, 5)] * 4
    cases = [
        world.case(res, amy if i % 3 else bob, d, closed=d is None, status="open" if d else "responded")
        for i, d in enumerate(dues)
    ]
    world.case(world.resident("Mr No Match"), amy, TODAY, summary="roof")
    store = store_at(db)
    ordered = sorted(cases, key=lambda c: (c.next_due is None, c.next_due or date.min, c.id))
    for flt, keep in (
        (InboxFilter(search="iris", include_closed=True), lambda c: True),
        (InboxFilter(search="damp"), lambda c: not c.closed),
        (
            InboxFilter(search="DAMP", officer_login="amy", include_closed=True),
            lambda c: c.officer_id == cases[1].officer_id,
        ),
    ):
        expected = [c.reference for c in ordered if keep(c)]
        assert every_page(store, flt, 200) == expected
        for size in (1, 4, 7):
            assert every_page(store, flt, size) == expected, (flt, size)
        assert inbox_count(store, flt) == len(expected)
        assert inbox_count(store, flt, at_most=3) == 4  # a bounded count says "more than 3"
        # what the inbox asks when a filter changes: the first page and the bounded count together
        for size, at_most in ((2, 3), (200, 3), (200, 1000)):
            page, n = inbox_first_page(store, flt, size, at_most)
            assert refs(page) == expected[:size]
            assert n == min(len(expected), at_most + 1) if len(expected) > size else n == len(expected)


def test_a_term_over_all_cases_pages_closed_cases_matched_by_text_name_or_both_once(db, world, plan):
    """Closed cases with no deadline (most of a council's history) come after every dated case,
    by id, whether the term is in the summary, the resident's name or both (each case once);
    a closed case that still has a deadline (an Ombudsman order) takes its place by date."""
    mould, other = world.resident("Mrs Ann Mouldings"), world.resident("Mr Sam Other")
    amy = world.officer("amy")
    made = [
        world.case(other, amy, date(2025, 12, 23), summary="Mould in the kitchen"),
        world.case(other, None, None, closed=True, status="closed", summary="mould again"),
        world.case(mould, None, None, closed=True, status="closed", summary="MOULD and damp"),  # name and text
        world.case(mould, None, None, closed=True, status="closed", summary="Noise"),  # name only
        world.case(other, None, date(2025, 12, 22), closed=True, status="closed", summary="mould order"),
        world.case(other, None, None, closed=True, status="closed", summary="Noise"),  # no match
        world.case(mould, amy, date(2025, 12, 19), summary="Bins"),  # open, name only
        world.case(other, None, None, closed=True, status="closed", summary="black mould"),
    ]
    store = store_at(db)
    matched = [c for c in made if "mould" in (c.summary or "").lower() or c.resident_id == mould.id]
    expected = [c.reference for c in sorted(matched, key=lambda c: (c.next_due is None, c.next_due or date.min, c.id))]
    flt = InboxFilter(search="mould", include_closed=True)
    for size in (1, 2, 3, 200):
        assert every_page(store, flt, size) == expected, size
    assert inbox_count(store, flt) == len(expected) == 7
    assert inbox_first_page(store, flt, 2, 3)[1] == 4
    assert refs(inbox_page(store, InboxFilter(search="mould", include_closed=True, stage=2))) == []
    assert every_page(store, InboxFilter(search="mould"), 1) == [
        r for r in expected if r in {made[0].reference, made[6].reference}
    ]


def test_a_term_over_all_cases_held_by_more_open_cases_than_the_count_says_more_than(db, world, plan):
    """The bounded count the inbox shows: when more open cases than the bound hold the term in
    their text, "more than" (PostgreSQL answers it from those alone); otherwise every match,
    open and closed, by text or name, counted once; ``%`` and ``_`` in a term are literal."""
    other, amy = world.resident("Mr Sam Other"), world.officer("amy")
    for day in (19, 22, 23, 24):
        world.case(other, amy, date(2025, 12, day), summary=f"Mould, report {day}")
    world.case(world.resident("Mrs Ann Mouldings"), amy, date(2025, 12, 29), summary="Bins")  # by name
    for _ in range(3):
        world.case(other, None, None, closed=True, status="closed", summary="old mould")
    world.case(other, amy, date(2025, 12, 30), summary="Noise")  # no match
    store = store_at(db)
    flt = InboxFilter(search="mould", include_closed=True)
    assert inbox_count(store, flt, at_most=3) == 4  # 4 open texts: more than 3
    assert inbox_first_page(store, flt, 2, 3)[1] == 4
    assert inbox_count(store, flt, at_most=4) == 5  # 4 open texts, then the name and the closed
    assert inbox_count(store, flt, at_most=8) == 8 == inbox_count(store, flt)
    assert inbox_first_page(store, flt, 2, 100)[1] == 8
    assert inbox_count(store, InboxFilter(search="m_uld", include_closed=True), at_most=3) == 0
    assert inbox_count(store, InboxFilter(search="mould%", include_closed=True), at_most=3) == 0


def test_one_term_after_another_each_finds_its_own_cases(db, world, monkeypatch):
    """PostgreSQL keeps the text of a search page's statement and runs it again for the next
    term with that term's parameters: each term, over open cases and over every case, whether
    its matches are few (fetched and sorted) or many, finds its own cases and counts them."""
    monkeypatch.setattr(inbox, "_KEPT_PAGES", {})
    monkeypatch.setattr(inbox, "DRIVE_AT_MOST", 1)  # two open matches are "many": the walking statements
    monkeypatch.setattr(inbox, "COUNT_AT_MOST", 1)
    amy = world.officer("amy")
    ann, bob = world.resident("Mrs Ann Rook"), world.resident("Mr Bob Finch")
    made = {
        "damp": [
            world.case(ann, amy, date(2025, 12, 22), summary="Damp in the hall"),
            world.case(bob, amy, date(2025, 12, 23), summary="damp again"),
            world.case(bob, None, None, closed=True, status="closed", summary="old damp"),
        ],
        "leak": [world.case(bob, amy, date(2025, 12, 24), summary="Leak under the sink")],
        "rook": [world.case(ann, amy, date(2025, 12, 29), summary="Fence")],
    }
    store = store_at(db)
    for _ in range(2):
        for term, cases in made.items():
            by_ann = [c for c in [*made["damp"], *made["rook"]] if c.resident_id == ann.id] if term == "rook" else []
            every = sorted(
                {c.id: c for c in [*cases, *by_ann]}.values(),
                key=lambda c: (c.next_due is None, c.next_due or date.min, c.id),
            )
            opened = [c.reference for c in every if not c.closed]
            assert refs(inbox_page(store, InboxFilter(search=term))) == opened, term
            assert refs(inbox_page(store, InboxFilter(search=term, include_closed=True))) == [
                c.reference for c in every
            ]
            page, n = inbox_first_page(store, InboxFilter(search=term), 200, 1000)
            assert refs(page) == opened and n == len(opened), term
    if store.engine.dialect.name == "postgresql":  # each kind of page was kept and run again
        assert {shape for shape, _rows in inbox._KEPT_PAGES} == {"ids", "open", "all"}


# -- kept current: services, corrections, the tracker import, the migration itself ------------------


@pytest.fixture
def store(engine, db_url) -> Store:
    store = Store(engine, Settings(database_url=db_url, config_path=Path("unused.toml")), Clock.at(date(2025, 12, 19)))
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Able", Role.OFFICER)
    return store


def _found(store: Store, term: str) -> list[str]:
    return refs(inbox_page(store, InboxFilter(search=term, include_closed=True)))


def test_a_case_is_found_by_its_residents_corrected_name_and_not_by_the_old_one(store):
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="1 Station Road")
    new = NewCase(CaseType.COMPLAINT, date(2025, 12, 15), "phone", "Repairs", "Damp and mould", "Mould in the hall")
    ref = sv.log_case(store, "alice", resident, new)
    assert _found(store, "smith") == [ref.reference] and _found(store, "smyth") == []

    sv.correct_person(store, "alice", {"name": "Mrs Jane Smyth"}, "spelling confirmed", resident_id=resident)
    assert _found(store, "smyth") == [ref.reference]
    assert _found(store, "smith") == []
    assert _found(store, "hall") == [ref.reference]  # the case's own text, as logged
    assert refs(inbox_page(store, InboxFilter(search="smyth"))) == [ref.reference]  # among the open cases too
    _open_names_agree(store)


def test_imported_cases_are_found_and_gone_once_the_import_is_undone(store, tmp_path):
    csv = tmp_path / "tracker.csv"
    csv.write_text(
        "Reference,Resident,Received,Description\n"
        "TRK-7001,Ada Quennell,01/12/2025,Fence blown down in the storm\n"
        "TRK-7002,Ben Quennell,02/12/2025,Rent account wrong\n",
        encoding="utf-8",
    )
    good, problems = parse_tracker(csv, today=date(2025, 12, 19))
    assert problems == []
    summary = import_rows(store, "admin", good)
    assert _found(store, "quennell") == ["TRK-7001", "TRK-7002"]
    assert _found(store, "trk-7002") == ["TRK-7002"]
    assert _found(store, "storm") == ["TRK-7001"]
    assert refs(inbox_page(store, InboxFilter(search="quennell"))) == ["TRK-7001", "TRK-7002"]
    _open_names_agree(store)
    undo_batch(store, "admin", summary.batch)
    assert _found(store, "quennell") == [] and _found(store, "TRK") == []
    _open_names_agree(store)


def _open_names_agree(store: Store) -> None:
    """PostgreSQL: ``open_case_name`` (migration 0013g) holds exactly the open cases with their
    residents' names as they are now. (SQLite has no such copy: its FTS5 tables serve.)"""
    if store.engine.dialect.name != "postgresql":
        return
    with store.engine.connect() as c:
        copy = sorted(c.exec_driver_sql("SELECT case_id, resident_id, name FROM open_case_name").all())
        now = sorted(
            c.exec_driver_sql(
                "SELECT c.id, c.resident_id, r.name FROM complaint_case c JOIN resident r ON r.id = c.resident_id "
                "WHERE NOT c.closed"
            ).all()
        )
    assert copy == now


def test_open_cases_are_found_by_their_residents_name_through_every_change(db, world):
    """An open case is found by its resident's name as it is now: after the name is corrected,
    after the case closes (then only among all cases) and reopens, and after it is moved to
    another resident; a case logged later and cases deleted too (PostgreSQL keeps its copy of
    the open cases' names by triggers, migration 0013g)."""
    amy = world.officer("amy")
    jane, ben = world.resident("Mrs Jane Quill"), world.resident("Mr Ben Hartle")
    a = world.case(jane, amy, date(2025, 12, 22), summary="Leak")
    b = world.case(jane, amy, date(2025, 12, 23), summary="Noise")
    c = world.case(ben, amy, date(2025, 12, 24), summary="Bins")
    store = store_at(db)

    def found(term: str, **kw) -> list[str]:
        rows = found_and_counted(store, term, **kw)
        _open_names_agree(store)
        return rows

    assert found("quill") == [a.reference, b.reference] and found("hartle") == [c.reference]
    with store.engine.begin() as conn:
        conn.execute(sa.text("UPDATE resident SET name = 'Mrs Jane Quilter' WHERE id = :id"), {"id": jane.id})
    assert found("quilter") == [a.reference, b.reference] and found("jane quill ") == []
    with store.engine.begin() as conn:  # closed, then among all cases only
        conn.execute(sa.text("UPDATE complaint_case SET closed = true, next_due = NULL WHERE id = :id"), {"id": a.id})
    assert found("quilter") == [b.reference]
    assert found("quilter", include_closed=True) == [b.reference, a.reference]
    with store.engine.begin() as conn:  # reopened
        conn.execute(sa.text("UPDATE complaint_case SET closed = false WHERE id = :id"), {"id": a.id})
    assert found("quilter") == [b.reference, a.reference]
    with store.engine.begin() as conn:  # moved to Ben
        conn.execute(sa.text("UPDATE complaint_case SET resident_id = :r WHERE id = :id"), {"r": ben.id, "id": b.id})
    assert found("quilter") == [a.reference] and found("hartle") == [b.reference, c.reference]
    with store.engine.begin() as conn:  # the version check's own updates leave the names alone
        conn.execute(sa.text("UPDATE complaint_case SET version = version + 1, summary = 'Leak again'"))
    assert found("hartle") == [b.reference, c.reference]
    d = world.case(ben, amy, date(2025, 12, 29), summary="Fence")
    assert found("hartle") == [b.reference, c.reference, d.reference]
    with store.engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM stage WHERE case_id IN (:b, :d)"), {"b": b.id, "d": d.id})
        conn.execute(sa.text("DELETE FROM complaint_case WHERE id IN (:b, :d)"), {"b": b.id, "d": d.id})
    assert found("hartle") == [c.reference]


@pytest.fixture
def bare_engine(db_url):
    from caseworker.store.db import make_engine

    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_the_migration_indexes_a_database_that_already_holds_cases(db_url, bare_engine):
    upgrade(bare_engine, to="0005")
    world = World(bare_engine)
    with bare_engine.begin() as connection:  # the resident as revision 0005 knew them (no version yet)
        rid = connection.execute(
            sa.text(
                "INSERT INTO resident (name, address, email, phone, preferred_channel, vulnerable, "
                "vulnerability_notes, created_at) VALUES ('Mrs Nia Pryce', '1 Road', '', '', '', false, '', :at) "
                "RETURNING id"
            ),
            {"at": T0},
        ).scalar_one()
    res = SimpleNamespace(id=rid)
    old = world.case(res, world.officer("amy"), TODAY, ref="OLD-0001", summary="Boiler broken since May")
    upgrade(bare_engine)
    store = Store(bare_engine, Settings(database_url=db_url, config_path=Path("x")), Clock.at(TODAY))
    assert _found(store, "pryce") == [old.reference]
    assert refs(inbox_page(store, InboxFilter(search="pryce"))) == [old.reference]  # open: 0013g's copy
    _open_names_agree(store)
    assert _found(store, "boiler") == [old.reference]
    assert _found(store, "old-") == [old.reference]
    new = world.case(res, None, TODAY, ref="NEW-0001", summary="Boiler again")
    assert _found(store, "boiler") == [old.reference, new.reference]
    # and down again, and up (the indexes are made again from the rows)
    with bare_engine.begin() as connection:
        command.downgrade(alembic_config(connection=connection), "0005")
    if bare_engine.dialect.name == "sqlite":
        assert not sa.inspect(bare_engine).has_table("case_search")
    upgrade(bare_engine)
    assert _found(store, "boiler") == [old.reference, new.reference]


# -- the filters follow indexes (SQLite's plans; PostgreSQL plans from statistics) -------------------


def _plans(store: Store, flt: InboxFilter) -> list[str]:
    """EXPLAIN QUERY PLAN of every statement the inbox runs for ``flt`` (first page and count)."""
    statements: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    reads = store.inbox_engine  # the inbox reads through its own connection (issue 17)
    event.listen(reads, "before_cursor_execute", seen)
    try:
        inbox_page(store, flt)
        inbox_count(store, flt, at_most=1000)
    finally:
        event.remove(reads, "before_cursor_execute", seen)
        reads.dispose()
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        return [
            " | ".join(row[-1] for row in cur.execute("EXPLAIN QUERY PLAN " + sql, params).fetchall())
            for sql, params in statements
        ]
    finally:
        raw.close()


@pytest.mark.parametrize(
    "flt",
    [
        InboxFilter(),
        InboxFilter(officer_login="amy"),
        InboxFilter(officer_login="amy", include_closed=True),
        InboxFilter(include_closed=True),
        InboxFilter(overdue=True),
        InboxFilter(due_within=2),
        InboxFilter(stage=2),
        InboxFilter(status="open"),
        InboxFilter(status="responded", include_closed=True),
        InboxFilter(awaiting_approval=True),
        InboxFilter(officer_login="amy", stage=1, overdue=True),
        InboxFilter(search="HR"),
        InboxFilter(search="okafor"),
        InboxFilter(search="okafor", officer_login="amy"),
        InboxFilter(search="okafor", include_closed=True),
        InboxFilter(search="mould", include_closed=True, stage=1),
        InboxFilter(stage=2, include_closed=True),
        InboxFilter(officer_login="amy", stage=2),
    ],
    ids=lambda f: ",".join(f"{k}={v}" for k, v in vars(f).items() if v not in (None, False, "")) or "team",
)
@pytest.mark.parametrize("drive_at_most", [0, 10_000])
def test_no_inbox_filter_reads_the_whole_case_table(tmp_path, monkeypatch, flt, drive_at_most):
    """A full scan grows with the table: every query of every filter must start from an index
    (a walk in deadline order, or a probe of a few rows) - "My cases" included, whose OR of the
    officer and the actions they own used to lose the officer index."""
    from caseworker.store.migrate import open_store

    monkeypatch.setattr(inbox, "DRIVE_AT_MOST", drive_at_most)
    url = f"sqlite:///{tmp_path / 'plans.db'}"
    engine = open_store(url)
    try:
        world = World(engine)
        amy = world.officer("amy")
        c = world.case(world.resident("Mrs Ada Okafor"), amy, TODAY, ref="HRA-1")
        with engine.begin() as connection:
            connection.execute(
                sa.insert(Action.__table__).values(
                    case_id=c.id, stage_number=1, owner="amy", description="x", due=TODAY, created_at=T0
                )
            )
        plans = _plans(store_at((engine, url)), flt)
    finally:
        engine.dispose()
    assert plans
    for plan_text in plans:
        steps = [s.strip() for s in plan_text.split("|")]
        assert not [
            s
            for s in steps
            if s in ("SCAN complaint_case", "SCAN c") or s.startswith("SCAN complaint_case ") and "INDEX" not in s
        ], plan_text


@pytest.mark.parametrize("flt", [InboxFilter(search="okafor"), InboxFilter(search="okafor", officer_login="amy")])
def test_a_name_search_of_open_cases_reads_the_open_cases_index(tmp_path, flt):
    """Migration 0012a: the open cases of the residents a name matches come from the partial
    index of open cases (ix_open_case_resident), not the index of every case, and the open
    cases are found, the closed one not."""
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{tmp_path / 'plans.db'}"
    engine = open_store(url)
    try:
        world = World(engine)
        amy = world.officer("amy")
        ada = world.resident("Mrs Ada Okafor")
        world.case(ada, amy, TODAY, ref="HRA-1")
        world.case(ada, amy, TODAY, ref="HRA-2", closed=True)
        world.case(world.resident("Mr Tom Okafor-Lee"), amy, TODAY, ref="HRA-3")
        world.case(world.resident("Mr Sam Brown"), amy, TODAY, ref="HRA-4")
        store = store_at((engine, url))
        plans = _plans(store, flt)
        assert refs(inbox_page(store, flt)) == ["HRA-1", "HRA-3"]
    finally:
        engine.dispose()
    name_steps = [p for p in plans if "resident_search" in p]
    assert name_steps and all("ix_open_case_resident" in p for p in name_steps), plans


@pytest.mark.parametrize("flt", [InboxFilter(), InboxFilter(officer_login="amy"), InboxFilter(stage=1)])
def test_the_row_flags_are_read_from_the_small_partial_indexes(tmp_path, flt):
    """Migration 0012a2 (SQLite): each row's flag probes (active adjustment, active restriction,
    overdue open action) read a partial index of those rows alone, never the table, in the page
    start-up reads (inbox_sql) and in every other filter's page alike."""
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{tmp_path / 'plans.db'}"
    engine = open_store(url)
    try:
        world = World(engine)
        c = world.case(world.resident("Mrs Ada Okafor"), world.officer("amy"), TODAY, ref="HRA-1")
        with engine.begin() as connection:
            connection.execute(
                sa.insert(Action.__table__).values(
                    case_id=c.id, stage_number=1, owner="amy", description="x", due=TODAY, created_at=T0
                )
            )
        plans = " | ".join(_plans(store_at((engine, url)), flt))
    finally:
        engine.dispose()
    for probe, index in (
        ("SEARCH a ", "ix_adjustment_resident_active_sqlite"),
        ("SEARCH x ", "ix_restriction_resident_active_sqlite"),
        ("SEARCH t ", "ix_action_case_open_sqlite"),
    ):
        # (the officer's own actions, also ``t``, are read by owner: not a flag probe)
        steps = [s.strip() for s in plans.split("|") if s.strip().startswith(probe) and "owner=" not in s]
        assert steps and all(f"USING COVERING INDEX {index}" in step for step in steps), plans


def test_the_demo_builder_leaves_every_case_findable(tmp_path):
    """The demo builder's Core bulk inserts go through the same triggers: a reference and a
    resident's surname find their cases (compared with a plain LIKE over the same rows)."""
    from caseworker.store.demo import build_demo
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    build_demo(url, cases=40, today=TODAY, seed=7)
    engine = open_store(url)
    try:
        with engine.connect() as c:
            reference, name = c.execute(
                sa.text(
                    "SELECT c.reference, r.name FROM complaint_case c JOIN resident r ON r.id = c.resident_id "
                    "ORDER BY c.id DESC LIMIT 1"
                )
            ).one()
            surname = name.split()[-1]
            expected = {
                ref
                for (ref,) in c.execute(
                    sa.text(
                        "SELECT c.reference FROM complaint_case c JOIN resident r ON r.id = c.resident_id "
                        "WHERE lower(r.name) LIKE :p OR lower(c.summary) LIKE :p OR lower(c.reference) LIKE :q"
                    ),
                    {"p": f"%{surname.lower()}%", "q": f"{surname.lower()}%"},
                )
            }
        store = store_at((engine, url))
        assert refs(inbox_page(store, InboxFilter(search=reference, include_closed=True)))[0] == reference
        assert set(refs(inbox_page(store, InboxFilter(search=surname, include_closed=True)))) == expected
    finally:
        engine.dispose()


def test_cases_loaded_from_an_export_are_findable(db, world, tmp_path):
    """load_export's bulk inserts go through the same triggers (and PostgreSQL's indexes)."""
    from caseworker.store.export import export_json_file
    from caseworker.store.load_export import load_export
    from caseworker.store.migrate import open_store

    res = world.resident("Mrs Una Quayle")
    c = world.case(res, world.officer("amy"), TODAY, ref="EXP-0001", summary="Gutter leaking")
    export_json_file(db[0], tmp_path / "export.json")
    url = f"sqlite:///{tmp_path / 'loaded.db'}"
    engine = open_store(url)
    try:
        load_export(engine, tmp_path / "export.json")
        store = store_at((engine, url))
        for term in ("quayle", "gutter", "exp-0001"):
            assert refs(inbox_page(store, InboxFilter(search=term))) == [c.reference], term
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("CASEWORKER_TEST_PG_URL"), reason="needs the PostgreSQL server")
@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)
def test_postgresql_reads_reference_prefixes_as_ranges_of_the_lowered_reference(db, world):
    """Migration 0013b: on PostgreSQL a reference prefix, ignoring case, is read as a range of
    ``lower(reference)`` (ix_open_case_reference_lower_pg over open cases), and what it finds is
    what ILIKE finds: any case, ``_`` and ``%`` literal."""
    amy = world.officer("amy")
    res = world.resident("Mr Tom Gale")
    a = world.case(res, amy, date(2025, 12, 22), ref="Ab_1-0001")
    b = world.case(res, amy, date(2025, 12, 23), ref="AB%1-0002")
    c = world.case(res, amy, date(2025, 12, 24), ref="ABX1-0003")
    world.case(res, amy, None, ref="AB_1-0004", closed=True, status="closed")
    store = store_at(db)

    found = partial(found_and_counted, store)

    assert found("ab") == [a.reference, b.reference, c.reference]
    assert found("aB_") == [a.reference] and found("ab%") == [b.reference]
    assert found("ab_1", include_closed=True) == [a.reference, "AB_1-0004"]
    assert found("abx1-0003") == [c.reference]
    statements: list[tuple[str, object]] = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "count(" in statement:
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        inbox_count(store, InboxFilter(search="ab"), at_most=1000)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    raw = store.engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET enable_seqscan = off")  # a table of four rows: show the index it can use
        ((sql, params),) = statements
        plan = "\n".join(row[0] for row in cur.execute("EXPLAIN " + sql, params).fetchall())
    finally:
        raw.close()
    # a range of the index (``~>=~``, ``~<~``: text_pattern_ops), not a filter over all of it
    assert "ix_open_case_reference_lower_pg" in plan and "~>=~ 'ab'" in plan, plan
