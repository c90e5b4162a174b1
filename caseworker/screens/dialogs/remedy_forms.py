"""The remedy screen's forms: :func:`offer_form` saves a calculation as an offer on a case
(what will happen and by when, 7.3), and :class:`Confirm` asks yes or no before a remedy
moves to a state that cannot be undone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from caseworker import inert, keys
from caseworker.rules.money import format_pounds
from caseworker.screens.dialogs.quick_form import FormField, Problem, QuickForm

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.rules.remedy_calculator import Calculation
    from caseworker.store.context import Store


class Confirm(ModalScreen[bool]):
    """Yes or no, for a step that cannot be undone."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("confirm")
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 80%; max-width: 80; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    Confirm .keys { color: $text-muted; padding-top: 1; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(inert.text(self._question))
            yield Static("y / Enter: yes · n / Esc: no", classes="keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def offer_form(calc: Calculation, store: Store, login: str) -> QuickForm:
    """The form that saves ``calc`` as a financial remedy offered on a case (7.3).

    Asks for the case reference, what will happen and by when; the form is dismissed with the
    case's reference (upper case) once saved, or None when the officer leaves it.
    """
    from caseworker.rules import registers
    from caseworker.rules.facts import RemedyKind

    money = format_pounds(calc.total_pence)

    def check(v):
        if not v["case"]:
            return Problem("give the reference of the case the offer is made on", "", "case")
        return registers.check_remedy_offer(
            RemedyKind.FINANCIAL, v["what"], v["by_when"], calc.total_pence, store.today()
        )

    def save(v):
        from caseworker.store import services as sv
        from caseworker.store.queries.case import case_id_for_reference

        case_id = case_id_for_reference(store, v["case"])
        if case_id is None:
            raise sv.DomainError(f"there is no case {v['case']!r}", "", "case")
        sv.offer_remedy(
            store,
            login,
            case_id,
            RemedyKind.FINANCIAL,
            v["what"],
            v["by_when"],
            amount_pence=calc.total_pence,
            guidance_key=calc.guidance_key,
            calculation_basis=calc.basis,
            rationale=calc.rationale,
        )
        return v["case"].upper()

    fields = [
        FormField("case", "Case reference", placeholder="e.g. MKCC-2025-0001"),
        FormField(
            "what", "What will happen", value=f"Pay {money} compensation", placeholder="what the landlord will do (7.3)"
        ),
        FormField("by_when", "By when", "date", placeholder="YYYY-MM-DD or DD/MM/YYYY"),
    ]
    intro = calc.rationale + " Say what will happen and by when (7.3)."
    return QuickForm(
        "Save as an offer on a case", fields, intro=intro, check=check, save=save, save_label="save the offer"
    )


__all__ = ["Confirm", "offer_form"]
