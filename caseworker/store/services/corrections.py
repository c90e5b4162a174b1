"""Corrections of recorded facts (5.12): a case's service area, category, channel, type and
dates; a resident's or representative's name, address and contacts.

Each correction needs a reason; the old and new values go on the timeline of every case
it touches; due dates are recomputed from the corrected facts (and reports, which read
the facts, follow). Issued letters are never altered: they keep the text that was sent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from caseworker.rules import corrections as rules
from caseworker.rules.calendar import short_date
from caseworker.store.context import Store
from caseworker.store.mapping import case_facts, stages_of
from caseworker.store.models import Case, Representative, Resident
from caseworker.store.services.base import (
    CaseRef,
    DomainError,
    actor_for,
    audit,
    claim_case,
    claim_row,
    refresh_deadlines,
    refuse,
)
from caseworker.store.services.cases import transaction


def _shown(value: object) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, date):
        return short_date(value)
    return str(value)


def _describe(labels: dict[str, str], before: dict, after: dict) -> str:
    return "; ".join(f"{labels[k]} corrected from {_shown(before[k])} to {_shown(after[k])}" for k in after)


def correct_case(
    store: Store,
    login: str,
    case_id: int,
    version: int | None,
    changes: dict[str, object],
    reason: str,
) -> CaseRef:
    """Correct facts of a case (``changes``: field -> new value, fields in ``rules.corrections.CASE_FIELDS``).

    Dates are ``date`` objects (``logged`` and ``issue_date`` may be None). Correcting the
    date received moves the Stage 1 start and, when the profile was chosen by received date,
    the profile too; every due date is recomputed.

    Raises:
        ConcurrentChange: the case changed since ``version``; nothing of this correction is stored.
        DomainError: no reason, an unknown field, nothing different, or dates that no longer
            make sense together (each naming the field and the Code paragraph).
    """
    with transaction(store) as session:
        case = _correct_case_in(session, store, login, case_id, version, changes, reason)
        return CaseRef(case.id, case.reference, case.version)


def correct_person(
    store: Store,
    login: str,
    changes: dict[str, object],
    reason: str,
    *,
    resident_id: int | None = None,
    representative_id: int | None = None,
    version: int | None = None,
) -> int:
    """Correct a resident's or a representative's details; the correction goes on the timeline of
    each of their cases. Returns how many cases' timelines it was written on.

    ``version`` is the person's version the officer read (``ResidentInfo.version``,
    ``RepresentativeInfo.version``); None means the version read now, which still lets only
    one of two simultaneous corrections through (Code 5.12: one full record).

    Raises:
        ConcurrentChange: another officer changed the person's details since ``version``: the
            message says who and when, in UK local time; nothing of this correction is stored.
        DomainError: no reason, an unknown field, nothing different, no such person.
    """
    with transaction(store) as session:
        return _correct_person_in(session, store, login, changes, reason, resident_id, representative_id, version)


@dataclass(frozen=True)
class PersonCorrection:
    """What to correct of a resident or a representative, as read at ``version``: their id in
    exactly one of ``resident_id`` and ``representative_id``, ``changes`` field -> new value."""

    changes: dict[str, object]
    version: int | None
    resident_id: int | None = None
    representative_id: int | None = None


def correct_record(
    store: Store,
    login: str,
    case_id: int,
    version: int | None,
    reason: str,
    case_changes: dict[str, object],
    people: Sequence[PersonCorrection] = (),
) -> int:
    """One correction of a case's record (5.12) made in one transaction: the case's facts
    (``case_changes``, as :func:`correct_case`; may be empty) and the details of its resident and
    representative (``people``, each as :func:`correct_person`), all with one ``reason``.

    Returns how many values were corrected. Either every part is stored or none is: a refusal
    of any part (the resident changed meanwhile, say) leaves the case as it was too.

    Raises:
        ConcurrentChange: the case or a person changed since the version read; nothing stored.
        DomainError: no reason, nothing to correct, an unknown field, nothing different, dates
            that no longer make sense together; nothing stored.
    """
    parts = [p for p in people if p.changes]
    if not case_changes and not parts:
        raise DomainError("nothing to correct: change a value first", "5.12", "")
    with transaction(store) as session:
        if case_changes:
            _correct_case_in(session, store, login, case_id, version, case_changes, reason)
        for p in parts:
            _correct_person_in(session, store, login, p.changes, reason, p.resident_id, p.representative_id, p.version)
    return len(case_changes) + sum(len(p.changes) for p in parts)


def _correct_case_in(
    session: Session,
    store: Store,
    login: str,
    case_id: int,
    version: int | None,
    changes: dict[str, object],
    reason: str,
) -> Case:
    """:func:`correct_case` inside the caller's transaction; returns the case as corrected."""
    actor_for(session, login)
    case = claim_case(session, store, case_id, version, login)
    facts = case_facts(session, case, store.policy)
    current = {k: getattr(case, k) for k in rules.CASE_FIELDS}
    refuse(rules.check_case_correction(facts, current, changes, reason, store.today()))
    changed = {k: v for k, v in changes.items() if current[k] != v}
    before = {k: current[k] for k in changed}
    due_before = case.next_due
    for name, value in changed.items():
        setattr(case, name, value)
    if "received" in changed:
        stages_of(session, case.id)[1].requested = case.received
        if case.policy_key == store.policy_key_for(before["received"]):  # chosen by date: choose again
            case.policy_key = store.policy_key_for(case.received)
    if case.logged == case.received:
        case.logged = None
    refresh_deadlines(session, store, case)
    detail = f"{_describe(rules.CASE_FIELDS, before, changed)}. Reason: {reason.strip()}"
    if case.next_due != due_before:
        detail += f". Due date moved from {_shown(due_before)} to {_shown(case.next_due)}"
    audit(
        session,
        store,
        login,
        "corrected",
        case_id=case_id,
        detail=detail,
        before=before,
        after={**changed, "reason": reason.strip()},
    )
    return case


def _correct_person_in(
    session: Session,
    store: Store,
    login: str,
    changes: dict[str, object],
    reason: str,
    resident_id: int | None,
    representative_id: int | None,
    version: int | None,
) -> int:
    """:func:`correct_person` inside the caller's transaction; returns how many cases' timelines
    the correction was written on."""
    if (resident_id is None) == (representative_id is None):
        raise DomainError("say whose details are corrected: the resident or the representative", "", "person")
    actor_for(session, login)
    if resident_id is not None:
        person, labels, who = session.get(Resident, resident_id), rules.RESIDENT_FIELDS, "resident"
        cases_of = Case.resident_id == resident_id
    else:
        person, labels, who = (
            session.get(Representative, representative_id),
            rules.REPRESENTATIVE_FIELDS,
            "representative",
        )
        cases_of = Case.representative_id == representative_id
    if person is None:
        raise DomainError(f"no {who} with id {resident_id or representative_id}", "", "person")
    person = claim_row(
        session,
        store,
        type(person),
        person.id,
        version,
        login,
        lambda _s, p: f"The record of the {who} {p.name}",
    )
    current = {k: getattr(person, k) for k in labels}
    clean = {k: (v.strip() if isinstance(v, str) else v) for k, v in changes.items()}
    refuse(rules.check_reason(reason), rules.check_fields(clean, labels, current))
    changed = {k: v for k, v in clean.items() if current[k] != v}
    before = {k: current[k] for k in changed}
    for name, value in changed.items():
        setattr(person, name, value)
    session.add(person)
    detail = f"the {who}'s {_describe(labels, before, changed)}. Reason: {reason.strip()}"
    case_ids = session.exec(select(Case.id).where(cases_of)).all()
    for cid in case_ids:
        claim_case(session, store, cid, None, login)
        audit(
            session,
            store,
            login,
            "corrected",
            case_id=cid,
            detail=detail,
            before=before,
            after={**changed, "reason": reason.strip()},
        )
    if not case_ids:
        audit(
            session,
            store,
            login,
            "corrected",
            detail=detail,
            before=before,
            after={**changed, "reason": reason.strip()},
        )
    return len(case_ids)
