"""The demo database: realistic officers, residents and cases for training and demonstrations.

:func:`build_demo` deletes and rebuilds a separate database (``config.demo_database_url()``,
never the user's own) full of cases worked the way the Complaint Handling Code 2024 says:
every case type in every state, due dates spread around today, extensions within and
beyond the cap, Stage 2 with a different officer (6.13), refusals on each section 2 ground,
remedies worked out by the remedy calculator, outstanding actions (some overdue),
reasonable adjustments (some reviews overdue), contact restrictions, and over two full
financial years of history for the reports.

How it is built: each case is a *plan* (its received date and the working-day lags of each
step) turned into a *timeline* by the calendar; the steps dated up to today are written,
the rest have not happened yet. Recent cases are planned backwards from the due date they
should show today, so the inbox always has cases overdue, due today, due within 2 working
days and later. Rows go in through the driver (multi-row INSERTs on SQLite, COPY on
PostgreSQL, FREEZE into tables truncated in the build's one transaction), ids precomputed,
with foreign keys, secondary indexes and guards set aside until the rows are in
(:mod:`.loading`); a large demo's residents and cases are made in worker processes
(:mod:`.parallel`), which on SQLite hand over each window of rows as a serialized in-memory
database copied in by ``INSERT ... SELECT`` (:mod:`.writer`). A PostgreSQL demo ends with
``VACUUM (ANALYZE)``. SQLModel objects would be several times slower.
Stored due dates are computed by the same arithmetic as
``services.refresh_deadlines``; the tests compare them with ``rules.deadlines``.
A SQLite demo is built in a temporary file beside the target and moved into place, so a
half-built demo is never left behind.

The parts: :mod:`.data` (the fixed text tables), :mod:`.model` (plans and stages in
memory), the builder in layers (:mod:`.base` working days and rows, :mod:`.people`,
:mod:`.steps`, :mod:`.timelines`, :mod:`.plans`, put together in :mod:`.builder`),
:mod:`.writer` (batch inserts on a writer thread), :mod:`.loading`, :mod:`.parallel` and
:mod:`.build` (:func:`build_demo`).
"""

from caseworker.store.demo.build import (
    DEMO_SETTING,
    DemoSummary,
    NotADemoDatabase,
    build_demo,
)

__all__ = ["DEMO_SETTING", "DemoSummary", "NotADemoDatabase", "build_demo"]
