"""Issue 14: outstanding actions surface where officers look (6.6, 6.17), and an action's due
date moves with a reason and the update given to the resident (audited).

Runs on SQLite and, when CASEWORKER_TEST_PG_URL is set, on PostgreSQL. Dates worked out by
hand (England and Wales, no bank holiday in October-November 2025): the case is received
Wed 1 Oct 2025, acknowledged Thu 2 Oct, answered Fri 10 Oct with one action owned by bob,
due Mon 10 Nov. Today is Fri 14 Nov 2025: the action is 4 working days overdue
(Tue 11, Wed 12, Thu 13, Fri 14 Nov).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.labels import listed_status
from caseworker.rules.lifecycle import CaseType, Decision, Definition, NewCase, Role
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.models import AuditEvent, Case, ResidentUpdate
from caseworker.store.queries.board import deadline_board
from caseworker.store.queries.inbox import InboxFilter, due_list, inbox_count, inbox_page

TODAY = date(2025, 11, 14)  # Friday
DEFINITION = Definition("mould in the back bedroom", "mould treated", "repairs", "contents")


@dataclass
class World:
    engine: sa.Engine
    settings: Settings
    resident: int

    def at(self, day: date) -> Store:
        """The store on ``day`` at 10:00 UTC: a fixed time of day, so an event's UK day is
        ``day`` whenever the suite runs (on the real time of day, between 23:00 and midnight UTC
        a day in British Summer Time was already the next day in the UK)."""
        return Store(self.engine, self.settings, Clock(fixed=day, fixed_time=time(10, 0)))

    @property
    def store(self) -> Store:
        return self.at(TODAY)


@pytest.fixture
def w(engine, db_url) -> World:
    settings = Settings(database_url=db_url, config_path=Path("unused-config.toml"))
    world = World(engine, settings, 0)
    store = world.store
    sv.current_officer(store, "admin")
    for login, name, role in (
        ("alice", "Alice Able", Role.OFFICER),
        ("bob", "Bob Baker", Role.OFFICER),
        ("carol", "Carol Cole", Role.OFFICER),
    ):
        sv.add_officer(store, "admin", login, name, role)
    world.resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="1 Station Road")
    return world


def answered_with_action(w: World, owner: str = "bob", due: date = date(2025, 11, 10)) -> tuple[int, int]:
    """(case id, action id): answered on Fri 10 Oct with one open action, as recorded at the time."""
    new = NewCase(CaseType.COMPLAINT, date(2025, 10, 1), "phone", "Repairs", "Damp and mould", "Mould in the bedroom")
    ref = sv.log_case(w.at(date(2025, 10, 1)), "alice", w.resident, new)
    ref = sv.acknowledge(w.at(date(2025, 10, 2)), "alice", ref.id, ref.version, date(2025, 10, 2), DEFINITION)
    action = sv.add_action(w.at(date(2025, 10, 10)), "alice", ref.id, "Treat the mould", owner, due)
    sv.respond(
        w.at(date(2025, 10, 10)),
        "alice",
        ref.id,
        None,
        date(2025, 10, 10),
        Decision.UPHELD,
        "the mould was not treated",
        no_remedy=True,
    )
    return ref.id, action


def row_for(store: Store, login: str | None, case_id: int, **flt):
    rows = inbox_page(store, InboxFilter(officer_login=login, **flt)).rows
    return next((r for r in rows if r.case_id == case_id), None)


def test_an_overdue_action_keeps_an_answered_case_in_both_officers_lists(w: World) -> None:
    case_id, _ = answered_with_action(w)
    store = w.store

    for login in ("alice", "bob"):  # the case officer and the action's owner
        row = row_for(store, login, case_id)
        assert row is not None, login
        assert (row.next_due, row.due_kind, row.days_left, row.rag) == (date(2025, 11, 10), "action", -4, "red")
        assert "overdue-actions" in row.flags  # shown as "!"
        assert listed_status(row.status, row.due_kind) == "actions open"
        assert row_for(store, login, case_id, overdue=True) is not None
        assert inbox_count(store, InboxFilter(officer_login=login, overdue=True)) == 1
        board = deadline_board(store, officer_login=login)
        assert [r.case_id for r in board.groups[0].rows] == [case_id]  # "overdue"
    assert row_for(store, "carol", case_id) is None
    assert [r.reference for r in due_list(store, officer_login="bob")] == [row.reference]


def test_a_live_case_is_listed_by_its_overdue_action_when_that_comes_first(w: World) -> None:
    new = NewCase(CaseType.COMPLAINT, date(2025, 11, 3), "phone", "Repairs", "Damp and mould", "Mould")
    ref = sv.log_case(w.at(date(2025, 11, 3)), "alice", w.resident, new)
    ref = sv.acknowledge(w.at(date(2025, 11, 5)), "alice", ref.id, ref.version, date(2025, 11, 5), DEFINITION)
    sv.add_action(w.at(date(2025, 11, 5)), "alice", ref.id, "Inspect the roof", "bob", date(2025, 11, 12))
    row = row_for(w.store, "alice", ref.id)
    # response due Wed 19 Nov (10 WD after Wed 5 Nov); the action (Wed 12 Nov) comes first
    assert (row.next_due, row.due_kind, row.status) == (date(2025, 11, 12), "action", "open")
    assert listed_status(row.status, row.due_kind) == "investigating"


def test_completing_the_last_action_takes_the_case_off_the_lists(w: World) -> None:
    case_id, action = answered_with_action(w)
    sv.update_action(w.store, "bob", action, "Mould treated on 13 Nov", resident_told=True, done=True)
    assert row_for(w.store, "alice", case_id) is None
    assert row_for(w.store, "bob", case_id) is None
    with Session(w.engine) as s:
        case = s.get(Case, case_id)
        assert (case.closed, case.next_due, case.next_due_kind) == (True, None, "")


def test_moving_an_actions_due_date_is_audited_with_the_resident_update(w: World) -> None:
    case_id, action = answered_with_action(w)
    sv.move_action_due(
        w.store,
        "bob",
        action,
        date(2025, 11, 21),
        "contractor off sick",
        "phoned Mrs Smith: new date Fri 21 Nov",
        how="phone",
    )
    row = row_for(w.store, "alice", case_id)
    assert (row.next_due, row.days_left, "overdue-actions" in row.flags) == (date(2025, 11, 21), 5, False)
    with Session(w.engine) as s:
        event = s.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        update = s.exec(select(ResidentUpdate)).one()
    assert (event.actor, event.action, event.case_id) == ("bob", "action due date moved", case_id)
    assert '"due": "2025-11-10"' in event.before and '"due": "2025-11-21"' in event.after
    assert (update.given_on, update.how, update.by) == (TODAY, "phone", "bob")
    assert "new date Fri 21 Nov" in update.summary


def test_moving_a_due_date_names_every_missing_field_and_stores_nothing(w: World) -> None:
    case_id, action = answered_with_action(w)
    with pytest.raises(sv.DomainError) as info:
        sv.move_action_due(w.store, "bob", action, date(2025, 11, 13), "", "")
    message = str(info.value)
    assert "in the past" in message and "say why" in message and "what the resident was told" in message
    assert info.value.refusal.field == "new_due"
    assert row_for(w.store, "alice", case_id).next_due == date(2025, 11, 10)


# -- documents (5.12) ----------------------------------------------------------------------


def test_a_document_is_stored_with_its_sum_and_withdrawn_not_deleted(w: World) -> None:
    import hashlib

    from caseworker.store.queries.documents import case_documents, document_content

    case_id, _ = answered_with_action(w)
    photo = bytes(range(256)) * 40
    doc = sv.attach_document(
        w.store, "alice", case_id, "C:\\Users\\alice\\mould photo.jpg", photo, description="photo of the bedroom wall"
    )
    listed = case_documents(w.store, case_id)
    assert [(d.name, d.media_type, d.size, d.sha256, d.added_by) for d in listed] == [
        ("mould photo.jpg", "image/jpeg", 10240, hashlib.sha256(photo).hexdigest(), "alice")
    ]
    assert document_content(w.store, doc) == photo

    sv.withdraw_document(w.store, "alice", doc, "attached to the wrong case")
    (after,) = case_documents(w.store, case_id)
    assert (after.withdrawn, after.withdrawn_reason, after.withdrawn_by) == (
        True,
        "attached to the wrong case",
        "alice",
    )
    assert document_content(w.store, doc) == photo  # still stored
    with pytest.raises(sv.DomainError, match="already withdrawn"):
        sv.withdraw_document(w.store, "alice", doc, "again")


def test_the_database_refuses_to_alter_or_delete_a_stored_document(w: World) -> None:
    case_id, _ = answered_with_action(w)
    sv.attach_document(w.store, "alice", case_id, "report.pdf", b"%PDF-1.4 report")
    for statement in ("UPDATE document SET content = :c", "DELETE FROM document"):
        with pytest.raises(sa.exc.DBAPIError, match="never altered"):
            with w.engine.begin() as connection:
                connection.execute(sa.text(statement), {"c": b"tampered"})


def test_a_file_above_the_configured_limit_is_refused_naming_the_limit(w: World, tmp_path: Path) -> None:
    case_id, _ = answered_with_action(w)
    small = Store(
        w.engine,
        Settings(database_url=w.settings.database_url, config_path=Path("unused.toml"), document_size_limit_mb=1),
        Clock.at(TODAY),
    )
    big = tmp_path / "survey.pdf"
    big.write_bytes(b"x" * (1024 * 1024 + 1))
    with pytest.raises(
        sv.DomainError, match=r"survey.pdf is 1.0 MB \(1,048,577 bytes\), above the limit of 1.0 MB \(1,048,576 bytes\)"
    ) as info:
        sv.attach_file(small, "alice", case_id, big)
    assert info.value.refusal.field == "file"
    with pytest.raises(sv.DomainError, match="there is no file"):
        sv.attach_file(small, "alice", case_id, tmp_path / "missing.pdf")


# -- the case file ---------------------------------------------------------------------------


def test_the_case_file_lists_every_event_in_date_order_and_its_manifest_matches(w: World, tmp_path: Path) -> None:
    import hashlib
    import io
    import zipfile

    from pypdf import PdfReader

    from caseworker.casefile import write_casefile

    case_id, _ = answered_with_action(w)
    ref = row_for(w.store, "alice", case_id).reference
    email = "From: Mrs Smith\nThe mould is back — ½ the wall is black.".encode()
    survey = b"%PDF-1.4 damp survey " * 100
    sv.attach_document(w.at(date(2025, 11, 12)), "alice", case_id, "complaint email.eml", email)
    sv.attach_document(w.store, "bob", case_id, "damp survey.pdf", survey, description="surveyor's report")
    sv.add_correspondence(w.store, "alice", case_id, "note", "Spoke to Mrs Smith [bold]about[/] the survey")

    result = write_casefile(w.store, ref, tmp_path / "out", "alice")

    text = "\n".join(page.extract_text() for page in PdfReader(str(result.pdf)).pages)
    assert "Contents" in text and "Chronology of every event" in text
    chronology = text[
        text.index("Every entry of the case history") : text.index("3. Letters as issued", text.index("Every entry"))
    ]
    order = [
        chronology.index(what)
        for what in (
            "· logged",
            "· acknowledged",
            "· action added",
            "· responded",
            "· document attached",
            "· note added",
        )
    ]
    assert order == sorted(order), order
    assert "Wed 01 Oct 2025" in text and "Alice Able (alice)" in text
    assert "Spoke to Mrs Smith [bold]about[/] the survey" in text  # stored text as written
    assert "damp survey.pdf" in text and hashlib.sha256(survey).hexdigest() in text

    with zipfile.ZipFile(result.zip) as zf:
        manifest = zf.read("MANIFEST-SHA256.txt").decode().splitlines()
        sums = dict(reversed(line.split("  ", 1)) for line in manifest)
        assert len(sums) == 2
        for name, digest in sums.items():
            assert hashlib.sha256(zf.read(name)).hexdigest() == digest
        originals = {zf.read(n) for n in sums}
    assert originals == {email, survey}
    assert io.BytesIO(result.pdf.read_bytes()).read(5) == b"%PDF-"


def test_the_case_file_command_names_an_unknown_case(w: World, tmp_path: Path, monkeypatch, capsys) -> None:
    from sqlalchemy.engine import make_url

    from caseworker.cli import main
    from caseworker.identity import os_account
    from caseworker.rules.facts import Role
    from caseworker.store import services as sv

    url = make_url(w.settings.database_url)  # the command line acts as the OS account, or the server's role
    me = os_account() if url.get_backend_name() == "sqlite" else url.username
    if me not in ("admin", "alice", "bob"):
        sv.add_officer(w.store, "admin", me, "Owen Operator", Role.OFFICER)
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", w.settings.database_url)
    assert main(["casefile", "CMP-999999", "--out", str(tmp_path)]) == 2
    assert "there is no case 'CMP-999999'" in capsys.readouterr().err


# -- service requests (1.4, 1.5) ----------------------------------------------------------------


def test_a_complaint_raised_from_a_service_request_leaves_it_open(w: World) -> None:
    from caseworker.store.queries.case import case_detail
    from caseworker.store.queries.service_requests import service_requests

    sr = sv.add_service_request(
        w.store, "alice", w.resident, date(2025, 11, 3), "Repairs", "Boiler not working", owner="bob"
    )
    new = NewCase(CaseType.COMPLAINT, TODAY, "phone", "Repairs", "Heating", "Boiler still broken after 3 visits")
    ref = sv.raise_complaint_from_request(w.store, "alice", sr, new)

    (row,) = service_requests(w.store)
    # Mon 3 Nov to Fri 14 Nov: 9 working days (4-7 Nov, 10-14 Nov)
    assert (row.reference, row.status, row.owner, row.age_days, row.complaints) == (
        "SR-000001",
        "open",
        "bob",
        9,
        (ref.reference,),
    )
    assert case_detail(w.store, ref.id).header.service_request == "SR-000001"

    sv.close_service_request(w.store, "bob", sr, "boiler replaced")
    assert service_requests(w.store) == []
    (closed,) = service_requests(w.store, include_closed=True)
    assert (closed.status, closed.closed_on, closed.outcome) == ("closed", TODAY, "boiler replaced")


def test_a_service_request_names_every_missing_field(w: World) -> None:
    with pytest.raises(sv.DomainError) as info:
        sv.add_service_request(w.store, "alice", None, date(2025, 11, 20), " ", "")
    message = str(info.value)
    for words in ("choose the resident", "is in the future", "service area", "what the resident asked for"):
        assert words in message


# -- updates to the resident (5.9) ---------------------------------------------------------------


def live_case(w: World) -> sv.CaseRef:
    """Received Mon 3 Nov 2025, acknowledged Wed 5 Nov: the response is due Wed 19 Nov (10 WD)."""
    new = NewCase(CaseType.COMPLAINT, date(2025, 11, 3), "phone", "Repairs", "Damp and mould", "Mould")
    ref = sv.log_case(w.at(date(2025, 11, 3)), "alice", w.resident, new)
    return sv.acknowledge(w.at(date(2025, 11, 5)), "alice", ref.id, ref.version, date(2025, 11, 5), DEFINITION)


def test_an_agreed_update_is_a_deadline_until_the_response_is_sent(w: World) -> None:
    ref = live_case(w)
    assert row_for(w.store, "alice", ref.id).next_due == date(2025, 11, 19)
    # every 2 working days from Thu 13 Nov: Fri 14 (1), Mon 17 (2)
    sv.agree_update_interval(w.store, "alice", ref.id, 2, date(2025, 11, 13), how="phone")
    row = row_for(w.store, "alice", ref.id)
    assert (row.next_due, row.due_kind, row.days_left) == (date(2025, 11, 17), "update", 1)
    # an update given today (Fri 14 Nov) moves it on: Mon 17 (1), Tue 18 (2)
    sv.record_resident_update(w.store, "alice", ref.id, TODAY, "survey booked for Tuesday", how="phone")
    assert (row_for(w.store, "alice", ref.id).next_due, row_for(w.store, "alice", ref.id).due_kind) == (
        date(2025, 11, 18),
        "update",
    )
    # a weekly interval agreed today falls after the response date: the response stands first
    sv.agree_update_interval(w.store, "alice", ref.id, 5, TODAY)
    assert (row_for(w.store, "alice", ref.id).next_due, row_for(w.store, "alice", ref.id).due_kind) == (
        date(2025, 11, 19),
        "respond",
    )
    sv.respond(
        w.store, "alice", ref.id, None, TODAY, Decision.NOT_UPHELD, "repaired on time", no_remedy=True, no_actions=True
    )
    assert row_for(w.store, "alice", ref.id) is None  # answered, nothing left: off the list


def test_an_update_interval_names_every_wrong_field(w: World) -> None:
    ref = live_case(w)
    with pytest.raises(sv.DomainError) as info:
        sv.agree_update_interval(w.store, "alice", ref.id, 0, date(2025, 11, 20))
    assert "1 to 20 working days" in str(info.value) and "in the future" in str(info.value)
    assert info.value.refusal.field == "every_days"
    with pytest.raises(sv.DomainError) as info:
        sv.record_resident_update(w.store, "alice", ref.id, None, " ")
    assert "the date the update was given" in str(info.value) and "what the resident was told" in str(info.value)
