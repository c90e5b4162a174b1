"""The rest of the records two officers can change carry the version check too (issue 17,
Deliver 4): service requests, extension requests past the cap, Ombudsman orders, service
improvements, and a document's withdrawal (made once: its document is unique).

Of two changes made at once exactly one is stored; the other is refused naming who changed
the record and when, in UK local time (Europe/London: BST in July) whatever zone the machine
is in (here Tokyo), and nothing of it is written. Races run on SQLite and, when
CASEWORKER_TEST_PG_URL is set, on PostgreSQL: two real processes, or threads with their own
connections.
"""

from __future__ import annotations

import multiprocessing
import re
import threading
from datetime import date, time

import pytest
import sqlalchemy as sa
from helpers import CHANGED, make_store, officer_names
from sqlmodel import Session, SQLModel, select

from caseworker.clock import Clock
from caseworker.rules.lifecycle import CaseType, Definition, Extension, NewCase, Role
from caseworker.store import services as sv
from caseworker.store.models import DocumentWithdrawal, ExtensionRequest, ServiceRequest
from caseworker.store.models_account import OmbudsmanOrder, ServiceImprovement

#: Mon 14 Jul 2025, every save at 23:30 UTC: 00:30 on Tue 15 Jul in the UK (BST, UTC+1);
#: 08:30 on 15 Jul in Tokyo, where the machine is: the message must say the UK time.
TODAY = date(2025, 7, 14)
AT = time(23, 30)
UK = "00:30 on 15 Jul 2025"
#: Every test here runs on a machine set to Tokyo (conftest ``tokyo``).
pytestmark = pytest.mark.usefixtures("tokyo")
DEFINITION = Definition("mould in the back bedroom", "mould treated", "repairs", "contents")


#: Every save at 23:30 UTC on TODAY.
CLOCK = Clock(fixed=TODAY, fixed_time=AT)


@pytest.fixture
def world(engine, db_url):
    """Officers alice and bob, supervisors sue and sam; alice's case at the extension cap with a
    request past it, a service request, a document, an Ombudsman order and an improvement."""
    store = make_store(db_url, CLOCK, engine)
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Able", Role.OFFICER)
    sv.add_officer(store, "admin", "bob", "Bob Baker", Role.OFFICER)
    sv.add_officer(store, "admin", "sue", "Sue Senior", Role.SUPERVISOR)
    sv.add_officer(store, "admin", "sam", "Sam Stone", Role.SUPERVISOR)
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith")
    new = NewCase(CaseType.COMPLAINT, date(2025, 7, 1), "phone", "Repairs", "Damp and mould", "Mould")
    ref = sv.log_case(store, "alice", resident, new, officer_login="alice")
    ref = sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 7, 2), DEFINITION)
    ref = sv.extend(store, "alice", ref.id, ref.version, Extension(10, "contractor delays", date(2025, 7, 14)))
    past_cap = Extension(5, "survey booked", date(2025, 7, 14), good_reason="a specialist survey cannot be sooner")
    ids = {
        "case": ref.id,
        "request": sv.request_extension(store, "alice", ref.id, ref.version, past_cap),
        "service": sv.add_service_request(store, "alice", resident, date(2025, 7, 10), "Repairs", "Fix the gutter"),
        "document": sv.attach_document(store, "alice", ref.id, "survey.pdf", b"%PDF-1.4 survey"),
        "improvement": sv.add_improvement(
            store, "alice", "Damp surveys within 5 days", "Repairs lead", "planned", TODAY
        ),
    }
    om = sv.record_ombudsman_case(store, "alice", ref.id, "202512345", date(2025, 7, 3))
    ids["order"] = sv.add_order(store, "alice", om, "order", "Pay £100 for the delay", date(2025, 8, 1))
    return store, ids


def dump(engine: sa.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as connection:
        return {
            t.name: [tuple(r) for r in connection.execute(select(t).order_by(*t.primary_key.columns))]
            for t in SQLModel.metadata.sorted_tables
        }


def row(engine: sa.Engine, model, row_id: int):
    with Session(engine) as session:
        return session.get(model, row_id)


# -- one after the other: both read version 1, one saves first -------------------------------


def test_a_second_change_from_the_same_version_is_refused_naming_who_and_when_in_uk_time(world, engine):
    store, ids = world
    sv.close_service_request(store, "alice", ids["service"], "gutter fixed", version=1)
    sv.decide_extension(store, "sue", ids["request"], True, "survey date confirmed", version=1)
    sv.complete_order(store, "alice", ids["order"], date(2025, 7, 14), "receipt sent", version=1)
    sv.update_improvement(store, "alice", ids["improvement"], "in-progress", TODAY, version=1)
    before = dump(engine)
    attempts = {
        "close_service_request": (
            lambda: sv.close_service_request(store, "bob", ids["service"], "done", version=1),
            "Service request SR-",
            "alice",
        ),
        "decide_extension": (
            lambda: sv.decide_extension(store, "sam", ids["request"], False, "no", version=1),
            "The extension request on CMP-",
            "sue",
        ),
        "complete_order": (
            lambda: sv.complete_order(store, "bob", ids["order"], date(2025, 7, 14), "paid", version=1),
            "The Ombudsman's order on CMP-",
            "alice",
        ),
        "update_improvement": (
            lambda: sv.update_improvement(store, "bob", ids["improvement"], "done", TODAY, version=1),
            "The service improvement \u201cDamp surveys within 5 days\u201d",
            "alice",
        ),
    }
    for name, (attempt, what, who) in attempts.items():
        with pytest.raises(sv.ConcurrentChange) as caught:
            attempt()
        message = caught.value.message
        assert message.startswith(what), (name, message)
        assert caught.value.refusal.code_ref == "5.12", name
        assert CHANGED.search(message).groups() == (officer_names(engine)[who], UK), (name, message)
        assert dump(engine) == before, f"{name} wrote something despite the stale version"
    assert row(engine, ServiceRequest, ids["service"]).version == 2
    assert row(engine, ExtensionRequest, ids["request"]).version == 2
    assert row(engine, OmbudsmanOrder, ids["order"]).version == 2
    assert row(engine, ServiceImprovement, ids["improvement"]).version == 2


def test_a_request_already_closed_or_decided_says_by_whom_and_when(world):
    """Read after the change (the version read now): refused by state, naming who and when."""
    store, ids = world
    sv.close_service_request(store, "alice", ids["service"], "gutter fixed")
    with pytest.raises(
        sv.DomainError, match=rf"was already closed on Mon 14 Jul 2025 by Alice Able \(recorded at {UK}\)"
    ):
        sv.close_service_request(store, "bob", ids["service"], "done")
    sv.decide_extension(store, "sue", ids["request"], False, "the survey can be sooner")
    with pytest.raises(sv.DomainError, match=rf"already declined by Sue Senior at {UK}"):
        sv.decide_extension(store, "sam", ids["request"], True, "fine")
    sv.withdraw_document(store, "alice", ids["document"], "wrong case")
    with pytest.raises(sv.DomainError, match=rf"survey.pdf was already withdrawn by Alice Able at {UK}"):
        sv.withdraw_document(store, "bob", ids["document"], "duplicate")


def test_the_versions_are_shown_with_the_records(world):
    """The screens pass these versions back when they save."""
    from caseworker.store.queries.account import improvements, ombudsman_cases_of
    from caseworker.store.queries.approvals import extension_requests
    from caseworker.store.queries.service_requests import service_requests

    store, ids = world
    sv.close_service_request(store, "alice", ids["service"], "gutter fixed")
    sv.update_improvement(store, "alice", ids["improvement"], "done", TODAY)
    assert [r.version for r in service_requests(store, include_closed=True)] == [2]
    assert [r.version for r in extension_requests(store, pending_only=True)] == [1]
    assert [i.version for i in improvements(store)] == [2]
    assert [o.version for om in ombudsman_cases_of(store, ids["case"]) for o in om.orders] == [1]


# -- at the same moment -------------------------------------------------------------------------


def race(*saves) -> list[object]:
    """Run the saves at the same moment, each on its own thread (and so its own connection)."""
    barrier = threading.Barrier(len(saves))
    outcome: list[object] = [None] * len(saves)

    def run(i, save) -> None:
        barrier.wait()
        try:
            outcome[i] = save()
        except Exception as exc:  # noqa: BLE001 - the test inspects whatever was raised
            outcome[i] = exc

    threads = [threading.Thread(target=run, args=(i, s)) for i, s in enumerate(saves)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a save hung"
    return outcome


def test_a_document_withdrawn_by_two_officers_at_once_is_withdrawn_once(world, engine):
    store, ids = world
    outcome = race(
        lambda: sv.withdraw_document(store, "alice", ids["document"], "wrong case"),
        lambda: sv.withdraw_document(store, "bob", ids["document"], "duplicate"),
    )
    assert sorted(type(o).__name__ for o in outcome) in (["ConcurrentChange", "NoneType"], ["DomainError", "NoneType"])
    winner = "alice" if outcome[0] is None else "bob"
    loser = next(o for o in outcome if o is not None)
    name = {"alice": "Alice Able", "bob": "Bob Baker"}[winner]
    assert re.search(rf"survey.pdf was (already )?withdrawn by {name} at {UK}", loser.message), loser.message
    with Session(engine) as session:
        assert [w.by for w in session.exec(select(DocumentWithdrawal)).all()] == [winner]


def _in_process(url: str, what: str, login: str, row_id: int, barrier, results) -> None:
    """In a child process: open the store, wait for the other process, then save from version 1."""
    from caseworker.store.db import make_engine

    engine = make_engine(url)
    store = make_store(url, CLOCK, engine)
    try:
        barrier.wait(timeout=60)
        if what == "close":
            sv.close_service_request(store, login, row_id, f"closed by {login}", version=1)
        else:
            sv.decide_extension(store, login, row_id, login == "sue", f"decided by {login}", version=1)
        results.put((login, "ok", ""))
    except sv.ConcurrentChange as exc:
        results.put((login, "conflict", exc.message))
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put((login, "error", f"{type(exc).__name__}: {exc}"))
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("what", "logins", "model", "key"),
    [
        ("close", ("alice", "bob"), ServiceRequest, "service"),
        ("decide", ("sue", "sam"), ExtensionRequest, "request"),
    ],
)
def test_two_processes_change_one_record_at_once_exactly_one_succeeds(world, engine, db_url, what, logins, model, key):
    """Two officers (two processes) close one service request, or two supervisors approve and
    decline one extension request, at the same moment."""
    _, ids = world
    ctx = multiprocessing.get_context("spawn")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [
        ctx.Process(target=_in_process, args=(db_url, what, login, ids[key], barrier, results)) for login in logins
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
    stored = row(engine, model, ids[key])
    assert (stored.version, stored.updated_by) == (2, winner)
    if what == "close":
        assert (stored.status, stored.closed_by, stored.outcome) == ("closed", winner, f"closed by {winner}")
    else:
        assert (stored.state, stored.decided_by) == ("approved" if winner == "sue" else "declined", winner)
