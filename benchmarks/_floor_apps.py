"""The floors: the smallest Textual apps that do what the caseworker app does.

Run as a script (by ``_pty.py``, in a real pseudo-terminal)::

    python benchmarks/_floor_apps.py bare          # Header + Static
    python benchmarks/_floor_apps.py heavy         # the same, with textual, sqlmodel and holidays imported first
    python benchmarks/_floor_apps.py table 1000    # Header + a 1,000-row DataTable + Footer

Each app shows ``FLOOR_MARKER`` in its first frame (``table`` only once its rows are in,
so the harness sees "filled"). ``ctrl+q`` quits (Textual's default). :class:`TableApp` is
also driven in-process by ``_inbox_keys.py`` for the key-press floor.
"""

from __future__ import annotations

import sys

MARKER = "FLOOR-READY"
FILLED = "FLOOR-FILLED"
COLUMNS = (
    ("Reference", 12),
    ("Resident", 24),
    ("Type", 9),
    ("St", 3),
    ("Status", 16),
    ("Officer", 10),
    ("Next deadline", 16),
    ("Left", 6),
    ("Flags", 6),
)


def fake_rows(n: int) -> list[tuple[str, ...]]:
    """Rows shaped like the inbox's (same columns, similar widths), no database."""
    words = ("to acknowledge", "investigating", "responded")
    return [
        (
            f"CMP-{i:06d}",
            f"Resident Number {i}",
            "Complaint",
            str(1 + i % 2),
            words[i % 3],
            f"officer{i % 7}",
            f"Mon {1 + i % 28:02d} Dec",
            str(i % 20),
            "AR"[i % 2],
        )
        for i in range(n)
    ]


def bare_app():
    from textual.app import App
    from textual.widgets import Header, Static

    class BareApp(App):
        def compose(self):
            yield Header()
            yield Static(MARKER)

    return BareApp()


def table_app_class():
    from textual.app import App
    from textual.widgets import DataTable, Footer, Header, Static

    class TableApp(App):
        """Header, a DataTable filled in one batch on mount, a status line and the Footer."""

        CSS = "DataTable { height: 1fr; } #status { height: 1; }"

        def __init__(self, rows: int = 1000) -> None:
            super().__init__()
            self.n_rows = rows

        def compose(self):
            yield Header()
            yield DataTable(id="cases", cursor_type="row", zebra_stripes=True)
            yield Static(MARKER, id="status")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            for label, width in COLUMNS:
                table.add_column(label, width=width, key=label)
            with self.batch_update():
                for i, row in enumerate(fake_rows(self.n_rows)):
                    table.add_row(*row, key=str(i))
            self.query_one("#status", Static).update(f"{FILLED} {self.n_rows} rows")
            table.focus()

    return TableApp


def main(argv: list[str]) -> None:
    kind = argv[0] if argv else "bare"
    if kind == "heavy":
        import holidays  # noqa: F401
        import sqlmodel  # noqa: F401
        import textual.app  # noqa: F401

        app = bare_app()
    elif kind == "bare":
        app = bare_app()
    elif kind == "table":
        app = table_app_class()(int(argv[1]) if len(argv) > 1 else 1000)
    else:
        raise SystemExit(f"unknown floor app {kind!r}: bare, heavy or table")
    app.run()


if __name__ == "__main__":
    main(sys.argv[1:])
