"""The annual report over a fixture built through the services, with every answer worked out
by hand below (not by calling the code under test).

Policy hoc-2024, England and Wales, 2,000 homes. The report is run on Fri 1 May 2026.
Bank holidays that matter: Thu 25 and Fri 26 Dec 2025, Thu 1 Jan 2026, Fri 3 and Mon 6 Apr 2026.

Complaints (S1 = Stage 1; "due" = 10 working days after the acknowledgement, plus extensions):

  A  Repairs / Damp          recv Mon 02 Jun 25, ack Wed 04 Jun (ack due Mon 09 Jun), due Wed 18 Jun,
                             responded Wed 18 Jun (ON the due date: in time), upheld, 10 WD.
                             £150 offered 18 Jun, accepted, paid 25 Jun 2025.
  B  Repairs / Damp          recv Mon 07 Jul 25, ack Mon 07 Jul, due Mon 21 Jul; extended 10 WD on
                             Fri 18 Jul (EXACTLY the cap) to Mon 04 Aug; responded Mon 04 Aug: in time,
                             partly upheld, 20 WD. Apology offered 04 Aug. Action due 20 Aug, done 15 Aug.
  C  Housing Mgmt / ASB      recv Mon 01 Sep 25, ack Tue 02 Sep, due Tue 16 Sep; +10 WD on Mon 15 Sep
                             (within cap) to Tue 30 Sep; +5 WD on Mon 29 Sep by a supervisor with a good
                             reason (total 15: BEYOND the cap of 10) to Tue 07 Oct; responded Mon 06 Oct,
                             before the extended date but OUTSIDE the timescale; not upheld, 24 WD.
                             S2 requested Mon 13 Oct, ack Fri 17 Oct (ack due Mon 20 Oct), due Fri 14 Nov,
                             responded Thu 13 Nov: in time, upheld, 19 WD. Action due 01 Dec 2025, open.
  D  Repairs / Heating       recv Mon 31 MAR 2025 (year 2024-25), ack Tue 01 Apr 25 (ack due Mon 07 Apr),
                             due Tue 15 Apr, responded Wed 16 Apr 25: late, not upheld, 11 WD.
  E  Repairs / Heating       recv Tue 31 MAR 2026 (year 2025-26), ack Wed 01 Apr 26, due Fri 17 Apr
                             (Good Friday and Easter Monday skipped), responded Mon 13 Apr 26 (year
                             2026-27): in time, upheld, 6 WD.
  F  Repairs / Damp          recv Mon 03 Nov 25, ack Wed 05 Nov (ack due Mon 10 Nov), WITHDRAWN 10 Nov.
  G  Estates / Parking       recv Mon 12 Jan 26, not accepted 14 Jan: legal proceedings.
  H  Repairs / Heating       recv Mon 02 Feb 26, ack Mon 02 Feb, due Mon 16 Feb, responded Fri 06 Feb: in
                             time, not upheld, 4 WD. S2 requested Mon 09 Feb 26, refused 10 Feb:
                             previously considered.
  J  Housing Mgmt / ASB      recv Mon 01 Dec 25, ack Tue 09 Dec (ack due Mon 08 Dec: LATE), due Tue 23 Dec,
                             responded Wed 07 Jan 26: late, partly upheld, 18 WD (Christmas and New
                             Year's Day skipped). £50 offered 07 Jan. Action due 30 Apr 2026, open.
  K  Repairs / Damp          recv Mon 02 Mar 26, ack Tue 03 Mar, due Tue 17 Mar, responded Fri 13 Mar:
                             in time, upheld, 8 WD.
  I  MP enquiry              recv Mon 06 Oct 25, ack Tue 07 Oct, due Tue 21 Oct, responded Tue 14 Oct.

Adjustments: agreed 01 Mar 25 review 01 Sep 25 (overdue); agreed 15 Apr 25 review 15 Oct 25, reviewed
10 Oct 25 with next review 10 Apr 26 (not overdue at 31 Mar 26); agreed 10 Jun 25 review 10 Dec 25
(overdue); agreed 01 Feb 26 review 01 Aug 26 (not overdue).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.reporting.build import annual_report
from caseworker.reporting.figures import flatten
from caseworker.reporting.period import Period
from caseworker.reporting.render_html import to_html
from caseworker.reporting.render_text import to_csv, to_markdown
from caseworker.rules.lifecycle import CaseType, Decision, Definition, Extension, Ground, NewCase, Role
from caseworker.store import services as sv
from caseworker.store.context import Store

HOMES = 2000
REPORT_DAY = date(2026, 5, 1)
DEF = Definition("the issues", "the outcomes sought", "what we are responsible for")
FY2025 = Period.financial_year(2025)


def build(engine, url: str) -> dict[str, str]:
    """Build the fixture described in the module docstring; return letter -> case reference."""
    settings = Settings(database_url=url, config_path=Path("unused.toml"), homes=HOMES)
    calendar = settings.calendar()

    def at(day: date) -> Store:
        store = Store(engine, settings, Clock.at(day))
        store.__dict__["calendar"] = calendar  # share one calendar table across the steps
        return store

    start = at(date(2025, 3, 1))
    sv.current_officer(start, "admin")
    sv.add_officer(start, "admin", "alice", "Alice A", Role.OFFICER)
    sv.add_officer(start, "admin", "bob", "Bob B", Role.OFFICER)
    sv.add_officer(start, "admin", "sue", "Sue S", Role.SUPERVISOR)
    r1 = sv.add_resident(start, "alice", "Mrs Jane Smith")
    r2 = sv.add_resident(start, "alice", "Mr Tom Jones")
    refs: dict[str, str] = {}
    ids: dict[str, int] = {}

    def log(letter: str, day: date, area: str, category: str, kind: CaseType = CaseType.COMPLAINT) -> None:
        ref = sv.log_case(at(day), "alice", r1, NewCase(kind, day, "phone", area, category, f"complaint {letter}"))
        refs[letter], ids[letter] = ref.reference, ref.id

    def ack(letter: str, day: date, login: str = "alice") -> None:
        sv.acknowledge(at(day), login, ids[letter], None, day, DEF)

    def respond(letter: str, day: date, decision: Decision, login: str = "alice", **kw) -> None:
        kw.setdefault("no_remedy", True)
        kw.setdefault("no_actions", True)
        sv.respond(at(day), login, ids[letter], None, day, decision, "reasons", **kw)

    # adjustments
    sv.add_adjustment(start, "alice", r1, "large print", date(2025, 9, 1))
    adj = sv.add_adjustment(at(date(2025, 4, 15)), "alice", r2, "interpreter", date(2025, 10, 15))
    sv.record_review(at(date(2025, 10, 10)), "alice", "adjustment", adj, "still needed", date(2026, 4, 10))
    sv.add_adjustment(at(date(2025, 6, 10)), "alice", r1, "extra time", date(2025, 12, 10))
    sv.add_adjustment(at(date(2026, 2, 1)), "alice", r2, "easy read", date(2026, 8, 1))

    # D: received 31 March 2025, answered in April
    log("D", date(2025, 3, 31), "Repairs", "Heating")
    ack("D", date(2025, 4, 1))
    respond("D", date(2025, 4, 16), Decision.NOT_UPHELD)

    # A: responded on the due date
    log("A", date(2025, 6, 2), "Repairs", "Damp")
    ack("A", date(2025, 6, 4))
    remedy = sv.offer_remedy(
        at(date(2025, 6, 18)), "alice", ids["A"], "financial", "compensation", date(2025, 7, 2), amount_pence=15000
    )
    respond("A", date(2025, 6, 18), Decision.UPHELD, no_remedy=False)
    sv.move_remedy(at(date(2025, 6, 20)), "alice", remedy, "accepted")
    sv.move_remedy(at(date(2025, 6, 25)), "alice", remedy, "paid", payment_reference="BACS 4471")

    # B: extension exactly at the cap
    log("B", date(2025, 7, 7), "Repairs", "Damp")
    ack("B", date(2025, 7, 7))
    sv.extend(at(date(2025, 7, 18)), "alice", ids["B"], None, Extension(10, "contractor survey", date(2025, 7, 18)))
    sv.offer_remedy(at(date(2025, 8, 4)), "alice", ids["B"], "apology", "written apology", date(2025, 8, 4))
    action = sv.add_action(at(date(2025, 8, 4)), "alice", ids["B"], "fix the window", "repairs", date(2025, 8, 20))
    respond("B", date(2025, 8, 4), Decision.PARTLY_UPHELD, no_remedy=False, no_actions=False)
    sv.update_action(at(date(2025, 8, 15)), "alice", action, "window fixed", resident_told=True, done=True)

    # C: an extension beyond the cap approved by a supervisor; then Stage 2 in time
    log("C", date(2025, 9, 1), "Housing Management", "Antisocial behaviour")
    ack("C", date(2025, 9, 2))
    sv.extend(at(date(2025, 9, 15)), "alice", ids["C"], None, Extension(10, "witnesses", date(2025, 9, 15)))
    sv.extend(
        at(date(2025, 9, 29)),
        "sue",
        ids["C"],
        None,
        Extension(5, "police report", date(2025, 9, 29), good_reason="awaiting the police report"),
    )
    respond("C", date(2025, 10, 6), Decision.NOT_UPHELD)
    sv.request_stage2(at(date(2025, 10, 13)), "alice", ids["C"], None, date(2025, 10, 13))
    sv.assign(at(date(2025, 10, 13)), "sue", ids["C"], None, "bob")
    ack("C", date(2025, 10, 17), "bob")
    sv.add_action(at(date(2025, 11, 13)), "bob", ids["C"], "repair the fence", "estates", date(2025, 12, 1))
    respond("C", date(2025, 11, 13), Decision.UPHELD, "bob", no_actions=False)

    # I: an MP enquiry, counted apart
    log("I", date(2025, 10, 6), "Repairs", "Damp", CaseType.MP_ENQUIRY)
    ack("I", date(2025, 10, 7))
    respond("I", date(2025, 10, 14), Decision.UPHELD)

    # F: withdrawn
    log("F", date(2025, 11, 3), "Repairs", "Damp")
    ack("F", date(2025, 11, 5))
    sv.withdraw(at(date(2025, 11, 10)), "alice", ids["F"], None, "resident says it is sorted")

    # J: acknowledged late, answered late over Christmas
    log("J", date(2025, 12, 1), "Housing Management", "Antisocial behaviour")
    ack("J", date(2025, 12, 9))
    sv.offer_remedy(
        at(date(2026, 1, 7)), "alice", ids["J"], "financial", "time and trouble", date(2026, 1, 21), amount_pence=5000
    )
    sv.add_action(at(date(2026, 1, 7)), "alice", ids["J"], "review the case file", "alice", date(2026, 4, 30))
    respond("J", date(2026, 1, 7), Decision.PARTLY_UPHELD, no_remedy=False, no_actions=False)

    # G: not accepted
    log("G", date(2026, 1, 12), "Estates", "Parking")
    sv.not_accept(at(date(2026, 1, 14)), "alice", ids["G"], None, Ground.LEGAL_PROCEEDINGS, "claim filed at court")

    # H: answered in time, escalation refused
    log("H", date(2026, 2, 2), "Repairs", "Heating")
    ack("H", date(2026, 2, 2))
    respond("H", date(2026, 2, 6), Decision.NOT_UPHELD)
    sv.request_stage2(at(date(2026, 2, 9)), "alice", ids["H"], None, date(2026, 2, 9))
    sv.refuse_escalation(
        at(date(2026, 2, 10)),
        "sue",
        ids["H"],
        None,
        Ground.PREVIOUSLY_CONSIDERED,
        "considered under the policy last year",
    )

    # K: answered in time
    log("K", date(2026, 3, 2), "Repairs", "Damp")
    ack("K", date(2026, 3, 3))
    respond("K", date(2026, 3, 13), Decision.UPHELD)

    # E: received 31 March 2026, answered in April 2026 (over Easter)
    log("E", date(2026, 3, 31), "Repairs", "Heating")
    ack("E", date(2026, 4, 1))
    respond("E", date(2026, 4, 13), Decision.UPHELD)
    return refs


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('reports') / 'reports.db'}"
    engine = open_store(url)
    refs = build(engine, url)
    settings = Settings(database_url=url, config_path=Path("unused.toml"), homes=HOMES)
    yield Store(engine, settings, Clock.at(REPORT_DAY)), refs
    engine.dispose()


@pytest.fixture(scope="module")
def report(fixture_db):
    store, _ = fixture_db
    return annual_report(store, FY2025)


def refs_of(refs: dict[str, str], letters: str) -> list[str]:
    return sorted(refs[x] for x in letters)


# -- the period ----------------------------------------------------------------------------


def test_financial_year_and_quarters():
    p = Period.financial_year(2025)
    assert (p.start, p.end, p.label) == (date(2025, 4, 1), date(2026, 3, 31), "2025-26")
    assert [(q.label, q.start, q.end) for q in p.quarters()] == [
        ("Q1", date(2025, 4, 1), date(2025, 6, 30)),
        ("Q2", date(2025, 7, 1), date(2025, 9, 30)),
        ("Q3", date(2025, 10, 1), date(2025, 12, 31)),
        ("Q4", date(2026, 1, 1), date(2026, 3, 31)),
    ]
    assert date(2026, 3, 31) in p and date(2026, 4, 1) not in p
    with pytest.raises(ValueError):
        Period(date(2025, 5, 1), date(2025, 4, 1))


# -- CH01 and CH02 -------------------------------------------------------------------------


def test_received_and_ch01(report, fixture_db):
    _, refs = fixture_db
    s1, s2 = report.stages
    # A B C F J G H K E received in the year; D (31 Mar 2025) was the year before; I is an MP enquiry.
    assert s1.received == 9
    assert report.cases_for("stage1_received") == refs_of(refs, "ABCFJGHKE")
    assert s1.ch01 == Decimal("4.50")  # 9 / 2,000 x 1,000
    assert s2.received == 2  # C (13 Oct), H (9 Feb)
    assert report.cases_for("stage2_received") == refs_of(refs, "CH")
    assert s2.ch01 == Decimal("1.00")  # 2 / 2,000 x 1,000
    assert (s1.refused, s1.withdrawn) == (1, 1)  # G not accepted, F withdrawn
    assert report.cases_for("stage1_refused") == refs_of(refs, "G")
    assert report.cases_for("stage1_withdrawn") == refs_of(refs, "F")
    assert (s2.refused, s2.withdrawn) == (1, 0)  # H's escalation refused


def test_ch02_and_the_boundaries(report, fixture_db):
    _, refs = fixture_db
    s1, s2 = report.stages
    # Stage 1 responses in the year: D (16 Apr 25), A, B, C, J, H, K; not E (13 Apr 26) and not F (withdrawn).
    assert s1.responded == 7
    assert report.cases_for("stage1_responded") == refs_of(refs, "DABCJHK")
    # In time: A (on the due date), B (extension exactly at the cap), H, K.
    assert report.cases_for("stage1_within_timescale") == refs_of(refs, "ABHK")
    # Outside: C (extension beyond the cap, even though answered before the extended date), D, J.
    assert report.cases_for("stage1_outside_timescale") == refs_of(refs, "CDJ")
    assert (s1.within_timescale, s1.outside_timescale) == (4, 3)
    assert s1.ch02 == Decimal("57.1")  # 4 / 7 x 100 = 57.142...
    assert (s2.responded, s2.within_timescale, s2.ch02) == (1, 1, Decimal("100.0"))  # C at Stage 2
    assert refs["F"] not in report.cases_for("stage1_responded")  # withdrawn: not in CH02's denominator


def test_received_31_march_counts_in_one_year_and_responded_in_the_next(fixture_db):
    store, refs = fixture_db
    before = annual_report(store, Period.financial_year(2024))
    assert before.cases_for("stage1_received") == [refs["D"]]
    assert before.stage(1).responded == 0 and before.stage(1).ch02 is None
    after = annual_report(store, Period.financial_year(2026))
    assert after.stage(1).received == 0
    assert after.cases_for("stage1_responded") == [refs["E"]]
    assert after.cases_for("stage1_within_timescale") == [refs["E"]]  # due Fri 17 Apr over Easter
    assert after.stage(1).average_days == Decimal("6.0")  # Wed 1 Apr to Mon 13 Apr 2026, Easter skipped


# -- the other figures ---------------------------------------------------------------------


def test_acknowledgements(report, fixture_db):
    _, refs = fixture_db
    s1, s2 = report.stages
    # Acknowledged in the year: D (1 Apr 25), A, B, C, F, J, H, K; E's was 1 Apr 26; G never.
    assert s1.acknowledged == 8
    assert report.cases_for("stage1_acknowledged_late") == [refs["J"]]  # due Mon 8 Dec, done Tue 9 Dec
    assert (s1.acknowledged_in_time, s1.acknowledged_in_time_pct) == (7, Decimal("87.5"))
    assert (s2.acknowledged, s2.acknowledged_in_time, s2.acknowledged_in_time_pct) == (1, 1, Decimal("100.0"))


def test_extensions(report, fixture_db):
    _, refs = fixture_db
    s1, s2 = report.stages
    assert report.cases_for("stage1_extended_within_cap") == [refs["B"]]
    assert report.cases_for("stage1_extended_beyond_cap") == [refs["C"]]
    assert (s1.extended_within_cap, s1.extended_beyond_cap) == (1, 1)
    assert (s2.extended_within_cap, s2.extended_beyond_cap) == (0, 0)


def test_escalation_rate(report, fixture_db):
    _, refs = fixture_db
    assert report.escalation_requests == 2 and report.stage1_responses == 7
    assert report.escalation_rate == Decimal("28.6")  # 2 / 7 x 100 = 28.571...
    assert report.cases_for("escalation_requests") == refs_of(refs, "CH")


def test_outcomes(report, fixture_db):
    _, refs = fixture_db
    s1, s2 = report.stages
    assert [(c.label, c.count) for c in s1.outcomes] == [("Upheld", 2), ("Partly upheld", 2), ("Not upheld", 3)]
    assert report.cases_for("stage1_upheld") == refs_of(refs, "AK")
    assert report.cases_for("stage1_partly-upheld") == refs_of(refs, "BJ")
    assert report.cases_for("stage1_not-upheld") == refs_of(refs, "CDH")
    assert [(c.label, c.count) for c in s2.outcomes] == [("Upheld", 1), ("Partly upheld", 0), ("Not upheld", 0)]


def test_working_days_to_respond(report, fixture_db):
    _, refs = fixture_db
    s1, s2 = report.stages
    # A 10, B 20, C 24, D 11, J 19, H 4, K 8: 96 / 7 = 13.71... J was acknowledged a day late
    # (Tue 9 Dec 2025, due Mon 8 Dec), so its clock runs from Mon 8 Dec: a late acknowledgement buys no time.
    assert s1.average_days == Decimal("13.7")
    assert s1.longest_days == 24
    assert report.cases_for("stage1_longest") == [refs["C"]]
    assert (s2.average_days, s2.longest_days) == (Decimal("19.0"), 19)


def test_service_areas_and_categories(report):
    assert [(c.label, c.count) for c in report.by_service_area] == [
        ("Repairs", 6),
        ("Housing Management", 2),
        ("Estates", 1),
    ]
    assert [(c.label, c.count) for c in report.by_category] == [
        ("Repairs: Damp", 4),
        ("Housing Management: Antisocial behaviour", 2),
        ("Repairs: Heating", 2),
        ("Estates: Parking", 1),
    ]


def test_refusals_by_ground(report, fixture_db):
    _, refs = fixture_db
    assert [(c.key, c.count) for c in report.not_accepted_by_ground] == [("not_accepted:legal-proceedings", 1)]
    assert report.cases_for("not_accepted:legal-proceedings") == [refs["G"]]
    assert [(c.key, c.count) for c in report.escalation_refused_by_ground] == [
        ("escalation_refused:previously-considered", 1),
    ]
    assert report.cases_for("escalation_refused:previously-considered") == [refs["H"]]


def test_remedies(report, fixture_db):
    _, refs = fixture_db
    r = report.remedies
    assert (r.offered, r.offered_pence, r.paid, r.paid_pence) == (3, 20000, 1, 15000)
    assert [(c.label, c.count) for c in r.offered_by_kind] == [("Apology", 1), ("Financial", 2)]
    assert report.cases_for("remedies_offered") == refs_of(refs, "ABJ")
    assert report.cases_for("remedies_paid") == [refs["A"]]


def test_actions_as_at_period_end_and_today(report, fixture_db):
    store, refs = fixture_db
    # At 31 Mar 2026: C's (due 1 Dec 2025) and J's (due 30 Apr 2026) open; B's was done in August.
    assert (report.actions.as_of, report.actions.open, report.actions.overdue) == (date(2026, 3, 31), 2, 1)
    assert report.cases_for("actions_overdue") == [refs["C"]]
    # The year 2026-27 is seen as at today (1 May 2026): J's action is now overdue too.
    later = annual_report(store, Period.financial_year(2026))
    assert (later.actions.as_of, later.actions.open, later.actions.overdue) == (REPORT_DAY, 2, 2)


def test_adjustments(report):
    assert (report.adjustments.recorded, report.adjustments.reviews_overdue) == (3, 2)


def test_enquiries_counted_apart(report, fixture_db):
    _, refs = fixture_db
    mp, councillor = report.enquiries
    assert (mp.received, mp.responded, mp.within_timescale, mp.within_pct) == (1, 1, 1, Decimal("100.0"))
    assert (councillor.received, councillor.responded) == (0, 0)
    assert report.cases_for("mp-enquiry_received") == [refs["I"]]
    assert all(refs["I"] not in refs_list for key, refs_list in report.drill.items() if not key.startswith("mp-"))


def test_quarters(report, fixture_db):
    _, refs = fixture_db
    got = [(q.quarter.label, q.stage, q.received, q.responded, q.within_timescale, q.ch02) for q in report.quarters]
    assert got == [
        ("Q1", 1, 1, 2, 1, Decimal("50.0")),  # received A; answered D (late), A
        ("Q1", 2, 0, 0, 0, None),
        ("Q2", 1, 2, 1, 1, Decimal("100.0")),  # received B, C; answered B
        ("Q2", 2, 0, 0, 0, None),
        ("Q3", 1, 2, 1, 0, Decimal("0.0")),  # received F, J; answered C (beyond the cap)
        ("Q3", 2, 1, 1, 1, Decimal("100.0")),  # C
        ("Q4", 1, 4, 3, 2, Decimal("66.7")),  # received G, H, K, E; answered J (late), H, K
        ("Q4", 2, 1, 0, 0, None),  # H's request
    ]
    assert report.cases_for("q4_stage1_responded") == refs_of(refs, "JHK")


def test_every_drillable_figure_matches_its_case_list(report):
    for figure in flatten(report):
        if (
            figure.drill
            and isinstance(figure.value, int)
            and figure.measure
            not in (
                "remedies_offered",
                "remedies_paid",
                "remedies_offered_kind",
                "average_days",
                "longest_days",
            )
        ):
            assert figure.value == len(report.cases_for(figure.drill)), figure
    with pytest.raises(KeyError):
        report.cases_for("no-such-figure")


# -- renderings ----------------------------------------------------------------------------


def test_markdown(report):
    text = to_markdown(report)
    assert text.startswith("# Complaints performance report 2025-26")
    assert "| CH01: complaints received per 1,000 homes | 4.50 | 1.00 |" in text
    assert "| CH02: % responded within the Code's timescales | 57.1% | 100.0% |" in text
    assert "an escalation rate of 28.6%" in text
    assert "## How the figures are counted" in text


def test_csv_long_format(report):
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert set(rows[0]) == {"period", "section", "measure", "stage", "quarter", "value", "label"}
    find = {(r["measure"], r["stage"], r["quarter"]): r["value"] for r in rows}
    assert find[("ch01", "1", "")] == "4.50"
    assert find[("ch02", "1", "")] == "57.1"
    assert find[("ch02", "2", "")] == "100.0"
    assert find[("ch02", "1", "Q4")] == "66.7"
    assert find[("ch02", "2", "Q1")] == ""  # nothing to divide by
    assert find[("remedies_offered_pounds", "", "")] == "200.00"
    assert all(r["period"] == "2025-26" for r in rows)


def test_html_is_self_contained_with_charts(report):
    page = to_html(report)
    assert page.startswith("<!DOCTYPE html>")
    assert "<svg" in page
    assert not re.search(r"https?://", page)
    assert "<script" not in page and "<link" not in page
    assert "57.1%" in page


def test_user_text_is_escaped(engine, db_url):
    settings = Settings(database_url=db_url, config_path=Path("unused.toml"), homes=HOMES)
    store = Store(engine, settings, Clock.at(date(2025, 6, 2)))
    sv.current_officer(store, "admin")
    resident = sv.add_resident(store, "admin", "Ms <b>Bold</b>")
    sv.log_case(
        store,
        "admin",
        resident,
        NewCase(CaseType.COMPLAINT, date(2025, 6, 2), "web", "<script>x</script> | =cmd", "c", "s"),
    )
    rep = annual_report(Store(engine, settings, Clock.at(REPORT_DAY)), FY2025)
    page = to_html(rep)
    assert "<script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert "\\| =cmd" in to_markdown(rep)
    labels = [r["label"] for r in csv.DictReader(io.StringIO(to_csv(rep)))]
    assert "<script>x</script> | =cmd" in labels
    hostile = "=HYPERLINK(1)"
    sv.log_case(store, "admin", resident, NewCase(CaseType.COMPLAINT, date(2025, 6, 2), "web", hostile, "c", "s"))
    labels = [
        r["label"]
        for r in csv.DictReader(
            io.StringIO(to_csv(annual_report(Store(engine, settings, Clock.at(REPORT_DAY)), FY2025)))
        )
    ]
    assert "'" + hostile in labels and hostile not in labels


# -- the command line ----------------------------------------------------------------------


def test_cli_writes_the_files(fixture_db, tmp_path, monkeypatch, capsys):
    from caseworker.cli import main

    store, _ = fixture_db
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", store.settings.database_url)
    monkeypatch.setenv("CASEWORKER_TODAY", REPORT_DAY.isoformat())
    out = tmp_path / "out" / "reports"
    assert main(["report", "--year", "2025", "--format", "md,csv,html", "--out", str(out)]) == 0
    names = sorted(p.name for p in out.iterdir())
    assert names == ["complaints-report-2025-26.csv", "complaints-report-2025-26.html", "complaints-report-2025-26.md"]
    assert "<svg" in (out / "complaints-report-2025-26.html").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["report", "--year", "2025"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# Complaints performance report 2025-26")


@pytest.mark.parametrize(
    "argv",
    [
        ["report", "--year", "2031"],
        ["report", "--year", "1066"],
        ["report", "--year", "2025", "--format", "pdf"],
        ["report", "--year", "2025", "--format", "csv"],  # csv or html need --out
    ],
)
def test_cli_refuses_bad_input_with_one_line(fixture_db, monkeypatch, capsys, argv):
    from caseworker.cli import main

    store, _ = fixture_db
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", store.settings.database_url)
    monkeypatch.setenv("CASEWORKER_TODAY", REPORT_DAY.isoformat())
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("caseworker")


# -- both backends -------------------------------------------------------------------------


def test_headline_figures_on_each_backend(engine, db_url):
    refs = build(engine, db_url)
    settings = Settings(database_url=db_url, config_path=Path("unused.toml"), homes=HOMES)
    rep = annual_report(Store(engine, settings, Clock.at(REPORT_DAY)), FY2025)
    assert (rep.stage(1).ch01, rep.stage(1).ch02, rep.stage(2).ch02) == (
        Decimal("4.50"),
        Decimal("57.1"),
        Decimal("100.0"),
    )
    assert rep.cases_for("stage1_outside_timescale") == refs_of(refs, "CDJ")
    assert (rep.actions.open, rep.actions.overdue, rep.adjustments.reviews_overdue) == (2, 1, 2)
