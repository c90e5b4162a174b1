"""Services for people and their registers: residents, representatives
with consent (3.6), disclosed disabilities and reasonable adjustments (5.10), contact
restrictions (5.14, 5.15) and their reviews.
Service requests (1.4, 1.5) are in ``service_requests``."""

from __future__ import annotations

from datetime import date

from caseworker.rules import registers
from caseworker.rules.facts import Refusal
from caseworker.store.context import Store
from caseworker.store.models import (
    Adjustment,
    Disability,
    Representative,
    Resident,
    Restriction,
    Review,
)
from caseworker.store.services.base import DomainError, actor_for, audit, claim_row, refuse, utcnow
from caseworker.store.services.cases import transaction

# -- residents and representatives -------------------------------------------------------


def _contact_refusals(email: str, phone: str) -> list[Refusal]:
    """The email and phone given for a resident or representative that are not ones (empty is fine)."""
    from caseworker.rules import typed

    found = [(typed.email_problem(email), "email"), (typed.phone_problem(phone), "phone")]
    return [Refusal(problem, "", field) for problem, field in found if problem]


def add_resident(
    store: Store,
    login: str,
    name: str,
    *,
    address: str = "",
    email: str = "",
    phone: str = "",
    preferred_channel: str = "",
    vulnerable: bool = False,
    vulnerability_notes: str = "",
) -> int:
    """Record a resident; returns the new resident's id.

    Raises:
        DomainError: no name (field ``name``), or an email or phone that is not one (fields
            ``email``, ``phone``; the rule is :func:`caseworker.rules.typed.email_problem` /
            ``phone_problem``), whoever calls: the forms, the command line or a script.
    """
    if not name.strip():
        raise DomainError("the resident's name is required", "5.12", "name")
    refuse(*_contact_refusals(email, phone))
    with transaction(store) as session:
        actor_for(session, login)
        resident = Resident(
            name=name.strip(),
            address=address,
            email=email,
            phone=phone,
            preferred_channel=preferred_channel,
            vulnerable=vulnerable,
            vulnerability_notes=vulnerability_notes,
            created_at=utcnow(store),
        )
        session.add(resident)
        session.flush()
        audit(session, store, login, "resident added", detail=resident.name, after={"name": resident.name})
        return resident.id


def add_representative(
    store: Store,
    login: str,
    resident_id: int,
    name: str,
    *,
    relationship: str = "",
    address: str = "",
    email: str = "",
    consent_recorded: bool = False,
    consent_date: date | None = None,
    consent_notes: str = "",
    phone: str = "",
) -> int:
    """Record someone acting for a resident; they may act only with consent recorded (3.6).

    Returns the representative's id. Raises :class:`DomainError` naming the field: no name, no
    consent (3.6), an email or phone that is not one.
    """
    refuse(
        Refusal("the representative's name is required", "3.6", "name") if not name.strip() else None,
        *_contact_refusals(email, phone),
        Refusal(
            "record the resident's consent (and its date) before a representative acts for them",
            "3.6",
            "consent_recorded",
        )
        if not consent_recorded or consent_date is None
        else None,
    )
    with transaction(store) as session:
        actor_for(session, login)
        resident = session.get(Resident, resident_id)
        if resident is None:
            raise DomainError(f"no resident with id {resident_id}", "", "resident")
        rep = Representative(
            resident_id=resident_id,
            name=name.strip(),
            relationship=relationship,
            address=address.strip(),
            email=email.strip(),
            phone=phone.strip(),
            consent_recorded=consent_recorded,
            consent_date=consent_date,
            consent_notes=consent_notes,
            created_at=utcnow(store),
        )
        session.add(rep)
        session.flush()
        audit(
            session,
            store,
            login,
            "representative added",
            detail=f"{rep.name} for {resident.name}",
            after={"name": rep.name, "consent_date": consent_date},
        )
        return rep.id


def update_representative_contact(
    store: Store,
    login: str,
    representative_id: int,
    version: int | None,
    *,
    address: str,
    email: str,
    phone: str,
    case_id: int | None = None,
) -> int:
    """Correct a representative's (or an MP's or councillor's office) address, email and phone.

    The change is audited with the values before and after (5.12), on ``case_id``'s history
    when given. Letters by post need the address.

    Returns:
        The representative's new version.

    Raises:
        ConcurrentChange: another officer changed them since ``version``.
        DomainError: there is no such representative, or the email has no "@".
    """
    address, email, phone = address.strip(), email.strip(), phone.strip()
    if email and "@" not in email:
        raise DomainError(f"{email!r} is not an email address", "", "email")
    with transaction(store) as session:
        actor_for(session, login)
        rep = claim_row(
            session,
            store,
            Representative,
            representative_id,
            version,
            login,
            lambda _s, r: f"{r.name}'s contact details",
        )
        before = {"address": rep.address, "email": rep.email, "phone": rep.phone}
        rep.address, rep.email, rep.phone = address, email, phone
        session.add(rep)
        audit(
            session,
            store,
            login,
            "representative contact details changed",
            case_id=case_id,
            detail=rep.name,
            before=before,
            after={"address": address, "email": email, "phone": phone},
        )
        return rep.version


# -- disabilities, adjustments, restrictions, reviews ------------------------------------


def record_disability(store: Store, login: str, resident_id: int, description: str, disclosed_on: date) -> int:
    """Record a disability the resident disclosed (5.10)."""
    refuse(registers.check_disability(description, disclosed_on, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        row = Disability(
            resident_id=resident_id,
            description=description.strip(),
            disclosed_on=disclosed_on,
            recorded_by=login,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        audit(
            session,
            store,
            login,
            "disability recorded",
            detail=description,
            after={"resident_id": resident_id},
            resident_id=resident_id,
        )
        return row.id


def add_adjustment(
    store: Store,
    login: str,
    resident_id: int,
    kind: str,
    review_date: date | None,
    details: str = "",
    agreed_on: date | None = None,
) -> int:
    """Record a reasonable adjustment agreed with the resident, with its review date (5.10)."""
    refuse(registers.check_adjustment(kind, review_date, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        if session.get(Resident, resident_id) is None:
            raise DomainError(f"no resident with id {resident_id}", "", "resident")
        row = Adjustment(
            resident_id=resident_id,
            kind=kind.strip(),
            details=details,
            agreed_on=agreed_on or store.today(),
            review_date=review_date,
            recorded_by=login,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        audit(
            session,
            store,
            login,
            "adjustment agreed",
            detail=f"{kind}: {details}".strip(": "),
            after={"resident_id": resident_id, "kind": kind, "review_date": review_date},
            resident_id=resident_id,
        )
        return row.id


def add_restriction(
    store: Store,
    login: str,
    resident_id: int,
    restriction: str,
    evidence: str,
    authorised_by: str,
    review_date: date | None,
    starts_on: date | None = None,
) -> int:
    """Record a contact restriction: proportionate, evidenced, authorised, reviewed (5.14, 5.15)."""
    refuse(registers.check_restriction(restriction, evidence, authorised_by, review_date, store.today()))
    with transaction(store) as session:
        actor_for(session, login)
        if session.get(Resident, resident_id) is None:
            raise DomainError(f"no resident with id {resident_id}", "", "resident")
        row = Restriction(
            resident_id=resident_id,
            restriction=restriction,
            evidence=evidence,
            authorised_by=authorised_by,
            starts_on=starts_on or store.today(),
            review_date=review_date,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        audit(
            session,
            store,
            login,
            "restriction recorded",
            detail=restriction,
            after={"resident_id": resident_id, "authorised_by": authorised_by, "review_date": review_date},
            resident_id=resident_id,
        )
        return row.id


def record_review(
    store: Store,
    login: str,
    subject: str,
    subject_id: int,
    outcome: str,
    next_review: date | None,
    *,
    end: bool = False,
    version: int | None = None,
) -> int:
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
        row = claim_row(
            session,
            store,
            model,
            subject_id,
            version,
            login,
            lambda s, r: (
                f"The {subject} \u201c{getattr(r, 'kind', '') or getattr(r, 'restriction', '')[:60]}\u201d "
                f"of {s.get(Resident, r.resident_id).name}"
            ),
        )
        before = {"review_date": row.review_date, "active": row.active}
        if end:
            row.active = False
        else:
            row.review_date = next_review
        session.add(row)
        review = Review(
            subject=subject,
            subject_id=subject_id,
            reviewed_on=store.today(),
            outcome=outcome,
            next_review=None if end else next_review,
            reviewed_by=login,
            created_at=utcnow(store),
        )
        session.add(review)
        session.flush()
        audit(
            session,
            store,
            login,
            f"{subject} reviewed",
            detail=outcome,
            before=before,
            after={"review_date": row.review_date, "active": row.active},
            resident_id=row.resident_id,
        )
        return review.id
