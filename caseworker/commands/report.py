"""``caseworker report --year 2025 [--format md,csv,html,docx] [--out DIR]``: the annual complaints
performance and service improvement report (Code 8.1) for the financial year starting in April
of YEAR, whole: figures and analysis, types refused, Ombudsman determinations and findings of
non-compliance, service improvements, the Ombudsman's annual letter, the governing body's
response and the self-assessment.

With ``--out`` it writes ``complaints-report-2025-26.md`` / ``.csv`` / ``.html`` / ``.docx`` into
the folder (created if missing) and prints each path; without it, Markdown goes to standard
output (the other formats need ``--out``).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from caseworker import inert
from caseworker.cli import CommandError

if TYPE_CHECKING:
    from caseworker.reporting.period import Period

FORMATS = ("md", "csv", "html", "docx")
FIRST_YEAR = 2000


def formats_of(text: str, allowed: tuple[str, ...] = FORMATS) -> list[str]:
    """The formats named in ``--format`` (comma-separated), each one of ``allowed``."""
    names = ", ".join(allowed)
    chosen = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    if not chosen:
        raise CommandError(f"--format: give one or more of {names} (comma-separated)")
    unknown = [f for f in chosen if f not in allowed]
    if unknown:
        raise CommandError(f"--format: unknown format {unknown[0]!r}; choose from {names} (comma-separated)")
    return list(dict.fromkeys(chosen))


def financial_year(year: int, today: date) -> Period:
    """The Period for ``--year``, refused when before 2000 or starting after ``today``."""
    from caseworker.reporting.period import Period, financial_year_of

    if year < FIRST_YEAR:
        raise CommandError(f"--year: {year} is not a financial year caseworker can report on (from {FIRST_YEAR})")
    if year > financial_year_of(today):
        raise CommandError(
            f"--year: the financial year {Period.financial_year(year).label} starts on 1 April {year}, "
            f"after today ({today:%d %B %Y})"
        )
    return Period.financial_year(year)


def write_files(folder: Path, stem: str, contents: dict[str, str | bytes]) -> list[Path]:
    """``reporting.files.write_files``, with a write failure as one line naming the folder."""
    from caseworker.reporting.files import write_files as write

    try:
        return write(folder, stem, contents)
    except OSError as exc:
        raise CommandError(f"--out: cannot write into {folder}: {exc.strerror or exc}", status=1) from None


def run(args) -> int:
    """Build the report and write or print it."""
    formats = formats_of(args.format)
    if args.out is None and formats != ["md"]:
        raise CommandError("--out: give a folder to write csv, html or docx into (only md can be printed)")
    from caseworker.clock import Clock
    from caseworker.commands.common import load, open_store

    settings = load()
    period = financial_year(args.year, Clock(settings.today).today())
    store = open_store(settings)

    from caseworker.reporting.assessment import year_report
    from caseworker.rules.calendar import OutsideCalendar
    from caseworker.rules.policy import PolicyError

    try:
        yr = year_report(store, period)
    except (OutsideCalendar, PolicyError) as exc:
        raise CommandError(str(exc)) from None
    finally:
        store.engine.dispose()
    from caseworker.reporting.files import report_contents
    from caseworker.reporting.render_account import year_markdown

    if args.out is None:
        sys.stdout.write(inert.terminal(year_markdown(yr)))  # control characters shown as marks, never run
        return 0
    contents = report_contents(yr, formats)
    for path in write_files(Path(args.out).expanduser(), f"complaints-report-{period.slug}", contents):
        print(path)
    return 0
