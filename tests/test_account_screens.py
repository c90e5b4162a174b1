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
from textual.widgets import DataTable, Input

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
