"""The one form framework (screens/dialogs/form.py) and what officers type (rules/typed.py):
every bad or missing field named at once, "2.5" refused naming the field, emails, phones and
channels checked, pasted lines kept, Esc asks before discarding, and the same words for a bad
date on screen and on the command line.

The framework tests drive a FormDialog in a bare Textual App with Pilot (no database: the
form only collects values); the register test drives the real app on a real SQLite file.
"""

from __future__ import annotations

from datetime import date

import pytest
from textual import events
from textual.app import App
from textual.widgets import Input, OptionList, Static, TextArea

from caseworker.cli import main
from caseworker.rules import typed
from caseworker.screens.dialogs.fields import REFERENCE_EXAMPLE, Field
from caseworker.screens.dialogs.form import FormDialog

# -- what officers type (pure) ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text, message",
    [
        ("31/02/2026", "31/02/2026 is not a real date: February 2026 has 28 days"),
        ("2026-02-31", "2026-02-31 is not a real date: February 2026 has 28 days"),
        ("29/02/2025", "29/02/2025 is not a real date: February 2025 has 28 days"),
        ("13/13/2025", "13/13/2025 is not a real date: there is no month 13"),
        ("soon", "'soon' is not a date (write it as"),
    ],
)
def test_a_bad_date_is_worded_in_plain_words(text, message):
    with pytest.raises(ValueError) as caught:
        typed.parse_date(text)
    assert str(caught.value).startswith(message)
    assert "out of range" not in str(caught.value)


def test_dates_are_read_day_first():
    assert typed.parse_date("3/4/2025") == date(2025, 4, 3)
    assert typed.parse_date("2025-04-03") == date(2025, 4, 3)
    assert typed.parse_date("29/02/2028") == date(2028, 2, 29)  # 2028 is a leap year


@pytest.mark.parametrize("text", ["2.5", "2,5", "abc", "1e3", ""])
def test_a_whole_number_is_never_guessed(text):
    with pytest.raises(ValueError) as caught:
        typed.parse_whole_number(text, "working days")
    assert "is not a whole number of working days" in str(caught.value)


def test_a_whole_number_is_read():
    assert typed.parse_whole_number(" 10 ", "working days") == 10


@pytest.mark.parametrize(
    "text, ok",
    [
        ("jo.smith@example.org.uk", True),
        ("", True),
        ("not-an-email", False),
        ("jo@example", False),
        ("jo smith@example.org", False),
        ("jo@@example.org", False),
        ("jo@example.c", False),
    ],
)
def test_email_addresses(text, ok):
    assert (typed.email_problem(text) is None) == ok


@pytest.mark.parametrize(
    "text, ok",
    [
        ("01632 960123", True),
        ("+44 (0)1632 960123", True),
        ("01632 960123 ext 45", True),
        ("abc", False),
        ("123", False),
        ("0800 CALL NOW", False),
    ],
)
def test_phone_numbers(text, ok):
    assert (typed.phone_problem(text) is None) == ok


def test_channels_are_the_forms_list():
    assert typed.channel_value("Online form") == "online form"
    assert typed.channel_value(" via an MP ") == "MP"
    with pytest.raises(ValueError, match="'carrier pigeon' is not a channel: choose one of phone, email"):
        typed.channel_value("carrier pigeon")


def test_the_reference_example_is_this_organisations_shape():
    from caseworker.rules.facts import CaseType
    from caseworker.store.services.cases import REFERENCE_PREFIX

    assert REFERENCE_EXAMPLE == f"e.g. {REFERENCE_PREFIX[CaseType.COMPLAINT]}-000123"
    assert "MKCC" not in REFERENCE_EXAMPLE


# -- the command line words them the same ------------------------------------------------------


def test_the_command_line_words_a_bad_date_as_the_forms_do(capsys, monkeypatch):
    monkeypatch.setenv("CASEWORKER_TODAY", "2025-12-19")
    assert main(["deadline", "31/02/2026", "5"]) == 2
    assert capsys.readouterr().err.strip().endswith("DATE: 31/02/2026 is not a real date: February 2026 has 28 days")
    assert main(["deadline", "2025-12-19", "2.5"]) == 2
    err = capsys.readouterr().err
    assert "N: '2.5' is not a whole number of working days" in err and "Errno" not in err


def test_an_officer_with_a_bad_email_or_phone_is_refused_on_the_command_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CASEWORKER_DATABASE_URL", f"sqlite:///{tmp_path / 'cw.db'}")
    monkeypatch.setenv("CASEWORKER_TODAY", "2025-12-19")
    import getpass

    me = getpass.getuser()
    assert main(["officer", "list"]) == 0  # the first user becomes the administrator
    capsys.readouterr()
    status = main(["officer", "add", "jsmith", "--name", "Jo Smith", "--email", "not-an-email"])
    err = capsys.readouterr().err
    assert status != 0 and "email" in err and "'not-an-email' is not an email address" in err
    status = main(["officer", "add", "jsmith", "--name", "Jo Smith", "--phone", "abc"])
    err = capsys.readouterr().err
    assert status != 0 and "'abc' is not a phone number" in err
    assert main(["officer", "list"]) == 0
    assert "jsmith" not in capsys.readouterr().out and me


# -- the framework, in a bare app ----------------------------------------------------------------


class FormApp(App):
    """Pushes one form; keeps what it was dismissed with."""

    def __init__(self, form: FormDialog) -> None:
        super().__init__()
        self.form = form
        self.dismissed: list = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.dismissed.append)


def resident_form() -> FormDialog:
    return FormDialog(
        "Test form",
        [
            Field("name", "Name", required=True),
            Field("days", "Working days", "int", required=True, unit="working days"),
            Field("email", "Email", "email"),
            Field("phone", "Phone", "phone"),
            Field("on", "Received on", "date"),
            Field("address", "Address", "address"),
            Field("where", "Where", placeholder="one line"),
        ],
    )


def problem_text(app) -> str:
    return str(app.screen.query_one("#form-problem", Static).render())


async def type_into(pilot, selector: str, text: str) -> None:
    widget = pilot.app.screen.query_one(selector, Input)
    widget.focus()
    widget.value = ""
    await pilot.press(*text) if text else None
    await pilot.pause()


async def test_an_empty_form_names_every_missing_field_at_once():
    app = FormApp(resident_form())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is app.form and not app.dismissed
        assert "Still needed: Name, Working days" in problem_text(app)
        assert app.form.query_one("#f-name").has_class("-invalid")
        assert app.form.query_one("#f-days").has_class("-invalid")


async def test_every_wrong_field_is_named_at_once_and_nothing_is_guessed():
    app = FormApp(resident_form())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#f-name", "Jane Smith")
        await type_into(pilot, "#f-days", "2.5")
        await type_into(pilot, "#f-email", "not-an-email")
        await type_into(pilot, "#f-phone", "abc")
        await type_into(pilot, "#f-on", "31/02/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.dismissed
        shown = problem_text(app)
        assert "Working days: '2.5' is not a whole number of working days" in shown
        assert "Email: 'not-an-email' is not an email address" in shown
        assert "Phone: 'abc' is not a phone number" in shown
        assert "Received on: 31/02/2026 is not a real date: February 2026 has 28 days" in shown
        assert "out of range" not in shown and "Errno" not in shown
        assert "Working days: this is required" not in shown and "Still needed" not in shown  # named once
        assert app.focused is app.form.query_one("#f-days")  # the first wrong field

        await type_into(pilot, "#f-days", "3")
        await type_into(pilot, "#f-email", "jane@example.org.uk")
        await type_into(pilot, "#f-phone", "01632 960123")
        await type_into(pilot, "#f-on", "27/02/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
    (values,) = app.dismissed
    assert (values["days"], values["email"], values["on"]) == (3, "jane@example.org.uk", date(2026, 2, 27))


async def test_a_pasted_address_keeps_every_line():
    app = FormApp(resident_form())
    pasted = "12 High Street\nMilton Keynes\nMK9 3HS\n"
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        area = app.form.query_one("#f-address", TextArea)
        area.focus()
        await pilot.pause()
        app.post_message(events.Paste(pasted))  # as the terminal sends it: to the focused field
        await pilot.pause()
        one_line = app.form.query_one("#f-where", Input)
        one_line.focus()
        await pilot.pause()
        app.post_message(events.Paste(pasted))
        await pilot.pause()
        assert one_line.value == "12 High Street, Milton Keynes, MK9 3HS"
        values, _ = app.form.check()
    assert values["address"] == "12 High Street\nMilton Keynes\nMK9 3HS"


async def test_esc_on_a_changed_form_asks_before_discarding():
    app = FormApp(resident_form())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await type_into(pilot, "#f-name", "Jane")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.form and not app.dismissed  # asked, not closed
        notice = str(app.form.query_one("#form-notice", Static).render())
        assert "Esc again closes it and discards what you typed" in notice
        await pilot.press("e")  # typing on: the warning no longer holds, the next Esc asks again
        await pilot.pause()
        assert str(app.form.query_one("#form-notice", Static).render()) == ""
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is app.form and not app.dismissed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is not app.form and app.dismissed == [None]


async def test_esc_on_an_untouched_form_closes_it_at_once():
    app = FormApp(resident_form())
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.dismissed == [None]


async def test_enter_on_the_last_field_saves():
    form = FormDialog("Two fields", [Field("a", "A", required=True), Field("b", "B", "int")])
    app = FormApp(form)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await pilot.press("x", "enter")  # Enter on A: next field
        await pilot.pause()
        assert app.focused is form.query_one("#f-b")
        await pilot.press("4", "enter")  # Enter on the last: save
        await pilot.pause()
    assert app.dismissed == [{"a": "x", "b": 4}]


# -- the adjustments register reaches any resident --------------------------------------------------


async def test_the_register_adds_an_adjustment_for_a_new_resident_through_the_picker(tmp_path):
    from pathlib import Path

    from caseworker.app import CaseworkerApp
    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.rules.facts import Role
    from caseworker.screens.adjustments import AdjustmentsScreen
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.migrate import open_store
    from caseworker.store.queries.register import register

    today = date(2025, 12, 10)
    url = f"sqlite:///{tmp_path / 'register.db'}"
    settings = Settings(database_url=url, config_path=Path("x"))
    store = Store(open_store(url), settings, Clock.at(today))
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
    store.engine.dispose()

    app = CaseworkerApp(settings, clock=Clock.at(today), login="alice")
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AdjustmentsScreen) and app.screen.current() is None
        await pilot.press("a")
        await app.workers.wait_for_complete()
        await pilot.pause()
        form = app.screen
        assert form.query_one("#f-resident", OptionList).highlighted_option.id == "new"
        await type_into(pilot, "#f-name", "Mr Tom Reid")
        area = form.query_one("#f-address", TextArea)
        area.focus()
        await pilot.pause()
        app.post_message(events.Paste("Flat 2\n5 Mill Lane\nMK1 1AA"))
        await pilot.pause()
        await type_into(pilot, "#f-kind", "Large print")
        await type_into(pilot, "#f-review_date", "10/03/2026")
        assert "✓ Ready to save (Ctrl+S)" in problem_text(app)  # the key said: buttons can be cut off
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AdjustmentsScreen)

    store = Store(open_store(url), settings, Clock.at(today))
    rows = register(store).rows
    assert [(r.kind, r.what, r.resident, r.review_date) for r in rows] == [
        ("adjustment", "Large print", "Mr Tom Reid", date(2026, 3, 10))
    ]
    from caseworker.store.queries.people import find_residents

    (tom,) = find_residents(store, "Reid")
    assert tom.address == "Flat 2\n5 Mill Lane\nMK1 1AA"
    store.engine.dispose()


# -- the resident picker's search, on SQLite and PostgreSQL -----------------------------------------


def test_residents_are_found_by_name_address_or_a_case_reference(engine, db_url):
    from pathlib import Path

    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.rules.facts import Role
    from caseworker.rules.lifecycle import CaseType, NewCase
    from caseworker.store import services as sv
    from caseworker.store.context import Store
    from caseworker.store.queries.people import find_residents

    store = Store(engine, Settings(database_url=db_url, config_path=Path("x")), Clock.at(date(2025, 12, 10)))
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
    jane = sv.add_resident(store, "alice", "Mrs Jane Smith", address="12 High Street\nExampletown")
    tom = sv.add_resident(store, "alice", "Mr Tom Reid", address="5 Mill Lane")
    case = sv.log_case(
        store, "alice", tom, NewCase(CaseType.COMPLAINT, date(2025, 12, 3), "phone", "Repairs", "Damp", "Mould")
    )
    from caseworker.store.queries.case import case_detail

    reference = case_detail(store, case_id=case.id).header.reference
    assert [r.id for r in find_residents(store, reference.lower())] == [tom]
    assert [r.id for r in find_residents(store, "smith high")] == [jane]  # every word matches somewhere
    assert [r.id for r in find_residents(store, "mill")] == [tom]
    assert find_residents(store, "nobody") == []


def test_the_command_line_refuses_a_channel_not_on_the_forms_list():
    from caseworker.cli import CommandError
    from caseworker.commands.service_request import _channel

    assert _channel("Online form") == "online form"
    with pytest.raises(CommandError, match="--channel: 'carrier pigeon' is not a channel"):
        _channel("carrier pigeon")


async def test_logging_a_case_names_every_bad_contact_detail_and_keeps_a_pasted_address(tmp_path):
    from helpers import make_app, make_store, settle

    from caseworker.rules.facts import Role
    from caseworker.screens.dialogs.log_case import LogCaseDialog
    from caseworker.store import services as sv

    today = date(2025, 12, 10)
    url = f"sqlite:///{tmp_path / 'log.db'}"
    store = make_store(url, today)
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
    store.engine.dispose()
    app = make_app(url, "alice", today)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, LogCaseDialog)
        area = form.query_one("#f-address", TextArea)
        area.focus()
        await pilot.pause()
        app.post_message(events.Paste("Flat 2\n5 Mill Lane\nExampletown EX1 1AA"))
        await pilot.pause()
        await type_into(pilot, "#f-email", "not-an-email")
        await type_into(pilot, "#f-phone", "abc")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        shown = problem_text(app)
        assert "Email: 'not-an-email' is not an email address" in shown
        assert "Phone: 'abc' is not a phone number" in shown
        assert "Still needed: Name, How it came in, Service area, What they said" in shown
        assert form.raw_values()["address"] == "Flat 2\n5 Mill Lane\nExampletown EX1 1AA"
