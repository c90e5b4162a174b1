"""The Remedy screen driven by Pilot on a real SQLite file: dates and the payment reference
entered on the move form (past dates recordable, wrong ones refused naming the field), and the
calculator choosing the guidance in force for the case typed (other guidance only with a reason).
"""

from __future__ import annotations

from datetime import date

from helpers import go, make_app, make_store, settle
from test_screens_other import World, text_of, type_into
from test_screens_other import world as world  # noqa: F401 - the fixture
from textual.widgets import DataTable, Select, TextArea

from caseworker.rules.facts import Decision, Definition
from caseworker.rules.lifecycle import CaseType, NewCase

TODAY = date(2025, 12, 10)  # Wednesday, as test_screens_other's world


def _remedy(store, case_id):
    from caseworker.store.queries.case import case_detail

    (remedy,) = case_detail(store, case_id=case_id).remedies
    return remedy


async def test_accepted_and_paid_on_dates_typed_with_the_payment_reference(url, world):
    from caseworker.screens.dialogs.remedy_forms import MoveRemedyForm
    from caseworker.store import services as sv

    case_id = world.due_today.id
    sv.offer_remedy(
        world.store, "alice", case_id, "financial", "Pay £120.00", date(2025, 12, 19), amount_pence=12_000,
        offered_on=date(2025, 12, 4),
    )  # fmt: skip
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f5")
        await pilot.press("ctrl+t")
        await settle(pilot)
        assert screen.query_one("#remedies", DataTable).row_count == 1

        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MoveRemedyForm)
        await type_into(pilot, "#f-on", "11/12/2025")
        assert "Date accepted" in text_of(form, "#form-problem") or "accepted date" in text_of(form, "#form-problem")
        assert "in the future" in text_of(form, "#form-problem")
        await type_into(pilot, "#f-on", "31/11/2025")
        assert "November 2025 has 30 days" in text_of(form, "#form-problem")
        await type_into(pilot, "#f-on", "05/12/2025")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert _remedy(world.store, case_id).accepted_on == date(2025, 12, 5)

        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, MoveRemedyForm)
        await type_into(pilot, "#f-on", "2025-12-03")
        problem = text_of(form, "#form-problem")
        assert "paid date (03 Dec 2025) is before" in problem
        await type_into(pilot, "#f-on", "2025-12-08")
        await pilot.press("ctrl+s")  # no payment reference yet: refused, the field named, the form kept
        await settle(pilot)
        assert app.screen is form and "Payment reference" in text_of(form, "#form-problem")
        await type_into(pilot, "#f-payment_reference", "BACS 20418")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
    remedy = _remedy(world.store, case_id)
    assert (remedy.state, remedy.paid_on, remedy.payment_reference) == ("paid", date(2025, 12, 8), "BACS 20418")


async def test_calculator_chooses_the_guidance_in_force_for_the_case_and_asks_why_for_other(tmp_path):
    from caseworker.screens.dialogs.remedy_forms import OfferForm
    from caseworker.screens.remedy import RemedyScreen
    from caseworker.store import services as sv

    db = f"sqlite:///{tmp_path / 'guidance.db'}"
    store = make_store(db, date(2026, 4, 15))
    people = World(store)  # a case received 3 Dec 2025 (unanswered), plus this one:
    new = NewCase(CaseType.COMPLAINT, date(2026, 3, 16), "email", "Repairs", "Heating", "No heating")
    ref = sv.log_case(store, "alice", people.resident, new)
    ref = sv.acknowledge(
        store, "alice", ref.id, ref.version, date(2026, 3, 17), Definition("Heating", "Fix", "Repairs")
    )
    sv.respond(store, "alice", ref.id, ref.version, date(2026, 3, 31), Decision.UPHELD, "slow", no_remedy=True,
               no_actions=True)  # fmt: skip
    store.engine.dispose()

    app = make_app(db, "alice", date(2026, 4, 15))
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await go(pilot, "f5")
        assert isinstance(screen, RemedyScreen)
        calc = screen.calculator
        assert calc.guidance.key == "hos-compensation-2026"  # in force today
        await type_into(pilot, "#case", ref.reference.lower())
        await settle(pilot)
        # answered on Tue 31 Mar 2026: the redress bands were in force; nothing typed, so chosen for the officer
        assert calc.guidance.key == "hos-remedies-2024"
        assert "The guidance for " + ref.reference in text_of(screen, "#guidance-note")
        assert "Tue 31 Mar 2026, the date of the Stage 1 response" in text_of(screen, "#guidance-note")

        screen.query_one("#guidance", Select).value = "hos-compensation-2026"  # the officer prefers the tariff
        await pilot.pause()
        assert "Not the guidance in force for " + ref.reference in text_of(screen, "#guidance-note")
        screen.query_one("#item", Select).value = "missed_appointment"
        await pilot.pause()
        await type_into(pilot, "#quantity", "2")  # 2 x £15.00 = £30.00
        assert calc.calc is not None and calc.calc.total_pence == 3_000

        await pilot.press("ctrl+s")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, OfferForm)
        assert form.query_one("#f-case").value == ref.reference  # carried from the calculator
        await type_into(pilot, "#f-by_when", "30/04/2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form and "Why this guidance" in text_of(form, "#form-problem")
        help_text = " ".join(str(h.render()) for h in form.query("#row-guidance_reason .help"))
        assert "Guidance on remedies is the guidance in force on Tue 31 Mar 2026" in help_text
        area = form.query_one("#f-guidance_reason", TextArea)
        area.focus()
        area.text = "the tariff was agreed with the resident on 14 April"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen

    store = make_store(db, date(2026, 4, 15))
    remedy = _remedy(store, ref.id)
    store.engine.dispose()
    assert (remedy.amount_pence, remedy.guidance_key, remedy.guidance_reason) == (
        3_000,
        "hos-compensation-2026",
        "the tariff was agreed with the resident on 14 April",
    )


async def test_a_remedy_recorded_from_the_case_keeps_the_date_it_was_offered(url, world):
    from caseworker.screens.dialogs.records import RemedyDialog

    case_id = world.due_today.id
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        await pilot.press("m")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, RemedyDialog)
        assert form.query_one("#f-offered_on").value == TODAY.isoformat()  # today offered, editable
        form.query_one("#f-kind", Select).value = "apology"
        await pilot.pause()
        area = form.query_one("#f-description", TextArea)
        area.focus()
        area.text = "A written apology from the repairs manager"
        await pilot.pause()
        await type_into(pilot, "#f-offered_on", "11/12/2025")
        await type_into(pilot, "#f-by_when", "19/12/2025")
        assert "date of the offer (11 Dec 2025) is in the future" in text_of(form, "#form-problem")
        await type_into(pilot, "#f-offered_on", "05/12/2025")
        await type_into(pilot, "#f-by_when", "08/12/2025")  # offered on the 5th, due the 8th: both past, both facts
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, RemedyDialog)
    remedy = _remedy(world.store, case_id)
    assert (remedy.kind, remedy.offered_on, remedy.by_when) == ("apology", date(2025, 12, 5), date(2025, 12, 8))


async def test_f5_from_a_case_opens_the_calculator_for_that_case(url, world):
    from caseworker.screens.remedy import RemedyScreen
    from caseworker.store.queries.case import case_detail

    world_reference = case_detail(world.store, case_id=world.due_today.id).header.reference
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        app.open_case(world.due_today.id)
        await settle(pilot)
        screen = await go(pilot, "f5")
        assert isinstance(screen, RemedyScreen)
        await settle(pilot)
        reference = screen.query_one("#case").value
        assert reference == world_reference
        assert screen.calculator.case is not None and screen.calculator.case.reference == world_reference
        assert "The guidance for " + world_reference in text_of(screen, "#guidance-note")
        # the officer types another case: going back to the case and to F5 again keeps what they typed
        await type_into(pilot, "#case", "CMP-999")
        await go(pilot, "f2")
        await go(pilot, "f5")
        assert screen.query_one("#case").value == "CMP-999"
