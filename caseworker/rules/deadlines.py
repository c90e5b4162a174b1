"""Deadlines: when each stage must be acknowledged and answered, from the policy and the calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseworker.rules.calendar import Explanation, WorkingCalendar
from caseworker.rules.facts import CaseFacts, StageFacts, Status
from caseworker.rules.policy import Policy


@dataclass(frozen=True)
class Deadline:
    """A live deadline with its explanation."""

    kind: str  # "acknowledge" or "respond"
    stage: int
    due: date
    code_ref: str
    explanation: Explanation

    @property
    def label(self) -> str:
        """``Stage 1 acknowledgement`` or ``Stage 2 response``."""
        word = "acknowledgement" if self.kind == "acknowledge" else "response"
        return f"Stage {self.stage} {word}"


_EVENT_WORDS = {"received": "receipt", "acknowledged": "acknowledgement", "requested": "the escalation request"}


def clock_start(event: str, received: date, requested: date | None, acknowledged: date | None) -> date | None:
    """The date a clock starts from: receipt, the stage's request, or its acknowledgement (None until then)."""
    if event == "received":
        return received
    if event == "requested":
        return requested
    return acknowledged


def _clock_start(case: CaseFacts, stage: StageFacts, start: str) -> date | None:
    return clock_start(start, case.received, stage.requested, stage.acknowledged)


def stage_due_dates(
    policy: Policy, cal: WorkingCalendar, number: int, received: date, requested: date | None,
    acknowledged: date | None, extended_days: int,
) -> tuple[date, date | None]:
    """(acknowledgement due, response due) of a stage: the same rule as the two functions below,
    without building explanations, for bulk work (import, demo, recomputing 100,000 cases)."""
    sp = policy.stage(number)
    start = clock_start(sp.acknowledge.start, received, requested, acknowledged)
    assert start is not None  # received and requested are always known
    ack_due = cal.add(start, sp.acknowledge.days)
    start = clock_start(sp.response.start, received, requested, acknowledged)
    response_due = cal.add(start, sp.response.days + extended_days) if start is not None else None
    return ack_due, response_due


def next_due(status: str, ack_due: date | None, response_due: date | None) -> tuple[date | None, str]:
    """(next due date, its kind) from the current stage's due dates, as :func:`next_deadline` decides."""
    if status == Status.AWAITING_ACK.value:
        return ack_due, "acknowledge"
    if status == Status.OPEN.value:
        return response_due, ("respond" if response_due is not None else "")
    return None, ""


def acknowledgement_deadline(case: CaseFacts, stage: StageFacts, policy: Policy, cal: WorkingCalendar) -> Deadline:
    """When the stage must be acknowledged, defined and logged (6.2, 6.11)."""
    clock = policy.stage(stage.number).acknowledge
    start = _clock_start(case, stage, clock.start)
    assert start is not None  # received and requested are always known
    rule = f"Stage {stage.number} acknowledgement, Code {clock.code_ref}: {clock.days} working days after {_EVENT_WORDS[clock.start]}"
    return Deadline("acknowledge", stage.number, cal.add(start, clock.days), clock.code_ref, cal.explain(start, clock.days, rule))


def response_deadline(case: CaseFacts, stage: StageFacts, policy: Policy, cal: WorkingCalendar) -> Deadline | None:
    """When the stage's response is due, extensions included; None until its clock has started."""
    clock = policy.stage(stage.number).response
    start = _clock_start(case, stage, clock.start)
    if start is None:
        return None
    days = clock.days + stage.extended_days
    rule = f"Stage {stage.number} response, Code {clock.code_ref}: {clock.days} working days after {_EVENT_WORDS[clock.start]}"
    if stage.extended_days:
        rule += f", extended by {stage.extended_days}"
    return Deadline("respond", stage.number, cal.add(start, days), clock.code_ref, cal.explain(start, days, rule))


def next_deadline(case: CaseFacts, policy: Policy, cal: WorkingCalendar) -> Deadline | None:
    """The case's next Code deadline: acknowledgement until acknowledged, then the response."""
    if case.status == Status.AWAITING_ACK:
        return acknowledgement_deadline(case, case.current, policy, cal)
    if case.status == Status.OPEN:
        return response_deadline(case, case.current, policy, cal)
    return None




def months_before(day: date, months: int) -> date:
    """The same day-of-month ``months`` earlier (clamped to the month's end)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for dom in (day.day, 30, 29, 28):
        try:
            return date(year, month, dom)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def is_out_of_time(received: date, issue_date: date | None, policy: Policy) -> bool:
    """True when the issue arose (or became known) over the age limit before receipt (2.3)."""
    return issue_date is not None and issue_date < months_before(received, policy.age_limit_months)


def responded_in_time(stage: StageFacts, case: CaseFacts, policy: Policy, cal: WorkingCalendar) -> bool | None:
    """Whether a responded stage met its deadline (extensions included); None if not responded."""
    if stage.responded is None:
        return None
    deadline = response_deadline(case, stage, policy, cal)
    return deadline is not None and stage.responded <= deadline.due


def next_update_due(cal: WorkingCalendar, agreed_on: date, every_days: int, last_given: date | None) -> date:
    """When the resident's next update is due under an agreed interval (5.9).

    Args:
        cal: the working-day calendar.
        agreed_on: the date the interval was agreed with the resident.
        every_days: the interval, in working days (1 or more).
        last_given: the date of the latest update given on or after ``agreed_on``, or None.

    Returns:
        ``every_days`` working days after the later of ``agreed_on`` and ``last_given``.
    """
    start = max(agreed_on, last_given) if last_given is not None else agreed_on
    return cal.add(start, every_days)
