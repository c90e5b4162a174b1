"""The service layer (SPEC section 4): every rule refused through the services with its Code
reference, nothing written when refused, an audit event for every change, and the stored
due dates following the lifecycle.

Runs on SQLite and, when CASEWORKER_TEST_PG_URL is set, on PostgreSQL (see conftest.py).
Today is Fri 14 Nov 2025. No bank holiday falls between October and 24 Dec 2025 in England
and Wales; Thu 25 Dec, Fri 26 Dec 2025 and Thu 1 Jan 2026 are bank holidays. Every due date
below is counted by hand in working days (the start day never counts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from helpers import make_store
from sqlmodel import Session, SQLModel, select

from caseworker.rules.lifecycle import (
    CaseType,
    Decision,
    Definition,
    Extension,
    Ground,
    NewCase,
    Role,
)
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.models import (
    Action,
    Adjustment,
    AuditEvent,
    Case,
    Correspondence,
    Exclusion,
    Remedy,
    Representative,
    Restriction,
    Stage,
)
from caseworker.store.models import Extension as ExtensionRow

TODAY = date(2025, 11, 14)  # Friday
MON_3_NOV = date(2025, 11, 3)
WED_5_NOV = date(2025, 11, 5)
DEFINITION = Definition(
    "mould in the back bedroom", "mould treated and a survey", "repairs to the property", "tenant's contents"
)
APPEND_ONLY = "append-only"


# -- the world ---------------------------------------------------------------------------


@dataclass
class World:
    """A store on a migrated database, with officers admin, alice, bob and sue and one resident."""

    store: Store
    engine: sa.Engine
    officers: dict[str, int]
    resident: int


@pytest.fixture
def w(engine, db_url) -> World:
    store = make_store(db_url, TODAY, engine)
    admin = sv.current_officer(store, "admin")
    assert admin.role == Role.ADMINISTRATOR
    officers = {"admin": admin.id}
    officers["alice"] = sv.add_officer(store, "admin", "alice", "Alice Able", Role.OFFICER)
    officers["bob"] = sv.add_officer(store, "admin", "bob", "Bob Baker", Role.OFFICER)
    officers["sue"] = sv.add_officer(store, "admin", "sue", "Sue Senior", Role.SUPERVISOR)
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="1 Station Road")
    return World(store, engine, officers, resident)


# -- helpers -----------------------------------------------------------------------------


def dump(engine: sa.Engine) -> dict[str, list[tuple]]:
    """Every row of every table, in primary-key order: what "nothing was written" compares."""
    out = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            out[table.name] = [tuple(r) for r in connection.execute(select(table).order_by(*table.primary_key.columns))]
    return out


def audit_count(w: World) -> int:
    with Session(w.engine) as session:
        return len(session.exec(select(AuditEvent)).all())


def events(w: World, case_id: int | None = None) -> list[tuple[str, str]]:
    """(actor, action) of the audit, oldest first; of one case when ``case_id`` is given."""
    with Session(w.engine) as session:
        stmt = select(AuditEvent).order_by(AuditEvent.id)
        if case_id is not None:
            stmt = stmt.where(AuditEvent.case_id == case_id)
        return [(e.actor, e.action) for e in session.exec(stmt).all()]


def last_event(w: World) -> AuditEvent:
    with Session(w.engine) as session:
        return session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def case_row(w: World, case_id: int) -> Case:
    with Session(w.engine) as session:
        return session.get(Case, case_id)


def stage_row(w: World, case_id: int, number: int) -> Stage:
    with Session(w.engine) as session:
        return session.exec(select(Stage).where(Stage.case_id == case_id, Stage.number == number)).one()


def rows(w: World, model, **where) -> list:
    with Session(w.engine) as session:
        stmt = select(model).order_by(model.id)
        for name, value in where.items():
            stmt = stmt.where(getattr(model, name) == value)
        return session.exec(stmt).all()


def refused(
    w: World, code_ref: str, action: Callable[[], Any], *, field: str | None = None, says: str = ""
) -> sv.DomainError:
    """``action`` raises a DomainError (not a version conflict) with ``code_ref`` and writes nothing at all."""
    before, audits = dump(w.engine), audit_count(w)
    versions = {c.id: c.version for c in rows(w, Case)}
    with pytest.raises(sv.DomainError) as exc:
        action()
    assert not isinstance(exc.value, sv.ConcurrentChange), exc.value
    assert exc.value.code_ref == code_ref, exc.value
    if field is not None:
        assert exc.value.refusal.field == field, exc.value
    assert says.lower() in exc.value.message.lower(), exc.value
    assert audit_count(w) == audits, "a refused action wrote to the audit"
    assert {c.id: c.version for c in rows(w, Case)} == versions, "a refused action changed a case version"
    assert dump(w.engine) == before, "a refused action wrote to the database"
    return exc.value


def changed(w: World, actor: str, *actions: str, action: Callable[[], Any]) -> Any:
    """Run ``action``; it must append exactly these audit events, each naming the actor."""
    count = audit_count(w)
    result = action()
    new = events(w)[count:]
    assert new == [(actor, a) for a in actions], new
    return result


def new_case(received: date = MON_3_NOV, **kw) -> NewCase:
    return NewCase(
        CaseType.COMPLAINT,
        received,
        kw.pop("channel", "phone"),
        kw.pop("service_area", "Repairs"),
        kw.pop("category", "Damp and mould"),
        kw.pop("summary", "Mould in the back bedroom"),
        **kw,
    )


def log(w: World, received: date = MON_3_NOV, login: str = "alice", **kw) -> sv.CaseRef:
    return changed(w, login, "logged", action=lambda: sv.log_case(w.store, login, w.resident, new_case(received), **kw))


def opened(w: World, received: date = MON_3_NOV, acknowledged: date = WED_5_NOV, **kw) -> sv.CaseRef:
    """A Stage 1 case acknowledged and defined by alice (response due 10 WD after ``acknowledged``)."""
    ref = log(w, received, **kw)
    return changed(
        w,
        "alice",
        "acknowledged",
        action=lambda: sv.acknowledge(w.store, "alice", ref.id, ref.version, acknowledged, DEFINITION),
    )


def responded(w: World, login: str = "alice", **kw) -> sv.CaseRef:
    """A Stage 1 case received Wed 1 Oct, acknowledged Thu 2 Oct, responded Fri 10 Oct."""
    ref = opened(w, date(2025, 10, 1), date(2025, 10, 2), **kw)
    return changed(
        w,
        login,
        "responded",
        action=lambda: sv.respond(
            w.store,
            login,
            ref.id,
            ref.version,
            date(2025, 10, 10),
            Decision.NOT_UPHELD,
            "the repair was on time",
            no_remedy=True,
            no_actions=True,
        ),
    )


def escalated(w: World, officer: str | None = None, stage1_officer: str | None = None) -> sv.CaseRef:
    """A responded case escalated on Mon 3 Nov (by sue, naming ``officer`` for Stage 2 if given)."""
    ref = responded(w, officer_login=stage1_officer) if stage1_officer else responded(w)
    return changed(
        w,
        "sue",
        "escalated",
        action=lambda: sv.request_stage2(w.store, "sue", ref.id, ref.version, MON_3_NOV, officer_login=officer),
    )


def stage2_open(w: World) -> sv.CaseRef:
    """At Stage 2 with bob, acknowledged Wed 5 Nov: response due 20 WD later, Wed 3 Dec."""
    ref = escalated(w, officer="bob")
    return changed(
        w,
        "bob",
        "acknowledged",
        action=lambda: sv.acknowledge(w.store, "bob", ref.id, ref.version, WED_5_NOV, DEFINITION),
    )


# -- officers and logins -----------------------------------------------------------------


def test_first_login_on_an_empty_database_becomes_administrator_and_a_second_unknown_login_is_refused(engine, db_url):
    store = make_store(db_url, TODAY, engine)
    world = World(store, engine, {}, 0)
    first = sv.current_officer(store, "first")
    assert (first.login, first.role, first.supervises) == ("first", Role.ADMINISTRATOR, True)
    assert events(world) == [("first", "officer added")]

    error = refused(world, "", lambda: sv.current_officer(store, "second"), field="officer", says="'second'")
    assert "administrator" in error.message
    again = sv.current_officer(store, "first")
    assert again == first
    assert events(world) == [("first", "officer added")], "finding an existing officer writes nothing"


def test_unknown_or_inactive_officer_is_refused_naming_the_login(w):
    refused(w, "", lambda: sv.log_case(w.store, "mallory", w.resident, new_case()), field="officer", says="'mallory'")
    refused(w, "", lambda: sv.add_resident(w.store, "mallory", "Mr X"), says="mallory")
    ref = log(w)
    refused(
        w, "", lambda: sv.acknowledge(w.store, "mallory", ref.id, ref.version, WED_5_NOV, DEFINITION), says="mallory"
    )
    refused(
        w,
        "",
        lambda: sv.log_case(w.store, "alice", w.resident, new_case(), officer_login="zed"),
        field="officer",
        says="'zed'",
    )
    refused(w, "", lambda: sv.add_officer(w.store, "alice", "carol", "Carol"), field="role", says="administrator")
    refused(w, "", lambda: sv.add_officer(w.store, "admin", "bob", "Bob again"), field="login", says="bob")

    changed(w, "admin", "officer deactivated", action=lambda: sv.set_officer(w.store, "admin", "bob", active=False))
    refused(w, "", lambda: sv.add_resident(w.store, "bob", "Mr Y"), says="no longer an active officer")
    refused(w, "4.1", lambda: sv.assign(w.store, "alice", ref.id, ref.version, "bob"), field="officer", says="bob")


# -- logging and exclusions (rule 3) -----------------------------------------------------


def test_twelve_month_rule_at_logging_and_acceptance_with_discretion_in_the_audit(w):
    # Received Mon 3 Nov 2025: 12 months before is Sun 3 Nov 2024.
    out_of_time = NewCase(
        CaseType.COMPLAINT, MON_3_NOV, "email", "Repairs", "Damp", "Leak since last year", issue_date=date(2024, 11, 2)
    )
    refused(
        w,
        "2.3",
        lambda: sv.log_case(w.store, "alice", w.resident, out_of_time),
        field="discretion_reason",
        says="12 months",
    )
    blank = NewCase(**{**out_of_time.__dict__, "discretion_reason": "   "})
    refused(w, "2.3", lambda: sv.log_case(w.store, "alice", w.resident, blank), field="discretion_reason")
    assert rows(w, Case) == []

    on_the_day = NewCase(**{**out_of_time.__dict__, "issue_date": date(2024, 11, 3)})
    changed(w, "alice", "logged", action=lambda: sv.log_case(w.store, "alice", w.resident, on_the_day))

    reason = "the resident was in hospital for most of the year"
    accepted = NewCase(**{**out_of_time.__dict__, "discretion_reason": reason})
    ref = changed(
        w, "alice", "logged", "accepted out of time", action=lambda: sv.log_case(w.store, "alice", w.resident, accepted)
    )
    assert last_event(w).detail == reason and last_event(w).case_id == ref.id
    stored = case_row(w, ref.id)
    assert (stored.discretion_reason, stored.issue_date, stored.status) == (
        reason,
        date(2024, 11, 2),
        "awaiting-acknowledgement",
    )


def test_logging_refuses_missing_facts_and_future_dates(w):
    refused(w, "5.12", lambda: sv.log_case(w.store, "alice", w.resident, new_case(channel=" ")), field="channel")
    refused(w, "5.12", lambda: sv.log_case(w.store, "alice", w.resident, new_case(summary="")), field="summary")
    refused(
        w,
        "5.12",
        lambda: sv.log_case(w.store, "alice", w.resident, new_case(date(2025, 11, 17))),
        field="received",
        says="future",
    )
    refused(w, "", lambda: sv.log_case(w.store, "alice", 999, new_case()), field="resident", says="999")


def test_not_accepting_needs_a_ground_and_reasons_and_records_an_exclusion(w):
    ref = log(w)

    def do(ground, reasons):
        return lambda: sv.not_accept(w.store, "alice", ref.id, ref.version, ground, reasons)

    refused(w, "2.2", do(None, "court claim filed in October"), field="ground")
    refused(w, "2.1", do(Ground.LEGAL_PROCEEDINGS, "  "), field="reasons")
    refused(w, "2.3", do(Ground.OVER_TWELVE_MONTHS, "too old"), field="ground", says="12 months")
    assert rows(w, Exclusion) == []

    done = changed(
        w, "alice", "not-accepted", action=do(Ground.LEGAL_PROCEEDINGS, "a claim was filed at court on 1 Oct")
    )
    assert done.version == ref.version + 1
    [exclusion] = rows(w, Exclusion)
    assert (
        exclusion.case_id,
        exclusion.kind,
        exclusion.ground,
        exclusion.reasons,
        exclusion.decided_by,
        exclusion.decided_on,
    ) == (ref.id, "not-accepted", "legal-proceedings", "a claim was filed at court on 1 Oct", "alice", TODAY)
    stored = case_row(w, ref.id)
    assert (stored.status, stored.closed, stored.next_due, stored.next_due_kind) == ("not-accepted", True, None, "")
    refused(w, "2.1", lambda: sv.not_accept(w.store, "alice", ref.id, done.version, Ground.LEGAL_PROCEEDINGS, "again"))


def test_representative_needs_consent_recorded(w):
    refused(
        w,
        "3.6",
        lambda: sv.add_representative(w.store, "alice", w.resident, "Mr Son"),
        field="consent_recorded",
        says="consent",
    )
    refused(
        w,
        "3.6",
        lambda: sv.add_representative(w.store, "alice", w.resident, "Mr Son", consent_recorded=True),
        field="consent_recorded",
    )
    refused(
        w,
        "3.6",
        lambda: sv.add_representative(w.store, "alice", w.resident, " ", consent_recorded=True, consent_date=TODAY),
        field="name",
    )
    refused(
        w,
        "3.6",
        lambda: sv.log_case(w.store, "alice", w.resident, new_case(representative="Cllr Jones")),
        field="consent_recorded",
    )

    rep = changed(
        w,
        "alice",
        "representative added",
        action=lambda: sv.add_representative(
            w.store, "alice", w.resident, "Mr Son", relationship="son", consent_recorded=True, consent_date=MON_3_NOV
        ),
    )
    ref = log(w, representative_id=rep)
    assert case_row(w, ref.id).representative_id == rep
    other = sv.add_resident(w.store, "alice", "Mr Other")
    refused(
        w,
        "3.6",
        lambda: sv.log_case(w.store, "alice", other, new_case(), representative_id=rep),
        field="representative",
    )
    assert len(rows(w, Representative)) == 1


# -- the stored lifecycle ----------------------------------------------------------------


def test_stored_due_dates_status_and_officer_follow_the_lifecycle(w):
    alice, bob = w.officers["alice"], w.officers["bob"]

    def stored(case_id):
        c = case_row(w, case_id)
        return c.status, c.stage, c.next_due, c.next_due_kind, c.closed, c.officer_id

    ref = log(w)  # received Mon 3 Nov: acknowledge within 5 WD, by Mon 10 Nov
    assert stored(ref.id) == ("awaiting-acknowledgement", 1, date(2025, 11, 10), "acknowledge", False, alice)
    # Not yet acknowledged: the response is due 10 WD after the acknowledgement due date, Mon 24 Nov.
    assert (stage_row(w, ref.id, 1).ack_due, stage_row(w, ref.id, 1).response_due) == (
        date(2025, 11, 10),
        date(2025, 11, 24),
    )
    assert ref.reference == f"CMP-{ref.id:06d}" and ref.version == 1

    ref = changed(
        w,
        "alice",
        "acknowledged",
        action=lambda: sv.acknowledge(w.store, "alice", ref.id, ref.version, WED_5_NOV, DEFINITION),
    )
    # acknowledged Wed 5 Nov: respond within 10 WD, by Wed 19 Nov
    assert stored(ref.id) == ("open", 1, date(2025, 11, 19), "respond", False, alice)
    row = stage_row(w, ref.id, 1)
    assert (row.acknowledged, row.response_due, row.issues, row.not_responsible) == (
        WED_5_NOV,
        date(2025, 11, 19),
        DEFINITION.issues,
        DEFINITION.not_responsible,
    )

    ref = changed(
        w,
        "alice",
        "responded",
        action=lambda: sv.respond(
            w.store,
            "alice",
            ref.id,
            ref.version,
            TODAY,
            Decision.PARTLY_UPHELD,
            "the first visit was late",
            no_remedy=True,
            no_actions=True,
        ),
    )
    assert stored(ref.id) == ("responded", 1, None, "", True, alice)
    assert (stage_row(w, ref.id, 1).decision, stage_row(w, ref.id, 1).reasons) == (
        "partly-upheld",
        "the first visit was late",
    )

    # Stage 2 asked for today without a reason (6.12): acknowledge by Fri 21 Nov, no officer yet.
    ref = changed(
        w, "alice", "escalated", action=lambda: sv.request_stage2(w.store, "alice", ref.id, ref.version, TODAY)
    )
    assert stored(ref.id) == ("awaiting-acknowledgement", 2, date(2025, 11, 21), "acknowledge", False, None)
    assert stage_row(w, ref.id, 2).request_reason == ""
    assert stage_row(w, ref.id, 1).officer_id == alice, "the Stage 1 officer stays on Stage 1"

    ref = changed(w, "sue", "assigned", action=lambda: sv.assign(w.store, "sue", ref.id, ref.version, "bob"))
    assert stored(ref.id)[-1] == bob
    ref = changed(
        w, "bob", "acknowledged", action=lambda: sv.acknowledge(w.store, "bob", ref.id, ref.version, TODAY, DEFINITION)
    )
    # acknowledged Fri 14 Nov: respond within 20 WD, by Fri 12 Dec
    assert stored(ref.id) == ("open", 2, date(2025, 12, 12), "respond", False, bob)

    ref = changed(
        w,
        "bob",
        "responded",
        action=lambda: sv.respond(
            w.store,
            "bob",
            ref.id,
            ref.version,
            TODAY,
            Decision.UPHELD,
            "we should have visited sooner",
            no_remedy=True,
            no_actions=True,
        ),
    )
    assert stored(ref.id) == ("responded", 2, None, "", True, bob)
    ref = changed(w, "bob", "closed", action=lambda: sv.close(w.store, "bob", ref.id, ref.version))
    assert stored(ref.id) == ("closed", 2, None, "", True, bob)
    assert ref.version == 8
    refused(
        w,
        "5.3",
        lambda: sv.request_stage2(w.store, "alice", ref.id, ref.version, TODAY),
        field="stage",
        says="only two stages",
    )

    history = events(w, ref.id)
    assert history == [
        ("alice", "logged"),
        ("alice", "acknowledged"),
        ("alice", "responded"),
        ("alice", "escalated"),
        ("sue", "assigned"),
        ("bob", "acknowledged"),
        ("bob", "responded"),
        ("bob", "closed"),
    ]
    final = case_row(w, ref.id)
    assert (final.updated_by, final.version) == ("bob", 8)


def test_a_stale_version_is_refused_as_a_concurrent_change_and_writes_nothing(w):
    ref = log(w)
    new = sv.acknowledge(w.store, "alice", ref.id, ref.version, WED_5_NOV, DEFINITION)
    before = dump(w.engine)
    with pytest.raises(sv.ConcurrentChange) as exc:
        sv.withdraw(w.store, "bob", ref.id, ref.version, "the resident phoned to withdraw")
    assert (
        "changed by Alice Able at" in exc.value.message
        and ref.reference in exc.value.message
        and "not saved" in exc.value.message
    )
    assert dump(w.engine) == before
    assert sv.current_version(w.store, ref.id) == new.version


# -- extensions (rule 4) -----------------------------------------------------------------


def test_stage1_extension_within_the_cap_beyond_it_only_by_a_supervisor_with_good_reason(w):
    ref = opened(w)  # response due Wed 19 Nov

    def ext(login, days, good=""):
        return lambda: sv.extend(
            w.store, login, ref.id, ref.version, Extension(days, "waiting for the damp survey", TODAY, good_reason=good)
        )

    refused(
        w,
        "6.4",
        lambda: sv.extend(w.store, "alice", ref.id, ref.version, Extension(0, "survey", TODAY)),
        field="working_days",
    )
    refused(
        w, "6.4", lambda: sv.extend(w.store, "alice", ref.id, ref.version, Extension(3, " ", TODAY)), field="reason"
    )
    refused(
        w,
        "6.4",
        lambda: sv.extend(w.store, "alice", ref.id, ref.version, Extension(3, "survey", date(2025, 11, 1))),
        field="resident_told",
    )

    ref = changed(w, "alice", "extended", action=ext("alice", 10))  # exactly the cap: allowed
    # Wed 19 Nov + 10 WD = Wed 3 Dec
    assert (case_row(w, ref.id).next_due, stage_row(w, ref.id, 1).response_due) == (
        date(2025, 12, 3),
        date(2025, 12, 3),
    )
    [first] = rows(w, ExtensionRow)
    assert (first.working_days, first.beyond_cap, first.approved_by, first.recorded_by) == (10, False, None, "alice")

    refused(
        w,
        "6.4",
        ext("alice", 1, good="the contractor went into administration"),
        field="approved_by",
        says="only a supervisor",
    )
    refused(w, "6.4", ext("sue", 1), field="good_reason", says="good reason")

    good = "the contractor went into administration"
    ref = changed(w, "sue", "extended", action=ext("sue", 1, good=good))
    _, second = rows(w, ExtensionRow)
    assert (second.working_days, second.good_reason, second.approved_by, second.beyond_cap, second.recorded_by) == (
        1,
        good,
        "sue",
        True,
        "sue",
    )
    assert case_row(w, ref.id).next_due == date(2025, 12, 4)
    assert '"approved_by": "sue"' in last_event(w).after


def test_an_extension_told_in_time_is_counted_even_when_recorded_after_the_due_date(w):
    ref = opened(w, date(2025, 10, 1), date(2025, 10, 2))  # response was due Thu 16 Oct
    assert case_row(w, ref.id).next_due == date(2025, 10, 16)
    ref = changed(
        w,
        "alice",
        "extended",
        action=lambda: sv.extend(w.store, "alice", ref.id, ref.version, Extension(2, "survey", date(2025, 10, 3))),
    )
    # Told Fri 3 Oct, within the timescale: 2 WD after Thu 16 Oct = Mon 20 Oct.
    assert case_row(w, ref.id).next_due == date(2025, 10, 20)


def test_an_extension_told_late_is_kept_flagged_and_never_moves_the_deadline(w):
    ref = opened(w, date(2025, 10, 1), date(2025, 10, 2))  # response was due Thu 16 Oct
    ref = changed(
        w,
        "alice",
        "extended late",
        action=lambda: sv.extend(
            w.store, "alice", ref.id, ref.version, Extension(5, "waiting for the surveyor", date(2025, 10, 20))
        ),
    )
    assert case_row(w, ref.id).next_due == date(2025, 10, 16)
    ext = rows(w, ExtensionRow)[-1]
    assert (ext.told_late, ext.resident_told, ext.reason) == (True, date(2025, 10, 20), "waiting for the surveyor")
    detail = [a.detail for a in rows(w, AuditEvent) if a.action == "extended late"][-1]
    assert "told to the resident late" in detail and "Code 6.4" in detail and "16 Oct 2025" in detail


def test_stage2_extension_cap_is_20_working_days(w):
    ref = stage2_open(w)  # response due Wed 3 Dec
    assert case_row(w, ref.id).next_due == date(2025, 12, 3)
    ref = changed(
        w,
        "bob",
        "extended",
        action=lambda: sv.extend(w.store, "bob", ref.id, ref.version, Extension(20, "independent surveyor", TODAY)),
    )
    # Wed 3 Dec + 20 WD, skipping 25 and 26 Dec and 1 Jan: Mon 5 Jan 2026
    assert case_row(w, ref.id).next_due == date(2026, 1, 5)
    refused(
        w,
        "6.15",
        lambda: sv.extend(w.store, "bob", ref.id, ref.version, Extension(1, "more", TODAY, good_reason="surveyor ill")),
        field="approved_by",
        says="cap of 20",
    )
    ref = changed(
        w,
        "sue",
        "extended",
        action=lambda: sv.extend(
            w.store, "sue", ref.id, ref.version, Extension(1, "more", TODAY, good_reason="surveyor ill")
        ),
    )
    assert [(e.beyond_cap, e.approved_by) for e in rows(w, ExtensionRow)] == [(False, None), (True, "sue")]
    assert case_row(w, ref.id).next_due == date(2026, 1, 6)


def test_extension_only_on_an_open_case(w):
    ref = log(w)
    refused(
        w,
        "6.4",
        lambda: sv.extend(w.store, "alice", ref.id, ref.version, Extension(2, "survey", TODAY)),
        field="status",
    )


# -- responses (rule 8), remedies (rule 12), actions and closing (rule 9) -----------------


def test_response_needs_decision_reasons_remedy_and_actions(w):
    ref = opened(w)

    def respond(decision=Decision.UPHELD, reasons="the repair was late", **kw):
        return lambda: sv.respond(w.store, "alice", ref.id, ref.version, TODAY, decision, reasons, **kw)

    refused(w, "6.7", respond(reasons="  ", no_remedy=True, no_actions=True), field="reasons")
    refused(w, "6.9", respond(decision=None, no_remedy=True, no_actions=True), field="decision")
    refused(w, "6.9", respond(no_actions=True), field="remedy", says="no remedy")
    refused(w, "6.9", respond(no_remedy=True), field="actions", says="none")
    refused(
        w,
        "6.9",
        lambda: sv.respond(
            w.store,
            "alice",
            ref.id,
            ref.version,
            date(2025, 11, 4),
            Decision.UPHELD,
            "r",
            no_remedy=True,
            no_actions=True,
        ),
        field="on",
        says="acknowledgement",
    )
    # Never acknowledged, answered anyway: recorded, and the timeline says the acknowledgement was missed (6.2).
    unacknowledged = log(w)
    changed(
        w,
        "alice",
        "responded",
        action=lambda: sv.respond(
            w.store,
            "alice",
            unacknowledged.id,
            unacknowledged.version,
            TODAY,
            Decision.UPHELD,
            "r",
            no_remedy=True,
            no_actions=True,
        ),
    )
    detail = [a.detail for a in rows(w, AuditEvent) if a.action == "responded"][-1]
    assert "acknowledgement was never made (missed, Code 6.2)" in detail
    assert case_row(w, unacknowledged.id).status == "responded"

    # With a remedy and an outstanding action recorded, no explicit "none" is needed.
    changed(
        w,
        "alice",
        "remedy offered",
        action=lambda: sv.offer_remedy(
            w.store, "alice", ref.id, "apology", "a written apology from the repairs manager", date(2025, 11, 21)
        ),
    )
    action = changed(
        w,
        "alice",
        "action added",
        action=lambda: sv.add_action(
            w.store, "alice", ref.id, "treat the mould and redecorate", "repairs team", date(2025, 12, 5)
        ),
    )
    ref = changed(w, "alice", "responded", action=respond())
    assert case_row(w, ref.id).status == "responded"

    # Outstanding actions are tracked to completion before the case closes (6.6).
    refused(w, "6.6", lambda: sv.close(w.store, "alice", ref.id, ref.version), field="actions", says="1 outstanding")
    refused(w, "6.6", lambda: sv.update_action(w.store, "alice", action, "  "), field="text")
    changed(
        w,
        "alice",
        "action updated",
        action=lambda: sv.update_action(w.store, "alice", action, "contractor booked for 1 Dec", resident_told=True),
    )
    changed(w, "bob", "action completed", action=lambda: sv.update_action(w.store, "bob", action, "done", done=True))
    [row] = rows(w, Action)
    assert (row.done, row.completed_on) == (True, TODAY)
    refused(
        w,
        "6.6",
        lambda: sv.update_action(w.store, "alice", action, "again", done=True),
        field="done",
        says="already complete",
    )
    ref = changed(w, "alice", "closed", action=lambda: sv.close(w.store, "alice", ref.id, ref.version))
    assert (case_row(w, ref.id).status, case_row(w, ref.id).closed) == ("closed", True)


def test_an_action_needs_an_owner_and_a_due_date(w):
    ref = opened(w)
    refused(w, "6.6", lambda: sv.add_action(w.store, "alice", ref.id, "fix it", " ", date(2025, 12, 1)), field="owner")
    refused(w, "6.6", lambda: sv.add_action(w.store, "alice", ref.id, "fix it", "repairs", None), field="due")
    refused(
        w, "6.6", lambda: sv.add_action(w.store, "alice", ref.id, "", "repairs", date(2025, 12, 1)), field="description"
    )


def test_remedy_offer_says_what_and_by_when_and_moves_through_its_states(w):
    ref = opened(w)

    def offer(kind, what, by, **kw):
        return lambda: sv.offer_remedy(w.store, "alice", ref.id, kind, what, by, **kw)

    refused(w, "7.3", offer("apology", " ", date(2025, 11, 21)), field="what")
    refused(w, "7.3", offer("apology", "written apology", None), field="by_when")
    refused(w, "7.3", offer("apology", "written apology", date(2025, 11, 13)), field="by_when", says="past")
    refused(w, "7.3", offer("financial", "compensation", date(2025, 11, 28)), field="amount")
    refused(
        w,
        "",
        lambda: sv.offer_remedy(w.store, "alice", 999, "apology", "written apology", date(2025, 11, 21)),
        field="case",
        says="999",
    )

    apology = changed(w, "alice", "remedy offered", action=offer("apology", "written apology", date(2025, 11, 21)))
    money = changed(
        w,
        "alice",
        "remedy offered",
        action=offer(
            "financial",
            "compensation for distress",
            date(2025, 11, 28),
            amount_pence=25_000,
            guidance_key="hos-remedies-2024",
            calculation_basis="moderate maladministration band",
        ),
    )
    stored = {r.id: r for r in rows(w, Remedy)}
    assert (stored[apology].state, stored[apology].by_when, stored[apology].stage_number) == (
        "offered",
        date(2025, 11, 21),
        1,
    )
    assert (stored[money].amount_pence, stored[money].calculation_basis) == (25_000, "moderate maladministration band")

    refused(w, "7.3", lambda: sv.move_remedy(w.store, "alice", apology, "completed"), field="state")
    changed(w, "alice", "remedy accepted", action=lambda: sv.move_remedy(w.store, "alice", apology, "accepted"))
    refused(w, "7.3", lambda: sv.move_remedy(w.store, "alice", apology, "paid"), field="state", says="only a financial")
    refused(
        w,
        "5.12",
        lambda: sv.move_remedy(w.store, "alice", apology, "completed", on=date(2025, 11, 17)),
        field="completed_on",
        says="completed date (17 Nov 2025) is in the future",
    )
    changed(w, "alice", "remedy completed", action=lambda: sv.move_remedy(w.store, "alice", apology, "completed"))
    changed(w, "alice", "remedy accepted", action=lambda: sv.move_remedy(w.store, "alice", money, "accepted"))
    changed(
        w,
        "sue",
        "remedy paid",
        action=lambda: sv.move_remedy(w.store, "sue", money, "paid", payment_reference="BACS 1"),
    )
    stored = {r.id: r for r in rows(w, Remedy)}
    assert (stored[apology].state, stored[apology].accepted_on, stored[apology].completed_on) == (
        "completed",
        TODAY,
        TODAY,
    )
    assert (stored[money].state, stored[money].paid_on) == ("paid", TODAY)


# -- Stage 2 (rules 5, 6, 14) ------------------------------------------------------------


def test_stage2_request_needs_no_reason(w):
    ref = responded(w)
    ref = changed(
        w, "alice", "escalated", action=lambda: sv.request_stage2(w.store, "alice", ref.id, ref.version, MON_3_NOV)
    )
    row = stage_row(w, ref.id, 2)
    assert (row.requested, row.request_reason, row.officer_id, row.ack_due) == (MON_3_NOV, "", None, date(2025, 11, 10))
    assert case_row(w, ref.id).status == "awaiting-acknowledgement"


def test_stage2_request_before_the_stage1_response_is_refused(w):
    ref = opened(w)
    refused(w, "6.10", lambda: sv.request_stage2(w.store, "alice", ref.id, ref.version, TODAY), field="status")


def test_stage2_officer_is_never_the_stage1_officer_at_escalation_assignment_and_reassignment(w):
    ref = responded(w)  # Stage 1 officer: alice
    refused(
        w,
        "6.13",
        lambda: sv.request_stage2(w.store, "sue", ref.id, ref.version, MON_3_NOV, officer_login="alice"),
        field="officer",
        says="Alice Able considered this complaint at Stage 1",
    )
    refused(
        w,
        "6.13",
        lambda: sv.request_stage2(w.store, "alice", ref.id, ref.version, MON_3_NOV, officer_login="bob"),
        field="officer",
        says="only a supervisor",
    )
    ref = changed(
        w, "sue", "escalated", action=lambda: sv.request_stage2(w.store, "sue", ref.id, ref.version, MON_3_NOV)
    )

    refused(
        w,
        "6.13",
        lambda: sv.assign(w.store, "sue", ref.id, ref.version, "alice"),
        field="officer",
        says="Alice Able considered this complaint at Stage 1",
    )
    refused(
        w,
        "6.13",
        lambda: sv.assign(w.store, "bob", ref.id, ref.version, "bob"),
        field="officer",
        says="only a supervisor or administrator",
    )
    refused(
        w,
        "6.13",
        lambda: sv.acknowledge(w.store, "sue", ref.id, ref.version, TODAY, DEFINITION),
        field="officer",
        says="assign a Stage 2 officer",
    )
    ref = changed(w, "sue", "assigned", action=lambda: sv.assign(w.store, "sue", ref.id, ref.version, "bob"))
    assert (stage_row(w, ref.id, 2).officer_id, case_row(w, ref.id).officer_id) == (
        w.officers["bob"],
        w.officers["bob"],
    )

    # Reassignment: still never alice, and only by a supervisor or administrator.
    refused(w, "6.13", lambda: sv.assign(w.store, "sue", ref.id, ref.version, "alice"), says="alice")
    refused(w, "6.13", lambda: sv.assign(w.store, "bob", ref.id, ref.version, "sue"), says="only a supervisor")
    refused(w, "6.13", lambda: sv.assign(w.store, "alice", ref.id, ref.version, "sue"), says="only a supervisor")
    refused(w, "5.12", lambda: sv.assign(w.store, "admin", ref.id, ref.version, "sue"), field="reason", says="say why")
    refused(
        w,
        "",
        lambda: sv.assign(w.store, "admin", ref.id, ref.version, "bob", reason="x"),
        field="officer",
        says="already holds Stage 2",
    )
    ref = changed(
        w,
        "admin",
        "reassigned",
        action=lambda: sv.assign(w.store, "admin", ref.id, ref.version, "sue", reason="Bob is on leave"),
    )
    assert case_row(w, ref.id).officer_id == w.officers["sue"]
    event = last_event(w)
    assert (event.before, event.after) == ('{"officer": "bob"}', '{"officer": "sue", "reason": "Bob is on leave"}')
    assert event.detail == "Stage 2 reassigned from Bob Baker to Sue Senior: Bob is on leave"


def test_escalation_naming_an_eligible_officer(w):
    ref = escalated(w, officer="bob")
    assert case_row(w, ref.id).officer_id == w.officers["bob"]
    assert stage_row(w, ref.id, 1).officer_id == w.officers["alice"]


def test_bulk_reassignment_is_all_or_nothing(w):
    a = escalated(w)  # Stage 1 officer alice
    b = escalated(w, stage1_officer="bob")  # Stage 1 officer bob
    assert stage_row(w, b.id, 1).officer_id == w.officers["bob"]
    a_ref = case_row(w, a.id).reference

    error = refused(
        w,
        "6.13",
        lambda: sv.bulk_assign(w.store, "sue", [(a.id, a.version), (b.id, b.version)], "alice"),
        field="officer",
        says="nothing was reassigned",
    )
    assert a_ref in error.message and "Alice Able considered this complaint" in error.message
    assert case_row(w, b.id).officer_id is None, "the eligible case was not assigned either"
    refused(
        w,
        "6.13",
        lambda: sv.bulk_assign(w.store, "sue", [(b.id, b.version), (a.id, a.version)], "bob"),
        says=case_row(w, b.id).reference,
    )
    refused(
        w,
        "6.13",
        lambda: sv.bulk_assign(w.store, "bob", [(a.id, a.version), (b.id, b.version)], "sue"),
        says="only a supervisor",
    )

    done = changed(
        w,
        "sue",
        "assigned",
        "assigned",
        action=lambda: sv.bulk_assign(w.store, "sue", [(a.id, a.version), (b.id, b.version)], "sue"),
    )
    assert [(r.id, r.version) for r in done] == [(a.id, a.version + 1), (b.id, b.version + 1)]
    assert {case_row(w, a.id).officer_id, case_row(w, b.id).officer_id} == {w.officers["sue"]}

    refused(
        w,
        "6.13",
        lambda: sv.bulk_assign(
            w.store, "sue", [(a.id, done[0].version), (b.id, done[1].version)], "alice", reason="Sue is on leave"
        ),
        says="Alice Able considered",
    )
    assert {case_row(w, a.id).officer_id, case_row(w, b.id).officer_id} == {w.officers["sue"]}


def test_refusing_escalation_needs_a_ground_and_reasons(w):
    ref = escalated(w)

    def refuse(ground, reasons):
        return lambda: sv.refuse_escalation(w.store, "sue", ref.id, ref.version, ground, reasons)

    refused(w, "5.11", refuse(None, "the matter is before the county court"), field="ground", says="section 2")
    refused(w, "5.11", refuse(Ground.LEGAL_PROCEEDINGS, " "), field="reasons")
    ref = changed(
        w, "sue", "escalation-refused", action=refuse(Ground.LEGAL_PROCEEDINGS, "the matter is before the court")
    )
    [exclusion] = rows(w, Exclusion)
    assert (exclusion.kind, exclusion.ground, exclusion.decided_by) == (
        "escalation-refused",
        "legal-proceedings",
        "sue",
    )
    stored = case_row(w, ref.id)
    assert (stored.status, stored.closed, stored.next_due) == ("escalation-refused", True, None)


def test_not_accepting_at_stage2_points_to_refusing_escalation(w):
    ref = escalated(w)
    refused(
        w,
        "5.11",
        lambda: sv.not_accept(w.store, "sue", ref.id, ref.version, Ground.LEGAL_PROCEEDINGS, "court"),
        field="status",
        says="refuse escalation",
    )


# -- related issues (rule 7) -------------------------------------------------------------


def test_related_issue_is_added_to_the_open_case(w):
    ref = opened(w)
    refused(
        w,
        "6.8",
        lambda: sv.add_related_issue(w.store, "alice", ref.id, ref.version, "  ", related=True),
        field="description",
    )
    outcome = changed(
        w,
        "alice",
        "related issue added",
        action=lambda: sv.add_related_issue(
            w.store, "alice", ref.id, ref.version, "the extractor fan is broken", related=True
        ),
    )
    assert outcome.added_to_case and outcome.case == sv.CaseRef(ref.id, ref.reference, ref.version + 1)
    assert "the extractor fan is broken" in case_row(w, ref.id).summary
    assert stage_row(w, ref.id, 1).issues.endswith("- the extractor fan is broken")
    [note] = rows(w, Correspondence, case_id=ref.id)
    assert (note.kind, note.body) == ("note", "the extractor fan is broken")
    assert len(rows(w, Case)) == 1


@pytest.mark.parametrize("related, would_delay", [(False, False), (True, True)])
def test_unrelated_or_delaying_issue_becomes_a_new_linked_case(w, related, would_delay):
    ref = opened(w)
    outcome = changed(
        w,
        "alice",
        "related issue split",
        "logged",
        action=lambda: sv.add_related_issue(
            w.store, "alice", ref.id, ref.version, "the garden fence is down", related=related, would_delay=would_delay
        ),
    )
    assert not outcome.added_to_case and outcome.case.id != ref.id
    new = case_row(w, outcome.case.id)
    assert (new.related_case_id, new.summary, new.received, new.resident_id) == (
        ref.id,
        "the garden fence is down",
        TODAY,
        w.resident,
    )
    assert (new.status, new.next_due, new.next_due_kind) == (
        "awaiting-acknowledgement",
        date(2025, 11, 21),
        "acknowledge",
    )
    assert case_row(w, ref.id).summary == "Mould in the back bedroom"
    assert events(w, ref.id)[-1] == ("alice", "related issue split")


def test_an_issue_after_the_response_becomes_a_new_linked_case(w):
    ref = responded(w)
    outcome = sv.add_related_issue(w.store, "alice", ref.id, ref.version, "the fence", related=True)
    assert not outcome.added_to_case and "already been issued" in outcome.why
    assert case_row(w, outcome.case.id).related_case_id == ref.id


def test_a_refused_split_leaves_the_parent_untouched(w):
    ref = opened(w)
    # A new case cannot be received in the future: the split is refused as a whole.
    refused(
        w,
        "5.12",
        lambda: sv.add_related_issue(
            w.store, "alice", ref.id, ref.version, "the fence", related=False, raised_on=date(2025, 12, 1)
        ),
        field="received",
        says="future",
    )


# -- the registers (rules 10, 11) --------------------------------------------------------


def test_adjustments_need_a_future_review_date(w):
    refused(
        w, "5.10", lambda: sv.add_adjustment(w.store, "alice", w.resident, "large print", None), field="review_date"
    )
    refused(
        w, "5.10", lambda: sv.add_adjustment(w.store, "alice", w.resident, "large print", TODAY), field="review_date"
    )
    refused(w, "5.10", lambda: sv.add_adjustment(w.store, "alice", w.resident, " ", date(2026, 5, 1)), field="kind")
    refused(w, "", lambda: sv.add_adjustment(w.store, "alice", 999, "large print", date(2026, 5, 1)), field="resident")
    adjustment = changed(
        w,
        "alice",
        "adjustment agreed",
        action=lambda: sv.add_adjustment(
            w.store, "alice", w.resident, "large print", date(2026, 5, 14), details="16pt"
        ),
    )
    [row] = rows(w, Adjustment)
    assert (row.id, row.kind, row.review_date, row.agreed_on, row.active) == (
        adjustment,
        "large print",
        date(2026, 5, 14),
        TODAY,
        True,
    )

    refused(
        w,
        "5.10",
        lambda: sv.record_review(w.store, "alice", "adjustment", adjustment, "still needed", None),
        field="next_review",
    )
    refused(
        w,
        "5.10",
        lambda: sv.record_review(w.store, "alice", "adjustment", adjustment, " ", date(2026, 11, 1)),
        field="outcome",
    )
    changed(
        w,
        "alice",
        "adjustment reviewed",
        action=lambda: sv.record_review(w.store, "alice", "adjustment", adjustment, "still needed", date(2026, 11, 13)),
    )
    assert rows(w, Adjustment)[0].review_date == date(2026, 11, 13)


def test_restrictions_need_evidence_an_authoriser_and_a_review_date(w):
    def add(restriction, evidence, who, review):
        return lambda: sv.add_restriction(w.store, "alice", w.resident, restriction, evidence, who, review)

    refused(w, "5.14", add("contact by email only", " ", "sue", date(2026, 2, 14)), field="evidence")
    refused(w, "5.14", add("contact by email only", "call log of 12 Nov", "", date(2026, 2, 14)), field="authorised_by")
    refused(w, "5.14", add(" ", "call log", "sue", date(2026, 2, 14)), field="restriction")
    refused(w, "5.15", add("contact by email only", "call log of 12 Nov", "sue", None), field="review_date")
    changed(
        w,
        "alice",
        "restriction recorded",
        action=add("contact by email only", "call log of 12 Nov", "sue", date(2026, 2, 14)),
    )
    [row] = rows(w, Restriction)
    assert (row.evidence, row.authorised_by, row.review_date, row.starts_on) == (
        "call log of 12 Nov",
        "sue",
        date(2026, 2, 14),
        TODAY,
    )
    changed(
        w,
        "sue",
        "restriction reviewed",
        action=lambda: sv.record_review(w.store, "sue", "restriction", row.id, "behaviour improved", None, end=True),
    )
    assert rows(w, Restriction)[0].active is False


# -- the audit (rule 13) -----------------------------------------------------------------


def test_every_change_is_audited_and_the_audit_cannot_be_changed_in_sql(w):
    ref = opened(w)
    sv.add_correspondence(w.store, "bob", ref.id, "phone", "resident rang about the survey", direction="in")
    events_before = dump(w.engine)["audit_event"]
    assert len(events_before) >= 8
    with Session(w.engine) as session:
        for event in session.exec(select(AuditEvent)).all():
            assert event.actor and event.action and event.at is not None
    assert events(w)[-1] == ("bob", "phone added")

    audit = SQLModel.metadata.tables["audit_event"]
    for statement in (
        sa.update(audit).values(actor="mallory"),
        sa.update(audit).where(audit.c.case_id == ref.id).values(detail=""),
        sa.delete(audit),
        sa.delete(audit).where(audit.c.actor == "bob"),
    ):
        with pytest.raises(sa.exc.DBAPIError) as exc, w.engine.begin() as connection:
            connection.execute(statement)
        assert APPEND_ONLY in str(exc.value.orig)
    assert dump(w.engine)["audit_event"] == events_before


def test_an_unknown_correspondence_kind_or_empty_note_is_refused(w):
    ref = log(w)
    refused(w, "", lambda: sv.add_correspondence(w.store, "alice", ref.id, "fax", "hello"), field="kind")
    refused(w, "5.12", lambda: sv.add_correspondence(w.store, "alice", ref.id, "note", "  "), field="body")
    # An acknowledgement letter states the response date: that date becomes a promise (issue 11).
    letter = changed(
        w,
        "alice",
        "letter issued",
        "response date promised",
        action=lambda: sv.issue_letter(
            w.store, "alice", ref.id, "acknowledgement", "Your complaint", "Dear Mrs Smith, ..."
        ),
    )
    [row] = rows(w, Correspondence, id=letter)
    assert (row.kind, row.direction, row.letter_kind, row.by) == ("letter", "out", "acknowledgement", "alice")


def test_withdrawal_keeps_what_the_resident_said(w):
    ref = log(w)
    refused(w, "5.12", lambda: sv.withdraw(w.store, "alice", ref.id, ref.version, " "), field="reason")
    ref = changed(
        w, "alice", "withdrawn", action=lambda: sv.withdraw(w.store, "alice", ref.id, ref.version, "sorted out")
    )
    assert last_event(w).detail == "sorted out"
    assert (case_row(w, ref.id).status, case_row(w, ref.id).closed) == ("withdrawn", True)


# -- due dates after the closure days change ---------------------------------------------


def test_recompute_due_dates_reports_exactly_the_cases_whose_dates_moved(w, engine, db_url):
    a = opened(w)  # response due Wed 19 Nov
    b = log(w, TODAY)  # acknowledgement due Fri 21 Nov
    c = log(w)  # acknowledgement due Mon 10 Nov (before the closure day)
    d = responded(w)  # no live deadline
    e = stage2_open(w)  # Stage 2 response due Wed 3 Dec
    before = {x.id: case_row(w, x.id).next_due for x in (a, b, c, d, e)}
    assert before == {
        a.id: date(2025, 11, 19),
        b.id: date(2025, 11, 21),
        c.id: date(2025, 11, 10),
        d.id: None,
        e.id: date(2025, 12, 3),
    }
    # No calendar recorded yet: the first check asks for a recompute, which moves nothing
    # and records the calendar in force, so a later change of closure days is noticed.
    assert sv.calendar_changed(w.store) is True
    assert sv.recompute_due_dates(w.store, "admin") == []
    assert sv.calendar_changed(w.store) is False

    closed = make_store(db_url, TODAY, engine, closure_days={date(2025, 11, 18): "staff training day"})
    refused(w, "", lambda: sv.recompute_due_dates(closed, "mallory"), says="mallory")
    moved = changed(
        w,
        "admin",
        "due date moved",
        "due date moved",
        "due date moved",
        "due dates recomputed",
        action=lambda: sv.recompute_due_dates(closed, "admin"),
    )
    ref = {x.id: case_row(w, x.id).reference for x in (a, b, e)}
    assert sorted(moved, key=lambda m: m.reference) == sorted(
        [
            sv.MovedDate(ref[a.id], date(2025, 11, 19), date(2025, 11, 20)),
            sv.MovedDate(ref[b.id], date(2025, 11, 21), date(2025, 11, 24)),
            sv.MovedDate(ref[e.id], date(2025, 12, 3), date(2025, 12, 4)),
        ],
        key=lambda m: m.reference,
    )
    after = {x.id: case_row(w, x.id).next_due for x in (a, b, c, d, e)}
    assert after == {
        a.id: date(2025, 11, 20),
        b.id: date(2025, 11, 24),
        c.id: date(2025, 11, 10),
        d.id: None,
        e.id: date(2025, 12, 4),
    }
    assert stage_row(w, a.id, 1).response_due == date(2025, 11, 20)
    assert stage_row(w, e.id, 2).response_due == date(2025, 12, 4)
    assert "3 due date(s) of 4 open case(s) moved" in last_event(w).detail
    # Each moved case's timeline says from what to what, and why.
    notes = {a.case_id: a.detail for a in rows(w, AuditEvent) if a.action == "due date moved"}
    assert notes[a.id] == (
        "due date moved from Wed 19 Nov 2025 to Thu 20 Nov 2025 because "
        "closure day added: Tue 18 Nov 2025 (staff training day)"
    )
    assert set(notes) == {a.id, b.id, e.id}

    assert sv.calendar_changed(closed) is False
    assert sv.calendar_changed(w.store) is True, "the store without the closure day sees the dates computed with it"
    assert sv.recompute_due_dates(closed, "admin") == []
    assert {x.id: case_row(w, x.id).next_due for x in (a, b, c, d, e)} == after
    # A case extended or logged under the closure-day calendar counts it from the start.
    f = changed(w, "alice", "logged", action=lambda: sv.log_case(closed, "alice", w.resident, new_case(TODAY)))
    assert case_row(w, f.id).next_due == date(2025, 11, 24)


def test_out_of_time_complaint_logged_and_declined_in_one_step(w):
    """An out-of-time complaint can be declined at logging without a discretion reason (2.1, 2.3)."""
    from caseworker.rules.facts import Ground
    from caseworker.store.models import Exclusion

    store, resident = w.store, w.resident
    new = NewCase(
        CaseType.COMPLAINT, store.today(), "phone", "Repairs", "Leak", "Old leak", issue_date=date(2020, 1, 6)
    )
    with pytest.raises(sv.DomainError) as exc:
        sv.log_case(store, "alice", resident, new)
    assert exc.value.code_ref == "2.3"
    with pytest.raises(sv.DomainError) as exc:
        sv.log_case(store, "alice", resident, new, not_accepted=(Ground.OVER_TWELVE_MONTHS, "  "))
    assert exc.value.code_ref == "2.1"
    ref = sv.log_case(store, "alice", resident, new, not_accepted=(Ground.OVER_TWELVE_MONTHS, "Leak fixed in 2020"))
    with Session(store.engine) as s:
        case = s.get(Case, ref.id)
        assert case.status == "not-accepted" and case.closed and case.next_due is None
        assert case.discretion_reason == ""
        exclusion = s.exec(select(Exclusion).where(Exclusion.case_id == ref.id)).one()
        assert (exclusion.ground, exclusion.reasons) == ("over-12-months", "Leak fixed in 2020")


def test_unknown_remedy_kind_or_state_is_a_domain_error_naming_the_field(w):
    case = sv.log_case(
        w.store, "alice", w.resident, NewCase(CaseType.COMPLAINT, TODAY, "phone", "Repairs", "Damp", "Mould")
    )
    before = dump(w.engine)
    with pytest.raises(sv.DomainError) as exc:
        sv.offer_remedy(w.store, "alice", case.id, "voucher", "a voucher", date(2025, 12, 1))
    assert exc.value.refusal.field == "kind" and "apology" in exc.value.message
    remedy = sv.offer_remedy(w.store, "alice", case.id, "apology", "a written apology", date(2025, 12, 1))
    with pytest.raises(sv.DomainError) as exc:
        sv.move_remedy(w.store, "alice", remedy, "refunded")
    assert exc.value.refusal.field == "state" and "accepted" in exc.value.message
    assert len(dump(w.engine)["remedy"]) == len(before["remedy"]) + 1


def test_a_disability_disclosed_in_the_future_is_refused_by_the_service(w):
    before = dump(w.engine)
    with pytest.raises(sv.DomainError) as exc:
        sv.record_disability(w.store, "alice", w.resident, "Sight loss", date(2025, 11, 15))
    assert (exc.value.code_ref, exc.value.refusal.field) == ("5.10", "disclosed_on")
    assert dump(w.engine) == before


def test_a_resident_or_representative_with_a_wrong_email_or_phone_is_refused_naming_the_field(w):
    from helpers import refused as refused_naming

    from caseworker.store.queries.people import find_residents

    count = lambda: len(find_residents(w.store, "Ebony"))  # noqa: E731
    refused_naming(
        lambda: sv.add_resident(w.store, "alice", "Ebony Ward", email="not-an-email"), "email", "not-an-email"
    )
    refused_naming(lambda: sv.add_resident(w.store, "alice", "Ebony Ward", phone="abc"), "phone", "not a phone number")
    assert count() == 0  # nothing stored
    resident = sv.add_resident(w.store, "alice", "Ebony Ward", email="e.ward@example.org.uk", phone="01632 960123")
    refused_naming(
        lambda: sv.add_representative(
            w.store,
            "alice",
            resident,
            "Rhian Ward",
            email="rhian.example",
            consent_recorded=True,
            consent_date=TODAY,
        ),
        "email",
        "rhian.example",
    )
