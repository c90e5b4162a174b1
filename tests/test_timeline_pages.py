"""The case history a page at a time (``store.queries.timeline``) and on the case screen.

A case with thousands of events opens with its newest page; older pages follow from where the
last one stopped. Every entry appears exactly once, in the order of the whole history, even
when many share one timestamp (a fixed clock: every event at 10:00).
"""

from __future__ import annotations

from datetime import date, time

from helpers import make_app, make_store, settle
from textual.widgets import Static, TabbedContent

from caseworker.clock import Clock
from caseworker.rules.facts import Role
from caseworker.rules.lifecycle import CaseType, NewCase
from caseworker.store import services as sv
from caseworker.store.context import Store
from caseworker.store.queries import timeline as qt
from caseworker.store.queries.case import case_detail

TODAY = date(2025, 12, 10)


def timeline_shown(scroll) -> str:
    """What the Timeline shows, its widgets' lines one after another: the newest page, the older
    pages read, the line under them."""
    return "\n".join(str(w.render()) for w in scroll.children if w.size.height)


def long_case(store: Store, notes: int) -> int:
    """A case of alice's with ``notes`` notes, an acknowledgement-free history and one letter."""
    sv.current_officer(store, "admin")
    sv.add_officer(store, "admin", "alice", "Alice Adams", Role.OFFICER)
    resident = sv.add_resident(store, "alice", "Mrs Jane Smith")
    ref = sv.log_case(
        store, "alice", resident, NewCase(CaseType.COMPLAINT, date(2025, 12, 1), "phone", "Repairs", "Damp", "Mould")
    )
    sv.issue_letter(store, "alice", ref.id, "acknowledgement", "We have your complaint", "Dear Mrs Smith")
    for i in range(notes):
        sv.add_correspondence(store, "alice", ref.id, "note", f"note {i}")
        if i % 4 == 0:
            sv.add_action(store, "alice", ref.id, f"action {i}", "alice", date(2025, 12, 20))
    return ref.id


def all_pages(store: Store, case_id: int, limit: int) -> list[qt.TimelinePage]:
    pages = [qt.timeline_page(store, case_id, None, limit)]
    while pages[-1].older is not None:
        pages.append(qt.timeline_page(store, case_id, pages[-1].older, limit))
        assert len(pages) < 100
    return pages


def test_pages_hold_every_entry_once_in_history_order_even_at_one_timestamp(engine, db_url):
    store = make_store(db_url, Clock(fixed=TODAY, fixed_time=time(10, 0)), engine)  # every event at 10:00 UTC
    case_id = long_case(store, 23)
    pages = all_pages(store, case_id, 7)
    entries = [e for p in pages for e in p.entries]
    # The whole history: 23 notes and 1 letter, logged, the response date the letter promised,
    # 6 actions added (the "note added" and "letter issued" events only announce correspondence
    # and are not repeated).
    assert sorted(e.what for e in entries) == sorted(
        ["logged", "response date promised"] + ["action added"] * 6 + ["note"] * 23 + ["letter"]
    )
    assert len({(e.source, e.source_id) for e in entries}) == len(entries) == 32
    assert [len(p.entries) for p in pages] == [7, 7, 7, 7, 4]
    assert entries == sorted(entries, key=lambda t: (t.at, t.source != "audit", t.source_id), reverse=True)
    assert all(
        {c.id for c in p.correspondence} == {e.source_id for e in p.entries if e.source == "correspondence"}
        for p in pages
    )


def test_case_detail_holds_the_newest_page_every_letter_and_the_total(engine, db_url, monkeypatch):
    store = make_store(db_url, TODAY, engine)
    case_id = long_case(store, 12)
    monkeypatch.setattr(qt, "TIMELINE_PAGE", 5)
    detail = case_detail(store, case_id=case_id)
    # logged, the promised response date, 3 actions, 12 notes, the letter
    assert detail.timeline_total == 1 + 1 + 3 + 12 + 1
    newest = [(e.source, e.source_id) for e in all_pages(store, case_id, 100)[0].entries[:5]]
    assert [(t.source, t.source_id) for t in detail.timeline] == newest[::-1]  # oldest first
    # notes 8-11 and the action added after note 8, oldest first
    assert [t.what for t in detail.timeline] == ["note", "action added", "note", "note", "note"]
    assert {t.who for t in detail.timeline} == {"Alice Adams"}  # officers by name, not login
    assert detail.timeline == tuple(sorted(detail.timeline, key=lambda t: (t.at, t.source != "audit", t.source_id)))
    assert [c.kind for c in detail.correspondence].count("letter") == 1  # the letter is older than the page
    assert detail.timeline_older is not None
    # read for the case screen: the same page, the history counted apart (after the case is shown)
    uncounted = case_detail(store, case_id=case_id, count_timeline=False)
    assert uncounted.timeline_total is None and uncounted.timeline == detail.timeline
    assert qt.timeline_total(store, case_id) == detail.timeline_total
    monkeypatch.setattr(qt, "TIMELINE_PAGE", 100)  # all of it on one page: nothing left to count
    assert case_detail(store, case_id=case_id, count_timeline=False).timeline_total == detail.timeline_total


def test_the_whole_history_for_the_case_file_holds_every_entry_and_item(engine, db_url, monkeypatch):
    store = make_store(db_url, TODAY, engine)
    case_id = long_case(store, 12)
    monkeypatch.setattr(qt, "TIMELINE_PAGE", 5)
    detail = case_detail(store, case_id=case_id, whole_history=True)
    whats = [t.what for t in detail.timeline]
    # every entry of the paged history, plus the 12 "note added" and the "letter issued" events
    assert len(whats) == 18 + 13 and whats.count("note") == 12 and whats.count("note added") == 12
    assert whats.count("letter issued") == 1 and detail.timeline_older is None
    assert len(detail.correspondence) == 13  # 12 notes and the letter
    assert detail.timeline == tuple(sorted(detail.timeline, key=lambda t: (t.at, t.source != "audit", t.source_id)))


async def test_the_case_screen_reads_older_pages_as_the_officer_scrolls(tmp_path, monkeypatch):
    from textual.containers import VerticalScroll

    url = f"sqlite:///{tmp_path / 'long.db'}"
    store = make_store(url, TODAY)
    case_id = long_case(store, 30)
    store.engine.dispose()
    monkeypatch.setattr(qt, "TIMELINE_PAGE", 10)

    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        app.open_case(case_id)
        await settle(pilot)
        tabs = app.screen.query_one(TabbedContent)
        total = 1 + 1 + 8 + 30 + 1  # logged, the promised response date, 8 actions, 30 notes, the letter
        assert tabs.get_tab("timeline").label.plain == f"Timeline ({total})"
        tabs.active = "timeline"
        await settle(pilot)
        scroll = app.screen.query_one("#scroll-timeline", VerticalScroll)
        assert "older entries: scroll on" in timeline_shown(scroll)  # not all of it, until the officer scrolls
        scroll.focus()
        await pilot.pause()
        foot = scroll.max_scroll_y
        assert foot > 0 and scroll.scroll_y == 0
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y >= foot  # at the foot of what was shown
        for _ in range(8):  # End, as an officer holding on to read back through the history
            await pilot.press("end")
            await settle(pilot)
        text = timeline_shown(scroll)
        assert "older entries" not in text
        assert scroll.query_one("#timeline-older").pages == 4  # 41 entries: the newest 10, then 10, 10, 10 and 1
        # the pages follow one another line after line: the one blank line under the heading,
        # and the history ends with the line break of its last entry (the line under it, blank)
        assert text.count("\n\n") == 1 and text.endswith("\n") and not text.endswith("\n\n")
        assert sorted(int(line.split("note ")[1]) for line in text.splitlines() if ": note " in line) == list(range(30))
        assert "logged" in text and "We have your complaint" in text


async def test_older_pages_are_drawn_as_one_static_of_the_same_text_would_be():
    """The Timeline's older pages (``PagedLines``, drawn a part at a time) look exactly as the
    same text in one ``Static`` does: the same lines, wrapped at the same places, in the same
    styles, at any width (the terminal narrowed after the pages were drawn too)."""
    from rich.text import Text
    from textual.app import App
    from textual.containers import Horizontal
    from textual.geometry import Region

    from caseworker.widgets.paged_lines import PagedLines

    def page(n: int) -> Text:
        out = Text()
        for i in range(n):
            out.append(f"Mon 0{i % 9 + 1} Dec 2025 10:00  ", style="dim")
            out.append("Alice Adams      ", style="cyan")
            out.append("note", style="bold")
            out.append(f": call {i}\n")
            out.append("      The mould is back in the bedroom; surveyor booked for the damp survey.\n", style="italic")
        return out

    pages = [page(3), page(1), page(2)]
    whole = Text().join(pages)
    whole.right_crop(1)  # as the page widget shows a page: without the line break that ends it

    class Both(App):
        CSS = "Static, PagedLines { width: 1fr; }"

        def compose(self):
            with Horizontal():
                yield Static(whole, id="one")
                yield PagedLines(id="paged")

    def lines(widget) -> list[list[tuple[str, object]]]:
        width, height = widget.size
        return [[(seg.text, seg.style) for seg in strip] for strip in widget.render_lines(Region(0, 0, width, height))]

    app = Both()
    async with app.run_test(size=(80, 30)) as pilot:
        paged = app.query_one(PagedLines)
        assert paged.size.height == 0  # no pages yet: no lines at all
        paged.append(pages[:2])  # a page in two parts
        paged.append([Text(), pages[2]])  # and one whose first part shows nothing
        await pilot.pause()
        one = app.query_one("#one", Static)
        assert paged.pages == 2
        # 40 columns each: every entry's line (52 characters) and body (75) wrap onto two lines
        assert one.size == (40, 6 * 4) and paged.size == one.size
        assert lines(paged) == lines(one)
        await pilot.resize_terminal(50, 40)
        await pilot.pause()
        assert paged.size == one.size and lines(paged) == lines(one)
        paged.clear()
        await pilot.pause()
        assert paged.size.height == 0
