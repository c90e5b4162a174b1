"""Approval by someone else (SPEC rule 4 and 14; Code 6.4, 6.15): an officer asks for an
extension past the cap, and a supervisor who does not hold the case approves or declines it.

Pure: the store passes the case's facts and the request; the services write what happens.
The clock keeps running while a request waits: only an approval changes the due date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.deadlines import response_deadline
from caseworker.rules.facts import Actor, CaseFacts, Extension, Refusal, first
from caseworker.rules.guards import required
from caseworker.rules.lifecycle import check_extend
from caseworker.rules.policy import Policy


class RequestState(StrEnum):
    """Where an extension request is."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


@dataclass(frozen=True)
class PendingRequest:
    """An extension request as the rules see it: the extension asked for, who asked, its state."""

    extension: Extension
    requested_by: str
    state: RequestState = RequestState.PENDING


def beyond_cap(case: CaseFacts, working_days: int, policy: Policy) -> bool:
    """True when adding ``working_days`` takes the current stage's extensions past the policy's cap."""
    cap = policy.stage(case.stage).extension_cap
    return cap is None or case.current.extended_days + working_days > cap


def check_request_extension(
    case: CaseFacts,
    ext: Extension,
    actor: Actor,
    policy: Policy,
    cal: WorkingCalendar,
    today: date,
    pending: int = 0,
) -> Refusal | None:
    """Whether ``actor`` may ask for this extension past the cap (everything checked but the approval).

    Args:
        pending: how many requests already wait on this stage (one at a time).

    Refused: an extension within the cap (record it directly, no approval needed), another
    request already waiting, and whatever :func:`check_extend` refuses (status, due date
    passed, reason, date told, good reason).
    """
    ref = policy.stage(case.stage).extension_code_ref
    if ext.working_days >= 1 and not beyond_cap(case, ext.working_days, policy):
        return Refusal(
            "this extension is within the cap: record it directly, no approval is needed", ref, "working_days"
        )
    if pending:
        return Refusal("an extension request on this stage is already waiting for a supervisor", ref, "working_days")
    return check_extend(case, ext, actor, policy, cal, today, for_request=True)


def check_decide_extension(
    case: CaseFacts,
    request: PendingRequest,
    actor: Actor,
    approve: bool,
    why: str,
    policy: Policy,
    cal: WorkingCalendar,
    today: date,
) -> Refusal | None:
    """Whether ``actor`` may approve (``approve=True``) or decline the request, saying ``why``.

    Only a supervisor or administrator who does not hold the case and did not ask decides; a
    decision says why; only a waiting request is decided. Approving also needs the extension
    itself to be recordable today (6.4, 6.15): after the due date has passed it cannot be.
    """
    ref = policy.stage(case.stage).extension_code_ref
    word = "approve" if approve else "decline"
    return first(
        [
            Refusal(f"this request was already {request.state.value}", ref, "state")
            if request.state != RequestState.PENDING
            else None,
            Refusal(f"only a supervisor can {word} an extension past the cap", ref, "approved_by")
            if not actor.supervises
            else None,
            Refusal(
                f"nobody can {word} an extension request on a case they hold: another supervisor decides",
                ref,
                "approved_by",
            )
            if case.current.officer == actor.login
            else None,
            Refusal(f"you asked for this extension: another supervisor must {word} it", ref, "approved_by")
            if request.requested_by == actor.login
            else None,
            required(why, "why", f"the reason you {word} it", ref),
            _due_passed(case, policy, cal, today, ref) if approve else None,
            check_extend(case, request.extension, actor, policy, cal, today) if approve else None,
        ]
    )


def _due_passed(case: CaseFacts, policy: Policy, cal: WorkingCalendar, today: date, ref: str) -> Refusal | None:
    """Approving is about to happen: once the response was due, no extension can be approved (the breach
    stays on record; an extension the resident was told of late is recorded as a fact, not approved)."""
    deadline = response_deadline(case, case.current, policy, cal)
    if deadline is not None and today > deadline.due:
        return Refusal(
            f"the response was due on {deadline.due:%a %d %b %Y} and that date has passed: an extension "
            "can no longer be approved; decline the request (the late response stays on record)",
            ref,
            "working_days",
        )
    return None
