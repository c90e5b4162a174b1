"""Read model of remedies on record across cases, for the remedy screen's tracking pane.

One indexed query joined to the case and resident, returning frozen dataclasses; the
open ones (offered, accepted, paid) come first, soonest "by when" first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select

from caseworker.rules.remedy_record import GuidanceInForce, guidance_in_force
from caseworker.store.context import Store
from caseworker.store.models import Case, Remedy, Resident, Stage

#: Remedy states in the order the list shows them (open ones first).
STATE_ORDER = ("offered", "accepted", "paid", "declined", "completed")


@dataclass(frozen=True)
class RemedyRow:
    """One remedy offered on a case, and how far it has got."""

    remedy_id: int
    case_id: int
    reference: str
    resident: str
    stage: int
    kind: str  # "apology", "explanation", "action" or "financial"
    description: str  # what will happen (7.3)
    by_when: date
    amount_pence: int | None
    guidance_key: str
    rationale: str
    state: str  # "offered", "accepted", "declined", "paid" or "completed"
    offered_on: date
    state_on: date  # the date it reached its current state
    overdue: bool  # still open after its "by when" date
    version: int = 1  # pass to services.move_remedy: a change by someone else since is refused
    accepted_on: date | None = None
    paid_on: date | None = None
    payment_reference: str = ""  # entered when paid; "" not recorded


def remedies_list(store: Store, state: str | None = None, limit: int = 500) -> list[RemedyRow]:
    """Remedies on record: open ones first (offered, accepted, paid) by "by when", then the rest.

    Args:
        store: the store.
        state: only remedies in this state (one of :data:`STATE_ORDER`), or None for all.
        limit: at most this many rows.

    Raises:
        ValueError: ``state`` is not a remedy state.
    """
    if state is not None and state not in STATE_ORDER:
        raise ValueError(f"unknown remedy state {state!r}: use one of {', '.join(STATE_ORDER)}")
    today = store.today()
    rank = case(*((Remedy.state == s, i) for i, s in enumerate(STATE_ORDER)), else_=len(STATE_ORDER))
    q = (
        select(
            Remedy.id,
            Remedy.case_id,
            Case.reference,
            Resident.name,
            Remedy.stage_number,
            Remedy.kind,
            Remedy.description,
            Remedy.by_when,
            Remedy.amount_pence,
            Remedy.guidance_key,
            Remedy.rationale,
            Remedy.state,
            Remedy.offered_on,
            Remedy.accepted_on,
            Remedy.declined_on,
            Remedy.paid_on,
            Remedy.completed_on,
            Remedy.version,
            Remedy.payment_reference,
        )
        .join(Case, Case.id == Remedy.case_id)
        .join(Resident, Resident.id == Case.resident_id)
        .order_by(rank, Remedy.by_when, Remedy.id)
        .limit(max(0, limit))
    )
    if state is not None:
        q = q.where(Remedy.state == state)
    with store.session() as s:
        raw = s.exec(q).all()
    out = []
    for (
        rid,
        cid,
        ref,
        resident,
        stage,
        kind,
        what,
        by_when,
        amount,
        gkey,
        rationale,
        st,
        offered,
        accepted,
        declined,
        paid,
        completed,
        version,
        payment_reference,
    ) in raw:
        on = {"accepted": accepted, "declined": declined, "paid": paid, "completed": completed}.get(st) or offered
        out.append(
            RemedyRow(
                remedy_id=rid,
                case_id=cid,
                reference=ref,
                resident=resident,
                stage=stage,
                kind=kind,
                description=what,
                by_when=by_when,
                amount_pence=amount,
                guidance_key=gkey,
                rationale=rationale,
                state=st,
                offered_on=offered,
                state_on=on,
                overdue=st in ("offered", "accepted") and by_when < today,
                version=version,
                accepted_on=accepted,
                paid_on=paid,
                payment_reference=payment_reference,
            )
        )
    return out


@dataclass(frozen=True)
class CaseGuidance:
    """The case a remedy is offered on, and the guidance in force for it (Code 7.4)."""

    case_id: int
    reference: str
    in_force: GuidanceInForce


def guidance_for_case(store: Store, reference: str, offered_on: date | None = None) -> CaseGuidance | None:
    """The guidance in force for a remedy offered now (or on ``offered_on``) on case ``reference``.

    Args:
        store: the store.
        reference: the case reference, in any case (``mkcc-2025-0001`` finds ``MKCC-2025-0001``).
        offered_on: the date of the offer; None for today.

    Returns:
        The case and :func:`caseworker.rules.remedy_record.guidance_in_force` for its current
        stage, or None when there is no such case.

    Raises:
        RemedyError: no guidance set applies on the deciding date.
    """
    ref = (reference or "").strip()
    if not ref:
        return None
    with store.session() as s:
        found = s.exec(
            select(Case.id, Case.reference, Stage.number, Stage.requested, Stage.responded)
            .join(Stage, (Stage.case_id == Case.id) & (Stage.number == Case.stage))
            .where(Case.reference.in_(list(dict.fromkeys((ref, ref.upper())))))
            .order_by((Case.reference == ref).desc())
        ).first()
    if found is None:
        return None
    case_id, reference, number, requested, responded = found
    in_force = guidance_in_force(number, requested, responded, offered_on or store.today())
    return CaseGuidance(case_id, reference, in_force)


__all__ = ["STATE_ORDER", "CaseGuidance", "RemedyRow", "guidance_for_case", "remedies_list"]
