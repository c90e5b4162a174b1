"""The small modal form the register and remedy screens share: :class:`QuickForm`, its
:class:`FormField` description, the :class:`Problem` it shows, and :func:`parse_day` for
typed dates.

It lives here rather than in either screen so that the remedy screen does not import the
adjustments register to get a form, and each screen module holds only its own screen.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Select, Static

from caseworker import inert, keys
from caseworker.screens.base import WorkerMixin


@dataclass(frozen=True)
class FormField:
    """One field of a :class:`QuickForm`.

    ``kind`` is "text", "date" (typed as YYYY-MM-DD or DD/MM/YYYY; the form hands on a
    ``date`` or None) or "choice" (``choices`` of (label, value)).
    """

    name: str
    label: str
    kind: str = "text"
    placeholder: str = ""
    value: str = ""
    choices: tuple[tuple[str, str], ...] = ()
    suggestions: tuple[str, ...] = ()


_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_UK = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def parse_day(text: str) -> date | None:
    """A date typed as YYYY-MM-DD or DD/MM/YYYY; None when empty.

    Raises:
        ValueError: not a date, with what to type instead.
    """
    text = text.strip()
    if not text:
        return None
    m = _ISO.fullmatch(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
    else:
        m = _UK.fullmatch(text)
        if not m:
            raise ValueError(f"{text!r} is not a date: type YYYY-MM-DD or DD/MM/YYYY")
        d, mo, y = (int(g) for g in m.groups())
    try:
        return date(y, mo, d)
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a date ({exc})") from None


@dataclass(frozen=True)
class Problem:
    """Why a form cannot be saved yet: message, Code paragraph, field name."""

    message: str
    code_ref: str = ""
    field: str = ""

    def __str__(self) -> str:
        return self.message + (f" (Code {self.code_ref})" if self.code_ref else "")


def _problem(refusal: Any) -> Problem | None:
    """A rules Refusal (or anything with message/code_ref/field) as a Problem."""
    if refusal is None:
        return None
    return Problem(refusal.message, getattr(refusal, "code_ref", ""), getattr(refusal, "field", ""))


class QuickForm(WorkerMixin, ModalScreen[Any]):
    """A small modal form: fields, a live check after every keystroke, and a save run in a worker.

    ``check(values)`` returns a refusal-like object (message, code_ref, field) or None;
    ``save(values)`` runs in a thread and its result is what the form is dismissed with. A
    refusal from the save is shown in the form, which stays open. Escape dismisses with None.
    """

    BINDINGS: ClassVar[list[BindingType]] = keys.bindings("quickform")
    DEFAULT_CSS = """
    QuickForm { align: center middle; }
    QuickForm > Vertical { width: 90%; max-width: 96; height: auto; max-height: 95%;
        border: thick $primary; background: $surface; padding: 0 1; }
    QuickForm .title { text-style: bold; padding: 0 0 1 0; }
    QuickForm .intro { color: $text-muted; padding: 0 0 1 0; }
    QuickForm VerticalScroll { height: auto; max-height: 1fr; }
    QuickForm .row { height: auto; }
    QuickForm .label { width: 22; padding: 1 1 0 0; }
    QuickForm .row Input, QuickForm .row Select { width: 1fr; }
    QuickForm #problem { padding: 0 0 0 0; color: $warning; height: auto; }
    QuickForm #problem.refused { color: $error; text-style: bold; }
    QuickForm .keys { color: $text-muted; }
    """

    def __init__(
        self,
        title: str,
        fields: list[FormField],
        *,
        intro: str = "",
        check: Callable[[dict[str, Any]], Any] | None = None,
        save: Callable[[dict[str, Any]], Any] | None = None,
        save_label: str = "save",
    ) -> None:
        super().__init__()
        self._title, self._fields, self._intro = title, fields, intro
        self._check, self._save, self._save_label = check, save, save_label
        self._saving = False
        self._tried = False
        self.cleaned: list[str] = []  # labels of fields whose control characters were removed

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(inert.text(self._title), classes="title")
            if self._intro:
                yield Static(inert.text(self._intro), classes="intro")
            with VerticalScroll():
                for f in self._fields:
                    with Horizontal(classes="row"):
                        yield Static(inert.text(f.label), classes="label", id=f"label-{f.name}")
                        if f.kind == "choice":
                            yield Select(
                                [(inert.cell(label), value) for label, value in f.choices],
                                value=f.value or f.choices[0][1],
                                allow_blank=False,
                                id=f"field-{f.name}",
                            )
                        else:
                            suggester = SuggestFromList(f.suggestions, case_sensitive=False) if f.suggestions else None
                            yield Input(
                                value=f.value, placeholder=f.placeholder, id=f"field-{f.name}", suggester=suggester
                            )
            yield Static("", id="problem", markup=False)
            yield Static(
                inert.text(
                    f"Ctrl+S {self._save_label} · Enter next field (on the last: {self._save_label}) · Esc cancel"
                ),
                classes="keys",
            )

    def on_mount(self) -> None:
        self.query_one(f"#field-{self._fields[0].name}").focus()
        self._refresh()

    # -- values and the live check ------------------------------------------------------

    def widget_for(self, name: str):
        """The input or select of field ``name`` (None if there is no such field)."""
        found = self.query(f"#field-{name}")
        return found.first() if found else None

    def raw(self, name: str) -> str:
        """What is typed (or chosen) in field ``name``."""
        w = self.widget_for(name)
        if isinstance(w, Select):
            return "" if w.value is Select.NULL else str(w.value)
        return w.value if w is not None else ""

    def values(self) -> tuple[dict[str, Any], Problem | None]:
        """The parsed values, and the first field that could not be parsed."""
        out: dict[str, Any] = {}
        bad: Problem | None = None
        self.cleaned = []
        for f in self._fields:
            w = self.widget_for(f.name)
            if w is not None and w.disabled:
                out[f.name] = None if f.kind == "date" else ""
                continue
            text = self.raw(f.name)
            if f.kind == "date":
                try:
                    out[f.name] = parse_day(text)
                except ValueError as exc:
                    out[f.name] = None
                    bad = bad or Problem(f"{f.label}: {exc}", "", f.name)
            else:
                out[f.name] = text.strip()
                cleaned = inert.clean(out[f.name])  # characters a letter cannot hold (e.g. Word's U+001F)
                if cleaned != out[f.name]:
                    out[f.name] = cleaned
                    self.cleaned.append(f.label)
        return out, bad

    def problem(self) -> Problem | None:
        """The first reason the form cannot be saved, or None."""
        values, bad = self.values()
        if bad:
            return bad
        if self._check is None:
            return None
        try:
            return _problem(self._check(values))
        except Exception as exc:  # noqa: BLE001 - a check that fails is shown, not raised
            from caseworker.failures import for_officer

            return Problem(for_officer(exc))

    def _refresh(self, refused: Problem | None = None) -> Problem | None:
        problem = refused or self.problem()
        for f in self._fields:
            w = self.widget_for(f.name)
            if w is not None and not w.disabled:
                w.set_class(
                    problem is not None and problem.field == f.name and (self._tried or bool(self.raw(f.name))),
                    "-invalid",
                )
            if f.kind == "date":
                label = self.query_one(f"#label-{f.name}", Static)
                try:
                    day = parse_day(self.raw(f.name))
                except ValueError:
                    day = None
                label.update(inert.text(f.label + (f"\n{day:%a %d %b %Y}" if day else "")))
        box = self.query_one("#problem", Static)
        box.set_class(refused is not None or self._tried, "refused")
        text = f"⚠ {problem}" if problem else "✓ Ready to " + self._save_label
        if self.cleaned:  # tell the officer which field was changed, and why
            text += "\n" + inert.cleaned_message(self.cleaned)
        box.update(inert.text(text))  # typed text (a bad date) is echoed here: never read as markup
        self.on_values_changed()
        return problem

    def on_values_changed(self) -> None:
        """Hook for subclasses: called after every change (e.g. to disable a field)."""

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refresh()

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._refresh()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        widgets = [w for w in (self.widget_for(f.name) for f in self._fields) if w is not None and not w.disabled]
        if event.input is widgets[-1] or event.input not in widgets:
            self.action_submit()
        else:
            widgets[widgets.index(event.input) + 1].focus()

    # -- actions ------------------------------------------------------------------------

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        if self._saving:
            return
        self._tried = True
        problem = self._refresh()
        if problem is not None:
            w = self.widget_for(problem.field) if problem.field else None
            if w is not None and not w.disabled:
                w.focus()
            return
        values, _ = self.values()
        if self._save is None:
            self.dismiss(values)
            return
        self._saving = True
        self.query_one("#problem", Static).update("Saving…")
        self.run_db(self._save, values, done=self._saved, failed=self._refused, group="form")

    def _saved(self, result: Any) -> None:
        self._saving = False
        self.dismiss(result)

    def _refused(self, exc: Exception) -> None:
        self._saving = False
        refusal = getattr(exc, "refusal", None)
        if refusal is None:
            self.app.show_error(exc)  # type: ignore[attr-defined]
            self._refresh()
            return
        problem = _problem(refusal)
        self._refresh(problem)
        w = self.widget_for(problem.field) if problem and problem.field else None
        if w is not None and not w.disabled:
            w.focus()


__all__ = ["FormField", "Problem", "QuickForm", "parse_day"]
