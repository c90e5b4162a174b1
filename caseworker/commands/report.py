"""``caseworker report --year 2025 [--format md,csv,html] [--out DIR]``: the annual complaints
performance report for the financial year starting in April of YEAR.

With ``--out`` it writes ``complaints-report-2025-26.md`` / ``.csv`` / ``.html`` into the
folder (created if missing) and prints each path; without it, Markdown goes to standard
output (CSV and HTML need ``--out``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from caseworker.cli import CommandError

FORMATS = ("md", "csv", "html")
FIRST_YEAR = 2000


def _formats(text: str) -> list[str]:
    chosen = [f.strip().lower().lstrip(".") for f in text.split(",") if f.strip()]
    if not chosen:
        raise CommandError("--format: give one or more of md, csv, html (comma-separated)")
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise CommandError(f"--format: unknown format {unknown[0]!r}; choose from md, csv, html (comma-separated)")
    return list(dict.fromkeys(chosen))


def run(args) -> int:
    """Build the report and write or print it."""
    formats = _formats(args.format)
    if args.out is None and formats != ["md"]:
        raise CommandError("--out: give a folder to write csv or html into (only md can be printed)")
    from caseworker.clock import Clock
    from caseworker.commands.common import load, open_store
    from caseworker.reporting.period import Period, financial_year_of

    settings = load()
    today = Clock(settings.today).today()
    if args.year < FIRST_YEAR:
        raise CommandError(f"--year: {args.year} is not a financial year caseworker can report on (from {FIRST_YEAR})")
    if args.year > financial_year_of(today):
        raise CommandError(
            f"--year: the financial year {args.year}-{(args.year + 1) % 100:02d} starts on 1 April {args.year}, "
            f"after today ({today:%d %B %Y})"
        )
    period = Period.financial_year(args.year)
    store = open_store(settings)

    from caseworker.reporting import annual_report, to_csv, to_html, to_markdown
    from caseworker.rules.calendar import OutsideCalendar
    from caseworker.rules.policy import PolicyError

    try:
        report = annual_report(store, period)
    except (OutsideCalendar, PolicyError) as exc:
        raise CommandError(str(exc)) from None
    finally:
        store.engine.dispose()
    render = {"md": to_markdown, "csv": to_csv, "html": to_html}
    if args.out is None:
        sys.stdout.write(to_markdown(report))
        return 0
    folder = Path(args.out).expanduser()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for fmt in formats:
            path = folder / f"complaints-report-{period.slug}.{fmt}"
            path.write_text(render[fmt](report), encoding="utf-8", newline="")
            print(path)
    except OSError as exc:
        raise CommandError(f"--out: cannot write into {folder}: {exc.strerror or exc}", status=1) from None
    return 0
