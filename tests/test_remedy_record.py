"""What is kept with a remedy: the guidance in force on the case's dates (7.4), the dates and
payment reference the officer enters (7.3, 5.12), and the basis read back in words.

Rules are tested pure; the services run on SQLite and, when CASEWORKER_TEST_PG_URL is set, on
PostgreSQL (conftest.py). Today is Mon 20 Apr 2026. The redress bands (hos-remedies-2024)
apply up to Tue 31 Mar 2026, the Compensation guidance 2026 from Wed 1 Apr 2026 (their files'
effective_to / effective_from). Every amount below is worked out by hand from those files.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.facts import RemedyState, Role
from caseworker.rules.guidance_sets import load_guidance
from caseworker.rules.lifecycle import CaseType, Decision, Definition, NewCase
from caseworker.rules.registers import check_remedy_dates, check_remedy_offer
from caseworker.rules.remedy_calculator import BandChoice, LineInput, calculate
from caseworker.rules.remedy_record import basis_in_words, check_guidance_choice, guidance_in_force
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.models import AuditEvent, Remedy

TODAY = date(2026, 4, 20)  # Monday
BANDS, TARIFF = "hos-remedies-2024", "hos-compensation-2026"


# -- which guidance is in force --------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "responded", "offered", "key", "decided_by"),
    [
        # received in March, answered on 2 April: the offer is in a response made under the 2026 guidance
        (date(2026, 3, 20), date(2026, 4, 2), TODAY, TARIFF, date(2026, 4, 2)),
        # answered on the last day of the bands: the bands, even when the offer is recorded in April
        (date(2026, 3, 2), date(2026, 3, 31), TODAY, BANDS, date(2026, 3, 31)),
        # no response yet: the date of the offer decides
        (date(2026, 3, 2), None, date(2026, 3, 31), BANDS, date(2026, 3, 31)),
        (date(2026, 3, 2), None, date(2026, 4, 1), TARIFF, date(2026, 4, 1)),
    ],
)
def test_guidance_in_force_on_the_response_date_or_else_the_offer_date(received, responded, offered, key, decided_by):
    found = guidance_in_force(1, received, responded, offered)
    assert (found.guidance.key, found.on) == (key, decided_by)
    assert f"complaint received {received:%a} {received.day} {received:%b %Y}" in found.because


def test_other_guidance_needs_a_reason_naming_both_sets_and_the_date():
    in_force = guidance_in_force(1, date(2026, 3, 20), date(2026, 4, 2), TODAY)
    refusal = check_guidance_choice(BANDS, in_force, "  ")
    assert refusal is not None and (refusal.field, refusal.code_ref) == ("guidance_reason", "7.4")
    assert "Guidance on remedies" in refusal.message and "Compensation guidance 2026" in refusal.message
    assert "Thu 2 Apr 2026, the date of the Stage 1 response" in refusal.message
    assert check_guidance_choice(BANDS, in_force, "resident was told the bands in March") is None
    assert check_guidance_choice(TARIFF, in_force, "") is None
    assert check_guidance_choice("", in_force, "") is None  # worked out by hand: no guidance to check
    unknown = check_guidance_choice("hos-2019", in_force, "a reason")
    assert unknown is not None and unknown.field == "guidance"


# -- dates entered by the officer --------------------------------------------------------------


OFFERED, ACCEPTED = date(2026, 3, 2), date(2026, 3, 10)


def test_past_dates_in_order_are_recordable():
    assert check_remedy_dates(RemedyState.ACCEPTED, ACCEPTED, TODAY, OFFERED) is None
    assert check_remedy_dates(RemedyState.PAID, date(2026, 3, 12), TODAY, OFFERED, ACCEPTED, None, "BACS 1") is None
    assert check_remedy_dates(RemedyState.PAID, ACCEPTED, TODAY, OFFERED, ACCEPTED, None, "BACS 1") is None  # same day
    assert check_remedy_dates(RemedyState.DECLINED, OFFERED, TODAY, OFFERED) is None


@pytest.mark.parametrize(
    ("target", "on", "accepted", "paid", "reference", "field", "says"),
    [
        (RemedyState.PAID, date(2026, 3, 9), ACCEPTED, None, "BACS 1", "paid_on", "paid date (09 Mar 2026) is before"),
        (RemedyState.PAID, date(2026, 4, 21), ACCEPTED, None, "BACS 1", "paid_on", "paid date (21 Apr 2026) is in the"),
        (RemedyState.ACCEPTED, date(2026, 4, 21), None, None, "", "accepted_on", "accepted date (21 Apr 2026)"),
        (RemedyState.ACCEPTED, date(2026, 3, 1), None, None, "", "accepted_on", "before the date of the offer"),
        (RemedyState.COMPLETED, date(2026, 3, 11), ACCEPTED, date(2026, 3, 12), "", "completed_on", "paid date"),
        (RemedyState.PAID, date(2026, 3, 12), ACCEPTED, None, "  ", "payment_reference", "payment reference"),
        (RemedyState.PAID, date(2026, 3, 12), ACCEPTED, None, "x" * 61, "payment_reference", "60 characters"),
    ],
)
def test_dates_out_of_order_or_in_the_future_are_refused_naming_the_field(
    target, on, accepted, paid, reference, field, says
):
    refusal = check_remedy_dates(target, on, TODAY, OFFERED, accepted, paid, reference)
    assert refusal is not None and refusal.field == field and says in refusal.message


def test_a_past_offer_is_recordable_with_its_past_date_but_never_a_future_one():
    from caseworker.rules.facts import RemedyKind

    # offered on 2 March with "by" 16 March: both past today, both facts
    assert check_remedy_offer(RemedyKind.APOLOGY, "apology", date(2026, 3, 16), None, TODAY, OFFERED) is None
    today_offer = check_remedy_offer(RemedyKind.APOLOGY, "apology", date(2026, 3, 16), None, TODAY)
    assert today_offer is not None and today_offer.field == "by_when"  # offered today, due in the past
    before = check_remedy_offer(RemedyKind.APOLOGY, "apology", date(2026, 3, 1), None, TODAY, OFFERED)
    assert before is not None and before.field == "by_when"
    future = check_remedy_offer(RemedyKind.APOLOGY, "apology", date(2026, 5, 1), None, TODAY, date(2026, 4, 21))
    assert future is not None and future.field == "offered_on" and "in the future" in future.message


# -- the basis in words ----------------------------------------------------------------------------


def test_basis_in_words_uses_the_guidance_labels_and_the_hand_worked_sums():
    tariff = load_guidance(TARIFF)
    calc = calculate(
        tariff,
        [
            LineInput("heating_and_hot_water", quantity=12),  # 12 x £15.00 = £180.00
            LineInput("lighting", quantity=2),  # 2 weeks x £10.00 = £20.00
            LineInput("financial_loss", amount_pence=4_550, note="Replacement heater"),  # £45.50
        ],
    )
    words = basis_in_words(calc.basis)
    assert words == (
        "Loss of heating and hot water: 12 days at £15.00 a day = £180.00; "
        "Loss of lighting only: 2 weeks at £10.00 a week = £20.00; "
        "Quantified financial loss: £45.50 entered by the officer (Replacement heater); "
        "total £245.50 under the Housing Ombudsman's Compensation guidance 2026"
    )


def test_band_basis_in_words_and_no_codes_or_json_anywhere():
    bands = load_guidance(BANDS)
    calc = calculate(bands, band=BandChoice("maladministration_adverse", 70_000, "long delay, two visits missed"))
    words = basis_in_words(calc.basis)
    assert words == (
        "Maladministration, adversely affected the resident: £700.00, outside the band £100.00 to £600.00 "
        "(reason: long delay, two visits missed); total £700.00 under the Housing Ombudsman's Guidance on remedies"
    )
    for code in ("maladministration_adverse", "amount_pence", "{", "_", BANDS):
        assert code not in words


def test_basis_not_from_the_calculator_is_kept_as_written():
    assert basis_in_words("") == ""
    assert basis_in_words("moderate maladministration band") == "moderate maladministration band"
    # a set no longer installed: still words, never the stored key
    stored = json.dumps({"guidance": "hos-2019", "lines": [{"item": "x_y", "amount_pence": 500}], "total_pence": 500})
    assert basis_in_words(stored) == (
        "An item no longer in the guidance: £5.00 entered by the officer; total £5.00 under guidance no longer installed"
    )


# -- the services ------------------------------------------------------------------------------------


@pytest.fixture
def store(engine, db_url) -> Store:
    s = Store(engine, Settings(database_url=db_url, config_path=Path("unused.toml")), Clock.at(TODAY))
    assert sv.current_officer(s, "admin").role == Role.ADMINISTRATOR  # the first officer administers
    sv.add_officer(s, "admin", "alice", "Alice Able", Role.OFFICER)
    return s


def _case(store: Store, responded: date | None) -> int:
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="1 Station Road")
    new = NewCase(CaseType.COMPLAINT, date(2026, 3, 20), "email", "Repairs", "Heating", "No heating since March")
    ref = sv.log_case(store, "alice", resident, new)
    definition = Definition("no heating", "heating repaired", "repairs", "none")
    ref = sv.acknowledge(store, "alice", ref.id, ref.version, date(2026, 3, 23), definition)
    if responded is not None:
        sv.respond(
            store,
            "alice",
            ref.id,
            ref.version,
            responded,
            Decision.UPHELD,
            "late repair",
            no_remedy=True,
            no_actions=True,
        )
    return ref.id


def _remedy(store: Store, remedy_id: int) -> Remedy:
    with Session(store.engine) as session:
        return session.get(Remedy, remedy_id)


def _last_audit(store: Store) -> AuditEvent:
    with Session(store.engine) as session:
        return session.exec(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def test_offer_under_superseded_guidance_needs_a_reason_which_is_kept_and_audited(store):
    case_id = _case(store, responded=date(2026, 4, 2))  # answered under the 2026 guidance
    calc = calculate(load_guidance(BANDS), band=BandChoice("maladministration_adverse", 25_000))

    def offer(reason: str = "") -> int:
        return sv.offer_remedy(
            store,
            "alice",
            case_id,
            "financial",
            "Pay £250.00 compensation",
            date(2026, 4, 30),
            amount_pence=calc.total_pence,
            guidance_key=calc.guidance_key,
            calculation_basis=calc.basis,
            rationale=calc.rationale,
            guidance_reason=reason,
        )

    with pytest.raises(sv.DomainError) as info:
        offer()
    assert (info.value.refusal.field, info.value.code_ref) == ("guidance_reason", "7.4")
    assert "Thu 2 Apr 2026" in info.value.message
    rid = offer("the resident accepted the bands in a meeting on 30 March")
    row = _remedy(store, rid)
    assert (row.guidance_key, row.guidance_reason) == (
        BANDS,
        "the resident accepted the bands in a meeting on 30 March",
    )
    event = _last_audit(store)
    assert event.action == "remedy offered" and "the resident accepted the bands" in event.detail
    assert json.loads(event.after)["guidance_in_force"] == TARIFF


def test_offer_under_the_guidance_in_force_keeps_no_reason(store):
    case_id = _case(store, responded=None)
    calc = calculate(load_guidance(BANDS), band=BandChoice("service_failure_minimal", 7_500))  # £75.00, in £50-£100
    rid = sv.offer_remedy(
        store,
        "alice",
        case_id,
        "financial",
        "Pay £75.00",
        date(2026, 3, 31),
        amount_pence=calc.total_pence,
        guidance_key=BANDS,
        calculation_basis=calc.basis,
        offered_on=date(2026, 3, 27),  # a past offer, recorded now: the bands were in force then
        guidance_reason="not needed",
    )
    row = _remedy(store, rid)
    assert (row.offered_on, row.by_when, row.guidance_reason) == (date(2026, 3, 27), date(2026, 3, 31), "")


def test_accepted_and_paid_on_the_dates_entered_with_the_payment_reference(store):
    case_id = _case(store, responded=None)
    rid = sv.offer_remedy(
        store, "alice", case_id, "financial", "Pay £180.00", date(2026, 4, 10), amount_pence=18_000, offered_on=OFFERED
    )
    with pytest.raises(sv.DomainError) as info:
        sv.move_remedy(store, "alice", rid, "accepted", date(2026, 4, 21))
    assert info.value.refusal.field == "accepted_on" and "in the future" in info.value.message
    sv.move_remedy(store, "alice", rid, "accepted", ACCEPTED)
    with pytest.raises(sv.DomainError) as info:
        sv.move_remedy(store, "alice", rid, "paid", date(2026, 3, 9), payment_reference="BACS 20418")
    assert info.value.refusal.field == "paid_on" and "before the accepted date (10 Mar 2026)" in info.value.message
    with pytest.raises(sv.DomainError) as info:
        sv.move_remedy(store, "alice", rid, "paid", date(2026, 3, 12))
    assert info.value.refusal.field == "payment_reference"
    sv.move_remedy(store, "alice", rid, "paid", date(2026, 3, 12), payment_reference=" BACS 20418 ")
    row = _remedy(store, rid)
    assert (row.state, row.accepted_on, row.paid_on, row.payment_reference) == (
        "paid",
        ACCEPTED,
        date(2026, 3, 12),
        "BACS 20418",
    )
    event = _last_audit(store)
    assert json.loads(event.after) == {"on": "2026-03-12", "payment_reference": "BACS 20418", "state": "paid"}


def test_the_basis_reads_in_words_on_the_case_screen_record_case_file_and_csv_export(store, tmp_path):
    import csv

    import pypdf

    from caseworker.casefile.build import write_casefile
    from caseworker.screens.case_text import remedies_text
    from caseworker.store.export import export_csv
    from caseworker.store.queries.case import case_detail
    from caseworker.store.queries.record import case_record, record_json

    case_id = _case(store, responded=None)
    calc = calculate(load_guidance(TARIFF), [LineInput("missed_appointment", quantity=3)])  # 3 x £15.00 = £45.00
    rid = sv.offer_remedy(
        store,
        "alice",
        case_id,
        "financial",
        "Pay £45.00",
        date(2026, 4, 24),
        amount_pence=calc.total_pence,
        guidance_key=calc.guidance_key,
        calculation_basis=calc.basis,
        offered_on=date(2026, 4, 14),
    )
    sv.move_remedy(store, "alice", rid, "accepted", date(2026, 4, 15))
    sv.move_remedy(store, "alice", rid, "paid", date(2026, 4, 17), payment_reference="BACS 88123")
    words = "Missed appointment: 3 times at £15.00 each = £45.00; total £45.00 under the Housing Ombudsman's"

    detail = case_detail(store, case_id=case_id)
    shown = remedies_text(detail).plain
    assert "Financial redress £45.00 · paid" in shown and words in shown
    assert "paid Fri 17 Apr 2026 · payment reference BACS 88123" in shown

    (remedy,) = record_json(case_record(store, detail.header.reference))["remedies"]
    assert (remedy["kind"], remedy["paid"], remedy["payment_reference"]) == (
        "Financial redress",
        "2026-04-17",
        "BACS 88123",
    )
    assert remedy["worked_out"].startswith(words)

    result = write_casefile(store, detail.header.reference, tmp_path / "file", "alice")
    pdf_text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(str(result.pdf)).pages)
    assert words in pdf_text and "BACS 88123" in pdf_text

    export_csv(store.engine, tmp_path / "csv")
    with (tmp_path / "csv" / "remedy.csv").open(encoding="utf-8-sig", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert row["calculation_basis"].startswith(words) and row["payment_reference"] == "BACS 88123"

    for text in (shown, pdf_text, row["calculation_basis"], json.dumps(remedy, ensure_ascii=False)):
        assert "missed_appointment" not in text and '"rate_pence"' not in text and TARIFF not in text
