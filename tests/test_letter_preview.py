"""The letter preview screen, pushed from a minimal App (no dependency on the main app):
renders in a worker, shows the check, re-renders after an edit, refuses to issue an
incomplete letter, issues a complete one into the case record, and saves a copy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import Notices, settle
from textual.app import App
from textual.widgets import Input, Static, TextArea

from caseworker.clock import Clock
from caseworker.config import Organisation, Settings
from caseworker.rules.facts import Decision, Definition, Extension, Role
from caseworker.rules.lifecycle import CaseType, NewCase
from caseworker.screens.letter_preview import LetterPreviewScreen
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.queries.case import case_detail

TODAY = date(2025, 12, 12)


@pytest.fixture
def store(tmp_path: Path):
    from caseworker.store.migrate import open_store

    url = f"sqlite:///{tmp_path / 't.db'}"
    engine = open_store(url)
    org = Organisation(
        name="Riverside Borough Council",
        address=("Town Hall", "Riverside", "RV1 1AA"),
        phone="01632 960000",
        email="complaints@riverside.example",
        website="www.riverside.example",
        complaints_team="Customer Resolution Team",
    )
    settings = Settings(database_url=url, config_path=tmp_path / "none.toml", organisation=org)

    def at(day):
        return Store(engine, settings, Clock.at(day))

    s = at(date(2025, 12, 1))
    sv.current_officer(s, "admin", "Ada Admin")
    sv.add_officer(s, "admin", "alice", "Alice Adams", Role.OFFICER)
    r = sv.add_resident(s, "alice", "Mrs Jane Smith", address="12 Elm Road, Exampletown, EX2 2BB")
    new = NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "phone", "Repairs", "Damp", "Mould in the bedroom")
    c = sv.log_case(s, "alice", r, new)
    c = sv.acknowledge(
        at(date(2025, 12, 3)),
        "alice",
        c.id,
        c.version,
        date(2025, 12, 3),
        Definition("Mould in the back bedroom", "Mould treated", "Repairs to the structure"),
    )
    c = sv.extend(
        at(date(2025, 12, 10)),
        "alice",
        c.id,
        c.version,
        Extension(5, "We are waiting for a damp survey.", date(2025, 12, 10)),
    )
    st = at(TODAY)
    sv.add_action(st, "alice", c.id, "Treat the mould", "Repairs team", date(2026, 1, 16))
    sv.respond(
        st, "alice", c.id, None, TODAY, Decision.UPHELD, "The repair was not carried out on time.", no_remedy=True
    )
    st.case_id = c.id  # type: ignore[attr-defined]
    yield st
    engine.dispose()


class Host(App):
    """A bare app that opens the preview and remembers what it was dismissed with."""

    def __init__(self, screen: LetterPreviewScreen) -> None:
        super().__init__()
        self.preview, self.result = screen, "not dismissed"

    def on_mount(self) -> None:
        self.push_screen(self.preview, self._done)

    def _done(self, value) -> None:
        self.result = value


def letters_on(store) -> list:
    return [c for c in case_detail(store, store.case_id).correspondence if c.kind == "letter"]


async def test_preview_edit_and_issue_a_response(store):
    screen = LetterPreviewScreen(store, "alice", store.case_id, "response")
    app = Host(screen)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        check = str(screen.query_one("#lp-check", Static).render())
        assert "Ready to issue" in check
        assert "Your complaint is upheld." in str(screen.query_one("#lp-text", Static).render())
        # What the footer offers: the screen's active bindings that are shown (Textual's public API).
        footer = {(key, b.binding.description) for key, b in screen.active_bindings.items() if b.binding.show}
        assert {("i", "Issue"), ("s", "Save copy"), ("e", "Edit text"), ("escape", "Close")} <= footer

        # The officer rewrites the reasons; the letter is rendered again after a pause.
        reasons = screen.query_one("#lp-field-reasons_text", TextArea)
        reasons.load_text("Our contractor missed two appointments in November.")
        await pilot.pause(LetterPreviewScreen.DEBOUNCE)  # the re-render timer
        await settle(pilot)
        assert "missed two appointments" in screen.letter.text
        assert "Our contractor missed two appointments" in str(screen.query_one("#lp-text", Static).render())

        screen.query_one("#lp-letter").focus()
        await pilot.press("i")  # asks first: "n" leaves it unissued
        await settle(pilot)
        assert "Issue this response letter to Mrs Jane Smith by post?" in str(app.screen.query_one(Static).render())
        await pilot.press("n")
        await settle(pilot)
        assert app.result == "not dismissed" and letters_on(store) == []
        await pilot.press("i")
        await settle(pilot)
        assert str(app.screen.query_one(".keys", Static).render()) == "y: yes · n / Esc: no"
        await pilot.press("enter")  # Enter is not yes: a second Enter must not issue a letter
        await settle(pilot)
        assert "Issue this response letter" in str(app.screen.query_one(Static).render())
        assert letters_on(store) == []
        # ... and says which keys answer, so the dialog does not look frozen
        nudge = "Enter does not answer: press y for yes, n / Esc for no."
        assert str(app.screen.query_one(".keys", Static).render()) == nudge
        await pilot.press("y")
        await settle(pilot)
        assert app.result is True
    issued = letters_on(store)
    assert len(issued) == 1
    assert issued[0].letter_kind == "response" and issued[0].direction == "out"
    assert "Our contractor missed two appointments in November." in issued[0].body
    assert issued[0].subject == "Your complaint: our Stage 1 response (CMP-000001)"
    timeline = case_detail(store, store.case_id).timeline
    assert any(t.source == "correspondence" and t.source_id == issued[0].id for t in timeline)


async def test_a_letter_that_fails_the_check_is_not_issued(store):
    screen = LetterPreviewScreen(store, "alice", store.case_id, "response")
    app = Host(screen)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        screen.query_one("#lp-field-reasons_text", TextArea).load_text("")
        await pilot.pause(LetterPreviewScreen.DEBOUNCE)  # the re-render timer
        await settle(pilot)
        check = str(screen.query_one("#lp-check", Static).render())
        assert "Cannot issue" in check and "reasons" in check and "6.9 d" in check
        screen.query_one("#lp-letter").focus()
        await pilot.press("i")
        await settle(pilot)
        assert app.result == "not dismissed"
        await pilot.press("escape")  # the reasons were edited: it asks before discarding them
        await settle(pilot)
        assert app.result == "not dismissed"
        assert "discard your changes" in str(app.screen.query_one(Static).render())
        await pilot.press("n")
        await settle(pilot)
        assert app.result == "not dismissed" and app.screen is screen
        await pilot.press("escape")
        await pilot.press("y")
        await settle(pilot)
        assert app.result is False
    assert letters_on(store) == []


async def test_escape_on_an_unedited_letter_closes_at_once(store):
    screen = LetterPreviewScreen(store, "alice", store.case_id, "response")
    app = Host(screen)
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.result is False


async def test_save_a_copy(store, tmp_path):
    from docx import Document

    screen = LetterPreviewScreen(store, "alice", store.case_id, "extension")
    app = Host(screen)
    target = tmp_path / "a new folder" / "copy.docx"
    notices = Notices()
    async with app.run_test(size=(140, 45), message_hook=notices) as pilot:
        await settle(pilot)
        assert "Ready to issue" in str(screen.query_one("#lp-check", Static).render())
        screen.query_one("#lp-letter").focus()
        await pilot.press("s")
        await pilot.pause()
        box = screen.query_one("#lp-save", Input)
        assert box.has_focus and box.value == "CMP-000001-extension.docx"
        box.value = str(target)
        await pilot.press("enter")
        await settle(pilot)
        assert any(str(target) in n and "not issued" in n for n in notices)
    text = "\n".join(p.text for p in Document(target).paragraphs)
    assert "Housing Ombudsman Service" in text and "0300 111 3000" in text
    assert letters_on(store) == []  # saving a copy is not issuing
