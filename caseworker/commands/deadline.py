"""``caseworker deadline DATE N [--region R] [--explain]``: the date N working days after DATE.

The same working days the due dates use: the region's bank holidays (the configured
region, or ``--region``) and the configured closure days; ``--explain`` names both.
"""

from __future__ import annotations

from caseworker.cli import CommandError
from caseworker.config import ConfigError, load_settings, parse_iso_date
from caseworker.rules.calendar import REGIONS, OutsideCalendar, WorkingCalendar


def run(args) -> int:
    """Print the ISO date first; with ``--explain`` the explanation follows."""
    try:
        start = parse_iso_date(args.date, "DATE")
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    from caseworker.rules import typed

    try:
        n = typed.parse_whole_number(args.n, "working days")
    except ValueError as exc:
        raise CommandError(f"N: {exc}") from None
    if n < 0:
        raise CommandError(f"N: the number of working days must not be negative (got {n})")
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise CommandError(str(exc)) from None
    region = args.region or settings.region
    if region not in REGIONS:
        raise CommandError(f"--region: unknown region {region!r}; choose one of {', '.join(sorted(REGIONS))}")
    # The organisation's closure days apply whatever the region: they are the landlord's own.
    closure = settings.closure_days
    calendar = WorkingCalendar(region, closure)
    try:
        explanation = calendar.explain(start, n)
    except OutsideCalendar as exc:
        raise CommandError(str(exc)) from None
    print(explanation.due.isoformat())
    if args.explain:
        from caseworker.inert import terminal

        print(terminal(explanation.text()))  # closure-day names come from the configuration file
        if closure:
            days = ", ".join(f"{d:%a} {d.day} {d:%b %Y} ({n})" for d, n in sorted(closure.items()))
            print(
                terminal(
                    f"Bank holidays: {region}; closure days from the configuration ({settings.config_path}): {days}"
                )
            )
        else:
            print(f"Bank holidays: {region}; no closure days are configured")
    return 0
