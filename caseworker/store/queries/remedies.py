"""Read model of remedies on record across cases, for the remedy screen's tracking pane.

One indexed query joined to the case and resident, returning frozen dataclasses; the
open ones (offered, accepted, paid) come first, soonest "by when" first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, select

from caseworker.store.context import Store
from caseworker.store.models import Case, Remedy, Resident

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
            )
        )
    return out


__all__ = ["STATE_ORDER", "RemedyRow", "remedies_list"]
