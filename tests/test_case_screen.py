"""The case screen and its forms, driven with Textual's Pilot against a real SQLite file.

Data is built through the services; each test drives one flow by keyboard and then checks
what was stored (through the read queries), so a refusal is shown to be a refusal and a
success is shown to be stored.
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers import Notices, make_app, make_store, settle
from textual.widgets import Input, OptionList, Select, Static, TabbedContent, Tabs, TextArea

from caseworker.rules.facts import Decision, Definition, Extension, Role
from caseworker.rules.lifecycle import CaseType, NewCase

TODAY = date(2025, 12, 10)  # a Wednesday


# -- helpers -------------------------------------------------------------------------------


@pytest.fixture
def store(url: str):
    """A database with an administrator, two officers (alice, bob) and a supervisor (sue)."""
    from caseworker.store import services as sv

    st = make_store(url, TODAY)
    sv.current_officer(st, "admin")
    sv.add_officer(st, "admin", "alice", "Alice Adams", Role.OFFICER)
    sv.add_officer(st, "admin", "bob", "Bob Brown", Role.OFFICER)
    sv.add_officer(st, "admin", "sue", "Sue Stone", Role.SUPERVISOR)
    yield st
    st.engine.dispose()


def acknowledged_case(store, received: date = date(2025, 12, 1), on: date = date(2025, 12, 3)):
    """A Stage 1 complaint of alice's, acknowledged and defined (response due 17 Dec 2025)."""
    from caseworker.store import services as sv

    resident = sv.add_resident(store, "alice", "Mrs Jane Smith", address="12 High Street")
    ref = sv.log_case(
        store,
        "alice",
        resident,
        NewCase(CaseType.COMPLAINT, received, "phone", "Repairs", "Damp", "Mould in the bedroom"),
    )
    return sv.acknowledge(store, "alice", ref.id, ref.version, on, Definition("Mould", "Treat it", "Repairs"))


def detail(store, case_id: int):
    from caseworker.store.queries.case import case_detail

    return case_detail(store, case_id=case_id)


async def open_case(pilot, case_id: int):
    await settle(pilot)
    pilot.app.open_case(case_id)
    await settle(pilot)
    from caseworker.screens.case import CaseScreen

    screen = pilot.app.screen
    assert isinstance(screen, CaseScreen)
    assert screen.detail is not None
    assert str(screen.query_one("#head", Static).render()).startswith(screen.detail.header.reference)
    assert screen.query_one(TabbedContent).get_tab("timeline").label.plain.startswith("Timeline (")
    return screen


async def type_into(pilot, selector: str, text: str) -> None:
    """Focus a field and type into it, as an officer would."""
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    if isinstance(widget, Input):
        widget.value = ""
    await pilot.press(*text)
    await pilot.pause()


async def choose(pilot, selector: str, value: str) -> None:
    """Choose an entry of a Select."""
    select = pilot.app.screen.query_one(selector, Select)
    select.focus()
    select.value = value
    await pilot.pause()


def problem(pilot) -> str:
    return str(pilot.app.screen.query_one("#form-problem", Static).render())


def info(pilot) -> str:
    return str(pilot.app.screen.query_one("#form-info", Static).render())


# -- flows ---------------------------------------------------------------------------------


async def test_log_a_complaint_and_acknowledge_it_with_a_definition(url, store):
    from caseworker.screens.case import CaseScreen
    from caseworker.screens.dialogs.actions import AcknowledgeDialog
    from caseworker.screens.dialogs.log_case import LogCaseDialog

    app = make_app(url, "alice", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, LogCaseDialog)
        assert app.screen.raw_values()["resident"] == "new"  # no one found: a new resident
        await type_into(pilot, "#f-name", "Jane Smith")
        await type_into(pilot, "#f-address", "12 High St")
        await choose(pilot, "#f-channel", "phone")
        await type_into(pilot, "#f-service_area", "Repairs")
        await type_into(pilot, "#f-summary", "Mould")
        assert "Acknowledgement due Wed 17 Dec 2025" in info(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

        screen = app.screen
        assert isinstance(screen, CaseScreen), problem(pilot) if hasattr(app.screen, "_problem") else app.screen
        case_id = screen.case_id
        assert screen.detail.header.status == "awaiting-acknowledgement"
        assert screen.detail.resident.name == "Jane Smith"
        head = str(screen.query_one("#deadline", Static).render())
        assert "Stage 1 acknowledgement due Wed 17 Dec 2025" in head and "5 working days left" in head

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, AcknowledgeDialog)
        assert "issues to be investigated is required (Code 5.6)" in problem(pilot)
        await type_into(pilot, "#f-issues", "Mould not treated")
        await type_into(pilot, "#f-outcomes", "Treat the mould")
        await type_into(pilot, "#f-responsible", "Repairs to the home")
        assert "Ready to save" in problem(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)

        assert isinstance(app.screen, CaseScreen)
        assert app.screen.detail.header.status == "open"
        assert any("acknowledged" in m for m in notices)
    stored = detail(store, case_id)
    assert stored.header.status == "open"
    assert stored.stages[0].acknowledged == TODAY
    assert stored.stages[0].issues == "Mould not treated"
    assert stored.stages[0].responsible == "Repairs to the home"


async def test_log_an_out_of_time_complaint_and_decline_it(url, store):
    from caseworker.screens.case import CaseScreen

    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        dialog = app.screen
        await type_into(pilot, "#f-name", "Ann Lee")
        await choose(pilot, "#f-channel", "letter")
        await type_into(pilot, "#f-service_area", "Repairs")
        await type_into(pilot, "#f-summary", "Old leak")
        assert not dialog.query_one("#row-out_of_time").display
        await type_into(pilot, "#f-issue_date", "01/06/2024")
        assert "over 12 months before receipt (Code 2.3)" in info(pilot)
        assert dialog.query_one("#row-out_of_time").display
        assert "accept it with discretion (record the reason) or do not accept it (Code 2.3)" in problem(pilot)
        await choose(pilot, "#f-out_of_time", "not-accept")
        assert "Written reasons for not accepting" in problem(pilot)
        await type_into(pilot, "#f-not_accept_reasons", "Too old")
        assert "Ready to save" in problem(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        case_id = app.screen.case_id
    stored = detail(store, case_id)
    assert stored.header.status == "not-accepted"
    assert stored.header.discretion_reason == ""
    assert [(x.kind, x.ground, x.reasons) for x in stored.exclusions] == [("not-accepted", "over-12-months", "Too old")]


async def test_extend_within_the_cap(url, store):
    from caseworker.screens.dialogs.actions import ExtendDialog

    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        await open_case(pilot, ref.id)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, ExtendDialog)
        await type_into(pilot, "#f-working_days", "5")
        await type_into(pilot, "#f-reason", "Survey")
        assert "0 + 5 = 5 of 10 working days: within the cap (Code 6.4)" in info(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExtendDialog)
        assert any("extended by 5 working day" in m for m in notices)
    stored = detail(store, ref.id)
    assert stored.stages[0].extended_days == 5
    assert stored.deadline.due == date(2025, 12, 24)


async def test_a_change_saved_meanwhile_by_someone_else_is_not_overwritten(url, store):
    from caseworker.screens.dialogs.actions import ExtendDialog
    from caseworker.store import services as sv

    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_case(pilot, ref.id)
        await pilot.press("x")
        await settle(pilot)
        await type_into(pilot, "#f-working_days", "3")
        await type_into(pilot, "#f-reason", "Survey")
        sv.extend(store, "bob", ref.id, ref.version, Extension(2, "Bob's extension", TODAY))  # meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ExtendDialog)  # still open, what was typed kept
        assert dialog.query_one("#f-reason", TextArea).text == "Survey"
        notice = str(dialog.query_one("#form-notice", Static).render())
        assert "was changed by Bob Brown" in notice
        assert "2 + 3 = 5 of 10 working days" in info(pilot)  # checked against bob's change
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExtendDialog)
    assert [e.working_days for e in detail(store, ref.id).stages[0].extensions] == [2, 3]


@pytest.mark.parametrize(
    ("key", "form", "typed"),
    [
        ("p", "UpdateActionDialog", {"#f-text": "Chased the contractor"}),
        (
            "d",
            "MoveActionDueDialog",
            {"#f-new_due": "19/12/2025", "#f-reason": "Contractor ill", "#f-resident_update": "New date given"},
        ),
    ],
)
async def test_an_action_completed_meanwhile_is_not_offered_again_and_the_case_is_read_again(
    url, store, key, form, typed
):
    """Two officers at one overdue action: bob marks it done while alice is recording progress
    on it (p) or moving its due date (d). Alice's save is refused naming who; her form then
    greys the action out (not "Ready to save", and a second save is refused in the form,
    nothing stored), and after Esc her case screen is the case as it is now: no overdue
    action, and the key offers none."""
    from caseworker.screens.case import CaseScreen
    from caseworker.screens.dialogs import records, working
    from caseworker.store import services as sv

    dialog_class = getattr(records, form, None) or getattr(working, form)

    ref = acknowledged_case(store)
    action = sv.add_action(
        make_store(url, date(2025, 12, 4), store.engine), "alice", ref.id, "Treat the mould", "alice", date(2025, 12, 8)
    )
    app = make_app(url, "alice", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        screen = await open_case(pilot, ref.id)
        assert "1 outstanding action(s) overdue" in str(screen.query_one("#flags", Static).render())
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, dialog_class)
        for selector, text in typed.items():
            await type_into(pilot, selector, text)
        assert "Ready to save" in problem(pilot)
        sv.update_action(store, "bob", action, "Mould treated", resident_told=True, done=True, version=1)  # meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, dialog_class)  # still open, what was typed kept
        selector, text = list(typed.items())[-1]
        assert dialog.query_one(selector, TextArea).text == text
        assert "was changed by" in str(dialog.query_one("#form-notice", Static).render())
        shown = problem(pilot)
        assert "Ready to save" not in shown
        assert (
            "Treat the mould — alice, due Mon 8 Dec 2025 cannot be chosen: it was completed "
            "(Wed 10 Dec 2025) after this form opened; no other action is open: Esc closes this form" in shown
        ), shown
        await pilot.press("ctrl+s")  # refused in the form: nothing reaches the service
        await settle(pilot)
        assert app.screen is dialog
        await pilot.press("escape", "escape")  # the second Esc discards what was typed
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert "outstanding action" not in str(app.screen.query_one("#flags", Static).render())
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen)
        assert any("There are no open outstanding actions on this case" in n for n in notices)
    (stored,) = detail(store, ref.id).actions
    assert stored.done and stored.due == date(2025, 12, 8) and [u.text for u in stored.updates] == ["Mould treated"]


async def test_extend_past_the_cap_by_an_officer_asks_a_supervisor(url, store):
    from caseworker.screens.dialogs.actions import ExtendDialog
    from caseworker.store import services as sv
    from caseworker.store.queries.approvals import case_extension_requests

    ref = acknowledged_case(store)
    ref = sv.extend(store, "alice", ref.id, ref.version, Extension(5, "survey", TODAY))
    due = detail(store, ref.id).header.next_due
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_case(pilot, ref.id)
        await pilot.press("x")
        await settle(pilot)
        await type_into(pilot, "#f-working_days", "7")
        await type_into(pilot, "#f-reason", "Delays")
        assert (
            "5 + 7 = 12 of 10 working days: beyond the cap — needs a good reason and a supervisor (Code 6.4)"
            in info(pilot)
        )
        assert "a good reason is required (Code 6.4)" in problem(pilot)
        await type_into(pilot, "#f-good_reason", "No specialist")
        assert "Ready to save" in problem(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExtendDialog)
    assert detail(store, ref.id).stages[0].extended_days == 5  # nothing approved yet
    assert detail(store, ref.id).header.next_due == due  # the clock keeps running
    (request,) = case_extension_requests(store, ref.id)
    assert (request.state, request.working_days, request.good_reason, request.requested_by) == (
        "pending",
        7,
        "No specialist",
        "alice",
    )


async def test_extend_past_the_cap_by_a_supervisor_with_a_good_reason(url, store):
    from caseworker.screens.dialogs.actions import ExtendDialog
    from caseworker.store import services as sv

    ref = acknowledged_case(store)
    ref = sv.extend(store, "alice", ref.id, ref.version, Extension(5, "survey", TODAY))
    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_case(pilot, ref.id)
        await pilot.press("x")
        await settle(pilot)
        await type_into(pilot, "#f-working_days", "7")
        await type_into(pilot, "#f-reason", "Delays")
        assert "a good reason is required (Code 6.4)" in problem(pilot)
        await type_into(pilot, "#f-good_reason", "No specialist")
        assert "Ready to save" in problem(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, ExtendDialog)
    stage = detail(store, ref.id).stages[0]
    assert stage.extended_days == 12
    assert stage.extensions[-1].approved_by == "sue"
    assert stage.extensions[-1].beyond_cap


async def test_respond_then_request_stage2_without_a_reason(url, store):
    from caseworker.screens.dialogs.actions import RespondDialog
    from caseworker.screens.dialogs.stage2 import RequestStage2Dialog

    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_case(pilot, ref.id)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, RespondDialog)
        assert "Recorded at Stage 1: 0 remedy(ies), 0 outstanding action(s)" in info(pilot)
        await choose(pilot, "#f-decision", Decision.PARTLY_UPHELD.value)
        await type_into(pilot, "#f-reasons", "Late repair")
        assert (
            "record the remedy offered, or say explicitly that there is no remedy (code 6.9)" in problem(pilot).lower()
        )
        for box in ("#f-no_remedy", "#f-no_actions"):
            app.screen.query_one(box).focus()
            await pilot.press("space")
        assert "Ready to save" in problem(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen and screen.detail.header.status == "responded"

        await pilot.press("2")
        await settle(pilot)
        assert isinstance(app.screen, RequestStage2Dialog)
        assert app.screen.query_one("#f-reason", TextArea).text == ""
        assert "Ready to save" in problem(pilot)  # no reason needed (6.12)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    stored = detail(store, ref.id)
    assert stored.stages[0].decision == "partly-upheld" and stored.stages[0].no_remedy
    assert stored.header.stage == 2 and stored.stages[1].requested == TODAY
    assert stored.stages[1].request_reason == ""


async def escalated_case(store):
    from caseworker.store import services as sv

    ref = acknowledged_case(store)
    ref = sv.respond(
        store,
        "alice",
        ref.id,
        ref.version,
        TODAY,
        Decision.NOT_UPHELD,
        "Repaired in time",
        no_remedy=True,
        no_actions=True,
    )
    return sv.request_stage2(store, "alice", ref.id, ref.version, TODAY)


async def test_stage2_cannot_go_to_the_stage1_officer_but_can_go_to_another(url, store):
    from caseworker.screens.dialogs.stage2 import AssignDialog

    ref = await escalated_case(store)
    app = make_app(url, "sue", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        screen = await open_case(pilot, ref.id)
        await pilot.press("g")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignDialog)
        options = dialog.query_one("#f-officer", OptionList)
        by_id = {options.get_option_at_index(i).id: options.get_option_at_index(i) for i in range(options.option_count)}
        assert set(by_id) == {"admin", "alice", "bob", "sue"}  # every active officer is listed
        alice = by_id["alice"]
        assert alice.disabled
        assert (
            "considered Stage 1: held it, acknowledged and defined it and recorded the Stage 1 response (Code 6.13)"
            in str(alice.prompt)
        )
        assert "(alice" not in str(alice.prompt)  # full names, never logins
        # The keyboard never lands on alice: moving through the list skips her.
        seen = set()
        for _ in range(options.option_count + 1):
            seen.add(options.highlighted_option.id)
            await pilot.press("down")
        assert "alice" not in seen
        # Forced onto her anyway (not possible from the keyboard), saving is refused with the reason.
        options.highlighted = list(by_id).index("alice")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert (
            "cannot be chosen: considered Stage 1: held it, acknowledged and defined it and recorded the Stage 1 response (Code 6.13)"
            in problem(pilot)
        )
        assert detail(store, ref.id).stages[1].officer_login == ""

        options.highlighted = list(by_id).index("bob")
        await pilot.pause()
        assert "Ready to save" in problem(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert screen.detail.header.officer_login == "bob"
        assert any("assigned to Bob Brown" in m for m in notices)
    assert detail(store, ref.id).stages[1].officer_login == "bob"


async def test_the_service_refuses_the_stage1_officer_even_if_the_form_is_bypassed(url, store):
    from caseworker.store import services as sv

    ref = await escalated_case(store)
    with pytest.raises(sv.DomainError) as refused:
        sv.assign(store, "sue", ref.id, ref.version, "alice")
    assert refused.value.code_ref == "6.13"


async def test_an_impossible_date_is_named_with_its_field(url, store):
    from caseworker.screens.dialogs.actions import ExtendDialog

    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_case(pilot, ref.id)
        await pilot.press("x")
        await settle(pilot)
        await type_into(pilot, "#f-working_days", "3")
        await type_into(pilot, "#f-reason", "Survey")
        await type_into(pilot, "#f-resident_told", "31/02/2025")
        assert "Resident told on: 31/02/2025 is not a real date: February 2025 has 28 days" in problem(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExtendDialog)
        assert app.focused is app.screen.query_one("#f-resident_told")
        await type_into(pilot, "#f-resident_told", "soon")
        assert "Resident told on: 'soon' is not a date (write it as 2025-04-03, 3/4/2025" in problem(pilot)
        await type_into(pilot, "#f-resident_told", "09/12/2025")
        assert "Ready to save" in problem(pilot)
    assert detail(store, ref.id).stages[0].extended_days == 0


async def test_an_action_the_case_does_not_allow_says_why(url, store):
    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        screen = await open_case(pilot, ref.id)
        assert "acknowledge" not in {b.binding.action for b in screen.active_bindings.values()}
        await pilot.press("a")
        await settle(pilot)
        assert app.screen is screen
        assert any("cannot acknowledge" in m.lower() and "(Code 6.2)" in m for m in notices)


async def test_explain_shows_how_the_deadline_was_worked_out(url, store):
    from caseworker.store import services as sv

    store = make_store(store.settings.database_url, date(2025, 12, 22))
    resident = sv.add_resident(store, "alice", "Mr A Jones")
    ref = sv.log_case(
        store, "alice", resident, NewCase(CaseType.COMPLAINT, date(2025, 12, 19), "email", "Repairs", "", "Leak")
    )
    app = make_app(url, "alice", date(2025, 12, 22))
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_case(pilot, ref.id)
        explain = screen.query_one("#explain", Static)
        assert not explain.has_class("-shown")
        await pilot.press("e")
        await pilot.pause()
        assert explain.has_class("-shown")
        text = str(explain.render())
        assert text.startswith("due Tue 30 Dec 2025: 5 working days after Fri 19 Dec 2025")
        assert "Thu 25 (Christmas Day)" in text and "Fri 26 (Boxing Day)" in text


# -- the next case opened (the case screen is kept and shows it) --------------------------------


def two_cases(store):
    """Mrs Smith's acknowledged case (with a note) and Mr Jones's new one (with a note of his own)."""
    from caseworker.store import services as sv

    smith = acknowledged_case(store)
    sv.add_correspondence(store, "alice", smith.id, "note", "Surveyor booked for the bedroom.", subject="Smith call")
    jones = sv.log_case(
        store,
        "alice",
        sv.add_resident(store, "alice", "Mr A Jones"),
        NewCase(CaseType.COMPLAINT, date(2025, 12, 8), "email", "Repairs", "", "Leak under the sink"),
    )
    sv.add_correspondence(store, "alice", jones.id, "note", "Plumber called back.", subject="Jones call")
    return smith, jones


async def test_the_next_case_opened_shows_as_a_new_screen_would(url, store):
    smith, jones = two_cases(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        first = await open_case(pilot, smith.id)
        await pilot.press("t")  # the Timeline tab
        await settle(pilot)
        assert "Smith call" in str(first.query_one("#body-timeline", Static).render())
        first.query_one("#scroll-timeline").focus()
        await pilot.press("e")  # the deadline explained
        await pilot.pause()
        assert first.query_one("#explain", Static).has_class("-shown")
        await pilot.press("escape")
        await settle(pilot)

        screen = await open_case(pilot, jones.id)
        assert screen is first  # the same screen, showing Mr Jones's case as a new one would
        assert screen.case_id == jones.id and screen.detail.resident.name == "Mr A Jones"
        assert screen.title.endswith("Mr A Jones")
        assert screen.query_one(TabbedContent).active == "definition"
        assert not screen.query_one("#explain", Static).has_class("-shown")
        assert app.focused is screen.query_one(Tabs)
        assert "Leak under the sink" in str(screen.query_one("#body-definition", Static).render())
        head = str(screen.query_one("#head", Static).render())
        assert "Mr A Jones" in head and "Mrs Jane Smith" not in head
        await pilot.press("t")
        await settle(pilot)
        timeline = str(screen.query_one("#body-timeline", Static).render())
        assert "Jones call" in timeline and "Smith call" not in timeline
        # the keys offered are this case's: Mr Jones's is not acknowledged yet (Mrs Smith's was)
        assert "acknowledge" in {b.binding.action for b in screen.active_bindings.values()}


async def test_a_read_of_the_case_before_does_not_replace_the_case_shown(url, store):
    smith, jones = two_cases(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await open_case(pilot, smith.id)
        from caseworker.screens.case import read_case

        late = screen._current(screen._loaded)  # a reload of Mrs Smith's case, still on its way
        smith_read = read_case(app.workspace, smith.id)
        await pilot.press("escape")
        await settle(pilot)
        assert await open_case(pilot, jones.id) is screen
        late(smith_read)  # arrives after Mr Jones's case is shown
        await pilot.pause()
        assert screen.detail.header.reference == detail(store, jones.id).header.reference
        assert "Mr A Jones" in str(screen.query_one("#head", Static).render())


async def test_a_case_opened_over_a_case_gets_its_own_screen(url, store):
    smith, jones = two_cases(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        inbox = app.screen
        first = await open_case(pilot, smith.id)
        second = await open_case(pilot, jones.id)  # e.g. from the palette, over Mrs Smith's case
        assert second is not first and second.detail.resident.name == "Mr A Jones"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is first and first.detail.resident.name == "Mrs Jane Smith"
        assert "Mrs Jane Smith" in str(first.query_one("#head", Static).render())
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is inbox
        assert await open_case(pilot, jones.id) is first  # the kept one again


async def test_the_first_case_opened_is_shown_on_a_screen_built_while_the_inbox_was_read(url, store):
    smith, jones = two_cases(store)
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        inbox = app.screen
        for _ in range(50):  # built off screen after the warm-up read of the newest case (Mr Jones's)
            kept = app._case_screen
            if kept is not None and kept.detail is not None:
                break
            await pilot.pause()
        assert kept is not None and kept.case_id == jones.id
        assert app.screen is inbox  # never shown by itself
        screen = await open_case(pilot, smith.id)
        assert screen is kept and screen.detail.resident.name == "Mrs Jane Smith"
        head = str(screen.query_one("#head", Static).render())
        assert "Mrs Jane Smith" in head and "Mr A Jones" not in head
        assert "Mould in the bedroom" in str(screen.query_one("#body-definition", Static).render())
        await pilot.press("t")
        await settle(pilot)
        timeline = str(screen.query_one("#body-timeline", Static).render())
        assert "Smith call" in timeline and "Jones call" not in timeline
