"""Case states, transitions and their guards: the Code's rules as pure code over plain data.

Every guard returns a :class:`Refusal` value (a plain-English message and the Code
paragraph) or None; :func:`ensure` turns a refusal into a :class:`Refused` exception for
callers that act. Every deadline comes from the case's policy profile and the calendar.
The store's service layer calls these functions; screens call the ``check_*`` guards to
validate forms as the officer types.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from caseworker import labels
from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.deadlines import (  # noqa: F401  (re-exported for callers)
    Deadline,
    acknowledgement_deadline,
    is_out_of_time,
    months_before,
    next_deadline,
    responded_in_time,
    response_deadline,
)
from caseworker.rules.facts import (  # noqa: F401  (re-exported for callers)
    GROUND_LABELS,
    LIVE_STATUSES,
    SUPERVISING_ROLES,
    Actor,
    CaseFacts,
    CaseType,
    Consideration,
    Decision,
    Definition,
    Extension,
    Ground,
    Refusal,
    Refused,
    RemedyKind,
    RemedyState,
    Role,
    StageFacts,
    Status,
    ensure,
    first,
)
from caseworker.rules.guards import not_before, not_future, required, status_in
from caseworker.rules.policy import Policy, StagePolicy

# -- logging -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCase:
    """What an officer enters to log a case (rule 2)."""

    case_type: CaseType
    received: date
    channel: str
    service_area: str
    category: str
    summary: str
    issue_date: date | None = None
    representative: str = ""
    consent_recorded: bool = False
    discretion_reason: str = ""  # why an out-of-time complaint is accepted anyway (2.3)
    logged: date | None = None  # when it was logged, if later than received (3.2: clocks run from received)


def check_log(new: NewCase, policy: Policy, today: date, declining: bool = False) -> Refusal | None:
    """Guards on logging a case: dates, required fields, consent (3.6) and the age limit (2.3).

    ``declining`` is set when the officer logs an out-of-time complaint in order to record it
    as not accepted at once: then no discretion reason is asked for.
    """
    return first(
        [
            not_future(new.received, today, "received", "date received"),
            not_future(new.issue_date, today, "issue_date", "date the issue arose"),
            not_future(new.logged, today, "logged", "date logged"),
            not_before(
                new.logged,
                new.received,
                "logged",
                "date logged",
                "date received (when the resident first complained to anyone at the landlord)",
                "3.2",
            ),
            not_before(new.received, new.issue_date, "issue_date", "date received", "date the issue arose", "2.3"),
            required(new.channel, "channel", "how the complaint was made (channel)", "5.12"),
            required(new.service_area, "service_area", "the service area", "5.12"),
            required(new.summary, "summary", "a summary of what the resident said", "5.12"),
            Refusal("a representative may act only with the resident's consent recorded", "3.6", "consent_recorded")
            if new.representative.strip() and not new.consent_recorded
            else None,
            Refusal(
                f"the issue arose over {policy.age_limit_months} months before the complaint was received: "
                "accept it with discretion (record the reason) or record it as not accepted",
                policy.age_limit_code_ref,
                "discretion_reason",
            )
            if is_out_of_time(new.received, new.issue_date, policy)
            and not new.discretion_reason.strip()
            and not declining
            else None,
        ]
    )


def log_case(new: NewCase, policy: Policy, today: date, officer: str | None, declining: bool = False) -> CaseFacts:
    """A new Stage 1 case awaiting acknowledgement (``declining``: about to be recorded as not accepted)."""
    ensure(check_log(new, policy, today, declining))
    return CaseFacts(
        case_type=new.case_type,
        received=new.received,
        status=Status.AWAITING_ACK,
        stage1=StageFacts(number=1, requested=new.received, officer=officer),
        issue_date=new.issue_date,
        logged=new.logged,
    )


# -- acknowledgement ---------------------------------------------------------------------


def check_acknowledge(case: CaseFacts, on: date, definition: Definition, today: date) -> Refusal | None:
    """Acknowledging records the complaint definition (5.6, 5.7; 6.2 at Stage 1, 6.11 at Stage 2)."""
    ref = "6.2" if case.stage == 1 else "6.11"
    stage = case.current
    return first(
        [
            status_in(case, [Status.AWAITING_ACK], "acknowledge", ref),
            not_future(on, today, "acknowledged", "acknowledgement date"),
            not_before(
                on,
                stage.requested,
                "acknowledged",
                "acknowledgement date",
                "date received" if case.stage == 1 else "escalation request",
                ref,
            ),
            required(definition.issues, "issues", "the complaint definition: the issues to be investigated", "5.6"),
            required(
                definition.outcomes, "outcomes", "the complaint definition: the outcomes the resident seeks", "5.6"
            ),
            required(definition.responsible, "responsible", "what the landlord is responsible for", "5.7"),
            Refusal("assign a Stage 2 officer before acknowledging the escalation", "6.13", "officer")
            if case.stage == 2 and not stage.officer
            else None,
        ]
    )


def acknowledge(case: CaseFacts, on: date, definition: Definition, today: date) -> CaseFacts:
    """The case acknowledged and defined: now open, its response clock running."""
    ensure(check_acknowledge(case, on, definition, today))
    return replace(case.with_current(acknowledged=on), status=Status.OPEN)


# -- extension ---------------------------------------------------------------------------


def extension_told_late(case: CaseFacts, ext: Extension, policy: Policy, cal: WorkingCalendar) -> bool:
    """True when the resident was told of the extension after the response was already due (6.4, 6.15)."""
    deadline = response_deadline(case, case.current, policy, cal)
    return deadline is not None and ext.resident_told > deadline.due


def check_extend(
    case: CaseFacts,
    ext: Extension,
    actor: Actor,
    policy: Policy,
    cal: WorkingCalendar,
    today: date,
    *,
    for_request: bool = False,
) -> Refusal | None:
    """Extending a response deadline (6.4, 6.5 at Stage 1; 6.15, 6.16 at Stage 2).

    Within the cap an officer may extend with a reason and the date the resident was told.
    Beyond it, only with a recorded good reason and the approval of a supervisor who does not
    hold the case (rule 14); ``for_request=True`` checks everything but that approval (an
    officer asking for it). An extension the resident was told of after the response was due
    is still recorded, with its date and reasons, but it is a breach: it is flagged and never
    moves the Code deadline.
    """
    stage_policy: StagePolicy = (case.current.policy or policy).stage(case.stage)
    ref = stage_policy.extension_code_ref
    if case.status != Status.OPEN:
        return status_in(case, [Status.OPEN], "extend the response deadline (acknowledge the complaint first)", ref)
    deadline = response_deadline(case, case.current, policy, cal)
    assert deadline is not None
    late = ext.resident_told > deadline.due
    total = case.current.extended_days + (0 if late else ext.working_days)
    cap = stage_policy.extension_cap
    beyond = not late and (cap is None or total > cap)
    cap_words = "no extension cap is set in this policy" if cap is None else f"the cap of {cap} working days"
    return first(
        [
            Refusal("the extension must be at least 1 working day", ref, "working_days")
            if ext.working_days < 1
            else None,
            required(ext.reason, "reason", "the reason for the extension, explained to the resident", ref),
            not_future(ext.resident_told, today, "resident_told", "date the resident was told"),
            not_before(
                ext.resident_told,
                case.current.requested,
                "resident_told",
                "date the resident was told",
                "start of the stage",
                ref,
            ),
            required(
                ext.good_reason,
                "good_reason",
                f"a total extension of {total} working days goes beyond {cap_words}: a good reason",
                ref,
            )
            if beyond
            else None,
            None if for_request or not beyond else check_may_approve(case, actor, total, cap_words, ref),
        ]
    )


def check_may_approve(case: CaseFacts, actor: Actor, total: int, cap_words: str, ref: str) -> Refusal | None:
    """Only a supervisor (or administrator) who does not hold the case approves an extension past the cap (rule 14)."""
    if not actor.supervises:
        return Refusal(
            f"a total extension of {total} working days goes beyond {cap_words}: only a supervisor can approve it; "
            "ask for approval and it goes to the supervisors' queue",
            ref,
            "approved_by",
        )
    if case.current.officer == actor.login:
        return Refusal(
            f"a total extension of {total} working days goes beyond {cap_words}: nobody approves an extension on a "
            "case they hold; ask for approval from another supervisor",
            ref,
            "approved_by",
        )
    return None


def extend(
    case: CaseFacts, ext: Extension, actor: Actor, policy: Policy, cal: WorkingCalendar, today: date
) -> CaseFacts:
    """The case with the extension added to its current stage (``told_late`` set when the
    resident was told after the response was due)."""
    ensure(check_extend(case, ext, actor, policy, cal, today))
    late = extension_told_late(case, ext, policy, cal)
    cap = (case.current.policy or policy).stage(case.stage).extension_cap
    total = case.current.extended_days + ext.working_days
    ext = replace(ext, told_late=late)
    if not late and (cap is None or total > cap):
        ext = replace(ext, approved_by=actor.login)
    return case.with_current(extensions=case.current.extensions + (ext,))


# -- response ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Response:
    """A stage's response (6.7, 6.9 at Stage 1; 6.18, 6.19 at Stage 2)."""

    on: date
    decision: Decision | None
    reasons: str
    remedies: int = 0  # remedies offered on this stage
    no_remedy: bool = False
    actions: int = 0  # outstanding actions recorded
    no_actions: bool = False


def check_respond(case: CaseFacts, response: Response, today: date) -> Refusal | None:
    """A response needs a decision, reasons, a remedy or explicit none, actions or explicit none.

    A response may be recorded although the stage was never acknowledged (what happened is
    recorded): the acknowledgement then shows as missed (6.2, 6.11) and the response clock
    runs from the date the acknowledgement was due."""
    ref = "6.9" if case.stage == 1 else "6.19"
    stage = case.current
    return first(
        [
            status_in(case, [Status.OPEN, Status.AWAITING_ACK], "respond", ref),
            not_future(response.on, today, "on", "response date"),
            not_before(response.on, stage.acknowledged, "on", "response date", "acknowledgement", ref),
            not_before(
                response.on,
                stage.requested,
                "on",
                "response date",
                "date received" if case.stage == 1 else "escalation request",
                ref,
            ),
            Refusal("the decision is required: upheld, partly upheld or not upheld", ref, "decision")
            if response.decision is None
            else None,
            required(response.reasons, "reasons", "the reasons for the decision", "6.7" if case.stage == 1 else "6.18"),
            Refusal("record the remedy offered, or say explicitly that there is no remedy", ref, "remedy")
            if not response.remedies and not response.no_remedy
            else None,
            Refusal("record the outstanding actions, or say explicitly that there are none", ref, "actions")
            if not response.actions and not response.no_actions
            else None,
        ]
    )


def respond(case: CaseFacts, response: Response, today: date) -> CaseFacts:
    """The case with the current stage responded to."""
    ensure(check_respond(case, response, today))
    return replace(case.with_current(responded=response.on), status=Status.RESPONDED)


# -- Stage 2 -----------------------------------------------------------------------------


def check_request_stage2(case: CaseFacts, on: date, today: date) -> Refusal | None:
    """The resident asks to escalate; no reason is needed (6.12)."""
    return first(
        [
            Refusal("the case is already at Stage 2: there are only two stages", "5.3", "stage")
            if case.stage == 2
            else None,
            status_in(
                case, [Status.RESPONDED, Status.CLOSED], "escalate to Stage 2 before the Stage 1 response", "6.10"
            ),
            not_future(on, today, "requested", "escalation request date"),
            not_before(on, case.stage1.responded, "requested", "escalation request date", "Stage 1 response", "6.10"),
        ]
    )


def request_stage2(case: CaseFacts, on: date, today: date) -> CaseFacts:
    """The case escalated to Stage 2, awaiting acknowledgement and an officer."""
    ensure(check_request_stage2(case, on, today))
    return replace(case, status=Status.AWAITING_ACK, stage2=StageFacts(number=2, requested=on))


def check_assign(
    case: CaseFacts, officer: str, officer_active: bool, actor: Actor, reason: str | None = ""
) -> Refusal | None:
    """Assigning or reassigning the current stage's officer.

    Refused: an inactive officer; a case with no live deadline; "reassigning" to the officer
    who already holds the stage (no change); a reassignment without a reason (the record says
    why a case changed hands, 5.12; ``reason=None`` skips this check, for a form that has not
    asked yet); at Stage 2 anyone who considered the complaint at Stage 1 (6.13), and anyone
    but a supervisor or administrator allocating (rule 14).
    """
    if not officer_active:
        return Refusal(f"{officer} is not an active officer", "4.1", "officer")
    if case.status not in LIVE_STATUSES:
        return status_in(case, LIVE_STATUSES, "assign an officer", "5.12")
    if case.current.officer and officer == case.current.officer:
        return Refusal(f"that officer already holds Stage {case.stage} of this case: nothing to change", "", "officer")
    if case.stage == 2:
        refusal = first([stage2_ineligibility(case, officer), check_may_allocate(case, actor)])
        if refusal is not None:
            return refusal
    if case.current.officer and reason is not None and not reason.strip():
        return Refusal("say why the case is being reassigned: the record keeps the reason", "5.12", "reason")
    return None


def check_may_allocate(case: CaseFacts, actor: Actor) -> Refusal | None:
    """Whether ``actor`` may assign an officer to this case at all, before one is chosen:
    a live case, and at Stage 2 only a supervisor or administrator (6.13, rule 14)."""
    if case.status not in LIVE_STATUSES:
        return status_in(case, LIVE_STATUSES, "assign an officer", "5.12")
    if case.stage == 2 and not actor.supervises:
        return Refusal("only a supervisor or administrator allocates and reassigns Stage 2 cases", "6.13", "officer")
    return None


def stage1_considerations(case: CaseFacts) -> dict[str, list[Consideration]]:
    """Everyone who considered the complaint at Stage 1, by login, with how (6.13)."""
    out: dict[str, list[Consideration]] = {}
    if case.stage1.officer:
        out[case.stage1.officer] = [Consideration(case.stage1.officer, case.stage1.officer, "held it")]
    for c in case.stage1_considered:
        known = out.setdefault(c.login, [])
        if all(k.how != c.how for k in known):
            known.append(c)
        if known[0].name == c.login and c.name != c.login:  # prefer a full name to a login
            known[0] = replace(known[0], name=c.name)
    return out


def stage2_ineligibility(case: CaseFacts, officer: str) -> Refusal | None:
    """Why ``officer`` may not consider this case at Stage 2, or None if they may (6.13).

    The Stage 2 officer can be nobody who held the case at Stage 1, acknowledged or defined
    it, or recorded or issued the Stage 1 response. The refusal names the person and what
    they did.
    """
    ways = stage1_considerations(case).get(officer)
    if not ways:
        return None
    name = next((w.name for w in ways if w.name != w.login), ways[0].name)
    how = _and(sorted({w.how for w in ways}, key=lambda h: (_HOW_ORDER.index(h) if h in _HOW_ORDER else 9, h)))
    return Refusal(
        f"{name} considered this complaint at Stage 1 ({how}); the Stage 2 officer must be someone who did not",
        "6.13",
        "officer",
    )


#: The order a refusal lists how someone considered Stage 1 (the order things happen in).
_HOW_ORDER = ("held it", "acknowledged and defined it", "recorded the Stage 1 response", "issued the Stage 1 response")


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def assign(case: CaseFacts, officer: str, officer_active: bool, actor: Actor, reason: str | None = "") -> CaseFacts:
    """The case with ``officer`` on its current stage (see :func:`check_assign`)."""
    ensure(check_assign(case, officer, officer_active, actor, reason))
    return case.with_current(officer=officer)


def check_refuse_escalation(case: CaseFacts, ground: Ground | None, reasons: str) -> Refusal | None:
    """Refusing to escalate needs a section-2 ground and reasons (5.11)."""
    at_request = case.stage == 2 and case.status == Status.AWAITING_ACK
    at_stage1 = case.stage == 1 and case.status in (Status.RESPONDED, Status.CLOSED)
    return first(
        [
            None
            if (at_request or at_stage1)
            else Refusal(
                f"cannot refuse escalation: the case is {labels.status_phrase(case.status.value)} at Stage {case.stage}",
                "5.11",
                "status",
            ),
            Refusal("refusing to escalate needs one of the section 2 grounds", "5.11", "ground")
            if ground is None
            else None,
            required(reasons, "reasons", "written reasons for refusing to escalate, considered case by case", "5.11"),
        ]
    )


def refuse_escalation(case: CaseFacts, ground: Ground | None, reasons: str) -> CaseFacts:
    """The escalation refused; the case goes no further in the complaints process."""
    ensure(check_refuse_escalation(case, ground, reasons))
    return replace(case, status=Status.ESCALATION_REFUSED)


# -- not accepted, withdrawn, closed ------------------------------------------------------


def check_not_accept(case: CaseFacts, ground: Ground | None, reasons: str, policy: Policy) -> Refusal | None:
    """Not accepting a complaint: a section 2 ground and written reasons, case by case (2.1, 2.2)."""
    return first(
        [
            status_in(case, LIVE_STATUSES, "record it as not accepted", "2.1")
            if case.stage == 1
            else Refusal("at Stage 2 use 'refuse escalation' with a section 2 ground", "5.11", "status"),
            Refusal("choose the section 2 ground for not accepting the complaint", "2.2", "ground")
            if ground is None
            else None,
            required(reasons, "reasons", "written reasons for not accepting, considered case by case", "2.1"),
            Refusal(
                f"the issue arose within {policy.age_limit_months} months of the complaint, so the 12-month ground does not apply",
                policy.age_limit_code_ref,
                "ground",
            )
            if ground == Ground.OVER_TWELVE_MONTHS and not is_out_of_time(case.received, case.issue_date, policy)
            else None,
        ]
    )


def not_accept(case: CaseFacts, ground: Ground | None, reasons: str, policy: Policy) -> CaseFacts:
    """The complaint recorded as not accepted."""
    ensure(check_not_accept(case, ground, reasons, policy))
    return replace(case, status=Status.NOT_ACCEPTED)


def check_withdraw(case: CaseFacts, reason: str) -> Refusal | None:
    """A resident may withdraw an open case; what they said is recorded (5.12)."""
    return first(
        [
            status_in(case, LIVE_STATUSES, "withdraw", "5.12"),
            required(reason, "reason", "what the resident said when withdrawing", "5.12"),
        ]
    )


def withdraw(case: CaseFacts, reason: str) -> CaseFacts:
    """The case withdrawn."""
    ensure(check_withdraw(case, reason))
    return replace(case, status=Status.WITHDRAWN)


def check_close(case: CaseFacts) -> Refusal | None:
    """A responded case may be closed once its outstanding actions are done (6.6, 6.17)."""
    return first(
        [
            status_in(case, [Status.RESPONDED], "close", "5.12"),
            Refusal(
                f"{case.open_actions} outstanding action(s) are still open: they must be tracked to completion",
                "6.6" if case.stage == 1 else "6.17",
                "actions",
            )
            if case.open_actions
            else None,
        ]
    )


def close(case: CaseFacts) -> CaseFacts:
    """The case closed."""
    ensure(check_close(case))
    return replace(case, status=Status.CLOSED)


# -- related issues (6.8) ----------------------------------------------------------------


@dataclass(frozen=True)
class RelatedIssueDecision:
    """Where a new issue raised during a case goes (6.8)."""

    add_to_case: bool
    why: str
    code_ref: str = "6.8"


def decide_related_issue(case: CaseFacts, related: bool, would_delay: bool) -> RelatedIssueDecision:
    """Add a new issue to the open Stage 1 case, or log it as a new linked case (6.8)."""
    if case.stage != 1 or case.status not in LIVE_STATUSES:
        return RelatedIssueDecision(
            False, "the Stage 1 response has already been issued, so it is logged as a new complaint"
        )
    if not related:
        return RelatedIssueDecision(False, "the issue is not related, so it is logged as a new complaint")
    if would_delay:
        return RelatedIssueDecision(
            False, "adding it would unreasonably delay the response, so it is logged as a new complaint"
        )
    return RelatedIssueDecision(
        True, "the issue is related and the Stage 1 response has not been issued, so it is added to this case"
    )
