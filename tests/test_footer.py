"""At 80x24 every screen's footer keeps F1 Help and Quit in sight, and shows only whole keys.
Driven with Pilot on a real SQLite file; the footer is read as the officer sees it: each key
widget's text and where it sits on screen.
"""

from __future__ import annotations

from helpers import make_app, settle
from test_screens_other import TODAY
from test_screens_other import world as world  # noqa: F401 - the fixture
from textual.widgets import Footer

SCREENS = ["f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10"]


def footer_keys(app) -> list[tuple[str, int, int]]:
    """The footer's keys as shown: (text, first column, last column + 1) of each, left to right."""
    footer = app.screen.query_one(Footer)
    keys = [(str(child.render()).strip(), child.region.x, child.region.right) for child in footer.children]
    return sorted(keys, key=lambda k: k[1])


def assert_help_and_quit_whole(app, where: str) -> None:
    width = app.size.width
    keys = footer_keys(app)
    texts = [t for t, _, _ in keys]
    assert "f1 Help" in texts, f"{where}: no F1 Help in {texts}"
    assert "^q Quit" in texts, f"{where}: no Quit in {texts}"
    for text, left, right in keys:
        assert 0 <= left and right <= width, f"{where}: {text!r} runs off the screen ({left}-{right} of {width})"
    spans = sorted((left, right) for _, left, right in keys)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        assert end <= start, f"{where}: footer keys overlap in {texts}"


async def test_every_screen_keeps_help_and_quit_at_80x24(url, world):
    app = make_app(url, "alice", TODAY)  # the officer of the case logged in the world
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert_help_and_quit_whole(app, "inbox")
        await pilot.press("enter")  # the case screen, which has the most keys
        await settle(pilot)
        assert type(app.screen).__name__ == "CaseScreen"
        assert_help_and_quit_whole(app, "case")
        cut = len(footer_keys(app))
        for key in SCREENS:
            await pilot.press(key)
            await settle(pilot)
            assert_help_and_quit_whole(app, f"{key} ({type(app.screen).__name__})")
        # Wider, the case screen shows more of its keys, still Help and Quit first.
        await pilot.press("f2")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.resize_terminal(160, 50)
        await settle(pilot)
        wide = footer_keys(app)
        assert [t for t, _, _ in wide[:2]] == ["f1 Help", "^q Quit"]
        assert len(wide) > cut
        assert_help_and_quit_whole(app, "case at 160x50")


async def test_the_documents_and_letter_screens_over_a_case_keep_help_and_quit(url, world):
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        case = app.screen
        await pilot.press("v")  # the case's documents, laid over the case
        await settle(pilot)
        assert type(app.screen).__name__ == "DocumentsScreen"
        assert_help_and_quit_whole(app, "documents")
        await pilot.press("f1")  # and F1 really opens the help there
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is case


async def test_the_footer_builds_its_keys_again_only_when_they_change(url, world):
    # Textual asks the footer to rebuild at every change of bindings or focus (seven times
    # while the app starts); the keys already shown stay when nothing about them changed.
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        shown = list(footer.children)
        texts = [t for t, _, _ in footer_keys(app)]
        app.screen.refresh_bindings()  # the footer is asked to rebuild (after the next refresh)
        await settle(pilot)
        assert list(footer.children) == shown  # the same key widgets, not new ones
        await pilot.resize_terminal(80, 24)  # fewer keys fit: built again, Help and Quit kept
        await settle(pilot)
        narrow = [t for t, _, _ in footer_keys(app)]
        assert narrow[:2] == ["f1 Help", "^q Quit"] and len(narrow) < len(texts)
        assert_help_and_quit_whole(app, "inbox at 80x24")
        await pilot.resize_terminal(160, 50)
        await settle(pilot)
        assert [t for t, _, _ in footer_keys(app)] == texts
