"""Issue 14, Code 5.9: once an extension is recorded, the officer is asked at once for the interval
of updates agreed with the resident; the next update is then a deadline (inbox, board, the case's
countdown) until the response is sent. Driven by keyboard with Pilot on a real SQLite file.

Dates worked out by hand (England and Wales, no bank holiday in December before the 25th):
received Mon 1 Dec 2025, acknowledged Wed 3 Dec, so the Stage 1 response is due Wed 17 Dec
(10 working days). Today is Wed 10 Dec. Extended by 5 working days: Wed 24 Dec. Updates agreed
today every 2 working days: Thu 11 (1), Fri 12 Dec (2).
"""

from __future__ import annotations

from datetime import date

from helpers import Notices, make_app, settle
from test_case_screen import TODAY, acknowledged_case, open_case, type_into
from test_case_screen import store as store  # noqa: F401 - the fixture
from textual.widgets import Static

from caseworker.rules.calendar import short_date
from caseworker.rules.facts import Decision
from caseworker.store import services as sv
from caseworker.store.queries.board import deadline_board
from caseworker.store.queries.inbox import InboxFilter, inbox_page


def inbox_row(store, case_id: int):
    return next((r for r in inbox_page(store, InboxFilter(officer_login="alice")).rows if r.case_id == case_id), None)


async def test_an_extension_asks_for_the_updates_agreed_and_the_next_update_is_a_deadline(url, store):  # noqa: F811
    from caseworker.screens.dialogs.actions import ExtendDialog
    from caseworker.screens.dialogs.working import AgreeUpdatesDialog

    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        case = await open_case(pilot, ref.id)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExtendDialog)
        await type_into(pilot, "#f-working_days", "5")
        await type_into(pilot, "#f-reason", "Waiting for the damp survey")
        await pilot.press("ctrl+s")
        await settle(pilot)
        # Straight after the extension: the form for the updates agreed, naming 5.9 and the new date.
        form = app.screen
        assert isinstance(form, AgreeUpdatesDialog)
        intro = " ".join(str(w.render()) for w in form.query(Static))
        assert "Code 5.9" in intro and short_date(date(2025, 12, 24)) in intro
        await type_into(pilot, "#f-every_days", "2")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is case
        assert any("Updates every 2 working days agreed" in m for m in notices)
        line = str(case.query_one("#deadline", Static).render())
        assert "Next update to the resident " + short_date(date(2025, 12, 12)) in line and "5.9" in line

    row = inbox_row(store, ref.id)
    assert (row.next_due, row.due_kind, row.days_left) == (date(2025, 12, 12), "update", 2)
    board = deadline_board(store, officer_login="alice")
    group = next(g for g in board.groups if any(r.case_id == ref.id for r in g.rows))
    assert group.name == "next 2 working days"
    # Until the response is sent: then the update is no deadline any more.
    sv.respond(
        store, "alice", ref.id, None, date(2025, 12, 10), Decision.NOT_UPHELD, "fine", no_remedy=True, no_actions=True
    )
    assert inbox_row(store, ref.id) is None


async def test_esc_leaves_the_interval_for_later_and_the_extension_stands(url, store):  # noqa: F811
    from caseworker.screens.dialogs.working import AgreeUpdatesDialog

    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        case = await open_case(pilot, ref.id)
        await pilot.press("x")
        await settle(pilot)
        await type_into(pilot, "#f-working_days", "5")
        await type_into(pilot, "#f-reason", "Waiting for the damp survey")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, AgreeUpdatesDialog)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is case
        assert "Next update" not in str(case.query_one("#deadline", Static).render())
    row = inbox_row(store, ref.id)
    assert (row.next_due, row.due_kind) == (date(2025, 12, 24), "respond")


async def test_a_late_response_suggests_agreeing_updates_on_the_case(url, store):  # noqa: F811
    ref = acknowledged_case(store)  # response due Wed 17 Dec 2025
    app = make_app(url, "alice", date(2025, 12, 19))  # Fri 19 Dec: 2 working days late
    async with app.run_test(size=(160, 50)) as pilot:
        case = await open_case(pilot, ref.id)
        assert "Late: agree updates with the resident (U, Code 5.9)" in str(
            case.query_one("#deadline", Static).render()
        )
    sv.agree_update_interval(store, "alice", ref.id, 1, date(2025, 12, 10))
    app = make_app(url, "alice", date(2025, 12, 19))
    async with app.run_test(size=(160, 50)) as pilot:
        case = await open_case(pilot, ref.id)
        line = str(case.query_one("#deadline", Static).render())
        assert "Late: agree updates" not in line and "Next update to the resident" in line


async def test_the_note_form_says_a_call_written_up_late_is_kept_at_its_date_and_flagged(url, store):  # noqa: F811
    from test_case_screen import choose, info

    from caseworker.screens.dialogs.records import NoteDialog
    from caseworker.store.queries.case import case_detail

    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)  # Wed 10 Dec 2025
    async with app.run_test(size=(160, 50)) as pilot:
        case = await open_case(pilot, ref.id)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        await choose(pilot, "#f-kind", "phone")
        await choose(pilot, "#f-direction", "in")
        await type_into(pilot, "#f-dated", "05/12/2025")  # Fri 5 Dec: Mon 8, Tue 9, Wed 10 = 3 working days
        await type_into(pilot, "#f-body", "Mrs Smith rang: the mould is back")
        assert "Kept as dated Fri 5 Dec 2025, recorded 3 working days later: recorded late" in info(pilot)
        assert "(Code 5.12)" in info(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is case
    (call,) = [c for c in case_detail(store, ref.id).correspondence if c.kind == "phone"]
    assert (call.dated, call.late.flagged) == (date(2025, 12, 5), True)
    # the timeline says which way it went (an internal note says nothing)
    from caseworker.screens.case_text import timeline_entries_text

    detail = case_detail(store, ref.id)
    lines = timeline_entries_text(detail.timeline, detail.correspondence).plain.splitlines()
    assert any(line.endswith("phone (in): Mrs Smith rang: the mould is back") for line in lines), lines


async def test_the_note_form_opens_on_its_text_so_a_note_is_typed_at_once(url, store):  # noqa: F811
    """n, the words, Ctrl+S: an internal note dated today, without moving through the kind,
    direction and date first (their defaults); Shift+Tab goes back to them."""
    from textual.widgets import TextArea

    from caseworker.screens.dialogs.records import NoteDialog
    from caseworker.store.queries.case import case_detail

    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        case = await open_case(pilot, ref.id)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        assert app.focused is app.screen.query_one("#f-body", TextArea)
        await pilot.press(*"Rang Mrs Smith")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is case
    (note,) = [c for c in case_detail(store, ref.id).correspondence if c.kind == "note"]
    # dated None: dated the day it was recorded (today), as the form stores a date left at today
    assert (note.body, note.dated, note.direction) == ("Rang Mrs Smith", None, "internal")
