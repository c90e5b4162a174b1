"""The service request register (F9), driven by keyboard alone with Textual's Pilot against a
real SQLite file: record a request, raise a complaint from it (the request stays open, 1.5),
close it. Today is Wed 10 Dec 2025."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from helpers import make_store, settle
from textual.widgets import DataTable

from caseworker.app import CaseworkerApp
from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.facts import Role

TODAY = date(2025, 12, 10)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def test_a_request_is_recorded_and_a_complaint_raised_from_it_by_keyboard_alone(tmp_path: Path) -> None:
    from caseworker.store import services as sv
    from caseworker.store.queries.case import case_detail
    from caseworker.store.queries.service_requests import service_requests

    url = f"sqlite:///{tmp_path / 'sr.db'}"
    store = make_store(url, TODAY)
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
    sv.add_resident(store, "alice", "Mrs Jane Smith [/]", address="12 High Street")

    app = CaseworkerApp(Settings(database_url=url, config_path=Path("x")), clock=Clock.at(TODAY), login="alice")
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("f9")
        await settle(pilot)
        assert type(app.screen).__name__ == "ServiceRequestsScreen"
        await pilot.press("n")
        await settle(pilot)
        await type_text(pilot, "Smith")  # the resident search has the focus
        await pilot.pause(0.3)
        await settle(pilot)
        await pilot.press("tab")  # to the matches: the best match is highlighted
        await pilot.press("tab")  # received: today already
        await pilot.press("tab")
        await type_text(pilot, "Repairs")
        await pilot.press("tab")
        await type_text(pilot, "Broken window in the kitchen")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "ServiceRequestsScreen", app.screen
        (request,) = service_requests(store)
        assert (request.resident, request.service_area, request.description, request.owner, request.received) == (
            "Mrs Jane Smith [/]",
            "Repairs",
            "Broken window in the kitchen",
            "alice",
            TODAY,
        )
        assert app.screen.query_one(DataTable).row_count == 1

        await pilot.press("r")
        await settle(pilot)
        for _ in range(4):  # received, channel, service area, category: all filled or optional
            await pilot.press("tab")
        await type_text(pilot, "Nobody came to fix the window")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"  # the new complaint opens

    (request,) = service_requests(store)  # still open
    assert request.status == "open" and len(request.complaints) == 1
    detail = case_detail(store, reference=request.complaints[0])
    assert detail.header.service_request == request.reference
    assert (detail.header.summary, detail.header.status, detail.header.received) == (
        "Nobody came to fix the window",
        "awaiting-acknowledgement",
        TODAY,
    )
    store.engine.dispose()
