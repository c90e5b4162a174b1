"""Issue 14: a note or correspondence recorded after the day it happened keeps its real date, is
shown with the day it was recorded, and is flagged where the Code cares (5.12; 6.11 for a repeated
escalation request). Rules pure; the record on a real SQLite file (and PostgreSQL when set).

Dates by hand (England and Wales, no bank holiday in November 2025): the case is received Mon
3 Nov 2025 and acknowledged Wed 5 Nov. Today is Fri 14 Nov. A call from the resident on Mon 10
Nov written up today was recorded 4 working days later (Tue 11, Wed 12, Thu 13, Fri 14).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from test_working_week import TODAY, World, live_case
from test_working_week import w as w  # noqa: F401 - the fixture

from caseworker.rules.calendar import WorkingCalendar, short_date
from caseworker.rules.recording import late_record
from caseworker.store import services as sv
from caseworker.store.queries.case import case_detail

CAL = WorkingCalendar("england-and-wales")


@pytest.mark.parametrize(
    ("kind", "direction", "dated", "flagged", "code_ref", "days"),
    [
        ("phone", "in", date(2025, 11, 10), True, "5.12", 4),
        ("escalation-request", "in", date(2025, 11, 13), True, "6.11", 1),
        ("chaser", "in", date(2025, 11, 7), True, "5.12", 5),  # Fri 7 Nov: Mon 10 .. Fri 14
        ("note", "internal", date(2025, 11, 3), False, "", 9),
        ("email", "out", date(2025, 11, 12), False, "", 2),
        ("phone", "in", date(2025, 11, 15), None, "", 0),  # a Saturday after today: not late (and refused elsewhere)
    ],
)
def test_late_record_flags_only_where_the_code_cares(kind, direction, dated, flagged, code_ref, days) -> None:
    late = late_record(kind, direction, dated, TODAY, CAL)
    if flagged is None:
        assert late is None
        return
    assert (late.flagged, late.code_ref, late.working_days) == (flagged, code_ref, days)
    assert late.text().startswith(f"dated {short_date(dated)}, recorded {days} working day")
    assert ("(Code " + code_ref + ")" in late.text()) == flagged


def test_a_saturday_call_written_up_on_monday_is_not_a_working_day_late() -> None:
    late = late_record("phone", "in", date(2025, 11, 15), date(2025, 11, 17), CAL)  # Sat -> Mon: 1 working day
    assert late.working_days == 1 and late.flagged
    assert late_record("phone", "in", date(2025, 11, 15), date(2025, 11, 16), CAL).working_days == 0
    assert not late_record("phone", "in", date(2025, 11, 15), date(2025, 11, 16), CAL).flagged
    assert late_record("phone", "in", None, TODAY, CAL) is None


def test_a_call_recorded_days_later_keeps_its_date_and_is_flagged_in_timeline_and_case_file(
    w: World,  # noqa: F811
    tmp_path: Path,
) -> None:
    from pypdf import PdfReader

    from caseworker.casefile import write_casefile
    from caseworker.screens.case_text import timeline_text

    ref = live_case(w)
    sv.add_correspondence(
        w.store, "alice", ref.id, "phone", "Mrs Smith rang: the mould is back", direction="in", dated=date(2025, 11, 10)
    )
    sv.add_correspondence(w.store, "alice", ref.id, "note", "Chased the surveyor", dated=date(2025, 11, 12))
    sv.add_correspondence(w.store, "alice", ref.id, "note", "Survey booked")  # today, no date given

    detail = case_detail(w.store, ref.id)
    by_body = {c.body: c for c in detail.correspondence}
    call, chased, booked = (
        by_body[b] for b in ("Mrs Smith rang: the mould is back", "Chased the surveyor", "Survey booked")
    )
    assert (call.dated, call.on, call.late.flagged, call.late.code_ref) == (
        date(2025, 11, 10),
        date(2025, 11, 10),
        True,
        "5.12",
    )
    assert (chased.on, chased.late.flagged) == (date(2025, 11, 12), False)
    assert booked.late is None and booked.on == TODAY

    shown = timeline_text(detail).plain
    assert "⚑ dated Mon 10 Nov 2025, recorded 4 working days later: recorded late" in shown
    assert "dated Wed 12 Nov 2025, recorded 2 working days later\n" in shown

    result = write_casefile(w.store, ref.reference, tmp_path / "out", "alice")
    text = "\n".join(page.extract_text() for page in PdfReader(str(result.pdf)).pages)
    chronology = " ".join(
        text[
            text.index("Every entry of the case history") : text.index(
                "3. Letters as issued", text.index("Every entry")
            )
        ].split()
    )
    # In date order: acknowledged (Wed 5 Nov), the call (Mon 10 Nov), the note (Wed 12 Nov), the note today.
    order = [
        chronology.index(x)
        for x in ("· acknowledged", "Mon 10 Nov 2025 (recorded", "Wed 12 Nov 2025 (recorded", "Survey booked")
    ]
    assert order == sorted(order), order
    assert "recorded late" in chronology and "(Code 5.12)" in chronology


def test_the_case_file_says_which_service_request_the_complaint_came_from(w: World, tmp_path: Path) -> None:  # noqa: F811
    from pypdf import PdfReader

    from caseworker.casefile import write_casefile
    from caseworker.rules.lifecycle import CaseType, NewCase

    sr = sv.add_service_request(
        w.store, "alice", w.resident, date(2025, 11, 3), "Repairs", "Boiler not working", owner="bob"
    )
    new = NewCase(CaseType.COMPLAINT, TODAY, "phone", "Repairs", "Heating", "Boiler still broken after 3 visits")
    ref = sv.raise_complaint_from_request(w.store, "alice", sr, new)
    sv.close_service_request(w.store, "bob", sr, "Boiler replaced.")

    result = write_casefile(w.store, ref.reference, tmp_path / "out", "alice")
    text = " ".join("\n".join(page.extract_text() for page in PdfReader(str(result.pdf)).pages).split())
    assert (
        "Raised from service request: SR-000001, received Mon 3 Nov 2025 (Repairs), owner Bob Baker (bob), "
        "closed Fri 14 Nov 2025: Boiler replaced. Asked for: Boiler not working"
    ) in text


def test_the_day_a_call_was_recorded_is_the_uk_day_whatever_zone_the_machine_is_in(
    w: World,  # noqa: F811
    tokyo: None,
    tmp_path: Path,
) -> None:
    """Half past eleven at night in London on Thu 13 Nov 2025 is Friday morning in Tokyo: a call
    dated Thursday and written up then was recorded the same day (5.12 does not flag it), and a
    note with no date stands on Thursday, in the timeline and in the case file's chronology."""
    from datetime import time

    from pypdf import PdfReader

    from caseworker.casefile import write_casefile
    from caseworker.clock import Clock
    from caseworker.store.context import Store

    ref = live_case(w)
    late_evening = Store(w.engine, w.settings, Clock(fixed=date(2025, 11, 13), fixed_time=time(23, 30)))
    sv.add_correspondence(
        late_evening, "alice", ref.id, "phone", "Mrs Smith rang at teatime", direction="in", dated=date(2025, 11, 13)
    )
    sv.add_correspondence(late_evening, "alice", ref.id, "note", "Left a message for the surveyor")

    detail = case_detail(w.store, ref.id)
    by_body = {c.body: c for c in detail.correspondence}
    call, note = by_body["Mrs Smith rang at teatime"], by_body["Left a message for the surveyor"]
    assert (call.on, call.late) == (date(2025, 11, 13), None)
    assert (note.on, note.late) == (date(2025, 11, 13), None)

    result = write_casefile(w.store, ref.reference, tmp_path / "out", "alice")
    text = " ".join("\n".join(page.extract_text() for page in PdfReader(str(result.pdf)).pages).split())
    assert "recorded late" not in text
