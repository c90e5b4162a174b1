"""Issue 11: record what really happened, and judge each stage as the Housing Ombudsman does.

Every expected date is worked out by hand from the Code and the England and Wales bank
holidays (gov.uk): 2024 has the Early May bank holiday on Mon 6 May, the Spring bank holiday
on Mon 27 May, Good Friday 29 Mar and Easter Monday 1 Apr. "N WD after D" never counts D.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from caseworker.cli import main
from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.facts import CaseType, Decision, Definition, Role
from caseworker.rules.lifecycle import NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.models import AuditEvent, Case, Stage
from caseworker.store.queries.record import case_record, record_json

DEFINITION = Definition(issues="damp in the bedroom", outcomes="the damp treated", responsible="repairs")


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A SQLite file and a configuration file for the command line; today Mon 1 Jul 2024."""
    path = tmp_path / "caseworker.db"
    config = tmp_path / "config.toml"
    config.write_text('region = "england-and-wales"\n', encoding="utf-8")
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("CASEWORKER_CONFIG", str(config))
    monkeypatch.setenv("CASEWORKER_TODAY", "2024-07-01")
    return path


# -- Done when, line 1: through the real import and `caseworker case --json` ------------------


def test_a_tracker_row_with_a_response_and_no_acknowledgement_imports_and_is_judged_as_the_ombudsman_does(
    cli_db: Path, tmp_path: Path, capsys
):
    tracker = tmp_path / "tracker.csv"
    tracker.write_text(
        "Reference,Resident,Received,Acknowledged,Stage 1 Response,Outcome,Stage 1 Officer\n"
        "HOS-1,Ada Okafor,2024-04-25,,2024-06-13,upheld,Jo Smith\n",
        encoding="utf-8",
    )
    status, out, err = run_cli(capsys, "import", str(tracker), "--create-officers")
    assert status == 0, err
    status, out, err = run_cli(capsys, "case", "HOS-1", "--json")
    assert status == 0, err
    record = json.loads(out)
    assert record["reference"] == "HOS-1"
    # typed in lower case, as the inbox's search takes it: the same case
    assert json.loads(run_cli(capsys, "case", " hos-1 ", "--json")[1]) == record
    stage1 = record["stages"][0]
    assert stage1["number"] == 1
    # Received Thu 25 Apr 2024: acknowledgement due 5 WD later, Thu 2 May (26, 29, 30 Apr, 1, 2 May).
    # Never made, and the date has passed: within false.
    assert {k: stage1["acknowledgement"][k] for k in ("due", "done", "within")} == {
        "due": "2024-05-02",
        "done": None,
        "within": False,
    }
    # The response is due 10 WD after the date the acknowledgement was due (it never came):
    # 3 May, (Mon 6 May bank holiday), 7, 8, 9, 10, 13, 14, 15, 16, 17 May. Answered 13 Jun: late.
    assert {k: stage1["response"][k] for k in ("due", "done", "within")} == {
        "due": "2024-05-17",
        "done": "2024-06-13",
        "within": False,
    }
    assert "no acknowledgement is recorded" in stage1["response"]["explanation"]
    assert any(
        "acknowledgement missed" in b and "6.2" in b for b in stage1["breaches"]
    )  # responded, never acknowledged


def test_case_with_a_bad_reference_is_one_line_and_exit_2(cli_db: Path, capsys):
    assert run_cli(capsys, "due")[0] == 0  # the database set up first (that says so on its own line)
    status, out, err = run_cli(capsys, "case", "NO-SUCH")
    assert status == 2
    assert out == ""
    assert err.strip().splitlines() == ["caseworker: REF: no case with reference 'NO-SUCH'"]


# -- Done when, line 2: a closure day added, `caseworker due` without the app ----------------


def test_after_a_closure_day_is_added_due_shows_the_moved_date_and_the_timeline_says_why(
    cli_db: Path, tmp_path: Path, capsys
):
    tracker = tmp_path / "tracker.csv"
    # Received Fri 28 Jun 2024, not acknowledged: acknowledgement due Fri 5 Jul (1, 2, 3, 4, 5 Jul).
    tracker.write_text(
        "Reference,Resident,Received,Stage 1 Officer\nCL-1,Ben Ade,2024-06-28,Jo Smith\n", encoding="utf-8"
    )
    assert run_cli(capsys, "import", str(tracker), "--create-officers")[0] == 0
    status, out, _ = run_cli(capsys, "due")
    assert status == 0 and "CL-1" in out and "2024-07-05" in out

    config = Path(str(cli_db.parent / "config.toml"))
    config.write_text(
        'region = "england-and-wales"\nclosure_days = [{ date = "2024-07-04", name = "Staff training day" }]\n',
        encoding="utf-8",
    )
    status, out, err = run_cli(capsys, "due")
    # Thu 4 Jul no longer counts: 1, 2, 3, 5, 8 Jul.
    assert status == 0
    line = next(x for x in out.splitlines() if x.startswith("CL-1"))
    assert "2024-07-08" in line and "2024-07-05" not in line
    assert "closure day added: Thu 4 Jul 2024 (Staff training day)" in err and "1 due date moved" in err

    status, out, _ = run_cli(capsys, "case", "CL-1", "--json")
    assert json.loads(out)["stages"][0]["acknowledgement"]["due"] == "2024-07-08"
    engine = sa.create_engine(f"sqlite:///{cli_db}")
    with engine.connect() as conn:
        notes = (
            conn.execute(
                sa.select(AuditEvent.detail)
                .join(Case, Case.id == AuditEvent.case_id)
                .where(Case.reference == "CL-1", AuditEvent.action == "due date moved")
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert notes == [
        "due date moved from Fri 5 Jul 2024 to Mon 8 Jul 2024 because "
        "closure day added: Thu 4 Jul 2024 (Staff training day)"
    ]
    # Run again: nothing changed, nothing recomputed, nothing said.
    status, out, err = run_cli(capsys, "due")
    assert status == 0 and err == ""


def test_deadline_uses_the_configured_closure_days_and_says_so(cli_db: Path, capsys):
    config = cli_db.parent / "config.toml"
    config.write_text('region = "england-and-wales"\nclosure_days = ["2024-07-04"]\n', encoding="utf-8")
    status, out, _ = run_cli(capsys, "deadline", "2024-07-01", "3", "--explain")
    assert status == 0
    assert out.splitlines()[0] == "2024-07-05"  # 2, 3, (4 closed), 5 Jul
    assert "closure" in out
    # With --region given, the configured closure days still apply, and --explain says so.
    status, out, _ = run_cli(capsys, "deadline", "2024-07-01", "3", "--region", "scotland", "--explain")
    assert out.splitlines()[0] == "2024-07-05"
    assert "closure days from the configuration" in out


# -- through the services: the Ombudsman's examples, both sides of each boundary ---------------


@pytest.fixture
def store(engine, db_url) -> Store:
    store = Store(engine, Settings(database_url=db_url, config_path=Path("unused.toml")), Clock.at(date(2024, 8, 6)))
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Able", Role.OFFICER)
    sv.add_officer(store, "admin", "bob", "Bob Baker", Role.OFFICER)
    return store


def _case(store: Store, received: date, **kw) -> sv.CaseRef:
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="1 Station Road")
    new = NewCase(CaseType.COMPLAINT, received, "phone", "Repairs", "Damp and mould", "Mould in the bedroom", **kw)
    return sv.log_case(store, "alice", resident, new)


def _respond(store: Store, ref: sv.CaseRef, on: date) -> sv.CaseRef:
    return sv.respond(
        store,
        "alice" if ref else "bob",
        ref.id,
        None,
        on,
        Decision.UPHELD,
        "the reasons",
        no_remedy=True,
        no_actions=True,
    )


def _stage2(store: Store, acknowledged: date, responded: date) -> dict:
    # Stage 1: received Wed 1 May 2024, acknowledged Thu 2 May, answered Tue 28 May.
    ref = _case(store, date(2024, 5, 1))
    sv.acknowledge(store, "alice", ref.id, None, date(2024, 5, 2), DEFINITION)
    _respond(store, ref, date(2024, 5, 28))
    # The resident asked to escalate on Wed 29 May 2024.
    sv.request_stage2(store, "admin", ref.id, None, date(2024, 5, 29), officer_login="bob")
    sv.acknowledge(store, "bob", ref.id, None, acknowledged, DEFINITION)
    sv.respond(store, "bob", ref.id, None, responded, Decision.NOT_UPHELD, "r", no_remedy=True, no_actions=True)
    return record_json(case_record(store, ref.reference))["stages"][1]


def test_a_late_stage2_acknowledgement_buys_no_time(store):
    # Requested Wed 29 May 2024: acknowledgement due Wed 5 Jun (30, 31 May, 3, 4, 5 Jun). The
    # response is due 20 WD after Wed 5 Jun: 6-7 Jun (2), 10-14 (7), 17-21 (12), 24-28 (17),
    # 1, 2, 3 Jul (20) = Wed 3 Jul 2024, not 20 WD after the acknowledgement of Fri 26 Jul.
    stage2 = _stage2(store, date(2024, 7, 26), date(2024, 8, 5))
    assert stage2["acknowledgement"]["due"] == "2024-06-05" and stage2["acknowledgement"]["within"] is False
    assert stage2["response"]["due"] == "2024-07-03" and stage2["response"]["within"] is False
    assert "which is earlier than the late acknowledgement on Fri 26 Jul 2024" in stage2["response"]["explanation"]


@pytest.mark.parametrize(("responded", "within"), [(date(2024, 7, 3), True), (date(2024, 7, 4), False)])
def test_a_day_late_acknowledgement_both_sides_of_the_response_deadline(store, responded, within):
    # Acknowledged Thu 6 Jun, a day late: the clock still runs from Wed 5 Jun, so the response
    # is due Wed 3 Jul (from the acknowledgement itself it would have been Thu 4 Jul).
    stage2 = _stage2(store, date(2024, 6, 6), responded)
    assert stage2["response"]["due"] == "2024-07-03"
    assert stage2["response"]["within"] is within


def test_an_acknowledgement_on_its_due_date_runs_the_clock_from_the_acknowledgement(store):
    # Acknowledged Tue 4 Jun, before its due date: 20 WD after Tue 4 Jun = Tue 2 Jul 2024.
    stage2 = _stage2(store, date(2024, 6, 4), date(2024, 7, 2))
    assert (stage2["response"]["due"], stage2["response"]["within"]) == ("2024-07-02", True)


# -- received apart from logged; the 2022 Code for complaints before 1 April 2024 ---------------


def test_received_is_kept_apart_from_logged_and_every_clock_runs_from_received(store):
    # First told to a housing officer on Mon 3 Jun 2024, logged on Mon 10 Jun.
    ref = _case(store, date(2024, 6, 3), logged=date(2024, 6, 10))
    rec = record_json(case_record(store, ref.reference))
    assert (rec["received"], rec["logged"]) == ("2024-06-03", "2024-06-10")
    assert rec["stages"][0]["acknowledgement"]["due"] == "2024-06-10"  # 4, 5, 6, 7, 10 Jun
    with pytest.raises(sv.DomainError) as exc:
        _case(store, date(2024, 6, 10), logged=date(2024, 6, 3))
    assert exc.value.refusal.field == "logged" and exc.value.code_ref == "3.2"


@pytest.mark.parametrize(("received", "key"), [(date(2024, 3, 28), "hoc-2022"), (date(2024, 4, 2), "hoc-2024")])
def test_the_profile_is_chosen_by_received_date(store, received, key):
    ref = _case(store, received)
    with store.session() as session:
        assert session.get(Case, ref.id).policy_key == key


def test_a_2022_code_stage2_runs_from_the_request_and_a_straddling_stage2_uses_the_2024_code(store):
    # Received Mon 4 Mar 2024 (2022 Code): acknowledged Wed 6 Mar, answered Mon 18 Mar.
    ref = _case(store, date(2024, 3, 4))
    sv.acknowledge(store, "alice", ref.id, None, date(2024, 3, 6), DEFINITION)
    _respond(store, ref, date(2024, 3, 18))
    rec = record_json(case_record(store, ref.reference))
    # 2022 Code 5.1: 10 WD after the acknowledgement of Wed 6 Mar = Wed 20 Mar.
    assert rec["policy"] == "hoc-2022" and rec["stages"][0]["response"]["due"] == "2024-03-20"
    # Escalation requested Tue 2 Apr 2024, after the 2024 Code came into force: Stage 2 is
    # worked under it. Acknowledgement due Tue 9 Apr (3, 4, 5, 8, 9 Apr); not acknowledged,
    # so the response is due 20 WD after Tue 9 Apr = Wed 8 May (Mon 6 May skipped).
    sv.request_stage2(store, "admin", ref.id, None, date(2024, 4, 2), officer_login="bob")
    with store.session() as session:
        assert (
            session.exec(sa.select(Stage.policy_key).where(Stage.case_id == ref.id, Stage.number == 2)).scalar()
            == "hoc-2024"
        )
    stage2 = record_json(case_record(store, ref.reference))["stages"][1]
    assert stage2["policy"] == "hoc-2024"
    assert (stage2["acknowledgement"]["due"], stage2["response"]["due"]) == ("2024-04-09", "2024-05-08")


def test_a_stage2_requested_before_april_2024_stays_on_the_2022_code(store):
    ref = _case(store, date(2024, 3, 4))
    sv.acknowledge(store, "alice", ref.id, None, date(2024, 3, 6), DEFINITION)
    _respond(store, ref, date(2024, 3, 18))
    # Requested Tue 19 Mar 2024: 2022 Code 5.13, 20 WD after the request: 20-22 Mar (3),
    # 25-28 Mar (7), Good Friday and Easter Monday skipped, 2-5 Apr (11), 8-12 (16), 15-18 Apr (20).
    sv.request_stage2(store, "admin", ref.id, None, date(2024, 3, 19), officer_login="bob")
    stage2 = record_json(case_record(store, ref.reference))["stages"][1]
    assert stage2["policy"] == "hoc-2022" and stage2["response"]["due"] == "2024-04-18"


def test_the_2022_profile_can_be_turned_off(engine, db_url):
    settings = Settings(database_url=db_url, config_path=Path("unused.toml"), policy_by_received_date=False)
    store = Store(engine, settings, Clock.at(date(2024, 8, 6)))
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Able", Role.OFFICER)
    ref = _case(store, date(2024, 3, 28))
    with store.session() as session:
        assert session.get(Case, ref.id).policy_key == "hoc-2024"


# -- a date promised in an issued letter stays the deadline -------------------------------------


def test_a_date_promised_in_an_acknowledgement_letter_never_moves_with_the_calendar(engine, db_url, store):
    # Received Mon 1 Jul 2024, acknowledged Tue 2 Jul: the response is due 10 WD later, Tue 16 Jul.
    ref = _case(store, date(2024, 7, 1))
    sv.acknowledge(store, "alice", ref.id, None, date(2024, 7, 2), DEFINITION)
    sv.issue_letter(store, "alice", ref.id, "acknowledgement", "Your complaint", "We will reply by 16 July 2024.")
    # Still open on Mon 8 Jul; a closure day is then added on Fri 12 Jul.
    settings = Settings(
        database_url=db_url, config_path=Path("unused.toml"), closure_days={date(2024, 7, 12): "office move"}
    )
    later = Store(engine, settings, Clock.at(date(2024, 7, 8)))
    done = sv.ensure_due_dates_current(later)
    assert done is not None and done.moved == ()  # the promise stands: nothing moved
    response = record_json(case_record(later, ref.reference))["stages"][0]["response"]
    # The Code's date would now be Wed 17 Jul; the deadline stays the promised Tue 16 Jul.
    assert (response["due"], response["promised"], response["code_due"]) == ("2024-07-16", "2024-07-16", "2024-07-17")
    with later.session() as session:
        assert session.get(Case, ref.id).next_due == date(2024, 7, 16)
    # An extension told in time replaces the promise with the extended Code date: 17 Jul + 5 WD = Wed 24 Jul.
    sv.extend(later, "alice", ref.id, None, sv_extension(5, date(2024, 7, 8)))
    response = record_json(case_record(later, ref.reference))["stages"][0]["response"]
    assert (response["due"], response.get("promised")) == ("2024-07-24", None)


def sv_extension(days: int, told: date):
    from caseworker.rules.facts import Extension

    return Extension(days, "waiting for a damp survey", told)


def test_chasers_are_dated_correspondence(store):
    ref = _case(store, date(2024, 7, 1))
    sv.add_correspondence(
        store,
        "alice",
        ref.id,
        "chaser",
        "Resident phoned: any news?",
        direction="in",
        subject="Chaser",
        dated=date(2024, 7, 15),
    )
    rec = record_json(case_record(store, ref.reference))
    assert {"date": "2024-07-15", "kind": "chaser", "direction": "in", "subject": "Chaser", "letter": ""} in rec[
        "correspondence"
    ]
    with pytest.raises(sv.DomainError) as exc:
        sv.add_correspondence(store, "alice", ref.id, "chaser", "x", dated=date(2024, 6, 30))
    assert exc.value.refusal.field == "dated"


# -- corrections --------------------------------------------------------------------------------


def _events(store: Store, case_id: int, action: str) -> list[str]:
    with store.session() as session:
        return list(
            session.exec(
                sa.select(AuditEvent.detail).where(AuditEvent.case_id == case_id, AuditEvent.action == action)
            ).scalars()
        )


def test_correcting_the_date_received_moves_the_due_dates_and_keeps_old_and_new_on_the_timeline(store):
    # Logged as received Mon 1 Jul 2024 (acknowledgement due Mon 8 Jul); the resident had in fact
    # told a housing officer on Wed 26 Jun: acknowledgement due Wed 3 Jul (27, 28 Jun, 1, 2, 3 Jul).
    ref = _case(store, date(2024, 7, 1))
    with pytest.raises(sv.DomainError) as exc:
        sv.correct_case(store, "alice", ref.id, None, {"received": date(2024, 6, 26)}, "  ")
    assert exc.value.refusal.field == "reason"
    sv.correct_case(
        store,
        "alice",
        ref.id,
        None,
        {"received": date(2024, 6, 26), "logged": date(2024, 7, 1)},
        "first told to the housing officer on 26 June",
    )
    with store.session() as session:
        case = session.get(Case, ref.id)
        assert (case.received, case.logged, case.next_due) == (date(2024, 6, 26), date(2024, 7, 1), date(2024, 7, 3))
    (note,) = _events(store, ref.id, "corrected")
    assert "date received corrected from Mon 1 Jul 2024 to Wed 26 Jun 2024" in note
    assert "Reason: first told to the housing officer on 26 June" in note
    assert "Due date moved from Mon 8 Jul 2024 to Wed 3 Jul 2024" in note


def test_a_correction_that_changes_nothing_or_breaks_the_dates_is_refused(store):
    ref = _case(store, date(2024, 7, 1))
    sv.acknowledge(store, "alice", ref.id, None, date(2024, 7, 2), DEFINITION)
    with pytest.raises(sv.DomainError) as exc:
        sv.correct_case(store, "alice", ref.id, None, {"service_area": "Repairs"}, "typo")
    assert "nothing to correct" in exc.value.message
    with pytest.raises(sv.DomainError) as exc:
        sv.correct_case(store, "alice", ref.id, None, {"received": date(2024, 7, 3)}, "typo")
    assert exc.value.refusal.field == "received" and "acknowledgement" in exc.value.message


def test_correcting_a_residents_details_goes_on_each_of_their_cases_and_leaves_issued_letters_alone(store):
    ref = _case(store, date(2024, 7, 1))
    sv.issue_letter(store, "alice", ref.id, "acknowledgement", "Your complaint", "Dear Mrs Jane Smith")
    with store.session() as session:
        resident_id = session.get(Case, ref.id).resident_id
    assert (
        sv.correct_person(
            store, "alice", {"name": "Mrs Jane Smyth"}, "spelling confirmed by the resident", resident_id=resident_id
        )
        == 1
    )
    (note,) = _events(store, ref.id, "corrected")
    assert "name corrected from Mrs Jane Smith to Mrs Jane Smyth" in note
    rec = case_record(store, ref.reference)
    assert rec.resident == "Mrs Jane Smyth"
    from caseworker.store.models import Correspondence

    with store.session() as session:
        assert (
            session.exec(sa.select(Correspondence.body).where(Correspondence.case_id == ref.id)).scalar()
            == "Dear Mrs Jane Smith"
        )


def test_a_split_issue_is_filed_where_the_officer_says_and_goes_to_the_cases_officer(store):
    # A damp-and-mould case handled by alice; a supervisor records an unrelated new issue.
    ref = _case(store, date(2024, 7, 1))
    out = sv.add_related_issue(
        store,
        "admin",
        ref.id,
        None,
        "Noise from the flat upstairs",
        related=False,
        raised_on=date(2024, 7, 3),
        service_area="Anti-social behaviour",
        category="Noise",
    )
    assert out.added_to_case is False
    with store.session() as session:
        new = session.get(Case, out.case.id)
        from caseworker.store.models import Officer

        owner = session.get(Officer, new.officer_id).login
    assert (new.service_area, new.category, owner) == ("Anti-social behaviour", "Noise", "alice")


def test_the_bulk_recompute_keeps_an_ombudsman_order_as_the_next_deadline(engine, db_url, store):
    # Answered at Stage 1 on Fri 5 Jul 2024 (no live Code deadline); an Ombudsman order is due
    # Mon 30 Sep 2024, so the case stays in the inbox with that date, before and after a recompute.
    ref = _case(store, date(2024, 7, 1))
    sv.acknowledge(store, "alice", ref.id, None, date(2024, 7, 2), DEFINITION)
    _respond(store, ref, date(2024, 7, 5))
    om = sv.record_ombudsman_case(
        store, "admin", ref.id, "202400001", date(2024, 7, 20), determined_on=date(2024, 8, 1)
    )
    sv.add_order(store, "admin", om, "order", "pay £200 and apologise", date(2024, 9, 30))
    with store.session() as session:
        assert session.get(Case, ref.id).next_due == date(2024, 9, 30)
    settings = Settings(database_url=db_url, config_path=Path("unused.toml"), closure_days={date(2024, 9, 2): "move"})
    done = sv.ensure_due_dates_current(Store(engine, settings, Clock.at(date(2024, 8, 6))))
    assert done is not None and done.moved == ()
    with store.session() as session:
        case = session.get(Case, ref.id)
        assert (case.next_due, case.next_due_kind, case.closed) == (date(2024, 9, 30), "ombudsman order", False)


def test_a_bank_holiday_added_to_the_holidays_data_is_noticed_and_named(store):
    # The stored inputs are made to look as if the data had lacked the Summer bank holiday of
    # Mon 26 Aug 2024 (as the 2022 State Funeral was missing until announced): the next check
    # recomputes and says why.
    import json as _json

    from caseworker.store.models import Setting
    from caseworker.store.services.due_dates import SETTING_KEY, due_inputs

    _case(store, date(2024, 8, 1))
    inputs = due_inputs(store)
    del inputs["holidays"]["2024-08-26"]
    with store.session() as session:
        session.merge(Setting(key=SETTING_KEY, value=_json.dumps(inputs, sort_keys=True)))
    done = sv.ensure_due_dates_current(store)
    assert done is not None and done.why.startswith("bank holiday added: Mon 26 Aug 2024")
    assert sv.ensure_due_dates_current(store) is None  # recorded: nothing more to do
