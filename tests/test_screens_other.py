"""The deadlines, adjustments, remedy and Stage 2 allocation screens, driven with Textual's
Pilot against a real SQLite file.

Data is built through the services; each test drives one flow by keyboard and then checks
what was stored, or what the screen shows, through the read queries and the widgets.
Today is Wed 10 Dec 2025 unless a test says otherwise.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from helpers import Notices, go, make_app, make_store, settle
from textual.widgets import DataTable, Input, OptionList, Select, Static

from caseworker.rules.facts import Decision, Definition, Role
from caseworker.rules.lifecycle import CaseType, NewCase

TODAY = date(2025, 12, 10)  # a Wednesday


# -- helpers -------------------------------------------------------------------------------


class World:
    """What the tests work on: officers, a resident, and cases built through the services."""

    def __init__(self, store) -> None:
        from caseworker.store import services as sv

        self.store = store
        sv.current_officer(store, "admin")
        sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
        sv.add_officer(store, "admin", "bob", "Bob Brown", Role.OFFICER)
        sv.add_officer(store, "admin", "sue", "Sue Stone", Role.SUPERVISOR)
        self.resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="12 High Street")
        # received Wed 3 Dec: acknowledgement due 5 working days later, Wed 10 Dec (today)
        self.due_today = sv.log_case(
            store,
            "alice",
            self.resident,
            NewCase(CaseType.COMPLAINT, date(2025, 12, 3), "phone", "Repairs", "Damp", "Mould in the bedroom"),
        )

    def stage2_case(self):
        """A case alice handled at Stage 1, escalated and awaiting a Stage 2 officer."""
        from caseworker.store import services as sv

        st = self.store
        other = sv.add_resident(st, "alice", "Mr Ali Khan", address="3 Low Road")
        ref = sv.log_case(
            st, "alice", other, NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "email", "Repairs", "Leak", "Roof leak")
        )
        ref = sv.acknowledge(st, "alice", ref.id, ref.version, date(2025, 12, 2), Definition("Leak", "Fix", "Repairs"))
        ref = sv.respond(
            st, "alice", ref.id, ref.version, TODAY, Decision.UPHELD, "We were slow", no_remedy=True, no_actions=True
        )
        return sv.request_stage2(st, "alice", ref.id, ref.version, TODAY)


@pytest.fixture
def world(url: str):
    store = make_store(url, TODAY)
    yield World(store)
    store.engine.dispose()


async def type_into(pilot, selector: str, text: str) -> None:
    """Focus a field, clear it and type into it, as an officer would."""
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.pause()
    await pilot.press(*text)
    await pilot.pause()


def text_of(screen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


# -- adjustments -------------------------------------------------------------------------------


async def test_record_an_adjustment_and_see_its_flag_in_the_inbox(url, world):
    from caseworker.screens.adjustments import AdjustmentsScreen
    from caseworker.screens.dialogs.form import FormDialog
    from caseworker.store import services as sv

    sv.record_disability(world.store, "alice", world.resident, "Visual impairment", date(2025, 12, 1))
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        inbox = app.screen.query_one(DataTable)
        assert "A" not in str(inbox.get_cell(str(world.due_today.id), "Flags"))

        screen = await go(pilot, "f4")
        assert isinstance(screen, AdjustmentsScreen)
        assert screen.current().resident == "Mrs Jane Smith"
        await pilot.press("a")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        await type_into(pilot, "#f-kind", "Large print")
        await type_into(pilot, "#f-review_date", "2025-12-09")
        assert "after today" in text_of(form, "#form-problem") and "5.10" in text_of(form, "#form-problem")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form  # refused as you type, and on saving: nothing stored
        await type_into(pilot, "#f-review_date", "10/03/2026")
        assert "Ready" in text_of(form, "#form-problem")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        table = screen.query_one(DataTable)
        shown = [" | ".join(str(cell) for cell in table.get_row_at(i)) for i in range(table.row_count)]
        assert any("Large print" in row and "10 Mar 2026" in row for row in shown), shown

        await go(pilot, "f2")
        inbox = app.screen.query_one(DataTable)
        assert "A" in str(inbox.get_cell(str(world.due_today.id), "Flags"))


async def test_add_a_restriction_checks_as_you_type_with_the_code_paragraph(url, world):
    from caseworker.screens.dialogs.form import FormDialog
    from caseworker.screens.dialogs.resident_picker import SEARCH_PAUSE
    from caseworker.store.queries.register import register

    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f4")
        assert screen.current() is None  # empty register: the form finds the resident by a case reference
        await pilot.press("x")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        await type_into(pilot, "#f-search", world_ref(world))
        await pilot.pause(SEARCH_PAUSE * 2)  # past the picker's own pause before it searches
        await settle(pilot)
        assert form.query_one("#f-resident", OptionList).highlighted_option.id == str(world.resident)
        await type_into(pilot, "#f-restriction", "Email contact only")
        problem = text_of(form, "#form-problem")
        assert "evidence" in problem and "5.14" in problem
        await type_into(pilot, "#f-evidence", "Abusive calls on 3 Dec, logged")
        await type_into(pilot, "#f-authorised_by", "Sue Stone, complaints manager")
        assert "5.15" in text_of(form, "#form-problem")  # no review date yet
        await type_into(pilot, "#f-review_date", "2026-06-01")
        await pilot.press("enter")  # on the last field: save
        await settle(pilot)
        assert app.screen is screen
    rows = register(world.store).rows
    assert [(r.kind, r.what, r.resident) for r in rows] == [("restriction", "Email contact only", "Mrs Jane Smith")]


def world_ref(world) -> str:
    from caseworker.store.queries.case import case_detail

    return case_detail(world.store, case_id=world.due_today.id).header.reference


async def test_review_ends_an_adjustment(url, world):
    from caseworker.screens.dialogs.form import FormDialog
    from caseworker.store import services as sv
    from caseworker.store.queries.register import register

    sv.add_adjustment(make_store(url, date(2025, 6, 1)), "alice", world.resident, "Interpreter", date(2025, 12, 1))
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f4")
        assert screen.current().review == "overdue"
        await pilot.press("r")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormDialog)
        await type_into(pilot, "#f-outcome", "No longer needed: speaks English at home")
        assert "next review" in text_of(form, "#form-problem")
        form.query_one("#f-decision", Select).value = "end"
        await pilot.pause()
        assert not form.query_one("#row-next_review").display  # ending it: no next review asked
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    (row,) = register(world.store).rows
    assert not row.active and row.review == ""


# -- remedy ------------------------------------------------------------------------------------


async def test_calculate_a_remedy_and_save_the_offer_on_a_case(url, world):
    from caseworker.screens.dialogs.remedy_forms import OfferForm
    from caseworker.screens.remedy import RemedyScreen
    from caseworker.store.queries.case import case_detail

    ref = world_ref(world)
    app = make_app(url, "alice", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        screen = await go(pilot, "f5")
        assert isinstance(screen, RemedyScreen)
        assert screen.calculator.guidance.key == "hos-remedies-2024"  # the set in force on 10 Dec 2025
        band = screen.query_one("#band", Select)
        band.focus()
        band.value = "maladministration_adverse"
        await pilot.pause()
        await type_into(pilot, "#band_amount", "£2x0")
        assert "Band amount" in text_of(screen, "#problem")
        await type_into(pilot, "#band_amount", "£700")
        assert text_of(screen, "#problem").startswith("⚠ Reason")  # outside £100 to £600: say why
        await type_into(pilot, "#band_amount", "£250")
        assert screen.calculator.calc is not None and screen.calculator.calc.total_pence == 25_000
        assert "Total £250.00" in text_of(screen, "#total")
        assert "in the band £100.00 to £600.00" in text_of(screen, "#rationale")
        table = screen.query_one("#breakdown", DataTable)
        assert table.row_count == 1

        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, OfferForm)
        await type_into(pilot, "#f-case", ref.lower())
        await type_into(pilot, "#f-by_when", "2025-12-01")
        assert "past" in text_of(form, "#form-problem") and "7.3" in text_of(form, "#form-problem")
        await type_into(pilot, "#f-by_when", "2026-01-09")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert any("£250.00" in n for n in notices)

    (remedy,) = case_detail(world.store, case_id=world.due_today.id).remedies
    assert (remedy.kind, remedy.amount_pence, remedy.guidance_key, remedy.state) == (
        "financial",
        25_000,
        "hos-remedies-2024",
        "offered",
    )
    assert remedy.description == "Pay £250.00 compensation" and remedy.by_when == date(2026, 1, 9)
    assert json.loads(remedy.calculation_basis)["band"]["band"] == "maladministration_adverse"
    assert remedy.rationale.startswith("We have calculated £250.00 under the Housing Ombudsman's Guidance on remedies")


async def test_calculator_itemises_lines_under_the_2026_tariff(url, world):
    from caseworker.screens.remedy import RemedyScreen

    app = make_app(url, "alice", date(2026, 4, 15))
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f5")
        assert isinstance(screen, RemedyScreen)
        assert screen.calculator.guidance.key == "hos-compensation-2026"
        screen.query_one("#item", Select).value = "heating_and_hot_water"
        await pilot.pause()
        await type_into(pilot, "#quantity", "0")
        assert "Quantity" in text_of(screen, "#problem")
        await type_into(pilot, "#quantity", "12")
        await pilot.press("enter")  # adds the line
        await pilot.pause()
        assert len(screen.calculator.lines) == 1
        screen.query_one("#item", Select).value = "financial_loss"
        await pilot.pause()
        await type_into(pilot, "#amount", "45.50")
        assert text_of(screen, "#problem").startswith("⚠ What the loss was")  # this item needs a note
        await type_into(pilot, "#note", "Replacement heater")
        assert screen.calculator.calc.total_pence == 18_000 + 4_550  # the line being typed counts
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert len(screen.calculator.lines) == 2 and screen.calculator.calc.total_pence == 22_550
        assert screen.query_one("#breakdown", DataTable).row_count == 2
        rationale = text_of(screen, "#rationale")
        assert "12 days without heating and hot water at £15.00 a day (£180.00)" in rationale
        screen.query_one("#breakdown", DataTable).focus()
        await pilot.press("ctrl+r")  # removes the highlighted (first) line
        await pilot.pause()
        assert [line.item_key for line in screen.calculator.lines] == ["financial_loss"]


async def test_remedies_on_record_move_through_their_states(url, world):
    from caseworker.screens.dialogs.remedy_forms import MoveRemedyForm
    from caseworker.screens.remedy import RemedyScreen
    from caseworker.store import services as sv
    from caseworker.store.queries.case import case_detail

    sv.offer_remedy(world.store, "alice", world.due_today.id, "apology", "Written apology", date(2025, 12, 20))
    app = make_app(url, "alice", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        screen = await go(pilot, "f5")
        assert isinstance(screen, RemedyScreen)
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.query_one("#remedies", DataTable).row_count == 1
        await pilot.press("p")  # an apology is never paid
        await pilot.pause()
        assert any("only a financial remedy is paid" in n or "cannot become paid" in n for n in notices)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, MoveRemedyForm)  # the date offered is today
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, MoveRemedyForm)
        await pilot.press("ctrl+s")
        await settle(pilot)
    (remedy,) = case_detail(world.store, case_id=world.due_today.id).remedies
    assert remedy.state == "completed" and remedy.accepted_on == TODAY


# -- Stage 2 allocation ------------------------------------------------------------------------


async def test_stage1_officer_cannot_be_chosen_and_another_officer_gets_the_case(url, world):
    from caseworker.screens.allocation import AllocationScreen, OfficerPicker
    from caseworker.store.queries.case import case_detail
    from caseworker.widgets.case_list import CaseList

    case = world.stage2_case()
    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f6")
        assert isinstance(screen, AllocationScreen)
        assert screen.query_one("#cases", CaseList).highlighted_key == str(case.id)
        await pilot.press("g")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, OfficerPicker)
        options = picker.query_one(OptionList)
        alice = options.get_option("alice")
        assert alice.disabled
        assert "Alice Adams considered this complaint at Stage 1" in str(alice.prompt) and "6.13" in str(alice.prompt)
        assert "(alice)" not in str(alice.prompt)  # full names, never logins
        assert not options.get_option("bob").disabled

        # choosing alice does nothing: the option cannot be selected
        options.highlighted = options.get_option_index("alice")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is picker
        assert case_detail(world.store, case_id=case.id).header.officer_login == ""

        options.highlighted = options.get_option_index("bob")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        assert "Bob Brown" in [str(cell) for cell in screen.query_one(DataTable).get_row(str(case.id))]
    assert case_detail(world.store, case_id=case.id).header.officer_login == "bob"


async def test_reassigning_in_the_allocation_screen_asks_why(url, world):
    from caseworker.screens.allocation import AllocationScreen, OfficerPicker
    from caseworker.store import services as sv
    from caseworker.store.queries.case import case_detail

    case = world.stage2_case()
    sv.assign(world.store, "sue", case.id, None, "bob")
    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f6")
        assert isinstance(screen, AllocationScreen)
        await pilot.press("g")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, OfficerPicker)
        options = picker.query_one(OptionList)
        options.focus()
        options.highlighted = options.get_option_index("sue")
        await pilot.press("enter")  # no reason yet: refused, the reason box takes the focus
        await settle(pilot)
        assert app.screen is picker and isinstance(app.focused, Input)
        await pilot.press(*"Bob is on leave")
        await pilot.press("enter")  # on to the list
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
    detail = case_detail(world.store, case_id=case.id)
    assert detail.header.officer_login == "sue"
    assert any("reassigned from Bob Brown to Sue Stone: Bob is on leave" in e.detail for e in detail.timeline)


async def test_an_officer_is_told_why_allocation_is_not_theirs(url, world):
    from caseworker.screens.allocation import WHY_NOT, AllocationScreen

    world.stage2_case()
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f6")
        assert isinstance(screen, AllocationScreen)
        why = screen.query_one("#why", Static)
        assert why.display and WHY_NOT in str(why.render())
        assert not screen.query_one("#cases", DataTable).display
        await pilot.press("g")
        await settle(pilot)
        assert app.screen is screen  # no picker


# -- deadlines board -------------------------------------------------------------------------------


async def test_the_board_groups_a_case_due_today_under_today(url, world):
    from caseworker.screens.deadlines import DeadlinesScreen

    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f3")
        assert isinstance(screen, DeadlinesScreen)
        board = screen.query_one("#board", DataTable)
        row = board.get_row_index(str(world.due_today.id))
        assert board.get_row_index("group:today") < row < board.get_row_index("group:next 2 working days")
        assert str(board.get_cell(str(world.due_today.id), "Left")) == "0"
        # supervisors see counts per officer, and can show one officer at a time
        officers = screen.query_one("#officers", DataTable)
        assert officers.display and officers.row_count == 1
        assert [str(c) for c in officers.get_row("alice")][1:3] == ["0", "1"]
        await pilot.press("o")
        await settle(pilot)
        assert screen.officer == "alice"
        assert "Alice Adams only" in text_of(screen, "#filter")
        await pilot.press("o")
        await settle(pilot)
        assert screen.officer is None
        days = screen.query_one("#days", DataTable)
        assert str(days.get_row("2025-12-25")[1]) == "Christmas Day"


# -- forms opened from a case carry it ---------------------------------------------------------


async def test_register_forms_and_the_calculator_opened_from_a_case_carry_it(url, world):
    from caseworker.screens.dialogs.register_forms import AdjustmentForm
    from caseworker.screens.dialogs.service_requests import NewServiceRequestDialog
    from caseworker.screens.remedy_calculator import RemedyCalculator
    from caseworker.store.queries.register import register

    ref = world_ref(world)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_case(world.due_today.id)
        await settle(pilot)
        case_screen = app.screen
        await pilot.press("A")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AdjustmentForm)
        assert f"From case {ref}." in str(form.query_one("#form-intro", Static).render())
        assert form.query_one("#f-resident", OptionList).highlighted_option.id == str(world.resident)
        await type_into(pilot, "#f-kind", "Large print")
        await type_into(pilot, "#f-review_date", "10/03/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is case_screen

        await pilot.press("S")
        await settle(pilot)
        assert isinstance(app.screen, NewServiceRequestDialog)
        assert app.screen.query_one("#f-resident", OptionList).highlighted_option.id == str(world.resident)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("M")
        await settle(pilot)
        await settle(pilot)
        calculator = app.screen.query_one(RemedyCalculator)
        assert calculator.query_one("#case", Input).value == ref
        assert calculator.case is not None and calculator.case.reference == ref
    rows = register(world.store).rows
    assert [(r.kind, r.what, r.resident) for r in rows] == [("adjustment", "Large print", "Mrs Jane Smith")]
