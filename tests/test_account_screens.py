"""The year's account in the real app, driven by Pilot: the Ombudsman and learning screen
records a referral, a finding and an order due next week, and the order is then in the case
officer's inbox; the Reports screen exports and says where; the self-assessment screen saves
a provision's commentary and lists the cases behind a measured line.

Fixture: alice's complaint received Mon 1 Dec 2025, acknowledged Tue 2 Dec, answered Fri 12 Dec
2025 (in time). Today is Wed 10 Dec 2025 for the inbox test and Mon 2 Mar 2026 afterwards:
an order due Mon 9 Mar 2026 is 5 working days away.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import Notices, make_app, settle
from textual.widgets import DataTable, Input, Static, TextArea

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.lifecycle import CaseType, Decision, Definition, NewCase, Role

TODAY = date(2026, 3, 2)


@pytest.fixture
def world(url: str):
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store

    engine = open_store(url)
    settings = Settings(database_url=url, config_path=Path("x"))

    def at(day):
        return Store(engine, settings, Clock.at(day))

    s = at(date(2025, 12, 1))
    sv.current_officer(s, "admin")
    sv.add_officer(s, "admin", "alice", "Alice Adams", Role.OFFICER)
    sv.add_officer(s, "admin", "sue", "Sue Stone", Role.SUPERVISOR)
    resident = sv.add_resident(s, "alice", "Mrs Jane Smith")
    ref = sv.log_case(
        s,
        "alice",
        resident,
        NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "phone", "Repairs", "Damp", "Mould in the bedroom"),
    )
    sv.acknowledge(
        at(date(2025, 12, 2)), "alice", ref.id, None, date(2025, 12, 2), Definition("mould", "fix it", "repairs")
    )
    sv.respond(
        at(date(2025, 12, 12)),
        "alice",
        ref.id,
        None,
        date(2025, 12, 12),
        Decision.UPHELD,
        "we were slow",
        no_remedy=True,
        no_actions=True,
    )
    yield ref.reference
    engine.dispose()


async def fill(pilot, values: dict[str, str]) -> None:
    for name, text in values.items():
        widget = pilot.app.screen.query_one(f"#f-{name}", Input)
        widget.focus()
        widget.value = ""
        await pilot.pause()
        await pilot.press(*text)
    await pilot.pause()


def cells(table: DataTable) -> list[str]:
    return [" ".join(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_an_order_recorded_on_screen_is_in_the_officers_inbox(url, world):
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.switch_mode("account")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await fill(
            pilot,
            {
                "reference": world,
                "om_reference": "202601234",
                "referred_on": "2026-02-02",
                "determined_on": "02/03/2026",
            },
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        om = app.screen.query_one("#ombudsman", DataTable)
        assert any(world in row and "HOS 202601234" in row for row in cells(om))

        await pilot.press("f")
        await settle(pilot)
        await fill(pilot, {"element": "the damp repair"})
        app.screen.query_one("#f-finding").value = "maladministration"
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        await fill(pilot, {"description": "apologise in writing", "due": "09/03/2026"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        rows = cells(app.screen.query_one("#ombudsman", DataTable))
        assert any("Maladministration: the damp repair" in r for r in rows)
        assert any("due Mon 09 Mar 26" in r and "Order: apologise in writing" in r for r in rows)

        app.switch_mode("inbox")
        await settle(pilot)
        inbox = app.screen.query_one(DataTable)
        (row,) = [r for r in cells(inbox) if world in r]
        assert "Mon 09 Mar Omb" in row and " 5 " in f" {row} "


async def test_a_refused_order_stays_in_the_form_naming_the_field(url, world):
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.switch_mode("account")
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await fill(pilot, {"reference": world, "om_reference": "X1", "referred_on": "2026-03-03"})  # tomorrow
        await pilot.press("ctrl+s")
        await settle(pilot)
        problem = str(app.screen.query_one("#form-problem").render())
        assert "in the future" in problem and "Code 5.12" in problem
        assert app.screen.query_one("#f-referred_on", Input).has_focus


async def test_reports_export_says_where_and_the_self_assessment_saves_and_drills(url, world, isolated_home):
    app = make_app(url, "alice", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        await settle(pilot)
        app.switch_mode("reports")
        await settle(pilot)
        assert "2025-26" in str(app.screen.query_one("#year").render())  # today's year, the fixture's
        await pilot.press("x")
        await settle(pilot)
        folder = isolated_home / "data" / "caseworker" / "reports"
        names = sorted(p.name for p in folder.iterdir())
        assert names == [
            "complaints-report-2025-26.csv",
            "complaints-report-2025-26.docx",
            "complaints-report-2025-26.html",
            "complaints-report-2025-26.md",
            "self-assessment-2025-26.docx",
            "self-assessment-2025-26.md",
        ]
        assert any(str(folder) in n for n in notices)

        await pilot.press("s")
        await settle(pilot)
        table = app.screen.query_one("#provisions", DataTable)
        keys = [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]
        table.move_cursor(row=keys.index("m:6.2:stage1_ack"))
        await pilot.press("enter")
        await settle(pilot)
        listed = app.screen.query_one("#cases", DataTable)
        assert [str(listed.get_row_at(i)[1]) for i in range(listed.row_count)] == [world]
        await pilot.press("escape")
        await settle(pilot)
        table = app.screen.query_one("#provisions", DataTable)
        table.move_cursor(row=keys.index("p:5.10"))
        await pilot.press("enter")
        await settle(pilot)
        await fill(pilot, {"commentary": "register kept [b]weekly[/b]"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert any("Commentary: register kept [b]weekly[/b]" in r for r in cells(app.screen.query_one("#provisions")))
        await pilot.press("a")  # alice is an officer: not hers to approve
        await settle(pilot)
        assert any("Only a supervisor" in n for n in notices)


async def test_root_cause_and_themes_from_the_case_screen(url, world):
    from caseworker.store.context import Store
    from caseworker.store.queries.account import learning_of
    from caseworker.store.queries.case import case_id_for_reference

    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        store = Store(app.workspace.store.engine, app.workspace.store.settings, Clock.at(TODAY))
        case_id = case_id_for_reference(store, world)
        app.open_case(case_id)
        await settle(pilot)
        await pilot.press("L")
        await settle(pilot)
        assert app.screen.query_one("#f-reference", Input).value == world
        app.screen.query_one("#f-root_cause").value = "Delay"
        await fill(pilot, {"themes": "Damp and mould, Nonsense"})
        assert "Unknown theme 'Nonsense'" in str(app.screen.query_one("#form-problem").render())
        await fill(pilot, {"themes": "Damp and mould, Repairs"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        learned = learning_of(store, case_id)
        assert (learned.root_cause, learned.themes) == ("Delay", ("Damp and mould", "Repairs"))
        await pilot.press("L")  # again: what is recorded is where the form starts
        await settle(pilot)
        assert app.screen.query_one("#f-themes", Input).value == "Damp and mould, Repairs"


# -- the self-assessment screen with two officers (issue 17, Deliver 4; tester's findings) ----------

YEAR = 2025  # the financial year 2025-26, today's


def store_of(app):
    from caseworker.store.context import Store

    return Store(app.workspace.store.engine, app.workspace.store.settings, Clock.at(TODAY))


async def open_self_assessment(pilot) -> None:
    await settle(pilot)
    pilot.app.switch_mode("reports")
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def provision_row(app, number: str) -> int:
    table = app.screen.query_one("#provisions", DataTable)
    keys = [str(table.coordinate_to_cell_key((i, 0)).row_key.value) for i in range(table.row_count)]
    return keys.index(f"p:{number}")


async def test_the_letter_and_response_are_shown_and_their_forms_start_from_them(url, world):
    """The letter on record is on the screen (inert) and in its form; a date to come, or one a
    year too early, is refused as it is typed, before Ctrl+S; the response is recorded and then
    shown; a letter recorded by someone else meanwhile is refused naming them and shown in the
    form, and saving again replaces it with what was typed."""
    from caseworker.store import services as sv
    from caseworker.store.queries.account import year_account

    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        store = store_of(app)
        sv.record_annual_letter(store, "alice", YEAR, date(2025, 7, 1), "Two findings [b]of[/b]\nmaladministration")
        await open_self_assessment(pilot)
        assert shown(app, "#sa-account").splitlines() == [
            "Annual letter: received 01 Jul 2025: Two findings [b]of[/b] maladministration",
            "Governing body: response not yet recorded (g)",
        ]
        await pilot.press("l")
        await settle(pilot)
        assert app.screen.query_one("#f-letter_received_on", Input).value == "2025-07-01"
        assert (
            app.screen.query_one("#f-letter_key_points", TextArea).text == "Two findings [b]of[/b]\nmaladministration"
        )
        await fill(pilot, {"letter_received_on": "03/03/2026"})  # tomorrow
        problem = shown(app, "#form-problem")
        assert problem.startswith("To save: The letter's received date 03 Mar 2026 is in the future"), problem
        await fill(pilot, {"letter_received_on": "31/03/2024"})  # a year too early
        problem = shown(app, "#form-problem")
        assert "cannot have been received before 01 Apr 2024" in problem, problem
        await fill(pilot, {"letter_received_on": "02/07/2025"})
        assert "Ready to save" in shown(app, "#form-problem")
        sv.record_annual_letter(store, "alice", YEAR, date(2025, 7, 1), "One finding", version=1)  # meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        notice = shown(app, "#form-notice")
        assert "was changed by Alice Adams" in notice, notice
        assert "Recorded now: received 01 Jul 2025: One finding." in notice, notice
        await pilot.press("ctrl+s")  # again: what sue typed replaces alice's, knowingly
        await settle(pilot)
        assert app.screen.query_one("#sa-account")  # back on the screen
        assert shown(app, "#sa-account").splitlines()[0] == (
            "Annual letter: received 02 Jul 2025: Two findings [b]of[/b] maladministration"
        )

        await pilot.press("g")
        await settle(pilot)
        assert app.screen.query_one("#f-response_on", Input).value == ""
        await fill(pilot, {"response_on": "05/03/2026"})
        assert "is in the future" in shown(app, "#form-problem")
        await fill(pilot, {"response_on": "10/02/2026"})
        app.screen.query_one("#f-governing_body_response", TextArea).focus()
        await pilot.press(*"Noted")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert shown(app, "#sa-account").splitlines()[1] == "Governing body: response of 10 Feb 2026: Noted"
        await pilot.press("g")
        await settle(pilot)
        assert app.screen.query_one("#f-response_on", Input).value == "2026-02-10"
        assert app.screen.query_one("#f-governing_body_response", TextArea).text == "Noted"
    account, _ = year_account(store, YEAR)
    assert (account.letter_received_on, account.letter_key_points, account.response_on) == (
        date(2025, 7, 2),
        "Two findings [b]of[/b]\nmaladministration",
        date(2026, 2, 10),
    )


async def test_approving_asks_first_and_a_refused_approval_shows_the_year_as_it_is(url, world):
    """Approving asks first, saying how many of the 69 provisions are not yet assessed (68: one
    is) and what is not recorded; No approves nothing. A letter recorded meanwhile refuses the
    approval and the screen shows the year as it is now; approving again succeeds. Afterwards a
    provision's form says a change withdraws Sue Stone's approval, and the status line says
    'not yet approved' once it is saved."""
    from caseworker.screens.dialogs.form import FormDialog
    from caseworker.screens.dialogs.remedy_forms import Confirm
    from caseworker.store import services as sv
    from caseworker.store.queries.account import year_account

    app = make_app(url, "sue", TODAY)
    notices = Notices()
    async with app.run_test(size=(160, 50), message_hook=notices) as pilot:
        await settle(pilot)
        store = store_of(app)
        sv.save_provision(store, "alice", YEAR, "5.10", "yes", "", "register kept")
        await open_self_assessment(pilot)
        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, Confirm)
        question = str(app.screen.query_one(Static).render())
        assert question.startswith(
            "Approve the 2025-26 self-assessment? 68 of 69 provisions are not yet assessed; the Ombudsman's "
            "annual letter is not recorded; the governing body's response is not recorded."
        ), question
        await pilot.press("n")
        await settle(pilot)
        assert year_account(store, YEAR)[0].approved_by == ""

        sv.record_annual_letter(store, "alice", YEAR, date(2025, 7, 1), "One finding")  # meanwhile
        await pilot.press("a")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert any("was changed by Alice Adams" in n for n in notices), notices
        assert year_account(store, YEAR)[0].approved_by == ""
        assert "not yet approved" in shown(app, "#sa-status")
        assert shown(app, "#sa-account").startswith("Annual letter: received 01 Jul 2025: One finding")
        await pilot.press("a")
        await settle(pilot)
        assert "the Ombudsman's annual letter is not recorded" not in str(app.screen.query_one(Static).render())
        await pilot.press("y")
        await settle(pilot)
        assert "approved by Sue Stone on 02 Mar 2026" in shown(app, "#sa-status")

        app.screen.query_one("#provisions", DataTable).move_cursor(row=provision_row(app, "5.10"))
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FormDialog)
        intro = shown(app, "#form-intro")
        assert "Saving a change withdraws Sue Stone's approval of 02 Mar 2026 (Code 8.2)" in intro, intro
        await fill(pilot, {"commentary": "register kept weekly"})
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "not yet approved" in shown(app, "#sa-status")
        assert any("that approval is withdrawn" in n for n in notices), notices
    assert year_account(store, YEAR)[0].approved_by == ""


async def test_a_provision_form_reads_an_approval_given_since_the_screen_was_read(url, world):
    """Alice's screen was read before Sue approved: the provision's form reads the year again,
    says what a change withdraws, and the status line follows."""
    from caseworker.store import services as sv

    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await open_self_assessment(pilot)
        assert "not yet approved" in shown(app, "#sa-status")
        sv.approve_self_assessment(store_of(app), "sue", YEAR)  # meanwhile
        app.screen.query_one("#provisions", DataTable).move_cursor(row=provision_row(app, "5.10"))
        await pilot.press("enter")
        await settle(pilot)
        assert "Saving a change withdraws Sue Stone's approval of 02 Mar 2026" in shown(app, "#form-intro")
        await pilot.press("escape")
        await settle(pilot)
        assert "approved by Sue Stone on 02 Mar 2026" in shown(app, "#sa-status")


async def test_every_self_assessment_key_is_on_the_footer_at_80x24(url, world):
    """At 80 columns the footer shows a, l, g and x as the line above the list names them
    (with Enter, which the footer leaves to that line); so it does at 160."""
    from caseworker.widgets.footer import Footer

    app = make_app(url, "sue", TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_self_assessment(pilot)
        keys = [d for _, _, d in app.screen.query_one(Footer).shown_keys()]
        assert keys == ["Help", "Quit", "Approve", "Letter", "Governing body", "Export"], keys
        assert shown(app, "#sa-year").replace("\n", " ") == (
            "Self-assessment 2025-26 · Enter: edit / cases behind a figure · a approve · l annual letter · "
            "g governing body · x export"
        )
        await pilot.resize_terminal(160, 50)
        await settle(pilot)
        keys = [d for _, _, d in app.screen.query_one(Footer).shown_keys()]
        assert keys == ["Help", "Quit", "Approve", "Letter", "Governing body", "Export"], keys
