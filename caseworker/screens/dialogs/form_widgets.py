"""The form framework's widgets and layout: :func:`field_widget` builds the input for a field,
:class:`Tick` is a checkbox that reads clearly, :class:`FormInput` a one-line input that keeps
every line of a multi-line paste, and ``FORM_CSS`` the form's layout."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from textual import events
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, OptionList, Select, TextArea
from textual.widgets.option_list import Option

from caseworker import inert
from caseworker.rules.typed import DATE_HINT
from caseworker.screens.dialogs.fields import Choice, Field

#: The form's layout (FormDialog's DEFAULT_CSS): labels right-aligned beside their inputs, the
#: problem line and buttons under the fields, the fields scrolling when the form is too tall.
FORM_CSS = """
FormDialog { align: center middle; }
FormDialog #form { width: 100; max-width: 100%; height: auto; max-height: 100%;
    border: thick $primary; background: $surface; padding: 0 1; }
FormDialog #form-title { text-style: bold; color: $accent; width: 1fr; }
FormDialog #form-intro { color: $text-muted; margin-bottom: 1; }
FormDialog #form-fields { height: auto; }
FormDialog.-fill #form { height: 100%; }
FormDialog.-fill #form-fields { height: 1fr; }
FormDialog .row { height: auto; margin-bottom: 1; }
FormDialog .row.-hidden { display: none; }
FormDialog .row > Label { width: 24; padding-right: 1; text-align: right; color: $text; }
FormDialog .row > Label.-required { text-style: bold; }
FormDialog .row > .cell { width: 1fr; height: auto; }
FormDialog .help { color: $text-muted; }
FormDialog Input, FormDialog Select { width: 1fr; }
FormDialog Input, FormDialog TextArea { background: $boost; }
FormDialog Input:focus, FormDialog TextArea:focus { background: $primary 20%; }
FormDialog TextArea { height: 4; width: 1fr; }
FormDialog TextArea.-tall { height: 6; }
FormDialog TextArea.-address { height: 5; }
FormDialog .-invalid { border-left: outer $error; }
FormDialog OptionList { height: auto; max-height: 9; width: 1fr; }
FormDialog #form-info { height: auto; padding: 0 1; }
FormDialog #form-info.-empty { display: none; }
FormDialog #form-notice { height: auto; padding: 0 1; color: $warning; text-style: italic; }
FormDialog #form-notice.-empty { display: none; }
FormDialog #form-problem { height: auto; padding: 0 1; color: $warning; }
FormDialog #form-problem.-error { color: $error; text-style: bold; }
FormDialog #form-problem.-ok { color: $success; }
FormDialog #form-buttons { height: auto; align-horizontal: right; margin-top: 1; }
FormDialog #form-buttons Button { margin-left: 2; min-width: 12; padding: 0 1; }
"""


class Tick(Checkbox):
    """A checkbox that shows ✓ when ticked and nothing when not (Textual's grey X reads as ticked)."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # Textual's class str, read per instance
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


def field_widget(spec: Field) -> Widget:
    """The input for one field: a one-line input (dates, numbers, emails, phones and text are
    typed and read by the form), a text area (several lines; an address), a select, a tick box
    or a pick list."""
    wid = f"f-{spec.name}"
    if spec.kind in ("textarea", "address"):
        area = TextArea(
            str(spec.default or ""),
            id=wid,
            soft_wrap=True,
            tab_behavior="focus",
            compact=True,
            placeholder=spec.placeholder,
            show_line_numbers=False,
            highlight_cursor_line=False,
            classes="-address" if spec.kind == "address" else "",
        )
        return area
    if spec.kind == "select":
        return Select(
            [(inert.cell(label), value) for label, value in spec.options],
            id=wid,
            compact=True,
            allow_blank=True,
            prompt=spec.placeholder or "Choose…",
            value=spec.default if spec.default is not None else Select.NULL,
        )
    if spec.kind == "checkbox":
        return Tick(spec.label, bool(spec.default), id=wid, compact=True)
    if spec.kind == "pick":
        return OptionList(*pick_options(spec.options), id=wid, compact=True)
    value = spec.default
    if spec.kind == "date" and isinstance(value, date):
        value = value.isoformat()
    placeholder = spec.placeholder or {"date": DATE_HINT, "pounds": "£0.00"}.get(spec.kind, "")
    # whole numbers are typed as text and read by parse_int, so "2.5" is refused naming the
    # field rather than silently becoming 25 (an integer Input drops the point)
    suggester = SuggestFromList(spec.suggestions, case_sensitive=False) if spec.suggestions else None
    return FormInput(
        "" if value is None else str(value), placeholder=placeholder, id=wid, compact=True, suggester=suggester
    )


def pick_options(choices: Iterable[Choice]) -> list[Option]:
    """A pick list's entries; one with a ``disabled_reason`` is greyed out and says why."""
    out = []
    for c in choices:
        if c.disabled_reason:
            prompt = inert.join((c.label, "dim"), ("  — not available: " + c.disabled_reason, "dim italic"))
        else:
            prompt = inert.text(c.label)
        out.append(Option(prompt, id=c.value, disabled=bool(c.disabled_reason)))
    return out


__all__ = ["FORM_CSS", "FormInput", "Tick", "field_widget", "one_line", "pick_options"]
