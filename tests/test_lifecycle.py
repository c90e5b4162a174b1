"""Lifecycle and register rules (SPEC section 4): each refusal with its Code reference, and
the allowed path beside it.

Dates are written out literally and were checked against the England and Wales bank
holidays in shared/domain/FACTS.md section 4 (none fall in Jan-Feb 2026 after Thu 1 Jan).

The Stage 1 case used throughout: received Mon 5 Jan 2026, acknowledged Wed 7 Jan 2026, so
under hoc-2024 its response is due 10 WD later: 8, 9, 12, 13, 14, 15, 16, 19, 20, 21 Jan =
Wed 21 Jan 2026.  Its Stage 2: requested Tue 20 Jan 2026, acknowledged Thu 22 Jan 2026, so
due 20 WD later: 23 Jan (1), 26-30 Jan (6), 2-6 Feb (11), 9-13 Feb (16), 16-19 Feb (20) =
Thu 19 Feb 2026.  Under mkcc-corporate the Stage 2 response is 15 WD after the request:
21-23 Jan (3), 26-30 Jan (8), 2-6 Feb (13), 9, 10 Feb (15) = Tue 10 Feb 2026.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.deadlines import responded_in_time, stage_breaches
from caseworker.rules.facts import (
    Actor,
    CaseFacts,
    CaseType,
    Decision,
    Definition,
    Extension,
    Ground,
    Refused,
    RemedyKind,
    RemedyState,
    Role,
    StageFacts,
    Status,
)
from caseworker.rules.lifecycle import (
    NewCase,
    Response,
    acknowledge,
    assign,
    check_acknowledge,
    check_assign,
    check_extend,
    check_log,
    check_respond,
    close,
    decide_related_issue,
    extend,
    log_case,
    not_accept,
    refuse_escalation,
    request_stage2,
    respond,
    response_deadline,
    stage2_ineligibility,
    withdraw,
)
from caseworker.rules.policy import load_policy
from caseworker.rules.registers import (
    check_action,
    check_adjustment,
    check_remedy_move,
    check_remedy_offer,
    check_restriction,
)

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def d(text: str) -> date:
    """``"Tue 30 Dec 2025"`` -> date(2025, 12, 30), checking the weekday written."""
    wd, day, month, year = text.split()
    value = date(int(year), MONTHS.index(month) + 1, int(day))
    assert WEEKDAYS[value.weekday()] == wd, f"transcription error: {text} is a {value:%a}"
    return value


HOC = load_policy("hoc-2024")
MKCC = load_policy("mkcc-corporate")
CAL = WorkingCalendar()

OFFICER = Actor("alice", Role.OFFICER)  # the Stage 1 officer
COLLEAGUE = Actor("bob", Role.OFFICER)
SUPERVISOR = Actor("sam", Role.SUPERVISOR)
ADMIN = Actor("ada", Role.ADMINISTRATOR)

DEFINITION = Definition(
    issues="damp and mould in the bedroom; repair appointments missed",
    outcomes="the damp treated; compensation for the missed appointments",
    responsible="repairs to the building fabric",
    not_responsible="the resident's own furniture",
)

RECEIVED = d("Mon 5 Jan 2026")
ACKNOWLEDGED = d("Wed 7 Jan 2026")
S1_DUE = d("Wed 21 Jan 2026")
S1_RESPONDED = d("Mon 19 Jan 2026")
S2_REQUESTED = d("Tue 20 Jan 2026")
S2_ACKNOWLEDGED = d("Thu 22 Jan 2026")
S2_DUE = d("Thu 19 Feb 2026")


def refusal_of(excinfo):
    return excinfo.value.refusal


# -- case builders (plain data, not via the functions under test) -------------------------


def new_case(**changes) -> NewCase:
    base = NewCase(
        case_type=CaseType.COMPLAINT,
        received=RECEIVED,
        channel="email",
        service_area="repairs",
        category="damp and mould",
        summary="Damp in the bedroom since the autumn; two repair visits missed.",
    )
    return replace(base, **changes)


def awaiting_case(**changes) -> CaseFacts:
    case = CaseFacts(
        case_type=CaseType.COMPLAINT,
        received=RECEIVED,
        status=Status.AWAITING_ACK,
        stage1=StageFacts(number=1, requested=RECEIVED, officer="alice"),
        issue_date=d("Mon 1 Dec 2025"),
    )
    return replace(case, **changes)


def open_case(extensions: tuple[Extension, ...] = (), **changes) -> CaseFacts:
    case = awaiting_case(status=Status.OPEN)
    case = replace(case, stage1=replace(case.stage1, acknowledged=ACKNOWLEDGED, extensions=extensions))
    return replace(case, **changes)


def responded_case(**changes) -> CaseFacts:
    case = open_case(status=Status.RESPONDED)
    case = replace(case, stage1=replace(case.stage1, responded=S1_RESPONDED))
    return replace(case, **changes)


def stage2_awaiting(officer: str | None = "bob", **changes) -> CaseFacts:
    case = responded_case(
        status=Status.AWAITING_ACK, stage2=StageFacts(number=2, requested=S2_REQUESTED, officer=officer)
    )
    return replace(case, **changes)


def stage2_open(extensions: tuple[Extension, ...] = (), **changes) -> CaseFacts:
    case = stage2_awaiting(status=Status.OPEN)
    case = replace(case, stage2=replace(case.stage2, acknowledged=S2_ACKNOWLEDGED, extensions=extensions))
    return replace(case, **changes)


def stage2_responded(**changes) -> CaseFacts:
    case = stage2_open(status=Status.RESPONDED)
    case = replace(case, stage2=replace(case.stage2, responded=d("Mon 16 Feb 2026")))
    return replace(case, **changes)


def ext(
    days: int, *, told: date = d("Mon 19 Jan 2026"), reason: str = "awaiting a damp survey", good_reason: str = ""
) -> Extension:
    return Extension(working_days=days, reason=reason, resident_told=told, good_reason=good_reason)


GOOD_REASON = "specialist damp survey cannot be booked sooner"


# ======================================================================================
# Logging (rule 2; 2.3, 3.6)
# ======================================================================================

LOG_TODAY = d("Fri 16 Jan 2026")


def test_log_case_allowed_creates_a_stage1_case_awaiting_acknowledgement():
    case = log_case(new_case(issue_date=d("Mon 1 Dec 2025")), HOC, LOG_TODAY, "alice")
    assert case.status == Status.AWAITING_ACK
    assert case.stage == 1
    assert case.received == RECEIVED
    assert case.stage1.requested == RECEIVED
    assert case.stage1.officer == "alice"
    assert case.issue_date == d("Mon 1 Dec 2025")
    assert case.stage2 is None


def test_log_received_today_is_allowed():
    assert check_log(new_case(received=LOG_TODAY), HOC, LOG_TODAY) is None


def test_log_refuses_a_future_received_date():
    with pytest.raises(Refused) as exc:
        log_case(new_case(received=d("Mon 19 Jan 2026")), HOC, LOG_TODAY, "alice")
    refusal = refusal_of(exc)
    assert refusal.code_ref == "5.12"
    assert refusal.field == "received"
    assert "future" in refusal.message and "received" in refusal.message


def test_log_refuses_an_issue_date_after_receipt():
    with pytest.raises(Refused) as exc:
        log_case(new_case(issue_date=d("Sat 10 Jan 2026")), HOC, LOG_TODAY, "alice")
    refusal = refusal_of(exc)
    assert refusal.code_ref == "2.3"
    assert refusal.field == "issue_date"
    assert "before the date the issue arose" in refusal.message


def test_log_refuses_a_representative_without_consent():
    with pytest.raises(Refused) as exc:
        log_case(new_case(representative="Cllr Jones"), HOC, LOG_TODAY, "alice")
    refusal = refusal_of(exc)
    assert refusal.code_ref == "3.6"
    assert refusal.field == "consent_recorded"
    assert "consent" in refusal.message


def test_log_allows_a_representative_with_consent_recorded():
    case = log_case(new_case(representative="Cllr Jones", consent_recorded=True), HOC, LOG_TODAY, "alice")
    assert case.status == Status.AWAITING_ACK


@pytest.mark.parametrize("field_name", ["channel", "service_area", "summary"])
def test_log_refuses_missing_required_fields(field_name):
    with pytest.raises(Refused) as exc:
        log_case(new_case(**{field_name: "  "}), HOC, LOG_TODAY, "alice")
    assert refusal_of(exc).code_ref == "5.12"
    assert refusal_of(exc).field == field_name
    assert "required" in refusal_of(exc).message


@pytest.mark.parametrize("policy", [HOC, MKCC], ids=["hoc-2024", "mkcc-corporate"])
def test_log_refuses_an_out_of_time_complaint_without_a_discretion_reason(policy):
    # 12 months before Mon 5 Jan 2026 is Sun 5 Jan 2025; Fri 3 Jan 2025 is earlier.
    with pytest.raises(Refused) as exc:
        log_case(new_case(issue_date=d("Fri 3 Jan 2025")), policy, LOG_TODAY, "alice")
    refusal = refusal_of(exc)
    assert refusal.code_ref == "2.3"
    assert refusal.field == "discretion_reason"
    assert "12 months" in refusal.message
    assert "discretion" in refusal.message
    assert "not accepted" in refusal.message


def test_log_accepts_an_out_of_time_complaint_with_a_discretion_reason():
    case = log_case(
        new_case(issue_date=d("Fri 3 Jan 2025"), discretion_reason="resident was in hospital for most of 2025"),
        HOC,
        LOG_TODAY,
        "alice",
    )
    assert case.status == Status.AWAITING_ACK
    assert case.issue_date == d("Fri 3 Jan 2025")


def test_log_blank_discretion_reason_does_not_count():
    with pytest.raises(Refused) as exc:
        log_case(new_case(issue_date=d("Fri 3 Jan 2025"), discretion_reason="   "), HOC, LOG_TODAY, "alice")
    assert refusal_of(exc).code_ref == "2.3"


def test_log_issue_exactly_twelve_months_before_receipt_needs_no_discretion():
    assert check_log(new_case(issue_date=d("Sun 5 Jan 2025")), HOC, LOG_TODAY) is None
    case = log_case(new_case(issue_date=d("Sun 5 Jan 2025")), HOC, LOG_TODAY, "alice")
    assert case.status == Status.AWAITING_ACK


def test_log_issue_one_day_beyond_twelve_months_needs_discretion():
    refusal = check_log(new_case(issue_date=d("Sat 4 Jan 2025")), HOC, LOG_TODAY)
    assert refusal is not None
    assert refusal.code_ref == "2.3"
    assert refusal.field == "discretion_reason"


# ======================================================================================
# Acknowledgement (5.6, 5.7, 6.2, 6.11, 6.13)
# ======================================================================================

ACK_TODAY = d("Fri 9 Jan 2026")


def test_acknowledge_allowed_opens_the_case_and_starts_the_response_clock():
    case = acknowledge(awaiting_case(), ACKNOWLEDGED, DEFINITION, ACK_TODAY)
    assert case.status == Status.OPEN
    assert case.stage1.acknowledged == ACKNOWLEDGED
    assert response_deadline(case, case.stage1, HOC, CAL).due == S1_DUE


def test_acknowledge_without_not_responsible_is_allowed():
    definition = replace(DEFINITION, not_responsible="")
    assert check_acknowledge(awaiting_case(), ACKNOWLEDGED, definition, ACK_TODAY) is None


@pytest.mark.parametrize(
    ("field_name", "code_ref", "words"),
    [("issues", "5.6", "issues"), ("outcomes", "5.6", "outcomes"), ("responsible", "5.7", "responsible")],
)
def test_acknowledge_refuses_an_incomplete_complaint_definition(field_name, code_ref, words):
    definition = replace(DEFINITION, **{field_name: " "})
    with pytest.raises(Refused) as exc:
        acknowledge(awaiting_case(), ACKNOWLEDGED, definition, ACK_TODAY)
    refusal = refusal_of(exc)
    assert refusal.code_ref == code_ref
    assert refusal.field == field_name
    assert words in refusal.message


def test_acknowledge_refuses_a_date_before_receipt():
    with pytest.raises(Refused) as exc:
        acknowledge(awaiting_case(), d("Fri 2 Jan 2026"), DEFINITION, ACK_TODAY)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.2"
    assert refusal.field == "acknowledged"
    assert "before the date received" in refusal.message


def test_acknowledge_on_the_day_of_receipt_is_allowed():
    assert acknowledge(awaiting_case(), RECEIVED, DEFINITION, ACK_TODAY).status == Status.OPEN


def test_acknowledge_refuses_a_future_date():
    with pytest.raises(Refused) as exc:
        acknowledge(awaiting_case(), d("Mon 12 Jan 2026"), DEFINITION, ACK_TODAY)
    assert refusal_of(exc).field == "acknowledged"
    assert "future" in refusal_of(exc).message


def test_acknowledging_twice_is_refused():
    case = acknowledge(awaiting_case(), ACKNOWLEDGED, DEFINITION, ACK_TODAY)
    with pytest.raises(Refused) as exc:
        acknowledge(case, d("Thu 8 Jan 2026"), DEFINITION, ACK_TODAY)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.2"
    assert "cannot acknowledge" in refusal.message
    assert "the case is under investigation" in refusal.message  # the status in words, not its code
    assert case.stage1.acknowledged == ACKNOWLEDGED  # first acknowledgement untouched


def test_stage2_acknowledgement_without_an_officer_is_refused():
    with pytest.raises(Refused) as exc:
        acknowledge(stage2_awaiting(officer=None), S2_ACKNOWLEDGED, DEFINITION, S2_ACKNOWLEDGED)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.13"
    assert refusal.field == "officer"
    assert "Stage 2 officer" in refusal.message


def test_stage2_acknowledgement_with_an_officer_is_allowed():
    case = acknowledge(stage2_awaiting(officer="bob"), S2_ACKNOWLEDGED, DEFINITION, S2_ACKNOWLEDGED)
    assert case.status == Status.OPEN
    assert case.stage2.acknowledged == S2_ACKNOWLEDGED
    assert case.stage1.acknowledged == ACKNOWLEDGED  # Stage 1 record untouched
    assert response_deadline(case, case.stage2, HOC, CAL).due == S2_DUE


def test_stage2_acknowledgement_before_the_request_is_refused_under_6_11():
    with pytest.raises(Refused) as exc:
        acknowledge(stage2_awaiting(), d("Mon 19 Jan 2026"), DEFINITION, S2_ACKNOWLEDGED)
    assert refusal_of(exc).code_ref == "6.11"
    assert "escalation request" in refusal_of(exc).message


# ======================================================================================
# Extensions (6.4, 6.5, 6.15)
# ======================================================================================

EXT_TODAY = d("Mon 19 Jan 2026")  # Stage 1 due Wed 21 Jan 2026


def test_extension_within_the_cap_by_an_officer_is_allowed():
    case = extend(open_case(), ext(10), OFFICER, HOC, CAL, EXT_TODAY)
    assert case.stage1.extended_days == 10
    assert case.stage1.extensions[-1].approved_by is None
    # 10 WD after Wed 21 Jan 2026: 22, 23, 26-30 Jan, 2, 3, 4 Feb.
    assert response_deadline(case, case.stage1, HOC, CAL).due == d("Wed 4 Feb 2026")


def test_extension_cumulative_total_within_the_cap_is_allowed():
    case = extend(open_case(extensions=(ext(5),)), ext(5), OFFICER, HOC, CAL, EXT_TODAY)
    assert case.stage1.extended_days == 10
    assert len(case.stage1.extensions) == 2


@pytest.mark.parametrize("good_reason", ["", GOOD_REASON])
def test_extension_cumulative_total_past_the_stage1_cap_is_refused_for_an_officer(good_reason):
    # 6 WD already granted; 5 more makes 11 > 10.
    # Prior 6 WD move the due date from Wed 21 Jan to Thu 29 Jan 2026 (22, 23, 26, 27, 28, 29).
    case = open_case(extensions=(ext(6),))
    with pytest.raises(Refused) as exc:
        extend(case, ext(5, good_reason=good_reason), OFFICER, HOC, CAL, EXT_TODAY)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.4"
    assert "11 working days" in refusal.message
    assert "cap of 10" in refusal.message
    if good_reason:
        assert refusal.field == "approved_by"
        assert "supervisor" in refusal.message


def test_extension_past_the_cap_by_a_supervisor_without_good_reason_is_refused():
    with pytest.raises(Refused) as exc:
        extend(open_case(), ext(11), SUPERVISOR, HOC, CAL, EXT_TODAY)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.4"
    assert refusal.field == "good_reason"
    assert "good reason" in refusal.message


@pytest.mark.parametrize("actor", [SUPERVISOR, ADMIN], ids=["supervisor", "administrator"])
def test_extension_past_the_cap_by_a_supervisor_with_good_reason_is_allowed_and_approval_recorded(actor):
    case = extend(open_case(extensions=(ext(6),)), ext(5, good_reason=GOOD_REASON), actor, HOC, CAL, EXT_TODAY)
    assert case.stage1.extended_days == 11
    assert case.stage1.extensions[-1].approved_by == actor.login
    assert case.stage1.extensions[0].approved_by is None  # earlier extension unchanged


def test_stage2_extension_cap_is_twenty_working_days():
    today = d("Mon 16 Feb 2026")  # Stage 2 due Thu 19 Feb 2026
    told = d("Mon 16 Feb 2026")
    case = extend(stage2_open(), ext(20, told=told), COLLEAGUE, HOC, CAL, today)
    assert case.stage2.extended_days == 20
    assert case.stage2.extensions[-1].approved_by is None
    assert case.stage1.extensions == ()  # Stage 1 untouched

    with pytest.raises(Refused) as exc:
        extend(stage2_open(), ext(21, told=told, good_reason=GOOD_REASON), COLLEAGUE, HOC, CAL, today)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.15"
    assert "cap of 20" in refusal.message
    assert "supervisor" in refusal.message

    approved = extend(stage2_open(), ext(21, told=told, good_reason=GOOD_REASON), SUPERVISOR, HOC, CAL, today)
    assert approved.stage2.extensions[-1].approved_by == "sam"


def test_mkcc_stage2_has_no_cap_so_any_extension_needs_a_supervisor():
    today = d("Mon 9 Feb 2026")  # mkcc Stage 2 due Tue 10 Feb 2026
    told = d("Mon 9 Feb 2026")
    with pytest.raises(Refused) as exc:
        extend(stage2_open(), ext(1, told=told, good_reason=GOOD_REASON), COLLEAGUE, MKCC, CAL, today)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.15"
    assert refusal.field == "approved_by"
    assert "no extension cap" in refusal.message
    assert "supervisor" in refusal.message

    with pytest.raises(Refused) as exc:
        extend(stage2_open(), ext(1, told=told), SUPERVISOR, MKCC, CAL, today)
    assert refusal_of(exc).code_ref == "6.15"
    assert refusal_of(exc).field == "good_reason"

    case = extend(stage2_open(), ext(1, told=told, good_reason=GOOD_REASON), SUPERVISOR, MKCC, CAL, today)
    assert case.stage2.extensions[-1].approved_by == "sam"
    # 16 WD after Tue 20 Jan 2026: Tue 10 Feb (15), Wed 11 Feb (16).
    assert response_deadline(case, case.stage2, MKCC, CAL).due == d("Wed 11 Feb 2026")


def test_mkcc_stage1_still_has_a_cap_of_ten():
    # mkcc Stage 1: 15 WD after Mon 5 Jan 2026 = 6-9 (4), 12-16 (9), 19-23 (14), Mon 26 Jan (15).
    case = extend(open_case(), ext(10), OFFICER, MKCC, CAL, EXT_TODAY)
    assert case.stage1.extensions[-1].approved_by is None
    with pytest.raises(Refused) as exc:
        extend(open_case(), ext(11, good_reason=GOOD_REASON), OFFICER, MKCC, CAL, EXT_TODAY)
    assert refusal_of(exc).code_ref == "6.4"


def test_extension_on_the_due_date_is_allowed():
    case = extend(open_case(), ext(2, told=S1_DUE), OFFICER, HOC, CAL, S1_DUE)
    assert case.stage1.extended_days == 2


@pytest.mark.parametrize("actor", [OFFICER, SUPERVISOR], ids=["officer", "supervisor"])
def test_extension_told_in_time_but_recorded_after_the_due_date_counts(actor):
    # What happened is recorded: the resident was told on Wed 21 Jan 2026 (the due date);
    # it is only written down on Thu 22 Jan. It counts: 2 WD after Wed 21 Jan = Fri 23 Jan.
    today = d("Thu 22 Jan 2026")
    case = extend(open_case(), ext(2, told=S1_DUE, good_reason=GOOD_REASON), actor, HOC, CAL, today)
    assert case.stage1.extensions[-1].told_late is False
    assert response_deadline(case, case.stage1, HOC, CAL).due == d("Fri 23 Jan 2026")


def test_extension_told_to_the_resident_after_the_due_date_is_kept_flagged_and_not_counted():
    # Due Wed 21 Jan 2026; the resident told on Thu 22 Jan 2026, after the original timescale.
    # Recorded (date and reasons kept), flagged as a breach of 6.4, and the deadline stays 21 Jan.
    today = d("Fri 23 Jan 2026")
    case = extend(open_case(), ext(2, told=d("Thu 22 Jan 2026")), OFFICER, HOC, CAL, today)
    added = case.stage1.extensions[-1]
    assert added.told_late is True and added.reason and added.resident_told == d("Thu 22 Jan 2026")
    assert case.stage1.extended_days == 0
    assert response_deadline(case, case.stage1, HOC, CAL).due == S1_DUE
    breaches = stage_breaches(case, case.stage1, HOC, CAL, today)
    assert [b.code_ref for b in breaches if "told to the resident late" in b.what] == ["6.4"]
    # The stage responded on the date the late extension aimed at is still late (never made timely).
    answered = replace(case, stage1=replace(case.stage1, responded=d("Fri 23 Jan 2026")))
    assert responded_in_time(answered.stage1, answered, HOC, CAL) is False


def test_extension_with_the_resident_told_before_the_stage_started_is_refused():
    with pytest.raises(Refused) as exc:
        extend(open_case(), ext(2, told=d("Fri 2 Jan 2026")), OFFICER, HOC, CAL, EXT_TODAY)
    assert refusal_of(exc).code_ref == "6.4"
    assert refusal_of(exc).field == "resident_told"


def test_extension_before_acknowledgement_is_refused():
    with pytest.raises(Refused) as exc:
        extend(awaiting_case(), ext(2, told=d("Tue 6 Jan 2026")), SUPERVISOR, HOC, CAL, d("Tue 6 Jan 2026"))
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.4"
    assert "acknowledge" in refusal.message
    assert "the case is awaiting acknowledgement" in refusal.message  # the status in words, not its code


@pytest.mark.parametrize("days", [0, -3])
def test_extension_of_zero_or_fewer_days_is_refused(days):
    with pytest.raises(Refused) as exc:
        extend(open_case(), ext(days), OFFICER, HOC, CAL, EXT_TODAY)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.4"
    assert refusal.field == "working_days"
    assert "at least 1 working day" in refusal.message


def test_extension_without_a_reason_is_refused():
    with pytest.raises(Refused) as exc:
        extend(open_case(), ext(2, reason=" "), OFFICER, HOC, CAL, EXT_TODAY)
    assert refusal_of(exc).code_ref == "6.4"
    assert refusal_of(exc).field == "reason"


def test_check_extend_reports_nothing_for_a_valid_extension():
    assert check_extend(open_case(), ext(3), OFFICER, HOC, CAL, EXT_TODAY) is None


# ======================================================================================
# Responses (6.7, 6.9, 6.18, 6.19)
# ======================================================================================


def good_response(**changes) -> Response:
    base = Response(
        on=S1_RESPONDED, decision=Decision.PARTLY_UPHELD, reasons="two visits missed; damp found", remedies=1, actions=1
    )
    return replace(base, **changes)


def test_respond_allowed_records_the_response():
    case = respond(open_case(), good_response(), S1_RESPONDED)
    assert case.status == Status.RESPONDED
    assert case.stage1.responded == S1_RESPONDED


def test_respond_with_explicit_no_remedy_and_no_actions_is_allowed():
    response = good_response(decision=Decision.NOT_UPHELD, remedies=0, no_remedy=True, actions=0, no_actions=True)
    assert respond(open_case(), response, S1_RESPONDED).status == Status.RESPONDED


@pytest.mark.parametrize(
    ("changes", "stage1_ref", "stage2_ref", "field_name", "words"),
    [
        ({"decision": None}, "6.9", "6.19", "decision", "decision"),
        ({"reasons": "  "}, "6.7", "6.18", "reasons", "reasons"),
        ({"remedies": 0, "no_remedy": False}, "6.9", "6.19", "remedy", "no remedy"),
        ({"actions": 0, "no_actions": False}, "6.9", "6.19", "actions", "outstanding actions"),
    ],
    ids=["decision", "reasons", "remedy", "actions"],
)
def test_respond_refuses_a_missing_item(changes, stage1_ref, stage2_ref, field_name, words):
    with pytest.raises(Refused) as exc:
        respond(open_case(), good_response(**changes), S1_RESPONDED)
    refusal = refusal_of(exc)
    assert refusal.code_ref == stage1_ref
    assert refusal.field == field_name
    assert words in refusal.message

    today = d("Mon 16 Feb 2026")
    with pytest.raises(Refused) as exc:
        respond(stage2_open(), good_response(on=today, **changes), today)
    refusal = refusal_of(exc)
    assert refusal.code_ref == stage2_ref
    assert refusal.field == field_name
    assert words in refusal.message


def test_respond_at_stage2_allowed():
    today = d("Mon 16 Feb 2026")
    case = respond(stage2_open(), good_response(on=today), today)
    assert case.status == Status.RESPONDED
    assert case.stage2.responded == today
    assert case.stage1.responded == S1_RESPONDED


def test_a_response_with_no_acknowledgement_is_recorded_and_the_acknowledgement_shows_missed_6_2():
    # Received Mon 5 Jan 2026: acknowledgement due Mon 12 Jan. Answered Tue 20 Jan, never acknowledged.
    today = d("Wed 21 Jan 2026")
    case = respond(awaiting_case(), good_response(on=d("Tue 20 Jan 2026")), today)
    assert case.status == Status.RESPONDED and case.stage1.acknowledged is None
    breaches = stage_breaches(case, case.stage1, HOC, CAL, today)
    assert [(b.code_ref, "missed" in b.what) for b in breaches] == [("6.2", True)]


def test_a_stage2_response_with_no_acknowledgement_shows_6_11_missed():
    # Requested Tue 20 Jan 2026: acknowledgement due Tue 27 Jan; answered Fri 30 Jan without one.
    today = d("Fri 30 Jan 2026")
    case = respond(stage2_awaiting(), good_response(on=today), today)
    breaches = stage_breaches(case, case.stage2, HOC, CAL, today)
    assert [b.code_ref for b in breaches] == ["6.11"]


def test_a_response_before_the_complaint_was_received_is_refused():
    with pytest.raises(Refused) as exc:
        respond(awaiting_case(), good_response(on=d("Fri 2 Jan 2026")), d("Tue 6 Jan 2026"))
    assert refusal_of(exc).field == "on"


def test_response_dated_before_the_acknowledgement_is_refused():
    with pytest.raises(Refused) as exc:
        respond(open_case(), good_response(on=d("Tue 6 Jan 2026")), S1_RESPONDED)
    assert refusal_of(exc).code_ref == "6.9"
    assert "before the acknowledgement" in refusal_of(exc).message


def test_responding_twice_is_refused():
    with pytest.raises(Refused) as exc:
        respond(responded_case(), good_response(), S1_RESPONDED)
    assert "cannot respond" in refusal_of(exc).message
    assert check_respond(open_case(), good_response(), S1_RESPONDED) is None


# ======================================================================================
# Stage 2 escalation (5.3, 6.10, 6.12)
# ======================================================================================


def test_request_stage2_needs_no_reason():
    case = request_stage2(responded_case(), S2_REQUESTED, S2_REQUESTED)
    assert case.stage == 2
    assert case.status == Status.AWAITING_ACK
    assert case.stage2.requested == S2_REQUESTED
    assert case.stage2.officer is None
    assert case.stage1.officer == "alice"
    assert case.stage1.responded == S1_RESPONDED


def test_request_stage2_from_a_closed_stage1_case_is_allowed():
    case = request_stage2(responded_case(status=Status.CLOSED), S2_REQUESTED, S2_REQUESTED)
    assert case.stage == 2 and case.status == Status.AWAITING_ACK


@pytest.mark.parametrize("build", [awaiting_case, open_case], ids=["awaiting-ack", "open"])
def test_request_stage2_before_the_stage1_response_is_refused(build):
    with pytest.raises(Refused) as exc:
        request_stage2(build(), EXT_TODAY, EXT_TODAY)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.10"
    assert "before the Stage 1 response" in refusal.message


def test_request_stage2_dated_before_the_stage1_response_is_refused():
    with pytest.raises(Refused) as exc:
        request_stage2(responded_case(), d("Fri 16 Jan 2026"), S2_REQUESTED)
    assert refusal_of(exc).code_ref == "6.10"
    assert "Stage 1 response" in refusal_of(exc).message


@pytest.mark.parametrize(
    "build", [stage2_awaiting, stage2_open, stage2_responded], ids=["awaiting", "open", "responded"]
)
def test_a_third_stage_is_refused(build):
    today = d("Tue 17 Feb 2026")
    with pytest.raises(Refused) as exc:
        request_stage2(build(), today, today)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "5.3"
    assert "two stages" in refusal.message


# ======================================================================================
# Assignment (6.13; rule 14)
# ======================================================================================


@pytest.mark.parametrize("actor", [SUPERVISOR, ADMIN], ids=["supervisor", "administrator"])
def test_stage2_assignment_to_the_stage1_officer_is_refused_even_for_a_supervisor(actor):
    with pytest.raises(Refused) as exc:
        assign(stage2_awaiting(officer=None), "alice", True, actor)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.13"
    assert refusal.field == "officer"
    assert "alice" in refusal.message
    assert "Stage 1" in refusal.message


def test_stage2_reassignment_to_the_stage1_officer_is_refused():
    with pytest.raises(Refused) as exc:
        assign(stage2_open(), "alice", True, SUPERVISOR)
    assert refusal_of(exc).code_ref == "6.13"


def test_stage2_ineligibility_names_only_the_stage1_officer():
    case = stage2_awaiting(officer=None)
    refusal = stage2_ineligibility(case, "alice")
    assert refusal is not None and refusal.code_ref == "6.13"
    assert stage2_ineligibility(case, "bob") is None


def test_an_officer_allocating_stage2_is_refused():
    with pytest.raises(Refused) as exc:
        assign(stage2_awaiting(officer=None), "bob", True, COLLEAGUE)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.13"
    assert "supervisor" in refusal.message


@pytest.mark.parametrize("actor", [SUPERVISOR, ADMIN], ids=["supervisor", "administrator"])
def test_a_supervisor_allocating_stage2_to_another_officer_is_allowed(actor):
    case = assign(stage2_awaiting(officer=None), "bob", True, actor)
    assert case.stage2.officer == "bob"
    assert case.stage1.officer == "alice"


def test_assigning_an_inactive_officer_is_refused():
    with pytest.raises(Refused) as exc:
        assign(awaiting_case(), "carol", False, SUPERVISOR)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "4.1"
    assert "carol" in refusal.message
    assert "not an active officer" in refusal.message
    with pytest.raises(Refused):
        assign(stage2_awaiting(officer=None), "bob", False, SUPERVISOR)


def test_stage1_assignment_by_an_officer_is_allowed():
    case = assign(awaiting_case(), "bob", True, OFFICER, reason="alice is on leave")
    assert case.stage1.officer == "bob"
    assert check_assign(open_case(), "bob", True, OFFICER, reason="alice is on leave") is None


def test_reassigning_needs_a_reason_and_a_change():
    holder = open_case().stage1.officer
    assert check_assign(open_case(), "bob", True, OFFICER).field == "reason"
    assert check_assign(open_case(), "bob", True, OFFICER, reason="  ").field == "reason"
    assert check_assign(open_case(), "bob", True, OFFICER, reason=None) is None  # a form that has not asked yet
    no_change = check_assign(open_case(), holder, True, OFFICER, reason="x")
    assert (no_change.field, "nothing to change" in no_change.message) == ("officer", True)


def test_assigning_a_closed_case_is_refused():
    with pytest.raises(Refused) as exc:
        assign(responded_case(status=Status.CLOSED), "bob", True, SUPERVISOR)
    assert "cannot assign" in refusal_of(exc).message


# ======================================================================================
# Refusing escalation (5.11)
# ======================================================================================


def test_refuse_escalation_needs_a_ground():
    with pytest.raises(Refused) as exc:
        refuse_escalation(stage2_awaiting(), None, "the matter is now before the county court")
    refusal = refusal_of(exc)
    assert refusal.code_ref == "5.11"
    assert refusal.field == "ground"
    assert "section 2" in refusal.message


def test_refuse_escalation_needs_reasons():
    with pytest.raises(Refused) as exc:
        refuse_escalation(stage2_awaiting(), Ground.LEGAL_PROCEEDINGS, "  ")
    refusal = refusal_of(exc)
    assert refusal.code_ref == "5.11"
    assert refusal.field == "reasons"
    assert "reasons" in refusal.message


@pytest.mark.parametrize("build", [stage2_awaiting, responded_case], ids=["at-request", "stage1-responded"])
def test_refuse_escalation_with_ground_and_reasons_is_allowed(build):
    case = refuse_escalation(build(), Ground.LEGAL_PROCEEDINGS, "a claim was filed at court on 12 Jan 2026")
    assert case.status == Status.ESCALATION_REFUSED


def test_refuse_escalation_of_an_open_stage1_case_is_refused():
    with pytest.raises(Refused) as exc:
        refuse_escalation(open_case(), Ground.LEGAL_PROCEEDINGS, "claim filed")
    assert refusal_of(exc).code_ref == "5.11"
    assert "cannot refuse escalation" in refusal_of(exc).message


# ======================================================================================
# Not accepting (2.1, 2.2, 2.3)
# ======================================================================================


def test_not_accept_needs_a_ground():
    with pytest.raises(Refused) as exc:
        not_accept(awaiting_case(), None, "a claim has been filed at court", HOC)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "2.2"
    assert refusal.field == "ground"
    assert "ground" in refusal.message


def test_not_accept_needs_reasons():
    with pytest.raises(Refused) as exc:
        not_accept(awaiting_case(), Ground.LEGAL_PROCEEDINGS, "", HOC)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "2.1"
    assert refusal.field == "reasons"
    assert "reasons" in refusal.message


def test_not_accept_on_the_twelve_month_ground_when_the_issue_is_recent_is_refused():
    # Issue Mon 1 Dec 2025, received Mon 5 Jan 2026: well within 12 months.
    with pytest.raises(Refused) as exc:
        not_accept(awaiting_case(), Ground.OVER_TWELVE_MONTHS, "too old", HOC)
    refusal = refusal_of(exc)
    assert refusal.code_ref == "2.3"
    assert refusal.field == "ground"
    assert "12-month ground does not apply" in refusal.message


def test_not_accept_on_the_twelve_month_ground_at_exactly_twelve_months_is_refused():
    with pytest.raises(Refused) as exc:
        not_accept(awaiting_case(issue_date=d("Sun 5 Jan 2025")), Ground.OVER_TWELVE_MONTHS, "too old", HOC)
    assert refusal_of(exc).code_ref == "2.3"


def test_not_accept_on_the_twelve_month_ground_for_an_old_issue_is_allowed():
    case = not_accept(
        awaiting_case(issue_date=d("Sat 4 Jan 2025")),
        Ground.OVER_TWELVE_MONTHS,
        "the issue arose in 2024 and no good reason for the delay",
        HOC,
    )
    assert case.status == Status.NOT_ACCEPTED


@pytest.mark.parametrize("build", [awaiting_case, open_case], ids=["awaiting-ack", "open"])
def test_not_accept_for_legal_proceedings_is_allowed(build):
    case = not_accept(build(), Ground.LEGAL_PROCEEDINGS, "particulars of claim filed at court on 2 Jan 2026", HOC)
    assert case.status == Status.NOT_ACCEPTED


def test_not_accept_after_the_response_is_refused():
    with pytest.raises(Refused) as exc:
        not_accept(responded_case(), Ground.LEGAL_PROCEEDINGS, "claim filed", HOC)
    assert refusal_of(exc).code_ref == "2.1"


def test_not_accept_at_stage2_points_to_refuse_escalation():
    with pytest.raises(Refused) as exc:
        not_accept(stage2_awaiting(), Ground.LEGAL_PROCEEDINGS, "claim filed", HOC)
    assert refusal_of(exc).code_ref == "5.11"
    assert "refuse escalation" in refusal_of(exc).message


# ======================================================================================
# Withdrawal and closure (5.12, 6.6, 6.17)
# ======================================================================================


def test_withdraw_needs_a_reason():
    with pytest.raises(Refused) as exc:
        withdraw(open_case(), " ")
    refusal = refusal_of(exc)
    assert refusal.code_ref == "5.12"
    assert refusal.field == "reason"
    assert "withdrawing" in refusal.message


@pytest.mark.parametrize("build", [awaiting_case, open_case, stage2_awaiting], ids=["awaiting", "open", "stage2"])
def test_withdraw_allowed(build):
    assert withdraw(build(), "repair now done, resident satisfied").status == Status.WITHDRAWN


def test_withdraw_from_a_closed_case_is_refused():
    with pytest.raises(Refused) as exc:
        withdraw(responded_case(status=Status.CLOSED), "no longer wants to pursue it")
    refusal = refusal_of(exc)
    assert refusal.code_ref == "5.12"
    assert "cannot withdraw" in refusal.message
    assert "closed" in refusal.message


def test_close_with_open_outstanding_actions_at_stage1_is_refused():
    with pytest.raises(Refused) as exc:
        close(responded_case(open_actions=2))
    refusal = refusal_of(exc)
    assert refusal.code_ref == "6.6"
    assert refusal.field == "actions"
    assert "2 outstanding action" in refusal.message


def test_close_with_open_outstanding_actions_at_stage2_is_refused():
    with pytest.raises(Refused) as exc:
        close(stage2_responded(open_actions=1))
    assert refusal_of(exc).code_ref == "6.17"
    assert "1 outstanding action" in refusal_of(exc).message


@pytest.mark.parametrize("build", [responded_case, stage2_responded], ids=["stage1", "stage2"])
def test_close_a_responded_case_with_no_open_actions_is_allowed(build):
    assert close(build()).status == Status.CLOSED


def test_close_an_unresponded_case_is_refused():
    with pytest.raises(Refused) as exc:
        close(open_case())
    assert "cannot close" in refusal_of(exc).message


# ======================================================================================
# Related issues (6.8)
# ======================================================================================


@pytest.mark.parametrize("build", [awaiting_case, open_case], ids=["awaiting", "open"])
def test_related_issue_before_the_stage1_response_is_added(build):
    decision = decide_related_issue(build(), related=True, would_delay=False)
    assert decision.add_to_case is True
    assert decision.code_ref == "6.8"
    assert "added to this case" in decision.why


def test_unrelated_issue_becomes_a_new_linked_case():
    decision = decide_related_issue(open_case(), related=False, would_delay=False)
    assert decision.add_to_case is False
    assert decision.code_ref == "6.8"
    assert "not related" in decision.why


@pytest.mark.parametrize("build", [responded_case, stage2_open], ids=["stage1-responded", "stage2"])
def test_issue_after_the_stage1_response_becomes_a_new_case(build):
    decision = decide_related_issue(build(), related=True, would_delay=False)
    assert decision.add_to_case is False
    assert "already been issued" in decision.why


def test_related_issue_that_would_delay_the_response_becomes_a_new_case():
    decision = decide_related_issue(open_case(), related=True, would_delay=True)
    assert decision.add_to_case is False
    assert "delay" in decision.why


# ======================================================================================
# The whole path, through the functions
# ======================================================================================


def test_a_case_through_both_stages():
    case = log_case(new_case(issue_date=d("Mon 1 Dec 2025")), HOC, RECEIVED, "alice")
    case = acknowledge(case, ACKNOWLEDGED, DEFINITION, ACKNOWLEDGED)
    case = extend(case, ext(2, told=d("Fri 16 Jan 2026")), OFFICER, HOC, CAL, d("Fri 16 Jan 2026"))
    case = respond(case, good_response(on=d("Fri 23 Jan 2026")), d("Fri 23 Jan 2026"))
    assert case.status == Status.RESPONDED
    case = request_stage2(case, d("Mon 26 Jan 2026"), d("Mon 26 Jan 2026"))
    with pytest.raises(Refused):
        assign(case, "alice", True, SUPERVISOR)
    case = assign(case, "bob", True, SUPERVISOR)
    case = acknowledge(case, d("Tue 27 Jan 2026"), DEFINITION, d("Tue 27 Jan 2026"))
    # 20 WD after Tue 27 Jan 2026: 28-30 Jan (3), 2-6 Feb (8), 9-13 (13), 16-20 (18), 23, 24 Feb (20).
    assert response_deadline(case, case.stage2, HOC, CAL).due == d("Tue 24 Feb 2026")
    case = respond(case, good_response(on=d("Mon 23 Feb 2026")), d("Mon 23 Feb 2026"))
    case = close(case)
    assert case.status == Status.CLOSED
    assert (case.stage1.officer, case.stage2.officer) == ("alice", "bob")


# ======================================================================================
# Registers: remedies (7.3), actions (6.6), adjustments (5.10), restrictions (5.14, 5.15)
# ======================================================================================

REG_TODAY = d("Mon 19 Jan 2026")
LATER = d("Mon 2 Feb 2026")


def test_remedy_offer_allowed():
    assert (
        check_remedy_offer(RemedyKind.FINANCIAL, "pay £250 for the missed appointments", LATER, 25000, REG_TODAY)
        is None
    )
    assert (
        check_remedy_offer(RemedyKind.APOLOGY, "written apology from the repairs manager", LATER, None, REG_TODAY)
        is None
    )
    assert check_remedy_offer(RemedyKind.ACTION, "treat the damp", REG_TODAY, None, REG_TODAY) is None


def test_remedy_offer_needs_what_will_happen():
    refusal = check_remedy_offer(RemedyKind.APOLOGY, " ", LATER, None, REG_TODAY)
    assert refusal is not None
    assert refusal.code_ref == "7.3"
    assert refusal.field == "what"
    assert "what will happen" in refusal.message


def test_remedy_offer_needs_by_when():
    refusal = check_remedy_offer(RemedyKind.APOLOGY, "written apology", None, None, REG_TODAY)
    assert refusal is not None
    assert refusal.code_ref == "7.3"
    assert refusal.field == "by_when"
    assert "by when" in refusal.message


def test_remedy_offer_due_in_the_past_is_refused():
    refusal = check_remedy_offer(RemedyKind.APOLOGY, "written apology", d("Fri 16 Jan 2026"), None, REG_TODAY)
    assert refusal is not None and refusal.code_ref == "7.3" and refusal.field == "by_when"
    assert "past" in refusal.message


@pytest.mark.parametrize("amount", [0, -100, None])
def test_financial_remedy_needs_a_positive_amount(amount):
    refusal = check_remedy_offer(RemedyKind.FINANCIAL, "pay compensation", LATER, amount, REG_TODAY)
    assert refusal is not None
    assert refusal.code_ref == "7.3"
    assert refusal.field == "amount"
    assert "greater than zero" in refusal.message


def test_negative_amount_refused_for_any_remedy():
    refusal = check_remedy_offer(RemedyKind.ACTION, "replace the window", LATER, -1, REG_TODAY)
    assert refusal is not None
    assert refusal.code_ref == "7.3"
    assert "negative" in refusal.message


def test_remedy_moves_offered_accepted_paid_completed_are_allowed():
    path = [RemedyState.OFFERED, RemedyState.ACCEPTED, RemedyState.PAID, RemedyState.COMPLETED]
    for current, target in zip(path, path[1:], strict=False):
        assert check_remedy_move(RemedyKind.FINANCIAL, current, target) is None
    assert check_remedy_move(RemedyKind.ACTION, RemedyState.ACCEPTED, RemedyState.COMPLETED) is None
    assert check_remedy_move(RemedyKind.APOLOGY, RemedyState.OFFERED, RemedyState.DECLINED) is None


@pytest.mark.parametrize("kind", [RemedyKind.APOLOGY, RemedyKind.EXPLANATION, RemedyKind.ACTION])
def test_paid_for_a_non_financial_remedy_is_refused(kind):
    refusal = check_remedy_move(kind, RemedyState.ACCEPTED, RemedyState.PAID)
    assert refusal is not None
    assert refusal.code_ref == "7.3"
    assert refusal.field == "state"
    assert "financial" in refusal.message


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (RemedyState.DECLINED, RemedyState.ACCEPTED),
        (RemedyState.OFFERED, RemedyState.PAID),
        (RemedyState.COMPLETED, RemedyState.OFFERED),
        (RemedyState.PAID, RemedyState.ACCEPTED),
    ],
)
def test_remedy_moves_out_of_order_are_refused(current, target):
    refusal = check_remedy_move(RemedyKind.FINANCIAL, current, target)
    assert refusal is not None
    assert refusal.code_ref == "7.3"
    assert f"{current.value} cannot become {target.value}" in refusal.message


def test_outstanding_action_allowed():
    assert check_action("treat the damp in the bedroom", "repairs team", LATER, REG_TODAY) is None


@pytest.mark.parametrize(
    ("description", "owner", "due", "field_name"),
    [
        ("treat the damp", " ", LATER, "owner"),
        ("treat the damp", "repairs team", None, "due"),
        ("", "repairs team", LATER, "description"),
    ],
)
def test_outstanding_action_needs_description_owner_and_due(description, owner, due, field_name):
    refusal = check_action(description, owner, due, REG_TODAY)
    assert refusal is not None
    assert refusal.code_ref == "6.6"
    assert refusal.field == field_name


def test_adjustment_allowed_with_a_future_review_date():
    assert check_adjustment("large print", d("Tue 20 Jan 2026"), REG_TODAY) is None


@pytest.mark.parametrize("review", [None, REG_TODAY, d("Fri 16 Jan 2026")], ids=["none", "today", "past"])
def test_adjustment_needs_a_future_review_date(review):
    refusal = check_adjustment("large print", review, REG_TODAY)
    assert refusal is not None
    assert refusal.code_ref == "5.10"
    assert refusal.field == "review_date"
    assert "review date" in refusal.message


def test_adjustment_needs_the_adjustment():
    refusal = check_adjustment(" ", LATER, REG_TODAY)
    assert refusal is not None and refusal.code_ref == "5.10" and refusal.field == "kind"


def test_restriction_allowed():
    assert check_restriction("contact by email only", "log of abusive calls 5-12 Jan", "sam", LATER, REG_TODAY) is None


@pytest.mark.parametrize(
    ("restriction", "evidence", "authorised_by", "review", "code_ref", "field_name"),
    [
        ("email only", " ", "sam", LATER, "5.14", "evidence"),
        ("email only", "call log", "", LATER, "5.14", "authorised_by"),
        ("", "call log", "sam", LATER, "5.14", "restriction"),
        ("email only", "call log", "sam", None, "5.15", "review_date"),
        ("email only", "call log", "sam", REG_TODAY, "5.15", "review_date"),
    ],
    ids=["evidence", "authoriser", "restriction", "no-review", "review-today"],
)
def test_restriction_needs_evidence_authoriser_and_review_date(
    restriction, evidence, authorised_by, review, code_ref, field_name
):
    refusal = check_restriction(restriction, evidence, authorised_by, review, REG_TODAY)
    assert refusal is not None
    assert refusal.code_ref == code_ref
    assert refusal.field == field_name


def test_disability_and_review_guards():
    from caseworker.rules.registers import check_disability, check_review

    today = date(2025, 12, 10)
    assert check_disability(" ", today, today).field == "description"
    assert check_disability("Sight loss", None, today).field == "disclosed_on"
    assert check_disability("Sight loss", date(2025, 12, 11), today).message == "the date disclosed is in the future"
    assert check_disability("Sight loss", today, today) is None
    assert check_review("adjustment", "", date(2026, 1, 5), False, today).code_ref == "5.10"
    assert check_review("restriction", "kept", None, False, today).code_ref == "5.15"
    assert check_review("restriction", "kept", today, False, today).field == "next_review"
    assert check_review("adjustment", "no longer needed", None, True, today) is None
