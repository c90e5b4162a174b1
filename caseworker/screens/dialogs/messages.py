"""Help (F1 / ?) and error dialogs."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from caseworker import inert
from caseworker.keys import Key, bindings, display_key


class HelpScreen(ModalScreen[None]):
    """The keys in force where the user is, with what each does."""

    BINDINGS = bindings("help")
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 80%; max-width: 100; height: 80%; border: thick $primary; background: $surface; padding: 1 2; }
    HelpScreen .title { text-style: bold; margin-bottom: 1; }
    """

    def __init__(self, title: str, keys: list[Key], intro: str = "") -> None:
        super().__init__()
        self._title, self._keys, self._intro = title, keys, intro

    @property
    def shown_keys(self) -> list[Key]:
        """The keys this help lists, as bound now."""
        return list(self._keys)

    def compose(self) -> ComposeResult:
        # Built as Text, never markup: key names such as "[" and "]" are shown as they are.
        lines = Text("\n", end="").join(
            inert.join((f"{display_key(k.key):<14}", "bold"), f" {k.description}: {k.help}") for k in self._keys
        )
        with Vertical():
            yield Static(inert.text(f"Help: {self._title}"), classes="title")
            with VerticalScroll():
                if self._intro:
                    yield Static(inert.text(self._intro + "\n"))
                yield Static(lines)
            yield Static(Text("Esc closes this help. Ctrl+P lists every command.", style="dim"))


class ErrorScreen(ModalScreen[None]):
    """A readable error: what happened and what to do (its text is shown literally)."""

    BINDINGS = bindings("error")
    DEFAULT_CSS = """
    ErrorScreen { align: center middle; }
    ErrorScreen > Vertical { width: 70%; max-width: 90; height: auto; border: thick $error; background: $surface; padding: 1 2; }
    ErrorScreen .title { text-style: bold; color: $error; margin-bottom: 1; }
    ErrorScreen Button { margin-top: 1; }
    """

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self._title, self._message = title, message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(inert.text(self._title), classes="title")
            yield Static(inert.text(self._message))
            yield Button("Close (Esc)", variant="error", id="close")

    def on_button_pressed(self) -> None:
        self.dismiss(None)
