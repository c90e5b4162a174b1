"""``caseworker due [--within N] [--officer LOGIN]``: open cases by next deadline, overdue first.

Plain aligned columns: reference, resident, stage, status, officer, due date (ISO) and
working days left (negative: overdue; 0: due today). Colours only on a terminal (and never
with ``NO_COLOR`` set).
"""

from __future__ import annotations

import os
import sys

from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store

_COLOURS = {"red": "\033[31m", "amber": "\033[33m", "green": "\033[32m"}
_RESET = "\033[0m"
#: Statuses in words (never the stored codes).
STATUS_WORDS = {
    "awaiting-acknowledgement": "to acknowledge", "open": "investigating", "responded": "responded",
    "not-accepted": "not accepted", "escalation-refused": "escalation refused", "withdrawn": "withdrawn",
    "closed": "closed",
}
#: What each listed date is for, in words.
KIND_WORDS = {"acknowledge": "acknowledgement", "respond": "response", "action": "action", "update": "update (5.9)"}
HEADER = ("REFERENCE", "RESIDENT", "STAGE", "STATUS", "OFFICER", "FOR", "DUE", "DAYS LEFT")


def _use_colour(stream) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def run(args) -> int:
    """Print the due list; exit 2 for a negative ``--within`` or an unknown officer."""
    if args.within is not None and args.within < 0:
        raise CommandError(f"--within: the number of working days must not be negative (got {args.within})")
    from caseworker.store.queries import due_list
    from caseworker.widgets.countdown import listed_status

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
        print(f"No open cases{scope}{within}.")
        return 0
    table = [HEADER] + [
        (r.reference, r.resident, str(r.stage), listed_status(r.status, r.due_kind, STATUS_WORDS), r.officer_name or "-",
         KIND_WORDS.get(r.due_kind, "-"), r.next_due.isoformat() if r.next_due else "-", "" if r.days_left is None else str(r.days_left))
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    colour = _use_colour(sys.stdout)
    for n, row in enumerate(table):
        cells = [row[i].ljust(widths[i]) for i in range(len(HEADER) - 1)] + [row[-1].rjust(widths[-1])]
        line = "  ".join(cells)
        if colour and n and rows[n - 1].rag in _COLOURS:
            line = f"{_COLOURS[rows[n - 1].rag]}{line}{_RESET}"
        print(line)
    overdue = sum(1 for r in rows if r.days_left is not None and r.days_left < 0)
    print(f"\n{len(rows)} open case{'s' if len(rows) != 1 else ''}, {overdue} overdue.")
    return 0
