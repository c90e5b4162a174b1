"""Services for people and their registers: officers and roles, residents, representatives
with consent (3.6), disclosed disabilities and reasonable adjustments (5.10), contact
restrictions (5.14, 5.15) and their reviews.
Service requests (1.4, 1.5) are in ``service_requests``."""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from datetime import date

from sqlmodel import func, select

from caseworker.rules import registers
from caseworker.rules.facts import Refusal, Role
from caseworker.store.context import Store
from caseworker.store.models import (
    Adjustment,
    Disability,
    Officer,
    Representative,
    Resident,
    Restriction,
    Review,
)
from caseworker.store.services.base import DomainError, actor_for, audit, claim_row, refuse, utcnow
from caseworker.store.services.cases import transaction


@dataclass(frozen=True)
class CurrentOfficer:
    """Who is working: login, name and role."""

    id: int
    login: str
    name: str
    role: Role

    @property
    def supervises(self) -> bool:
        """Supervisors and administrators see the team and allocate Stage 2."""
        return self.role in (Role.SUPERVISOR, Role.ADMINISTRATOR)


def system_login() -> str:
    """The operating-system login of the person at the keyboard."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name available (e.g. a service account)
        return "officer"


def current_officer(store: Store, login: str | None = None, name: str | None = None) -> CurrentOfficer:
    """The officer record for this login; on a new database the first login becomes its administrator."""
    login = login or system_login()
    with transaction(store) as session:
        officer = session.exec(select(Officer).where(Officer.login == login)).first()
        if officer is None:
            if session.exec(select(func.count()).select_from(Officer)).one():
                raise DomainError(
                    f"your login {login!r} is not an officer on this database: ask an administrator to add you", "", "officer",
                )
            officer = Officer(login=login, name=name or login, role=Role.ADMINISTRATOR.value, created_at=utcnow(store))
            session.add(officer)
            session.flush()
            audit(session, store, login, "officer added", detail=f"{login} became the first administrator")
        if not officer.active:
            raise DomainError(f"{login} is no longer an active officer", "", "officer")
        return CurrentOfficer(officer.id, officer.login, officer.name, Role(officer.role))


def add_officer(store: Store, login: str, new_login: str, name: str, role: Role = Role.OFFICER, email: str = "") -> int:
    """An administrator adds an officer."""
    new_login = new_login.strip()
    if not new_login:
        raise DomainError("a login is required", "", "login")
    with transaction(store) as session:
        actor, _ = actor_for(session, login)
        if actor.role != Role.ADMINISTRATOR:
            raise DomainError("only an administrator adds officers", "", "role")
        if session.exec(select(Officer).where(Officer.login == new_login)).first():
            raise DomainError(f"there is already an officer {new_login!r}", "", "login")
        officer = Officer(login=new_login, name=name.strip() or new_login, role=Role(role).value, email=email,
                          created_at=utcnow(store))
        session.add(officer)
        session.flush()
        audit(session, store, login, "officer added", detail=f"{new_login} ({role})", after={"login": new_login, "role": role})
        return officer.id


def set_officer(
    store: Store, login: str, target: str, *, role: Role | None = None, active: bool | None = None,
    version: int | None = None,
) -> None:
    """An administrator changes an officer's role or marks them inactive.

    ``version`` is the officer record's version as read (None: as read now); a change made
    since raises ConcurrentChange naming who made it and when.
    """
    with transaction(store) as session:
        actor, _ = actor_for(session, login)
        if actor.role != Role.ADMINISTRATOR:
            raise DomainError("only an administrator changes officers' roles", "", "role")
        found = session.exec(select(Officer.id).where(Officer.login == target)).first()
        if found is None:
            raise DomainError(f"unknown officer {target!r}", "", "officer")
        officer = claim_row(session, store, Officer, found, version, login, lambda _s, o: f"The officer record of {o.login}")
        before = {"role": officer.role, "active": officer.active}
        if role is not None:
            officer.role = Role(role).value
        if active is not None:
            officer.active = active
        session.add(officer)
        audit(session, store, login, "officer changed", detail=target, before=before,
              after={"role": officer.role, "active": officer.active})


# -- residents and representatives -------------------------------------------------------


def add_resident(
    store: Store, login: str, name: str, *, address: str = "", email: str = "", phone: str = "",
    preferred_channel: str = "", vulnerable: bool = False, vulnerability_notes: str = "",
) -> int:
    """Record a resident."""
    if not name.strip():
        raise DomainError("the resident's name is required", "5.12", "name")
    with transaction(store) as session:
        actor_for(session, login)
        resident = Resident(name=name.strip(), address=address, email=email, phone=phone,
                            preferred_channel=preferred_channel, vulnerable=vulnerable,
                            vulnerability_notes=vulnerability_notes, created_at=utcnow(store))
        session.add(resident)
        session.flush()
        audit(session, store, login, "resident added", detail=resident.name, after={"name": resident.name})
        return resident.id


def add_representative(
    store: Store, login: str, resident_id: int, name: str, *, relationship: str = "", address: str = "",
    email: str = "", consent_recorded: bool = False, consent_date: date | None = None, consent_notes: str = "",
) -> int:
    """Record someone acting for a resident; they may act only with consent recorded (3.6)."""
    refuse(
        Refusal("the representative's name is required", "3.6", "name") if not name.strip() else None,
        Refusal("record the resident's consent (and its date) before a representative acts for them", "3.6", "consent_recorded")
        if not consent_recorded or consent_date is None else None,
    )
    with transaction(store) as session:
        actor_for(session, login)
        resident = session.get(Resident, resident_id)
        if resident is None:
            raise DomainError(f"no resident with id {resident_id}", "", "resident")
        rep = Representative(resident_id=resident_id, name=name.strip(), relationship=relationship, address=address,
                             email=email, consent_recorded=consent_recorded, consent_date=consent_date,
                             consent_notes=consent_notes, created_at=utcnow(store))
        session.add(rep)
        session.flush()
        audit(session, store, login, "representative added", detail=f"{rep.name} for {resident.name}",
              after={"name": rep.name, "consent_date": consent_date})
        return rep.id


# -- disabilities, adjustments, restrictions, reviews ------------------------------------


def record_disability(store: Store, login: str, resident_id: int, description: str, disclosed_on: date) -> int:
    """Record a disability the resident disclosed (5.10)."""
    refuse(registers.check_disability(description, disclosed_on, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        row = Disability(resident_id=resident_id, description=description.strip(), disclosed_on=disclosed_on,
                         recorded_by=login, created_at=utcnow(store))
        session.add(row)
        session.flush()
        audit(session, store, login, "disability recorded", detail=description, after={"resident_id": resident_id})
        return row.id


def add_adjustment(store: Store, login: str, resident_id: int, kind: str, review_date: date | None,
                   details: str = "", agreed_on: date | None = None) -> int:
    """Record a reasonable adjustment agreed with the resident, with its review date (5.10)."""
    refuse(registers.check_adjustment(kind, review_date, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        if session.get(Resident, resident_id) is None:
            raise DomainError(f"no resident with id {resident_id}", "", "resident")
        row = Adjustment(resident_id=resident_id, kind=kind.strip(), details=details, agreed_on=agreed_on or store.today(),
                         review_date=review_date, recorded_by=login, created_at=utcnow(store))
        session.add(row)
        session.flush()
        audit(session, store, login, "adjustment agreed", detail=f"{kind}: {details}".strip(": "),
              after={"resident_id": resident_id, "kind": kind, "review_date": review_date})
        return row.id


def add_restriction(store: Store, login: str, resident_id: int, restriction: str, evidence: str,
                    authorised_by: str, review_date: date | None, starts_on: date | None = None) -> int:
    """Record a contact restriction: proportionate, evidenced, authorised, reviewed (5.14, 5.15)."""
    refuse(registers.check_restriction(restriction, evidence, authorised_by, review_date, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        if session.get(Resident, resident_id) is None:
            raise DomainError(f"no resident with id {resident_id}", "", "resident")
        row = Restriction(resident_id=resident_id, restriction=restriction, evidence=evidence,
                          authorised_by=authorised_by, starts_on=starts_on or store.today(),
                          review_date=review_date, created_at=utcnow(store))
        session.add(row)
        session.flush()
        audit(session, store, login, "restriction recorded", detail=restriction,
              after={"resident_id": resident_id, "authorised_by": authorised_by, "review_date": review_date})
        return row.id


def record_review(store: Store, login: str, subject: str, subject_id: int, outcome: str,
                  next_review: date | None, *, end: bool = False, version: int | None = None) -> int:
    """Review an adjustment or restriction: keep it with a new review date, or end it (5.10, 5.15).

    ``version`` is the adjustment's or restriction's version as read (None: as read now); a
    change made since raises ConcurrentChange naming who made it and when (5.12).
    """
    model = {"adjustment": Adjustment, "restriction": Restriction}.get(subject)
    if model is None:
        raise DomainError(f"cannot review a {subject!r}", "", "subject")
    refuse(registers.check_review(subject, outcome, next_review, end, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        if session.get(model, subject_id) is None:
            raise DomainError(f"no {subject} with id {subject_id}", "", "subject")
        row = claim_row(session, store, model, subject_id, version, login,
                        lambda s, r: f"The {subject} \u201c{getattr(r, 'kind', '') or getattr(r, 'restriction', '')[:60]}\u201d "
                                     f"of {s.get(Resident, r.resident_id).name}")
        before = {"review_date": row.review_date, "active": row.active}
        if end:
            row.active = False
        else:
            row.review_date = next_review
        session.add(row)
        review = Review(subject=subject, subject_id=subject_id, reviewed_on=store.today(), outcome=outcome,
                        next_review=None if end else next_review, reviewed_by=login, created_at=utcnow(store))
        session.add(review)
        session.flush()
        audit(session, store, login, f"{subject} reviewed", detail=outcome, before=before,
              after={"review_date": row.review_date, "active": row.active})
        return review.id
