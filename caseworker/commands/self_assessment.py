"""``caseworker self-assessment --year 2025 [--format md,docx] [--out DIR]``: the Code
self-assessment for the financial year starting in April of YEAR, every provision of
sections 1 to 9 with the evidence measured from the record (Code 8.1).

With ``--out`` it writes ``self-assessment-2025-26.md`` / ``.docx`` into the folder and prints
each path; without it, Markdown goes to standard output.
"""

from __future__ import annotations

import sys
from pathlib import Path

from caseworker.cli import CommandError
from caseworker.commands.report import financial_year, formats_of, write_files

FORMATS = ("md", "docx")


def run(args) -> int:
    """Build the self-assessment and write or print it."""
    formats = formats_of(args.format, FORMATS)
    if args.out is None and formats != ["md"]:
        raise CommandError("--out: give a folder to write docx into (only md can be printed)")
    from caseworker.clock import Clock
    from caseworker.commands.common import load, open_store

    settings = load()
    period = financial_year(args.year, Clock(settings.today).today())
    store = open_store(settings)

    from caseworker.reporting.assessment import self_assessment
    from caseworker.reporting.render_account import assessment_markdown
    from caseworker.rules.calendar import OutsideCalendar
    from caseworker.rules.policy import PolicyError

    try:
        sa = self_assessment(store, period)
    except (OutsideCalendar, PolicyError) as exc:
        raise CommandError(str(exc)) from None
    finally:
        store.engine.dispose()
    if args.out is None:
        sys.stdout.write(assessment_markdown(sa))
        return 0
    from caseworker.reporting.files import assessment_contents

    contents = assessment_contents(sa, formats)
    for path in write_files(Path(args.out).expanduser(), f"self-assessment-{period.slug}", contents):
        print(path)
    return 0
