"""The remedy screen's forms: :class:`OfferForm` saves a calculation as an offer on a case
(what will happen and by when, 7.3; other guidance only with a reason, 7.4), and
:class:`MoveRemedyForm` records it accepted, declined, paid or completed on the date the
officer enters, with the payment reference when paid. :class:`Confirm` is a yes-or-no
question, also asked by the letter preview.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from caseworker import inert, keys
from caseworker.rules.money import format_pounds
from caseworker.rules.remedy_record import kind_label
from caseworker.screens.dialogs.form import REFERENCE_EXAMPLE, Field, FormDialog

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.rules.remedy_calculator import Calculation
    from caseworker.store.queries.remedies import CaseGuidance, RemedyRow


class Confirm(ModalScreen[bool]):
    """Yes or no, for a step that cannot be undone: ``y`` answers yes (Enter does not), ``n`` or
    Escape no. Dismissed with True or False."""

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("confirm")
    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 80%; max-width: 80; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    Confirm .keys { color: $text-muted; padding-top: 1; }
    Confirm .keys.-nudged { color: $warning; text-style: bold; }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(inert.text(self._question))
            yield Static("", classes="keys")

    def on_mount(self) -> None:
        yes, no = self._answers()
        self.query_one(".keys", Static).update(inert.text(f"{yes}: yes · {no}: no"))

    def _answers(self) -> tuple[str, str]:
        """The keys that say yes and no, as bound now (after any ``[keys]`` rebinding)."""
        yes, no = keys.as_bound(keys.keys_for("confirm"), self.active_bindings)
        return keys.display_key(yes.key), keys.display_key(no.key)

    def on_key(self, event: events.Key) -> None:
        """A key that does not answer (Enter, say) says which keys do, so the dialog does not
        look frozen; it answers nothing."""
        if event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        yes, no = self._answers()
        line = self.query_one(".keys", Static)
        line.update(inert.text(f"{keys.display_key(event.key)} does not answer: press {yes} for yes, {no} for no."))
        line.add_class("-nudged")
        self.app.bell()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class OfferForm(FormDialog[str]):
    """Save a calculation as a financial remedy offered on a case: the case, what will happen,
    by when (7.3), the date of the offer, and why other guidance was used, if it was (7.4).

    Dismissed with the case's reference once saved, or None.
    """

    SAVE_LABEL = "Save the offer"

    def __init__(self, calc: Calculation, today: date, case: CaseGuidance | None = None, reference: str = "") -> None:
        self.calc, self.today, self.case, self.reference = calc, today, case, reference
        self.FORM_TITLE = "Save as an offer on a case"
        self.INTRO = calc.rationale + " Say what will happen and by when (7.3)."
        super().__init__()

    def fields(self):
        money = format_pounds(self.calc.total_pence)
        other = self.case is not None and self.case.in_force.guidance.key != self.calc.guidance_key
        return (
            Field("case", "Case reference", required=True, default=self.reference, placeholder=REFERENCE_EXAMPLE),
            Field("what", "What will happen", required=True, default=f"Pay {money} compensation"),
            Field("by_when", "By when", "date", required=True),
            Field(
                "offered_on",
                "Date of the offer",
                "date",
                required=True,
                default=self.today,
                help="Today, or the date the offer was made (e.g. in a response already sent).",
            ),
            Field(
                "guidance_reason",
                "Why this guidance",
                "textarea",
                required=other,
                help=(
                    f"Required: the {self.case.in_force.guidance.name} is the guidance {self.case.in_force.because} (7.4)."
                    if other and self.case is not None
                    else "Only when this is not the guidance in force for the case (7.4)."
                ),
            ),
        )

    def validate(self, values):
        from caseworker.rules import registers
        from caseworker.rules.facts import RemedyKind
        from caseworker.rules.remedy_record import check_guidance_choice

        refusal = registers.check_remedy_offer(
            RemedyKind.FINANCIAL,
            values["what"] or "",
            values["by_when"],
            self.calc.total_pence,
            self.today,
            values["offered_on"],
        )
        case = self.case
        if refusal is None and case is not None and (values["case"] or "").strip().upper() == case.reference.upper():
            refusal = check_guidance_choice(self.calc.guidance_key, case.in_force, values["guidance_reason"] or "")
        return refusal

    def perform(self, store, login, values):
        from caseworker.rules.facts import RemedyKind
        from caseworker.store import services as sv
        from caseworker.store.queries.case import case_id_for_reference

        case_id = case_id_for_reference(store, values["case"])
        if case_id is None:
            raise sv.DomainError(f"there is no case {values['case'].strip()!r}: check the reference", "", "case")
        sv.offer_remedy(
            store,
            login,
            case_id,
            RemedyKind.FINANCIAL,
            values["what"],
            values["by_when"],
            amount_pence=self.calc.total_pence,
            guidance_key=self.calc.guidance_key,
            calculation_basis=self.calc.basis,
            rationale=self.calc.rationale,
            offered_on=values["offered_on"],
            guidance_reason=values["guidance_reason"] or "",
        )
        return values["case"].strip().upper()


#: What each move is called on the form, and the label of its date.
_MOVE_WORDS = {
    "accepted": ("Accepted", "Date accepted"),
    "declined": ("Declined", "Date declined"),
    "paid": ("Paid", "Date paid"),
    "completed": ("Completed", "Date completed"),
}


class MoveRemedyForm(FormDialog[str]):
    """Record that a remedy was accepted, declined, paid or completed, on the date the officer
    enters (today offered; a past date is a fact and recordable), with the payment reference
    when paid (7.3). Dismissed with the new state once saved, or None."""

    def __init__(self, row: RemedyRow, target: str, today: date) -> None:
        self.row, self.target, self.today = row, target, today
        word, _ = _MOVE_WORDS[target]
        money = f" {format_pounds(row.amount_pence)}" if row.amount_pence else ""
        self.FORM_TITLE = f"{word}: remedy on {row.reference}"
        self.SAVE_LABEL = f"Record {word.lower()}"
        self.INTRO = (
            f"The{money} {kind_label(row.kind).lower()} remedy on {row.reference}: {row.description}. "
            f"Offered {row.offered_on:%d %b %Y}"
            + (f", accepted {row.accepted_on:%d %b %Y}" if row.accepted_on else "")
            + (f", paid {row.paid_on:%d %b %Y}" if row.paid_on else "")
            + ". This is kept in the case history and cannot be undone."
        )
        super().__init__()

    def fields(self):
        from caseworker.rules.facts import RemedyState
        from caseworker.rules.registers import REMEDY_DATE_FIELD

        _, date_label = _MOVE_WORDS[self.target]
        out = [
            Field(
                "on",
                date_label,
                "date",
                required=True,
                default=self.today,
                help="Today, or the day it happened: a past date is recorded as it is.",
                aliases=(REMEDY_DATE_FIELD[RemedyState(self.target)],),
            )
        ]
        if self.target == "paid":
            out.append(
                Field(
                    "payment_reference",
                    "Payment reference",
                    required=True,
                    placeholder="e.g. BACS 20418, cheque 001234, rent credit RC-5521",
                    help="The reference of the payment or rent-account credit, to trace it (at most 60 characters).",
                )
            )
        return out

    def validate(self, values):
        from caseworker.rules.facts import RemedyState
        from caseworker.rules.registers import check_remedy_dates

        r = self.row
        return check_remedy_dates(
            RemedyState(self.target),
            values["on"],
            self.today,
            r.offered_on,
            r.accepted_on,
            r.paid_on,
            values.get("payment_reference") or "",
        )

    def perform(self, store, login, values):
        from caseworker.store import services as sv

        sv.move_remedy(
            store,
            login,
            self.row.remedy_id,
            self.target,
            values["on"],
            version=self.row.version,
            payment_reference=values.get("payment_reference") or "",
        )
        return self.target


__all__ = ["Confirm", "MoveRemedyForm", "OfferForm"]
