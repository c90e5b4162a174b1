"""Code 6.13 over everyone who considered Stage 1: whoever held the case at Stage 1,
acknowledged or defined it, or recorded or issued the Stage 1 response can never be the
Stage 2 officer, on every path: escalation, assignment, reassignment, bulk reassignment and the
allocation list. Each refusal names the person (full name) and the paragraph.

Runs on SQLite and, with CASEWORKER_TEST_PG_URL, on PostgreSQL. Today is Fri 14 Nov 2025.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.lifecycle import CaseType, Decision, Definition, NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.queries.allocation import eligibility
from caseworker.store.queries.case import case_detail

TODAY = date(2025, 11, 14)
DEFINITION = Definition("mould in the back bedroom", "mould treated", "repairs", "contents")


@pytest.fixture
def store(engine, db_url) -> Store:
    s = Store(engine, Settings(database_url=db_url, config_path=Path("unused.toml")), Clock.at(TODAY))
    sv.current_officer(s, "admin", "Ada Admin")
    for login, name, role in (
        ("alice", "Alice Able", "officer"),
        ("bob", "Bob Baker", "officer"),
        ("carol", "Carol Clerk", "officer"),
        ("dan", "Dan Dunn", "officer"),
        ("sue", "Sue Senior", "supervisor"),
    ):
        sv.add_officer(s, "admin", login, name, role)
    return s


def the_issue_story(store: Store) -> sv.CaseRef:
    """Alice logs, acknowledges and defines a complaint, reassigns Stage 1 to Bob, records the
    Stage 1 decision herself; Carol issues the response letter; the resident escalates."""
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith")
    new = NewCase(CaseType.COMPLAINT, date(2025, 10, 1), "phone", "Repairs", "Damp and mould", "Mould")
    ref = sv.log_case(store, "alice", resident, new)
    ref = sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 10, 2), DEFINITION)
    ref = sv.assign(store, "alice", ref.id, ref.version, "bob", reason="Bob covers the north patch")
    ref = sv.respond(
        store,
        "alice",
        ref.id,
        ref.version,
        date(2025, 10, 10),
        Decision.NOT_UPHELD,
        "on time",
        no_remedy=True,
        no_actions=True,
    )
    sv.issue_letter(store, "carol", ref.id, "response", "Your complaint: our Stage 1 response", "Dear Mrs Smith")
    return sv.request_stage2(store, "sue", ref.id, sv.current_version(store, ref.id), date(2025, 11, 3))


def refusal(call) -> sv.DomainError:
    with pytest.raises(sv.DomainError) as caught:
        call()
    return caught.value


def test_nobody_who_considered_stage_1_can_be_given_stage_2_on_any_path(store: Store) -> None:
    ref = the_issue_story(store)

    expected = {
        "alice": "Alice Able considered this complaint at Stage 1 (held it, acknowledged and defined it and "
        "recorded the Stage 1 response)",
        "bob": "Bob Baker considered this complaint at Stage 1 (held it)",
        "carol": "Carol Clerk considered this complaint at Stage 1 (issued the Stage 1 response)",
    }
    for login, says in expected.items():
        err = refusal(lambda login=login: sv.assign(store, "sue", ref.id, ref.version, login))
        assert (err.code_ref, err.refusal.field) == ("6.13", "officer")
        assert err.message.startswith(says), err.message
        bulk = refusal(lambda login=login: sv.bulk_assign(store, "sue", [(ref.id, ref.version)], login))
        assert says in bulk.message and bulk.code_ref == "6.13"

    greyed = {e.login: e.reason for e in eligibility(store, ref.id) if not e.eligible}
    assert set(greyed) == {"alice", "bob", "carol"}
    assert all("(Code 6.13)" in reason for reason in greyed.values())

    ref = sv.assign(store, "sue", ref.id, ref.version, "dan")
    for login in expected:  # reassignment away from Dan: the same people stay ineligible
        err = refusal(lambda login=login: sv.assign(store, "sue", ref.id, ref.version, login, reason="Dan is off"))
        assert err.message.startswith(expected[login])
    ref = sv.assign(store, "sue", ref.id, ref.version, "sue", reason="Dan is off sick")
    assert case_detail(store, ref.id).header.officer_login == "sue"


def test_escalation_naming_someone_who_acknowledged_stage_1_is_refused(store: Store) -> None:
    resident = sv.add_resident(store, "alice", "Mr Tom Jones")
    new = NewCase(CaseType.COMPLAINT, date(2025, 10, 1), "phone", "Repairs", "Damp and mould", "Mould")
    ref = sv.log_case(store, "alice", resident, new, officer_login="bob")
    ref = sv.acknowledge(
        store, "dan", ref.id, ref.version, date(2025, 10, 2), DEFINITION
    )  # Dan covered the acknowledgement
    ref = sv.respond(
        store,
        "bob",
        ref.id,
        ref.version,
        date(2025, 10, 10),
        Decision.UPHELD,
        "late repair",
        no_remedy=True,
        no_actions=True,
    )

    err = refusal(lambda: sv.request_stage2(store, "sue", ref.id, ref.version, date(2025, 11, 3), officer_login="dan"))
    assert (err.code_ref, err.message) == (
        "6.13",
        "Dan Dunn considered this complaint at Stage 1 (acknowledged and defined it); the Stage 2 officer "
        "must be someone who did not",
    )
    assert case_detail(store, ref.id).header.stage == 1  # nothing stored
    escalated = sv.request_stage2(store, "sue", ref.id, ref.version, date(2025, 11, 3), officer_login="alice")
    assert case_detail(store, escalated.id).header.officer_login == "alice"  # logging alone is not considering
