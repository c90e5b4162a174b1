"""Deadlines (SPEC sections 2-3) under both shipped policy profiles.

Every expected date is written out literally and was counted by hand against the England
and Wales bank holidays in shared/domain/FACTS.md section 4 (2025: Thu 25 and Fri 26 Dec;
2026: Thu 1 Jan, Fri 3 Apr, Mon 6 Apr, Mon 4 May, Mon 25 May, Mon 31 Aug, Fri 25 Dec and
Mon 28 Dec (Boxing Day substitute)). The tests never ask the calendar what the answer is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.deadlines import (
    acknowledgement_deadline,
    is_out_of_time,
    months_before,
    next_deadline,
    responded_in_time,
    response_deadline,
)
from caseworker.rules.facts import CaseFacts, CaseType, Extension, StageFacts, Status
from caseworker.rules.policy import load_policy

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
CAL = WorkingCalendar()  # England and Wales, no closure days


def stage1_case(
    received: str,
    *,
    acknowledged: str | None = None,
    responded: str | None = None,
    extensions: tuple[Extension, ...] = (),
    status: Status | None = None,
) -> CaseFacts:
    if status is None:
        status = Status.RESPONDED if responded else Status.OPEN if acknowledged else Status.AWAITING_ACK
    return CaseFacts(
        case_type=CaseType.COMPLAINT,
        received=d(received),
        status=status,
        stage1=StageFacts(
            number=1,
            requested=d(received),
            officer="alice",
            acknowledged=d(acknowledged) if acknowledged else None,
            responded=d(responded) if responded else None,
            extensions=extensions,
        ),
    )


def stage2_case(
    requested: str,
    *,
    acknowledged: str | None = None,
    responded: str | None = None,
    extensions: tuple[Extension, ...] = (),
) -> CaseFacts:
    """A case responded at Stage 1 in early Dec 2025, now at Stage 2."""
    status = Status.RESPONDED if responded else Status.OPEN if acknowledged else Status.AWAITING_ACK
    return CaseFacts(
        case_type=CaseType.COMPLAINT,
        received=d("Mon 3 Nov 2025"),
        status=status,
        stage1=StageFacts(
            number=1,
            requested=d("Mon 3 Nov 2025"),
            officer="alice",
            acknowledged=d("Wed 5 Nov 2025"),
            responded=d("Wed 19 Nov 2025"),
        ),
        stage2=StageFacts(
            number=2,
            requested=d(requested),
            officer="bob",
            acknowledged=d(acknowledged) if acknowledged else None,
            responded=d(responded) if responded else None,
            extensions=extensions,
        ),
    )


def ext(days: int) -> Extension:
    return Extension(working_days=days, reason="awaiting a contractor's report", resident_told=d("Mon 5 Jan 2026"))


# --------------------------------------------------------------------------------------
# The policy profiles hold the numbers the tests below rely on (SPEC section 3)
# --------------------------------------------------------------------------------------


def test_policy_profiles_hold_the_spec_timescales():
    assert (HOC.stage1.acknowledge.days, HOC.stage1.acknowledge.start, HOC.stage1.acknowledge.code_ref) == (
        5,
        "received",
        "6.2",
    )
    assert (HOC.stage1.response.days, HOC.stage1.response.start, HOC.stage1.response.code_ref) == (
        10,
        "acknowledged",
        "6.3",
    )
    assert (HOC.stage2.acknowledge.days, HOC.stage2.acknowledge.start, HOC.stage2.acknowledge.code_ref) == (
        5,
        "requested",
        "6.11",
    )
    assert (HOC.stage2.response.days, HOC.stage2.response.start, HOC.stage2.response.code_ref) == (
        20,
        "acknowledged",
        "6.14",
    )
    assert (HOC.stage1.extension_cap, HOC.stage2.extension_cap) == (10, 20)
    assert (MKCC.stage1.response.days, MKCC.stage1.response.start) == (15, "received")
    assert (MKCC.stage2.response.days, MKCC.stage2.response.start) == (15, "requested")
    assert (MKCC.stage1.extension_cap, MKCC.stage2.extension_cap) == (10, None)
    assert HOC.age_limit_months == MKCC.age_limit_months == 12


# --------------------------------------------------------------------------------------
# hoc-2024, Stage 1
# --------------------------------------------------------------------------------------


def test_hoc_stage1_acknowledgement_over_christmas():
    # Received Fri 19 Dec 2025: 22, 23, 24, (25, 26 bank holidays), 29, 30 Dec.
    case = stage1_case("Fri 19 Dec 2025")
    deadline = acknowledgement_deadline(case, case.stage1, HOC, CAL)
    assert deadline.due == d("Tue 30 Dec 2025")
    assert deadline.kind == "acknowledge"
    assert deadline.stage == 1
    assert deadline.code_ref == "6.2"
    assert deadline.label == "Stage 1 acknowledgement"


def test_hoc_stage1_acknowledgement_received_on_a_saturday():
    # Sat 20 Dec 2025 itself never counts: 22, 23, 24, 29, 30 Dec.
    case = stage1_case("Sat 20 Dec 2025")
    assert acknowledgement_deadline(case, case.stage1, HOC, CAL).due == d("Tue 30 Dec 2025")


def test_hoc_stage1_acknowledgement_over_easter_2026():
    # Received Wed 1 Apr 2026: 2 Apr, (3 Apr Good Friday, 4-5 weekend, 6 Apr Easter Monday), 7, 8, 9, 10 Apr.
    case = stage1_case("Wed 1 Apr 2026")
    assert acknowledgement_deadline(case, case.stage1, HOC, CAL).due == d("Fri 10 Apr 2026")


def test_hoc_stage1_response_runs_ten_working_days_from_acknowledgement():
    # Acknowledged Tue 30 Dec 2025: 31 Dec, (1 Jan holiday), 2, 5, 6, 7, 8, 9, 12, 13, 14 Jan.
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025")
    deadline = response_deadline(case, case.stage1, HOC, CAL)
    assert deadline is not None
    assert deadline.due == d("Wed 14 Jan 2026")
    assert deadline.kind == "respond"
    assert deadline.code_ref == "6.3"
    assert deadline.label == "Stage 1 response"


def test_hoc_stage1_response_depends_on_the_acknowledgement_date_not_receipt():
    # Same receipt, acknowledged earlier on Mon 22 Dec 2025:
    # 23, 24, (25, 26), 29, 30, 31 Dec, (1 Jan), 2, 5, 6, 7, 8 Jan.
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Mon 22 Dec 2025")
    assert response_deadline(case, case.stage1, HOC, CAL).due == d("Thu 8 Jan 2026")


def test_hoc_stage1_response_before_acknowledgement_runs_from_the_acknowledgement_due_date():
    # Received Fri 19 Dec 2025: acknowledgement due Tue 30 Dec 2025 (22, 23, 24, 29, 30 Dec;
    # Christmas Day and Boxing Day skipped). No acknowledgement yet: the response is due
    # 10 WD after Tue 30 Dec = Wed 14 Jan 2026 (Thu 1 Jan skipped).
    case = stage1_case("Fri 19 Dec 2025")
    deadline = response_deadline(case, case.stage1, HOC, CAL)
    assert deadline.due == d("Wed 14 Jan 2026")
    assert deadline.explanation.start == d("Tue 30 Dec 2025")
    assert "no acknowledgement is recorded" in deadline.explanation.text()


def test_hoc_stage1_response_with_a_five_day_extension():
    # 10 + 5 = 15 WD after Tue 30 Dec 2025: ... 14 Jan (10), 15, 16, 19, 20, 21 Jan.
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025", extensions=(ext(5),))
    deadline = response_deadline(case, case.stage1, HOC, CAL)
    assert deadline.due == d("Wed 21 Jan 2026")
    assert "extended by 5" in deadline.explanation.text()


def test_hoc_stage1_extensions_accumulate():
    # 3 + 2 = 5 extra working days: the same Wed 21 Jan 2026.
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025", extensions=(ext(3), ext(2)))
    assert response_deadline(case, case.stage1, HOC, CAL).due == d("Wed 21 Jan 2026")


# --------------------------------------------------------------------------------------
# hoc-2024, Stage 2
# --------------------------------------------------------------------------------------


def test_hoc_stage2_acknowledgement_five_working_days_after_the_request():
    # Requested Mon 2 Mar 2026: 3, 4, 5, 6, 9 Mar.
    case = stage2_case("Mon 2 Mar 2026")
    deadline = acknowledgement_deadline(case, case.stage2, HOC, CAL)
    assert deadline.due == d("Mon 9 Mar 2026")
    assert deadline.code_ref == "6.11"
    assert deadline.label == "Stage 2 acknowledgement"


def test_hoc_stage2_acknowledgement_over_christmas_2026_boxing_day_substitute():
    # Requested Fri 18 Dec 2026: 21, 22, 23, 24, (25 Christmas, 26-27 weekend, 28 Boxing Day substitute), 29 Dec.
    case = stage2_case("Fri 18 Dec 2026")
    assert acknowledgement_deadline(case, case.stage2, HOC, CAL).due == d("Tue 29 Dec 2026")


def test_hoc_stage2_response_twenty_working_days_after_acknowledgement_over_easter():
    # Acknowledged Mon 9 Mar 2026: 10-13 Mar (4), 16-20 (9), 23-27 (14), 30, 31 Mar, 1, 2 Apr (18),
    # (3 Apr Good Friday, 6 Apr Easter Monday), 7 Apr (19), 8 Apr (20).
    case = stage2_case("Mon 2 Mar 2026", acknowledged="Mon 9 Mar 2026")
    deadline = response_deadline(case, case.stage2, HOC, CAL)
    assert deadline.due == d("Wed 8 Apr 2026")
    assert deadline.code_ref == "6.14"
    assert deadline.label == "Stage 2 response"


def test_hoc_stage2_response_with_a_twenty_day_extension_over_early_may():
    # 40 WD after Mon 9 Mar 2026: 8 Apr (20), 9, 10 (22), 13-17 (27), 20-24 (32), 27-30 (36),
    # 1 May (37), (4 May Early May bank holiday), 5, 6, 7 May (40).
    case = stage2_case("Mon 2 Mar 2026", acknowledged="Mon 9 Mar 2026", extensions=(ext(20),))
    assert response_deadline(case, case.stage2, HOC, CAL).due == d("Thu 7 May 2026")


def test_hoc_stage2_response_before_acknowledgement_runs_from_the_acknowledgement_due_date():
    # Requested Mon 2 Mar 2026: acknowledgement due Mon 9 Mar. 20 WD after it: 10-13 Mar (4),
    # 16-20 (9), 23-27 (14), 30 Mar-2 Apr (18), Good Friday 3 Apr and Easter Monday 6 Apr
    # skipped, Tue 7 (19), Wed 8 Apr 2026 (20).
    case = stage2_case("Mon 2 Mar 2026")
    assert response_deadline(case, case.stage2, HOC, CAL).due == d("Wed 8 Apr 2026")


# --------------------------------------------------------------------------------------
# mkcc-corporate
# --------------------------------------------------------------------------------------


def test_mkcc_stage1_acknowledgement_is_five_working_days_after_receipt():
    case = stage1_case("Fri 19 Dec 2025")
    assert acknowledgement_deadline(case, case.stage1, MKCC, CAL).due == d("Tue 30 Dec 2025")


def test_mkcc_stage1_response_fifteen_working_days_after_receipt_whatever_the_acknowledgement():
    # Received Fri 19 Dec 2025: 22, 23, 24 (3), (25, 26), 29, 30, 31 (6), (1 Jan), 2 (7),
    # 5-9 (12), 12, 13, 14 Jan (15).  Acknowledged 22 Dec: the clock still runs from receipt.
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Mon 22 Dec 2025")
    deadline = response_deadline(case, case.stage1, MKCC, CAL)
    assert deadline.due == d("Wed 14 Jan 2026")
    # Under hoc-2024 the same case is due 10 WD after the acknowledgement instead.
    assert response_deadline(case, case.stage1, HOC, CAL).due == d("Thu 8 Jan 2026")


def test_mkcc_stage1_response_is_known_before_acknowledgement():
    # The clock starts at receipt, so the due date exists already.
    # Received Thu 16 Apr 2026: 17 (1), 20-24 (6), 27-30 (10), 1 May (11), (4 May), 5, 6, 7, 8 May (15).
    case = stage1_case("Thu 16 Apr 2026")
    deadline = response_deadline(case, case.stage1, MKCC, CAL)
    assert deadline is not None
    assert deadline.due == d("Fri 8 May 2026")


def test_mkcc_stage1_response_with_an_extension():
    # 15 + 5 = 20 WD after Fri 19 Dec 2025: 14 Jan (15), 15, 16, 19, 20, 21 Jan (20).
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Mon 22 Dec 2025", extensions=(ext(5),))
    assert response_deadline(case, case.stage1, MKCC, CAL).due == d("Wed 21 Jan 2026")


def test_mkcc_stage2_response_fifteen_working_days_after_the_request():
    # Requested Mon 2 Mar 2026: 3-6 (4), 9-13 (9), 16-20 (14), 23 Mar (15).
    case = stage2_case("Mon 2 Mar 2026", acknowledged="Fri 6 Mar 2026")
    deadline = response_deadline(case, case.stage2, MKCC, CAL)
    assert deadline.due == d("Mon 23 Mar 2026")
    assert deadline.code_ref == "6.14"
    assert acknowledgement_deadline(case, case.stage2, MKCC, CAL).due == d("Mon 9 Mar 2026")


def test_mkcc_stage2_response_over_christmas():
    # Requested Wed 17 Dec 2025: 18, 19, 22, 23, 24 (5), (25, 26), 29, 30, 31 (8), (1 Jan),
    # 2 (9), 5-9 (14), 12 Jan (15).
    case = stage2_case("Wed 17 Dec 2025")
    assert response_deadline(case, case.stage2, MKCC, CAL).due == d("Mon 12 Jan 2026")


# --------------------------------------------------------------------------------------
# next_deadline
# --------------------------------------------------------------------------------------


def test_next_deadline_is_the_acknowledgement_until_acknowledged():
    case = stage1_case("Fri 19 Dec 2025")
    deadline = next_deadline(case, HOC, CAL)
    assert deadline is not None
    assert (deadline.kind, deadline.stage, deadline.due) == ("acknowledge", 1, d("Tue 30 Dec 2025"))


def test_next_deadline_switches_to_the_response_once_acknowledged():
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025")
    deadline = next_deadline(case, HOC, CAL)
    assert deadline is not None
    assert (deadline.kind, deadline.stage, deadline.due) == ("respond", 1, d("Wed 14 Jan 2026"))


def test_next_deadline_is_none_once_responded():
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025", responded="Mon 12 Jan 2026")
    assert next_deadline(case, HOC, CAL) is None


@pytest.mark.parametrize("status", [Status.NOT_ACCEPTED, Status.WITHDRAWN, Status.CLOSED, Status.ESCALATION_REFUSED])
def test_next_deadline_is_none_when_the_case_is_not_live(status):
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025", status=status)
    assert next_deadline(case, HOC, CAL) is None


def test_next_deadline_follows_the_current_stage():
    awaiting = stage2_case("Mon 2 Mar 2026")
    deadline = next_deadline(awaiting, HOC, CAL)
    assert (deadline.kind, deadline.stage, deadline.due, deadline.code_ref) == (
        "acknowledge",
        2,
        d("Mon 9 Mar 2026"),
        "6.11",
    )
    open_ = stage2_case("Mon 2 Mar 2026", acknowledged="Mon 9 Mar 2026")
    deadline = next_deadline(open_, HOC, CAL)
    assert (deadline.kind, deadline.stage, deadline.due, deadline.code_ref) == (
        "respond",
        2,
        d("Wed 8 Apr 2026"),
        "6.14",
    )


def test_next_deadline_under_mkcc_uses_receipt_for_the_response():
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025")
    assert next_deadline(case, MKCC, CAL).due == d("Wed 14 Jan 2026")  # 15 WD after 19 Dec
    case = stage1_case("Thu 16 Apr 2026", acknowledged="Fri 17 Apr 2026")
    assert next_deadline(case, MKCC, CAL).due == d("Fri 8 May 2026")


# --------------------------------------------------------------------------------------
# responded_in_time
# --------------------------------------------------------------------------------------


def test_responded_on_the_due_date_is_in_time():
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025", responded="Wed 14 Jan 2026")
    assert responded_in_time(case.stage1, case, HOC, CAL) is True


def test_responded_the_day_after_the_due_date_is_late():
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025", responded="Thu 15 Jan 2026")
    assert responded_in_time(case.stage1, case, HOC, CAL) is False


def test_responded_in_time_counts_extensions():
    case = stage1_case(
        "Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025", responded="Wed 21 Jan 2026", extensions=(ext(5),)
    )
    assert responded_in_time(case.stage1, case, HOC, CAL) is True
    late = replace(case, stage1=replace(case.stage1, responded=d("Thu 22 Jan 2026")))
    assert responded_in_time(late.stage1, late, HOC, CAL) is False


def test_responded_in_time_is_none_when_not_responded():
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025")
    assert responded_in_time(case.stage1, case, HOC, CAL) is None


def test_responded_in_time_at_stage2():
    on_time = stage2_case("Mon 2 Mar 2026", acknowledged="Mon 9 Mar 2026", responded="Wed 8 Apr 2026")
    assert responded_in_time(on_time.stage2, on_time, HOC, CAL) is True
    late = stage2_case("Mon 2 Mar 2026", acknowledged="Mon 9 Mar 2026", responded="Thu 9 Apr 2026")
    assert responded_in_time(late.stage2, late, HOC, CAL) is False
    # mkcc: 15 WD after the request, Mon 23 Mar 2026.
    mk_on_time = stage2_case("Mon 2 Mar 2026", acknowledged="Fri 6 Mar 2026", responded="Mon 23 Mar 2026")
    assert responded_in_time(mk_on_time.stage2, mk_on_time, MKCC, CAL) is True
    mk_late = stage2_case("Mon 2 Mar 2026", acknowledged="Fri 6 Mar 2026", responded="Tue 24 Mar 2026")
    assert responded_in_time(mk_late.stage2, mk_late, MKCC, CAL) is False


# --------------------------------------------------------------------------------------
# Explanations
# --------------------------------------------------------------------------------------


def test_acknowledgement_explanation_names_rule_code_and_skipped_days():
    case = stage1_case("Fri 19 Dec 2025")
    text = acknowledgement_deadline(case, case.stage1, HOC, CAL).explanation.text()
    assert text.startswith("due Tue 30 Dec 2025: 5 working days after Fri 19 Dec 2025")
    assert "Stage 1 acknowledgement" in text
    assert "Code 6.2" in text
    assert "after receipt" in text
    assert text.endswith("skipped Sat 20, Sun 21, Thu 25 (Christmas Day), Fri 26 (Boxing Day), Sat 27, Sun 28")


def test_response_explanation_names_rule_code_and_the_new_year_holiday():
    case = stage1_case("Fri 19 Dec 2025", acknowledged="Tue 30 Dec 2025")
    explanation = response_deadline(case, case.stage1, HOC, CAL).explanation
    assert explanation.start == d("Tue 30 Dec 2025")
    assert explanation.working_days == 10
    assert explanation.due == d("Wed 14 Jan 2026")
    assert [s.day for s in explanation.skipped] == [
        d("Thu 1 Jan 2026"),
        d("Sat 3 Jan 2026"),
        d("Sun 4 Jan 2026"),
        d("Sat 10 Jan 2026"),
        d("Sun 11 Jan 2026"),
    ]
    text = explanation.text()
    assert text.startswith("due Wed 14 Jan 2026: 10 working days after Tue 30 Dec 2025")
    assert "Stage 1 response" in text
    assert "Code 6.3" in text
    assert "after the acknowledgement on Tue 30 Dec 2025, made by its due date" in text
    assert "Thu 1 Jan (New Year's Day)" in text


def test_stage2_explanations_name_6_11_and_6_14():
    case = stage2_case("Mon 2 Mar 2026", acknowledged="Mon 9 Mar 2026")
    ack_text = acknowledgement_deadline(case, case.stage2, HOC, CAL).explanation.text()
    assert "Code 6.11" in ack_text and "escalation request" in ack_text
    resp_text = response_deadline(case, case.stage2, HOC, CAL).explanation.text()
    assert resp_text.startswith("due Wed 8 Apr 2026: 20 working days after Mon 9 Mar 2026")
    assert "Code 6.14" in resp_text
    assert "Good Friday" in resp_text and "Easter Monday" in resp_text


# --------------------------------------------------------------------------------------
# The 12-month age limit (2.3) and months_before
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("policy", [HOC, MKCC], ids=["hoc-2024", "mkcc-corporate"])
def test_issue_exactly_twelve_months_before_receipt_is_not_out_of_time(policy):
    assert is_out_of_time(d("Mon 15 Dec 2025"), d("Sun 15 Dec 2024"), policy) is False


@pytest.mark.parametrize("policy", [HOC, MKCC], ids=["hoc-2024", "mkcc-corporate"])
def test_issue_one_day_more_than_twelve_months_before_receipt_is_out_of_time(policy):
    assert is_out_of_time(d("Mon 15 Dec 2025"), d("Sat 14 Dec 2024"), policy) is True


def test_recent_or_unknown_issue_is_not_out_of_time():
    assert is_out_of_time(d("Mon 15 Dec 2025"), d("Mon 16 Dec 2024"), HOC) is False
    assert is_out_of_time(d("Mon 15 Dec 2025"), d("Mon 15 Dec 2025"), HOC) is False
    assert is_out_of_time(d("Mon 15 Dec 2025"), None, HOC) is False


def test_out_of_time_boundary_at_a_leap_day():
    # Received Thu 29 Feb 2024: 12 months earlier clamps to Tue 28 Feb 2023.
    assert is_out_of_time(d("Thu 29 Feb 2024"), d("Tue 28 Feb 2023"), HOC) is False
    assert is_out_of_time(d("Thu 29 Feb 2024"), d("Mon 27 Feb 2023"), HOC) is True


def test_months_before_keeps_the_day_of_month():
    assert months_before(date(2025, 12, 15), 12) == date(2024, 12, 15)
    assert months_before(date(2026, 1, 10), 1) == date(2025, 12, 10)
    assert months_before(date(2026, 3, 1), 14) == date(2025, 1, 1)


def test_months_before_clamps_31_march_to_end_of_february():
    assert months_before(date(2025, 3, 31), 1) == date(2025, 2, 28)
    assert months_before(date(2024, 3, 31), 1) == date(2024, 2, 29)  # leap year
    assert months_before(date(2025, 3, 30), 1) == date(2025, 2, 28)
    assert months_before(date(2025, 5, 31), 1) == date(2025, 4, 30)
    assert months_before(date(2024, 2, 29), 12) == date(2023, 2, 28)


def test_bulk_due_dates_agree_with_the_explained_deadlines():
    """Import and demo use stage_due_dates/next_due: the same rule as the explained deadlines."""
    from caseworker.rules.deadlines import next_due, stage_due_dates

    cal = WorkingCalendar()
    for key in ("hoc-2024", "mkcc-corporate"):
        policy = load_policy(key)
        case = CaseFacts(
            case_type=CaseType.COMPLAINT,
            received=date(2025, 12, 19),
            status=Status.OPEN,
            stage1=StageFacts(
                1,
                date(2025, 12, 19),
                acknowledged=date(2025, 12, 30),
                extensions=(Extension(5, "survey", date(2026, 1, 5)),),
            ),
        )
        ack, resp = stage_due_dates(policy, cal, 1, case.received, case.stage1.requested, case.stage1.acknowledged, 5)
        assert ack == acknowledgement_deadline(case, case.stage1, policy, cal).due == date(2025, 12, 30)
        assert resp == response_deadline(case, case.stage1, policy, cal).due
        assert next_due("open", ack, resp) == (next_deadline(case, policy, cal).due, "respond")
    assert next_due("awaiting-acknowledgement", date(2025, 12, 30), None) == (date(2025, 12, 30), "acknowledge")
    assert next_due("responded", date(2025, 12, 30), date(2026, 1, 14)) == (None, "")
