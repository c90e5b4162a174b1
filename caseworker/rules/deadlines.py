"""Deadlines: when each stage must be acknowledged and answered, from the policy and the calendar.

One place computes every due date (:func:`stage_deadlines`); the explained forms
(:func:`acknowledgement_deadline`, :func:`response_deadline`) give the same dates with
their reasons. :func:`within` and :func:`stage_breaches` judge each stage as the Housing
Ombudsman does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from caseworker.rules.calendar import Explanation, WorkingCalendar, short_date
from caseworker.rules.facts import CaseFacts, StageFacts, Status
from caseworker.rules.policy import Policy, StagePolicy


@dataclass(frozen=True)
class Deadline:
    """A live deadline with its explanation.

    ``due`` is the stage's deadline: the date promised to the resident in an issued letter
    when there is one (a calendar change never moves a promise), else ``code_due``, the
    date the Code's timescale gives.
    """

    kind: str  # "acknowledge" or "respond"
    stage: int
    due: date
    code_ref: str
    explanation: Explanation
    code_due: date | None = None
    promised: date | None = None

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


def response_start(
    sp: StagePolicy,
    received: date,
    requested: date,
    acknowledged: date | None,
    ack_due: date,
) -> tuple[date | None, str]:
    """(the date a stage's response clock runs from, why), or (None, "") until it has started.

    Under a clock that runs from the acknowledgement with ``from_due_if_late`` (the
    ``hoc-2024`` default, 6.3 and 6.14), the clock runs from the acknowledgement or from the
    date the acknowledgement was due, whichever is earlier: a late or missing
    acknowledgement never extends the response deadline.
    """
    clock = sp.response
    if clock.start != "acknowledged":
        return clock_start(clock.start, received, requested, acknowledged), _EVENT_WORDS[clock.start]
    if clock.from_due_if_late:
        if acknowledged is None:
            return ack_due, (
                f"the date the acknowledgement was due, {short_date(ack_due)}, "
                "because no acknowledgement is recorded (a late acknowledgement buys no time)"
            )
        if acknowledged > ack_due:
            return ack_due, (
                f"the date the acknowledgement was due, {short_date(ack_due)}, which is earlier than "
                f"the late acknowledgement on {short_date(acknowledged)} (a late acknowledgement buys no time)"
            )
        return acknowledged, f"the acknowledgement on {short_date(acknowledged)}, made by its due date"
    if acknowledged is None:
        return None, ""
    return acknowledged, f"the acknowledgement on {short_date(acknowledged)}"


def response_start_date(
    sp: StagePolicy,
    received: date,
    requested: date,
    acknowledged: date | None,
    ack_due: date,
) -> date | None:
    """:func:`response_start` without the words (the bulk path: no text built per case)."""
    clock = sp.response
    if clock.start != "acknowledged":
        return clock_start(clock.start, received, requested, acknowledged)
    if clock.from_due_if_late:
        return ack_due if acknowledged is None or acknowledged > ack_due else acknowledged
    return acknowledged


@dataclass(frozen=True)
class StageDue:
    """A stage's due dates: acknowledgement, response by the Code, and the stage's response deadline."""

    ack_due: date
    code_due: date | None  # the response date the Code's timescale gives (extensions told in time included)
    response_due: date | None  # the deadline: a promise in an issued letter when there is one, else code_due
    promised: date | None = None


def promise_holds(promised: date | None, promised_ext_days: int, extended_days: int) -> bool:
    """True when a promised date still stands: no extension has been counted since it was made."""
    return promised is not None and promised_ext_days == extended_days


def stage_deadlines(
    policy: Policy,
    cal: WorkingCalendar,
    number: int,
    received: date,
    requested: date | None,
    acknowledged: date | None,
    extended_days: int,
    promised: date | None = None,
    promised_ext_days: int = 0,
) -> StageDue:
    """Every due date of a stage, computed in one place (services, bulk recompute, import, demo, reports).

    Takes dates and working days (``extended_days``: extensions the resident was told of in
    time). The acknowledgement is due ``acknowledge.days`` working days after its event
    (6.2, 6.11); the response ``response.days + extended_days`` after the start
    :func:`response_start` gives (6.3, 6.14). A promise made in an issued letter stays the
    deadline while no extension has been counted since it was made.
    """
    sp = policy.stage(number)
    start = clock_start(sp.acknowledge.start, received, requested, acknowledged)
    assert start is not None  # received and requested are always known
    ack_due = cal.add(start, sp.acknowledge.days)
    rstart = response_start_date(sp, received, requested or received, acknowledged, ack_due)
    code_due = cal.add(rstart, sp.response.days + extended_days) if rstart is not None else None
    if promise_holds(promised, promised_ext_days, extended_days):
        return StageDue(ack_due, code_due, promised, promised)
    return StageDue(ack_due, code_due, code_due, None)


def stage_due_dates(
    policy: Policy,
    cal: WorkingCalendar,
    number: int,
    received: date,
    requested: date | None,
    acknowledged: date | None,
    extended_days: int,
) -> tuple[date, date | None]:
    """(acknowledgement due, response due) of a stage with no promise: :func:`stage_deadlines`
    without building explanations, for bulk work (import, demo)."""
    due = stage_deadlines(policy, cal, number, received, requested, acknowledged, extended_days)
    return due.ack_due, due.response_due


_AWAITING, _OPEN = Status.AWAITING_ACK.value, Status.OPEN.value


def next_due(status: str, ack_due: date | None, response_due: date | None) -> tuple[date | None, str]:
    """(next due date, its kind) from the current stage's due dates, as :func:`next_deadline` decides."""
    if status == _AWAITING:
        return ack_due, "acknowledge"
    if status == _OPEN:
        return response_due, ("respond" if response_due is not None else "")
    return None, ""


def _policy(stage: StageFacts, policy: Policy) -> Policy:
    return stage.policy or policy


def acknowledgement_deadline(case: CaseFacts, stage: StageFacts, policy: Policy, cal: WorkingCalendar) -> Deadline:
    """When the stage must be acknowledged, defined and logged (6.2, 6.11)."""
    clock = _policy(stage, policy).stage(stage.number).acknowledge
    start = clock_start(clock.start, case.received, stage.requested, stage.acknowledged)
    assert start is not None  # received and requested are always known
    rule = f"Stage {stage.number} acknowledgement, Code {clock.code_ref}: {clock.days} working days after {_EVENT_WORDS[clock.start]}"
    due = cal.add(start, clock.days)
    return Deadline("acknowledge", stage.number, due, clock.code_ref, cal.explain(start, clock.days, rule), due)


def response_deadline(case: CaseFacts, stage: StageFacts, policy: Policy, cal: WorkingCalendar) -> Deadline | None:
    """When the stage's response is due, extensions told in time included; None until its clock has started.

    The explanation says which date the clock counted from and why, and names a promise
    made in an issued letter when it is the deadline.
    """
    pol = _policy(stage, policy)
    sp = pol.stage(stage.number)
    clock = sp.response
    ack_due = acknowledgement_deadline(case, stage, policy, cal).due
    start, why = response_start(sp, case.received, stage.requested, stage.acknowledged, ack_due)
    if start is None:
        return None
    days = clock.days + stage.extended_days
    rule = f"Stage {stage.number} response, Code {clock.code_ref}: {clock.days} working days after {why}"
    if stage.extended_days:
        rule += f", extended by {stage.extended_days}"
    late = stage.late_extensions
    if late:
        rule += (
            f"; {sum(e.working_days for e in late)} working day(s) of extension told to the resident after "
            f"the response was due are not counted (Code {sp.extension_code_ref})"
        )
    explanation = cal.explain(start, days, rule)
    code_due = explanation.due
    if promise_holds(stage.promised, stage.promised_ext_days, stage.extended_days):
        assert stage.promised is not None
        return Deadline("respond", stage.number, stage.promised, clock.code_ref, explanation, code_due, stage.promised)
    return Deadline("respond", stage.number, code_due, clock.code_ref, explanation, code_due)


def next_deadline(case: CaseFacts, policy: Policy, cal: WorkingCalendar) -> Deadline | None:
    """The case's next Code deadline: acknowledgement until acknowledged, then the response."""
    if case.status == Status.AWAITING_ACK:
        return acknowledgement_deadline(case, case.current, policy, cal)
    if case.status == Status.OPEN:
        return response_deadline(case, case.current, policy, cal)
    return None


def within(done: date | None, due: date | None, today: date) -> bool | None:
    """Whether an event met its deadline, as the Ombudsman judges it.

    True or False once it has happened (on the due date itself is within); False when it has
    not happened and the due date has passed; None while it has not happened and is not yet
    late (or there is no deadline yet).
    """
    if due is None:
        return None
    if done is not None:
        return done <= due
    return False if today > due else None


@dataclass(frozen=True)
class Breach:
    """A Code timescale missed at a stage, with its paragraph."""

    what: str
    code_ref: str

    def __str__(self) -> str:
        return f"{self.what} (Code {self.code_ref})"


def stage_breaches(
    case: CaseFacts,
    stage: StageFacts,
    policy: Policy,
    cal: WorkingCalendar,
    today: date,
) -> tuple[Breach, ...]:
    """Every breach of the Code's timescales at a stage, each with its paragraph: acknowledgement
    late or missed (6.2, 6.11), response late or overdue (6.3, 6.14), extension told late (6.4, 6.15)."""
    pol = _policy(stage, policy)
    sp = pol.stage(stage.number)
    out: list[Breach] = []
    ack = acknowledgement_deadline(case, stage, policy, cal)
    ack_ok = within(stage.acknowledged, ack.due, today)
    if ack_ok is False:
        if stage.acknowledged is not None:
            out.append(
                Breach(
                    f"Stage {stage.number} acknowledged late: {short_date(stage.acknowledged)}, "
                    f"due {short_date(ack.due)}",
                    ack.code_ref,
                )
            )
        elif stage.responded is not None:
            out.append(
                Breach(
                    f"Stage {stage.number} acknowledgement missed: due {short_date(ack.due)}, never made", ack.code_ref
                )
            )
        else:
            out.append(
                Breach(
                    f"Stage {stage.number} acknowledgement overdue: due {short_date(ack.due)}, not yet made",
                    ack.code_ref,
                )
            )
    resp = response_deadline(case, stage, policy, cal)
    if resp is not None and within(stage.responded, resp.due, today) is False:
        if stage.responded is not None:
            out.append(
                Breach(
                    f"Stage {stage.number} response late: {short_date(stage.responded)}, due {short_date(resp.due)}",
                    resp.code_ref,
                )
            )
        else:
            out.append(Breach(f"Stage {stage.number} response overdue: due {short_date(resp.due)}", resp.code_ref))
    for ext in stage.late_extensions:
        out.append(
            Breach(
                f"Stage {stage.number} extension of {ext.working_days} working day(s) told to the resident "
                f"late, on {short_date(ext.resident_told)}",
                sp.extension_code_ref,
            )
        )
    return tuple(out)


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
    """Whether a responded stage met its deadline (extensions told in time included, or a
    promise still standing); None if not responded. A late extension never makes it timely."""
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
