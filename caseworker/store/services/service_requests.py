"""Service requests (1.4, 1.5): a request for a service is not a complaint, but it is recorded,
owned, monitored and reviewed; a complaint can be raised from one while it stays open.

Each service checks every field at once and names each wrong one; writes and audit events
go in one transaction.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from caseworker.rules.calendar import short_date
from caseworker.rules.lifecycle import NewCase
from caseworker.store.context import Store
from caseworker.store.models import Officer, Resident, ServiceRequest
from caseworker.store.services.base import (
    CaseRef,
    DomainError,
    actor_for,
    audit,
    claim_row,
    local_time,
    officer_name,
    utcnow,
)
from caseworker.store.services.cases import _log_in, transaction


def _refuse_all(problems: list[tuple[str, str]], code: str) -> None:
    if problems:
        raise DomainError("; ".join(m for _, m in problems), code, problems[0][0])


def add_service_request(
    store: Store,
    login: str,
    resident_id: int | None,
    received: date | None,
    service_area: str,
    description: str,
    *,
    owner: str | None = None,
) -> int:
    """Record a service request (1.4). Returns its id; its reference is ``SR-`` and six digits.

    Args:
        store: the store.
        login: the officer recording it.
        resident_id: the resident who asked.
        received: the date it was received (not in the future).
        service_area: the service asked of (e.g. Repairs).
        description: what the resident asked for.
        owner: the officer who owns it (login); default ``login``.

    Raises:
        DomainError: every missing or wrong field named at once; an unknown resident or owner.
    """
    problems: list[tuple[str, str]] = []
    if resident_id is None:
        problems.append(("resident", "choose the resident who asked"))
    if received is None:
        problems.append(("received", "give the date the request was received"))
    elif received > store.today():
        problems.append(("received", f"the date received ({short_date(received)}) is in the future"))
    if not service_area.strip():
        problems.append(("service_area", "give the service area (e.g. Repairs)"))
    if not description.strip():
        problems.append(("description", "say what the resident asked for"))
    _refuse_all(problems, "1.4")
    owner = (owner or login).strip()
    with transaction(store) as session:
        actor_for(session, login)
        if session.get(Resident, resident_id) is None:
            raise DomainError(f"no resident with id {resident_id}", "", "resident")
        if session.exec(select(Officer.id).where(Officer.login == owner)).first() is None:
            raise DomainError(
                f"{owner!r} is not an officer on this database: choose the owner by login", "1.4", "owner"
            )
        row = ServiceRequest(
            reference=f"TMP-SR-{utcnow(store).timestamp()}-{login}",
            resident_id=resident_id,
            received=received,
            service_area=service_area.strip(),
            description=description.strip(),
            owner=owner,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        row.reference = f"SR-{row.id:06d}"
        session.add(row)
        audit(
            session,
            store,
            login,
            "service request recorded",
            detail=f"{row.reference} ({service_area.strip()}, owner {owner}): {description.strip()}",
            after={
                "service_request": row.reference,
                "resident_id": resident_id,
                "received": received,
                "service_area": service_area.strip(),
                "owner": owner,
            },
        )
        return row.id


def _request(session, request_id: int) -> ServiceRequest:
    row = session.get(ServiceRequest, request_id)
    if row is None:
        raise DomainError(f"no service request with id {request_id}", "", "request")
    return row


def close_service_request(
    store: Store,
    login: str,
    request_id: int,
    outcome: str,
    closed_on: date | None = None,
    *,
    version: int | None = None,
) -> None:
    """Close a service request, saying what was done (1.4). Complaints raised from it are unaffected.

    ``version`` is the request's version as the officer read it (``ServiceRequestRow.version``;
    None: as read now): of two officers closing it at once exactly one succeeds.

    Raises:
        DomainError: no outcome, a date in the future or before the request, an unknown or closed
            request (saying who closed it and when).
        ConcurrentChange: another officer changed the request since ``version``.
    """
    closed_on = closed_on or store.today()
    problems: list[tuple[str, str]] = []
    if not outcome.strip():
        problems.append(("outcome", "say what was done about the request"))
    if closed_on > store.today():
        problems.append(("closed_on", f"the date closed ({short_date(closed_on)}) is in the future"))
    _refuse_all(problems, "1.4")
    with transaction(store) as session:
        actor_for(session, login)
        row = claim_row(
            session, store, ServiceRequest, request_id, version, login, lambda _s, r: f"Service request {r.reference}"
        )
        if row.status == "closed":
            raise DomainError(
                f"{row.reference} was already closed on {short_date(row.closed_on)} by "
                f"{officer_name(session, row.closed_by)} (recorded at {local_time(row.updated_at)})",
                "1.4",
                "request",
            )
        if closed_on < row.received:
            raise DomainError(
                f"the date closed ({short_date(closed_on)}) is before the request was received "
                f"({short_date(row.received)})",
                "1.4",
                "closed_on",
            )
        row.status, row.closed_on, row.closed_by, row.outcome = "closed", closed_on, login, outcome.strip()
        session.add(row)
        audit(
            session,
            store,
            login,
            "service request closed",
            detail=f"{row.reference}: {outcome.strip()}",
            before={"status": "open"},
            after={"status": "closed", "closed_on": closed_on},
        )


def raise_complaint_from_request(
    store: Store, login: str, request_id: int, new: NewCase, *, officer_login: str | None = None
) -> CaseRef:
    """Log a complaint from a service request; the request stays open (1.5).

    The complaint is the resident's and links back to the request (the case shows "raised
    from service request"); all of the complaint's own rules apply as for any new complaint.

    Raises:
        DomainError: an unknown request, or the complaint refused by the rules (naming the field).
    """
    with transaction(store) as session:
        request = _request(session, request_id)
        ref = _log_in(
            session, store, login, request.resident_id, new, service_request_id=request_id, officer_login=officer_login
        )
        audit(
            session,
            store,
            login,
            "complaint raised from service request",
            case_id=ref.id,
            detail=f"{ref.reference} raised from {request.reference}; the request stays open (1.5)",
            after={"service_request": request.reference, "case": ref.reference},
        )
        return ref
