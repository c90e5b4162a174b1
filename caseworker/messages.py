"""Messages that go up to the App: screens and widgets say what happened, the App decides what
follows (frogmouth's ``Goto``, harlequin's ``messages.py``). A screen never calls the App's own
methods for these; it posts the message and it bubbles up through the DOM to the App.

Importing this module imports Textual's ``Message`` only (no SQLAlchemy: first paint first).
"""

from __future__ import annotations

from textual.message import Message


class OpenCase(Message):
    """Show one case over the current screen (Escape comes back).

    Args:
        case_id: The case's id, when the sender knows it.
        reference: The case's reference (``CMP-2025-0001``), looked up in a thread when no id is
            given; an unknown reference is said in a notification.
    """

    def __init__(self, case_id: int | None = None, reference: str | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self.reference = reference


class CaseChanged(Message):
    """A case was changed and the change stored (every audited change in this process: the App
    posts it for each case a committed transaction audited). Lists that show the case reload
    when they are next shown; the screen in front reloads at once.

    Args:
        case_id: The case's id.
    """

    def __init__(self, case_id: int) -> None:
        super().__init__()
        self.case_id = case_id


class ShowError(Message):
    """Tell the officer about a failure: a refusal as a notification naming its Code paragraph,
    anything else in a dialog worded by ``caseworker.failures`` (never a traceback).

    Args:
        error: The exception.
        title: The notification's or dialog's title (a default when None).
    """

    def __init__(self, error: BaseException, title: str | None = None) -> None:
        super().__init__()
        self.error = error
        self.title = title


class FirstPageShown(Message):
    """The inbox showed its first page: start-up is over (timings recorded, start-up garbage
    frozen, due dates checked against a changed calendar)."""
