"""Messages up to the App and the screen-switch keys, driven with Pilot on a real SQLite file.

- ``OpenCase`` by id or by reference shows the case; an unknown reference is said, not shown.
- Every F-key lands on the screen it names from every screen, even when a case was left open
  in that screen's mode (F4 from a case once landed on a case screen where ``a`` acknowledged).
- ``CaseChanged`` reaches the App for every stored change made in the app.
"""

from __future__ import annotations

from datetime import date

import pytest
from helpers import Notices, make_app, settle
from test_case_screen import TODAY, acknowledged_case, store  # noqa: F401 - the fixture

from caseworker import keys
from caseworker.app import SCREENS
from caseworker.messages import CaseChanged, OpenCase
from caseworker.screens.case import CaseScreen

GO_KEYS = {
    key.id.removeprefix("go."): key.key.split(",")[0] for key in keys.keys_for("global") if key.id.startswith("go.")
}


def test_every_screen_key_names_a_screen() -> None:
    # F2-F10; the Ombudsman and learning screen is reached from the palette only
    assert set(GO_KEYS) == set(SCREENS) - {"account"} and len(GO_KEYS) == 9


def base_class_name(mode: str) -> str:
    return SCREENS[mode][1]


@pytest.mark.asyncio
async def test_every_screen_key_lands_on_its_screen_from_every_screen_with_a_case_left_open(url, store):  # noqa: F811
    ref = acknowledged_case(store)
    app = make_app(url, "sue", TODAY)
    modes = list(GO_KEYS)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        # from a case opened over the inbox: every screen key lands on its screen
        app.screen.post_message(OpenCase(ref.id))
        await settle(pilot)
        for mode, key in GO_KEYS.items():
            await pilot.press(key)
            await pilot.pause()
            assert type(app.screen).__name__ == base_class_name(mode), mode
        # a case left open over each screen: away and back with the keys lands on the screen, not the case
        for n, mode in enumerate(modes):
            other = modes[(n + 1) % len(modes)]
            await pilot.press(GO_KEYS[mode])
            await pilot.pause()
            app.screen.post_message(OpenCase(ref.id))
            await settle(pilot)
            assert isinstance(app.screen, CaseScreen) and app.screen.case_id == ref.id
            await pilot.press(GO_KEYS[other])
            await pilot.pause()
            assert type(app.screen).__name__ == base_class_name(other), (mode, other)
            await pilot.press(GO_KEYS[mode])
            await pilot.pause()
            assert type(app.screen).__name__ == base_class_name(mode), mode
        # F4 from a case: the adjustments screen, where `a` is the adjustments screen's own key
        await pilot.press(GO_KEYS["inbox"])
        app.screen.post_message(OpenCase(ref.id))
        await settle(pilot)
        await pilot.press(GO_KEYS["adjustments"])
        await pilot.pause()
        assert type(app.screen).__name__ == "AdjustmentsScreen"


@pytest.mark.asyncio
async def test_open_case_by_reference_and_an_unknown_reference_is_said(url, store):  # noqa: F811
    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices) as pilot:
        await settle(pilot)
        app.screen.post_message(OpenCase(reference=ref.reference))
        await settle(pilot)
        assert isinstance(app.screen, CaseScreen) and app.screen.case_id == ref.id
        await pilot.press("escape")
        await settle(pilot)
        app.screen.post_message(OpenCase(reference="NOPE-0000"))
        await settle(pilot)
        assert type(app.screen).__name__ == "InboxScreen"
        assert "There is no case NOPE-0000." in notices


@pytest.mark.asyncio
async def test_a_stored_change_reaches_the_app_as_case_changed(url, store):  # noqa: F811
    from caseworker.store import services as sv

    ref = acknowledged_case(store)
    app = make_app(url, "alice", TODAY)
    seen: list[int] = []

    def hook(message) -> None:
        if isinstance(message, CaseChanged):
            seen.append(message.case_id)

    async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
        await settle(pilot)
        app.run_db(
            sv.add_action, app.workspace.store, "alice", ref.id, "Call the resident back", "alice", date(2025, 12, 12)
        )
        await settle(pilot)
        assert seen == [ref.id]
        assert app.case_changes == [ref.id]


@pytest.mark.asyncio
async def test_a_screen_key_in_an_open_form_leaves_the_form_as_it_is(url, store):  # noqa: F811
    """A form is modal: the screen keys wait until it is saved or closed (nothing typed is lost)."""
    from textual.screen import ModalScreen

    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("n")  # log a new case: a form
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ModalScreen)
        await pilot.press(GO_KEYS["deadlines"])
        await pilot.pause()
        assert app.screen is form and app.current_mode == "inbox"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press(GO_KEYS["deadlines"])
        await pilot.pause()
        assert type(app.screen).__name__ == "DeadlinesScreen"
