"""The calculator's result pane: the itemised breakdown (lines added, the line being typed in
italics, the band), the total, the first problem naming its field, and the rationale."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from caseworker import inert
from caseworker.rules.money import format_pounds
from caseworker.rules.remedy_calculator import Calculation
from caseworker.widgets.table import Table

UNIT_SHORT = {"day": " d", "week": " wk", "each": "", "amount": "", "band": ""}


class Breakdown(Vertical):
    """The breakdown table (row keys ``line:N``, ``draft`` and ``band``), total, problem and rationale."""

    def __init__(self, help_text: str = "", **kwargs) -> None:
        super().__init__(**kwargs)
        self._help = help_text

    def compose(self) -> ComposeResult:
        breakdown = Table(id="breakdown", cursor_type="row")
        breakdown.HELP = self._help  # type: ignore[misc]  # Textual types HELP as a ClassVar; this one widget's help
        yield breakdown
        yield Static("", id="total")
        yield Static("", id="problem", markup=False)
        with VerticalScroll(id="rationale-box"):
            yield Static("", id="rationale", markup=False)

    def on_mount(self) -> None:
        breakdown = self.query_one("#breakdown", Table)
        for label, width in (("#", 1), ("Amount", 10), ("Item", 24), ("Quantity × rate", 16)):
            breakdown.add_column(label, width=width, key=label)

    def show(
        self, shown: Calculation | None, added: int, final: Calculation | None, problem: str, *, error: bool
    ) -> None:
        """Show a calculation.

        Args:
            shown: What to list (the lines so far, with the line being typed), or None.
            added: How many of its lines were added (the rest is the line being typed or the band).
            final: The calculation that would be saved, or None while there is a problem.
            problem: The problem line (or the hint that Ctrl+S saves).
            error: Whether the problem line is an error (shown in the error colour).
        """
        table = self.query_one("#breakdown", Table)
        current = table.current_key()
        table.clear()
        if shown is not None:
            for i, line in enumerate(shown.lines):
                if line.unit == "band":
                    key, mark = "band", "B"
                elif i < added:
                    key, mark = f"line:{i}", str(i + 1)
                else:
                    key, mark = "draft", "+"
                style = "italic" if key == "draft" else ""
                if line.unit == "band":
                    how = "in band" if "in the band" in line.basis else "outside band"
                elif line.unit == "amount":
                    how = "entered"
                else:
                    how = f"{line.quantity}{UNIT_SHORT[line.unit]} × {format_pounds(line.rate_pence or 0)}"
                table.add_row(
                    Text(mark, style=style),
                    Text(format_pounds(line.amount_pence), style=style, justify="right"),
                    Text(line.label, style=style),
                    Text(how, style=style),
                    key=key,
                )
            if current is not None and current in table.rows:  # unless that line is gone
                table.move_cursor(row=table.get_row_index(current))
        box = self.query_one("#problem", Static)
        box.update(inert.text(problem))
        box.set_class(error, "error")
        total = self.query_one("#total", Static)
        if final is not None:
            total.update(inert.text(f"Total {format_pounds(final.total_pence)}"))
            self.query_one("#rationale", Static).update(inert.text(final.rationale))
        else:
            total.update(inert.text(f"Total so far {format_pounds(shown.total_pence)}" if shown else "Total –"))
            self.query_one("#rationale", Static).update(inert.text(shown.rationale if shown is not None else ""))
