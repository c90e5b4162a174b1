"""Snapshot tests: one SVG per screen at 120x40, on a fixed date and time.

The database is a real SQLite file built through the services with clocks fixed at 09:30 UTC
on each event's day, so every stored timestamp (and so every timeline) is the same on every
run. Today is Wed 10 Dec 2025. The app runs as ``sue`` (a supervisor), so the team's cases
and the Stage 2 allocation screen have content.

Update the snapshots after an intended change of layout with
``pytest tests/test_snapshots.py --snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from helpers import settle

from caseworker.app import CaseworkerApp
from caseworker.clock import Clock
from caseworker.config import Organisation, Settings
from caseworker.rules.facts import Decision, Definition, Extension, RemedyKind, Role
from caseworker.rules.lifecycle import CaseType, NewCase

TODAY = date(2025, 12, 10)  # a Wednesday
AT = time(9, 30)  # every event happens at 09:30 UTC
SIZE = (120, 40)


def clock(day: date = TODAY) -> Clock:
    return Clock(fixed=day, fixed_time=AT)


class Data:
    """Officers, residents and eight cases in varied states; ids of the ones the tests open."""

    def __init__(self, url: str) -> None:
        from caseworker.store import services as sv
        from caseworker.store.context import Store
        from caseworker.store.migrate import open_store

        self.engine = open_store(url)
        settings = Settings(
            database_url=url,
            config_path=Path("x"),
            organisation=Organisation(
                name="Riverside Borough Council",
                address=("Town Hall", "Riverside", "RV1 1AA"),
                phone="01632 960000",
                email="complaints@riverside.example",
                website="www.riverside.example",
                complaints_team="Customer Resolution Team",
            ),
        )

        def on(day: date) -> Store:
            return Store(self.engine, settings, clock(day))

        s = on(date(2025, 11, 3))
        sv.current_officer(s, "admin", "Ada Admin")
        sv.add_officer(s, "admin", "alice", "Alice Adams", Role.OFFICER)
        sv.add_officer(s, "admin", "bob", "Bob Brown", Role.OFFICER)
        sv.add_officer(s, "admin", "sue", "Sue Stone", Role.SUPERVISOR)

        smith = sv.add_resident(
            s,
            "alice",
            "Mrs Jane Smith",
            address="12 Elm Road, Exampletown, EX2 2BB",
            phone="01234 111222",
            preferred_channel="letter",
            vulnerable=True,
            vulnerability_notes="lives alone; recent bereavement",
        )
        jones = sv.add_resident(s, "alice", "Mr Tom Jones", address="4 Mill Lane, Exampletown, EX3 1CC")
        khan = sv.add_resident(s, "alice", "Mr Ali Khan", address="3 Low Road, Exampletown, EX4 4DD")
        patel = sv.add_resident(s, "alice", "Ms Priya Patel", address="27 Station Road, Exampletown, EX1 9EE")
        okafor = sv.add_resident(s, "alice", "Mr David Okafor", address="Flat 6, Tower House, Exampletown, EX5 2FF")
        lee = sv.add_resident(s, "alice", "Miss Sarah Lee", address="9 Church Close, Exampletown, EX6 3GG")
        walsh = sv.add_resident(s, "alice", "Mr Peter Walsh", address="81 Park View, Exampletown, EX7 5HH")
        brown = sv.add_resident(s, "alice", "Mrs Mary Brown", address="2 Ash Grove, Exampletown, EX8 7JJ")

        # Mrs Smith: a disability, two adjustments (large print, interpreter) and a contact restriction.
        s = on(date(2025, 11, 17))
        sv.record_disability(s, "alice", smith, "Visual impairment", date(2025, 11, 17))
        sv.add_adjustment(s, "alice", smith, "Large print", date(2026, 5, 17), "letters in 18pt")
        sv.add_adjustment(s, "alice", smith, "Interpreter", date(2025, 12, 8), "Polish, for calls and visits")
        sv.add_restriction(
            s, "sue", smith, "Contact by letter only", "Abusive calls on 10 and 14 Nov", "sue", date(2026, 2, 17)
        )

        def log(
            day: date,
            login: str,
            resident: int,
            kind: CaseType,
            area: str,
            category: str,
            summary: str,
            received: date | None = None,
        ):
            return sv.log_case(
                on(day), login, resident, NewCase(kind, received or day, "phone", area, category, summary)
            )

        # 1. Open with an extension, a remedy offered and an outstanding action now overdue (Mrs Smith).
        c = log(
            date(2025, 11, 17),
            "alice",
            smith,
            CaseType.COMPLAINT,
            "Repairs",
            "Damp",
            "Mould in the back bedroom, reported three times since August",
        )
        c = sv.acknowledge(
            on(date(2025, 11, 24)),
            "alice",
            c.id,
            c.version,
            date(2025, 11, 24),
            Definition(
                "Mould in the back bedroom not treated after three reports",
                "Mould treated; compensation for the delay",
                "Repairs to the structure",
            ),
        )
        c = sv.extend(
            on(date(2025, 12, 5)),
            "alice",
            c.id,
            c.version,
            Extension(5, "Waiting for the damp survey report", date(2025, 12, 5)),
        )
        sv.offer_remedy(
            on(date(2025, 12, 5)),
            "alice",
            c.id,
            RemedyKind.APOLOGY,
            "Written apology for the missed appointments",
            date(2025, 12, 19),
        )
        sv.add_action(on(date(2025, 11, 24)), "alice", c.id, "Book the damp survey", "Repairs team", date(2025, 12, 3))
        sv.add_correspondence(
            on(date(2025, 12, 5)),
            "alice",
            c.id,
            "phone",
            "Told Mrs Smith (through the interpreter) about the extension and why.",
            direction="out",
            subject="Extension explained",
        )
        self.smith_case = c.id

        # 2. Awaiting acknowledgement, due today (received Wed 3 Dec).
        log(date(2025, 12, 3), "alice", khan, CaseType.COMPLAINT, "Repairs", "Leak", "Roof leak over the stairs")

        # 3. Awaiting acknowledgement, overdue (received Mon 1 Dec, due Mon 8 Dec).
        log(
            date(2025, 12, 1),
            "bob",
            patel,
            CaseType.COMPLAINT,
            "Anti-social behaviour",
            "Noise",
            "No reply about noise from the flat above",
        )

        # 4. Open and overdue: Stage 1 response was due Wed 26 Nov.
        c = log(
            date(2025, 11, 10),
            "sue",
            brown,
            CaseType.COMPLAINT,
            "Tenancy",
            "Rent account",
            "Rent account shows arrears already paid",
        )
        sv.acknowledge(
            on(date(2025, 11, 12)),
            "sue",
            c.id,
            c.version,
            date(2025, 11, 12),
            Definition("Payments in October not credited", "Arrears removed", "Income team"),
        )

        # 5. An MP enquiry due within two working days (Fri 12 Dec).
        c = log(
            date(2025, 11, 27),
            "bob",
            walsh,
            CaseType.MP_ENQUIRY,
            "Estates",
            "Grounds",
            "MP asks why the communal garden has not been cut",
        )
        sv.acknowledge(
            on(date(2025, 11, 28)),
            "bob",
            c.id,
            c.version,
            date(2025, 11, 28),
            Definition("Communal garden not maintained", "Garden cut and a schedule", "Estates team"),
        )

        # 6. Responded at Stage 1 (partly upheld) with a financial remedy and an overdue action.
        c = log(
            date(2025, 11, 3), "alice", jones, CaseType.COMPLAINT, "Repairs", "Heating", "Boiler broken for nine days"
        )
        c = sv.acknowledge(
            on(date(2025, 11, 5)),
            "alice",
            c.id,
            c.version,
            date(2025, 11, 5),
            Definition("Boiler out of action for nine days", "Boiler fixed; compensation", "Repairs"),
        )
        s = on(date(2025, 11, 19))
        sv.offer_remedy(
            s,
            "alice",
            c.id,
            RemedyKind.FINANCIAL,
            "Compensation for nine days without heating",
            date(2025, 12, 3),
            amount_pence=15000,
        )
        sv.add_action(s, "alice", c.id, "Replace the boiler's pump", "Repairs team", date(2025, 12, 5))
        sv.respond(
            s,
            "alice",
            c.id,
            None,
            date(2025, 11, 19),
            Decision.PARTLY_UPHELD,
            "The repair took too long; the engineer's first visit was on time.",
        )
        self.responded_case = c.id

        # 7. Stage 2 requested, awaiting an officer (Stage 1 was alice's).
        c = log(date(2025, 11, 4), "alice", okafor, CaseType.COMPLAINT, "Repairs", "Lift", "Lift out of order")
        c = sv.acknowledge(
            on(date(2025, 11, 6)),
            "alice",
            c.id,
            c.version,
            date(2025, 11, 6),
            Definition("Lift out of order for two weeks", "Lift fixed", "Lift contractor"),
        )
        c = sv.respond(
            on(date(2025, 11, 20)),
            "alice",
            c.id,
            c.version,
            date(2025, 11, 20),
            Decision.NOT_UPHELD,
            "The contractor attended within the contract times.",
            no_remedy=True,
            no_actions=True,
        )
        sv.request_stage2(on(date(2025, 12, 8)), "alice", c.id, c.version, date(2025, 12, 8), "Still waiting for parts")

        # 8. Stage 2 open: Stage 1 was bob's; sue gave Stage 2 to alice, who acknowledged it.
        c = log(
            date(2025, 11, 3),
            "bob",
            lee,
            CaseType.COMPLAINT,
            "Housing management",
            "Neighbour",
            "Neighbour dispute not handled",
        )
        c = sv.acknowledge(
            on(date(2025, 11, 4)),
            "bob",
            c.id,
            c.version,
            date(2025, 11, 4),
            Definition("Reports about the neighbour not answered", "Action taken", "Housing officer"),
        )
        c = sv.respond(
            on(date(2025, 11, 14)),
            "bob",
            c.id,
            c.version,
            date(2025, 11, 14),
            Decision.NOT_UPHELD,
            "Each report was answered within ten working days.",
            no_remedy=True,
            no_actions=True,
        )
        c = sv.request_stage2(on(date(2025, 12, 1)), "bob", c.id, c.version, date(2025, 12, 1))
        c = sv.assign(on(date(2025, 12, 1)), "sue", c.id, c.version, "alice")
        sv.acknowledge(
            on(date(2025, 12, 3)),
            "alice",
            c.id,
            c.version,
            date(2025, 12, 3),
            Definition("Stage 1 did not look at the noise logs", "A fresh review", "Housing management"),
        )

        self.url = url
        self.settings = settings

    def app(self) -> CaseworkerApp:
        return CaseworkerApp(self.settings, clock=clock(), login="sue")


@pytest.fixture
def data(tmp_path: Path):
    built = Data(f"sqlite:///{tmp_path / 'snapshots.db'}")
    yield built
    built.engine.dispose()


async def steady(pilot) -> None:
    """Stop text cursors blinking, so the screenshot does not depend on when it is taken."""
    from textual.widgets import Input, TextArea

    for screen in pilot.app.screen_stack:
        for widget in screen.query("Input, TextArea"):
            if isinstance(widget, (Input, TextArea)):
                widget.cursor_blink = False
    await pilot.pause()


def keys_then_settle(*keys: str):
    """A ``run_before``: wait for the store to open, press ``keys`` one at a time, settling after each."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await steady(pilot)

    return run_before


def open_case_then(case_id: int, *keys: str):
    """A ``run_before``: open a case, then press ``keys``, settling after each."""

    async def run_before(pilot) -> None:
        await settle(pilot)
        pilot.app.open_case(case_id)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)
        await steady(pilot)

    return run_before


# -- the top-level screens ---------------------------------------------------------------------


def test_inbox_team_view(snap_compare, data):
    """The supervisor's team view: every open case, soonest deadline first, with RAG and flags."""
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=keys_then_settle("v"))


def test_deadlines(snap_compare, data):
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=keys_then_settle("f3"))


def test_adjustments(snap_compare, data):
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=keys_then_settle("f4"))


def test_remedy_calculator(snap_compare, data):
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=keys_then_settle("f5"))


def test_remedies_on_record(snap_compare, data):
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=keys_then_settle("f5", "ctrl+t"))


def test_stage2_allocation(snap_compare, data):
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=keys_then_settle("f6"))


def test_reports(snap_compare, data):
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=keys_then_settle("f7"))


def test_help(snap_compare, data):
    """F1 on the inbox: the inbox keys and the global keys."""
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=keys_then_settle("f1"))


# -- the case and what opens from it ---------------------------------------------------------


def test_case_detail(snap_compare, data):
    """Mrs Smith's case: flags for her adjustments and restriction, the extended deadline, the definition."""
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=open_case_then(data.smith_case))


def test_case_timeline(snap_compare, data):
    """The same case's timeline (newest first), with the fixed audit timestamps."""
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=open_case_then(data.smith_case, "t"))


def test_extend_form(snap_compare, data):
    """The extend form, opened with x on the case."""
    assert snap_compare(data.app(), terminal_size=SIZE, run_before=open_case_then(data.smith_case, "x"))


def test_letter_preview(snap_compare, data):
    """The Stage 1 response letter for the responded case, rendered and checked."""

    async def run_before(pilot) -> None:
        from caseworker.screens.letter_preview import LetterPreviewScreen

        await settle(pilot)
        ws = pilot.app.workspace
        pilot.app.push_screen(LetterPreviewScreen(ws.store, ws.login, data.responded_case, "response"))
        await settle(pilot)
        await steady(pilot)

    assert snap_compare(data.app(), terminal_size=SIZE, run_before=run_before)
