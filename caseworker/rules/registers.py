"""Guards on the registers kept beside a case: remedies (7.3), outstanding actions (6.6, 6.17),
reasonable adjustments (5.10) and contact restrictions (5.14, 5.15)."""

from __future__ import annotations

from datetime import date

from caseworker.rules.facts import Refusal, RemedyKind, RemedyState, first
from caseworker.rules.guards import not_before, not_future, required

_REMEDY_MOVES = {
    RemedyState.OFFERED: {RemedyState.ACCEPTED, RemedyState.DECLINED},
    RemedyState.ACCEPTED: {RemedyState.PAID, RemedyState.COMPLETED},
    RemedyState.PAID: {RemedyState.COMPLETED},
    RemedyState.DECLINED: set(),
    RemedyState.COMPLETED: set(),
}


def check_remedy_offer(
    kind: RemedyKind,
    what: str,
    by_when: date | None,
    amount_pence: int | None,
    today: date,
    offered_on: date | None = None,
) -> Refusal | None:
    """An offer says what will happen and by when (7.3); money is never negative.

    Args:
        kind: apology, explanation, action, financial or other.
        what: What will happen.
        by_when: The date it will be done by.
        amount_pence: The sum offered, in pence (a financial remedy needs one above zero).
        today: Today's date.
        offered_on: The date the offer was made; None for today. A past offer is a fact and
            recordable (its "by when" may then be past too); a future one is refused.

    Returns:
        The first refusal, naming its field and Code paragraph, or None.
    """
    offered = offered_on or today
    return first(
        [
            required(what, "what", "what will happen", "7.3"),
            not_future(offered_on, today, "offered_on", "date of the offer"),
            Refusal("say by when the remedy will be carried out", "7.3", "by_when") if by_when is None else None,
            Refusal("the date the remedy is due is in the past", "7.3", "by_when")
            if by_when is not None and offered == today and by_when < today
            else None,
            not_before(by_when, offered, "by_when", "date the remedy is due", "date of the offer", "7.3"),
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


#: The field holding the date of each tracked state, as forms and refusals name it.
REMEDY_DATE_FIELD = {
    RemedyState.ACCEPTED: "accepted_on",
    RemedyState.DECLINED: "declined_on",
    RemedyState.PAID: "paid_on",
    RemedyState.COMPLETED: "completed_on",
}
_REMEDY_DATE_WORDS = {
    RemedyState.ACCEPTED: "accepted date",
    RemedyState.DECLINED: "declined date",
    RemedyState.PAID: "paid date",
    RemedyState.COMPLETED: "completed date",
}


def check_remedy_dates(
    target: RemedyState,
    on: date | None,
    today: date,
    offered_on: date,
    accepted_on: date | None = None,
    paid_on: date | None = None,
    payment_reference: str = "",
) -> Refusal | None:
    """The date a remedy moved to ``target``, entered by the officer: a fact, so a past date is
    recordable, but never a future one and never out of order (7.3, 5.12).

    Args:
        target: The state the remedy moves to.
        on: The date it happened (the officer enters it; the form offers today).
        today: Today's date.
        offered_on: When the offer was made: nothing happens to an offer before it.
        accepted_on: When the resident accepted it, for a paid or completed remedy.
        paid_on: When it was paid, for a completed financial remedy.
        payment_reference: For a paid remedy, the reference of the payment (e.g. the BACS
            reference or the rent-account credit); required, at most 60 characters.

    Returns:
        The first refusal, naming the date's field (``accepted_on``, ``paid_on``, ...) or
        ``payment_reference``, or None.
    """
    field, what = REMEDY_DATE_FIELD[target], _REMEDY_DATE_WORDS[target]
    reference = (payment_reference or "").strip()
    return first(
        [
            Refusal(f"give the {what}", "7.3", field) if on is None else None,
            not_future(on, today, field, what),
            not_before(on, offered_on, field, what, "date of the offer", "7.3"),
            not_before(on, accepted_on, field, what, "accepted date", "7.3")
            if target in (RemedyState.PAID, RemedyState.COMPLETED)
            else None,
            not_before(on, paid_on, field, what, "paid date", "7.3") if target == RemedyState.COMPLETED else None,
            Refusal(
                "give the payment reference (the BACS or cheque number, or the rent-account credit)",
                "7.3",
                "payment_reference",
            )
            if target == RemedyState.PAID and not reference
            else None,
            Refusal("the payment reference is longer than 60 characters", "7.3", "payment_reference")
            if len(reference) > 60
            else None,
        ]
    )


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
