"""Case detail: the header with the live countdown and its explanation, the resident's
adjustments and restrictions flagged at the top, tabs for the definition, the timeline, the
resident, remedies, outstanding actions and letters, and one key per lifecycle action.

The case is read once per change (``queries.case.case_detail`` in a worker; a long history's
count after the case is shown). The App keeps one case screen and shows each case opened on it
(:meth:`CaseScreen.show_case`): opening a case costs the read and the layout. The countdown
ticks from the stored due date (the App's 30-second tick of the screen in front): on a new
day it recounts working days left with the calendar, without a query. Every action opens a form that validates with the
rules as the officer types and saves with the version shown here, so a concurrent change is
refused rather than overwritten; after a save the case is read again and the change announced.
"""

from __future__ import annotations

import gc
from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Header, Static, TabbedContent, TabPane, Tabs

from caseworker import inert, keys, labels
from caseworker.messages import ShowError
from caseworker.screens.base import BaseScreen
from caseworker.screens.case_links import CaseLinks
from caseworker.screens.case_text import (
    _d,
    actions_text,
    definition_text,
    flag_items,
    letters_text,
    remedies_text,
    resident_text,
    timeline_entries_text,
    timeline_more_text,
    timeline_text,
)
from caseworker.widgets.countdown import countdown_text
from caseworker.widgets.footer import Footer
from caseworker.widgets.paged_lines import PagedLines

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.queries.case import CaseDetail

TABS = ("definition", "timeline", "resident", "remedies", "actions", "letters")
#: Each tab's text (the Timeline, read a page at a time, is built by the screen).
TAB_TEXT = {
    "definition": definition_text,
    "resident": resident_text,
    "remedies": remedies_text,
    "actions": actions_text,
    "letters": letters_text,
}
#: Each action key's form: (module under caseworker.screens.dialogs, class).
DIALOGS = {
    "acknowledge": ("actions", "AcknowledgeDialog"),
    "extend": ("actions", "ExtendDialog"),
    "respond": ("actions", "RespondDialog"),
    "stage2": ("stage2", "RequestStage2Dialog"),
    "assign": ("stage2", "AssignDialog"),
    "related_issue": ("actions", "RelatedIssueDialog"),
    "not_accept": ("actions", "NotAcceptDialog"),
    "refuse_escalation": ("stage2", "RefuseEscalationDialog"),
    "withdraw": ("actions", "WithdrawDialog"),
    "close_case": ("actions", "CloseDialog"),
    "note": ("records", "NoteDialog"),
    "add_action": ("records", "ActionDialog"),
    "update_action": ("records", "UpdateActionDialog"),
    "remedy": ("records", "RemedyDialog"),
    "move_due": ("working", "MoveActionDueDialog"),
    "resident_updates": ("working", "ResidentUpdatesDialog"),
    "agree_updates": ("working", "AgreeUpdatesDialog"),  # offered after an extension (5.9); no key of its own
    "representative": ("records", "RepresentativeDialog"),
    "correct": ("corrections", "CorrectDialog"),
}


def read_case(workspace, case_id: int) -> tuple:
    """In the worker: the case, and which actions it allows now (the footer shows only those).

    The dialog modules are imported and their pure rule checks run here, off the UI thread,
    so opening a case only costs the UI the rendering.
    """
    from caseworker.screens.dialogs.case_form import CaseContext
    from caseworker.store.queries.case import case_detail

    detail = case_detail(workspace.store, case_id=case_id, count_timeline=False)  # counted once shown
    if detail is None:
        return None, None, {}
    ctx = CaseContext.build(detail, workspace)
    return detail, ctx, {action: _dialog(action).precheck(ctx) for action in DIALOGS}


def warm_up(workspace) -> tuple[int, tuple] | None:
    """In a worker once the inbox shows: import what reading a case needs (the case's read model
    and every action's form, whose rule checks run on each read) and read the newest case once,
    so its queries are compiled: the first case opened in a session then costs what the others do.

    Returns:
        (the newest case's id, what :func:`read_case` returned for it), from which the App builds
        the case screen it keeps (off screen); None when there is no case yet.
    """
    from caseworker.store.queries.case import newest_case_id

    newest = newest_case_id(workspace.store)
    if newest is None:
        return None
    loaded = read_case(workspace, newest)
    return (newest, loaded) if loaded[0] is not None else None


#: Timeline entries drawn in one turn of the UI thread (about a screenful of lines; see ``PagedLines``).
TIMELINE_PART = 25


def read_older_page(store, case_id: int, older, detail: CaseDetail | None) -> tuple:
    """In the worker: the Timeline's next older page, as the screen shows it.

    Args:
        store: the open store.
        case_id: the case.
        older: where the page starts (the cursor the last page read gave).
        detail: the case shown (its officers' names for the entries), or None.

    Returns:
        (the cursor of the page after it, or None at the oldest; how many entries it holds; its
        text, made inert, in parts of :data:`TIMELINE_PART` entries, each drawn in a turn of its own).
    """
    from dataclasses import replace

    from caseworker.store.queries.timeline import timeline_page

    page = timeline_page(store, case_id, older)
    named = [replace(t, who=detail.name_of(t.who)) for t in page.entries] if detail else page.entries
    parts = [
        inert.sanitise(timeline_entries_text(named[i : i + TIMELINE_PART], page.correspondence))
        for i in range(0, len(named), TIMELINE_PART)
    ]
    return page.older, len(page.entries), parts


class TimelineScroll(VerticalScroll):
    """The Timeline's scroll: End goes to the foot of what is shown at once, in the next frame, as
    in a table. Textual's End waits for a frame, then glides there over several: its first step
    came two or three frames after the key. Home glides still (jumping to the top measured
    slower than the glide's first step, 28-31 ms against 14-17: a whole screenful of the newest
    page drawn in one frame)."""

    def action_scroll_end(self) -> None:
        """To the foot of what is shown now, and again once the layout is current (a page read
        may still be being drawn, a part a turn)."""
        if not self.allow_vertical_scroll:
            raise SkipAction()
        self.scroll_end(animate=False, immediate=True)
        self.scroll_end(animate=False)


def _page_lines(text: Text) -> Text:
    """A page of the Timeline as its widget shows it: made inert, without the line break that ends
    its last line (the next page, or the line under them all, starts on the next line)."""
    out = inert.sanitise(text)
    if out.plain.endswith("\n"):
        out.right_crop(1)
    return out


def _css_generation(app) -> int | None:
    """How many times the app's stylesheet has changed (a theme chosen, say); None if unknown.

    Textual keeps the count privately (``App._css_update_count``, textual 8.2) and refreshes
    only the screens in a stack when it changes; the kept case screen uses it to tell whether
    its styles are still current when shown again."""
    count = getattr(app, "_css_update_count", None)
    return count if isinstance(count, int) else None


def _dialog(action: str):
    import importlib

    module, name = DIALOGS[action]
    return getattr(importlib.import_module(f"caseworker.screens.dialogs.{module}"), name)


class CaseScreen(CaseLinks, BaseScreen):
    """One case, with every lifecycle action a key."""

    TITLE = "Case detail"
    HELP_SCOPE = "case"
    HELP = (
        "The case: its header, the live deadline (e explains it), what must be honoured for the resident, and "
        "tabs (t or ←/→ on the tab bar) for the definition, the timeline (newest first), the resident, remedies, "
        "outstanding actions and letters. Each action key opens a form that checks the Code as you type."
    )
    BINDINGS = keys.bindings("case", "list")
    DEFAULT_CSS = """
    CaseScreen #head { height: auto; padding: 0 1; background: $boost; }
    CaseScreen #flags { height: auto; padding: 0 1; background: $warning 25%; text-style: bold; }
    CaseScreen #flags.-none { display: none; }
    CaseScreen #deadline { height: auto; max-height: 2; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    CaseScreen #explain { height: auto; padding: 0 1 0 3; color: $text-muted; display: none; }
    CaseScreen #explain.-shown { display: block; }
    CaseScreen TabbedContent { height: 1fr; }
    CaseScreen TabPane { padding: 0 1; height: 1fr; }
    CaseScreen TabPane > VerticalScroll { height: 1fr; }
    """

    def __init__(self, case_id: int, loaded: tuple | None = None) -> None:
        super().__init__()
        self.case_id = case_id
        self._preloaded = loaded
        self._skip_load = loaded is not None
        self._reset_case_state()
        # Opening a case allocates tens of thousands of short-lived objects (widgets, styles,
        # strips): with the collector on, that is ~100 collections, some of them full ones over
        # the whole heap, on the UI thread before the case shows. Hold the collector off until
        # the case's first frame is out (or half a second, whichever is first); what is garbage
        # by then is collected in one young-generation pass afterwards. Held from compose (the
        # screen is being shown), released by ``_gc_resume``.
        self._gc_held = False
        self._reused = False  # shown again by show_case (see on_screen_resume)
        self._css_seen: int | None = None  # the stylesheet's generation when the screen was last closed

    def _reset_case_state(self) -> None:
        """What the screen knows of the case it shows: nothing yet (a new screen, or one reused)."""
        self.detail: CaseDetail | None = None
        self._today: date | None = None
        self._days_left: int | None = None
        self._ctx = None  # the CaseContext of the detail shown (for the action guards)
        self._refusals: dict[str, object] = {}
        self._then = ""  # a case form to offer once the case is read again (see Done.then)
        self._stale: set[str] = set()  # tabs not filled in from the case read yet
        self._timeline: Text | None = None  # the Timeline's newest page, built when first shown
        self._timeline_shown = 0
        self._timeline_older: object = None
        self._timeline_loading = False
        self._generation = getattr(self, "_generation", 0) + 1  # results read for an earlier case are dropped

    def _gc_hold(self) -> None:
        if gc.isenabled():
            gc.disable()
            self._gc_held = True

    def _gc_resume(self) -> None:
        if self._gc_held:
            self._gc_held = False
            gc.enable()

    def on_unmount(self) -> None:
        self._gc_resume()

    def compose(self) -> ComposeResult:
        self._gc_hold()
        yield Header()
        yield Static("Opening the case…", id="head")
        yield Static("", id="flags", classes="-none")
        yield Static("", id="deadline")
        yield Static("", id="explain")
        with TabbedContent(id="tabs"):
            for pane in TABS:
                scroll = TimelineScroll if pane == "timeline" else VerticalScroll
                with TabPane(pane.capitalize(), id=pane), scroll(id=f"scroll-{pane}"):
                    yield Static("", id=f"body-{pane}")
                    if pane == "timeline":  # the older pages read as the officer scrolls, then the line under them
                        yield PagedLines(id="timeline-older")
                        yield Static("", id="timeline-more")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.watch(self.query_one("#scroll-timeline", VerticalScroll), "scroll_y", self._timeline_scrolled, init=False)
        # No timer of the screen's own for the countdown: the App ticks the screen in front
        # (``CaseworkerApp.tick_front``). A cancelled 30-second timer's sleep stays in asyncio's
        # queue until it was due, holding the closed screen (its context) for up to 30 seconds.
        self.set_timer(0.5, self._gc_resume)  # never held longer than this, whatever happens to the read
        self._css_seen = _css_generation(self.app)  # every widget styled just now (kept off screen: see App)
        if self._preloaded is not None:
            loaded, self._preloaded = self._preloaded, None
            self._loaded(loaded)

    # -- reused for the next case ------------------------------------------------------------------

    def reusable(self) -> bool:
        """True when this screen can show another case: composed, still mounted, and in no screen
        stack (closed, not merely covered by another screen)."""
        stacks = getattr(self.app, "_screen_stacks", None)  # every mode's stack (textual 8.2 keeps them privately)
        return (
            isinstance(stacks, dict)
            and self.is_running
            and self.is_attached
            and self.detail is not None
            and all(self is not s for stack in stacks.values() for s in stack)
        )

    def on_screen_suspend(self) -> None:
        self._css_seen = _css_generation(self.app)

    @on(events.ScreenResume)
    def _styles_still_current(self, event: events.ScreenResume) -> None:
        """Shown again for another case (:meth:`show_case`): Textual would apply the stylesheet to
        every widget again; it is the same stylesheet (no theme change meanwhile) and the classes
        changed since were applied as they changed, so that pass is skipped (a sixth of the time
        to show the case). Runs before Textual's own handler (subclass first)."""
        if self._reused:
            self._reused = False
            if self._css_seen is not None and self._css_seen == _css_generation(self.app):
                event.refresh_styles = False

    def show_case(self, case_id: int, loaded: tuple) -> None:
        """Show another case on this (closed) screen, before it is pushed again: what a new screen
        would show (the Definition tab, at the top, the explanation folded, the focus where a new
        screen puts it), without composing and mounting its widgets again.

        Args:
            case_id: the case.
            loaded: what :func:`read_case` returned for it (the detail not None).
        """
        self._gc_hold()
        self.set_timer(0.5, self._gc_resume)
        for group in ("case-load", "timeline-page", "timeline-count", "case-learning"):
            self.workers.cancel_group(self, group)
        self.case_id = case_id
        self._skip_load = False
        self._reset_case_state()
        self._changes_seen = len(getattr(self.app, "case_changes", ()))  # this read is newer than any change so far
        if self.focused is not self.query_one(Tabs):
            self.set_focus(None)  # as a new screen: the first focusable widget (the tab bar) when shown
        self.query_one("#explain", Static).remove_class("-shown")
        tabs = self.query_one(TabbedContent)
        if tabs.active != TABS[0]:
            tabs.active = TABS[0]
        for pane in TABS:
            self.query_one(f"#scroll-{pane}", VerticalScroll).scroll_home(animate=False, immediate=True)
        self._reused = True
        self._loaded(loaded)

    # -- loading -------------------------------------------------------------------------------

    def shows_case(self, case_id: int) -> bool:
        """Only this case's changes make the screen read it again."""
        return case_id == self.case_id

    def load(self) -> None:
        """Read the case (in a worker); the screen updates when it arrives."""
        ws = self.workspace
        if ws is None:
            return
        if self._skip_load:  # read before the screen was shown
            self._skip_load = False
            return
        self.run_db(read_case, ws, self.case_id, done=self._current(self._loaded), group="case-load")

    def _current(self, callback):
        """``callback``, called only while the screen still shows the case it was asked for."""
        generation = self._generation

        def call(value) -> None:
            if generation == self._generation:
                callback(value)

        return call

    def _loaded(self, loaded: tuple) -> None:
        detail, self._ctx, self._refusals = loaded
        try:
            self._show(detail)
        except Exception as exc:  # noqa: BLE001 - a fault here must be seen, not lost in the worker
            self.post_message(ShowError(exc, title="The case could not be shown"))
            return
        then, self._then = self._then, ""
        if then and detail is not None and self.app.screen is self:
            self._open(_dialog(then))  # e.g. after an extension: the updates agreed with the resident (5.9)

    def _show(self, detail: CaseDetail | None) -> None:
        self.call_after_refresh(self._gc_resume)  # once the frame showing the case is out
        if detail is None:
            self.app.notify(f"There is no case with id {self.case_id}.", severity="error")
            self.app.pop_screen()
            return
        self.detail = detail
        self.refresh_bindings()  # the actions this case allows were worked out in the worker
        self._today = detail.today
        self._days_left = detail.deadline.days_left if detail.deadline else None
        self.title = f"{detail.header.reference} · {detail.resident.name}"
        with self.app.batch_update():
            self._show_head(detail)
            self._show_deadline()
            # Only the tab shown is filled in; the others when the officer turns to them.
            self._stale = set(TABS)
            self._timeline = None
            self.query_one("#timeline-older", PagedLines).clear()  # the older pages of the history shown before
            self._timeline_shown = len(detail.timeline)
            self._timeline_older = detail.timeline_older
            self._timeline_loading = False
            self.workers.cancel_group(self, "timeline-page")
            self._fill(self.query_one(TabbedContent).active or TABS[0])
            tabs = self.query_one(TabbedContent)
            letters = [c for c in detail.correspondence if c.kind == "letter"]
            open_actions = sum(1 for a in detail.actions if not a.done)
            # Tab.label takes text and reads back Content: mypy 1.10 (the floor) types the setter as the
            # getter, later versions do not (hence unused-ignore).
            tabs.get_tab("remedies").label = f"Remedies ({len(detail.remedies)})"  # type: ignore[assignment, unused-ignore]
            tabs.get_tab("actions").label = f"Actions ({open_actions} open)" if detail.actions else "Actions (0)"  # type: ignore[assignment, unused-ignore]
            tabs.get_tab("letters").label = f"Letters ({len(letters)})"  # type: ignore[assignment, unused-ignore]
            self._label_timeline()
        if detail.timeline_total is None:  # a long history: counted now the case is shown
            from caseworker.store.queries.timeline import timeline_total

            ws = self.workspace
            if ws is not None:
                self.run_db(
                    timeline_total, ws.store, self.case_id, done=self._current(self._counted), group="timeline-count"
                )

    def _label_timeline(self) -> None:
        """The Timeline tab's label: how many entries the history holds (the newest page and a "+"
        until it is counted)."""
        detail = self.detail
        if detail is None:
            return
        total = detail.timeline_total
        label = f"Timeline ({total:,})" if total is not None else f"Timeline ({len(detail.timeline):,}+)"
        self.query_one(TabbedContent).get_tab("timeline").label = label  # type: ignore[assignment, unused-ignore]

    def _counted(self, total: int) -> None:
        """The history counted (see ``_show``): the tab's label and the line under what is shown."""
        if self.detail is None:
            return
        from dataclasses import replace

        self.detail = replace(self.detail, timeline_total=total)
        self._label_timeline()
        if self._timeline is not None and "timeline" not in self._stale:
            self._show_timeline()

    def _fill(self, tab: str | None) -> None:
        """Fill in one tab from the case read, if it is not filled in yet."""
        if self.detail is None or tab not in self._stale:
            return
        self._stale.discard(tab)
        if tab == "timeline":
            self._show_timeline()
        else:
            self.query_one(f"#body-{tab}", Static).update(inert.sanitise(TAB_TEXT[tab](self.detail)))

    # -- the timeline, a page at a time -----------------------------------------------------------

    def _show_timeline(self) -> None:
        """Show the newest page (built once per case read) and the line under what is shown."""
        if self._timeline is None and self.detail is not None:
            self._timeline = timeline_text(self.detail)
            self.query_one("#body-timeline", Static).update(_page_lines(self._timeline))
        self._show_timeline_more()
        self.call_after_refresh(self._more_timeline)

    def _show_timeline_more(self) -> None:
        """The line under the entries shown: how many older ones are still to be read (or nothing,
        once the whole history is shown: the blank line that ends it)."""
        more = Text()
        if self._timeline_older is not None and self.detail is not None:
            more = timeline_more_text(self.detail.timeline_total, self._timeline_shown)
        self.query_one("#timeline-more", Static).update(more)

    def _timeline_scrolled(self, _old: float, _new: float) -> None:
        # once the frame showing the scroll is out: the page read (a thread) would hold it back
        self.call_after_refresh(self._more_timeline)

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._fill(event.pane.id)
        if event.pane.id == "timeline":
            self.call_after_refresh(self._more_timeline)

    def _more_timeline(self) -> None:
        """Read the next older page when the officer reaches the end of what is shown (or it all fits)."""
        if self._timeline_older is None or self._timeline_loading or not self.is_attached:
            return
        if self.query_one(TabbedContent).active != "timeline":
            return
        scroll = self.query_one("#scroll-timeline", VerticalScroll)
        if scroll.scroll_y < scroll.max_scroll_y - 2:
            return
        ws = self.workspace
        if ws is None:
            return
        self._timeline_loading = True
        cursor = self._timeline_older
        self.run_db(
            read_older_page,
            ws.store,
            self.case_id,
            cursor,
            self.detail,
            done=self._current(lambda page: self.call_after_refresh(self._show_older_page, cursor, page)),
            failed=self._current(self._older_failed),
            group="timeline-page",
        )

    def _show_older_page(self, cursor: object, page: tuple) -> None:
        """An older page read (see :func:`read_older_page`), shown once the frame due when it came
        (a key's) is out: drawn under those shown, on its own (see ``PagedLines``), so it costs
        that page's drawing, not the whole history's again. Dropped if the case was read again
        meanwhile (the Timeline then starts from its newest page)."""
        if cursor is not self._timeline_older or self._timeline is None:
            return
        older, entries, parts = page
        self._timeline_shown += entries
        self._timeline_older = older
        self._show_timeline_more()
        self.query_one("#timeline-older", PagedLines).append(parts, then=self._older_page_shown)

    def _older_page_shown(self) -> None:
        """The page read is drawn whole: read the next when the officer is at the foot of it."""
        self._timeline_loading = False
        self.call_after_refresh(self._more_timeline)

    def _older_failed(self, exc: Exception) -> None:
        self._timeline_loading = False
        self.post_message(ShowError(exc))

    def tick(self) -> None:
        """Recount working days left when the date changes: from the stored due date, no query
        (called by the App every 30 seconds while this screen is in front)."""
        ws, detail = self.workspace, self.detail
        if ws is None or detail is None or detail.deadline is None:
            return
        today = ws.store.today()
        if today != self._today:
            self._today = today
            self._days_left = ws.store.calendar.days_left(detail.deadline.due, today)
            self._show_deadline()

    # -- the top of the screen -------------------------------------------------------------------

    def _show_head(self, detail: CaseDetail) -> None:
        h, res, rep = detail.header, detail.resident, detail.representative
        v = inert.visible  # each stored piece made inert before Rich assembles (and would drop BEL and the like)
        officer = v(h.officer_name or h.officer_login) if h.officer_login else "not assigned"
        line1 = Text.assemble(
            (v(h.reference), "bold reverse"),
            "  ",
            (labels.case_type(h.case_type), "bold"),
            " · ",
            (f"Stage {h.stage}", "bold"),
            " · ",
            labels.status(h.status),
            " · Officer: ",
            officer,
        )
        line2 = Text.assemble(("Resident: ", "dim"), (v(res.name), "bold"))
        if rep is not None:
            consent = f"consent recorded {_d(rep.consent_date)}" if rep.consent_recorded else "NO CONSENT RECORDED"
            rel = f", {v(rep.relationship)}" if rep.relationship else ""
            line2.append_text(
                Text.assemble("  ·  raised by ", (v(rep.name), "bold"), f"{rel}, on their behalf ({consent})")
            )
        line2.append_text(
            Text.assemble(
                ("  ·  received ", "dim"),
                _d(h.received),
                " ",
                v(labels.received_by(h.channel) or "(how it came in not recorded)"),
            )
        )
        self.query_one("#head", Static).update(inert.sanitise(Text("\n").join([line1, line2])))
        flags = flag_items(detail)
        box = self.query_one("#flags", Static)
        box.update(inert.text("⚑ " + " · ".join(flags)) if flags else "")
        box.set_class(not flags, "-none")

    def _show_deadline(self) -> None:
        detail = self.detail
        if detail is None:
            return
        box, explain = self.query_one("#deadline", Static), self.query_one("#explain", Static)
        d = detail.deadline
        if d is None:
            h = detail.header
            stage = detail.current_stage
            words = {
                "responded": f"Responded {_d(stage.responded if stage else None)}: no live Code deadline.",
                "closed": "Closed: no live deadline.",
                "withdrawn": "Withdrawn: no live deadline.",
                "not-accepted": "Not accepted: no live deadline.",
                "escalation-refused": "Escalation refused: no live deadline.",
            }.get(h.status, "No live deadline.")
            if h.next_due is not None and h.next_due_kind:  # an extra deadline (an Ombudsman order) keeps the case open
                box.update(
                    Text.assemble(
                        (words + " ", "dim"), (f"Next: {h.next_due_kind} due {h.next_due:%a %d %b %Y}", "bold")
                    )
                )
                explain.update("")
                return
            box.update(Text(words, style="dim"))
            explain.update("")
            return
        from caseworker.store.queries.case import rag

        left = self._days_left if self._days_left is not None else d.days_left
        line = countdown_text(d.label, d.due, left, rag(left), d.code_ref)
        if d.code_due is not None:  # a promise in an issued letter is the deadline: show the Code's date too
            line.append(f"  (promised in a letter; the Code's date is {_d(d.code_due)})", style="bold")
        h = detail.header
        if h.next_due_kind == "update" and h.next_due is not None:  # an update agreed with the resident comes first
            # on a line of its own, so a narrow terminal shows it too
            line.append("\nNext update to the resident ", style="bold")
            line.append(_d(h.next_due), style="bold reverse")
            line.append(" (agreed, Code 5.9)")
        elif left < 0 and d.kind == "respond":  # the response is late: agree how often the resident hears from us
            line.append("\nLate: agree updates with the resident (U, Code 5.9)", style="bold")
        box.update(line)
        text = inert.text(d.explanation)
        for breach in d.breaches:
            text.append("\n⚠ ")
            text.append_text(inert.text(breach, style="bold"))
        explain.update(text)

    # -- which actions are possible ---------------------------------------------------------------

    @property
    def active_bindings(self):
        """The keys in force, less the actions the case does not allow now, so the footer shows only
        what can be done. Those keys still work: they say why not, with the Code paragraph."""
        bindings = super().active_bindings
        if self._ctx is None:
            return bindings
        return {key: active for key, active in bindings.items() if self._refusals.get(active.binding.action) is None}

    # -- actions ----------------------------------------------------------------------------------

    def _open(self, dialog_cls) -> None:
        """Open a case form, unless the case's state rules it out (then say why, with the Code paragraph)."""
        if self.detail is None or self.workspace is None or self._ctx is None:
            self.notify("The case is still loading.", timeout=3)
            return
        from caseworker.screens.dialogs.form import refusal_text

        refusal = dialog_cls.precheck(self._ctx)
        if refusal is not None:
            self.notify(refusal_text(refusal), title="Not possible now", severity="warning", timeout=8)
            return
        dialog = dialog_cls(self._ctx)
        self.app.push_screen(dialog, lambda done: self._done(done, dialog))

    def _done(self, done, dialog=None) -> None:
        if done is None:
            if (
                dialog is not None
                and self.detail is not None
                and (getattr(dialog, "refused", False) or dialog.ctx.detail is not self.detail)
            ):
                # a save was refused, or the form read the case again: someone else may have changed it
                # (an action completed changes the action, not the case's version): show it as it is now
                self.load()
            return
        self.app.notify(done.message, title=self.detail.header.reference if self.detail else "Saved", timeout=8)
        self._then = done.then  # a form to offer once the case is read again
        self.load()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_explain(self) -> None:
        if self.detail is not None and self.detail.deadline is None:
            self.notify("There is no live deadline on this case.", timeout=4)
            return
        self.query_one("#explain", Static).toggle_class("-shown")

    def action_acknowledge(self) -> None:
        self._open(_dialog("acknowledge"))

    def action_extend(self) -> None:
        self._open(_dialog("extend"))

    def action_respond(self) -> None:
        self._open(_dialog("respond"))

    def action_stage2(self) -> None:
        self._open(_dialog("stage2"))

    def action_assign(self) -> None:
        self._open(_dialog("assign"))

    def action_related_issue(self) -> None:
        self._open(_dialog("related_issue"))

    def action_not_accept(self) -> None:
        self._open(_dialog("not_accept"))

    def action_refuse_escalation(self) -> None:
        self._open(_dialog("refuse_escalation"))

    def action_withdraw(self) -> None:
        self._open(_dialog("withdraw"))

    def action_close_case(self) -> None:
        self._open(_dialog("close_case"))

    def action_correct(self) -> None:
        self._open(_dialog("correct"))

    def action_note(self) -> None:
        self._open(_dialog("note"))

    def action_add_action(self) -> None:
        self._open(_dialog("add_action"))

    def action_update_action(self) -> None:
        self._open(_dialog("update_action"))

    def action_move_due(self) -> None:
        self._open(_dialog("move_due"))

    def action_resident_updates(self) -> None:
        self._open(_dialog("resident_updates"))

    def action_documents(self) -> None:
        """The case's documents: attach, open, save a copy, withdraw (5.12)."""
        if self.detail is None:
            self.notify("The case is still loading.", timeout=3)
            return
        from caseworker.screens.documents import DocumentsScreen

        self.app.push_screen(DocumentsScreen(self.case_id, self.detail.header.reference), lambda _: self.load())

    def action_case_file(self) -> None:
        """Write the case file (PDF + ZIP of originals) into a folder."""
        if self.detail is None:
            self.notify("The case is still loading.", timeout=3)
            return
        from caseworker.screens.documents import CaseFileDialog

        def written(result) -> None:
            if result is not None:
                self.app.notify(
                    f"{result.pdf}\n{result.zip} ({len(result.manifest)} document(s))",
                    title="Case file written",
                    timeout=12,
                )

        self.app.push_screen(CaseFileDialog(self.detail.header.reference), written)

    def action_remedy(self) -> None:
        self._open(_dialog("remedy"))

    def action_ombudsman(self) -> None:
        """Record that this case went to the Ombudsman (their reference and dates)."""
        if self.detail is None or self.workspace is None:
            self.notify("The case is still loading.", timeout=3)
            return
        from caseworker.screens.dialogs.account_forms import ombudsman_form

        ws = self.workspace
        self.app.push_screen(ombudsman_form(ws.store, ws.login, self.detail.header.reference), lambda _: self.load())

    def action_learning(self) -> None:
        """The complaint's root cause and themes (Code 9.1, 9.2), starting from what is recorded."""
        if self.detail is None or self.workspace is None:
            self.notify("The case is still loading.", timeout=3)
            return
        from caseworker.screens.dialogs.account_forms import learning_form
        from caseworker.store.queries.account import learning_of

        ws, reference = self.workspace, self.detail.header.reference

        def show(current) -> None:
            self.app.push_screen(learning_form(ws.store, ws.login, reference, current), lambda _: self.load())

        self.run_db(learning_of, ws.store, self.case_id, done=self._current(show), group="case-learning")

    def action_representative(self) -> None:
        self._open(_dialog("representative"))

    def action_letter(self) -> None:
        """Choose a letter kind, then preview it (the letters module loads only now)."""
        if self.detail is None or self.workspace is None or self._ctx is None:
            self.notify("The case is still loading.", timeout=3)
            return
        from caseworker.screens.dialogs.records import LetterKindDialog

        ws, case_id = self.workspace, self.case_id

        def chosen(kind: str | None) -> None:
            if not kind:
                return
            try:
                from caseworker.screens.letter_preview import LetterPreviewScreen

                screen = LetterPreviewScreen(ws.store, ws.login, case_id, kind)
            except Exception as exc:  # noqa: BLE001 - a missing or broken letters module must not crash the case
                from caseworker.screens.dialogs.messages import ErrorScreen

                self.app.push_screen(
                    ErrorScreen(
                        "Letters are not available",
                        f"The letter preview could not be opened ({type(exc).__name__}: {exc}).\n\n"
                        "The case itself is unaffected; nothing already stored has been lost.",
                    )
                )
                return
            self.app.push_screen(screen, lambda _result: self.load())

        self.app.push_screen(LetterKindDialog(self._ctx), chosen)

    def action_next_tab(self) -> None:
        tabs = self.query_one(TabbedContent)
        tabs.active = TABS[(TABS.index(tabs.active) + 1) % len(TABS)] if tabs.active in TABS else TABS[0]

    def action_reload(self) -> None:
        self.load()

    def _active_scroll(self) -> VerticalScroll | None:
        tabs = self.query_one(TabbedContent)
        return self.query_one(f"#scroll-{tabs.active}", VerticalScroll) if tabs.active in TABS else None

    def action_cursor_down(self) -> None:
        scroll = self._active_scroll()
        if scroll is not None:
            scroll.scroll_down()

    def action_cursor_up(self) -> None:
        scroll = self._active_scroll()
        if scroll is not None:
            scroll.scroll_up()

    def action_page(self, direction: int) -> None:
        scroll = self._active_scroll()
        if scroll is not None:
            (scroll.scroll_page_down if direction > 0 else scroll.scroll_page_up)(animate=False)

    def action_to_end(self, end: bool) -> None:
        scroll = self._active_scroll()
        if scroll is not None:
            (scroll.scroll_end if end else scroll.scroll_home)(animate=False)


__all__ = ["CaseScreen", "countdown_text", "flag_items"]
