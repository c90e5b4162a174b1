"""Read models: inbox paging, filters and search, colours and flags, the case detail, the
deadline board, the adjustments register, Stage 2 allocation and the due list.

Rows are inserted directly (no service layer) with the denormalised ``next_due`` set by hand.
Today is Fri 19 Dec 2025 unless a test says otherwise: Thu 25 and Fri 26 Dec are bank holidays.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.store.context import Store
from caseworker.store.models import (
    Action,
    ActionUpdate,
    Adjustment,
    AuditEvent,
    Case,
    Correspondence,
    Disability,
    Extension,
    Officer,
    Remedy,
    Representative,
    Resident,
    Restriction,
    Stage,
)
from caseworker.store.queries.allocation import allocation, eligibility
from caseworker.store.queries.board import BOARD_GROUPS, deadline_board, non_working_days
from caseworker.store.queries.case import case_detail, case_id_for_reference
from caseworker.store.queries.inbox import InboxFilter, due_list, inbox_count, inbox_page
from caseworker.store.queries.inbox_sql import FLAGS
from caseworker.store.queries.officers import officer_by_login, officers
from caseworker.store.queries.register import register

TODAY = date(2025, 12, 19)  # a Friday
T0 = datetime(2025, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(engine, db_url):
    """(engine, url): a migrated database from the shared fixtures (SQLite, and PostgreSQL when configured)."""
    return engine, db_url


def store_at(db, day: date = TODAY) -> Store:
    engine, url = db
    return Store(engine, Settings(database_url=url, config_path=Path("x")), Clock.at(day))


class World:
    """Inserts officers, residents and cases with their stages, as the services would leave them."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.n = 0

    def _add(self, *rows):
        with Session(self.engine, expire_on_commit=False) as s:
            for r in rows:
                s.add(r)
                s.flush()
            s.commit()
        return rows[0] if len(rows) == 1 else rows

    def officer(self, login: str, role: str = "officer", active: bool = True) -> Officer:
        return self._add(Officer(login=login, name=login.title() + " Officer", role=role, active=active, created_at=T0))

    def resident(self, name: str, vulnerable: bool = False) -> Resident:
        return self._add(Resident(name=name, vulnerable=vulnerable, address="1 Road", created_at=T0))

    def case(
        self,
        resident: Resident,
        officer: Officer | None = None,
        next_due: date | None = None,
        *,
        ref: str | None = None,
        stage: int = 1,
        status: str = "open",
        closed: bool = False,
        summary: str = "damp in the bathroom",
        received: date = date(2025, 12, 5),
        acknowledged: date | None = date(2025, 12, 10),
        stage1_officer: Officer | None = None,
        kind: str | None = None,
        **extra,
    ) -> Case:
        self.n += 1
        ref = ref or f"MKCC-2025-{self.n:04d}"
        c = Case(
            reference=ref,
            resident_id=resident.id,
            summary=summary,
            received=received,
            stage=stage,
            status=status,
            closed=closed,
            officer_id=officer.id if officer else None,
            next_due=next_due,
            next_due_kind=kind if kind is not None else ("respond" if next_due else ""),
            channel="email",
            service_area="Repairs",
            category="Damp",
            created_at=T0,
            updated_at=T0,
            **extra,
        )
        self._add(c)
        s1_officer = stage1_officer if stage == 2 else officer
        rows = [
            Stage(
                case_id=c.id,
                number=1,
                officer_id=s1_officer.id if s1_officer else None,
                requested=received,
                acknowledged=acknowledged,
                responded=date(2025, 12, 12) if stage == 2 else None,
            )
        ]
        if stage == 2:
            rows.append(
                Stage(case_id=c.id, number=2, officer_id=officer.id if officer else None, requested=date(2025, 12, 15))
            )
        self._add(*rows)
        return c


@pytest.fixture
def world(db) -> World:
    return World(db[0])


def refs(rows) -> list[str]:
    return [r.reference for r in rows]


# -- inbox: order and keyset paging ----------------------------------------------------------


@pytest.mark.parametrize(
    "flt",
    [
        InboxFilter(include_closed=True),  # follows the indexes: dated, then undated
        InboxFilter(include_closed=True, search="mkcc"),  # scans: one query, NULLs sorted last
        InboxFilter(include_closed=True, stage=1),
    ],
    ids=["indexed", "search", "stage"],
)
def test_inbox_orders_by_due_then_id_with_undated_last_and_pages_without_gaps(db, world, flt):
    amy = world.officer("amy")
    res = world.resident("Ann Able")
    dues = [
        date(2025, 12, 23),
        None,
        date(2025, 12, 18),
        date(2025, 12, 23),
        None,
        date(2025, 12, 19),
        date(2026, 1, 5),
        None,
        date(2025, 12, 23),
    ]
    cases = [world.case(res, amy, d, closed=d is None, status="open" if d else "responded") for d in dues]
    expected = [c.reference for c in sorted(cases, key=lambda c: (c.next_due is None, c.next_due or date.min, c.id))]
    store = store_at(db)

    whole = inbox_page(store, flt)
    assert refs(whole.rows) == expected and whole.next_after is None

    for size in (1, 2, 3, 4, 6, 8):
        seen, after, pages = [], None, 0
        while True:
            page = inbox_page(store, flt, after=after, limit=size)
            assert len(page.rows) <= size
            seen += refs(page.rows)
            pages += 1
            if page.next_after is None:
                break
            assert page.next_after == (page.rows[-1].next_due, page.rows[-1].case_id)
            after = page.next_after
        assert seen == expected, size
        assert pages == -(-len(expected) // size)
    assert inbox_count(store, flt) == len(expected)
    # Open cases only by default: the undated (closed) ones drop out.
    assert refs(inbox_page(store).rows) == [r for r in expected if r in {c.reference for c in cases if c.next_due}]


def test_inbox_page_inside_the_undated_group(db, world):
    res = world.resident("Ann Able")
    cases = [world.case(res, None, None) for _ in range(5)]
    store = store_at(db)
    first = inbox_page(store, limit=2)
    assert first.next_after == (None, cases[1].id)
    second = inbox_page(store, after=first.next_after, limit=2)
    third = inbox_page(store, after=second.next_after, limit=2)
    assert refs(first.rows + second.rows + third.rows) == refs(cases)
    assert third.next_after is None
    assert all(r.rag == "" and r.days_left is None for r in first.rows)


# -- inbox: filters ---------------------------------------------------------------------------


@pytest.fixture
def filtered(db, world):
    amy, bob = world.officer("amy"), world.officer("bob")
    res = world.resident("Ann Able")
    c = {
        "overdue": world.case(res, amy, date(2025, 12, 17)),
        "today": world.case(res, amy, TODAY, status="awaiting-acknowledgement", kind="acknowledge", acknowledged=None),
        "two": world.case(res, bob, date(2025, 12, 23)),
        "three": world.case(res, bob, date(2025, 12, 24), stage=2, stage1_officer=amy),
        "later": world.case(res, None, date(2026, 1, 9)),
        "closed": world.case(res, amy, None, closed=True, status="responded"),
    }
    return store_at(db), c


def _page_refs(store, **kw):
    flt = InboxFilter(**kw)
    page = inbox_page(store, flt)
    assert inbox_count(store, flt) == len(page.rows)
    return set(refs(page.rows))


def test_each_inbox_filter(filtered):
    store, c = filtered
    r = {k: v.reference for k, v in c.items()}
    assert _page_refs(store) == {r["overdue"], r["today"], r["two"], r["three"], r["later"]}
    assert _page_refs(store, include_closed=True) == set(r.values())
    assert _page_refs(store, officer_login="amy") == {r["overdue"], r["today"]}
    assert _page_refs(store, officer_login="amy", include_closed=True) == {r["overdue"], r["today"], r["closed"]}
    assert _page_refs(store, officer_login="nobody") == set()
    assert _page_refs(store, stage=2) == {r["three"]}
    assert _page_refs(store, status="awaiting-acknowledgement") == {r["today"]}
    assert _page_refs(store, overdue=True) == {r["overdue"]}
    # Due within 2 working days of Fri 19 Dec: on or before Tue 23 Dec, overdue included.
    assert _page_refs(store, due_within=2) == {r["overdue"], r["today"], r["two"]}
    assert _page_refs(store, due_within=0) == {r["overdue"], r["today"]}
    assert _page_refs(store, officer_login="bob", due_within=2) == {r["two"]}
    assert _page_refs(store, officer_login="bob", stage=2) == {r["three"]}
    assert _page_refs(store, status="open", search="DAMP") == {r["overdue"], r["two"], r["three"], r["later"]}
    assert _page_refs(store, stage=1, overdue=True, include_closed=True) == {r["overdue"]}


@pytest.mark.parametrize("bound", ["few matches", "many matches"])
def test_my_cases_hold_the_cases_where_i_own_an_open_action(db, world, bound, monkeypatch):
    """My cases (6.6, 6.17): the cases I hold, and the open cases someone else holds (or nobody)
    where I own an action not yet done, each once, in deadline order (undated last), with every
    filter and the search; not a closed case, nor one where my action is done. PostgreSQL reads
    the cases of my open actions in a form of its own (inbox_sql._OWNED_PG and the same in the
    other filters); "many matches" makes every search term one with more matches than the bound."""
    from caseworker.store.queries import inbox
    from caseworker.store.queries.inbox import inbox_first_page

    if bound == "many matches":
        monkeypatch.setattr(inbox, "DRIVE_AT_MOST", 0)
    amy, bob = world.officer("amy"), world.officer("bob")
    res, gale = world.resident("Ann Able"), world.resident("Tom Gale")
    mine = world.case(res, amy, date(2025, 12, 22), ref="HRA-1")
    bobs = world.case(res, bob, date(2025, 12, 20), ref="HRA-2", summary="leak in the roof")
    done = world.case(res, bob, date(2025, 12, 21), ref="HRA-3")
    closed = world.case(res, bob, None, ref="HRA-4", closed=True, status="responded")
    nobodys = world.case(gale, None, None, ref="HRA-5")
    both = world.case(res, amy, date(2025, 12, 23), ref="HRA-6")
    late = world.case(gale, bob, date(2025, 12, 17), ref="HRA-7", stage=2, stage1_officer=amy)
    world.case(res, bob, date(2025, 12, 18), ref="HRA-8")  # bob's, nothing of amy's on it

    def action(case, owner="amy", done=False):
        return Action(
            case_id=case.id, stage_number=1, description="fix", owner=owner, due=TODAY, done=done, created_at=T0
        )

    world._add(
        action(bobs),
        action(bobs),
        action(done, done=True),
        action(closed),
        action(nobodys),
        action(both),
        action(late),
        action(mine, owner="bob"),
    )
    store = store_at(db)

    def mine_refs(**kw) -> list[str]:
        flt = InboxFilter(officer_login="amy", **kw)
        page = inbox_page(store, flt)
        first, n = inbox_first_page(store, flt)
        assert refs(first.rows) == refs(page.rows) and n == len(page.rows) == inbox_count(store, flt)
        return refs(page.rows)

    assert mine_refs() == ["HRA-7", "HRA-2", "HRA-1", "HRA-6", "HRA-5"]
    assert mine_refs(stage=2) == ["HRA-7"] and mine_refs(stage=1) == ["HRA-2", "HRA-1", "HRA-6", "HRA-5"]
    assert mine_refs(overdue=True) == ["HRA-7"]
    assert mine_refs(due_within=1) == ["HRA-7", "HRA-2", "HRA-1"]  # on or before Mon 22 Dec
    assert mine_refs(search="hra-") == ["HRA-7", "HRA-2", "HRA-1", "HRA-6", "HRA-5"]
    assert mine_refs(search="roof") == ["HRA-2"] and mine_refs(search="gale") == ["HRA-7", "HRA-5"]
    assert mine_refs(include_closed=True) == ["HRA-7", "HRA-2", "HRA-1", "HRA-6", "HRA-4", "HRA-5"]  # undated: by id
    page = inbox_page(store, InboxFilter(officer_login="amy"), limit=2)
    assert refs(page.rows) == ["HRA-7", "HRA-2"]
    assert refs(inbox_page(store, InboxFilter(officer_login="amy"), after=page.next_after, limit=3).rows) == [
        "HRA-1",
        "HRA-6",
        "HRA-5",
    ]
    assert inbox_count(store, InboxFilter(officer_login="amy"), at_most=2) == 3  # "more than 2"


def test_search_reference_prefix_name_and_text(db, world):
    amy = world.officer("amy")
    jo_us = world.resident("Jo_Smith")
    jo_x = world.resident("JoXSmith")
    pct = world.resident("Percy 100% Ltd")
    pc0 = world.resident("Percy 1000 Ltd")
    mary = world.resident("Mary O'Brien")
    a = world.case(jo_us, amy, TODAY, ref="MKCC-2025-0101")
    b = world.case(jo_x, amy, TODAY, ref="MKCC-2025-0102")
    c = world.case(pct, amy, TODAY, ref="HRA-0001", summary="Boiler broken since MAY")
    d = world.case(pc0, amy, TODAY, ref="HRA-0002", summary="repair 50% done")
    e = world.case(mary, amy, TODAY, ref="XMKCC-1", summary="noise")
    store = store_at(db)

    def found(term):
        return _page_refs(store, search=term)

    assert found("mkcc-2025-01") == {a.reference, b.reference}  # prefix, any case
    assert found("MKCC") == {a.reference, b.reference}  # not XMKCC-1: references match by prefix only
    assert found("2025-0101") == set()
    assert found("jo_s") == {a.reference}  # _ is literal
    assert found("josmith") == set()
    assert found("100%") == {c.reference}  # % is literal
    assert found("50%") == {d.reference}
    assert found("percy") == {c.reference, d.reference}
    assert found("o'brien") == {e.reference}
    assert found("boiler BROKEN") == {c.reference}  # summary text, any case
    assert found("  hra-  ") == {c.reference, d.reference}
    assert found("back\\slash") == set()


# -- colours and flags --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "due", "left", "colour"),
    [
        (TODAY, date(2025, 12, 19), 0, "red"),  # due today
        (TODAY, date(2025, 12, 22), 1, "amber"),  # Mon, over the weekend
        (TODAY, date(2025, 12, 23), 2, "amber"),
        (TODAY, date(2025, 12, 24), 3, "green"),
        (TODAY, date(2025, 12, 29), 4, "green"),  # over Christmas and Boxing Day
        (TODAY, date(2025, 12, 18), -1, "red"),
        (date(2025, 12, 22), date(2025, 12, 19), -1, "red"),  # Mon, due the Friday before
        (date(2025, 12, 29), date(2025, 12, 24), -1, "red"),  # across the bank holidays and weekend
        (date(2025, 12, 20), date(2025, 12, 22), 1, "amber"),  # seen on a Saturday
    ],
)
def test_rag_and_days_left(db, world, today, due, left, colour):
    world.case(world.resident("Ann Able"), world.officer("amy"), due)
    (row,) = inbox_page(store_at(db, today)).rows
    assert (row.days_left, row.rag) == (left, colour)
    assert row.due_kind == "respond" and row.officer == "amy" and row.resident == "Ann Able"


def test_flags(db, world):
    amy = world.officer("amy")
    plain = world.resident("Plain Person")
    adjusted = world.resident("Adjusted Person")
    restricted = world.resident("Restricted Person")
    vulnerable = world.resident("Vulnerable Person", vulnerable=True)
    disclosed = world.resident("Disclosed Person")
    lapsed = world.resident("Lapsed Person")
    world._add(
        Adjustment(
            resident_id=adjusted.id,
            kind="large print",
            agreed_on=date(2025, 1, 1),
            review_date=date(2026, 6, 1),
            recorded_by="amy",
            created_at=T0,
        ),
        Adjustment(
            resident_id=lapsed.id,
            kind="BSL",
            agreed_on=date(2025, 1, 1),
            review_date=date(2026, 6, 1),
            active=False,
            recorded_by="amy",
            created_at=T0,
        ),
        Restriction(
            resident_id=restricted.id,
            restriction="email only",
            evidence="log",
            authorised_by="sue",
            starts_on=date(2025, 1, 1),
            review_date=date(2026, 1, 1),
            created_at=T0,
        ),
        Restriction(
            resident_id=lapsed.id,
            restriction="phone only",
            evidence="log",
            authorised_by="sue",
            starts_on=date(2025, 1, 1),
            review_date=date(2026, 1, 1),
            active=False,
            created_at=T0,
        ),
        Disability(
            resident_id=disclosed.id,
            description="hearing loss",
            disclosed_on=date(2025, 1, 1),
            recorded_by="amy",
            created_at=T0,
        ),
    )
    cases = {p.name: world.case(p, amy, TODAY) for p in (plain, adjusted, restricted, vulnerable, disclosed, lapsed)}
    late = world.case(plain, amy, TODAY, ref="LATE-1")
    world._add(
        Action(case_id=late.id, stage_number=1, description="fix", owner="amy", due=date(2025, 12, 18), created_at=T0),
        Action(
            case_id=cases["Plain Person"].id, stage_number=1, description="fix", owner="amy", due=TODAY, created_at=T0
        ),
        Action(
            case_id=cases["Lapsed Person"].id,
            stage_number=1,
            description="fix",
            owner="amy",
            due=date(2025, 12, 1),
            done=True,
            completed_on=date(2025, 12, 2),
            created_at=T0,
        ),
    )
    flags = {r.reference: r.flags for r in inbox_page(store_at(db)).rows}
    assert flags[cases["Plain Person"].reference] == frozenset()
    assert flags[cases["Adjusted Person"].reference] == {"adjustments"}
    assert flags[cases["Restricted Person"].reference] == {"restriction"}
    assert flags[cases["Vulnerable Person"].reference] == {"vulnerable"}
    assert flags[cases["Disclosed Person"].reference] == {"vulnerable"}
    assert flags[cases["Lapsed Person"].reference] == frozenset()
    assert flags["LATE-1"] == {"overdue-actions"}
    assert all(f <= set(FLAGS) for f in flags.values())


# -- case detail ----------------------------------------------------------------------------------


def test_case_detail_gathers_everything_and_orders_the_timeline(db, world):
    amy, _bob = world.officer("amy"), world.officer("bob", role="supervisor")
    res = world.resident("Ann Able", vulnerable=True)
    (rep,) = (
        world._add(
            Representative(
                resident_id=res.id,
                name="Ruth Rep",
                relationship="advocate",
                consent_recorded=True,
                consent_date=date(2025, 12, 4),
                created_at=T0,
            )
        ),
    )
    first = world.case(res, amy, None, ref="MKCC-2025-0001", closed=True, status="responded")
    case = world.case(
        res,
        amy,
        date(2025, 12, 24),
        ref="MKCC-2025-0002",
        representative_id=rep.id,
        related_case_id=first.id,
        issue_date=date(2025, 11, 1),
    )
    world.case(res, amy, date(2026, 1, 2), ref="MKCC-2025-0003", related_case_id=case.id)
    world.officer("zed", active=False)
    with Session(db[0]) as s:
        stage = s.exec(Stage.__table__.select().where(Stage.case_id == case.id)).first()
        s.execute(
            Stage.__table__.update()
            .where(Stage.id == stage.id)
            .values(issues="damp", outcomes="repair", responsible="repairs", ack_due=date(2025, 12, 12))
        )
        s.commit()
    ext = Extension(
        stage_id=stage.id,
        working_days=2,
        reason="contractor report",
        resident_told=date(2025, 12, 17),
        recorded_on=date(2025, 12, 17),
        recorded_by="amy",
        created_at=T0,
    )
    act_late = Action(
        case_id=case.id, stage_number=1, description="survey", owner="amy", due=date(2025, 12, 18), created_at=T0
    )
    act_done = Action(
        case_id=case.id,
        stage_number=1,
        description="apologise",
        owner="amy",
        due=date(2025, 12, 11),
        done=True,
        completed_on=date(2025, 12, 11),
        created_at=T0,
    )
    world._add(
        ext,
        act_late,
        act_done,
        Remedy(
            case_id=case.id,
            stage_number=1,
            kind="financial",
            description="pay",
            by_when=date(2026, 1, 9),
            amount_pence=15000,
            offered_on=TODAY,
            created_at=T0,
        ),
        Adjustment(
            resident_id=res.id,
            kind="large print",
            agreed_on=date(2025, 1, 1),
            review_date=date(2025, 12, 1),
            recorded_by="amy",
            created_at=T0,
        ),
        Restriction(
            resident_id=res.id,
            restriction="email only",
            evidence="log",
            authorised_by="bob",
            starts_on=date(2025, 1, 1),
            review_date=date(2026, 3, 1),
            created_at=T0,
        ),
        Disability(
            resident_id=res.id,
            description="sight loss",
            disclosed_on=date(2025, 1, 2),
            recorded_by="amy",
            created_at=T0,
        ),
    )
    world._add(
        ActionUpdate(
            action_id=act_late.id, on=date(2025, 12, 16), text="booked", resident_told=True, by="amy", created_at=T0
        )
    )
    world._add(
        AuditEvent(
            at=datetime(2025, 12, 5, 10, tzinfo=UTC),
            actor="amy",
            case_id=case.id,
            action="logged",
            detail="logged by email",
        ),
        AuditEvent(at=datetime(2025, 12, 10, 9, tzinfo=UTC), actor="amy", case_id=case.id, action="acknowledged"),
        AuditEvent(
            at=datetime(2025, 12, 17, 15, tzinfo=UTC), actor="amy", case_id=case.id, action="extended", detail="2 WD"
        ),
        AuditEvent(at=datetime(2025, 12, 9, 9, tzinfo=UTC), actor="amy", case_id=first.id, action="logged"),
        Correspondence(
            case_id=case.id,
            kind="email",
            direction="in",
            subject="My complaint",
            body="text",
            at=datetime(2025, 12, 5, 9, tzinfo=UTC),
            by="Ann Able",
        ),
        Correspondence(
            case_id=case.id,
            kind="letter",
            direction="out",
            letter_kind="acknowledgement",
            body="Dear Ann\nWe have...",
            at=datetime(2025, 12, 10, 9, tzinfo=UTC),
            by="amy",
        ),
        Correspondence(
            case_id=case.id, kind="note", at=datetime(2025, 12, 12, 11, tzinfo=UTC), by="bob", subject="called resident"
        ),
    )
    store = store_at(db)
    d = case_detail(store, case.id)
    assert d == case_detail(store, reference="mkcc-2025-0002")
    assert case_id_for_reference(store, "MKCC-2025-0002") == case.id
    assert case_id_for_reference(store, "nope") is None and case_detail(store, reference="nope") is None
    assert case_detail(store, 999_999) is None

    h = d.header
    assert (h.reference, h.stage, h.status, h.officer_login, h.officer_name) == (
        "MKCC-2025-0002",
        1,
        "open",
        "amy",
        "Amy Officer",
    )
    assert (h.related_case, h.linked_cases, h.service_request, h.issue_date) == (
        "MKCC-2025-0001",
        ("MKCC-2025-0003",),
        "",
        date(2025, 11, 1),
    )
    assert d.resident.name == "Ann Able" and d.resident.vulnerable
    assert d.representative.name == "Ruth Rep" and d.representative.consent_recorded
    # Acknowledged Wed 10 Dec: 10 working days plus a 2-day extension = Tue 30 Dec (25, 26 Dec skipped).
    dl = d.deadline
    assert (dl.label, dl.due, dl.days_left, dl.rag) == ("Stage 1 response", date(2025, 12, 30), 5, "green")
    assert dl.explanation.startswith("due Tue 30 Dec 2025: 12 working days after Wed 10 Dec 2025")
    assert "Christmas Day" in dl.explanation
    (st,) = d.stages
    assert (st.issues, st.outcomes, st.responsible, st.ack_due, st.extended_days) == (
        "damp",
        "repair",
        "repairs",
        date(2025, 12, 12),
        2,
    )
    assert st.extensions[0].reason == "contractor report" and st.extensions[0].approved_by == ""
    assert d.current_stage == st
    assert [(a.description, a.overdue, len(a.updates)) for a in d.actions] == [
        ("apologise", False, 0),
        ("survey", True, 1),
    ]
    assert d.actions[1].updates[0].text == "booked"
    assert d.remedies[0].amount_pence == 15000
    assert [a.review_overdue for a in d.adjustments] == [True]
    assert [r.review_overdue for r in d.restrictions] == [False]
    assert [x.description for x in d.disabilities] == ["sight loss"]
    assert d.flags == {"adjustments", "restriction", "vulnerable", "overdue-actions"}
    assert [(t.what, t.who) for t in d.timeline] == [
        ("email", "Ann Able"),
        ("logged", "Amy Officer"),
        ("acknowledged", "Amy Officer"),
        ("letter", "Amy Officer"),
        ("note", "Bob Officer"),
        ("extended", "Amy Officer"),
    ]
    assert [t.at for t in d.timeline] == sorted(t.at for t in d.timeline)
    assert d.timeline[0].detail == "My complaint" and d.timeline[3].detail == "Dear Ann"
    assert d.timeline[1].detail == "logged by email"

    closed = case_detail(store, first.id)
    assert closed.deadline is None and closed.header.linked_cases == ("MKCC-2025-0002",)


# -- deadline board -------------------------------------------------------------------------------


def _board(store, **kw):
    board = deadline_board(store, **kw)
    assert tuple(g.name for g in board.groups) == BOARD_GROUPS
    return board, {g.name: refs(g.rows) for g in board.groups}


def test_board_groups_around_a_weekend(db, world):
    amy, bob = world.officer("amy"), world.officer("bob")
    res = world.resident("Ann Able")
    dues = {
        "fri-before": date(2025, 12, 12),
        "mon": date(2025, 12, 15),
        "tue": date(2025, 12, 16),
        "wed": date(2025, 12, 17),
        "thu": date(2025, 12, 18),
        "fri": date(2025, 12, 19),
        "next-mon": date(2025, 12, 22),
    }
    c = {k: world.case(res, amy if i % 2 else bob, d, ref=k) for i, (k, d) in enumerate(dues.items())}
    world.case(res, None, date(2025, 12, 18), ref="nobody")
    world.case(res, amy, None, ref="closed", closed=True, status="responded")
    # Monday 15 Dec: the 2 working days are Tue and Wed; this week is Thu and Fri.
    board, g = _board(store_at(db, date(2025, 12, 15)))
    assert g == {
        "overdue": ["fri-before"],
        "today": ["mon"],
        "next 2 working days": ["tue", "wed"],
        "this week": ["thu", "nobody", "fri"],
        "later": ["next-mon"],
    }
    assert [x.total for x in board.groups] == [1, 1, 2, 3, 1]
    assert {(o.login, o.counts) for o in board.by_officer} == {
        ("bob", (1, 0, 1, 1, 1)),
        ("amy", (0, 1, 1, 1, 0)),
        ("", (0, 0, 0, 1, 0)),
    }
    assert board.by_officer[-1].login == ""  # unassigned last
    # Friday 19 Dec: the 2 working days run over the weekend to Tue 23; this week is empty.
    board, g = _board(store_at(db))
    assert g["today"] == ["fri"] and g["next 2 working days"] == ["next-mon"] and g["this week"] == []
    assert g["overdue"] == ["fri-before", "mon", "tue", "wed", "thu", "nobody"]
    # One officer only, with a cap on the rows but the full count.
    board, g = _board(store_at(db), officer_login="bob", limit=1)
    assert g["overdue"] == ["fri-before"] and board.groups[0].total == 3
    assert [o.login for o in board.by_officer] == ["bob"]
    assert c  # every case was created


def test_board_across_the_christmas_bank_holidays(db, world):
    amy = world.officer("amy")
    res = world.resident("Ann Able")
    for ref, d in [("wed24", date(2025, 12, 24)), ("mon29", date(2025, 12, 29)), ("tue30", date(2025, 12, 30))]:
        world.case(res, amy, d, ref=ref)
    # Tue 23 Dec: the next 2 working days are Wed 24 and Mon 29 (25, 26 Dec and the weekend skipped).
    _, g = _board(store_at(db, date(2025, 12, 23)))
    assert g["next 2 working days"] == ["wed24", "mon29"] and g["this week"] == [] and g["later"] == ["tue30"]


def test_non_working_days(db):
    days = non_working_days(store_at(db), months=1)
    assert days == [
        (date(2025, 12, 25), "Christmas Day"),
        (date(2025, 12, 26), "Boxing Day"),
        (date(2026, 1, 1), "New Year's Day"),
    ]
    with_weekends = non_working_days(store_at(db), months=1, weekends=True)
    assert (date(2025, 12, 20), "Saturday") in with_weekends and with_weekends[-1][0] <= date(2026, 1, 19)


# -- adjustments register -------------------------------------------------------------------------


def test_register_orders_overdue_then_due_then_review_date(db, world):
    amy = world.officer("amy")
    ann, ben = world.resident("Ann Able"), world.resident("Ben Baker")
    world.case(ann, amy, TODAY, ref="A-2")
    world.case(ann, amy, TODAY, ref="A-1")
    world.case(ann, amy, None, ref="A-0", closed=True, status="closed")
    adj = {"agreed_on": date(2025, 1, 1), "recorded_by": "amy", "created_at": T0}
    rst = {"evidence": "log", "authorised_by": "sue", "starts_on": date(2025, 1, 1), "created_at": T0}
    world._add(
        Adjustment(resident_id=ann.id, kind="later", review_date=date(2026, 3, 1), **adj),
        Adjustment(resident_id=ben.id, kind="due-soon", review_date=date(2025, 12, 30), **adj),
        Adjustment(resident_id=ann.id, kind="inactive-overdue", review_date=date(2025, 1, 1), active=False, **adj),
        Restriction(resident_id=ben.id, restriction="overdue-late", review_date=date(2025, 12, 18), **rst),
        Restriction(resident_id=ann.id, restriction="overdue-early", review_date=date(2025, 11, 1), **rst),
        Adjustment(resident_id=ben.id, kind="due-today", review_date=TODAY, **adj),
        Adjustment(resident_id=ben.id, kind="in-15-days", review_date=TODAY + timedelta(days=15), **adj),
        Disability(
            resident_id=ann.id,
            description="sight loss",
            disclosed_on=date(2025, 1, 1),
            recorded_by="amy",
            created_at=T0,
        ),
    )
    reg = register(store_at(db))
    assert [(r.what, r.review) for r in reg.rows] == [
        ("overdue-early", "overdue"),
        ("overdue-late", "overdue"),
        ("due-today", "due"),
        ("due-soon", "due"),
        ("in-15-days", ""),
        ("later", ""),
        ("sight loss", ""),
        ("inactive-overdue", ""),
    ]
    assert (reg.overdue, reg.due) == (2, 2)
    by_what = {r.what: r for r in reg.rows}
    assert by_what["overdue-early"].open_cases == ("A-1", "A-2") and by_what["overdue-early"].kind == "restriction"
    assert by_what["due-soon"].open_cases == () and by_what["due-soon"].resident == "Ben Baker"
    assert by_what["sight loss"].kind == "disability" and by_what["sight loss"].review_date is None


# -- Stage 2 allocation ----------------------------------------------------------------------------


def test_allocation_and_eligibility(db, world):
    amy, bob = world.officer("amy"), world.officer("bob")
    sue = world.officer("sue", role="supervisor")
    world.officer("old", active=False)
    res = world.resident("Ann Able")
    assigned = world.case(res, bob, date(2025, 12, 22), stage=2, stage1_officer=amy, ref="S2-ASSIGNED")
    waiting = world.case(
        res,
        None,
        date(2026, 1, 5),
        stage=2,
        stage1_officer=amy,
        ref="S2-WAITING",
        status="awaiting-acknowledgement",
        kind="acknowledge",
    )
    world.case(res, bob, None, stage=2, stage1_officer=amy, ref="S2-DONE", status="responded", closed=True)
    world.case(res, amy, TODAY, ref="S1")
    alloc = allocation(store_at(db))
    assert [c.reference for c in alloc.cases] == ["S2-WAITING", "S2-ASSIGNED"] and alloc.total == 2
    capped = allocation(store_at(db), limit=1)
    assert [c.reference for c in capped.cases] == ["S2-WAITING"] and capped.total == 2
    w = alloc.cases[0]
    assert (w.stage1_officer, w.stage2_officer, w.requested, w.due_kind) == (
        "amy",
        "",
        date(2025, 12, 15),
        "acknowledge",
    )
    assert (alloc.cases[1].stage2_officer, alloc.cases[1].days_left, alloc.cases[1].rag) == ("bob", 1, "amber")
    assert {(o.login, o.open_cases, o.stage2_open) for o in alloc.officers} == {
        ("amy", 1, 0),
        ("bob", 1, 1),
        ("sue", 0, 0),
    }

    el = {e.login: e for e in eligibility(store_at(db), waiting.id)}
    assert set(el) == {"amy", "bob", "sue"}  # active officers only
    assert not el["amy"].eligible
    assert "considered this complaint at Stage 1" in el["amy"].reason and "6.13" in el["amy"].reason
    assert el["bob"].eligible and el["bob"].reason == "" and el["sue"].eligible
    assert assigned and sue
    with pytest.raises(LookupError):
        eligibility(store_at(db), 999_999)


# -- due list and officers ---------------------------------------------------------------------------


def test_due_list(db, world):
    amy, bob = world.officer("amy"), world.officer("bob")
    res = world.resident("Ann Able")
    world.case(res, amy, date(2026, 1, 9), ref="LATER")
    world.case(res, bob, date(2025, 12, 22), ref="MON")
    world.case(res, amy, date(2025, 12, 10), ref="OVERDUE")
    world.case(res, amy, None, ref="CLOSED", closed=True, status="closed")
    store = store_at(db)
    assert refs(due_list(store)) == ["OVERDUE", "MON", "LATER"]
    assert refs(due_list(store, within=2)) == ["OVERDUE", "MON"]
    assert refs(due_list(store, officer_login="amy")) == ["OVERDUE", "LATER"]
    assert due_list(store)[0].days_left < 0
    with pytest.raises(LookupError, match="unknown officer 'nobody'"):
        due_list(store, officer_login="nobody")


def test_officers(db, world):
    world.officer("amy")
    world.officer("sue", role="supervisor")
    world.officer("old", active=False)
    store = store_at(db)
    assert [o.login for o in officers(store)] == ["amy", "sue"]
    assert [o.login for o in officers(store, active_only=False)] == ["amy", "old", "sue"]
    sue = officer_by_login(store, "sue")
    assert (sue.role, sue.active, sue.name) == ("supervisor", True, "Sue Officer")
    assert officer_by_login(store, "nobody") is None


def test_results_are_frozen_plain_values(db, world):
    world.case(world.resident("Ann Able"), world.officer("amy"), TODAY)
    row = inbox_page(store_at(db)).rows[0]
    with pytest.raises(AttributeError):
        row.reference = "x"  # type: ignore[misc]
    assert type(row.flags) is frozenset
