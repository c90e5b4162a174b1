"""The form framework's own widgets: :class:`Tick`, a checkbox that reads clearly, and
:class:`FormInput`, a one-line input that keeps every line of a multi-line paste."""

from __future__ import annotations

from textual import events
from textual.widgets import Checkbox, Input


class Tick(Checkbox):
    """A checkbox that shows ✓ when ticked and nothing when not (Textual's grey X reads as ticked)."""

    @property
    def BUTTON_INNER(self) -> str:
        return "✓" if self.value else " "


def one_line(text: str) -> str:
    """Pasted text on one line: its non-blank lines, trimmed, joined with ", " (an address
    copied from an email keeps every line instead of only the first)."""
    return ", ".join(line.strip().rstrip(",") for line in text.splitlines() if line.strip())


class FormInput(Input):
    """An Input whose paste keeps every line (Textual's Input keeps only the first, silently)."""

    def _on_paste(self, event: events.Paste) -> None:
        """A multi-line paste goes in as one line; a one-line paste is left to Input's own handler
        (Textual calls each class's handler in turn unless ``prevent_default`` stops it)."""
        if event.text and len(event.text.splitlines()) > 1:
            event.prevent_default()
            event.stop()
            line = one_line(event.text)
            selection = self.selection
            if selection.is_empty:
                self.insert_text_at_cursor(line)
            else:
                self.replace(line, *selection)


__all__ = ["FormInput", "Tick", "one_line"]
