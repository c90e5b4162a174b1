"""The one table widget every screen uses: a DataTable whose string cells are shown literally.

Textual's DataTable reads a string cell as markup, so a resident called ``Smith [/] Jones``
crashes it and ``[@click=app.quit]`` becomes a live action. ``Table`` turns every string
cell (and row label) into an inert one-line ``Text`` (``caseworker.inert.cell``) as it is
added or updated; a ``Text`` cell a screen styled itself keeps its styles, its control
characters shown as marks (``caseworker.inert.sanitise``).

With a row cursor, a line drawn once is drawn again only if the cursor (or the mouse's hover)
has come onto or left its row: Textual's DataTable keys each drawn line by the cursor's exact
place, so every key that moved the cursor drew every visible line again (most of a key
press's time in a full-screen list).

A cursor moved while the table has no size (a screen that fills it before its first
frame) is scrolled into view once the table has its size, not against a window of no height,
which scrolled the cursor's row to the top and hid the lines above it (a section's heading).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.strip import Strip
from textual.widgets import DataTable

from caseworker import inert

if TYPE_CHECKING:  # pragma: no cover
    from textual.widgets.data_table import CellType, ColumnKey, RowKey

#: Stands in the line cache's key for a cursor (or hover) that is on another row than the line's.
_ELSEWHERE = Coordinate(-2, -2)


def _label(value: str | Text) -> Text:
    return inert.cell(value) if isinstance(value, str) else inert.sanitise(value)


def _cell(value: object) -> object:
    return _label(value) if isinstance(value, str | Text) else value


class Table(DataTable):
    """``DataTable`` with every string cell shown as written (never markup, controls visible)."""

    _scroll_when_sized = False

    def _scroll_cursor_into_view(self, animate: bool = False) -> None:
        """As Textual's (private; Textual 8.2.8), put off until the table has a size: scrolled
        against a window of no height, the cursor's row went to the top whatever was above it."""
        if not self.size.height:
            self._scroll_when_sized = True
            return
        super()._scroll_cursor_into_view(animate=animate)

    def on_resize(self, _event: events.Resize) -> None:
        """Laid out (or resized): a cursor moved before there was a window is scrolled into view now."""
        if self._scroll_when_sized and self.size.height:
            self._scroll_when_sized = False
            self._scroll_cursor_into_view()

    def add_row(
        self, *cells: CellType, height: int | None = 1, key: str | None = None, label: str | Text | None = None
    ) -> RowKey:
        """As ``DataTable.add_row``, with each string cell and the label made inert."""
        return super().add_row(
            *(_cell(c) for c in cells), height=height, key=key, label=None if label is None else _label(label)
        )

    def update_cell(
        self, row_key: RowKey | str, column_key: ColumnKey | str, value: CellType, *, update_width: bool = False
    ) -> None:
        """As ``DataTable.update_cell``, the value made inert."""
        super().update_cell(row_key, column_key, _cell(value), update_width=update_width)

    def update_cell_at(self, coordinate: Coordinate, value: CellType, *, update_width: bool = False) -> None:
        """As ``DataTable.update_cell_at``, the value made inert."""
        super().update_cell_at(coordinate, _cell(value), update_width=update_width)

    def current_key(self) -> str | None:
        """The key of the row under the cursor, or None when the table is empty."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    def _render_line(self, y: int, x1: int, x2: int, base_style: Style) -> Strip:
        """One line of the table (Textual's ``DataTable._render_line``), cached for a row cursor by
        whether the cursor and the hover are on the line's row rather than by where they are, so
        moving the cursor draws again only the row it left and the row it came to."""
        if self.cursor_type != "row":
            return super()._render_line(y, x1, x2, base_style)
        try:
            row_key, _line = self._get_offsets(y)
        except LookupError:
            return super()._render_line(y, x1, x2, base_style)
        row = self._row_locations.get(row_key)
        row = -1 if row is None else row  # the header's line
        cursor, hover = self.cursor_coordinate, self.hover_coordinate
        key = (
            y,
            x1,
            x2,
            self.size.width,
            cursor if cursor.row == row else _ELSEWHERE,
            hover if hover.row == row else _ELSEWHERE,
            base_style,
            self.cursor_type,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        strip = self._line_cache.get(key)
        if strip is None:
            strip = super()._render_line(y, x1, x2, base_style)
            self._line_cache[key] = strip
        return strip
