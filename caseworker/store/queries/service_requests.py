"""Read models for the service request register (1.4): each request with its resident, owner,
age in working days, and the complaints raised from it (1.5)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_
from sqlmodel import select

from caseworker.store.context import Store
from caseworker.store.models import Case, Resident, ServiceRequest


@dataclass(frozen=True)
class ServiceRequestRow:
    """One service request in the register."""

    id: int
    reference: str
    resident_id: int
    resident: str
    received: date
    service_area: str
    description: str
    owner: str
    status: str  # "open" or "closed"
    closed_on: date | None
    outcome: str
    age_days: int  # working days from received to today (or to the day it closed)
    complaints: tuple[str, ...]  # references of complaints raised from it
    version: int = 1  # what a change is checked against (another officer may change it meanwhile)


def service_requests(
    store: Store, *, include_closed: bool = False, search: str = "", limit: int = 2000
) -> list[ServiceRequestRow]:
    """The register, oldest open request first (the ones most in need of review), closed ones after.

    Args:
        include_closed: closed requests too.
        search: a reference prefix or part of the resident's name, area or description (ignoring case).
        limit: at most this many rows.
    """
    cal, today = store.calendar, store.today()
    with store.session() as s:
        q = select(ServiceRequest, Resident.name).join(Resident, Resident.id == ServiceRequest.resident_id)
        if not include_closed:
            q = q.where(ServiceRequest.status == "open")
        term = search.strip()
        if term:
            like = f"%{term}%"
            q = q.where(
                or_(
                    ServiceRequest.reference.ilike(f"{term}%"),
                    Resident.name.ilike(like),
                    ServiceRequest.service_area.ilike(like),
                    ServiceRequest.description.ilike(like),
                )
            )
        q = q.order_by(ServiceRequest.status.desc(), ServiceRequest.received, ServiceRequest.id).limit(limit)
        rows = s.exec(q).all()
        ids = [r.id for r, _ in rows]
        raised: dict[int, list[str]] = {}
        for i in range(0, len(ids), 500):
            for sid, ref in s.exec(
                select(Case.service_request_id, Case.reference)
                .where(Case.service_request_id.in_(ids[i : i + 500]))
                .order_by(Case.id)
            ).all():
                raised.setdefault(sid, []).append(ref)
    return [
        ServiceRequestRow(
            id=r.id,
            reference=r.reference,
            resident_id=r.resident_id,
            resident=name,
            received=r.received,
            service_area=r.service_area,
            description=r.description,
            owner=r.owner,
            status=r.status,
            closed_on=r.closed_on,
            outcome=r.outcome,
            age_days=max(0, cal.count(r.received, r.closed_on or today)),
            complaints=tuple(raised.get(r.id, ())),
            version=r.version,
        )
        for r, name in rows
    ]


def service_request_by_reference(store: Store, reference: str) -> ServiceRequestRow | None:
    """One request by its reference (any status), or None."""
    ref = reference.strip().upper()
    for row in service_requests(store, include_closed=True, search=ref, limit=50):
        if row.reference == ref:
            return row
    return None
