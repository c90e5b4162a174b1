"""Read queries about people, for forms: find a resident by name (or address, email, phone,
case reference) for the resident picker. Returns frozen dataclasses, never ORM objects."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from caseworker.rules.facts import LIVE_STATUSES
from caseworker.store.context import Store
from caseworker.store.models import Adjustment, Case, Resident, Restriction


@dataclass(frozen=True)
class ResidentMatch:
    """A resident found by a search, with enough to tell namesakes apart."""

    id: int
    name: str
    address: str
    email: str
    phone: str
    open_cases: int
    adjustments: int  # active adjustments
    restricted: bool  # an active contact restriction

    @property
    def label(self) -> str:
        """``Mrs Jane Smith — 1 Road, Town · 1 open case``."""
        where = self.address.replace("\n", ", ").strip() or self.email or self.phone
        extra = [f"{self.open_cases} open case{'s' if self.open_cases != 1 else ''}"] if self.open_cases else []
        if self.adjustments:
            extra.append("adjustments")
        if self.restricted:
            extra.append("contact restriction")
        return self.name + (f" — {where}" if where else "") + (f" · {', '.join(extra)}" if extra else "")


def _pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def find_residents(store: Store, text: str, limit: int = 20) -> list[ResidentMatch]:
    """Residents whose name (or address, email, phone or a case reference) contains ``text``,
    names starting with it first.

    Every word typed must match somewhere, so "smith 12 high" finds Jane Smith of 12 High Street.
    An empty search returns the most recently added residents.
    """
    words = [w for w in (text or "").split() if w]
    live = [s.value for s in LIVE_STATUSES]
    open_cases = (
        select(func.count())
        .select_from(Case)
        .where(Case.resident_id == Resident.id, Case.status.in_(live))
        .scalar_subquery()
    )
    adjustments = (
        select(func.count())
        .select_from(Adjustment)
        .where(Adjustment.resident_id == Resident.id, Adjustment.active == True)
        .scalar_subquery()
    )
    restricted = (
        select(func.count())
        .select_from(Restriction)
        .where(Restriction.resident_id == Resident.id, Restriction.active == True)
        .scalar_subquery()
    )
    q = select(
        Resident.id,
        Resident.name,
        Resident.address,
        Resident.email,
        Resident.phone,
        open_cases,
        adjustments,
        restricted,
    )
    if words:
        q = q.where(
            and_(
                *[
                    or_(
                        *[
                            col.ilike(_pattern(w), escape="\\")
                            for col in (Resident.name, Resident.address, Resident.email, Resident.phone)
                        ],
                        Resident.id.in_(  # a case reference of theirs
                            select(Case.resident_id).where(Case.reference.ilike(_pattern(w), escape="\\"))
                        ),
                    )
                    for w in words
                ]
            )
        )
        starts = Resident.name.ilike(_pattern(words[0])[1:], escape="\\")
        q = q.order_by(starts.desc(), Resident.name, Resident.id)
    else:
        q = q.order_by(Resident.id.desc())
    with store.session() as s:
        rows = s.exec(q.limit(max(1, min(limit, 200)))).all()
    return [
        ResidentMatch(
            id=i,
            name=n,
            address=a or "",
            email=e or "",
            phone=p or "",
            open_cases=int(c or 0),
            adjustments=int(adj or 0),
            restricted=bool(r),
        )
        for i, n, a, e, p, c, adj, r in rows
    ]


__all__ = ["ResidentMatch", "find_residents"]
