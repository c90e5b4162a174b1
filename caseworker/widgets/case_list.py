"""The one list of cases every screen that lists cases uses (the inbox, the deadline board, the
allocation list, the supervisor's queue, the registers, the cases behind a report's figure).

Following posting's ``widgets/datatable.py`` and frogmouth's ``Goto``: the widget owns its keys
and says what the officer chose with a message, the App acts on it.

- cells go through :class:`~caseworker.widgets.table.Table`, so stored text is never markup;
- ``j``/``k`` move, Enter posts :class:`~caseworker.messages.OpenCase` for the row's case
  (a row that is not a case, a group heading say, lets ``RowSelected`` go on to the screen);
- :meth:`CaseList.show` replaces the rows and keeps the cursor on the same case (or on the
  same place when that case has left the list);
- :meth:`CaseList.shows` says whether a case is listed: a screen reloads on coming back only
  if a case it lists changed (``BaseScreen.shows_case``);
- columns are sized to the terminal: each has the width it needs at 80 columns, and spare
  width is shared out among the columns whose text would otherwise be cut, up to their
  longest cell.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.binding import BindingType
from textual.events import Resize
from textual.geometry import Size
from textual.widgets import DataTable

from caseworker import keys
from caseworker.messages import OpenCase
from caseworker.widgets.table import Table

#: Width kept for the vertical scroll bar when sharing out spare columns.
_SCROLLBAR = 2


@dataclass(frozen=True)
class Column:
    """One column of a case list.

    Attributes:
        label: The heading.
        width: The width it has at least (cells; chosen so 80 columns show what matters).
        grow: True if it may widen, up to its longest cell, when the terminal has room.
        key: The column key (the label when empty).
    """

    label: str
    width: int
    grow: bool = False
    key: str = ""


@dataclass(frozen=True)
class ListRow:
    """One row: its cells, its key (unique in the list) and the case it stands for.

    Attributes:
        cells: The cells, in column order (``str`` shown literally, or a styled ``Text``).
        key: The row key (``str(case_id)`` unless the list holds other rows too).
        case_id: The case's id, if known.
        reference: The case's reference, when the id is not known (the App looks it up).
    """

    cells: tuple
    key: str
    case_id: int | None = None
    reference: str | None = None

    @property
    def is_case(self) -> bool:
        """True if the row stands for a case (Enter opens it)."""
        return self.case_id is not None or bool(self.reference)


def case_row(case_id: int, *cells: object) -> ListRow:
    """A row for case ``case_id``, keyed by its id."""
    return ListRow(tuple(cells), str(case_id), case_id)


def _width(value: object) -> int:
    if isinstance(value, Text):
        return max((cell_len(line) for line in value.plain.splitlines()), default=0)
    return cell_len(str(value))


def fit_widths(columns: Sequence[Column], longest: Sequence[int], room: int) -> list[int]:
    """The width of each column: its least width, the growing ones widened together, one cell
    at a time each, towards their longest cell while ``room`` lasts (so one long column does
    not take all the spare width from the others).

    Args:
        columns: The columns.
        longest: The longest cell (or heading) of each column, in cells.
        room: The cells the columns' text may take in all (padding already taken off).

    Returns:
        One width per column.
    """
    widths = [c.width for c in columns]
    spare = room - sum(widths)
    wanting = [i for i, c in enumerate(columns) if c.grow and longest[i] > widths[i]]
    while spare > 0 and wanting:
        for i in list(wanting):
            if spare == 0:
                break
            widths[i] += 1
            spare -= 1
            if widths[i] >= longest[i]:
                wanting.remove(i)
    return widths


class CaseList(Table):
    """A list of cases: literal cells, j/k, Enter opens the case, the cursor kept across reloads."""

    BINDINGS: ClassVar[list[BindingType]] = list(keys.bindings("list"))
    DEFAULT_CSS = """
    CaseList { height: 1fr; }
    """

    def __init__(
        self,
        columns: Sequence[Column],
        *,
        id: str | None = None,
        classes: str | None = None,
        zebra_stripes: bool = True,
    ) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=zebra_stripes)
        self.spec = tuple(columns)
        self._rows: list[ListRow] = []
        self._by_key: dict[str, ListRow] = {}
        self._cases: set[int] = set()
        self._widths: list[int] = []

    def on_mount(self) -> None:
        self._add_columns(self._fit())

    # -- rows ------------------------------------------------------------------------------

    def show(self, rows: Iterable[ListRow]) -> None:
        """Replace the rows; the cursor stays on the same row key (the same case) if it is still
        listed, else on the same position."""
        keep_key, keep_row = self.highlighted_key, self.cursor_row
        self._rows = list(rows)
        self._index()
        widths = self._fit()
        with self.app.batch_update():
            if widths != self._widths:
                self.clear(columns=True)
                self._add_columns(widths)
            else:
                self.clear()
            self._add(self._rows)
            self._restore(keep_key, keep_row)

    def extend(self, rows: Iterable[ListRow]) -> None:
        """Add rows at the end (the next page), the cursor left where it is."""
        more = list(rows)
        self._rows.extend(more)
        self._index()
        self._add(more)

    def shows(self, case_id: int) -> bool:
        """True if case ``case_id`` is in the list."""
        return case_id in self._cases

    @property
    def rows_shown(self) -> list[ListRow]:
        """The rows, in order."""
        return list(self._rows)

    @property
    def highlighted_key(self) -> str | None:
        """The key of the row under the cursor, or None when the list is empty."""
        if not self.row_count:
            return None
        return self.coordinate_to_cell_key(self.cursor_coordinate).row_key.value

    @property
    def highlighted(self) -> ListRow | None:
        """The row under the cursor, or None."""
        key = self.highlighted_key
        return None if key is None else self._by_key.get(key)

    @property
    def highlighted_case(self) -> int | None:
        """The id of the case under the cursor, or None (an empty list, a heading)."""
        row = self.highlighted
        return None if row is None else row.case_id

    def open_highlighted(self) -> bool:
        """Post ``OpenCase`` for the row under the cursor; False if it is not a case."""
        row = self.highlighted
        if row is None or not row.is_case:
            return False
        self.post_message(OpenCase(row.case_id, row.reference))
        return True

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a case opens it; any other row's selection goes on to the screen."""
        if event.data_table is not self:
            return
        row = self._by_key.get(str(event.row_key.value))
        if row is not None and row.is_case:
            event.stop()
            self.post_message(OpenCase(row.case_id, row.reference))

    # -- sizing ----------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        """Share the new width out again (the rows are re-added only if a width changed)."""
        widths = self._fit()
        if widths != self._widths and self.is_mounted:
            keep_key, keep_row = self.highlighted_key, self.cursor_row
            with self.app.batch_update():
                self.clear(columns=True)
                self._add_columns(widths)
                self._add(self._rows)
                self._restore(keep_key, keep_row)

    def _fit(self) -> list[int]:
        longest = [cell_len(c.label) for c in self.spec]
        for row in self._rows:
            for i, value in enumerate(row.cells[: len(longest)]):
                if self.spec[i].grow:
                    longest[i] = max(longest[i], _width(value))
        room = self.size.width - _SCROLLBAR - 2 * self.cell_padding * len(self.spec)
        return fit_widths(self.spec, longest, room)

    # -- internals -------------------------------------------------------------------------

    def _update_dimensions(self, new_rows: Iterable) -> None:
        """After rows are added (DataTable does this when idle): the table's scrollable size.

        Textual's DataTable measures every cell of every new row here, for columns sized to their
        content: 2,000 measurements for a page of 200 rows, some tens of milliseconds on the UI
        thread while the officer holds an arrow key (the inbox's key p99). Every column of a case
        list has a width (:meth:`_fit`) and every row one line, so nothing needs measuring; only
        a table with a column sized to its content (none here) goes through Textual's own.
        """
        if any(column.auto_width for column in self.columns.values()) or any(
            self.rows[key].label is not None or self.rows[key].auto_height for key in new_rows if key in self.rows
        ):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values()) + self._row_label_column_width
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(width, self._total_row_height + header)

    def _index(self) -> None:
        self._by_key = {r.key: r for r in self._rows}
        self._cases = {r.case_id for r in self._rows if r.case_id is not None}

    def _add_columns(self, widths: list[int]) -> None:
        self._widths = widths
        for column, width in zip(self.spec, widths, strict=True):
            # A Text heading, not a string: DataTable reads a string as markup, and Rich's markup
            # loads its table of 3,600 emoji codes (before the first frame) for nine plain words.
            self.add_column(Text(column.label), width=width, key=column.key or column.label)

    def _add(self, rows: Iterable[ListRow]) -> None:
        for row in rows:
            self.add_row(*row.cells, key=row.key)

    def _restore(self, key: str | None, row: int) -> None:
        if not self.row_count:
            return
        if key is not None and key in self._by_key:
            self.move_cursor(row=self.get_row_index(key), animate=False)
        else:
            self.move_cursor(row=min(row, self.row_count - 1), animate=False)
