"""The one form framework: fields from a spec, live validation with the rule's Code paragraph,
Save on Ctrl+S, Esc asks before discarding what was typed, the save itself run in a worker.

A form is a :class:`FormDialog`: either a subclass that lists its :class:`Field` specs and
overrides ``validate`` (usually a ``rules`` ``check_*`` guard) and ``perform`` (the service
call, run in a thread), or a FormDialog built directly with ``title``, ``fields``, ``check``
and ``save`` callables for a small form. Every form gets the same behaviours:

- every unreadable or missing field is named at once, not one at a time;
- dates, whole numbers ("2.5" is refused naming the field, never read as 25), pounds, email
  addresses and phone numbers are read by :mod:`caseworker.rules.typed`, in the same words as
  the command line;
- a multi-line paste keeps every line (an address field keeps the lines; a one-line field
  joins them with commas rather than dropping all but the first);
- Esc on a changed form asks before discarding; Enter on the last field saves.

A refusal from the service (the rules re-checked, or a concurrent change) is shown under the
form and the form stays open with nothing lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any, Generic, TypeVar, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    Select,
    Static,
    TextArea,
)

from caseworker import inert, keys
from caseworker.rules.facts import Refusal
from caseworker.rules.typed import DATE_HINT
from caseworker.screens.base import WorkerMixin
from caseworker.screens.dialogs.fields import (  # noqa: F401  (re-exported: forms import them from here)
    KINDS,
    PARSED,
    PARSERS,
    REFERENCE_EXAMPLE,
    BadValue,
    Choice,
    Field,
    parse_date,
    parse_int,
    parse_pence,
    refusal_text,
)
from caseworker.screens.dialogs.form_widgets import FORM_CSS, field_widget, pick_options

T = TypeVar("T")
#: What Esc on a changed form says (a second Esc then discards).
DISCARD_NOTICE = "You have typed into this form. Esc again closes it and discards what you typed; Ctrl+S saves it."


class FormDialog(WorkerMixin, ModalScreen[T], Generic[T]):
    """A modal form. Subclasses set ``FORM_TITLE`` and override ``fields``, ``validate`` and ``perform``;
    small forms pass them to the constructor instead (``title``, ``fields``, ``check``, ``save``).

    ``perform(store, login, values)`` runs in a thread worker; its result goes through
    ``result(outcome, values)`` and the dialog is dismissed with that. Forms that only collect
    values (no service call) set ``SAVES = False`` and are dismissed with ``result(None, values)``.
    """

    FORM_TITLE = "Form"
    INTRO = ""
    SAVE_LABEL = "Save"
    SAVES = True
    #: The field the form opens on (its name), when not the first: e.g. a note's text.
    FIRST_FOCUS: str | None = None
    HELP_SCOPE = "form"
    HELP = (
        "Tab and Shift+Tab move between fields; Enter goes to the next field (in a box of several lines "
        "it starts a new line), and on the last one saves. "
        "The line under the form shows what stops the form from being saved: every missing or wrong "
        "field at once, and the rule with its Code paragraph. Ctrl+S saves. Esc closes without saving; "
        "if you have typed something it asks first (Esc again discards)."
    )
    BINDINGS = keys.bindings("form")
    DEFAULT_CSS = FORM_CSS

    def __init__(
        self,
        title: str | None = None,
        fields: Iterable[Field] | None = None,
        *,
        intro: str | None = None,
        check: Callable[[dict[str, Any]], Refusal | None] | None = None,
        save: Callable[[dict[str, Any]], Any] | None = None,
        save_label: str | None = None,
    ) -> None:
        """A subclass calls this with nothing; a small form passes its parts here.

        Args:
            title, intro, save_label: what ``FORM_TITLE``, ``INTRO`` and ``SAVE_LABEL`` say.
            fields: the fields, in order (instead of overriding ``fields``).
            check: the live rule check (instead of ``validate``): a Refusal or None.
            save: the save, run in a thread worker with the values (instead of ``perform``);
                the form is dismissed with what it returns. Without it the form only collects
                values and is dismissed with them.
        """
        super().__init__()
        if title is not None:
            self.FORM_TITLE = title
        if intro is not None:
            self.INTRO = intro
        if save_label is not None:
            self.SAVE_LABEL = save_label
        self._given_fields = list(fields) if fields is not None else None
        self._check_fn, self._save_fn = check, save
        if fields is not None and save is None:
            self.SAVES = False
        self.TITLE = self.FORM_TITLE  # type: ignore[misc]  # Textual types TITLE as a ClassVar; F1 help's heading
        self._fields: list[Field] = list(self.fields())
        self._by_name = {f.name: f for f in self._fields}
        self._problem: Refusal | None = None
        self._invalid: set[str] = set()
        self._tried = False
        self._saving = False
        self._ready = False
        self._shown: set[str] = {f.name for f in self._fields}
        self._shown_text: dict[str, object] = {}
        self.cleaned: list[str] = []  # labels of text fields whose control characters were removed
        self._choices: dict[str, list[Choice]] = {f.name: list(f.options) for f in self._fields if f.kind == "pick"}

    # -- what subclasses provide ----------------------------------------------------------

    def fields(self) -> Iterable[Field]:
        """The form's fields, in order (override, or pass ``fields`` to the constructor)."""
        return self._given_fields or ()

    def validate(self, values: dict[str, Any]) -> Refusal | None:
        """The first rule refusal for these values, or None (override; run on every change)."""
        return self._check_fn(values) if self._check_fn is not None else None

    def describe(self, values: dict[str, Any]) -> str | Text | None:
        """A live line shown above the validation area (totals, counts, where things go)."""
        return None

    def perform(self, store: Any, login: str, values: dict[str, Any]) -> Any:
        """The service call; runs in a thread worker, never touches widgets (override)."""
        if self._save_fn is not None:
            return self._save_fn(values)
        raise NotImplementedError

    def result(self, outcome: Any, values: dict[str, Any]) -> T:
        """What the dialog is dismissed with after a successful save (the outcome by default;
        the values for a form built without ``save``)."""
        if not self.SAVES and self._given_fields is not None:
            return values  # type: ignore[return-value]
        return outcome

    # -- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(inert.text(self.FORM_TITLE), id="form-title")
            with VerticalScroll(id="form-fields"):
                if self.INTRO:
                    yield Static(inert.text(self.INTRO), id="form-intro")
                for spec in self._fields:
                    yield from self._row(spec)
            yield Static("", id="form-info", classes="-empty")
            yield Static("", id="form-notice", classes="-empty", markup=False)
            yield Static("", id="form-problem")
            with Horizontal(id="form-buttons"):
                yield Button(f"{self.SAVE_LABEL} (Ctrl+S)", id="save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def _row(self, spec: Field) -> Iterable[Widget]:
        label = "" if spec.kind == "checkbox" else spec.label + (" *" if spec.required else "")
        with Horizontal(classes="row", id=f"row-{spec.name}"):
            yield Label(inert.text(label), classes="-required" if spec.required else "")
            with Vertical(classes="cell"):
                yield self._widget(spec)
                if spec.help:
                    yield Static(inert.text(spec.help), classes="help")

    def _widget(self, spec: Field) -> Widget:
        return field_widget(spec)

    def set_choices(self, name: str, choices: Iterable[Choice]) -> None:
        """Replace the entries of a ``pick`` field, highlighting the first selectable one."""
        options = self.query_one(f"#f-{name}", OptionList)
        choices = list(choices)
        self._choices[name] = choices
        options.set_options(pick_options(choices))
        first = next((i for i, c in enumerate(choices) if not c.disabled_reason), None)
        options.highlighted = first
        self.refresh_form()

    def on_mount(self) -> None:
        for spec in self._fields:
            if spec.kind == "pick":
                options = self.query_one(f"#f-{spec.name}", OptionList)
                usable = [i for i, c in enumerate(spec.options) if not c.disabled_reason]
                chosen = [i for i in usable if spec.options[i].value == spec.default]
                options.highlighted = [*chosen, *usable, None][0]
        self._ready = True
        self.refresh_form()
        self._focus_first()
        self._opened_with = self._comparable()

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Let the form grow to its content, or fill the screen with the fields scrolling when it is too tall."""
        if not self.is_attached:
            return
        form, fields = self.query_one("#form"), self.query_one("#form-fields")
        other = sum(w.outer_size.height for w in form.children if w is not fields and w.display)
        natural = fields.virtual_size.height + other + form.styles.gutter.height
        self.set_class(natural > self.size.height, "-fill")

    @cached_property
    def _save_key(self) -> str:
        """The key that saves, as bound (after any ``[keys]`` rebinding): ``Ctrl+S``. Read once:
        the form's line is written again at every key typed, and the bindings do not change."""
        (save,) = keys.as_bound([k for k in keys.keys_for("form") if k.id == "form.save"], self.active_bindings)
        return keys.display_key(save.key)

    def _focus_first(self) -> None:
        first = [s for s in self._fields if s.name == self.FIRST_FOCUS]
        for spec in (*first, *self._fields):
            widget = self.query_one(f"#f-{spec.name}")
            if spec.name in self._shown and widget.focusable:
                widget.focus()
                return
        self.query_one("#save", Button).focus()

    # -- values and validation ------------------------------------------------------------

    def raw_values(self) -> dict[str, Any]:
        """Values as typed (text for inputs), for fields whose parse failed too."""
        out: dict[str, Any] = {}
        for spec in self._fields:
            widget = self.query_one(f"#f-{spec.name}")
            if isinstance(widget, TextArea):
                out[spec.name] = widget.text
            elif isinstance(widget, Select):
                out[spec.name] = None if widget.value is Select.NULL else widget.value
            elif isinstance(widget, Checkbox):
                out[spec.name] = widget.value
            elif isinstance(widget, OptionList):
                option = widget.highlighted_option
                out[spec.name] = option.id if option is not None and not option.disabled else None
            else:
                out[spec.name] = cast(Any, widget).value  # an Input or one of form_widgets'
        return out

    def read(self) -> tuple[dict[str, Any], list[Refusal]]:
        """Parsed values (None where empty or unreadable) and every problem reading the shown fields."""
        raw = self.raw_values()
        cleaned_fields: list[str] = []
        values: dict[str, Any] = {}
        problems: dict[str, Refusal] = {}
        for spec in self._fields:
            value = raw[spec.name]
            try:
                if spec.kind == "int":
                    value = parse_int(value, spec.label, spec.name, spec.unit)
                elif spec.kind in PARSED:
                    value = PARSERS[spec.kind](value, spec.label, spec.name)
                elif spec.kind in ("text", "textarea", "address"):
                    if spec.kind == "address":  # every line kept, each trimmed, blank lines dropped
                        value = "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())
                    value = (value or "").strip()
                    cleaned = inert.clean(value)  # characters a letter cannot hold (e.g. Word's U+001F)
                    if cleaned != value:
                        value = cleaned
                        cleaned_fields.append(spec.label)
                elif spec.kind == "pick" and value is None:
                    self._disabled_pick(spec)
            except BadValue as exc:
                value = None
                problems[spec.name] = exc.refusal
            values[spec.name] = value
        # Hidden fields do not count: their values are dropped (and their problems ignored).
        shown = {spec.name for spec in self._fields if spec.show_if is None or spec.show_if(values)}
        for spec in self._fields:
            if spec.name not in shown:
                values[spec.name] = None if spec.kind != "checkbox" else False
        self._shown = shown
        self.cleaned = [
            label for label in cleaned_fields if label in {f.label for f in self._fields if f.name in shown}
        ]
        return values, [refusal for name, refusal in problems.items() if name in shown]

    def _disabled_pick(self, spec: Field) -> None:
        """Raise BadValue when the highlighted entry of a pick list is greyed out, with the reason."""
        options = self.query_one(f"#f-{spec.name}", OptionList)
        index = options.highlighted
        choices = self._choices.get(spec.name, [])
        if index is not None and index < len(choices) and choices[index].disabled_reason:
            c = choices[index]
            raise BadValue(Refusal(f"{c.label} cannot be chosen: {c.disabled_reason}", "", spec.name))

    def _missing(self, values: dict[str, Any], kinds: tuple[str, ...]) -> list[Field]:
        """Every shown required field of ``kinds`` left empty."""
        missing = []
        for spec in self._fields:
            if spec.required and spec.kind in kinds and spec.name in self._shown:
                value = values.get(spec.name)
                if value is None or value == "" or value is False:
                    missing.append(spec)
        return missing

    @staticmethod
    def _missing_refusal(missing: list[Field]) -> Refusal | None:
        if not missing:
            return None
        if len(missing) == 1:
            what = "choose one" if missing[0].kind in ("select", "pick") else "this is required"
            return Refusal(f"{missing[0].label.rstrip('?')}: {what}", "", missing[0].name)
        names = ", ".join(spec.label.rstrip("?") for spec in missing)
        return Refusal(f"still needed: {names}", "", missing[0].name)

    def check(self) -> tuple[dict[str, Any], Refusal | None]:
        """Values and what stops saving. After a save attempt: every unreadable value and every
        empty required field, named at once, then the rules. While the officer is still typing:
        unreadable values at once, then the rules (with their Code paragraph), then what is
        still empty (so a blank form does not open with a list)."""
        values, bad = self.read()
        every = ("date", "int", "select", "pick", "pounds", "checkbox", "email", "phone", "text", "textarea", "address")
        unreadable = {r.field for r in bad}
        missing = [spec for spec in self._missing(values, every) if spec.name not in unreadable]
        self._invalid = unreadable | ({spec.name for spec in missing} if self._tried else set())
        problem = self._combine(bad, missing if self._tried else [])
        if problem is None:
            try:
                problem = self.validate(values)
            except (TypeError, AttributeError) as exc:  # a rule given an empty value: say what is missing instead
                problem = self._missing_refusal(missing) or Refusal(f"the form is not complete ({exc})", "")
        if problem is None:
            problem = self._missing_refusal(missing)
        return values, problem

    def _combine(self, bad: list[Refusal], missing: list[Field]) -> Refusal | None:
        """One refusal naming every unreadable field and every missing one (the first field focused)."""
        parts = list(bad)
        gap = self._missing_refusal(missing)
        if gap is not None:
            parts.append(gap)
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return Refusal("; ".join(refusal_text(p) for p in parts), "", parts[0].field)

    def refresh_form(self) -> None:
        """Re-read the form: show or hide conditional fields, the live summary and the first problem."""
        if not self._ready:
            return
        values, problem = self.check()
        self._typing_after_warning()
        self._mark_invalid()
        for spec in self._fields:
            if spec.show_if is not None:
                row = self.query_one(f"#row-{spec.name}")
                if row.has_class("-hidden") != (spec.name not in self._shown):
                    row.set_class(spec.name not in self._shown, "-hidden")
                    self.call_after_refresh(self._fit)
        summary = self.describe(values)
        if self.cleaned:  # tell the officer which field was changed, and why
            summary = ((summary + "\n") if summary else "") + inert.cleaned_message(self.cleaned)
        self._update("#form-info", summary or "")
        self.query_one("#form-info").set_class(not summary, "-empty")
        self._problem = problem
        self._show_problem()

    def _mark_invalid(self) -> None:
        """Mark every field named in the problem (a red edge), so each one can be found at a glance."""
        raw = self.raw_values()
        for spec in self._fields:
            bad = spec.name in self._invalid and (self._tried or bool(raw[spec.name]))
            self.query_one(f"#f-{spec.name}").set_class(bad, "-invalid")

    def _update(self, selector: str, content) -> None:
        """Update a Static only when its text changes (an update re-lays out the dialog: not on every key).
        The text (typed values, stored names) is shown literally, never read as markup."""
        key = (str(content), getattr(content, "style", None))
        if self._shown_text.get(selector) == key:
            return
        self._shown_text[selector] = key
        self.query_one(selector, Static).update(
            inert.sanitise(content) if isinstance(content, Text) else inert.text(content)
        )
        self.call_after_refresh(self._fit)

    def _show_problem(self, refusal: Refusal | None = None, error: bool = False) -> None:
        refusal = refusal or self._problem
        box = self.query_one("#form-problem", Static)
        if self._saving:
            box.set_classes("")
            self._update("#form-problem", "Saving…")
            return
        if refusal is None:
            box.set_class(False, "-error")
            box.set_class(True, "-ok")
            save = self._save_key  # said here too: a small terminal can cut the buttons off
            self._update("#form-problem", f"✓ Ready to save ({save})" if self.SAVES else f"✓ Enter or {save} to go on")
            return
        prefix = "✗ Not saved: " if error else ("✗ " if self._tried else "To save: ")
        box.set_class(False, "-ok")
        box.set_class(error or self._tried, "-error")
        self._update("#form-problem", prefix + refusal_text(refusal))

    def field_for(self, refusal_field: str) -> Field | None:
        """The form field a Refusal's ``field`` names (by name or alias)."""
        if refusal_field in self._by_name:
            return self._by_name[refusal_field]
        return next((f for f in self._fields if refusal_field in f.aliases), None)

    def _focus_field(self, refusal: Refusal) -> None:
        spec = self.field_for(refusal.field)
        if spec is not None and spec.name in getattr(self, "_shown", ()):
            widget = self.query_one(f"#f-{spec.name}")
            if widget.focusable:
                widget.focus()

    # -- events -----------------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        self.refresh_form()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        self.refresh_form()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.refresh_form()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.refresh_form()

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.refresh_form()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.refresh_form()
        if len(self._fields) == 1:  # a form that is only a choice: Enter chooses
            self.action_save()
        else:
            self.focus_next()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter moves to the next field; on the last field it saves."""
        event.stop()
        shown = [self.query_one(f"#f-{spec.name}") for spec in self._fields if spec.name in self._shown]
        shown = [w for w in shown if w.focusable]
        if shown and event.input is shown[-1]:
            self.action_save()
        else:
            self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    # -- actions ------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        """Close without saving; when something was typed, ask first (Esc again, with nothing typed since, discards)."""
        if self._saving:
            return
        if not self._changed() or getattr(self, "_confirm_discard", False) == self._comparable():
            self.dismiss(None)
            return
        self._confirm_discard: dict[str, Any] | bool = self._comparable()  # what Esc again would discard
        self.notice(DISCARD_NOTICE)
        self.app.bell()

    def _typing_after_warning(self) -> None:
        """Typing on after "Esc again discards": the warning no longer holds; the next Esc asks again."""
        if getattr(self, "_confirm_discard", False) and self._comparable() != self._confirm_discard:
            self._confirm_discard = False
            self.notice("")

    def _comparable(self) -> dict[str, Any]:
        """What the officer typed or chose (pick lists left out: searches fill and highlight them)."""
        return {k: v for k, v in self.raw_values().items() if self._by_name[k].kind != "pick"}

    def _changed(self) -> bool:
        """True when any field differs from how the form opened."""
        try:
            return self._comparable() != getattr(self, "_opened_with", None)
        except Exception:  # noqa: BLE001 - a form not fully built has nothing typed
            return False

    def action_save(self) -> None:
        """Save: refused (and the field focused) while there is a problem; else run ``perform`` in a worker."""
        if self._saving:
            return
        self._tried = True
        values, problem = self.check()
        self._problem = problem
        self._mark_invalid()
        if problem is not None:
            self._show_problem()
            self.app.bell()
            self._focus_field(problem)
            return
        if not self.SAVES:
            self.dismiss(self.result(None, values))
            return
        workspace = self.workspace
        if workspace is None:
            self._show_problem(Refusal("the database is still opening; try again in a moment", ""), error=True)
            return
        self._saving = True
        self._show_problem()
        self.query_one("#save", Button).disabled = True
        self.run_db(
            self.perform,
            workspace.store,
            workspace.login,
            values,
            done=lambda outcome: self._saved(outcome, values),
            failed=self._failed,
            group="form-save",
        )

    def _saved(self, outcome: Any, values: dict[str, Any]) -> None:
        self._saving = False
        self.dismiss(self.result(outcome, values))

    def _failed(self, exc: Exception) -> None:
        """Keep the form open with everything typed; show why (a refusal with its Code paragraph)."""
        self._saving = False
        self.query_one("#save", Button).disabled = False
        refusal = getattr(exc, "refusal", None)
        if refusal is None:
            from caseworker.failures import for_officer

            refusal = Refusal(for_officer(exc).replace("\n", " "), "")
        self._show_problem(refusal, error=True)
        self.app.bell()
        self._focus_field(refusal)
        self.save_failed(exc)

    def save_failed(self, exc: Exception) -> None:
        """Called after a refused save, the form still open (override to react, e.g. re-read the case)."""

    def notice(self, text: str) -> None:
        """Show (or with "" clear) a note above the validation line."""
        box = self.query_one("#form-notice", Static)
        box.update(inert.text(text))
        box.set_class(not text, "-empty")
        self.call_after_refresh(self._fit)


__all__ = [
    "DATE_HINT",
    "REFERENCE_EXAMPLE",
    "BadValue",
    "Choice",
    "Field",
    "FormDialog",
    "parse_date",
    "parse_int",
    "parse_pence",
    "refusal_text",
]
