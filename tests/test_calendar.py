"""Working-day calendar (SPEC section 2) against the published bank-holiday dates.

Every expected date below is written out literally: the bank-holiday tables are
transcribed from shared/domain/FACTS.md section 4 (the gov.uk data), and the worked
examples were counted by hand from those tables. Nothing here asks the ``holidays``
package what the answer should be.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from caseworker.rules.calendar import REGIONS, OutsideCalendar, UnknownRegion, WorkingCalendar

EW = "england-and-wales"
SCT = "scotland"
NIR = "northern-ireland"

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def d(text: str) -> date:
    """``"Tue 30 Dec 2025"`` -> date(2025, 12, 30), checking the weekday written."""
    wd, day, month, year = text.split()
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    value = date(int(year), months.index(month) + 1, int(day))
    assert WEEKDAYS[value.weekday()] == wd, f"transcription error: {text} is a {value:%a}"
    return value


# --------------------------------------------------------------------------------------
# Bank holidays 2024-2028, FACTS section 4 (* = substitute day in FACTS)
# --------------------------------------------------------------------------------------

ENGLAND_AND_WALES = {
    2024: [
        "Mon 1 Jan 2024",
        "Fri 29 Mar 2024",
        "Mon 1 Apr 2024",
        "Mon 6 May 2024",
        "Mon 27 May 2024",
        "Mon 26 Aug 2024",
        "Wed 25 Dec 2024",
        "Thu 26 Dec 2024",
    ],
    2025: [
        "Wed 1 Jan 2025",
        "Fri 18 Apr 2025",
        "Mon 21 Apr 2025",
        "Mon 5 May 2025",
        "Mon 26 May 2025",
        "Mon 25 Aug 2025",
        "Thu 25 Dec 2025",
        "Fri 26 Dec 2025",
    ],
    2026: [
        "Thu 1 Jan 2026",
        "Fri 3 Apr 2026",
        "Mon 6 Apr 2026",
        "Mon 4 May 2026",
        "Mon 25 May 2026",
        "Mon 31 Aug 2026",
        "Fri 25 Dec 2026",
        "Mon 28 Dec 2026",
    ],  # * Boxing Day substitute
    2027: [
        "Fri 1 Jan 2027",
        "Fri 26 Mar 2027",
        "Mon 29 Mar 2027",
        "Mon 3 May 2027",
        "Mon 31 May 2027",
        "Mon 30 Aug 2027",
        "Mon 27 Dec 2027",
        "Tue 28 Dec 2027",
    ],  # * Christmas and Boxing Day substitutes
    2028: [
        "Mon 3 Jan 2028",  # * New Year's Day substitute
        "Fri 14 Apr 2028",
        "Mon 17 Apr 2028",
        "Mon 1 May 2028",
        "Mon 29 May 2028",
        "Mon 28 Aug 2028",
        "Mon 25 Dec 2028",
        "Tue 26 Dec 2028",
    ],
}

SCOTLAND = {
    2024: [
        "Mon 1 Jan 2024",
        "Tue 2 Jan 2024",
        "Fri 29 Mar 2024",
        "Mon 6 May 2024",
        "Mon 27 May 2024",
        "Mon 5 Aug 2024",
        "Mon 2 Dec 2024",  # * St Andrew's Day substitute
        "Wed 25 Dec 2024",
        "Thu 26 Dec 2024",
    ],
    2025: [
        "Wed 1 Jan 2025",
        "Thu 2 Jan 2025",
        "Fri 18 Apr 2025",
        "Mon 5 May 2025",
        "Mon 26 May 2025",
        "Mon 4 Aug 2025",
        "Mon 1 Dec 2025",  # * St Andrew's Day substitute
        "Thu 25 Dec 2025",
        "Fri 26 Dec 2025",
    ],
    2026: [
        "Thu 1 Jan 2026",
        "Fri 2 Jan 2026",
        "Fri 3 Apr 2026",
        "Mon 4 May 2026",
        "Mon 25 May 2026",
        "Mon 15 Jun 2026",  # World Cup bank holiday
        "Mon 3 Aug 2026",
        "Mon 30 Nov 2026",
        "Fri 25 Dec 2026",
        "Mon 28 Dec 2026",
    ],  # * Boxing Day substitute
    2027: [
        "Fri 1 Jan 2027",
        "Mon 4 Jan 2027",  # * 2 January substitute
        "Fri 26 Mar 2027",
        "Mon 3 May 2027",
        "Mon 31 May 2027",
        "Mon 2 Aug 2027",
        "Tue 30 Nov 2027",
        "Mon 27 Dec 2027",
        "Tue 28 Dec 2027",
    ],  # * Christmas and Boxing Day substitutes
    2028: [
        "Mon 3 Jan 2028",
        "Tue 4 Jan 2028",  # * both New Year substitutes
        "Fri 14 Apr 2028",
        "Mon 1 May 2028",
        "Mon 29 May 2028",
        "Mon 7 Aug 2028",
        "Thu 30 Nov 2028",
        "Mon 25 Dec 2028",
        "Tue 26 Dec 2028",
    ],
}

NORTHERN_IRELAND = {
    2024: [
        "Mon 1 Jan 2024",
        "Mon 18 Mar 2024",  # * St Patrick's Day substitute
        "Fri 29 Mar 2024",
        "Mon 1 Apr 2024",
        "Mon 6 May 2024",
        "Mon 27 May 2024",
        "Fri 12 Jul 2024",
        "Mon 26 Aug 2024",
        "Wed 25 Dec 2024",
        "Thu 26 Dec 2024",
    ],
    2025: [
        "Wed 1 Jan 2025",
        "Mon 17 Mar 2025",
        "Fri 18 Apr 2025",
        "Mon 21 Apr 2025",
        "Mon 5 May 2025",
        "Mon 26 May 2025",
        "Mon 14 Jul 2025",  # * Boyne substitute
        "Mon 25 Aug 2025",
        "Thu 25 Dec 2025",
        "Fri 26 Dec 2025",
    ],
    2026: [
        "Thu 1 Jan 2026",
        "Tue 17 Mar 2026",
        "Fri 3 Apr 2026",
        "Mon 6 Apr 2026",
        "Mon 4 May 2026",
        "Mon 25 May 2026",
        "Mon 13 Jul 2026",  # * Boyne substitute
        "Mon 31 Aug 2026",
        "Fri 25 Dec 2026",
        "Mon 28 Dec 2026",
    ],  # * Boxing Day substitute
    2027: [
        "Fri 1 Jan 2027",
        "Wed 17 Mar 2027",
        "Fri 26 Mar 2027",
        "Mon 29 Mar 2027",
        "Mon 3 May 2027",
        "Mon 31 May 2027",
        "Mon 12 Jul 2027",
        "Mon 30 Aug 2027",
        "Mon 27 Dec 2027",
        "Tue 28 Dec 2027",
    ],  # * Christmas and Boxing Day substitutes
    2028: [
        "Mon 3 Jan 2028",  # * New Year's Day substitute
        "Fri 17 Mar 2028",
        "Fri 14 Apr 2028",
        "Mon 17 Apr 2028",
        "Mon 1 May 2028",
        "Mon 29 May 2028",
        "Wed 12 Jul 2028",
        "Mon 28 Aug 2028",
        "Mon 25 Dec 2028",
        "Tue 26 Dec 2028",
    ],
}

TABLES = {EW: ENGLAND_AND_WALES, SCT: SCOTLAND, NIR: NORTHERN_IRELAND}

ALL_HOLIDAYS = [
    pytest.param(region, text, id=f"{region}-{text.replace(' ', '-')}")
    for region, table in TABLES.items()
    for year in sorted(table)
    for text in table[year]
]

_CALENDARS = {region: WorkingCalendar(region) for region in REGIONS}


def cal(region: str) -> WorkingCalendar:
    return _CALENDARS[region]


def test_regions_are_the_three_uk_jurisdictions():
    assert set(REGIONS) == {EW, SCT, NIR}


@pytest.mark.parametrize(("region", "text"), ALL_HOLIDAYS)
def test_every_published_bank_holiday_is_not_a_working_day(region, text):
    day = d(text)
    calendar = cal(region)
    assert not calendar.is_working_day(day)
    assert calendar.non_working_reason(day) is not None
    # the table used by add/count agrees with the single-day check
    assert calendar.add(day - timedelta(days=1), 1) != day
    assert calendar.count(day - timedelta(days=1), day) == 0


@pytest.mark.parametrize("region", sorted(TABLES))
@pytest.mark.parametrize("year", [2024, 2025, 2026, 2027, 2028])
def test_no_other_weekday_is_a_holiday(region, year):
    """The weekday bank holidays of the year are exactly the published ones."""
    calendar = cal(region)
    expected = {d(t) for t in TABLES[region][year]}
    found = set()
    day = date(year, 1, 1)
    while day.year == year:
        if day.weekday() < 5 and not calendar.is_working_day(day):
            found.add(day)
        day += timedelta(days=1)
    assert found == expected


@pytest.mark.parametrize(
    ("region", "text", "why"),
    [
        (EW, "Mon 15 Jun 2026", "World Cup holiday is Scotland only"),
        (NIR, "Mon 15 Jun 2026", "World Cup holiday is Scotland only"),
        (EW, "Fri 2 Jan 2026", "2 January is Scotland only"),
        (NIR, "Thu 2 Jan 2025", "2 January is Scotland only"),
        (EW, "Mon 4 Jan 2027", "2 January substitute is Scotland only"),
        (EW, "Tue 4 Jan 2028", "2 January substitute is Scotland only"),
        (NIR, "Tue 4 Jan 2028", "2 January substitute is Scotland only"),
        (EW, "Mon 4 Aug 2025", "first-Monday-of-August holiday is Scotland only"),
        (NIR, "Mon 3 Aug 2026", "first-Monday-of-August holiday is Scotland only"),
        (EW, "Mon 1 Dec 2025", "St Andrew's substitute is Scotland only"),
        (EW, "Mon 2 Dec 2024", "St Andrew's substitute is Scotland only"),
        (NIR, "Mon 30 Nov 2026", "St Andrew's Day is Scotland only"),
        (EW, "Thu 30 Nov 2028", "St Andrew's Day is Scotland only"),
        (SCT, "Mon 1 Apr 2024", "no Easter Monday in Scotland"),
        (SCT, "Mon 21 Apr 2025", "no Easter Monday in Scotland"),
        (SCT, "Mon 6 Apr 2026", "no Easter Monday in Scotland"),
        (SCT, "Mon 29 Mar 2027", "no Easter Monday in Scotland"),
        (SCT, "Mon 17 Apr 2028", "no Easter Monday in Scotland"),
        (SCT, "Mon 26 Aug 2024", "no late-August holiday in Scotland"),
        (SCT, "Mon 25 Aug 2025", "no late-August holiday in Scotland"),
        (SCT, "Mon 31 Aug 2026", "no late-August holiday in Scotland"),
        (SCT, "Mon 28 Aug 2028", "no late-August holiday in Scotland"),
        (EW, "Mon 18 Mar 2024", "St Patrick's is Northern Ireland only"),
        (SCT, "Mon 17 Mar 2025", "St Patrick's is Northern Ireland only"),
        (EW, "Tue 17 Mar 2026", "St Patrick's is Northern Ireland only"),
        (EW, "Fri 12 Jul 2024", "Boyne is Northern Ireland only"),
        (SCT, "Mon 14 Jul 2025", "Boyne is Northern Ireland only"),
        (EW, "Mon 13 Jul 2026", "Boyne is Northern Ireland only"),
        (EW, "Wed 12 Jul 2028", "Boyne is Northern Ireland only"),
    ],
)
def test_regional_days_are_working_days_elsewhere(region, text, why):
    assert cal(region).is_working_day(d(text)), why


def test_weekends_are_never_working_days():
    calendar = cal(EW)
    assert not calendar.is_working_day(d("Sat 20 Dec 2025"))
    assert not calendar.is_working_day(d("Sun 21 Dec 2025"))
    assert calendar.is_working_day(d("Mon 22 Dec 2025"))


# --------------------------------------------------------------------------------------
# SPEC section 2 examples
# --------------------------------------------------------------------------------------


def test_spec_example_friday_before_christmas():
    assert cal(EW).add(d("Fri 19 Dec 2025"), 5) == d("Tue 30 Dec 2025")


def test_spec_example_received_on_saturday():
    assert cal(EW).add(d("Sat 20 Dec 2025"), 5) == d("Tue 30 Dec 2025")


@pytest.mark.parametrize(
    "text", ["Fri 19 Dec 2025", "Sat 20 Dec 2025", "Sun 21 Dec 2025", "Thu 25 Dec 2025", "Mon 15 Jun 2026"]
)
@pytest.mark.parametrize("region", sorted(REGIONS))
def test_zero_working_days_gives_the_start_date(region, text):
    assert cal(region).add(d(text), 0) == d(text)


def test_spec_explanation_text_exactly():
    explanation = cal(EW).explain(d("Fri 19 Dec 2025"), 5)
    assert explanation.due == d("Tue 30 Dec 2025")
    assert explanation.text() == (
        "due Tue 30 Dec 2025: 5 working days after Fri 19 Dec 2025; skipped Sat 20, Sun 21, "
        "Thu 25 (Christmas Day), Fri 26 (Boxing Day), Sat 27, Sun 28"
    )


def test_explanation_of_one_day_with_nothing_skipped():
    text = cal(EW).explain(d("Mon 1 Dec 2025"), 1).text()
    assert text == "due Tue 2 Dec 2025: 1 working day after Mon 1 Dec 2025; no days skipped"


def test_explanation_names_the_rule():
    text = cal(EW).explain(d("Fri 19 Dec 2025"), 5, rule="Stage 1 acknowledgement, 6.2").text()
    assert text.startswith(
        "due Tue 30 Dec 2025: 5 working days after Fri 19 Dec 2025 (Stage 1 acknowledgement, 6.2); skipped Sat 20, "
    )


def test_explanation_across_months_names_the_month():
    # Scotland: Fri 28 Nov 2025 + 1 skips the weekend and the St Andrew's substitute.
    explanation = cal(SCT).explain(d("Fri 28 Nov 2025"), 1)
    assert explanation.due == d("Tue 2 Dec 2025")
    assert [s.day for s in explanation.skipped] == [d("Sat 29 Nov 2025"), d("Sun 30 Nov 2025"), d("Mon 1 Dec 2025")]
    text = explanation.text()
    assert text.startswith("due Tue 2 Dec 2025: 1 working day after Fri 28 Nov 2025; skipped Sat 29 Nov, ")
    assert "Mon 1 Dec (" in text and "Andrew" in text


@pytest.mark.parametrize(
    ("due", "today", "left"),
    [
        ("Tue 30 Dec 2025", "Tue 30 Dec 2025", 0),  # due today
        ("Tue 30 Dec 2025", "Fri 19 Dec 2025", 5),
        ("Tue 30 Dec 2025", "Sat 20 Dec 2025", 5),
        ("Tue 30 Dec 2025", "Wed 24 Dec 2025", 2),  # 29, 30
        ("Tue 30 Dec 2025", "Thu 25 Dec 2025", 2),
        ("Tue 30 Dec 2025", "Mon 29 Dec 2025", 1),
        ("Tue 30 Dec 2025", "Wed 31 Dec 2025", -1),  # overdue by 31
        ("Tue 30 Dec 2025", "Thu 1 Jan 2026", -1),  # 1 Jan is a bank holiday
        ("Tue 30 Dec 2025", "Fri 2 Jan 2026", -2),
        ("Tue 30 Dec 2025", "Sun 4 Jan 2026", -2),
        ("Tue 30 Dec 2025", "Mon 5 Jan 2026", -3),
        ("Mon 22 Dec 2025", "Sat 20 Dec 2025", 1),
        ("Sat 27 Dec 2025", "Wed 24 Dec 2025", 0),  # no working day in (24, 27]
        ("Sat 27 Dec 2025", "Mon 29 Dec 2025", -1),
    ],
)
def test_working_days_left_england(due, today, left):
    assert cal(EW).days_left(d(due), d(today)) == left


def test_working_days_left_scotland_new_year():
    # (30 Dec 2025, 2 Jan 2026] holds only Wed 31 Dec in Scotland (1 and 2 Jan are holidays)
    assert cal(SCT).days_left(d("Tue 30 Dec 2025"), d("Fri 2 Jan 2026")) == -1
    assert cal(SCT).days_left(d("Tue 30 Dec 2025"), d("Mon 5 Jan 2026")) == -2
    assert cal(SCT).days_left(d("Tue 6 Jan 2026"), d("Wed 31 Dec 2025")) == 2


# --------------------------------------------------------------------------------------
# Hand-worked due dates, 2024-2029 (expected values counted by hand from FACTS)
# --------------------------------------------------------------------------------------

HAND_WORKED = [
    # Easter 2024: Good Friday 29 Mar, Easter Monday 1 Apr (not Scotland); St Patrick's 18 Mar* NI
    (EW, "Thu 28 Mar 2024", 1, "Tue 2 Apr 2024"),
    (EW, "Thu 28 Mar 2024", 5, "Mon 8 Apr 2024"),
    (SCT, "Thu 28 Mar 2024", 1, "Mon 1 Apr 2024"),
    (EW, "Sun 31 Mar 2024", 1, "Tue 2 Apr 2024"),
    (EW, "Mon 1 Apr 2024", 1, "Tue 2 Apr 2024"),
    (EW, "Thu 14 Mar 2024", 15, "Mon 8 Apr 2024"),
    (SCT, "Thu 14 Mar 2024", 15, "Fri 5 Apr 2024"),
    (NIR, "Thu 14 Mar 2024", 15, "Tue 9 Apr 2024"),
    (NIR, "Fri 15 Mar 2024", 1, "Tue 19 Mar 2024"),
    (EW, "Fri 15 Mar 2024", 1, "Mon 18 Mar 2024"),
    # NI Boyne 2024 (Fri 12 Jul)
    (NIR, "Thu 11 Jul 2024", 1, "Mon 15 Jul 2024"),
    # Scotland summer (first Monday of August) and St Andrew's substitute 2024
    (SCT, "Fri 2 Aug 2024", 1, "Tue 6 Aug 2024"),
    (SCT, "Fri 29 Nov 2024", 1, "Tue 3 Dec 2024"),
    (EW, "Fri 29 Nov 2024", 1, "Mon 2 Dec 2024"),
    # Christmas 2024 into 2025 (Scotland also off Thu 2 Jan)
    (EW, "Tue 24 Dec 2024", 1, "Fri 27 Dec 2024"),
    (EW, "Tue 24 Dec 2024", 5, "Fri 3 Jan 2025"),
    (SCT, "Tue 24 Dec 2024", 5, "Mon 6 Jan 2025"),
    (NIR, "Tue 24 Dec 2024", 5, "Fri 3 Jan 2025"),
    # Easter 2025
    (EW, "Thu 17 Apr 2025", 1, "Tue 22 Apr 2025"),
    (SCT, "Thu 17 Apr 2025", 1, "Mon 21 Apr 2025"),
    (NIR, "Thu 17 Apr 2025", 1, "Tue 22 Apr 2025"),
    # NI Boyne substitute 2025; Scotland summer and late August 2025
    (NIR, "Fri 11 Jul 2025", 1, "Tue 15 Jul 2025"),
    (EW, "Fri 11 Jul 2025", 1, "Mon 14 Jul 2025"),
    (SCT, "Fri 1 Aug 2025", 1, "Tue 5 Aug 2025"),
    (EW, "Fri 1 Aug 2025", 1, "Mon 4 Aug 2025"),
    (SCT, "Fri 22 Aug 2025", 1, "Mon 25 Aug 2025"),
    (EW, "Fri 22 Aug 2025", 1, "Tue 26 Aug 2025"),
    # St Andrew's substitute 2025
    (SCT, "Fri 28 Nov 2025", 1, "Tue 2 Dec 2025"),
    (EW, "Fri 28 Nov 2025", 1, "Mon 1 Dec 2025"),
    # Stage 2 (20 WD) over Christmas 2025
    (EW, "Mon 1 Dec 2025", 20, "Wed 31 Dec 2025"),
    (SCT, "Mon 1 Dec 2025", 20, "Wed 31 Dec 2025"),
    (EW, "Mon 1 Dec 2025", 22, "Mon 5 Jan 2026"),
    (SCT, "Mon 1 Dec 2025", 22, "Tue 6 Jan 2026"),
    # New Year 2026: Scotland off Thu 1 and Fri 2 Jan
    (SCT, "Thu 1 Jan 2026", 1, "Mon 5 Jan 2026"),
    (EW, "Thu 1 Jan 2026", 1, "Fri 2 Jan 2026"),
    (SCT, "Wed 31 Dec 2025", 1, "Mon 5 Jan 2026"),
    (EW, "Wed 31 Dec 2025", 1, "Fri 2 Jan 2026"),
    # NI St Patrick's 2026 (Tue 17 Mar); Easter 2026
    (NIR, "Mon 16 Mar 2026", 1, "Wed 18 Mar 2026"),
    (EW, "Mon 16 Mar 2026", 1, "Tue 17 Mar 2026"),
    (EW, "Thu 2 Apr 2026", 1, "Tue 7 Apr 2026"),
    (SCT, "Thu 2 Apr 2026", 1, "Mon 6 Apr 2026"),
    # World Cup bank holiday (Scotland only) Mon 15 Jun 2026
    (SCT, "Fri 12 Jun 2026", 1, "Tue 16 Jun 2026"),
    (EW, "Fri 12 Jun 2026", 1, "Mon 15 Jun 2026"),
    (NIR, "Fri 12 Jun 2026", 1, "Mon 15 Jun 2026"),
    (SCT, "Mon 8 Jun 2026", 10, "Tue 23 Jun 2026"),
    (EW, "Mon 8 Jun 2026", 10, "Mon 22 Jun 2026"),
    # NI Boyne substitute 2026
    (NIR, "Fri 10 Jul 2026", 1, "Tue 14 Jul 2026"),
    # Christmas 2026: Boxing Day substitute Mon 28 Dec
    (EW, "Thu 24 Dec 2026", 1, "Tue 29 Dec 2026"),
    (SCT, "Thu 31 Dec 2026", 1, "Tue 5 Jan 2027"),
    (EW, "Thu 31 Dec 2026", 1, "Mon 4 Jan 2027"),
    # Easter 2027
    (EW, "Thu 25 Mar 2027", 2, "Wed 31 Mar 2027"),
    (SCT, "Thu 25 Mar 2027", 2, "Tue 30 Mar 2027"),
    # St Andrew's Day 2027 (Tue 30 Nov)
    (SCT, "Mon 29 Nov 2027", 1, "Wed 1 Dec 2027"),
    (EW, "Mon 29 Nov 2027", 1, "Tue 30 Nov 2027"),
    # Christmas 2027 / New Year 2028: substitutes 27, 28 Dec and 3 Jan (and 4 Jan Scotland)
    (EW, "Fri 24 Dec 2027", 1, "Wed 29 Dec 2027"),
    (EW, "Fri 24 Dec 2027", 3, "Fri 31 Dec 2027"),
    (EW, "Fri 24 Dec 2027", 4, "Tue 4 Jan 2028"),
    (SCT, "Fri 24 Dec 2027", 4, "Wed 5 Jan 2028"),
    (NIR, "Fri 24 Dec 2027", 4, "Tue 4 Jan 2028"),
    (EW, "Fri 31 Dec 2027", 1, "Tue 4 Jan 2028"),
    (SCT, "Fri 31 Dec 2027", 1, "Wed 5 Jan 2028"),
    # Boyne 2028 (Wed 12 Jul), St Andrew's 2028 (Thu 30 Nov), Christmas 2028
    (NIR, "Tue 11 Jul 2028", 1, "Thu 13 Jul 2028"),
    (SCT, "Wed 29 Nov 2028", 1, "Fri 1 Dec 2028"),
    (EW, "Fri 22 Dec 2028", 1, "Wed 27 Dec 2028"),
    (EW, "Sat 23 Dec 2028", 1, "Wed 27 Dec 2028"),
    # New Year 2029 (Mon 1 Jan; Scotland also Tue 2 Jan)
    (EW, "Fri 29 Dec 2028", 1, "Tue 2 Jan 2029"),
    (SCT, "Fri 29 Dec 2028", 1, "Wed 3 Jan 2029"),
    # Easter 2029 (Good Friday 30 Mar, Easter Monday 2 Apr)
    (EW, "Thu 29 Mar 2029", 1, "Tue 3 Apr 2029"),
    (SCT, "Thu 29 Mar 2029", 1, "Mon 2 Apr 2029"),
    # Christmas 2029 (Tue 25, Wed 26 Dec) into 2030 (Tue 1 Jan; Scotland also Wed 2 Jan)
    (EW, "Mon 24 Dec 2029", 1, "Thu 27 Dec 2029"),
    (EW, "Mon 24 Dec 2029", 4, "Wed 2 Jan 2030"),
    (SCT, "Mon 24 Dec 2029", 4, "Thu 3 Jan 2030"),
]


@pytest.mark.parametrize(
    ("region", "start", "n", "due"),
    [pytest.param(*case, id=f"{case[0]}-{case[1].replace(' ', '-')}+{case[2]}") for case in HAND_WORKED],
)
def test_hand_worked_due_dates(region, start, n, due):
    calendar = cal(region)
    assert calendar.add(d(start), n) == d(due)
    assert calendar.count(d(start), d(due)) == n
    assert calendar.explain(d(start), n).due == d(due)
    # a fresh calendar (empty table) gives the same answer
    assert WorkingCalendar(region).add(d(start), n) == d(due)


# --------------------------------------------------------------------------------------
# Closure days
# --------------------------------------------------------------------------------------

SHUTDOWN = {
    date(2025, 12, 24): "Christmas shutdown",
    date(2025, 12, 29): "Christmas shutdown",
    date(2025, 12, 30): "Christmas shutdown",
    date(2025, 12, 31): "Christmas shutdown",
}


def test_closure_days_are_skipped():
    calendar = WorkingCalendar(EW, closure_days=SHUTDOWN)
    # 22 (1), 23 (2), 24 closed, 25-26 BH, 27-28 weekend, 29-31 closed, 1 Jan BH,
    # Fri 2 Jan (3), Mon 5 (4), Tue 6 (5)
    assert calendar.add(d("Fri 19 Dec 2025"), 5) == d("Tue 6 Jan 2026")
    assert not calendar.is_working_day(d("Wed 24 Dec 2025"))
    assert calendar.non_working_reason(d("Wed 24 Dec 2025")) == "closure: Christmas shutdown"
    assert calendar.count(d("Fri 19 Dec 2025"), d("Tue 6 Jan 2026")) == 5
    assert calendar.days_left(d("Tue 6 Jan 2026"), d("Tue 23 Dec 2025")) == 3
    # the same region without closures is unaffected
    assert cal(EW).add(d("Fri 19 Dec 2025"), 5) == d("Tue 30 Dec 2025")


def test_closure_days_are_named_in_explanations():
    calendar = WorkingCalendar(EW, closure_days=SHUTDOWN)
    explanation = calendar.explain(d("Fri 19 Dec 2025"), 5)
    assert explanation.due == d("Tue 6 Jan 2026")
    assert explanation.text() == (
        "due Tue 6 Jan 2026: 5 working days after Fri 19 Dec 2025; skipped Sat 20 Dec, Sun 21 Dec, "
        "Wed 24 Dec (closure: Christmas shutdown), Thu 25 Dec (Christmas Day), "
        "Fri 26 Dec (Boxing Day), Sat 27 Dec, Sun 28 Dec, "
        "Mon 29 Dec (closure: Christmas shutdown), Tue 30 Dec (closure: Christmas shutdown), "
        "Wed 31 Dec (closure: Christmas shutdown), Thu 1 Jan (New Year's Day), Sat 3 Jan, Sun 4 Jan"
    )
    reasons = {s.day: s.reason for s in calendar.non_working_days(d("Mon 22 Dec 2025"), d("Wed 31 Dec 2025"))}
    assert reasons[d("Mon 29 Dec 2025")] == "closure: Christmas shutdown"
    assert d("Mon 22 Dec 2025") not in reasons


def test_closure_days_as_plain_dates():
    calendar = WorkingCalendar(SCT, closure_days=[date(2026, 1, 5)])
    # Scotland: 1 and 2 Jan holidays, Mon 5 closed -> Tue 6 Jan
    assert calendar.add(d("Wed 31 Dec 2025"), 1) == d("Tue 6 Jan 2026")
    assert calendar.non_working_reason(d("Mon 5 Jan 2026")).startswith("closure: ")


# --------------------------------------------------------------------------------------
# Far years, bad input
# --------------------------------------------------------------------------------------


def test_far_future_year_within_the_holidays_data():
    calendar = WorkingCalendar(EW)
    # 2099: Christmas Fri 25 Dec, Boxing Day Sat 26 -> substitute Mon 28 Dec
    assert calendar.add(d("Thu 24 Dec 2099"), 1) == d("Tue 29 Dec 2099")
    assert calendar.add(d("Fri 19 Dec 2025"), 5) == d("Tue 30 Dec 2025")


def test_far_future_year_is_refused_not_guessed():
    """The holidays package knows GB bank holidays up to 2100; past that the calendar says so
    instead of counting Christmas Day as a working day."""
    calendar = WorkingCalendar(EW)
    # 2100: Christmas and Boxing Day fall on a weekend; substitutes Mon 27 and Tue 28 Dec
    assert calendar.add(d("Thu 23 Dec 2100"), 2) == d("Wed 29 Dec 2100")
    with pytest.raises(OutsideCalendar, match="2150"):
        calendar.add(d("Thu 24 Dec 2150"), 1)
    with pytest.raises(OutsideCalendar):
        calendar.is_working_day(d("Fri 25 Dec 2150"))
    with pytest.raises(OutsideCalendar):
        calendar.add(d("Mon 1 Nov 2100"), 60)  # runs past the end of 2100


def test_far_past_year():
    calendar = WorkingCalendar(EW)
    assert calendar.add(d("Fri 19 Dec 2025"), 5) == d("Tue 30 Dec 2025")
    # 1990: Christmas Tue 25, Boxing Day Wed 26 Dec
    assert calendar.add(d("Mon 24 Dec 1990"), 1) == d("Thu 27 Dec 1990")
    assert calendar.add(d("Fri 19 Dec 2025"), 5) == d("Tue 30 Dec 2025")


def test_count_across_decades_matches_add():
    calendar = WorkingCalendar(NIR)
    start = d("Mon 2 Jan 1995")
    due = calendar.add(start, 10_000)  # about 40 years of working days
    assert calendar.count(start, due) == 10_000
    assert calendar.is_working_day(due)


def test_unknown_region_is_refused():
    with pytest.raises(UnknownRegion) as info:
        WorkingCalendar("wales")
    assert "wales" in str(info.value)
    assert EW in str(info.value)
    with pytest.raises(ValueError):  # UnknownRegion is a ValueError
        WorkingCalendar("ENG")


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        cal(EW).add(d("Fri 19 Dec 2025"), -1)
    with pytest.raises(ValueError):
        cal(EW).explain(d("Fri 19 Dec 2025"), -3)


def test_count_of_empty_or_reversed_interval_is_zero():
    assert cal(EW).count(d("Tue 30 Dec 2025"), d("Tue 30 Dec 2025")) == 0
    assert cal(EW).count(d("Tue 30 Dec 2025"), d("Fri 19 Dec 2025")) == 0


# --------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------

# Up to 2098 so that adding up to 600 working days stays inside the years the holidays
# package knows (to 2100); beyond that the calendar refuses (see test above).
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2098, 6, 30))
regions = st.sampled_from(sorted(REGIONS))
small_n = st.integers(min_value=0, max_value=80)


def stepping_add(calendar: WorkingCalendar, start: date, n: int) -> date:
    """SPEC section 2 word for word: step one calendar day at a time."""
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


@settings(max_examples=300, deadline=None)
@given(region=regions, start=dates, n=small_n)
def test_add_matches_the_spec_definition(region, start, n):
    assert cal(region).add(start, n) == stepping_add(cal(region), start, n)


@settings(max_examples=300, deadline=None)
@given(region=regions, start=dates, n=st.integers(min_value=0, max_value=600))
def test_count_inverts_add(region, start, n):
    calendar = cal(region)
    assert calendar.count(start, calendar.add(start, n)) == n
    assert calendar.days_left(calendar.add(start, n), start) == n


@settings(max_examples=300, deadline=None)
@given(region=regions, start=dates, n=st.integers(min_value=1, max_value=600))
def test_add_lands_on_a_working_day(region, start, n):
    due = cal(region).add(start, n)
    assert due > start
    assert cal(region).is_working_day(due)


@settings(max_examples=300, deadline=None)
@given(region=regions, start=dates, n=small_n)
def test_add_is_strictly_increasing_in_n(region, start, n):
    calendar = cal(region)
    assert calendar.add(start, n) < calendar.add(start, n + 1)


@settings(max_examples=300, deadline=None)
@given(region=regions, a=dates, b=dates, n=small_n)
def test_add_is_monotone_in_start(region, a, b, n):
    first, second = sorted((a, b))
    calendar = cal(region)
    assert calendar.add(first, n) <= calendar.add(second, n)


@settings(max_examples=300, deadline=None)
@given(region=regions, start=dates, a=small_n, b=small_n)
def test_add_composes(region, start, a, b):
    calendar = cal(region)
    assert calendar.add(calendar.add(start, a), b) == calendar.add(start, a + b)


@settings(max_examples=300, deadline=None)
@given(region=regions, due=dates, today=dates)
def test_days_left_is_antisymmetric(region, due, today):
    calendar = cal(region)
    assert calendar.days_left(due, today) == -calendar.days_left(today, due)
    left = calendar.days_left(due, today)
    if due >= today:
        assert left >= 0
    else:
        assert left <= 0


@settings(max_examples=200, deadline=None)
@given(region=regions, a=dates, span=st.integers(min_value=0, max_value=120))
def test_count_matches_stepping(region, a, span):
    calendar = cal(region)
    b = a + timedelta(days=span)
    expected = sum(calendar.is_working_day(a + timedelta(days=i)) for i in range(1, span + 1))
    assert calendar.count(a, b) == expected


@settings(max_examples=200, deadline=None)
@given(region=regions, start=dates, n=small_n)
def test_explain_agrees_with_add(region, start, n):
    calendar = cal(region)
    explanation = calendar.explain(start, n)
    assert explanation.due == calendar.add(start, n)
    # every calendar day in (start, due] is either counted or skipped, never both
    skipped = {s.day for s in explanation.skipped}
    span = (explanation.due - start).days
    counted = [start + timedelta(days=i) for i in range(1, span + 1) if start + timedelta(days=i) not in skipped]
    assert len(counted) == n
    assert all(calendar.is_working_day(x) for x in counted)
    assert not any(calendar.is_working_day(x) for x in skipped)
