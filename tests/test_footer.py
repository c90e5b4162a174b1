"""At 80x24 every screen's footer keeps F1 Help and Quit in sight, and shows only whole keys.
Driven with Pilot on a real SQLite file; the footer is read as the officer sees it: the line
it draws, each key's text found at the cells the footer says the key covers.
"""

from __future__ import annotations

from helpers import make_app, settle
from test_screens_other import TODAY
from test_screens_other import world as world  # noqa: F401 - the fixture

from caseworker.widgets.footer import Footer

SCREENS = ["f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10"]


def footer_line(app) -> str:
    """The footer's line as drawn on screen (its text, one character a cell)."""
    footer = app.screen.query_one(Footer)
    line = "".join(segment.text for segment in footer.render_line(0))
    assert len(line) <= footer.size.width == app.size.width
    return line.ljust(footer.size.width)


def footer_keys(app) -> list[tuple[str, int, int]]:
    """The footer's keys as shown: (text, first column, last column + 1) of each, left to right.
    Each key's text is read from the drawn line at the cells the footer gives for it."""
    footer = app.screen.query_one(Footer)
    line = footer_line(app)
    keys = []
    for key in footer.keys():
        assert line[key.left : key.right] == key.text, f"{key.text!r} is not drawn at {key.left}-{key.right}: {line!r}"
        keys.append((key.text, key.left, key.right))
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


async def test_the_footer_draws_its_keys_again_only_when_they_change(url, world):
    # Textual signals a change of bindings at every change of bindings or focus (seven times
    # while the app starts); the footer draws its line again only when the keys it shows change.
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        drawn = []
        render = footer.render
        footer.render = lambda: drawn.append(1) or render()  # type: ignore[method-assign]
        texts = [t for t, _, _ in footer_keys(app)]
        app.screen.refresh_bindings()  # the footer is told the bindings changed
        await settle(pilot)
        assert drawn == []  # the same keys: not drawn again
        await pilot.resize_terminal(80, 24)  # fewer keys fit: drawn again, Help and Quit kept
        await settle(pilot)
        assert drawn
        narrow = [t for t, _, _ in footer_keys(app)]
        assert narrow[:2] == ["f1 Help", "^q Quit"] and len(narrow) < len(texts)
        assert_help_and_quit_whole(app, "inbox at 80x24")
        await pilot.resize_terminal(160, 50)
        await settle(pilot)
        assert [t for t, _, _ in footer_keys(app)] == texts


async def test_a_click_on_a_footer_key_runs_it(url, world):
    app = make_app(url, "alice", TODAY)
    async with app.run_test(size=(160, 50)) as pilot:
        await settle(pilot)
        footer = app.screen.query_one(Footer)
        search = next(k for k in footer.keys() if k.action == "search")
        await pilot.click(Footer, offset=(search.left + 1, 0))
        await settle(pilot)
        assert app.screen.query_one("#search").has_focus
        await pilot.press("escape")
        help_key = next(k for k in footer.keys() if k.description == "Help")
        await pilot.click(Footer, offset=(help_key.left, 0))
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
