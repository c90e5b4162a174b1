"""The demo database: every state present, dates consistent with the rules, realistic history.

One 300-case demo is built for Fri 19 Dec 2025 (Thu 25 and Fri 26 Dec are bank holidays)
and checked against the rules themselves: the stored due dates must be what
``rules.deadlines`` computes from the stored facts, as ``services.refresh_deadlines`` would.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from caseworker.cli import main
from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.deadlines import (
    acknowledgement_deadline,
    next_deadline,
    response_deadline,
)
from caseworker.rules.facts import CaseType, Status
from caseworker.rules.lifecycle import NewCase
from caseworker.rules.policy import load_policy
from caseworker.rules.remedy_calculator import guidance_for
from caseworker.store.context import Store
from caseworker.store.demo import NotADemoDatabase, build_demo
from caseworker.store.mapping import case_facts, stages_of
from caseworker.store.migrate import open_store
from caseworker.store.models import (
    Action,
    Adjustment,
    AuditEvent,
    Case,
    Exclusion,
    Extension,
    Officer,
    Remedy,
    Representative,
    Resident,
    Restriction,
    Setting,
    Stage,
    UpdateInterval,
)

TODAY = date(2025, 12, 19)
CAL = WorkingCalendar()


@pytest.fixture(scope="module", params=[False, True], ids=["one process", "worker processes"])
def demo(request, tmp_path_factory):
    """(summary, engine) of a 300-case SQLite demo built for TODAY, in one process and with the
    cases played in worker processes as a large demo is (store/demo/parallel.py)."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'demo.db'}"
    summary = build_demo(url, 300, today=TODAY, parallel=request.param)
    engine = open_store(url)
    yield summary, engine
    engine.dispose()


def _all(engine, model):
    with Session(engine) as s:
        return s.exec(select(model)).all()


def _fy(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def test_every_status_in_every_case_type(demo):
    summary, engine = demo
    cases = _all(engine, Case)
    assert len(cases) == summary.cases == 300
    seen = {(c.case_type, c.status) for c in cases}
    for status in Status:
        for case_type in CaseType:
            assert (case_type.value, status.value) in seen, f"no {case_type.value} that is {status.value}"


def test_every_state_of_the_lifecycle_is_shown(demo):
    _, engine = demo
    cases = {c.id: c for c in _all(engine, Case)}
    stages = _all(engine, Stage)
    s2 = {s.case_id: s for s in stages if s.number == 2}
    exts = _all(engine, Extension)
    ext_stage = {e.stage_id for e in exts}
    live = [c for c in cases.values() if c.status in ("awaiting-acknowledgement", "open")]
    # Stage 2 requested and waiting for an officer; Stage 2 open; Stage 2 responded.
    assert any(c.stage == 2 and c.status == "awaiting-acknowledgement" and c.officer_id is None for c in live)
    assert any(c.stage == 2 and c.status == "open" for c in live)
    assert any(c.stage == 2 and c.status in ("responded", "closed") for c in cases.values())
    # Open cases extended within the cap, and beyond it with a supervisor's approval and a good reason.
    open_stage_ids = {s.id for s in stages if cases[s.case_id].status == "open" and s.number == cases[s.case_id].stage}
    assert open_stage_ids & ext_stage
    supervisors = {o.login for o in _all(engine, Officer) if o.role in ("supervisor", "administrator")}
    beyond = [e for e in exts if e.beyond_cap]
    assert beyond and any(e.stage_id in open_stage_ids for e in beyond)
    for e in beyond:
        assert e.good_reason and e.approved_by in supervisors and e.recorded_by in supervisors
    for e in exts:
        if not e.beyond_cap:
            assert e.approved_by is None
        assert e.resident_told <= e.recorded_on <= TODAY
    # Not accepted on each section 2 ground, and escalation refused.
    grounds = Counter((x.kind, x.ground) for x in _all(engine, Exclusion))
    for ground in ("over-12-months", "legal-proceedings", "previously-considered"):
        assert grounds[("not-accepted", ground)], ground
    assert sum(n for (kind, _), n in grounds.items() if kind == "escalation-refused")
    for c in cases.values():
        if c.status == "not-accepted" and any(
            x.case_id == c.id and x.ground == "over-12-months" for x in _all(engine, Exclusion)
        ):
            assert c.issue_date is not None and c.issue_date < c.received - timedelta(days=365)
    assert any(c.id in s2 for c in cases.values() if c.status == "closed")


def test_officers_supervisors_and_the_person_at_the_keyboard(demo):
    from caseworker.store.services import system_login

    _, engine = demo
    officers = {o.login: o for o in _all(engine, Officer)}
    roles = Counter(o.role for o in officers.values())
    assert roles["supervisor"] == 2
    assert roles["administrator"] >= 1
    assert 8 <= len(officers) <= 10
    assert {"aokafor", "bhughes"} <= set(officers)
    assert officers[system_login()].role == "administrator"


def test_stage2_officer_is_never_the_stage1_officer(demo):
    _, engine = demo
    by_case: dict[int, dict[int, Stage]] = {}
    for s in _all(engine, Stage):
        by_case.setdefault(s.case_id, {})[s.number] = s
    escalated = [st for st in by_case.values() if 2 in st]
    assert len(escalated) > 20
    for st in escalated:
        if st[2].officer_id is not None:
            assert st[2].officer_id != st[1].officer_id


def test_stored_due_dates_are_what_the_rules_compute(demo):
    _, engine = demo
    with Session(engine) as s:
        for case in s.exec(select(Case)).all():
            # a Stage 2 asked for once the 2024 Code was in force keeps its own profile (rules.policy.stage2_policy_key)
            facts = case_facts(s, case, policies=load_policy)
            policy = load_policy(case.policy_key)
            for number, row in stages_of(s, case.id).items():
                stage = facts.stage1 if number == 1 else facts.stage2
                assert row.ack_due == acknowledgement_deadline(facts, stage, policy, CAL).due, case.reference
                resp = response_deadline(facts, stage, policy, CAL)
                assert row.response_due == (resp.due if resp else None), case.reference
            deadline = next_deadline(facts, policy, CAL)
            # the case is listed by its Code deadline or its earliest open action, whichever is first (6.6)
            open_dues = [a.due for a in s.exec(select(Action).where(Action.case_id == case.id)).all() if not a.done]
            action_due = min(open_dues, default=None)
            due, kind = (deadline.due, deadline.kind) if deadline else (None, "")
            if action_due is not None and (due is None or action_due < due):
                due, kind = action_due, "action"
            # an update agreed with the resident (5.9, none given yet in the demo) comes first while it is sooner
            agreed = s.exec(select(UpdateInterval).where(UpdateInterval.case_id == case.id)).all()
            if agreed and case.status in ("awaiting-acknowledgement", "open"):
                update_due = CAL.add(agreed[-1].agreed_on, agreed[-1].every_days)
                if due is None or update_due < due:
                    due, kind = update_due, "update"
            assert case.next_due == due, case.reference
            assert case.next_due_kind == kind, case.reference
            assert case.closed == (case.status not in ("awaiting-acknowledgement", "open") and action_due is None)
            assert case.stage == facts.stage


def test_dates_follow_the_rules(demo):
    _, engine = demo
    cases = {c.id: c for c in _all(engine, Case)}
    by_case: dict[int, dict[int, Stage]] = {}
    for s in _all(engine, Stage):
        by_case.setdefault(s.case_id, {})[s.number] = s
    for cid, st in by_case.items():
        case, s1 = cases[cid], st[1]
        assert case.received <= TODAY
        if s1.acknowledged:
            assert case.received <= s1.acknowledged <= TODAY
            assert s1.issues and s1.outcomes and s1.responsible  # the complaint definition (5.6)
        if s1.responded:
            assert s1.acknowledged and s1.acknowledged <= s1.responded <= TODAY and s1.decision and s1.reasons
        if 2 in st:
            s2 = st[2]
            assert s1.responded and s1.responded <= s2.requested <= TODAY
            if s2.acknowledged:
                assert s2.officer_id is not None and s2.requested <= s2.acknowledged
            if s2.responded:
                assert s2.acknowledged <= s2.responded <= TODAY


def test_two_full_financial_years_with_a_realistic_mix(demo):
    summary, engine = demo
    assert summary.first_received <= date(2023, 4, 1)
    cases = {c.id: c for c in _all(engine, Case)}
    by_case: dict[int, dict[int, Stage]] = {}
    for s in _all(engine, Stage):
        by_case.setdefault(s.case_id, {})[s.number] = s
    extended = {e.stage_id for e in _all(engine, Extension)}
    responded = in_time = late = ext = escalated = 0
    per_year = Counter()
    for cid, st in by_case.items():
        fy = _fy(cases[cid].received)
        if fy not in (2023, 2024):
            continue
        per_year[fy] += 1
        s1 = st[1]
        if s1.responded:
            responded += 1
            in_time += s1.responded <= s1.response_due
            late += s1.responded > s1.response_due
            ext += s1.id in extended
            escalated += 2 in st
    assert per_year[2023] >= 30 and per_year[2024] >= 30
    assert 0.75 <= in_time / responded <= 0.97  # most answered in time, some late
    assert late >= 3 and ext >= 3
    assert 0.08 <= escalated / responded <= 0.28  # about one in six escalated
    policies = Counter(c.policy_key for c in cases.values())
    # Complaints received before 1 April 2024 are worked under the 2022 Code, later ones under 2024's.
    assert policies["hoc-2024"] and policies["hoc-2022"] and not policies["mkcc-corporate"]
    assert all(c.policy_key == ("hoc-2024" if c.received >= date(2024, 4, 1) else "hoc-2022") for c in cases.values())
    # A Stage 2 requested on or after 1 April 2024 on a 2022-Code case is worked under 2024's Code.
    for cid, st in by_case.items():
        if 2 in st and cases[cid].policy_key == "hoc-2022":
            assert st[2].policy_key == ("hoc-2024" if st[2].requested >= date(2024, 4, 1) else "")


def test_due_dates_spread_around_today(demo):
    _, engine = demo
    left = [CAL.days_left(c.next_due, TODAY) for c in _all(engine, Case) if c.next_due]
    assert any(d < 0 for d in left), "some overdue"
    assert any(d == 0 for d in left), "some due today"
    assert any(d in (1, 2) for d in left), "some due within 2 working days"
    assert sum(d > 2 for d in left) >= 5, "the rest later"
    assert sum(d < 0 for d in left) < len(left) / 2


def test_registers_remedies_and_actions(demo):
    _, engine = demo
    adjustments = _all(engine, Adjustment)
    kinds = {a.kind for a in adjustments}
    assert {
        "large print",
        "easy read",
        "interpreter",
        "BSL",
        "braille",
        "preferred channel",
        "advocate",
        "extra time",
    } <= kinds
    assert any(a.active and a.review_date < TODAY for a in adjustments), "some reviews overdue"
    assert any(a.review_date > TODAY for a in adjustments)
    restrictions = _all(engine, Restriction)
    assert 1 <= len(restrictions) <= 2
    assert all(r.evidence and r.authorised_by in ("bhughes", "ewilliams") for r in restrictions)
    residents = _all(engine, Resident)
    assert any(r.vulnerable and r.vulnerability_notes for r in residents)
    reps = _all(engine, Representative)
    assert reps and all(r.consent_recorded and r.consent_date for r in reps)

    remedies = _all(engine, Remedy)
    assert {r.state for r in remedies} == {"offered", "accepted", "declined", "paid", "completed"}
    assert {r.kind for r in remedies} >= {"apology", "financial", "action"}
    for r in remedies:
        assert r.offered_on <= r.by_when
        if r.kind == "financial":
            basis = json.loads(r.calculation_basis)
            assert basis["total_pence"] == r.amount_pence > 0
            assert basis["guidance"] == r.guidance_key == guidance_for(r.offered_on).key
    actions = _all(engine, Action)
    assert any(not a.done and a.due < TODAY for a in actions), "some outstanding actions overdue"
    assert any(a.done and a.completed_on for a in actions)


def test_every_case_has_its_history(demo):
    _, engine = demo
    events: dict[int, list[AuditEvent]] = {}
    for e in _all(engine, AuditEvent):
        if e.case_id is not None:
            events.setdefault(e.case_id, []).append(e)
    stages = {(s.case_id, s.number): s for s in _all(engine, Stage)}
    for case in _all(engine, Case):
        history = events[case.id]
        actions = Counter(e.action for e in history)
        assert actions["logged"] == 1
        logged = next(e for e in history if e.action == "logged")
        assert logged.at.tzinfo is not None and logged.at.date() == case.received
        s1 = stages[(case.id, 1)]
        if s1.acknowledged:
            ack = [e for e in history if e.action == "acknowledged"]
            assert ack and ack[0].at.date() == s1.acknowledged
        if s1.responded:
            assert any(e.action == "responded" and e.at.date() == s1.responded for e in history)
        if case.status in ("not-accepted", "escalation-refused", "withdrawn", "closed"):
            assert actions[case.status if case.status != "closed" else "closed"] >= 1
        assert case.version == 1 + sum(
            actions[a]
            for a in (
                "acknowledged",
                "extended",
                "extension requested",  # past the cap, waiting in the supervisors' queue (this week's)
                "responded",
                "escalated",
                "assigned",
                "not-accepted",
                "escalation-refused",
                "withdrawn",
                "closed",
            )
        )


@pytest.mark.parametrize("parallel", [False, True], ids=["one process", "worker processes"])
def test_same_seed_same_demo(tmp_path, parallel):
    """The same seed and day build the same database, row for row in every table, in one process
    and with the cases and residents made in worker processes. Aside: the demo marker's build
    time, and the clock times of today's steps, recorded through the services as the build runs
    (week.py)."""
    a = build_demo(f"sqlite:///{tmp_path / 'a.db'}", 80, today=TODAY, seed=7, parallel=parallel)
    b = build_demo(f"sqlite:///{tmp_path / 'b.db'}", 80, today=TODAY, seed=7, parallel=parallel)
    assert a.statuses == b.statuses

    def rows(name):
        con = sqlite3.connect(tmp_path / name)
        try:
            tables = [
                t
                for (t,) in con.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%search%' ORDER BY name"
                )
            ]
            today = f"{TODAY.isoformat()} "

            def masked(row):
                return tuple("today" if isinstance(v, str) and v.startswith(today) else v for v in row)

            found = {t: [masked(r) for r in con.execute(f'SELECT * FROM "{t}" ORDER BY 1')] for t in tables}
            found["setting"] = con.execute("SELECT key, value FROM setting WHERE key <> 'demo' ORDER BY 1").fetchall()
            return found
        finally:
            con.close()

    first, second = rows("a.db"), rows("b.db")
    assert first["complaint_case"] and first["resident"] and first["audit_event"]
    assert first == second


def test_rebuild_replaces_a_demo_but_never_real_data(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    build_demo(url, 30, today=TODAY)
    build_demo(url, 40, today=TODAY)  # a demo is rebuilt in place
    con = sqlite3.connect(tmp_path / "demo.db")
    assert con.execute("SELECT count(*) FROM complaint_case").fetchone()[0] == 40
    con.execute("DELETE FROM setting WHERE key = 'demo'")  # now it looks like someone's real database
    con.commit()
    con.close()
    with pytest.raises(NotADemoDatabase):
        build_demo(url, 30, today=TODAY)
    con = sqlite3.connect(tmp_path / "demo.db")
    assert con.execute("SELECT count(*) FROM complaint_case").fetchone()[0] == 40
    con.close()
    assert not list(tmp_path.glob("*.building*"))


def test_demo_on_each_backend_takes_new_cases_after_it(db_url):
    """The demo builds on PostgreSQL as on SQLite, and the services carry on numbering after it."""
    from caseworker.store import services

    summary = build_demo(db_url, 120, today=TODAY)
    engine = open_store(db_url)
    try:
        store = Store(engine, Settings(database_url=db_url, config_path=Path("x")), Clock.at(TODAY))
        with Session(engine) as s:
            assert len(s.exec(select(Case.id)).all()) == 120
            assert s.get(Setting, "demo") is not None
            resident = s.exec(select(Resident.id)).first()
        ref = services.log_case(
            store,
            "aokafor",
            resident,
            NewCase(
                case_type=CaseType.COMPLAINT,
                received=TODAY,
                channel="email",
                service_area="Repairs",
                category="Leak",
                summary="A new leak",
            ),
        )
        assert ref.id == 121
        services.add_resident(store, "aokafor", "New Person")
    finally:
        engine.dispose()
    assert summary.statuses


def _schema(url: str) -> list[tuple]:
    """What the migrations make besides the tables' columns: indexes, triggers (and whether they
    are enabled), foreign keys and the search tables, as the database itself lists them."""
    engine = open_store(url)
    try:
        with engine.connect() as c:
            if c.dialect.name == "sqlite":
                return [tuple(r) for r in c.exec_driver_sql("SELECT type, name, sql FROM sqlite_master ORDER BY 1, 2")]
            return [
                *(
                    ("index", *r)
                    for r in c.exec_driver_sql(
                        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"
                    )
                ),
                *(
                    ("constraint", *r)
                    for r in c.exec_driver_sql(
                        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                        "WHERE connamespace = current_schema()::regnamespace ORDER BY 1, 2"
                    )
                ),
                *(
                    ("trigger", *r)
                    for r in c.exec_driver_sql(
                        "SELECT tgrelid::regclass::text, tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2"
                    )
                ),
            ]
    finally:
        engine.dispose()


def test_the_demo_has_every_index_trigger_and_foreign_key_the_migrations_make(db_url):
    """The builder sets indexes, guards and foreign keys aside while its rows go in: afterwards the
    database has exactly what migrating an empty one makes, every row's foreign keys hold, and a
    case logged after the build is found by search and refused a repeated reference."""
    from caseworker.store import services
    from caseworker.store.queries.inbox import InboxFilter, inbox_page

    migrated = _schema(db_url)
    assert any(row[0] == "trigger" for row in migrated)
    build_demo(db_url, 60, today=TODAY, parallel=True)  # as a large demo is built: cases played in worker processes
    assert _schema(db_url) == migrated
    engine = open_store(db_url)
    try:
        with engine.connect() as c:
            if c.dialect.name == "sqlite":
                assert c.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                assert c.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            else:
                assert (
                    c.exec_driver_sql(
                        "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"
                    ).scalar()
                    == 0
                )
                # handed over vacuumed and analyzed (which pages a VACUUM may mark all-visible depends on
                # other sessions on the shared server, so only that it ran is checked here)
                for table in ("complaint_case", "audit_event", "resident", "stage"):
                    analyzed, vacuumed = c.exec_driver_sql(
                        f"SELECT last_analyze, last_vacuum FROM pg_stat_user_tables WHERE relname = '{table}'"
                    ).one()
                    assert analyzed is not None and vacuumed is not None, table
            resident = c.exec_driver_sql("SELECT min(id) FROM resident").scalar()
        store = Store(engine, Settings(database_url=db_url, config_path=Path("x")), Clock.at(TODAY))
        ref = services.log_case(
            store,
            "aokafor",
            resident,
            NewCase(
                case_type=CaseType.COMPLAINT,
                received=TODAY,
                channel="email",
                service_area="Repairs",
                category="Leak",
                summary="Zyxwv drip under the kitchen sink",
            ),
        )
        page = inbox_page(store, InboxFilter(search="Zyxwv", include_closed=True))
        assert [row.reference for row in page.rows] == [ref.reference]
        # every open case is found by its resident's name among the open cases (PostgreSQL: through
        # open_case_name, migration 0013g, which the builder fills as its triggers were set aside)
        with engine.connect() as c:
            open_cases = c.exec_driver_sql(
                "SELECT c.id, r.name FROM complaint_case c JOIN resident r ON r.id = c.resident_id WHERE NOT c.closed"
            ).all()
        assert open_cases
        for case_id, name in open_cases:
            assert case_id in {row.case_id for row in inbox_page(store, InboxFilter(search=name), limit=1000).rows}
    finally:
        engine.dispose()


def test_demo_command_uses_its_own_database(tmp_path, monkeypatch, capsys):
    real = tmp_path / "real.db"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", f"sqlite:///{real}")
    monkeypatch.setenv("CASEWORKER_TODAY", TODAY.isoformat())
    assert main(["demo", "--no-app", "--cases", "60"]) == 0
    out = capsys.readouterr().out
    demo_db = tmp_path / "data" / "caseworker" / "demo.db"
    assert "Building the demo database (60 cases)..." in out
    assert str(demo_db) in out
    assert demo_db.is_file() and not real.exists()
    con = sqlite3.connect(demo_db)
    assert con.execute("SELECT count(*) FROM complaint_case").fetchone()[0] == 60
    con.close()
    # Opening it again keeps the demo as it is (training changes survive) unless asked to rebuild.
    before = demo_db.stat().st_mtime_ns
    assert main(["demo", "--no-app"]) == 0
    out = capsys.readouterr().out
    assert "Building" not in out and str(demo_db) in out
    assert demo_db.stat().st_mtime_ns == before
    assert main(["demo", "--no-app", "--rebuild"]) == 0
    assert "Building the demo database (200 cases)..." in capsys.readouterr().out
    con = sqlite3.connect(demo_db)
    assert con.execute("SELECT count(*) FROM complaint_case").fetchone()[0] == 200
    con.close()
    assert not real.exists()
    assert main(["demo", "--no-app", "--cases", "0"]) == 2
    assert "--cases" in capsys.readouterr().err


def test_the_demo_week_has_requests_updates_documents_and_closed_service_requests(demo):
    from caseworker.store.models import Document, DocumentWithdrawal, ExtensionRequest, ServiceRequest

    _, engine = demo
    cases = {c.id: c for c in _all(engine, Case)}
    officers = {o.id: o for o in _all(engine, Officer)}
    pending = [r for r in _all(engine, ExtensionRequest) if r.state == "pending"]
    assert len(pending) == 2  # in the supervisors' queue (F10)
    for r in pending:
        case = cases[r.case_id]
        assert case.status == "open" and case.next_due >= TODAY
        assert r.working_days > 10 and r.good_reason  # past the Stage 1 cap of 10, with the good reason
        assert officers[case.officer_id].login == r.requested_by and officers[case.officer_id].role == "officer"
    (interval,) = _all(engine, UpdateInterval)
    case = cases[interval.case_id]
    # agreed Fri 19 Dec 2025 every 2 working days: Mon 22 (1), Tue 23 Dec (2)
    assert (case.next_due_kind, case.next_due) == ("update", date(2025, 12, 23))
    docs = _all(engine, Document)
    assert len(docs) == 4 and {d.case_id for d in docs} <= set(cases)
    (withdrawn,) = _all(engine, DocumentWithdrawal)
    assert "wrong case" in withdrawn.reason
    requests = _all(engine, ServiceRequest)
    closed = [r for r in requests if r.status == "closed"]
    assert closed and all(r.closed_on and r.closed_on <= TODAY and r.outcome for r in closed)
    assert any(r.status == "open" for r in requests)
    assert all(": reported by the resident" not in r.description for r in requests)


def test_the_demo_wording_fits_each_cases_service_area(demo):
    _, engine = demo
    cases = {c.id: c for c in _all(engine, Case)}
    refused = [x for x in _all(engine, Exclusion) if x.ground == "legal-proceedings"]
    assert refused
    for x in refused:
        area = cases[x.case_id].service_area
        assert ("disrepair" in x.reasons) == (area in ("Repairs", "Damp and mould")), (area, x.reasons)
    from caseworker.store.models import Correspondence

    for c in _all(engine, Correspondence):
        if c.kind == "note" and cases[c.case_id].service_area not in ("Repairs", "Damp and mould"):
            assert "contractor" not in c.body and "repairs history" not in c.body, c.body


def test_demo_members_have_an_office_address_so_their_letters_can_go(demo):
    _, engine = demo
    members = [r for r in _all(engine, Representative) if r.relationship in ("MP", "councillor")]
    assert members
    for r in members:
        lines = r.address.splitlines()
        assert len(lines) >= 3 and lines[-1].replace(" ", "").isalnum(), r.address  # ends with a postcode


def test_a_workers_window_stores_what_a_direct_insert_stores():
    """A worker process hands its rows over as a serialized in-memory database (writer.py), binding
    dates and datetimes through sqlite3 adapters and writing left-out columns' defaults as
    literals: every value, and its SQLite type, is what ``bulk.stored_tuples`` makes for a
    direct insert (ISO dates, UTC datetimes with microseconds, booleans as 0/1, model defaults)."""
    from datetime import UTC, datetime, timezone

    from caseworker.store import models as m
    from caseworker.store.bulk import stored_tuples
    from caseworker.store.demo.writer import TABLES, _part_tuples, register_part_adapters, serialized_batch

    bst = timezone(timedelta(hours=1))
    rows = {model.__table__.name: [] for model in TABLES}
    rows["stage"] = [  # as the builder writes them: no promised_due, promised_ext_days or promised_in
        {
            "id": i,
            "case_id": 7,
            "number": i,
            "officer_id": None if i == 2 else 3,
            "requested": date(2025, 3, i),
            "request_reason": "It's still leaking",
            "acknowledged": date(2025, 3, 10 + i),
            "responded": None,
            "ack_due": date(2025, 3, 12),
            "response_due": date(2025, 4, 2),
            "issues": "",
            "outcomes": "",
            "responsible": "",
            "not_responsible": "",
            "decision": "upheld",
            "reasons": "",
            "no_remedy": i == 1,
            "no_actions": False,
            "policy_key": "",
        }
        for i in (1, 2)
    ]
    rows["audit_event"] = [
        {
            "id": 1,
            "at": datetime(2025, 3, 4, 9, 30, tzinfo=UTC),
            "actor": "aokafor",
            "case_id": 7,
            "action": "logged",
            "detail": "x",
            "before": "",
            "after": "",
        },
        {
            "id": 2,
            "at": datetime(2025, 6, 4, 10, 15, 5, 120, tzinfo=bst),  # stored as UTC: 09:15:05.000120
            "actor": "aokafor",
            "case_id": None,
            "action": "note added",
            "detail": "",
            "before": "",
            "after": "",
        },
    ]
    saved = dict(sqlite3.adapters)  # the adapters are the module's (a worker registers them): put back after
    try:
        register_part_adapters()
        data = serialized_batch({name: [dict(r) for r in batch] for name, batch in rows.items()})
    finally:
        sqlite3.adapters.clear()
        sqlite3.adapters.update(saved)
    con = sqlite3.connect(":memory:")
    try:
        con.deserialize(data)
        for model in (m.Stage, m.AuditEvent):
            table = model.__table__
            names, expected = stored_tuples("sqlite", table, [dict(r) for r in rows[table.name]])
            columns = ", ".join(f'"{n}"' for n in names)
            found = con.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY id').fetchall()
            types = con.execute(
                f'SELECT {", ".join(f"typeof({c})" for c in columns.split(", "))} FROM "{table.name}" ORDER BY id'
            ).fetchall()
            assert found == expected, table.name
            kinds = {bool: "integer", int: "integer", str: "text", type(None): "null"}
            assert types == [tuple(kinds[type(v)] for v in row) for row in expected], table.name
        assert con.execute('SELECT "at" FROM audit_event ORDER BY id').fetchall() == [
            ("2025-03-04 09:30:00.000000",),
            ("2025-06-04 09:15:05.000120",),
        ]
        assert con.execute(
            "SELECT promised_due, promised_ext_days, promised_in, no_remedy FROM stage ORDER BY id"
        ).fetchall() == [
            (None, 0, "", 1),
            (None, 0, "", 0),
        ]
    finally:
        con.close()
    names, _values, _tuples = _part_tuples(m.Stage.__table__, [dict(r) for r in rows["stage"]])
    assert set(names) == {c.name for c in m.Stage.__table__.columns}
