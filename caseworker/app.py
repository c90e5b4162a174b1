"""The App: modes for each top-level screen, global keys, help, palette, errors, and the
workspace (store and officer) opened in a worker after the first paint.

Importing this module must not import SQLAlchemy (first paint before the store loads);
``tests/test_app_imports.py`` checks it.
"""

from __future__ import annotations

import gc
import importlib
import os
import threading
import time
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.widgets import Header, Static

from caseworker import inert, keys
from caseworker.clock import Clock
from caseworker.collector import IdleCollector, after_start_up
from caseworker.config import Settings
from caseworker.messages import CaseChanged, FirstPageShown, OpenCase, ShowError
from caseworker.screens.base import WorkerMixin
from caseworker.widgets.footer import Footer

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.screens.case import CaseScreen

#: Mode name to (module, class, title) of its screen, imported only when first shown.
SCREENS: dict[str, tuple[str, str, str]] = {
    "inbox": ("caseworker.screens.inbox", "InboxScreen", "Inbox"),
    "deadlines": ("caseworker.screens.deadlines", "DeadlinesScreen", "Deadlines"),
    "adjustments": ("caseworker.screens.adjustments", "AdjustmentsScreen", "Adjustments register"),
    "remedy": ("caseworker.screens.remedy", "RemedyScreen", "Remedy calculator"),
    "allocation": ("caseworker.screens.allocation", "AllocationScreen", "Stage 2 allocation"),
    "reports": ("caseworker.screens.reports", "ReportsScreen", "Reports"),
    "account": ("caseworker.screens.account", "AccountScreen", "Ombudsman and learning"),
    "service_requests": ("caseworker.screens.service_requests", "ServiceRequestsScreen", "Service requests"),
    "officers": ("caseworker.screens.officers", "OfficersScreen", "Officers"),
    "queue": ("caseworker.screens.queue", "QueueScreen", "Supervisor's queue"),
}


class Unavailable(Screen):
    """Shown for a screen that could not be loaded (so a missing part never crashes the app)."""

    BINDINGS = keys.bindings("global")

    def __init__(self, title: str, why: str) -> None:
        super().__init__()
        self._title, self._why = title, why

    def compose(self):
        yield Header()
        yield Static(inert.text(f"{self._title} is not available: {self._why}"))
        yield Footer(compact=True)


def _warm_up_case_screen(workspace) -> tuple | None:
    """In a worker: import the case screen and read a case once (see ``screens.case.warm_up``)."""
    from caseworker.screens.case import warm_up

    return warm_up(workspace)


class CaseworkerApp(WorkerMixin, App):
    """caseworker: work complaint cases under the Complaint Handling Code 2024."""

    TITLE = "caseworker"
    #: The app starts in the inbox's mode: Textual's own default screen is never made, styled or drawn.
    DEFAULT_MODE = "inbox"
    workspace = None  # the open Workspace (a plain attribute here, shadowing WorkerMixin's property)
    BINDINGS = keys.bindings("global")
    CSS = """
    .rag-red { color: $error; }
    .rag-amber { color: $warning; }
    .rag-green { color: $success; }
    """

    def __init__(self, settings: Settings, clock: Clock | None = None, login: str | None = None) -> None:
        self.started = time.perf_counter()
        self.settings = settings
        self.clock = clock or Clock(settings.today)
        self.login = login
        self.workspace = None
        self._waiting: list[Callable[[], None]] = []
        #: Every case changed in this run, in the order the changes were stored (``CaseChanged``):
        #: a screen reloads on coming back only if a case it shows is among those since it left.
        self.case_changes: list[int] = []
        self._check_pending = False
        self._dates_checked = False
        self._started_up = False
        #: Runs full garbage collections while the keyboard rests (``caseworker.collector``).
        self.collector = IdleCollector()
        self.timings: dict[str, float] = {}
        self._case_screen: CaseScreen | None = None  # the case screen kept (installed) to show the next case opened
        # Instance MODES (read by App.__init__): each screen is built lazily on first visit.
        self.MODES = {name: partial(self._make_screen, name) for name in SCREENS}  # type: ignore[misc]  # Textual types MODES as a ClassVar
        super().__init__()
        if settings.keys:
            self.set_keymap(dict(settings.keys))

    # -- start-up ----------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the inbox at once; once it is painted, open the store in a worker (which first
        reads the inbox's first page straight from a SQLite file, for the inbox to show)."""
        self.call_after_refresh(self._painted)
        self.set_interval(30, self.tick_front)
        self.set_interval(0.5, self.collector.check)

    def pop_screen(self) -> AwaitComplete:
        """Close the screen in front (Textual's ``pop_screen``); once the one under it is drawn,
        collect the closed screen's garbage if a full collection is due (``caseworker.collector``)."""
        done = super().pop_screen()
        self.call_after_refresh(self.collector.collect_if_due)
        return done

    async def on_event(self, event: events.Event) -> None:
        """Note each key and mouse event for the idle collector, then handle it as Textual does."""
        if isinstance(event, events.InputEvent):
            self.collector.input_seen()
        await super().on_event(event)

    def tick_front(self) -> None:
        """Every 30 seconds: let the screen in front recount what depends on the date (its
        ``tick``, if it has one). One timer of the App's instead of one per case screen: a
        stopped timer's pending sleep keeps its screen alive until it was due (asyncio keeps a
        cancelled timer handle, and the context it ran in, until then), which over a day of
        cases opened and closed held tens of closed case screens at any moment."""
        tick = getattr(self.screen, "tick", None)
        if callable(tick):
            tick()

    def _painted(self) -> None:
        self._mark("first_paint")
        from caseworker.workspace import open_workspace

        self.run_db(
            open_workspace,
            self.settings,
            self.clock,
            self.login,
            self._first_page_read,
            done=self._opened,
            failed=self._open_failed,
            group="open",
        )

    def _first_page_read(self, result) -> None:
        """From the worker opening the store: the inbox's first page, read before the store opened.
        The worker waits (up to a second) until that frame is drawn before it goes on loading
        SQLAlchemy, which would otherwise hold the interpreter while the frame is drawn."""
        drawn = threading.Event()

        def show() -> None:
            self._show_first_page(result)
            self.call_after_refresh(drawn.set)

        self.call_from_thread(show)
        drawn.wait(1.0)

    def _show_first_page(self, result) -> None:
        show = getattr(self.screen, "show_first_page", None)
        if self.workspace is None and callable(show):
            show(result)

    def _mark(self, what: str) -> None:
        """Record a start-up moment; with ``CASEWORKER_TIMINGS`` also append
        ``<what> <seconds since the App was created> <time.time()>`` to that file (the epoch
        lets ``benchmarks/run.py`` measure from process spawn)."""
        self.timings.setdefault(what, time.perf_counter() - self.started)
        out = os.environ.get("CASEWORKER_TIMINGS")
        if out:
            with open(out, "a", encoding="utf-8") as fh:
                fh.write(f"{what} {self.timings[what]:.4f} {time.time():.6f}\n")

    def _opened(self, workspace) -> None:
        self.start_up_done()  # at the latest now (the first page may have been shown already)
        self.workspace = workspace
        workspace.store.on_cases_changed = self._cases_committed
        officer = workspace.officer
        self.sub_title = f"{officer.name} ({officer.role.value}) · today {self.clock.today():%a %d %b %Y}"
        waiting, self._waiting = self._waiting, []
        for callback in waiting:
            callback()
        if workspace.notice:
            self.notify(workspace.notice, title="Database upgraded", timeout=20, markup=False)

    def _open_failed(self, exc: Exception) -> None:
        self.start_up_done()
        self.show_error(exc, title="The database could not be opened")

    def start_up_done(self) -> None:
        """Start-up is over (the inbox's first page is shown, the store is open, or it could not be):
        what it made is moved out of the garbage collector's way (``gc.freeze``) and collection,
        turned off while the app started (``commands.open_app``), is turned back on, full
        collections left to the keyboard's rests (``caseworker.collector``)."""
        if not self._started_up:
            self._started_up = True
            after_start_up()

    def close_store(self) -> None:
        """Checkpoint and close the database after the app has quit, so a clean quit leaves no
        SQLite ``-wal``/``-shm`` files beside the database."""
        if self.workspace is not None:
            self.workspace.store.close()

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` once the workspace is open (now, if it already is)."""
        if self.workspace is not None:
            callback()
        else:
            self._waiting.append(callback)

    def _cases_committed(self, case_ids: frozenset[int]) -> None:
        """Called by the store (in whichever thread committed) with the cases a transaction
        changed: each becomes a ``CaseChanged`` message (``post_message`` is thread-safe)."""
        for case_id in sorted(case_ids):
            self.post_message(CaseChanged(case_id))

    def on_case_changed(self, message: CaseChanged) -> None:
        """Log the change; the screen in front reloads now if it shows the case (others when
        they are next shown: ``BaseScreen.on_screen_resume``)."""
        self.case_changes.append(message.case_id)
        if not self._check_pending:  # many changes at once (a bulk recompute): one look after them all
            self._check_pending = True
            self.call_after_refresh(self._check_front)

    def _check_front(self) -> None:
        self._check_pending = False
        check = getattr(self.screen, "check_changes", None)
        if callable(check):
            check()

    def on_open_case(self, message: OpenCase) -> None:
        """Show the case asked for, by id or (looked up in a thread) by reference."""
        message.stop()
        if message.case_id is not None:
            self.open_case(message.case_id)
        elif message.reference and self.workspace is not None:
            from caseworker.store.queries.case import case_id_for_reference

            reference = message.reference

            def found(case_id: int | None) -> None:
                if case_id is None:
                    self.notify(f"There is no case {reference}.", severity="warning", timeout=5)
                else:
                    self.open_case(case_id)

            self.run_db(case_id_for_reference, self.workspace.store, reference, done=found, group="open-case")

    def on_show_error(self, message: ShowError) -> None:
        """A screen's or dialog's failure, shown (see :meth:`show_error`)."""
        message.stop()
        self.show_error(message.error, title=message.title)

    def on_first_page_shown(self, message: FirstPageShown) -> None:
        """The inbox's first page is on screen: record timing, freeze start-up garbage; once the
        store is open (the first page may be shown before it is), check the due dates' inputs."""
        message.stop()
        if "inbox_filled" not in self.timings:
            self._mark("inbox_filled")
            self.start_up_done()
        if self.workspace is not None and not self._dates_checked:
            self._dates_checked = True
            from caseworker.workspace import recompute_if_calendar_changed

            self.run_db(recompute_if_calendar_changed, self.workspace, done=self._dates_moved, group="calendar")
            self.run_db(
                _warm_up_case_screen,
                self.workspace,
                group="case-warm-up",
                done=self._warmed_up,
                failed=lambda _exc: self._warmed_up(None),  # costs nothing if it fails
            )

    def _warmed_up(self, warmed: tuple | None) -> None:
        """The store is open and the case screen's modules and queries are loaded: build the case
        screen kept (:meth:`_prepare_case_screen`), then move what all that made (SQLAlchemy, the
        models, compiled queries, every form's module) out of the garbage collector's way
        (``gc.freeze``), as start-up does: it lives all day. The first freeze may come before
        the store opens (the first page is read without it); without this second one each full
        collection walked all of it again, a pause that landed on a key press now and then (the
        inbox's key p99)."""
        self._prepare_case_screen(warmed)
        self.call_after_refresh(gc.freeze)

    def _dates_moved(self, done) -> None:
        """Say why due dates were recomputed and which moved (bank holidays, closure days or a
        policy file changed); reload the list if this came after it was shown."""
        if done is None or not done.moved:
            return
        moved = done.moved
        listed = ", ".join(f"{m.reference} {m.before} → {m.after}" for m in moved[:8])
        more = len(moved) - 8
        from caseworker import inert

        inert.notify(
            self,
            f"{done.summary()[0].upper()}{done.summary()[1:]}: {listed}{f' and {more} more' if more > 0 else ''}",
            title="Due dates recomputed",
            timeout=15,
        )
        load = getattr(self.screen, "load", None)
        if callable(load):
            load()

    # -- screens -------------------------------------------------------------------------

    def _make_screen(self, name: str) -> Screen:
        module_name, class_name, title = SCREENS[name]
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
            screen = cls()
        except Exception as exc:  # noqa: BLE001 - a missing screen must not crash the app
            from caseworker.failures import message_lines

            lines, _status = message_lines(exc, context=f"loading the {title} screen")
            screen = Unavailable(title, " ".join(lines))
        # A new screen is styled from the style sheet as it is now when it mounts: marked as up to
        # date, so that switching to its mode does not parse every style sheet again, twice
        # (Textual's refresh_css, for screens styled before a theme change; ~25 ms at start-up).
        screen._css_update_count = self._css_update_count
        return screen

    def action_go(self, mode: str) -> None:
        """F2-F10: show the screen named, always: the mode's own screen, with any case or dialog
        left open over it in that mode closed (a case screen left under F4 would otherwise
        come back, and its keys act on that case)."""
        self.switch_mode(mode)
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def open_case(self, case_id: int) -> None:
        """Show one case (pushed over the current screen; escape returns)."""
        try:
            from caseworker.screens.case import CaseScreen
        except Exception as exc:  # noqa: BLE001
            self.show_error(exc, title="The case screen could not be opened")
            return
        ws = self.workspace
        if ws is None:
            self.push_screen(CaseScreen(case_id))
            return
        from caseworker.screens.case import read_case

        # Read first, then show the screen filled in: one frame with the case instead of an empty
        # screen and then the case (the worker's read is a small part of the time to show it).
        self.run_db(read_case, ws, case_id, done=partial(self._case_read, case_id), group="open-case")

    def _prepare_case_screen(self, warmed: tuple | None) -> None:
        """After the warm-up read: build the case screen the App keeps, off screen (composed and
        mounted while the officer reads the inbox, never shown until a case is opened), so the
        first case opened in a session is shown as quickly as the ones after it."""
        if warmed is None or self._case_screen is not None:
            return
        # Textual (8.2) starts a screen only when it is shown; _get_screen starts it without
        # showing it. Without it, the first case opened builds the screen kept.
        start = getattr(self, "_get_screen", None)
        if not callable(start):
            return
        from caseworker.screens.case import CaseScreen

        case_id, loaded = warmed
        screen = CaseScreen(case_id, loaded)
        self._keep_case_screen(screen)
        start(screen)

    def _keep_case_screen(self, screen: CaseScreen) -> None:
        self._case_screen = screen
        self.install_screen(screen, name="case-kept")

    def _case_read(self, case_id: int, loaded: tuple) -> None:
        """The case was read (see ``open_case``): show it, or say there is no such case."""
        from caseworker.screens.case import CaseScreen

        if loaded[0] is None:
            self.notify(f"There is no case with id {case_id}.", severity="error")
            return
        # One case screen is kept and shows each case opened in turn while it is closed: composing
        # and mounting its widgets again would be most of the time to show a case. Opened over
        # another case screen (that one still open), a new screen is made, dropped when closed.
        kept = self._case_screen
        if kept is not None and kept.reusable():
            kept.show_case(case_id, loaded)
            self.push_screen(kept)
            return
        screen = CaseScreen(case_id, loaded)
        if kept is None:
            self._keep_case_screen(screen)
        self.push_screen(screen)

    # -- help, palette, errors ------------------------------------------------------------

    def action_help(self) -> None:
        """F1 / ?: the keys for the place the user is in."""
        from caseworker.screens.dialogs.messages import HelpScreen

        screen = self.screen
        scope = getattr(screen, "HELP_SCOPE", "")
        focused = self.focused
        intro = getattr(focused, "HELP", "") or getattr(screen, "HELP", "")
        title = getattr(screen, "TITLE", None) or type(screen).__name__
        scoped = keys.keys_for(scope) if scope else []
        self.push_screen(
            HelpScreen(str(title), keys.as_bound(scoped + keys.keys_for("global"), screen.active_bindings), intro)
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """The palette: every screen, the current screen's actions, then Textual's own."""
        # Textual reads a system command's title and help as markup: escape them (key names like "[").
        lit = inert.markup_literal
        for name, (_m, _c, title) in SCREENS.items():
            yield SystemCommand(
                lit(f"Go to {title}"), lit(f"Switch to the {title} screen"), partial(self.action_go, name)
            )
        scope = getattr(screen, "HELP_SCOPE", "")
        for key in keys.keys_for(scope) if scope else []:
            yield SystemCommand(lit(key.description), lit(key.help), partial(screen.run_action, key.action))
        yield from super().get_system_commands(screen)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity="information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification in the app shows its message literally: Textual would read it as
        markup (a resident called ``Smith [/] Jones`` in a message would crash the app), so markup
        is always off here and control characters show as visible marks (``caseworker.inert``).
        ``markup`` is accepted for Textual's signature and ignored."""
        kwargs = {} if timeout is None else {"timeout": timeout}
        super().notify(
            inert.visible(message),
            title=inert.visible(title, multiline=False),
            severity=severity,
            markup=False,
            **kwargs,
        )

    def format_title(self, title: str, sub_title: str):
        """The header's title and sub-title (a case's resident name among them), control characters
        shown as visible marks."""
        return super().format_title(inert.visible(title, multiline=False), inert.visible(sub_title, multiline=False))

    def show_error(self, exc: BaseException, title: str | None = None) -> None:
        """Show an error readably: a refusal as a notification with its Code paragraph, others in a dialog."""
        from caseworker.screens.dialogs.messages import ErrorScreen

        refusal = getattr(exc, "refusal", None)
        if refusal is not None:
            ref = f" (Code {refusal.code_ref})" if refusal.code_ref else ""
            default = "Not saved" if getattr(exc, "store_failure", None) else "Not allowed"
            self.notify(refusal.message + ref, title=title or default, severity="error", timeout=10)
            return
        from caseworker.failures import for_officer

        self.push_screen(ErrorScreen(title or "Something went wrong", for_officer(exc)))

    # -- the app's own crash ---------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """An error nobody caught: Textual exits the app (non-zero, terminal restored). Instead of
        its traceback (which prints local variables: residents' details) the user reads two
        lines naming the cause and the log file that holds the traceback."""
        from caseworker.failures import message_lines

        lines, _status = message_lines(error, context="the app")
        super()._handle_exception(error)
        message = "\n".join(lines)
        shown = inert.text(message if message.startswith("caseworker") else "caseworker: " + message, "bold red")
        self._exit_renderables[:] = [shown]  # printed by Textual once the terminal is restored


def _case_provider():
    """The palette provider that opens a case by reference (imported lazily by the App)."""
    from caseworker.screens.palette import CaseProvider

    return CaseProvider


CaseworkerApp.COMMANDS = App.COMMANDS | {_case_provider}
