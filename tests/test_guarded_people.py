"""A resident's and a representative's details (name, address, contacts) and the
self-assessment's answers carry the version check too (issue 17, Deliver 4).

Of two changes made at once exactly one is stored; the other is refused naming who changed
the record and when, in UK local time (Europe/London: BST in July) whatever zone the machine
is in (here Tokyo), and nothing of it is written. A provision saved for the first time by
two officers at once is the same race (both saw nothing saved). Races run on SQLite and,
when CASEWORKER_TEST_PG_URL is set, on PostgreSQL, in two real processes.
"""

from __future__ import annotations

import multiprocessing
from datetime import date, time

import pytest
import sqlalchemy as sa
from helpers import CHANGED, make_store, officer_names, refused
from sqlmodel import Session, SQLModel, select

from caseworker.clock import Clock
from caseworker.rules.lifecycle import CaseType, NewCase, Role
from caseworker.store import services as sv
from caseworker.store.models import AuditEvent, Case, Representative, Resident
from caseworker.store.models_account import ProvisionAssessment
from caseworker.store.queries.account import year_account

#: Mon 14 Jul 2025, every save at 23:30 UTC: 00:30 on Tue 15 Jul in the UK (BST, UTC+1);
#: 08:30 on 15 Jul in Tokyo, where the machine is: the message must say the UK time.
TODAY = date(2025, 7, 14)
AT = time(23, 30)
UK = "00:30 on 15 Jul 2025"
#: Every test here runs on a machine set to Tokyo (conftest ``tokyo``).
pytestmark = pytest.mark.usefixtures("tokyo")
YEAR = 2025  # the financial year 2025-26, which 14 July 2025 is in


#: Every save at 23:30 UTC on TODAY.
CLOCK = Clock(fixed=TODAY, fixed_time=AT)


@pytest.fixture
def world(engine, db_url):
    """Officers alice and bob; Mrs Jane Smith's case, her son acting for her with consent."""
    store = make_store(db_url, CLOCK, engine)
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Able", Role.OFFICER)
    sv.add_officer(store, "admin", "bob", "Bob Baker", Role.OFFICER)
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="1 Elm Road", phone="01632 960000")
    rep = sv.add_representative(
        store, "alice", resident, "Tom Smith", relationship="son", consent_recorded=True, consent_date=date(2025, 7, 1)
    )
    new = NewCase(CaseType.COMPLAINT, date(2025, 7, 1), "phone", "Repairs", "Damp and mould", "Mould")
    ref = sv.log_case(store, "alice", resident, new, officer_login="alice")
    return store, {"case": ref.id, "resident": resident, "representative": rep}


def dump(engine: sa.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key.columns))]
            for t in SQLModel.metadata.sorted_tables
        }


def get(engine: sa.Engine, model, key):
    with Session(engine) as session:
        return session.get(model, key)


# -- one after the other: both read the same version, one saves first ------------------------


def test_a_second_correction_of_a_residents_details_from_the_same_version_is_refused(world, engine):
    store, ids = world
    assert (
        sv.correct_person(
            store, "alice", {"address": "1 Elm Road, Leeds"}, "postcode town", resident_id=ids["resident"], version=1
        )
        == 1
    )
    before = dump(engine)
    with pytest.raises(sv.ConcurrentChange) as caught:
        sv.correct_person(store, "bob", {"phone": "01632 960001"}, "new number", resident_id=ids["resident"], version=1)
    message = caught.value.message
    assert message.startswith("The record of the resident Mrs Jane Smith was changed by Alice Able"), message
    assert CHANGED.search(message).groups() == ("Alice Able", UK), message
    assert caught.value.refusal.code_ref == "5.12"
    assert dump(engine) == before, "the refused correction wrote something"
    stored = get(engine, Resident, ids["resident"])
    assert (stored.version, stored.updated_by, stored.address, stored.phone) == (
        2,
        "alice",
        "1 Elm Road, Leeds",
        "01632 960000",
    )
    # from the version now shown, bob's correction goes in
    sv.correct_person(store, "bob", {"phone": "01632 960001"}, "new number", resident_id=ids["resident"], version=2)
    assert get(engine, Resident, ids["resident"]).phone == "01632 960001"


def test_a_second_correction_of_a_representative_from_the_same_version_is_refused(world, engine):
    store, ids = world
    sv.correct_person(
        store, "alice", {"name": "Thomas Smith"}, "full name", representative_id=ids["representative"], version=1
    )
    before = dump(engine)
    with pytest.raises(sv.ConcurrentChange) as caught:
        sv.correct_person(
            store,
            "bob",
            {"email": "tom@example.org"},
            "email given",
            representative_id=ids["representative"],
            version=1,
        )
    assert caught.value.message.startswith("The record of the representative Thomas Smith was changed by Alice Able")
    assert CHANGED.search(caught.value.message).groups() == ("Alice Able", UK)
    assert dump(engine) == before


def test_a_second_save_of_a_provision_from_the_same_version_is_refused(world, engine):
    store, _ = world
    assert sv.save_provision(store, "alice", YEAR, "5.10", "yes", "", "all reviewed", version=0) == 1
    before = dump(engine)
    with pytest.raises(sv.ConcurrentChange) as caught:  # bob opened it too when nothing was saved
        sv.save_provision(store, "bob", YEAR, "5.10", "no", "", "not all", version=0)
    assert caught.value.message.startswith(
        "The self-assessment of provision 5.10 for 2025-26 was changed by Alice Able"
    )
    assert CHANGED.search(caught.value.message).groups() == ("Alice Able", UK)
    assert dump(engine) == before
    assert sv.save_provision(store, "alice", YEAR, "5.10", "partly", "", "most reviewed", version=1) == 2
    with pytest.raises(sv.ConcurrentChange):
        sv.save_provision(store, "bob", YEAR, "5.10", "no", "", "not all", version=1)
    stored = get(engine, ProvisionAssessment, (YEAR, "5.10"))
    assert (stored.version, stored.updated_by, stored.complies) == (2, "alice", "partly")


ACCOUNT = "The 2025-26 record of the annual letter, the governing body's response and the approval was changed by"


def test_a_second_record_of_the_years_account_from_the_same_version_is_refused(world, engine):
    """The annual letter, the governing body's response and the approval share one version: a
    record made from what an officer read before another's is refused, whichever part it is."""
    store, _ = world
    sv.add_officer(store, "admin", "sue", "Sue Stone", Role.SUPERVISOR)
    # both saw nothing recorded for the year (version 0); alice records the letter first
    sv.record_annual_letter(store, "alice", YEAR, date(2025, 7, 1), "Three findings of maladministration", version=0)
    before = dump(engine)
    with pytest.raises(sv.ConcurrentChange) as caught:
        sv.record_governing_body_response(store, "bob", YEAR, date(2025, 7, 10), "Noted", version=0)
    assert caught.value.message.startswith(ACCOUNT + " Alice Able")
    assert CHANGED.search(caught.value.message).groups() == ("Alice Able", UK)
    assert dump(engine) == before
    sv.record_governing_body_response(store, "bob", YEAR, date(2025, 7, 10), "Noted", version=1)
    with pytest.raises(sv.ConcurrentChange) as caught:  # sue approves what she read before bob's response
        sv.approve_self_assessment(store, "sue", YEAR, version=1)
    assert CHANGED.search(caught.value.message).groups() == ("Bob Baker", UK)
    sv.approve_self_assessment(store, "sue", YEAR, version=2)
    # a provision changed after approval withdraws it, and that is a change of the account too
    sv.save_provision(store, "alice", YEAR, "5.10", "yes", "", "")
    with pytest.raises(sv.ConcurrentChange):
        sv.record_annual_letter(store, "alice", YEAR, date(2025, 7, 1), "Two findings", version=3)
    acc = year_account(store, YEAR)[0]
    assert (acc.version, acc.approved_by, acc.letter_key_points, acc.governing_body_response) == (
        4,
        "",
        "Three findings of maladministration",
        "Noted",
    )


def test_a_provision_saved_as_it_stands_keeps_the_approval_and_a_change_is_told_as_its_maker(world, engine):
    """Saving a provision's answer unchanged saves nothing (no new version, no audit) and leaves
    the approval standing; a real change withdraws it (8.2), and a record made from what was
    read before is refused naming the officer whose change withdrew it, not the approver."""
    store, _ = world
    sv.add_officer(store, "admin", "sue", "Sue Stone", Role.SUPERVISOR)
    assert sv.save_provision(store, "alice", YEAR, "5.10", "yes", "the log ", "") == 1
    sv.approve_self_assessment(store, "sue", YEAR, version=0)
    before = dump(engine)
    # the form saved again as it was opened (evidence as stored, whitespace trimmed as stored)
    assert sv.save_provision(store, "bob", YEAR, "5.10", "yes", " the log", "", version=1) == 1
    assert dump(engine) == before
    assert year_account(store, YEAR)[0].approved_by == "sue"
    assert sv.save_provision(store, "bob", YEAR, "5.10", "partly", "the log", "", version=1) == 2
    acc = year_account(store, YEAR)[0]
    assert (acc.approved_by, acc.version) == ("", 2)
    with pytest.raises(sv.ConcurrentChange) as caught:  # sue records the letter from what she read
        sv.record_annual_letter(store, "sue", YEAR, date(2025, 7, 1), "One finding", version=1)
    assert CHANGED.search(caught.value.message).groups() == ("Bob Baker", UK)


def test_the_years_letter_and_response_are_dated_within_the_reports_reach(world):
    """A 2025-26 report: the Ombudsman's letter received from 1 Apr 2024 (the letter on the
    year before, as the year began) and the governing body's response from 1 Apr 2025 (the
    year's start), neither in the future (today is 14 Jul 2025): 01/01/2000 is a slip of the year."""
    store, _ = world
    refused(
        lambda: sv.record_annual_letter(store, "alice", YEAR, date(2024, 3, 31), "x"),
        "letter_received_on",
        "01 Apr 2024",
    )
    refused(
        lambda: sv.record_annual_letter(store, "alice", YEAR, date(2025, 7, 15), "x"), "letter_received_on", "future"
    )
    sv.record_annual_letter(store, "alice", YEAR, date(2024, 4, 1), "Two findings")
    refused(
        lambda: sv.record_governing_body_response(store, "alice", YEAR, date(2025, 3, 31), "x"),
        "response_on",
        "01 Apr 2025",
    )
    refused(
        lambda: sv.record_governing_body_response(store, "alice", YEAR, date(2000, 1, 1), "x"), "response_on", "began"
    )
    sv.record_governing_body_response(store, "alice", YEAR, date(2025, 4, 1), "Noted")
    acc = year_account(store, YEAR)[0]
    assert (acc.letter_received_on, acc.response_on) == (date(2024, 4, 1), date(2025, 4, 1))


def test_the_versions_are_shown_with_the_records(world):
    """The screens pass these versions back when they save."""
    from caseworker.reporting.assessment import self_assessment
    from caseworker.reporting.period import Period
    from caseworker.store.queries.case import case_detail

    store, ids = world
    sv.correct_person(store, "alice", {"address": "2 Elm Road"}, "moved", resident_id=ids["resident"])
    detail = case_detail(store, case_id=ids["case"])
    assert detail.resident.version == 2
    sv.save_provision(store, "alice", YEAR, "5.10", "yes", "", "")
    sa_ = self_assessment(store, Period.financial_year(YEAR))
    assert (sa_.row("5.10").version, sa_.row("5.11").version) == (1, 0)
    assert sa_.account_version == 0  # nothing recorded for the year yet
    sv.record_annual_letter(store, "alice", YEAR, date(2025, 7, 1), "One finding")
    assert self_assessment(store, Period.financial_year(YEAR)).account_version == 1


# -- at the same moment: two processes ----------------------------------------------------------


def _in_process(url: str, what: str, login: str, key, barrier, results) -> None:
    """In a child process: open the store, wait for the other process, then save from the version both read."""
    from caseworker.store.db import make_engine

    engine = make_engine(url)
    store = make_store(url, CLOCK, engine)
    try:
        barrier.wait(timeout=60)
        if what == "resident":
            change = {"name": "Mrs Jane Smyth"} if login == "alice" else {"address": "3 Oak Road"}
            sv.correct_person(store, login, change, f"corrected by {login}", resident_id=key, version=1)
        elif what in ("first letter", "letter"):
            sv.record_annual_letter(
                store, login, YEAR, date(2025, 7, 1), login, version=0 if what == "first letter" else 1
            )
        elif what == "first answer":
            sv.save_provision(store, login, YEAR, "6.2", login == "alice" and "yes" or "no", "", login, version=0)
        else:
            sv.save_provision(store, login, YEAR, "5.10", login == "alice" and "yes" or "no", "", login, version=1)
        results.put((login, "ok", ""))
    except sv.ConcurrentChange as exc:
        results.put((login, "conflict", exc.message))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put((login, "error", f"{type(exc).__name__}: {exc}"))
    finally:
        engine.dispose()


@pytest.mark.parametrize("what", ["resident", "first answer", "answer", "first letter", "letter"])
def test_two_processes_change_one_record_at_once_exactly_one_succeeds(world, engine, db_url, what):
    """Two officers (two processes) correct one resident's details, save a provision's first
    answer, or change a saved answer, at the same moment."""
    store, ids = world
    if what == "answer":
        sv.save_provision(store, "admin", YEAR, "5.10", "partly", "", "first go")
    if what == "letter":
        sv.record_annual_letter(store, "admin", YEAR, date(2025, 7, 1), "first go")
    audits_before = len(dump(engine)["audit_event"])
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(target=_in_process, args=(db_url, what, login, ids["resident"], barrier, results))
        for login in ("alice", "bob")
    ]
    for p in procs:
        p.start()
    got = {login: (kind, value) for login, kind, value in (results.get(timeout=120) for _ in procs)}
    for p in procs:
        p.join(timeout=60)
    assert sorted(kind for kind, _ in got.values()) == ["conflict", "ok"], got
    winner = next(login for login, (kind, _) in got.items() if kind == "ok")
    loser_message = next(value for kind, value in got.values() if kind == "conflict")
    assert CHANGED.search(loser_message).groups() == (officer_names(engine)[winner], UK), loser_message
    if what == "resident":
        stored = get(engine, Resident, ids["resident"])
        assert (stored.version, stored.updated_by) == (2, winner)
        assert (stored.name, stored.address) == (
            ("Mrs Jane Smyth", "1 Elm Road") if winner == "alice" else ("Mrs Jane Smith", "3 Oak Road")
        )
        assert get(engine, Representative, ids["representative"]).version == 1
    elif what in ("first letter", "letter"):
        acc = year_account(store, YEAR)[0]
        assert (acc.version, acc.letter_key_points) == (1 if what == "first letter" else 2, winner)
    else:
        number = "6.2" if what == "first answer" else "5.10"
        stored = get(engine, ProvisionAssessment, (YEAR, number))
        assert (stored.version, stored.updated_by, stored.commentary) == (
            1 if what == "first answer" else 2,
            winner,
            winner,
        )
        assert stored.complies == ("yes" if winner == "alice" else "no")
    # the loser's audit event is not there either: one correction or save recorded
    with Session(engine) as session:
        events = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()[audits_before:]
    assert {e.actor for e in events} == {winner}, [(e.actor, e.action) for e in events]


def test_a_correction_of_a_case_and_its_people_is_stored_whole_or_not_at_all(world, engine):
    """correct_record: the case's category and the resident's and representative's details in one
    transaction (5.12); the representative changed meanwhile, so none of it is stored, and from
    the versions now shown all of it is."""
    store, ids = world
    sv.correct_person(store, "bob", {"email": "tom@example.org"}, "new email", representative_id=ids["representative"])
    before = dump(engine)
    people = [
        sv.PersonCorrection({"address": "1 Elm Road, Leeds"}, 1, resident_id=ids["resident"]),
        sv.PersonCorrection({"name": "Thomas Smith"}, 1, representative_id=ids["representative"]),
    ]
    case_version = get(engine, Case, ids["case"]).version
    with pytest.raises(sv.ConcurrentChange) as caught:
        sv.correct_record(store, "alice", ids["case"], case_version, "as on the form", {"category": "Damp"}, people)
    assert caught.value.message.startswith("The record of the representative Tom Smith was changed by Bob Baker")
    assert dump(engine) == before, "a refused part left the other parts stored"
    people[1] = sv.PersonCorrection({"name": "Thomas Smith"}, 2, representative_id=ids["representative"])
    case_version = get(engine, Case, ids["case"]).version
    assert (
        sv.correct_record(store, "alice", ids["case"], case_version, "as on the form", {"category": "Damp"}, people)
        == 3
    )
    assert get(engine, Case, ids["case"]).category == "Damp"
    assert get(engine, Resident, ids["resident"]).address == "1 Elm Road, Leeds"
    assert get(engine, Representative, ids["representative"]).name == "Thomas Smith"
    with pytest.raises(sv.DomainError, match="nothing to correct"):
        sv.correct_record(store, "alice", ids["case"], None, "no change", {}, [])


# -- in the app: the correction form of the officer who saved second ----------------------------


async def test_the_correction_form_says_who_changed_the_resident_and_keeps_their_change(url):
    """Alice corrects the case's category and the resident's email while Bob corrects her address
    and phone: Alice's save is refused naming Bob, and nothing of it is stored (not the category
    either: one correction, one transaction); the form keeps what Alice typed and shows Bob's
    address and phone in the fields she did not touch, so saving again stores hers and keeps his."""
    from helpers import make_app, settle
    from textual.widgets import Input, Static, TextArea

    from caseworker.rules.facts import Definition
    from caseworker.screens.dialogs.corrections import CorrectDialog

    today = date(2025, 12, 10)
    store = make_store(url, today)
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
    sv.add_officer(store, "admin", "bob", "Bob Brown", Role.OFFICER)
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="12 High Street", phone="01632 960000")
    new = NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "phone", "Repairs", "Damp", "Mould in the bedroom")
    ref = sv.log_case(store, "alice", resident, new)
    sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 12, 3), Definition("Mould", "Treat it", "Repairs"))
    app = make_app(url, "alice", today)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_case(ref.id)
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, CorrectDialog)
        category = app.screen.query_one("#f-category", Input)
        category.value = ""
        for selector, text in (
            ("#f-category", "Damp and mould"),
            ("#f-resident_email", "jane@example.org"),
            ("#f-reason", "she gave her email"),
        ):
            widget = app.screen.query_one(selector)
            widget.focus()
            await pilot.pause()
            await pilot.press(*text)
        sv.correct_person(  # meanwhile, from the version Alice's form showed
            store,
            "bob",
            {"address": "3 Oak Road", "phone": "01632 960111"},
            "moved",
            resident_id=resident,
            version=1,
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CorrectDialog)  # still open
        notice = str(dialog.query_one("#form-notice", Static).render())
        # Bob's correction is on the case's timeline too: the case is the first part refused
        assert notice.startswith("CMP-000001 was changed by Bob Brown at"), notice
        assert dialog.query_one("#f-resident_email", Input).value == "jane@example.org"  # what she typed
        assert dialog.query_one("#f-resident_address", TextArea).text == "3 Oak Road"  # his, untouched by her
        assert dialog.query_one("#f-resident_phone", Input).value == "01632 960111"
        # one correction, stored whole or not at all: the case's category was not saved either
        assert get(store.engine, Case, ref.id).category == "Damp"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, CorrectDialog)
    stored = get(store.engine, Resident, resident)
    assert (stored.email, stored.address, stored.phone, stored.version, stored.updated_by) == (
        "jane@example.org",
        "3 Oak Road",
        "01632 960111",
        3,
        "alice",
    )
    assert get(store.engine, Case, ref.id).category == "Damp and mould"
    store.engine.dispose()
