"""Approval by someone else (Code 6.4): an officer asks for an extension past the cap,
the clock keeps running, a supervisor who does not hold the case approves or declines it.

Today is Fri 14 Nov 2025 (no bank holidays in November 2025). Alice's case was received Mon 3
Nov and acknowledged Wed 5 Nov: Stage 1 response due 10 WD later, Wed 19 Nov. 10 WD of
extension (the cap) gives Wed 3 Dec; 5 more past the cap give Wed 10 Dec.

Runs on SQLite and, with CASEWORKER_TEST_PG_URL, on PostgreSQL.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import refused

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.lifecycle import CaseType, Definition, Extension, NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.queries.approvals import case_extension_requests, extension_requests
from caseworker.store.queries.case import case_detail

TODAY = date(2025, 11, 14)
DEFINITION = Definition("mould in the back bedroom", "mould treated", "repairs", "contents")
PAST_CAP = Extension(
    5,
    "the damp survey is booked for 8 December",
    date(2025, 11, 14),
    good_reason="a specialist survey cannot be done sooner",
)


@pytest.fixture
def store(engine, db_url) -> Store:
    s = Store(engine, Settings(database_url=db_url, config_path=Path("unused.toml")), Clock.at(TODAY))
    sv.current_officer(s, "admin", "Ada Admin")
    sv.add_officer(s, "admin", "alice", "Alice Able", "officer")
    sv.add_officer(s, "admin", "sue", "Sue Senior", "supervisor")
    sv.add_officer(s, "admin", "sam", "Sam Stone", "supervisor")
    return s


def extended_to_the_cap(store: Store, holder: str = "alice") -> sv.CaseRef:
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith")
    new = NewCase(CaseType.COMPLAINT, date(2025, 11, 3), "phone", "Repairs", "Damp and mould", "Mould")
    ref = sv.log_case(store, "alice", resident, new, officer_login=holder)
    ref = sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 11, 5), DEFINITION)
    ref = sv.extend(store, "alice", ref.id, ref.version, Extension(10, "contractor delays", date(2025, 11, 13)))
    assert case_detail(store, ref.id).header.next_due == date(2025, 12, 3)
    return ref


def test_an_officer_asks_and_a_supervisor_who_does_not_hold_the_case_approves(store: Store) -> None:
    ref = extended_to_the_cap(store)
    refused(lambda: sv.extend(store, "alice", ref.id, ref.version, PAST_CAP), "approved_by", "ask for approval")

    request_id = sv.request_extension(store, "alice", ref.id, ref.version, PAST_CAP)

    detail = case_detail(store, ref.id)
    assert detail.header.next_due == date(2025, 12, 3)  # the clock keeps running
    (waiting,) = extension_requests(store, pending_only=True)
    assert (
        waiting.request_id,
        waiting.reference,
        waiting.requested_by_name,
        waiting.working_days,
        waiting.state,
        waiting.holder_name,
        waiting.good_reason,
    ) == (request_id, detail.header.reference, "Alice Able", 5, "pending", "Alice Able", PAST_CAP.good_reason)
    assert [r.request_id for r in case_extension_requests(store, ref.id)] == [request_id]
    refused(lambda: sv.request_extension(store, "alice", ref.id, None, PAST_CAP), "working_days", "already waiting")

    refused(lambda: sv.decide_extension(store, "alice", request_id, True, "fine"), "approved_by", "only a supervisor")
    refused(lambda: sv.decide_extension(store, "sue", request_id, True, " "), "why", "reason you approve")

    sv.decide_extension(store, "sue", request_id, True, "survey date confirmed with the contractor")

    assert case_detail(store, ref.id).header.next_due == date(2025, 12, 10)
    (done,) = case_extension_requests(store, ref.id)
    assert (done.state, done.decided_by_name, done.decision_reason) == (
        "approved",
        "Sue Senior",
        "survey date confirmed with the contractor",
    )
    assert done.decided_at is not None
    assert extension_requests(store, pending_only=True) == []
    stage = case_detail(store, ref.id).stages[0]
    assert [(e.working_days, e.approved_by) for e in stage.extensions] == [(10, ""), (5, "sue")]
    refused(lambda: sv.decide_extension(store, "sam", request_id, False, "no"), "state", "already approved")


def test_a_declined_request_leaves_the_due_date_as_it_was(store: Store) -> None:
    ref = extended_to_the_cap(store)
    request_id = sv.request_extension(store, "alice", ref.id, ref.version, PAST_CAP)

    sv.decide_extension(store, "sam", request_id, False, "the survey can be done within the time left")

    assert case_detail(store, ref.id).header.next_due == date(2025, 12, 3)
    (done,) = case_extension_requests(store, ref.id)
    assert (done.state, done.decided_by_name) == ("declined", "Sam Stone")
    assert len(case_detail(store, ref.id).stages[0].extensions) == 1
    timeline = [(e.what, e.detail) for e in case_detail(store, ref.id).timeline if e.source == "audit"]
    assert (
        "extension declined",
        "Stage 1: 5 working days past the cap asked for by Alice Able declined: the survey "
        "can be done within the time left",
    ) in timeline


def test_nobody_approves_on_a_case_they_hold_administrators_included(store: Store) -> None:
    ref = extended_to_the_cap(store, holder="admin")
    refused(lambda: sv.extend(store, "admin", ref.id, ref.version, PAST_CAP), "approved_by", "case they hold")
    request_id = sv.request_extension(store, "admin", ref.id, ref.version, PAST_CAP)
    refused(lambda: sv.decide_extension(store, "admin", request_id, True, "I am sure"), "approved_by", "case they hold")

    sv.assign(store, "admin", ref.id, None, "sue", reason="Sue takes over the patch")
    refused(lambda: sv.decide_extension(store, "sue", request_id, True, "ok"), "approved_by", "case they hold")
    sv.decide_extension(store, "sam", request_id, True, "agreed at the team meeting")
    assert case_detail(store, ref.id).header.next_due == date(2025, 12, 10)


def test_a_supervisor_who_asked_cannot_approve_their_own_request(store: Store) -> None:
    ref = extended_to_the_cap(store, holder="sue")
    request_id = sv.request_extension(store, "sue", ref.id, ref.version, PAST_CAP)
    sv.assign(store, "admin", ref.id, None, "alice", reason="back from leave")
    refused(lambda: sv.decide_extension(store, "sue", request_id, True, "ok"), "approved_by", "you asked")


def test_within_the_cap_there_is_nothing_to_ask(store: Store) -> None:
    resident = sv.add_resident(store, "alice", "Mr Tom Jones")
    new = NewCase(CaseType.COMPLAINT, date(2025, 11, 3), "phone", "Repairs", "Damp and mould", "Mould")
    ref = sv.log_case(store, "alice", resident, new)
    ref = sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 11, 5), DEFINITION)
    refused(
        lambda: sv.request_extension(
            store, "alice", ref.id, ref.version, Extension(3, "survey", date(2025, 11, 14), good_reason="x")
        ),
        "working_days",
        "within the cap",
    )


def test_an_approval_after_the_due_date_has_passed_is_refused(store: Store, engine, db_url) -> None:
    ref = extended_to_the_cap(store)
    request_id = sv.request_extension(store, "alice", ref.id, ref.version, PAST_CAP)
    later = Store(engine, store.settings, Clock.at(date(2025, 12, 4)))  # the day after Wed 3 Dec
    refused(lambda: sv.decide_extension(later, "sue", request_id, True, "ok"), "working_days", "has passed")
    sv.decide_extension(later, "sue", request_id, False, "asked too late to act on before the due date")
