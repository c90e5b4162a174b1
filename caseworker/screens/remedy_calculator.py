"""The remedy calculator: the guidance set, the items and band chosen, and the itemised
breakdown, total and rationale recalculated as the officer types (SPEC screen 5).

The arithmetic is :mod:`caseworker.rules.remedy_calculator` (pure, run on the UI thread); a
problem names the field it belongs to. Ctrl+S asks for the case, what will happen and by
when (7.3) and saves the calculation as an offer, in a worker.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Input, Select, Static

from caseworker import inert
from caseworker.rules.guidance_sets import Guidance, load_guidance
from caseworker.rules.money import format_pounds, parse_pounds
from caseworker.rules.remedy_calculator import (
    BandChoice,
    Calculation,
    LineInput,
    RemedyError,
    calculate,
)
from caseworker.screens.base import WorkerMixin
from caseworker.screens.dialogs.remedy_forms import OfferForm
from caseworker.screens.remedy_breakdown import Breakdown
from caseworker.screens.remedy_guidance import GuidanceChoice
from caseworker.widgets.table import Table

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.queries.remedies import CaseGuidance

FIELD_LABEL = {
    "item": "Item",
    "quantity": "Quantity",
    "amount": "Amount",
    "note": "Note",
    "band": "Band",
    "band_amount": "Band amount",
    "band_reason": "Reason",
    "lines": "Items",
    "date": "Guidance",
}
FIELD_WIDGET = {
    "item": "#item",
    "quantity": "#quantity",
    "amount": "#amount",
    "note": "#note",
    "band": "#band",
    "band_amount": "#band_amount",
    "band_reason": "#band_reason",
}


class RemedyCalculator(WorkerMixin, Horizontal):
    """The calculator pane: inputs on the left, the breakdown, total and rationale on the right.

    Attributes:
        guidance: The guidance set chosen.
        lines: The lines added so far (the line being typed is not among them).
        calc: The calculation to save, or None while there is a problem.
        problem: The first problem, naming its field, or None.
    """

    class OfferSaved(Message):
        """An offer was saved: the remedies on record have one more."""

    def __init__(self, help_text: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._help = help_text
        self.guidance: Guidance | None = None
        self.lines: list[LineInput] = []
        self.calc: Calculation | None = None
        self.problem: RemedyError | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="inputs"):
            yield GuidanceChoice(id="guidance-choice")
            with Vertical(id="items-box"):
                yield Static("Add an item", classes="label")
                yield Select([], prompt="Choose an item…", id="item")
                yield Static("", id="item-note", classes="note", markup=False)
                with Horizontal(id="qty-row"):
                    yield Input(placeholder="how many", id="quantity")
                    yield Input(placeholder="£ amount", id="amount")
                yield Input(placeholder="note", id="note")
                yield Static("Enter or Ctrl+N adds the line; Ctrl+R removes one.", classes="note")
            with Vertical(id="band-box"):
                yield Static("Redress band", classes="label")
                yield Select([], prompt="Choose a band…", id="band")
                yield Static("", id="band-note", classes="note", markup=False)
                yield Input(placeholder="£ amount in the band", id="band_amount")
                yield Input(
                    placeholder="why this amount (needed outside the band or in an open band)", id="band_reason"
                )
        yield Breakdown(self._help, id="result")

    def on_mount(self) -> None:
        self.set_guidance(self.query_one(GuidanceChoice).key)

    @property
    def case(self) -> CaseGuidance | None:
        """The case typed in the calculator and its guidance in force, once found."""
        return self.query_one(GuidanceChoice).case

    def set_case(self, reference: str) -> None:
        """Work out a remedy for the case ``reference``: the guidance in force for it is chosen."""
        self.query_one(GuidanceChoice).set_case(reference)

    def on_guidance_choice_chosen(self, event: GuidanceChoice.Chosen) -> None:
        event.stop()
        self.set_guidance(event.key)

    def on_guidance_choice_case_found(self, event: GuidanceChoice.CaseFound) -> None:
        """Choose the case's guidance in force, unless lines typed under another set would be lost."""
        event.stop()
        key = event.case.in_force.guidance.key
        if self.guidance is not None and key != self.guidance.key and not self.lines:
            self.query_one(GuidanceChoice).choose(key)

    def set_guidance(self, key: str) -> None:
        g = load_guidance(key)
        if self.guidance is not None and self.guidance.key == g.key:
            return
        if self.lines:
            self.notify("The lines were cleared: they belonged to the other guidance set.", timeout=4)
        self.guidance, self.lines = g, []
        items = self.query_one("#item", Select)
        items.set_options([(inert.cell(f"{i.label} · {i.rate_text}"), i.key) for i in g.items])
        bands = self.query_one("#band", Select)
        bands.set_options([(inert.cell(f"{b.finding}: {b.impact} · {b.range_text}"), b.key) for b in g.bands])
        self.refresh_bindings()
        self.query_one("#items-box").display = bool(g.items)
        self.query_one("#band-box").display = bool(g.bands)
        for name in ("quantity", "amount", "note", "band_amount", "band_reason"):
            self.query_one(f"#{name}", Input).value = ""
        self._item_changed()
        self._band_changed()
        self.recompute()

    def _item(self):
        value = self.query_one("#item", Select).value
        return None if value is Select.NULL or self.guidance is None else self.guidance.item(str(value))

    def _band_key(self) -> str | None:
        value = self.query_one("#band", Select).value
        return None if value is Select.NULL else str(value)

    def _item_changed(self) -> None:
        item = self._item()
        qty, amount, note = (self.query_one(f"#{n}", Input) for n in ("quantity", "amount", "note"))
        if item is None:
            self.query_one("#item-note", Static).update("")
            qty.disabled = amount.disabled = note.disabled = True
            return
        note.disabled = False
        fixed = item.unit != "amount"
        qty.disabled, amount.disabled = not fixed, fixed
        if fixed:
            amount.value = ""
            qty.placeholder = "how many " + {"day": "days", "week": "weeks", "each": "times"}[item.unit]
        else:
            qty.value = ""
        note.placeholder = item.note_label + (" (required)" if item.needs_reason else " (optional)")
        self.query_one("#item-note", Static).update(
            inert.text(
                f"{item.rate_text} · {item.status}"
                + ("; check before relying on it" if item.status == "secondary" else "")
            )
        )

    def _band_changed(self) -> None:
        key = self._band_key()
        band = self.guidance.band(key) if key and self.guidance else None
        for n in ("band_amount", "band_reason"):
            self.query_one(f"#{n}", Input).disabled = band is None
        text = "" if band is None else f"{band.range_text}. {band.description} [{band.status}]"
        self.query_one("#band-note", Static).update(inert.text(text))

    def _draft(self) -> LineInput | None:
        """The line being typed, or None; raises RemedyError naming the field that cannot be read."""
        item = self._item()
        if item is None:
            return None
        qty_text = self.query_one("#quantity", Input).value.strip()
        amount_text = self.query_one("#amount", Input).value.strip()
        note = self.query_one("#note", Input).value
        if item.unit == "amount":
            try:
                amount = parse_pounds(amount_text)
            except ValueError as exc:
                raise RemedyError("amount", f"{item.label}: {exc}") from None
            return LineInput(item.key, 1, amount, note)
        noun = {"day": "days", "week": "weeks", "each": "times"}[item.unit]
        if not qty_text:
            raise RemedyError("quantity", f"{item.label}: enter how many {noun}")
        try:
            quantity = int(qty_text.replace(",", ""))
        except ValueError:
            raise RemedyError(
                "quantity", f"{item.label}: the quantity must be a whole number of {noun}, not {qty_text!r}"
            ) from None
        return LineInput(item.key, quantity, None, note)

    def _band(self) -> BandChoice | None:
        key = self._band_key()
        if key is None:
            return None
        band = self.guidance.band(key) if self.guidance else None
        text = self.query_one("#band_amount", Input).value.strip()
        if not text:
            raise RemedyError("band_amount", f"enter the amount ({band.range_text if band else 'in the band'})")
        try:
            amount = parse_pounds(text)
        except ValueError as exc:
            raise RemedyError("band_amount", str(exc)) from None
        return BandChoice(key, amount, self.query_one("#band_reason", Input).value)

    def recompute(self) -> None:
        """Recalculate from the inputs: breakdown, total, rationale, and the first problem with its field."""
        g = self.guidance
        if g is None:
            return
        problem: RemedyError | None = None
        draft = band = None
        try:
            draft = self._draft()
        except RemedyError as exc:
            problem = exc
        try:
            band = self._band()
        except RemedyError as exc:
            problem = problem or exc
        lines = self.lines + ([draft] if draft is not None else [])
        calc: Calculation | None = None
        try:
            calc = calculate(g, lines, band)
        except RemedyError as exc:
            problem = problem or exc
        shown = calc
        if shown is None and self.lines:
            try:
                shown = calculate(g, self.lines, None)
            except RemedyError:
                shown = None
        self.calc = calc if problem is None else None
        self.problem = problem
        self._show(shown, has_draft=draft is not None and problem is None)

    def _show(self, calc: Calculation | None, has_draft: bool) -> None:
        p = self.problem
        if p is not None and p.field == "lines":
            problem = "Choose an item (or a band) to start." if not self.lines else f"⚠ {p.message}"
        elif p is not None:
            item = self._item()
            label = item.note_label if p.field == "note" and item is not None else FIELD_LABEL.get(p.field, p.field)
            problem = f"⚠ {label}: {p.message}"
        else:
            problem = "✓ Ctrl+S saves this as an offer on a case" + (
                " (the line being typed is included)" if has_draft else ""
            )
        self.query_one(Breakdown).show(
            calc, len(self.lines), self.calc, problem, error=p is not None and p.field != "lines"
        )
        for field, selector in FIELD_WIDGET.items():
            w = self.query_one(selector)
            w.set_class(p is not None and p.field == field and not w.disabled and self._touched(field), "-invalid")

    def _touched(self, field: str) -> bool:
        """Mark a field in error only once something has been typed in the line or band it belongs to."""
        if field in ("band_amount", "band_reason", "band"):
            return True
        return any(self.query_one(f"#{n}", Input).value for n in ("quantity", "amount", "note")) or field == "item"

    # -- calculator events ------------------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        sid = event.select.id
        if sid == "item":
            self._item_changed()
        elif sid == "band":
            self._band_changed()
        self.recompute()

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.recompute()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id in ("quantity", "amount", "note"):
            self.add_line()
        else:
            self.screen.focus_next()

    def add_line(self) -> None:
        if self._item() is None:
            self.notify("Choose an item first.", timeout=3)
            self.query_one("#item", Select).focus()
            return
        self.recompute()
        p = self.problem
        if p is not None and p.field in ("item", "quantity", "amount", "note"):
            self.notify(f"{FIELD_LABEL.get(p.field, p.field)}: {p.message}", severity="error", timeout=6)
            selector = FIELD_WIDGET.get(p.field)
            if selector:
                self.query_one(selector).focus()
            return
        try:
            draft = self._draft()
        except RemedyError:
            return
        if draft is None:
            return
        self.lines.append(draft)
        for n in ("quantity", "amount", "note"):
            self.query_one(f"#{n}", Input).value = ""
        self.query_one("#item", Select).clear()
        self._item_changed()
        self.recompute()
        self.query_one("#item", Select).focus()

    def remove_line(self) -> None:
        table = self.query_one("#breakdown", Table)
        key = table.current_key() if self.screen.focused is table else None
        if key == "band":
            self.query_one("#band", Select).clear()
            self._band_changed()
        elif key and key.startswith("line:"):
            del self.lines[int(key.split(":")[1])]
        elif key == "draft":
            self.query_one("#item", Select).clear()
            self._item_changed()
        elif self.lines:
            self.lines.pop()
        else:
            self.notify("There is no line to remove.", timeout=3)
            return
        self.recompute()

    def clear(self) -> None:
        self.lines = []
        for n in ("quantity", "amount", "note", "band_amount", "band_reason"):
            self.query_one(f"#{n}", Input).value = ""
        self.query_one("#item", Select).clear()
        self.query_one("#band", Select).clear()
        self._item_changed()
        self._band_changed()
        self.recompute()

    def save_offer(self) -> None:
        ws = self.workspace
        if ws is None:
            return
        self.recompute()
        calc = self.calc
        if calc is None:
            p = self.problem
            msg = p.message if p is not None else "nothing to save"
            if p is not None and p.field != "lines":
                msg = f"{FIELD_LABEL.get(p.field, p.field)}: {msg}"
            self.notify(f"The calculation cannot be saved yet: {msg}", severity="error", timeout=6)
            return
        money = format_pounds(calc.total_pence)

        def saved(reference: str | None) -> None:
            if reference:
                self.notify(f"Offer of {money} saved on {reference}.", title="Remedy offered", timeout=6)
                self.post_message(self.OfferSaved())

        reference = self.query_one("#case", Input).value.strip()
        case = self.case if self.case is not None and self.case.reference.upper() == reference.upper() else None
        self.app.push_screen(OfferForm(calc, ws.store.today(), case, case.reference if case else reference), saved)
