"""``caseworker case REF [--json]``: one case's record for people and scripts.

Who the case is about and who handles it, and per stage its events (received or
requested, acknowledged, extended, responded) with their deadlines and whether each was
met, as the Housing Ombudsman judges it. ``--json`` prints the same as one JSON object;
a reference that names no case is one line on standard error and exit status 2.
"""

from __future__ import annotations

import json
from datetime import date

from caseworker import inert, labels
from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store
from caseworker.rules.money import format_pounds


def _plain(text: str) -> str:
    """Stored text made inert for a terminal (inert.terminal: control characters shown as marks)."""
    return inert.terminal(text)


def _when(ok: bool | None) -> str:
    return {True: "in time", False: "LATE / MISSED", None: "not yet due"}[ok]


def run(args) -> int:
    """Print the case's record (text or ``--json``)."""
    from caseworker.store.queries.record import case_record, record_json

    reference = (args.reference or "").strip()
    if not reference:
        raise CommandError("REF: give a case reference, e.g. CMP-000123")
    store = open_store(load())
    try:
        try:
            rec = case_record(store, reference)
        except LookupError:
            raise CommandError(f"REF: no case with reference {_plain(reference)!r}") from None
    finally:
        store.engine.dispose()
    if args.json:
        print(json.dumps(record_json(rec), indent=2, ensure_ascii=False))
        return 0
    logged = f", logged {rec.logged:%d %b %Y}" if rec.logged and rec.logged != rec.received else ""
    print(
        f"{rec.reference}  {labels.case_type(rec.case_type)}  Stage {rec.stage}  {labels.status(rec.status)}  ({rec.policy_key})"
    )
    print(
        f"Resident: {_plain(rec.resident)}"
        + (f"; representative: {_plain(rec.representative)}" if rec.representative else "")
    )
    print(
        f"Officer: {_plain(rec.officer) or '-'}; {_plain(rec.service_area) or '-'} / {_plain(rec.category) or '-'}; "
        f"received {rec.received:%d %b %Y}{logged} {_plain(labels.received_by(rec.channel)) or '(how it came in not recorded)'}"
    )
    for s in rec.stages:
        print(
            f"\nStage {s.number} ({s.policy_key}), officer {_plain(s.officer) or '-'}, "
            f"{'received' if s.number == 1 else 'escalation requested'} {s.requested:%d %b %Y}"
        )
        for name, e in (("acknowledgement", s.acknowledgement), ("response", s.response)):
            due = f"due {e.due:%d %b %Y}" if e.due else "no deadline yet"
            done = f"done {e.done:%d %b %Y}" if e.done else "not done"
            print(f"  {name:<16} {due}; {done}: {_when(e.within)} (Code {e.code_ref})")
            if e.promised is not None and e.code_due is not None and e.code_due != e.promised:
                print(
                    f"  {'':<16} promised to the resident {e.promised:%d %b %Y}; the Code's date is {e.code_due:%d %b %Y}"
                )
        for x in s.extensions:
            late = " (told late: not counted)" if x["told_late"] else ""
            print(f"  extension        {x['working_days']} working days, resident told {x['resident_told']}{late}")
        for b in s.breaches:
            print(f"  breach           {b}")
    if rec.remedies:
        print("\nRemedies")
    for r in rec.remedies:
        money = f" {format_pounds(r['amount_pence'])}" if r["amount_pence"] else ""
        print(f"  Stage {r['stage']} {r['kind']}{money}, {r['state']}: {_plain(r['what'])}")
        dates = [f"offered {_day(r['offered'])}", f"by {_day(r['by_when'])}"]
        dates += [f"{w} {_day(r[w])}" for w in ("accepted", "declined", "paid", "completed") if r[w]]
        if r["paid"]:
            dates.append(f"payment reference {_plain(r['payment_reference'] or 'not recorded')}")
        print("    " + "; ".join(dates))
        if r["worked_out"]:
            print(f"    worked out: {_plain(r['worked_out'])}")
        if r["guidance_reason"]:
            print(f"    under the {r['guidance']}, not the guidance in force, because: {_plain(r['guidance_reason'])}")
    return 0


def _day(iso: str) -> str:
    return f"{date.fromisoformat(iso):%d %b %Y}"
