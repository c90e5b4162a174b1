"""The Officers screen (F8), the supervisor's queue (F10) and the inbox's "awaiting approval"
filter, driven by keyboard through Pilot on a real SQLite file.

Today is Wed 10 Dec 2025. Alice's case was received Mon 1 Dec and acknowledged Tue 2 Dec:
Stage 1 response due 10 WD later, Tue 16 Dec; 10 WD of extension (the cap) give Fri 2 Jan 2026
(17-19, 22-24, 29-31 Dec and 2 Jan; 25, 26 Dec and 1 Jan are bank holidays); 5 WD past the cap
give Fri 9 Jan 2026.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import go, make_app, settle
from textual.widgets import DataTable, Input

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.facts import Definition, Extension, Role
from caseworker.rules.lifecycle import CaseType, NewCase

TODAY = date(2025, 12, 10)


@pytest.fixture
def store(url):
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    s = Store(open_store(url), Settings(database_url=url, config_path=Path("x")), Clock.at(TODAY))
    sv.current_officer(s, "admin", "Ada Admin")
    sv.add_officer(s, "admin", "alice", "Alice Adams", Role.OFFICER, title="Complaints Officer")
    sv.add_officer(s, "admin", "sue", "Sue Stone", Role.SUPERVISOR, title="Complaints Team Manager")
    yield s
    s.engine.dispose()


def waiting_request(store) -> tuple[int, int]:
    """Alice's case extended to the cap, and her request for 5 WD more: (case id, request id)."""
    from caseworker.store import services as sv

    resident = sv.add_resident(store, "alice", "Mrs Jane Smith")
    ref = sv.log_case(
        store, "alice", resident, NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "phone", "Repairs", "Damp", "Mould")
    )
    ref = sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 12, 2), Definition("Mould", "Fix", "Repairs"))
    ref = sv.extend(store, "alice", ref.id, ref.version, Extension(10, "contractor", TODAY))
    request = sv.request_extension(
        store, "alice", ref.id, None, Extension(5, "survey", TODAY, good_reason="specialist")
    )
    return ref.id, request


async def test_a_supervisor_approves_from_the_queue_by_keyboard(url, store):
    from caseworker.screens.queue import DecisionDialog, QueueScreen
    from caseworker.store import services as sv
    from caseworker.store.queries.approvals import case_extension_requests
    from caseworker.store.queries.case import case_detail

    case_id, request_id = waiting_request(store)
    assert case_detail(store, case_id).header.next_due == date(2026, 1, 2)
    om = sv.record_ombudsman_case(store, "alice", case_id, "HOS-123", date(2025, 12, 1))
    sv.add_order(store, "alice", om, "order", "Pay £100 for the delay", date(2026, 1, 5))
    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f10")
        assert isinstance(screen, QueueScreen)
        table = screen.query_one("#requests", DataTable)
        assert table.row_count == 1
        assert [str(c) for c in table.get_row(str(request_id))][:6] == [
            case_detail(store, case_id).header.reference,
            "Mrs Jane Smith",
            "1",
            "Alice Adams",
            "5 WD",
            "specialist",
        ]
        orders = screen.query_one("#orders", DataTable)
        assert [str(c) for c in orders.get_row_at(0)][:4] == [
            case_detail(store, case_id).header.reference,
            "order",
            "Pay £100 for the delay",
            "Mon 05 Jan",
        ]
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        await pilot.press("enter")  # no reason: refused, stays open
        await settle(pilot)
        assert isinstance(app.screen, DecisionDialog)
        await pilot.press(*"survey booked", "enter")
        await settle(pilot)
        assert app.screen is screen and screen.query_one("#requests", DataTable).row_count == 0
    (done,) = case_extension_requests(store, case_id)
    assert (done.state, done.decided_by, done.decision_reason) == ("approved", "sue", "survey booked")
    assert case_detail(store, case_id).stages[0].response_due == date(2026, 1, 9)  # (the order is due first)


async def test_the_queue_tells_an_officer_it_is_not_theirs_and_the_inbox_filters_awaiting_requests(url, store):
    from caseworker.screens.inbox import InboxScreen
    from caseworker.screens.queue import WHY_NOT, QueueScreen
    from caseworker.store import services as sv

    case_id, _ = waiting_request(store)
    resident = sv.add_resident(store, "alice", "Mr Tom Jones")
    sv.log_case(store, "alice", resident, NewCase(CaseType.COMPLAINT, TODAY, "phone", "Repairs", "Leak", "Leak"))
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f10")
        assert isinstance(screen, QueueScreen) and WHY_NOT in str(screen.query_one("#why").render())
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen
    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f2")
        assert isinstance(screen, InboxScreen)
        await pilot.press("e")
        await settle(pilot)
        table = screen.query_one(DataTable)
        assert [row.value for row in table.rows] == [str(case_id)]


async def test_an_administrator_adds_an_officer_and_cannot_deactivate_one_with_open_cases(url, store):
    from caseworker.screens.dialogs.form import FormDialog
    from caseworker.screens.officers import OfficersScreen
    from caseworker.store.queries.officers import officer_by_login

    waiting_request(store)  # alice holds an open case
    app = make_app(url, "admin", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f8")
        assert isinstance(screen, OfficersScreen)
        table = screen.query_one("#officers", DataTable)
        assert {str(table.get_row(k)[0]) for k in ("alice", "sue", "admin")} == {
            "Alice Adams",
            "Sue Stone",
            "Ada Admin",
        }
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        for field, text in (("login", "jsmith"), ("name", "Jo Smith"), ("title", "Complaints Officer")):
            app.screen.query_one(f"#f-{field}", Input).focus()
            await pilot.press(*text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        jo = officer_by_login(store, "jsmith")
        assert (jo.name, jo.title, jo.role, jo.active) == ("Jo Smith", "Complaints Officer", "officer", True)

        table.move_cursor(row=table.get_row_index("alice"))
        await pilot.press("x")
        await settle(pilot)
        assert officer_by_login(store, "alice").active  # holds an open case: g offers the reassignment first
        await pilot.press("g")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)


async def test_the_palette_path_greys_out_whoever_considered_stage_1(url, store):
    """6.13 through the command palette: Ctrl+P "Assign" on an escalated case opens the same form,
    where Alice (held it, acknowledged, responded) and Ada (issued the response letter) cannot be chosen."""
    from textual.widgets import OptionList

    from caseworker.rules.facts import Decision
    from caseworker.screens.dialogs.stage2 import AssignDialog
    from caseworker.store import services as sv

    resident = sv.add_resident(store, "alice", "Mr Ali Khan")
    ref = sv.log_case(
        store,
        "alice",
        resident,
        NewCase(CaseType.COMPLAINT, date(2025, 11, 3), "phone", "Repairs", "Leak", "Roof leak"),
    )
    ref = sv.acknowledge(store, "alice", ref.id, ref.version, date(2025, 11, 4), Definition("Leak", "Fix", "Repairs"))
    ref = sv.respond(
        store,
        "alice",
        ref.id,
        ref.version,
        date(2025, 11, 14),
        Decision.UPHELD,
        "We were slow",
        no_remedy=True,
        no_actions=True,
    )
    sv.issue_letter(store, "admin", ref.id, "response", "Stage 1 response", "Dear Mr Khan")
    ref = sv.request_stage2(store, "sue", ref.id, None, TODAY)
    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_case(ref.id)
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Assign")
        from textual.command import CommandList

        for _ in range(200):  # the palette searches asynchronously: wait for its first hit, not for time
            await pilot.pause()
            if app.screen.query_one(CommandList).option_count:
                break
        await pilot.press("down", "enter")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        options = dialog.query_one("#f-officer", OptionList)
        by_id = {options.get_option_at_index(i).id: options.get_option_at_index(i) for i in range(options.option_count)}
        assert {k for k, o in by_id.items() if o.disabled} == {"alice", "admin"}
        assert "considered Stage 1: issued the Stage 1 response (Code 6.13)" in str(by_id["admin"].prompt)
        assert not by_id["sue"].disabled
