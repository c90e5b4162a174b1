"""Bring in a spreadsheet tracker: check every row, then import all of them in one
transaction, or nothing.

The work is in four steps, one module each: ``reading`` (the file's text and its dates),
``mapping`` (which column holds which field), ``checking`` (every row validated, every
problem found by line and column, without touching a database) and ``writing`` (the
checked rows stored with SQLAlchemy Core bulk inserts in one transaction).
"""

from caseworker.store.tracker_import.checking import (
    Problem,
    TrackerProblems,
    TrackerRow,
    parse_tracker,
)
from caseworker.store.tracker_import.mapping import (
    COLUMNS,
    DATE_COLUMNS,
    OUTCOMES,
    REQUIRED_COLUMNS,
)
from caseworker.store.tracker_import.reading import parse_date
from caseworker.store.tracker_import.writing import ImportSummary, import_rows

__all__ = [
    "COLUMNS", "DATE_COLUMNS", "OUTCOMES", "REQUIRED_COLUMNS", "ImportSummary", "Problem", "TrackerProblems",
    "TrackerRow", "import_rows", "parse_date", "parse_tracker",
]
