"""Bring in a spreadsheet tracker: check every row, then import all of them in one
transaction, or nothing.

The work is in four steps, one module each: ``reading`` (the file: .xlsx or CSV in its
encoding, and dates as people type them), ``mapping`` (which column holds which field),
``checking`` (every row validated, every problem found by line and column, without touching
a database) and ``writing`` (the checked rows stored in batches in one transaction, recorded
as an import batch); ``undo`` removes a batch again.
"""

from caseworker.store.tracker_import.checking import (
    Problem,
    TrackerCheck,
    TrackerProblems,
    TrackerRow,
    check_tracker,
    parse_tracker,
)
from caseworker.store.tracker_import.mapping import (
    COLUMNS,
    DATE_COLUMNS,
    FIELDS,
    OUTCOMES,
    REQUIRED_COLUMNS,
    ColumnMapping,
    MappingError,
    parse_map,
    read_map_file,
)
from caseworker.store.tracker_import.reading import UnreadableFile, parse_date
from caseworker.store.tracker_import.writing import ImportSummary, import_rows

__all__ = [
    "COLUMNS",
    "DATE_COLUMNS",
    "FIELDS",
    "OUTCOMES",
    "REQUIRED_COLUMNS",
    "ColumnMapping",
    "ImportSummary",
    "MappingError",
    "Problem",
    "TrackerCheck",
    "TrackerProblems",
    "TrackerRow",
    "UnreadableFile",
    "check_tracker",
    "import_rows",
    "parse_date",
    "parse_map",
    "parse_tracker",
    "read_map_file",
]
