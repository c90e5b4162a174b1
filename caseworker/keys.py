"""One registry of keys: it feeds each screen's BINDINGS, the footer, the command palette and
the F1 help, so a key is described once and users can rebind it by its id (``set_keymap``).

Keys follow what works in Windows Terminal: letters, digits, F1-F10, ctrl+letter, arrows.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Key:
    """A key in one place (scope) of the app."""

    id: str
    key: str
    action: str
    description: str
    help: str
    scope: str
    show: bool = True
    priority: bool = False


KEYS: tuple[Key, ...] = (
    # everywhere
    Key("app.quit", "ctrl+q", "app.quit", "Quit", "Leave caseworker. Everything is saved as you go.", "global", priority=True),
    Key("app.help", "f1,question_mark", "app.help", "Help", "Show the keys for the place you are in.", "global"),
    Key("app.palette", "ctrl+p", "app.command_palette", "Commands", "Open a case by reference, jump to any screen or run any action.", "global", show=False),
    Key("go.inbox", "f2", "app.switch_mode('inbox')", "Inbox", "Your open cases by next deadline.", "global"),
    Key("go.deadlines", "f3", "app.switch_mode('deadlines')", "Deadlines", "The countdown board and the calendar in force.", "global"),
    Key("go.adjustments", "f4", "app.switch_mode('adjustments')", "Adjustments", "Disabilities, adjustments and restrictions with reviews due.", "global"),
    Key("go.remedy", "f5", "app.switch_mode('remedy')", "Remedy", "The remedy calculator.", "global"),
    Key("go.allocation", "f6", "app.switch_mode('allocation')", "Stage 2", "Allocate and reassign Stage 2 cases (supervisors).", "global"),
    Key("go.reports", "f7", "app.switch_mode('reports')", "Reports", "Annual report, CH01 and CH02.", "global"),
    # inbox
    Key("inbox.open", "enter", "open_case", "Open", "Open the highlighted case.", "inbox"),
    Key("inbox.search", "slash", "search", "Search", "Search by reference, resident or text.", "inbox"),
    Key("inbox.new", "n", "new_case", "New case", "Log a complaint, MP enquiry or councillor enquiry.", "inbox"),
    Key("inbox.view", "v", "cycle_view", "Mine/Team/All", "Supervisors: switch between your cases, the team's open cases and all cases.", "inbox"),
    Key("inbox.stage", "s", "cycle_stage", "Stage", "Filter by stage: all, Stage 1, Stage 2.", "inbox"),
    Key("inbox.status", "t", "cycle_status", "Status", "Filter by status.", "inbox"),
    Key("inbox.overdue", "o", "toggle_overdue", "Overdue", "Show only overdue cases.", "inbox"),
    Key("inbox.soon", "w", "toggle_soon", "Due ≤2 WD", "Show only cases due within 2 working days (or overdue).", "inbox"),
    Key("inbox.clear", "c", "clear_filters", "Clear", "Clear every filter and the search.", "inbox"),
    Key("inbox.refresh", "r", "refresh", "Refresh", "Reload the list.", "inbox", show=False),
    Key("nav.down", "j", "cursor_down", "Down", "Move down.", "list", show=False),
    Key("nav.up", "k", "cursor_up", "Up", "Move up.", "list", show=False),
)


def keys_for(scope: str) -> list[Key]:
    """The keys of one scope, in registry order."""
    return [k for k in KEYS if k.scope == scope]


def bindings(*scopes: str) -> list[Binding]:
    """Textual bindings for the given scopes, each with its registry id (for ``set_keymap``)."""
    return [
        Binding(k.key, k.action, k.description, show=k.show, id=k.id, priority=k.priority)
        for scope in scopes
        for k in keys_for(scope)
    ]


def display_key(key: str) -> str:
    """A readable key name: ``f1,question_mark`` -> ``F1 / ?``."""
    names = {"question_mark": "?", "slash": "/", "enter": "Enter", "escape": "Esc", "ctrl+q": "Ctrl+Q", "ctrl+p": "Ctrl+P"}
    return " / ".join(names.get(part, part.upper() if part.startswith("f") and part[1:].isdigit() else part)
                      for part in key.split(","))
