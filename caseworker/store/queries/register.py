"""Read model for the adjustments register: disclosed disabilities, agreed reasonable
adjustments and contact restrictions across residents, with reviews overdue or due soon
first and each resident's open cases.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, union_all

from caseworker.store.context import Store
from caseworker.store.models import Adjustment, Case, Disability, Resident, Restriction
from caseworker.store.queries.inbox import _not_closed

#: Reviews falling due within this many calendar days count as "due" in the register.
REVIEW_DUE_DAYS = 14


@dataclass(frozen=True)
class RegisterRow:
    """A disclosed disability, agreed adjustment or contact restriction of one resident."""

    kind: str  # "disability", "adjustment" or "restriction"
    item_id: int
    resident_id: int
    resident: str
    what: str
    detail: str
    since: date  # disclosed, agreed or started
    review_date: date | None
    review: str  # "overdue", "due" (within 14 days) or ""
    active: bool
    open_cases: tuple[str, ...]  # references of the resident's open cases
    version: int = 1  # of the adjustment or restriction: pass to services.record_review


@dataclass(frozen=True)
class Register:
    """The adjustments register: overdue reviews first, then due, then by review date."""

    today: date
    rows: tuple[RegisterRow, ...]
    overdue: int
    due: int


def _review_state(active: bool, review: date | None, today: date) -> str:
    if not active or review is None:
        return ""
    if review < today:
        return "overdue"
    if review <= today + timedelta(days=REVIEW_DUE_DAYS):
        return "due"
    return ""


def register(store: Store) -> Register:
    """Disclosed disabilities, agreed adjustments and contact restrictions across residents."""
    today = store.today()
    with store.session() as s:
        items: list[tuple] = []  # kind, id, resident_id, name, what, detail, since, review, active, version
        for i, rid, name, desc, on in s.exec(
            select(
                Disability.id, Disability.resident_id, Resident.name, Disability.description, Disability.disclosed_on
            ).join(Resident, Resident.id == Disability.resident_id)
        ).all():
            items.append(("disability", i, rid, name, desc, "", on, None, True, 1))
        for i, rid, name, kind, details, on, review, active, version in s.exec(
            select(
                Adjustment.id,
                Adjustment.resident_id,
                Resident.name,
                Adjustment.kind,
                Adjustment.details,
                Adjustment.agreed_on,
                Adjustment.review_date,
                Adjustment.active,
                Adjustment.version,
            ).join(Resident, Resident.id == Adjustment.resident_id)
        ).all():
            items.append(("adjustment", i, rid, name, kind, details, on, review, active, version))
        for i, rid, name, what, evidence, by, on, review, active, version in s.exec(
            select(
                Restriction.id,
                Restriction.resident_id,
                Resident.name,
                Restriction.restriction,
                Restriction.evidence,
                Restriction.authorised_by,
                Restriction.starts_on,
                Restriction.review_date,
                Restriction.active,
                Restriction.version,
            ).join(Resident, Resident.id == Restriction.resident_id)
        ).all():
            items.append(
                (
                    "restriction",
                    i,
                    rid,
                    name,
                    what,
                    f"authorised by {by}; evidence: {evidence}",
                    on,
                    review,
                    active,
                    version,
                )
            )
        residents = union_all(
            select(Disability.resident_id), select(Adjustment.resident_id), select(Restriction.resident_id)
        ).subquery()
        open_cases: dict[int, list[str]] = {}
        for rid, ref in s.exec(
            select(Case.resident_id, Case.reference)
            .where(_not_closed(scan=True), Case.resident_id.in_(select(residents.c[0])))
            .order_by(Case.reference)
        ).all():
            open_cases.setdefault(rid, []).append(ref)
    rows = [
        RegisterRow(
            kind=k,
            item_id=i,
            resident_id=rid,
            resident=name,
            what=what,
            detail=detail,
            since=since,
            review_date=review,
            review=_review_state(active, review, today),
            active=active,
            open_cases=tuple(open_cases.get(rid, ())),
            version=version,
        )
        for k, i, rid, name, what, detail, since, review, active, version in items
    ]
    rank = {"overdue": 0, "due": 1, "": 2}
    rows.sort(
        key=lambda r: (
            rank[r.review],
            not r.active,
            r.review_date is None,
            r.review_date or date.max,
            r.resident.casefold(),
            r.kind,
            r.item_id,
        )
    )
    return Register(
        today=today,
        rows=tuple(rows),
        overdue=sum(r.review == "overdue" for r in rows),
        due=sum(r.review == "due" for r in rows),
    )
