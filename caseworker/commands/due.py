"""``caseworker due [--within N] [--officer LOGIN]``: open cases by next deadline, overdue first.

Plain aligned columns: reference, resident, stage, status, officer, due date (ISO) and
working days left (negative: overdue; 0: due today). Recorded text is printed literally, its
control characters as visible marks (a name holding ESC[2J clears nothing); colours only
when Rich finds a terminal that shows them (never with ``NO_COLOR`` set, never when piped).
"""

from __future__ import annotations

import sys

from caseworker import inert
from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store

_COLOURS = {"red": "red", "amber": "yellow", "green": "green"}
#: What each listed date is for, in words.
KIND_WORDS = {"acknowledge": "acknowledgement", "respond": "response", "action": "action", "update": "update (5.9)"}
HEADER = ("REFERENCE", "RESIDENT", "STAGE", "STATUS", "OFFICER", "FOR", "DUE", "DAYS LEFT")


def run(args) -> int:
    """Print the due list; exit 2 for a negative ``--within`` or an unknown officer."""
    if args.within is not None and args.within < 0:
        raise CommandError(f"--within: the number of working days must not be negative (got {args.within})")
    from caseworker.labels import listed_status
    from caseworker.store.queries.inbox import due_list

    store = open_store(load())
    try:
        try:
            rows = due_list(store, within=args.within, officer_login=args.officer)
        except LookupError:
            raise CommandError(f"--officer: {args.officer!r} is not an officer on this database") from None
    finally:
        store.engine.dispose()
    if not rows:
        scope = f" for {args.officer}" if args.officer else ""
        within = f" due within {args.within} working days" if args.within is not None else ""
        print(inert.terminal(f"No open cases{scope}{within}."))
        return 0
    line = lambda v: inert.visible(v, multiline=False)  # noqa: E731 - one column's text, inert
    table = [HEADER] + [
        (
            line(r.reference),
            line(r.resident),
            str(r.stage),
            listed_status(r.status, r.due_kind),
            line(r.officer_name or "-"),
            KIND_WORDS.get(r.due_kind, "-"),
            r.next_due.isoformat() if r.next_due else "-",
            "" if r.days_left is None else str(r.days_left),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    out = inert.console(sys.stdout)
    for n, row in enumerate(table):
        cells = [row[i].ljust(widths[i]) for i in range(len(HEADER) - 1)] + [row[-1].rjust(widths[-1])]
        style = _COLOURS.get(rows[n - 1].rag, "") if n else "bold"
        out.print(inert.text("  ".join(cells), style), crop=False, overflow="ignore", no_wrap=True)
    overdue = sum(1 for r in rows if r.days_left is not None and r.days_left < 0)
    out.print(f"\n{len(rows)} open case{'s' if len(rows) != 1 else ''}, {overdue} overdue.")
    return 0
