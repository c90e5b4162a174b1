"""The remedy screen's own modal: :class:`Confirm`, a yes-or-no question asked before a
remedy moves to a state that cannot be undone.

The save-offer and move forms are plain
:class:`~caseworker.screens.dialogs.quick_form.QuickForm` instances built in the screen.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from caseworker import inert, keys


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


__all__ = ["Confirm"]
