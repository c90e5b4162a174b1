"""Guards on the registers kept beside a case: remedies (7.3), outstanding actions (6.6, 6.17),
reasonable adjustments (5.10) and contact restrictions (5.14, 5.15)."""

from __future__ import annotations

from datetime import date

from caseworker.rules.facts import Refusal, RemedyKind, RemedyState, first
from caseworker.rules.guards import required

_REMEDY_MOVES = {
    RemedyState.OFFERED: {RemedyState.ACCEPTED, RemedyState.DECLINED},
    RemedyState.ACCEPTED: {RemedyState.PAID, RemedyState.COMPLETED},
    RemedyState.PAID: {RemedyState.COMPLETED},
    RemedyState.DECLINED: set(),
    RemedyState.COMPLETED: set(),
}


def check_remedy_offer(
    kind: RemedyKind, what: str, by_when: date | None, amount_pence: int | None, today: date
) -> Refusal | None:
    """An offer says what will happen and by when (7.3); money is never negative."""
    return first(
        [
            required(what, "what", "what will happen", "7.3"),
            Refusal("say by when the remedy will be carried out", "7.3", "by_when") if by_when is None else None,
            Refusal("the date the remedy is due is in the past", "7.3", "by_when")
            if by_when is not None and by_when < today
            else None,
            Refusal("a financial remedy needs an amount greater than zero", "7.3", "amount")
            if kind == RemedyKind.FINANCIAL and (amount_pence is None or amount_pence <= 0)
            else None,
            Refusal("an amount cannot be negative", "7.3", "amount")
            if amount_pence is not None and amount_pence < 0
            else None,
        ]
    )


def check_remedy_move(kind: RemedyKind, current: RemedyState, target: RemedyState) -> Refusal | None:
    """Offered, then accepted or declined; then paid (financial) or completed."""
    if target not in _REMEDY_MOVES[current]:
        return Refusal(f"a remedy that is {current.value} cannot become {target.value}", "7.3", "state")
    if target == RemedyState.PAID and kind != RemedyKind.FINANCIAL:
        return Refusal("only a financial remedy is paid; mark it completed instead", "7.3", "state")
    return None


def check_action(description: str, owner: str, due: date | None, today: date) -> Refusal | None:
    """An outstanding action has an owner and a due date (6.6, 6.17)."""
    return first(
        [
            required(description, "description", "what the action is", "6.6"),
            required(owner, "owner", "who owns the action", "6.6"),
            Refusal("give the date the action is due", "6.6", "due") if due is None else None,
        ]
    )


def check_adjustment(kind: str, review_date: date | None, today: date) -> Refusal | None:
    """Agreed adjustments are recorded and kept under active review (5.10)."""
    return first(
        [
            required(kind, "kind", "the adjustment agreed", "5.10"),
            Refusal("give a review date: adjustments are kept under active review", "5.10", "review_date")
            if review_date is None
            else None,
            Refusal("the review date must be after today", "5.10", "review_date")
            if review_date is not None and review_date <= today
            else None,
        ]
    )


def check_restriction(
    restriction: str, evidence: str, authorised_by: str, review_date: date | None, today: date
) -> Refusal | None:
    """Contact restrictions are proportionate, evidenced, authorised and reviewed (5.14, 5.15)."""
    return first(
        [
            required(restriction, "restriction", "the restriction on contact", "5.14"),
            required(evidence, "evidence", "the evidence for the restriction", "5.14"),
            required(authorised_by, "authorised_by", "who authorised the restriction", "5.14"),
            Refusal("give a review date: restrictions are kept under regular review", "5.15", "review_date")
            if review_date is None
            else None,
            Refusal("the review date must be after today", "5.15", "review_date")
            if review_date is not None and review_date <= today
            else None,
        ]
    )


def check_disability(description: str, disclosed_on: date | None, today: date) -> Refusal | None:
    """A disclosed disability is recorded with what was disclosed and when (5.10)."""
    return first(
        [
            required(description, "description", "a description of the disability disclosed", "5.10"),
            Refusal("give the date it was disclosed", "5.10", "disclosed_on") if disclosed_on is None else None,
            Refusal("the date disclosed is in the future", "5.10", "disclosed_on")
            if disclosed_on is not None and disclosed_on > today
            else None,
        ]
    )


def check_review(subject: str, outcome: str, next_review: date | None, end: bool, today: date) -> Refusal | None:
    """A review of an adjustment (5.10) or restriction (5.15): its outcome, and the next review unless it ends."""
    ref = "5.10" if subject == "adjustment" else "5.15"
    return first(
        [
            Refusal("record the outcome of the review", ref, "outcome") if not outcome.strip() else None,
            Refusal("give the next review date, or end it", ref, "next_review")
            if not end and next_review is None
            else None,
            Refusal("the next review date must be after today", ref, "next_review")
            if not end and next_review is not None and next_review <= today
            else None,
        ]
    )
