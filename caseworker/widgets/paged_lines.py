"""Text read a page at a time and drawn a line at a time: the older pages of a case's Timeline.

A ``Static`` draws its whole text whenever any of it changes: a Timeline of thousands of
entries, one page added at a time, drew every page read so far again for each page added (a
third of a second by the twentieth page, on the UI thread, in the way of the next key). This
widget keeps the lines it has drawn, at the width it has (Textual's Line API): adding a page
draws that page only, a part (a few dozen lines) at a time between keys and frames, and a
frame draws only the lines in view. Lines look as a ``Static`` showing the same text would
draw them (the same rendering, at the same width); a new width draws them all again.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Sequence

from rich.text import Text
from textual.content import Content
from textual.geometry import Size
from textual.strip import Strip
from textual.visual import Visual, visualize
from textual.widget import Widget


class PagedLines(Widget):
    """Pages of text one under another, each page's lines drawn once (see the module).

    A page comes in parts (a few dozen lines each): the first is drawn when the page is given,
    each of the others in a turn of its own, so keys and frames are not held up for a whole page.
    Each part is shown from a new line, its last line break left out: parts ``"a\\nb\\n"`` and
    ``"c\\n"`` show as the three lines of ``"a\\nb\\nc"``. With no pages it is no lines high.
    """

    DEFAULT_CSS = """
    PagedLines { height: auto; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002 - Textual's name
        super().__init__(id=id, classes=classes)
        self._parts: list[Text] = []  # the parts shown (drawn, or drawn when the width is known)
        self._queue: deque[Text | Callable[[], object]] = deque()  # parts still to show, and what to call after them
        self._page_count = 0
        self._lines: list[Strip] = []
        self._width: int | None = None  # the width the lines were drawn at (None: not yet drawn)
        self._text_lines = 0  # lines of text (before wrapping) in the parts drawn

    @property
    def pages(self) -> int:
        """How many pages were given (since the last :meth:`clear`)."""
        return self._page_count

    def append(self, parts: Sequence[Text], then: Callable[[], object] | None = None) -> None:
        """Show a page under those given before: its first part now, the others one a turn.

        Args:
            parts: The page's parts, in order, already made inert (see ``caseworker.inert``);
                an empty part shows nothing.
            then: Called once the whole page is shown (its last part drawn).
        """
        self._page_count += 1
        idle = not self._queue
        self._queue.extend(_without_last_break(part) for part in parts if part.plain)
        if then is not None:
            self._queue.append(then)
        if idle:
            self._show_next()

    def clear(self) -> None:
        """Show no pages (no lines high); parts not shown yet are dropped, and what was to be
        called after them is not called."""
        if not (self._page_count or self._queue):
            return  # nothing shown: no layout to do (each case opened clears it)
        self._queue.clear()
        self._page_count = 0
        self._parts.clear()
        self._lines.clear()
        self._text_lines = 0
        self.refresh(layout=True)

    def _show_next(self) -> None:
        """Show the next part waiting (and call what follows it), then come back for the rest."""
        queue = self._queue
        while queue and callable(queue[0]):
            queue.popleft()()  # type: ignore[operator]
        if not queue:
            return
        part = queue.popleft()
        assert isinstance(part, Text)
        self._parts.append(part)
        if self._width is not None:
            self._draw(part, self._width)
        self.refresh(layout=True)
        if queue:
            self.call_later(self._show_next)

    def _draw(self, part: Text, width: int) -> None:
        """Draw ``part`` under the lines drawn, noting where each of its lines starts."""
        visual = visualize(self, part, markup=False)
        lines = Visual.to_strips(self, visual, width, None, self.visual_style)
        shift = self._text_lines
        if shift:  # each line's segments say where they are in their own part (for text selection): in the whole text
            y = -1
            for i, line in enumerate(lines):
                x, y = _offset(line, y)
                lines[i] = line.apply_offsets(x, y + shift)
        self._lines.extend(lines)
        self._text_lines += part.plain.count("\n") + 1

    def _drawn_at(self, width: int) -> list[Strip]:
        if width != self._width:
            self._width = width
            self._lines, self._text_lines = [], 0
            for part in self._parts:
                self._draw(part, width)
        return self._lines

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """The number of lines the pages take at ``width`` (drawing them, if not at that width yet)."""
        return len(self._drawn_at(width)) if width > 0 else 0

    def render(self) -> Content:
        """All the parts shown as one text (for a mouse selection's copy and highlight; frames draw
        through :meth:`render_line`)."""
        joined = Text("\n").join(self._parts)
        return Content.from_rich_text(joined)

    def render_line(self, y: int) -> Strip:
        """Line ``y`` of the pages, as drawn at the widget's width."""
        if self.text_selection is not None:  # drawn highlighted from the whole text, as a Static is
            return super().render_line(y)
        lines = self._drawn_at(self.size.width)
        if 0 <= y < len(lines):
            return lines[y]
        return Strip.blank(self.size.width, self.visual_style.rich_style)


def _offset(line: Strip, before: int) -> tuple[int, int]:
    """Where ``line`` starts in its part's text, (column, line), from its first segment's
    selection offset; a line with none is a blank line of text, the one after ``before``."""
    for segment in line:
        style = segment.style
        if style is not None and style._meta:
            offset = style.meta.get("offset")
            if offset is not None:
                return offset
    return 0, before + 1


def _without_last_break(text: Text) -> Text:
    out = text.copy()
    if out.plain.endswith("\n"):
        out.right_crop(1)
    return out


__all__ = ["PagedLines"]
