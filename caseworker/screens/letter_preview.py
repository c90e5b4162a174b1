"""Letter preview: render a letter for a case, show the check before issue, let the officer
edit the free-text parts, issue it (stored as correspondence and audited) or save a copy.

Push it from anywhere::

    app.push_screen(LetterPreviewScreen(store, login, case_id, "response"), callback)

It dismisses with True once the letter is issued, False (or None) otherwise. Rendering,
issuing and saving run in thread workers that never touch widgets: results come back as
messages. Nothing here imports SQLAlchemy at module import time.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, Label, Static, TextArea

from caseworker import inert, keys
from caseworker.messages import ShowError
from caseworker.screens.base import WorkerMixin
from caseworker.widgets.footer import Footer


class LetterPreviewScreen(WorkerMixin, ModalScreen[bool]):
    """Preview, check, edit, issue and save one letter for one case."""

    AUTO_FOCUS = "#lp-letter"
    DEBOUNCE = 0.35  # seconds after the last keystroke before the letter is rendered again

    BINDINGS: ClassVar[list[BindingType]] = [*keys.bindings("letter"), *keys.by_id("app.help", "app.quit")]

    DEFAULT_CSS = """
    LetterPreviewScreen { align: center middle; }
    LetterPreviewScreen #lp-dialog {
        width: 96%; height: 1fr; margin: 1 0 0 0; border: thick $primary; background: $surface; padding: 0 1;
    }
    LetterPreviewScreen #lp-title { text-style: bold; }
    LetterPreviewScreen #lp-check { height: auto; max-height: 10; margin: 0 0 1 0; }
    LetterPreviewScreen #lp-body { height: 1fr; }
    LetterPreviewScreen #lp-letter { width: 3fr; border: round $panel; padding: 0 1; }
    LetterPreviewScreen #lp-letter:focus { border: round $accent; }
    LetterPreviewScreen #lp-fields { width: 2fr; padding: 0 0 0 1; }
    LetterPreviewScreen #lp-fields TextArea { height: 8; margin-bottom: 1; }
    LetterPreviewScreen #lp-save { display: none; }
    LetterPreviewScreen #lp-save.shown { display: block; }
    """

    class Rendered(Message):
        """A rendering finished: the letter, what the check found, and (first time) the default texts."""

        def __init__(
            self, detail: Any, letter: Any, missing: list, defaults: dict[str, str] | None, overrides: dict[str, str]
        ) -> None:
            super().__init__()
            self.detail, self.letter, self.missing = detail, letter, missing
            self.defaults, self.overrides = defaults, overrides

    class Issued(Message):
        """The letter was issued and stored as correspondence ``correspondence_id``."""

        def __init__(self, correspondence_id: int, letter: Any) -> None:
            super().__init__()
            self.correspondence_id, self.letter = correspondence_id, letter

    class Refused(Message):
        """Issuing was refused: the check found something missing when it ran again."""

        def __init__(self, missing: list, letter: Any) -> None:
            super().__init__()
            self.missing, self.letter = missing, letter

    class Saved(Message):
        """A copy was written to ``path``."""

        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    def __init__(
        self,
        store: Any,
        login: str,
        case_id: int,
        kind: str,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.store, self.login, self.case_id, self.kind = store, login, case_id, kind
        self.detail: Any = None
        self.letter: Any = None
        self.missing: list = []
        self.issued_id: int | None = None
        self._overrides: dict[str, str] | None = None  # the free texts the shown letter was rendered with
        self._defaults: dict[str, str] | None = None  # the free texts as first loaded (to tell if edited)
        self._debounce: Timer | None = None
        self._busy = False

    # -- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        from caseworker.letters import FREE_TEXT, FREE_TEXT_LABELS  # lazily: opening the app need not import Jinja2

        with Vertical(id="lp-dialog"):
            yield Static(inert.text(f"Letter: {self.kind.replace('-', ' ')}"), id="lp-title")
            yield Static("Rendering the letter\u2026", id="lp-check")
            with Horizontal(id="lp-body"):
                with VerticalScroll(id="lp-letter"):
                    yield Static("", id="lp-text", markup=False)
                with VerticalScroll(id="lp-fields"):
                    for key in FREE_TEXT.get(self.kind, ()):
                        yield Label(FREE_TEXT_LABELS.get(key, key))
                        yield TextArea("", id=f"lp-field-{key}", disabled=True)
            yield Input(
                placeholder="Save a copy to (a .txt, .html, .docx or .pdf file; folders are created); Enter saves, Esc cancels",
                id="lp-save",
            )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._render_letter(None, load=True)

    def _fields(self) -> dict[str, TextArea]:
        return {ta.id.removeprefix("lp-field-"): ta for ta in self.query(TextArea) if ta.id}

    def _current_overrides(self) -> dict[str, str]:
        return {key: ta.text for key, ta in self._fields().items()}

    # -- workers (never touch widgets) ----------------------------------------------------

    def _render_letter(self, overrides: dict[str, str] | None, load: bool = False) -> None:
        self.run_db(
            self._rendered_in_thread,
            overrides,
            load,
            done=self.post_message,
            failed=self._failed("letter-render"),
            group="letter-render",
        )

    def _issue(self, overrides: dict[str, str]) -> None:
        self.run_db(
            self._issued_in_thread,
            overrides,
            done=self.post_message,
            failed=self._failed("letter-issue"),
            group="letter-issue",
        )

    def _save(self, letter: Any, path: str) -> None:
        from caseworker import letters

        self.run_db(
            lambda: self.Saved(letters.save(letter, path)),
            done=self.post_message,
            failed=self._failed("letter-save"),
            group="letter-save",
        )

    def _rendered_in_thread(self, overrides: dict[str, str] | None, load: bool) -> Message:
        from caseworker import letters

        detail = self.detail
        if load or detail is None:
            from caseworker.store.queries.case import case_detail

            detail = case_detail(self.store, case_id=self.case_id)
            if detail is None:
                raise LookupError(f"there is no case with id {self.case_id}")
        settings, today = self.store.settings, self.store.today()
        defaults = letters.free_text(self.kind, detail, settings, today) if load else None
        letter = letters.render(self.kind, detail, settings, today, overrides or None)
        missing = letters.check(self.kind, detail, letter)
        return self.Rendered(detail, letter, missing, defaults, dict(overrides or defaults or {}))

    def _issued_in_thread(self, overrides: dict[str, str]) -> Message:
        """Render again from the case as stored now, check again, and only then issue."""
        from caseworker import letters
        from caseworker.store import services
        from caseworker.store.queries.case import case_detail

        detail = case_detail(self.store, case_id=self.case_id)
        if detail is None:
            raise LookupError(f"there is no case with id {self.case_id}")
        letter = letters.render(self.kind, detail, self.store.settings, self.store.today(), overrides or None)
        missing = letters.check(self.kind, detail, letter)
        if missing:
            return self.Refused(missing, letter)
        cid = services.issue_letter(
            self.store,
            self.login,
            self.case_id,
            self.kind,
            letter.subject,
            letters.to_text(letter),
            letter_date=letter.letter_date,
            letter_format=letters.format_record(letter),
        )
        return self.Issued(cid, letter)

    # -- results --------------------------------------------------------------------------

    def on_letter_preview_screen_rendered(self, message: Rendered) -> None:
        self.detail, self.letter, self.missing = message.detail, message.letter, message.missing
        self._overrides = message.overrides
        if message.defaults is not None:
            for key, ta in self._fields().items():
                ta.load_text(message.defaults.get(key, ""))
                ta.disabled = False
            self._defaults = self._current_overrides()
        self.query_one("#lp-text", Static).update(inert.text(message.letter.text))
        self._show_check()

    def _show_check(self) -> None:
        letter = self.letter
        if self.missing:
            parts: list[Any] = [("Cannot issue: the letter is missing", "bold red")]
            parts += [(f"\n  \u2022 {m}", "red") for m in self.missing]
        else:
            how = "by email" if letter.addressee.channel == "email" else "by post"
            behalf = f" on behalf of {letter.addressee.on_behalf_of}" if letter.addressee.on_behalf_of else ""
            parts = [("Ready to issue", "bold green"), f": to {letter.addressee.name}{behalf}, {how}"]
            if letter.large_print:
                parts.append((" \u2022 large print", "bold"))
            if letter.addressee.copies:
                parts.append(f" \u2022 copy to {', '.join(letter.addressee.copies)}")
        self.query_one("#lp-check", Static).update(inert.sanitise(Text.assemble(*parts)))

    def on_letter_preview_screen_issued(self, message: Issued) -> None:
        self._busy = False
        self.issued_id = message.correspondence_id
        self.notify(f"{message.letter.subject} issued and added to the case record", title="Letter issued")
        self.dismiss(True)

    def on_letter_preview_screen_refused(self, message: Refused) -> None:
        self._busy = False
        self.letter, self.missing = message.letter, message.missing
        self.query_one("#lp-text", Static).update(inert.text(message.letter.text))
        self._show_check()
        self.notify("Not issued: " + "; ".join(m.item for m in message.missing), severity="error", title="Letter")

    def on_letter_preview_screen_saved(self, message: Saved) -> None:
        self.notify(f"Saved a copy (not issued) to {message.path}", title="Letter", timeout=10)

    def _failed(self, group: str):
        """A failed render, issue or save: shown as every failure is (``ShowError``), and a
        failed render said on the check line too."""

        def failed(error: Exception) -> None:
            self._busy = False
            if group == "letter-render":
                from caseworker.failures import for_officer

                self.query_one("#lp-check", Static).update(
                    inert.join(("Cannot render the letter: ", "bold red"), for_officer(error, log=False))
                )
            self.post_message(ShowError(error, title="Letter"))

        return failed

    # -- editing --------------------------------------------------------------------------

    @on(TextArea.Changed)
    def _edited(self, event: TextArea.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(self.DEBOUNCE, self._rerender)

    def _rerender(self) -> None:
        self._debounce = None
        overrides = self._current_overrides()
        if self.detail is not None and overrides != self._overrides:
            self._render_letter(overrides)

    # -- actions --------------------------------------------------------------------------

    def action_issue(self) -> None:
        """Issue the letter if the check passes: stored as correspondence with its text and kind."""
        if self._busy:
            return
        if self.letter is None:
            self.notify("The letter is still being rendered", title="Letter")
            return
        if self.missing:
            self.notify(
                "Cannot issue: missing "
                + "; ".join(f"{m.item}" + (f" (Code {m.code_ref})" if m.code_ref else "") for m in self.missing),
                severity="error",
                title="Letter",
            )
            return
        from caseworker.screens.dialogs.remedy_forms import Confirm

        a = self.letter.addressee
        how = f"by email to {a.email}" if a.channel == "email" else "by post"
        overrides = self._current_overrides()

        def answered(yes: bool | None) -> None:
            if yes and not self._busy:
                self._busy = True
                self._issue(overrides)

        self.app.push_screen(
            Confirm(
                f"Issue this {self.kind.replace('-', ' ')} letter to {a.name} {how}? It is added to the case record "
                "exactly as it is now, dated today, and cannot be withdrawn."
            ),
            answered,
        )

    def action_save(self) -> None:
        """Ask where to save a copy (.txt, .html, .docx or .pdf); missing folders are created."""
        if self.letter is None:
            self.notify("The letter is still being rendered", title="Letter")
            return
        if self.missing:
            self.notify(
                "Cannot save a copy to send: the letter is missing " + "; ".join(m.item for m in self.missing),
                severity="error",
                title="Letter",
            )
            return
        box = self.query_one("#lp-save", Input)
        if not box.value:
            box.value = f"{self.letter.reference}-{self.kind}.docx"
        box.add_class("shown")
        box.focus()

    @on(Input.Submitted, "#lp-save")
    def _save_submitted(self, event: Input.Submitted) -> None:
        from caseworker.letters.formats import format_for

        event.stop()
        path = event.value.strip()
        try:
            format_for(path)
        except ValueError as exc:
            self.notify(str(exc), severity="error", title="Save a copy")
            return
        if self.missing or self.letter is None:
            return
        event.input.remove_class("shown")
        self.query_one("#lp-letter").focus()
        self._save(self.letter, path)

    def action_edit(self) -> None:
        """Move to the first editable part of the letter."""
        fields = list(self._fields().values())
        if fields:
            fields[0].focus()

    def action_close(self) -> None:
        """Leave the editing box or the path box first; otherwise close without issuing."""
        box = self.query_one("#lp-save", Input)
        if box.has_class("shown"):
            box.remove_class("shown")
            self.query_one("#lp-letter").focus()
            return
        if isinstance(self.focused, TextArea):
            self.query_one("#lp-letter").focus()
            return
        if self._defaults is not None and self._current_overrides() != self._defaults:
            from caseworker.screens.dialogs.remedy_forms import Confirm

            self.app.push_screen(
                Confirm("You have edited this letter. Close it and discard your changes? (Nothing has been issued.)"),
                # Textual awaits what the callback returns; its type takes None or an awaitable, not both.
                cast(Callable[[bool | None], None], lambda yes: self.dismiss(False) if yes else None),
            )
            return
        self.dismiss(False)
