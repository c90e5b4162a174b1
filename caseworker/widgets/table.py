"""The one table widget every screen uses: a DataTable whose string cells are shown literally.

Textual's DataTable reads a string cell as markup, so a resident called ``Smith [/] Jones``
crashes it and ``[@click=app.quit]`` becomes a live action. ``Table`` turns every string
cell (and row label) into an inert one-line ``Text`` (``caseworker.inert.cell``) as it is
added or updated; a ``Text`` cell a screen styled itself keeps its styles, its control
characters shown as marks (``caseworker.inert.sanitise``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import DataTable

from caseworker import inert

if TYPE_CHECKING:  # pragma: no cover
    from textual.coordinate import Coordinate
    from textual.widgets.data_table import CellType, ColumnKey, RowKey


def _label(value: str | Text) -> Text:
    return inert.cell(value) if isinstance(value, str) else inert.sanitise(value)


def _cell(value: object) -> object:
    return _label(value) if isinstance(value, str | Text) else value


class Table(DataTable):
    """``DataTable`` with every string cell shown as written (never markup, controls visible)."""

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
