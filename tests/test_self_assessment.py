"""The self-assessment and the whole 8.1 report over test_reports' hand-worked fixture, with
these additions (policy hoc-2024, England and Wales; the report is run on Fri 1 May 2026):

  L  complaint of Mr Tom Jones, received Mon 5 Jan 2026, acknowledged Mon 12 Jan: the
     acknowledgement was due 5 working days after receipt (6, 7, 8, 9, 12 Jan) = Mon 12 Jan, so
     ON the boundary: in time, 5 working days. (J, acknowledged Tue 9 Dec 2025 when due Mon 8 Dec,
     is the other side of the boundary: late.)
  Extension letters: B's extension (recorded Fri 18 Jul 2025) has a letter issued that day naming
     the Housing Ombudsman's telephone: counted. C's letter of Fri 12 Sep 2025 names it too but
     came BEFORE its extensions (15 and 29 Sep): neither of C's two is counted.
  Restrictions (Mr Jones): review due 1 Dec 2025 (overdue at 31 Mar 2026); review due 31 Mar 2026
     (ON the last day: not overdue); review due 1 Jun 2026.
  Service request: received 10 Jun 2025, still open.
  Learning: root causes on A and C; K has themes only. Improvement "new damp survey" done
     1 Mar 2026, prompted by A and C; another planned for 1 Apr 2026 (next year).
  Ombudsman: C referred Mon 1 Dec 2025, determined Mon 2 Mar 2026: maladministration on the
     handling of the ASB reports; no maladministration on complaint handling; an order due
     Mon 16 Mar 2026 complied with Thu 12 Mar.

Measured by hand for 2025-26:
  6.2   Stage 1 complaints acknowledged in the year: D, A, B, C, F, J, H, K, L = 9; in time: all but
        J = 8: "8 of 9 (88.9%)". Working days receipt to acknowledgement: D 1, A 2, B 0, C 1, F 2,
        J 6, H 0, K 1, L 5: sorted 0 0 1 1 1 2 2 5 6, median 1.
  6.4   extended within the cap: B; beyond: C, approved by a supervisor (1 of 1).
  6.5   Stage 1 extensions recorded: B, C, C = 3; with a letter giving the Ombudsman's details: 1.
  6.13  Stage 2 acknowledged or answered: C (bob; Stage 1 alice): 1 of 1 by someone else.
  6.6   Stage 1 actions open at 31 Mar 2026: J (due 30 Apr 2026), none overdue.
  6.17  Stage 2: C's (due 1 Dec 2025): 1 open, 1 overdue.
  5.14  3 restrictions in force, 1 overdue for review: behind it, Mr Jones's case L.
  9.2   Stage 1 complaints received in the year: A B C F J G H K E L = 10; with a root cause: A, C.
"""

from __future__ import annotations

import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from test_reports import DEF, FY2025, HOMES, REPORT_DAY, build

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.reporting.assessment import self_assessment, year_report
from caseworker.reporting.period import Period
from caseworker.reporting.render_account import assessment_markdown, year_csv, year_html, year_markdown
from caseworker.rules.lifecycle import CaseType, NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store


def add_more(engine, url: str, refs: dict[str, str]) -> dict[str, str]:
    settings = Settings(database_url=url, config_path=Path("unused.toml"), homes=HOMES)

    def at(day: date) -> Store:
        return Store(engine, settings, Clock.at(day))

    ids = {}
    with at(REPORT_DAY).session() as s:
        from sqlmodel import select

        from caseworker.store.models import Case, Resident

        ids = {ref: cid for cid, ref in s.exec(select(Case.id, Case.reference)).all()}
        jones = s.exec(select(Resident.id).where(Resident.name == "Mr Tom Jones")).one()
    cid = {letter: ids[ref] for letter, ref in refs.items()}
    ref = sv.log_case(
        at(date(2026, 1, 5)),
        "alice",
        jones,
        NewCase(CaseType.COMPLAINT, date(2026, 1, 5), "phone", "Repairs", "Damp", "complaint L"),
    )
    refs["L"], cid["L"] = ref.reference, ref.id
    sv.acknowledge(at(date(2026, 1, 12)), "alice", ref.id, None, date(2026, 1, 12), DEF)

    hos_phone = settings.ombudsman_for("Repairs").phone
    sv.issue_letter(
        at(date(2025, 7, 18)),
        "alice",
        cid["B"],
        "extension",
        "More time",
        f"We need 10 more working days. The Housing Ombudsman: {hos_phone}",
    )
    sv.issue_letter(
        at(date(2025, 9, 12)),
        "alice",
        cid["C"],
        "extension",
        "More time",
        f"An early letter. The Housing Ombudsman: {hos_phone}",
    )

    sv.add_restriction(
        at(date(2025, 6, 1)), "alice", jones, "single point of contact", "abusive calls", "sue", date(2025, 12, 1)
    )
    sv.add_restriction(at(date(2025, 6, 1)), "alice", jones, "email only", "threats", "sue", date(2026, 6, 1))
    sv.add_restriction(
        at(date(2025, 6, 1)), "alice", jones, "no home visits alone", "threats", "sue", date(2026, 3, 31)
    )  # due on the last day of the year: on time, not overdue
    sv.add_service_request(at(date(2025, 6, 10)), "alice", jones, date(2025, 6, 10), "Repairs", "a dripping tap")

    sv.set_learning(at(REPORT_DAY), "alice", cid["A"], "Delay", ["Damp and mould"])
    sv.set_learning(at(REPORT_DAY), "alice", cid["C"], "Communication", ["Anti-social behaviour", "Communication"])
    sv.set_learning(at(REPORT_DAY), "alice", cid["K"], "", ["Damp and mould"])
    sv.add_improvement(
        at(date(2026, 3, 1)),
        "sue",
        "new damp survey",
        "Head of Repairs",
        "done",
        date(2026, 3, 1),
        service_area="Repairs",
        case_references=[refs["A"], refs["C"]],
    )
    sv.add_improvement(at(REPORT_DAY), "sue", "ASB case reviews", "ASB lead", "planned", date(2026, 4, 1))

    day = date(2026, 3, 2)
    om = sv.record_ombudsman_case(at(day), "bob", cid["C"], "202501234", date(2025, 12, 1), determined_on=day)
    sv.record_finding(at(day), "bob", om, "handling of the ASB reports", "maladministration")
    sv.record_finding(at(day), "bob", om, "complaint handling", "no-maladministration")
    order = sv.add_order(at(day), "bob", om, "order", "apologise and pay £250", date(2026, 3, 16))
    sv.complete_order(at(date(2026, 3, 12)), "bob", order, date(2026, 3, 12), "payment and letter sent")
    return refs


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{tmp_path_factory.mktemp('assessment') / 'assessment.db'}"
    engine = open_store(url)
    refs = add_more(engine, url, build(engine, url))
    settings = Settings(database_url=url, config_path=Path("unused.toml"), homes=HOMES)
    yield Store(engine, settings, Clock.at(REPORT_DAY)), refs
    engine.dispose()


@pytest.fixture(scope="module")
def sa(fixture_db):
    store, _ = fixture_db
    return self_assessment(store, FY2025)


def line(sa, provision: str, key: str):
    (m,) = [m for m in sa.row(provision).measures if m.key == key]
    return m


def refs_of(refs, letters: str) -> list[str]:
    return sorted(refs[x] for x in letters)


def test_every_provision_from_1_2_to_9_4_by_number(sa):
    numbers = [r.provision.number for r in sa.rows]
    assert numbers[0] == "1.2" and numbers[-1] == "9.4"
    assert numbers.index("6.9") < numbers.index("6.10") < numbers.index("6.20") < numbers.index("7.1")
    assert {"2.1", "5.10", "5.14", "6.2", "6.13", "6.16", "8.1", "9.1"} <= set(numbers)
    assert all(r.provision.title for r in sa.rows)


def test_6_2_acknowledged_within_5_working_days_and_the_median(sa, fixture_db):
    _, refs = fixture_db
    share = line(sa, "6.2", "stage1_ack")
    assert (share.value, share.text) == (Decimal("88.9"), "8 of 9 (88.9%)")
    assert sa.cases_for(share.drill) == refs_of(refs, "DABCFHKL")
    assert sa.cases_for(line(sa, "6.2", "stage1_ack_late").drill) == [refs["J"]]
    assert line(sa, "6.2", "stage1_ack_median").text == "median 1 working days"


def test_extensions_approvals_and_letters(sa, fixture_db):
    _, refs = fixture_db
    assert sa.cases_for(line(sa, "6.4", "stage1_ext_within").drill) == [refs["B"]]
    beyond = line(sa, "6.4", "stage1_ext_beyond")
    assert sa.cases_for(beyond.drill) == [refs["C"]] and "1 of 1 such extensions approved" in beyond.text
    letters = line(sa, "6.5", "stage1_ext_letters")
    assert letters.text == "1 of 3 (33.3%)" and sa.cases_for(letters.drill) == [refs["B"]]
    assert line(sa, "6.5", "stage1_ext_no_letter").value == 2
    assert line(sa, "6.16", "stage2_ext_letters").text == "none: no Stage 2 extensions in the period"


def test_stage2_officer_actions_restrictions_learning(sa, fixture_db):
    _, refs = fixture_db
    officer = line(sa, "6.13", "stage2_officer")
    assert officer.text == "1 of 1 (100.0%)" and sa.cases_for(officer.drill) == [refs["C"]]
    assert line(sa, "6.6", "stage1_actions").text.endswith("of which 0 overdue")
    assert sa.cases_for(line(sa, "6.6", "stage1_actions").drill) == [refs["J"]]
    assert sa.cases_for(line(sa, "6.17", "stage2_actions_overdue").drill) == [refs["C"]]
    restrictions = line(sa, "5.14", "restrictions")
    assert restrictions.value == 1 and sa.cases_for(restrictions.drill) == [refs["L"]]
    assert restrictions.text.startswith("2 of 3 restrictions in force are within their review date")
    assert line(sa, "1.4", "service_requests").text.startswith("1 recorded; 1 still open")
    causes = line(sa, "9.2", "root_causes")
    assert causes.text == "2 of 10 (20.0%)" and sa.cases_for(causes.drill) == refs_of(refs, "AC")
    assert line(sa, "9.1", "improvements").value == 1
    assert sa.cases_for(line(sa, "2.2", "not_accepted_legal-proceedings").drill) == [refs["G"]]


def test_the_6_2_line_equals_a_recount_from_caseworker_export(fixture_db, tmp_path, monkeypatch, capsys):
    from caseworker.cli import main

    store, _ = fixture_db
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", store.settings.database_url)
    monkeypatch.setenv("CASEWORKER_TODAY", REPORT_DAY.isoformat())
    exported = tmp_path / "all.json"
    assert main(["export", "--format", "json", "--out", str(exported)]) == 0
    assert main(["self-assessment", "--year", "2025", "--format", "md,docx", "--out", str(tmp_path / "sa")]) == 0
    data = json.loads(exported.read_text(encoding="utf-8"))
    complaints = {c["id"] for c in data["complaint_case"] if c["case_type"] == "complaint"}
    acked = [
        s
        for s in data["stage"]
        if s["number"] == 1
        and s["case_id"] in complaints
        and s["acknowledged"]
        and "2025-04-01" <= s["acknowledged"] <= "2026-03-31"
    ]
    in_time = [s for s in acked if s["acknowledged"] <= s["ack_due"]]
    expected = f"{len(in_time)} of {len(acked)} ({round(100 * len(in_time) / len(acked), 1)}%)"
    md = (tmp_path / "sa" / "self-assessment-2025-26.md").read_text(encoding="utf-8")
    section = md[md.index("### 6.2 ") : md.index("### 6.3 ")]
    assert f"- Measured: Stage 1 complaints acknowledged within 5 working days: {expected}" in section
    assert expected == "8 of 9 (88.9%)"
    assert md.index("### 1.2 ") < md.index("### 9.4 ")
    with zipfile.ZipFile(tmp_path / "sa" / "self-assessment-2025-26.docx") as z:
        xml = z.read("word/document.xml").decode("utf-8")
    assert "8 of 9 (88.9%)" in xml and 'w:w="11906"' in xml and 'w:h="16838"' in xml  # A4 in twentieths of a point


def test_commentary_saved_per_provision_per_year_and_approval(engine, db_url):
    settings = Settings(database_url=db_url, config_path=Path("unused.toml"))
    store = Store(engine, settings, Clock.at(REPORT_DAY))
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice A", "officer")
    sv.add_officer(store, "admin", "sue", "Sue S", "supervisor")
    sv.save_provision(
        store, "alice", 2025, "5.10", "partly", "register of adjustments", "two reviews overdue <b>[/]</b>"
    )
    with pytest.raises(sv.DomainError) as caught:
        sv.approve_self_assessment(store, "alice", 2025)
    assert caught.value.code_ref == "8.2"
    sv.approve_self_assessment(store, "sue", 2025)
    sa = self_assessment(store, FY2025)
    assert (sa.row("5.10").complies, sa.row("5.10").commentary) == ("partly", "two reviews overdue <b>[/]</b>")
    assert sa.approved_by == "sue" and isinstance(sa.approved_at, datetime)
    assert self_assessment(store, Period.financial_year(2024)).row("5.10").complies == ""  # per year
    md = assessment_markdown(sa)
    assert "two reviews overdue &lt;b&gt;\\[/\\]&lt;/b&gt;" in md and "Approved by sue on 1 May 2026" in md
    sv.save_provision(store, "alice", 2025, "5.10", "yes", "", "all reviewed")
    assert self_assessment(store, FY2025).approved_by == ""  # changed after approval: approve again
    for bad, field in ((("9.9", "yes"), "provision"), (("6.2", "maybe"), "complies")):
        with pytest.raises(sv.DomainError) as caught:
            sv.save_provision(store, "alice", 2025, bad[0], bad[1], "", "")
        assert caught.value.refusal.field == field


def test_a_year_with_no_cases_says_so(engine, db_url, tmp_path):
    settings = Settings(database_url=db_url, config_path=Path("unused.toml"))
    store = Store(engine, settings, Clock.at(REPORT_DAY))
    yr = year_report(store, FY2025)
    assert yr.assessment.complaints_received == 0
    assert line(yr.assessment, "6.2", "stage1_ack").text == "none: no Stage 1 complaints acknowledged in the period"
    assert line(yr.assessment, "6.2", "stage1_ack_median").value is None
    md = year_markdown(yr)
    assert "No complaints were received in 2025-26" in md and "No Ombudsman determinations" in md
    from caseworker.reporting.render_docx import report_docx

    assert report_docx(yr)[:2] == b"PK"


def test_the_whole_report_lists_the_finding_and_the_improvement(fixture_db):
    store, refs = fixture_db
    yr = year_report(store, FY2025)
    assert [(d.reference, e, f) for d, e, f in yr.non_compliance] == [
        (refs["C"], "handling of the ASB reports", "maladministration")
    ]
    md = year_markdown(yr)
    assert f"| {refs['C']} | handling of the ASB reports | Maladministration |" in md
    assert "new damp survey" in md and "Head of Repairs" in md and "ASB case reviews" not in md
    assert "| Repairs | Damp and mould | 2 |" in md and "| Q1 | Damp and mould | 1 |" in md  # A and K
    assert "| Q4 | Damp and mould | 1 |" in md and "| Housing Management | Anti-social behaviour | 1 |" in md
    assert (
        md.index("## The regulator's complaint measures")
        < md.index("## Findings of non-compliance")
        < md.index("## Complaint Handling Code self-assessment 2025-26")
    )
    assert "finding:maladministration" in year_csv(yr) and "Maladministration" in year_html(yr)


def test_cli_report_docx_has_the_self_assessment_and_ch01_ch02(fixture_db, tmp_path, monkeypatch):
    from caseworker.cli import main

    store, _ = fixture_db
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", store.settings.database_url)
    monkeypatch.setenv("CASEWORKER_TODAY", REPORT_DAY.isoformat())
    assert main(["report", "--year", "2025", "--format", "docx,md,csv,html", "--out", str(tmp_path)]) == 0
    from docx import Document

    doc = Document(str(tmp_path / "complaints-report-2025-26.docx"))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for t in doc.tables for r in t.rows for c in r.cells])
    assert (
        "CH01: complaints received per 1,000 homes" in text and "CH02: % responded within the Code's timescales" in text
    )
    assert "Complaint Handling Code self-assessment 2025-26" in text and "6.2 Stage 1 acknowledged" in text
    assert round(doc.sections[0].page_width.cm, 1) == 21.0 and round(doc.sections[0].page_height.cm, 1) == 29.7
    assert (tmp_path / "complaints-report-2025-26.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_letter_and_response_date_rules_the_forms_check_as_they_are_typed():
    """The rules the letter and response forms check live, for the 2025-26 report on Mon 2 Mar
    2026: the letter from 1 Apr 2024 (the year before's letter, received as 2025-26 began) to
    today; the response from 1 Apr 2025 to today; each needs its text."""
    from caseworker.rules.account import check_annual_letter, check_governing_body_response

    today = date(2026, 3, 2)
    assert check_annual_letter(2025, date(2024, 4, 1), "One finding", today) is None
    assert check_annual_letter(2025, today, "One finding", today) is None
    refused = check_annual_letter(2025, date(2026, 3, 3), "One finding", today)
    assert (refused.message, refused.code_ref, refused.field) == (
        "the letter's received date 03 Mar 2026 is in the future: record it when it has come",
        "8.1",
        "letter_received_on",
    )
    refused = check_annual_letter(2025, date(2024, 3, 31), "One finding", today)
    assert refused.message == (
        "the annual letter for the 2025-26 report cannot have been received before 01 Apr 2024: check the year of the date"
    )
    assert check_annual_letter(2025, today, "  ", today).field == "letter_key_points"
    assert check_annual_letter(2025, None, "One finding", today).field == "letter_received_on"

    assert check_governing_body_response(2025, date(2025, 4, 1), "Noted", today) is None
    refused = check_governing_body_response(2025, date(2025, 3, 31), "Noted", today)
    assert (refused.code_ref, refused.field) == ("8.2", "response_on")
    assert "cannot be dated before the year began (01 Apr 2025)" in refused.message
    assert "is in the future" in check_governing_body_response(2025, date(2026, 3, 3), "Noted", today).message
    assert check_governing_body_response(2025, today, "", today).field == "governing_body_response"
