"""``caseworker service-request add|list|close|raise``: the service request register (Code 1.4,
1.5) from the command line.

- ``add --resident NAME --area AREA --description TEXT [--received DATE] [--owner LOGIN]``
  records one (a resident not yet on the database is added, with ``--address``);
- ``list [--all]`` prints the register with each request's age in working days;
- ``close SR-000001 --outcome TEXT`` closes one;
- ``raise SR-000001 --summary TEXT [--channel C] [--received DATE]`` logs a complaint from it,
  leaving the request open.

Bad input exits 2 naming the option; a refusal by the rules exits 1 with its Code paragraph.
"""

from __future__ import annotations

from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store


def _date(text: str | None, option: str, today):
    """The date typed for ``option`` (today when not given), worded as the forms word it."""
    from caseworker.rules import typed

    if not text:
        return today
    try:
        return typed.parse_date(text)
    except ValueError as exc:
        raise CommandError(f"service-request: {option}: {exc}") from None


def _channel(text: str) -> str:
    """The stored channel for ``--channel`` (as the log form offers them), or exit 2 naming it."""
    from caseworker.rules import typed

    try:
        return typed.channel_value(text)
    except ValueError as exc:
        raise CommandError(f"service-request: --channel: {exc}") from None


def _refused(exc) -> CommandError:
    ref = f" (Code {exc.code_ref})" if getattr(exc, "code_ref", "") else ""
    return CommandError(f"service-request: {exc.message}{ref}", status=1)


def _resident_id(store, login: str, name: str, address: str) -> int:
    from sqlmodel import func, select

    from caseworker.store import services as sv
    from caseworker.store.models import Resident

    wanted = name.strip()
    if not wanted:
        raise CommandError("service-request: --resident: give the resident's name")
    with store.session() as s:
        found = s.exec(select(Resident.id, Resident.address).where(func.lower(Resident.name) == wanted.lower())).all()
    if len(found) > 1:
        where = "; ".join(f"id {i}: {a.splitlines()[0] if a else 'no address'}" for i, a in found[:5])
        raise CommandError(
            f"service-request: --resident: {len(found)} residents are called {wanted!r} ({where}); "
            "record this one in the app, where you can pick the right one"
        )
    if found:
        return found[0][0]
    return sv.add_resident(store, login, wanted, address=address)


def _table(rows) -> None:
    header = ("REFERENCE", "RECEIVED", "AGE (WD)", "RESIDENT", "AREA", "OWNER", "STATUS", "COMPLAINTS", "ASKED FOR")
    body = [
        (
            r.reference,
            r.received.isoformat(),
            str(r.age_days),
            r.resident,
            r.service_area,
            r.owner or "-",
            r.status if r.status == "open" else f"closed {r.closed_on.isoformat() if r.closed_on else ''}".strip(),
            ", ".join(r.complaints) or "-",
            " ".join(r.description.split())[:60],
        )
        for r in rows
    ]
    widths = [max(len(x[i]) for x in [header, *body]) for i in range(len(header))]
    for line in [header, *body]:
        print("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip())


def run(args) -> int:
    """Run one service-request sub-command."""
    from caseworker.store import services as sv
    from caseworker.store.queries.service_requests import service_request_by_reference, service_requests

    store = open_store(load())
    try:
        try:
            login = sv.current_officer(store).login
            today = store.today()
            if args.sr_command == "list":
                rows = service_requests(store, include_closed=args.all)
                if not rows:
                    print("No open service requests." if not args.all else "No service requests.")
                    return 0
                _table(rows)
                print(f"\n{len(rows)} service request(s); {sum(r.status == 'open' for r in rows)} open.")
                return 0
            if args.sr_command == "add":
                received = _date(args.received, "--received", today)
                resident_id = _resident_id(store, login, args.resident, args.address)
                rid = sv.add_service_request(
                    store, login, resident_id, received, args.area, args.description, owner=args.owner
                )
                added = next(r for r in service_requests(store, include_closed=True) if r.id == rid)
                print(f"Service request {added.reference} recorded for {added.resident} (owner {added.owner}).")
                return 0
            row = service_request_by_reference(store, args.reference)
            if row is None:
                raise CommandError(f"service-request: there is no service request {args.reference!r}")
            if args.sr_command == "close":
                sv.close_service_request(store, login, row.id, args.outcome)
                print(f"{row.reference} closed.")
                return 0
            from caseworker.rules.lifecycle import CaseType, NewCase

            new = NewCase(
                CaseType.COMPLAINT,
                _date(args.received, "--received", today),
                _channel(args.channel),
                row.service_area,
                args.category,
                args.summary,
            )
            ref = sv.raise_complaint_from_request(store, login, row.id, new)
            print(f"Complaint {ref.reference} raised from {row.reference}; the service request stays open.")
            return 0
        except sv.DomainError as exc:
            raise _refused(exc) from None
    finally:
        store.engine.dispose()
