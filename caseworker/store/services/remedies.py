"""Services for remedies (section 7): an offer saying what will happen and by when (7.3),
worked out under the guidance in force for the case or another with a reason (7.4), and its
tracking through accepted or declined, paid and completed, on the dates the officer enters."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from caseworker.rules import registers
from caseworker.rules.facts import RemedyKind, RemedyState, ensure
from caseworker.rules.money import format_pounds
from caseworker.rules.remedy_calculator import RemedyError
from caseworker.rules.remedy_record import check_guidance_choice, guidance_in_force, kind_label
from caseworker.store.context import Store
from caseworker.store.models import Case, Remedy, Stage
from caseworker.store.services.base import DomainError, actor_for, audit, claim_row, refuse, utcnow
from caseworker.store.services.cases import transaction
from caseworker.store.services.outcomes import _case, _enum


def _stage(session, case: Case) -> Stage:
    stage = session.exec(select(Stage).where(Stage.case_id == case.id, Stage.number == case.stage)).first()
    if stage is None:
        raise DomainError(f"{case.reference} has no Stage {case.stage}", "", "case")
    return stage


def offer_remedy(
    store: Store,
    login: str,
    case_id: int,
    kind: RemedyKind,
    description: str,
    by_when: date | None,
    *,
    amount_pence: int | None = None,
    guidance_key: str = "",
    calculation_basis: str = "",
    rationale: str = "",
    offered_on: date | None = None,
    guidance_reason: str = "",
) -> int:
    """Offer a remedy on the case's current stage: what will happen and by when (7.3).

    Args:
        store, login: The store and the officer at the keyboard.
        case_id: The case.
        kind: apology, explanation, action, financial or other.
        description: What will happen.
        by_when: The date it will be done by.
        amount_pence: The sum, in pence (a financial remedy needs one).
        guidance_key: The guidance set the sum was worked out under ("" for none).
        calculation_basis, rationale: The calculator's basis (JSON) and rationale, kept as given.
        offered_on: When the offer was made; None for today. A past date is recordable.
        guidance_reason: Why ``guidance_key`` is not the guidance in force for the case
            (:func:`caseworker.rules.remedy_record.guidance_in_force`); required then (7.4),
            kept and audited.

    Returns:
        The new remedy's id.

    Raises:
        DomainError: A refusal naming its field: what/by_when/amount/offered_on (7.3), or
            guidance_reason (7.4); no such case.
    """
    kind = _enum(RemedyKind, kind, "kind", "kind of remedy")
    today = store.today()
    refuse(registers.check_remedy_offer(kind, description, by_when, amount_pence, today, offered_on))
    offered = offered_on or today
    reason = (guidance_reason or "").strip()
    with transaction(store) as session:
        actor_for(session, login)
        case = _case(session, case_id)
        in_force = None
        if guidance_key:
            stage = _stage(session, case)
            try:
                in_force = guidance_in_force(stage.number, stage.requested, stage.responded, offered)
            except RemedyError as exc:
                raise DomainError(exc.message, "7.4", "guidance") from None
            refuse(check_guidance_choice(guidance_key, in_force, reason))
            if in_force.guidance.key == guidance_key:
                reason = ""  # the guidance in force needs no reason
        row = Remedy(
            case_id=case_id,
            stage_number=case.stage,
            kind=kind.value,
            description=description,
            by_when=by_when,
            amount_pence=amount_pence,
            guidance_key=guidance_key,
            calculation_basis=calculation_basis,
            rationale=rationale,
            guidance_reason=reason,
            offered_on=offered,
            created_at=utcnow(store),
        )
        session.add(row)
        session.flush()
        money = f" {format_pounds(amount_pence)}" if amount_pence else ""
        after = {"kind": kind, "amount_pence": amount_pence, "by_when": by_when, "guidance": guidance_key}
        if offered != today:
            after["offered_on"] = offered
        if reason and in_force is not None:
            after["guidance_in_force"] = in_force.guidance.key
            after["guidance_reason"] = reason
        audit(
            session,
            store,
            login,
            "remedy offered",
            case_id=case_id,
            detail=f"{kind_label(kind.value)}{money}: {description}"
            + (f" (under other guidance than the {in_force.guidance.name}: {reason})" if reason and in_force else ""),
            after=after,
        )
        return row.id


def move_remedy(
    store: Store,
    login: str,
    remedy_id: int,
    target: RemedyState,
    on: date | None = None,
    *,
    version: int | None = None,
    payment_reference: str = "",
) -> int:
    """Track a remedy: offered, accepted or declined, paid (financial) or completed (7.3).

    Args:
        store, login: The store and the officer at the keyboard.
        remedy_id: The remedy.
        target: The state it moves to.
        on: The date it happened, as the officer entered it; None for today. Past dates are
            recordable; never a future date, nor one before the offer (or, for paid and
            completed, before it was accepted; for completed, before it was paid).
        version: the remedy's version as the officer saw it (``RemedyRow.version``); None
            checks against the version read now.
        payment_reference: For ``paid``: the payment's reference (required, at most 60 characters).

    Returns:
        The remedy's new version.

    Raises:
        ConcurrentChange: another officer changed the remedy since ``version`` (5.12).
        Refused: the move is not allowed from its state (7.3).
        DomainError: the date or payment reference is refused, naming the field
            (``accepted_on``, ``declined_on``, ``paid_on``, ``completed_on``, ``payment_reference``).
    """
    target = _enum(RemedyState, target, "state", "remedy state")
    on = on or store.today()
    reference = (payment_reference or "").strip()
    with transaction(store) as session:
        actor_for(session, login)
        row = claim_row(session, store, Remedy, remedy_id, version, login, _remedy_name)
        ensure(registers.check_remedy_move(RemedyKind(row.kind), RemedyState(row.state), target))
        refuse(
            registers.check_remedy_dates(
                target, on, store.today(), row.offered_on, row.accepted_on, row.paid_on, reference
            )
        )
        before = row.state
        row.state = target.value
        setattr(row, registers.REMEDY_DATE_FIELD[target], on)
        after: dict = {"state": target, "on": on}
        if target == RemedyState.PAID:
            row.payment_reference = reference
            after["payment_reference"] = reference
        session.add(row)
        audit(
            session,
            store,
            login,
            f"remedy {target.value}",
            case_id=row.case_id,
            detail=row.description + (f" (payment reference {reference})" if target == RemedyState.PAID else ""),
            before={"state": before},
            after=after,
        )
        return row.version


def _remedy_name(session, row: Remedy) -> str:
    return f"The {row.kind} remedy on {_case(session, row.case_id).reference}"
