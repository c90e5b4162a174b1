"""Case lifecycle services: log, acknowledge, extend, respond, escalate, assign, refuse,
not accept, withdraw, close, and related issues (6.8). Each runs the rules, then writes the
change and its audit event in one transaction."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, func, select

from caseworker import labels
from caseworker.rules import lifecycle as rules
from caseworker.rules.facts import (
    Actor,
    CaseFacts,
    CaseType,
    Decision,
    Definition,
    Extension,
    Ground,
    Refused,
    Status,
)
from caseworker.store.context import Store
from caseworker.store.mapping import STAGES_READ, case_facts, stages_of
from caseworker.store.models import (
    Action,
    Case,
    Correspondence,
    Exclusion,
    Officer,
    Remedy,
    Representative,
    Resident,
    Stage,
)
from caseworker.store.models import Extension as ExtensionRow
from caseworker.store.services.base import (
    CaseRef,
    ConcurrentChange,
    DomainError,
    actor_for,
    audit,
    claim_case,
    friendly_store_error,
    officer_named,
    refresh_deadlines,
    utcnow,
)

REFERENCE_PREFIX = {CaseType.COMPLAINT: "CMP", CaseType.MP_ENQUIRY: "MPE", CaseType.COUNCILLOR_ENQUIRY: "CLR"}


@contextmanager
def transaction(store: Store) -> Iterator[Session]:
    """One service's transaction; rule refusals and database errors become DomainError."""
    try:
        with store.session() as session:
            yield session
    except Refused as exc:
        raise DomainError.from_refused(exc) from None
    except DomainError:
        raise
    except DBAPIError as exc:
        raise friendly_store_error(exc) from None


@dataclass
class _Change:
    session: Session
    actor: Actor
    case: Case
    facts: CaseFacts


@contextmanager
def _case_change(store: Store, login: str, case_id: int, version: int | None) -> Iterator[_Change]:
    with transaction(store) as session:
        actor, _ = actor_for(session, login)
        case = claim_case(session, store, case_id, version, login)
        yield _Change(session, actor, case, case_facts(session, case, store.policy))
        refresh_deadlines(session, store, case)


def _ref(case: Case) -> CaseRef:
    return CaseRef(case.id, case.reference, case.version)


def _stage_row(session: Session, case_id: int, number: int) -> Stage:
    """Stage ``number`` of the case: the row this transaction already holds (the rule facts read
    every stage of the claimed case), else read now; one round trip fewer on most saves."""
    held = session.info.get(STAGES_READ, {}).get(case_id, {})
    if number in held:
        return held[number]
    return stages_of(session, case_id)[number]


# -- logging -----------------------------------------------------------------------------


def log_case(
    store: Store,
    login: str,
    resident_id: int,
    new: rules.NewCase,
    *,
    officer_login: str | None = None,
    representative_id: int | None = None,
    related_case_id: int | None = None,
    service_request_id: int | None = None,
    reference: str | None = None,
    not_accepted: tuple[Ground, str] | None = None,
) -> CaseRef:
    """Log a complaint or enquiry at Stage 1, awaiting acknowledgement (rule 2).

    ``not_accepted=(ground, reasons)`` logs it and records it as not accepted in the same
    transaction (2.1, 2.2): the way an out-of-time complaint is declined without first
    being "accepted with discretion".
    """
    with transaction(store) as session:
        return _log_in(
            session,
            store,
            login,
            resident_id,
            new,
            officer_login=officer_login,
            representative_id=representative_id,
            related_case_id=related_case_id,
            service_request_id=service_request_id,
            reference=reference,
            not_accepted=not_accepted,
        )


def _log_in(
    session: Session,
    store: Store,
    login: str,
    resident_id: int,
    new: rules.NewCase,
    *,
    officer_login: str | None = None,
    representative_id: int | None = None,
    related_case_id: int | None = None,
    service_request_id: int | None = None,
    reference: str | None = None,
    not_accepted: tuple[Ground, str] | None = None,
) -> CaseRef:
    """Log a case inside the caller's transaction (so a split related issue is all-or-nothing)."""
    actor, me = actor_for(session, login)
    if session.get(Resident, resident_id) is None:
        raise DomainError(f"no resident with id {resident_id}", "", "resident")
    if representative_id is not None:
        rep = session.get(Representative, representative_id)
        if rep is None or rep.resident_id != resident_id:
            raise DomainError("that representative does not act for this resident", "3.6", "representative")
        new = replace(new, representative=rep.name, consent_recorded=rep.consent_recorded)
    officer = officer_named(session, officer_login) if officer_login else me
    policy = store.policy(store.policy_key_for(new.received))
    facts = rules.log_case(new, policy, store.today(), officer.login, declining=not_accepted is not None)
    if not_accepted is not None:
        facts = rules.not_accept(facts, not_accepted[0], not_accepted[1], policy)
    now = utcnow(store)
    case = Case(
        reference=reference or f"TMP-{uuid.uuid4().hex}",
        case_type=new.case_type.value,
        resident_id=resident_id,
        representative_id=representative_id,
        channel=new.channel,
        service_area=new.service_area,
        category=new.category,
        summary=new.summary,
        received=new.received,
        issue_date=new.issue_date,
        logged=new.logged if new.logged and new.logged != new.received else None,
        discretion_reason=new.discretion_reason,
        policy_key=policy.key,
        stage=1,
        status=facts.status.value,
        officer_id=officer.id,
        related_case_id=related_case_id,
        service_request_id=service_request_id,
        created_at=now,
        updated_at=now,
        updated_by=login,
    )
    session.add(case)
    session.flush()
    if not reference:
        case.reference = f"{REFERENCE_PREFIX[new.case_type]}-{case.id:06d}"
    session.add(Stage(case_id=case.id, number=1, officer_id=officer.id, requested=new.received))
    refresh_deadlines(session, store, case)
    audit(
        session,
        store,
        login,
        "logged",
        case_id=case.id,
        detail=f"{labels.case_type(new.case_type.value)} logged",
        after=new,
    )
    if new.discretion_reason:
        audit(session, store, login, "accepted out of time", case_id=case.id, detail=new.discretion_reason)
    if not_accepted is not None:
        ground, reasons = not_accepted
        session.add(
            Exclusion(
                case_id=case.id,
                kind="not-accepted",
                ground=ground.value,
                reasons=reasons,
                decided_on=store.today(),
                decided_by=login,
                created_at=now,
            )
        )
        audit(
            session,
            store,
            login,
            "not-accepted",
            case_id=case.id,
            detail=f"{rules.GROUND_LABELS[ground]}: {reasons}",
            after={"ground": ground, "reasons": reasons},
        )
    session.flush()
    return _ref(case)


# -- acknowledgement, extension, response ------------------------------------------------


def acknowledge(
    store: Store, login: str, case_id: int, version: int | None, on: date, definition: Definition
) -> CaseRef:
    """Acknowledge the current stage and record the complaint definition (5.6, 6.2, 6.11)."""
    with _case_change(store, login, case_id, version) as ch:
        facts = rules.acknowledge(ch.facts, on, definition, store.today())
        row = _stage_row(ch.session, case_id, facts.stage)
        row.acknowledged = on
        row.issues, row.outcomes = definition.issues, definition.outcomes
        row.responsible, row.not_responsible = definition.responsible, definition.not_responsible
        ch.case.status = facts.status.value
        audit(
            ch.session,
            store,
            login,
            "acknowledged",
            case_id=case_id,
            detail=f"Stage {facts.stage} acknowledged and defined",
            after={"on": on, "definition": definition},
        )
    return _ref(ch.case)


def extend(store: Store, login: str, case_id: int, version: int | None, ext: Extension) -> CaseRef:
    """Extend the current stage's response deadline within the Code's limits (6.4, 6.15)."""
    with _case_change(store, login, case_id, version) as ch:
        policy = store.policy(ch.case.policy_key)
        before = rules.response_deadline(ch.facts, ch.facts.current, policy, store.calendar)
        facts = rules.extend(ch.facts, ext, ch.actor, policy, store.calendar, store.today())
        added = facts.current.extensions[-1]
        stage_policy = (facts.current.policy or policy).stage(facts.stage)
        cap = stage_policy.extension_cap
        row = _stage_row(ch.session, case_id, facts.stage)
        ch.session.add(
            ExtensionRow(
                stage_id=row.id,
                working_days=added.working_days,
                reason=added.reason,
                good_reason=added.good_reason,
                approved_by=added.approved_by,
                beyond_cap=not added.told_late and (cap is None or facts.current.extended_days > cap),
                told_late=added.told_late,
                resident_told=added.resident_told,
                recorded_on=store.today(),
                recorded_by=login,
                created_at=utcnow(store),
            )
        )
        after = rules.response_deadline(facts, facts.current, policy, store.calendar)
        if added.told_late:
            detail = (
                f"Stage {facts.stage} extension of {added.working_days} working days told to the resident late, "
                f"on {added.resident_told:%d %b %Y}, after the response was due "
                f"{before.due:%d %b %Y}: breach of Code {stage_policy.extension_code_ref}; "
                f"the deadline stays {after.due:%d %b %Y}. Reason given: {added.reason}"
            )
        else:
            detail = f"Stage {facts.stage} response extended by {added.working_days} working days: {added.reason}"
        audit(
            ch.session,
            store,
            login,
            "extended late" if added.told_late else "extended",
            case_id=case_id,
            detail=detail,
            before={"due": before.due if before else None},
            after={"due": after.due if after else None, "extension": added},
        )
    return _ref(ch.case)


def respond(
    store: Store,
    login: str,
    case_id: int,
    version: int | None,
    on: date,
    decision: Decision | None,
    reasons: str,
    *,
    no_remedy: bool = False,
    no_actions: bool = False,
) -> CaseRef:
    """Record the current stage's response: decision, reasons, remedy and actions (6.9, 6.19)."""
    with _case_change(store, login, case_id, version) as ch:
        stage = ch.facts.stage
        count = lambda model: ch.session.exec(  # noqa: E731
            select(func.count()).select_from(model).where(model.case_id == case_id, model.stage_number == stage)
        ).one()
        response = rules.Response(
            on=on,
            decision=decision,
            reasons=reasons,
            remedies=count(Remedy),
            no_remedy=no_remedy,
            actions=count(Action),
            no_actions=no_actions,
        )
        facts = rules.respond(ch.facts, response, store.today())
        missed = ch.facts.current.acknowledged is None
        row = _stage_row(ch.session, case_id, stage)
        row.responded, row.decision, row.reasons = on, decision.value, reasons
        row.no_remedy, row.no_actions = no_remedy, no_actions
        ch.case.status = facts.status.value
        detail = f"Stage {stage} response: {decision.value}"
        if missed:
            detail += (
                f"; the Stage {stage} acknowledgement was never made (missed, Code {'6.2' if stage == 1 else '6.11'})"
            )
        audit(ch.session, store, login, "responded", case_id=case_id, detail=detail, after=response)
    return _ref(ch.case)


# -- Stage 2 ----------------------------------------------------------------------------


def request_stage2(
    store: Store,
    login: str,
    case_id: int,
    version: int | None,
    on: date,
    reason: str = "",
    officer_login: str | None = None,
) -> CaseRef:
    """The resident asks for Stage 2; no reason is needed (6.12). An officer may be named (6.13)."""
    with _case_change(store, login, case_id, version) as ch:
        facts = rules.request_stage2(ch.facts, on, store.today())
        officer_id = None
        if officer_login:
            officer = officer_named(ch.session, officer_login)
            facts = rules.assign(facts, officer.login, officer.active, ch.actor)
            officer_id = officer.id
        key = store.stage2_policy_key(ch.case.policy_key, on)
        ch.session.add(
            Stage(
                case_id=case_id,
                number=2,
                requested=on,
                request_reason=reason,
                officer_id=officer_id,
                policy_key="" if key == ch.case.policy_key else key,
            )
        )
        ch.case.status = facts.status.value
        audit(
            ch.session,
            store,
            login,
            "escalated",
            case_id=case_id,
            detail="Stage 2 requested",
            after={"on": on, "reason": reason, "officer": officer_login},
        )
    return _ref(ch.case)


def assign(
    store: Store, login: str, case_id: int, version: int | None, officer_login: str, reason: str = ""
) -> CaseRef:
    """Assign or reassign the current stage's officer.

    A reassignment needs a reason (kept in the record, which shows from whom to whom);
    "reassigning" to the officer who already holds the stage is refused as no change; at
    Stage 2 never anyone who considered the complaint at Stage 1, and only by a supervisor or
    administrator (6.13, rule 14).

    Raises:
        DomainError: naming the field (``officer`` or ``reason``) and the Code paragraph.
    """
    with _case_change(store, login, case_id, version) as ch:
        _assign_in(ch, store, login, officer_login, reason)
    return _ref(ch.case)


def _assign_in(ch: _Change, store: Store, login: str, officer_login: str, reason: str = "") -> None:
    before = ch.facts.current.officer
    # the officer taking the stage and the one who held it, in one query
    named = {
        o.login: o for o in ch.session.exec(select(Officer).where(Officer.login.in_({officer_login, before} - {None})))
    }
    officer = named.get(officer_login) or officer_named(ch.session, officer_login)  # unknown: refused, naming it
    facts = rules.assign(ch.facts, officer.login, officer.active, ch.actor, reason)
    row = _stage_row(ch.session, ch.case.id, facts.stage)
    row.officer_id = officer.id
    action = "reassigned" if before else "assigned"
    to_name = officer.name or officer.login
    if before:
        previous = named.get(before) or officer_named(ch.session, before)
        detail = f"Stage {facts.stage} reassigned from {previous.name or before} to {to_name}: {reason.strip()}"
    else:
        detail = f"Stage {facts.stage} assigned to {to_name}"
    after = {"officer": officer.login, "reason": reason.strip()} if before else {"officer": officer.login}
    audit(ch.session, store, login, action, case_id=ch.case.id, detail=detail, before={"officer": before}, after=after)


def bulk_assign(
    store: Store,
    login: str,
    cases: Sequence[tuple[int, int | None]],
    officer_login: str,
    reason: str = "",
) -> list[CaseRef]:
    """Assign several cases to one officer: all of them, or none if any is refused (reasons listed).

    ``reason`` is kept on each case that changes hands (required when any already has an officer).
    """
    problems: list[str] = []
    refs: list[CaseRef] = []
    conflicts = 0
    with transaction(store) as session:
        actor, _ = actor_for(session, login)
        for case_id, version in cases:
            try:
                case = claim_case(session, store, case_id, version, login)
                ch = _Change(session, actor, case, case_facts(session, case, store.policy))
                _assign_in(ch, store, login, officer_login, reason)
                refresh_deadlines(session, store, case)
                refs.append(_ref(case))
            except Refused as exc:
                ref = session.get(Case, case_id)
                problems.append(f"{ref.reference if ref else case_id}: {exc.refusal}")
            except DomainError as exc:
                conflicts += isinstance(exc, ConcurrentChange)
                problems.append(str(exc))
        if problems:
            session.rollback()
            message = "nothing was reassigned: " + "; ".join(problems)
            if conflicts == len(problems):  # only stale cases: the caller should re-read and try again
                raise ConcurrentChange(message, "5.12", "version")
            raise DomainError(message, "6.13", "officer")
    return refs


def refuse_escalation(
    store: Store, login: str, case_id: int, version: int | None, ground: Ground | None, reasons: str
) -> CaseRef:
    """Refuse to escalate on a section 2 ground, with reasons (5.11)."""
    with _case_change(store, login, case_id, version) as ch:
        facts = rules.refuse_escalation(ch.facts, ground, reasons)
        _exclusion(ch, store, login, "escalation-refused", ground, reasons)
        ch.case.status = facts.status.value
    return _ref(ch.case)


def not_accept(
    store: Store, login: str, case_id: int, version: int | None, ground: Ground | None, reasons: str
) -> CaseRef:
    """Record a complaint as not accepted on a section 2 ground, with reasons (2.1, 2.2)."""
    with _case_change(store, login, case_id, version) as ch:
        facts = rules.not_accept(ch.facts, ground, reasons, store.policy(ch.case.policy_key))
        _exclusion(ch, store, login, "not-accepted", ground, reasons)
        ch.case.status = facts.status.value
    return _ref(ch.case)


def _exclusion(ch: _Change, store: Store, login: str, kind: str, ground: Ground, reasons: str) -> None:
    ch.session.add(
        Exclusion(
            case_id=ch.case.id,
            kind=kind,
            ground=ground.value,
            reasons=reasons,
            decided_on=store.today(),
            decided_by=login,
            created_at=utcnow(store),
        )
    )
    audit(
        ch.session,
        store,
        login,
        kind,
        case_id=ch.case.id,
        detail=f"{rules.GROUND_LABELS[ground]}: {reasons}",
        after={"ground": ground, "reasons": reasons},
    )


def withdraw(store: Store, login: str, case_id: int, version: int | None, reason: str) -> CaseRef:
    """The resident withdraws the complaint; what they said is kept."""
    with _case_change(store, login, case_id, version) as ch:
        facts = rules.withdraw(ch.facts, reason)
        ch.case.status = facts.status.value
        audit(ch.session, store, login, "withdrawn", case_id=case_id, detail=reason)
    return _ref(ch.case)


def close(store: Store, login: str, case_id: int, version: int | None) -> CaseRef:
    """Close a responded case whose outstanding actions are done (6.6, 6.17)."""
    with _case_change(store, login, case_id, version) as ch:
        facts = rules.close(ch.facts)
        ch.case.status = facts.status.value
        audit(
            ch.session, store, login, "closed", case_id=case_id, detail=f"closed after the Stage {facts.stage} response"
        )
    return _ref(ch.case)


# -- related issues (6.8) ----------------------------------------------------------------


@dataclass(frozen=True)
class RelatedIssueOutcome:
    """Where the new issue went: added to the case, or a new linked case."""

    added_to_case: bool
    why: str
    case: CaseRef


def add_related_issue(
    store: Store,
    login: str,
    case_id: int,
    version: int | None,
    description: str,
    *,
    related: bool,
    would_delay: bool = False,
    raised_on: date | None = None,
    service_area: str | None = None,
    category: str | None = None,
    officer_login: str | None = None,
) -> RelatedIssueOutcome:
    """A new issue raised during a case: added if related and not yet answered, else a new linked case (6.8).

    A split-off case is filed under ``service_area`` and ``category`` (the new issue's own,
    asked of the officer; the parent's only when not given) and goes to ``officer_login``,
    by default the parent case's officer, not whoever is typing.
    """
    if not description.strip():
        raise DomainError("describe the new issue", "6.8", "description")
    raised_on = raised_on or store.today()
    with _case_change(store, login, case_id, version) as ch:
        decision = rules.decide_related_issue(ch.facts, related, would_delay)
        if decision.add_to_case:
            before = ch.case.summary
            ch.case.summary = f"{before}\n\nRelated issue raised {raised_on:%d %b %Y}: {description}".strip()
            row = _stage_row(ch.session, case_id, 1)
            if row.acknowledged:
                row.issues = f"{row.issues}\n- {description}".strip()
            ch.session.add(
                Correspondence(
                    case_id=case_id,
                    kind="note",
                    subject="Related issue added (6.8)",
                    body=description,
                    at=utcnow(store),
                    by=login,
                )
            )
            audit(
                ch.session,
                store,
                login,
                "related issue added",
                case_id=case_id,
                detail=f"{description} ({decision.why})",
                before={"summary": before},
                after={"summary": ch.case.summary},
            )
            target = ch.case
        else:
            # The split is logged in the same transaction: if the new case is refused, the
            # parent is left untouched (no version bump, no "split" event without a case).
            audit(
                ch.session,
                store,
                login,
                "related issue split",
                case_id=case_id,
                detail=f"{description} ({decision.why})",
            )
            parent = ch.case
            new = rules.NewCase(
                case_type=CaseType(parent.case_type),
                received=raised_on,
                channel=parent.channel,
                service_area=parent.service_area if service_area is None else service_area,
                category=parent.category if category is None else category,
                summary=description,
            )
            owner = officer_login or ch.facts.current.officer or ch.facts.stage1.officer
            split = _log_in(
                ch.session,
                store,
                login,
                parent.resident_id,
                new,
                officer_login=owner,
                representative_id=parent.representative_id,
                related_case_id=parent.id,
            )
            target = None
    if target is not None:
        return RelatedIssueOutcome(True, decision.why, _ref(target))
    return RelatedIssueOutcome(False, decision.why, split)


def run(fn: Callable[..., object], *args, **kwargs):
    """Call a service, turning any stray rules refusal into DomainError (for callers outside this package)."""
    try:
        return fn(*args, **kwargs)
    except Refused as exc:
        raise DomainError.from_refused(exc) from None


def current_version(store: Store, case_id: int) -> int:
    """The case's current version (for callers that did not read it first)."""
    with store.session() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise DomainError(f"no case with id {case_id}", "", "case")
        return case.version


__all__ = [
    "RelatedIssueOutcome",
    "Status",
    "acknowledge",
    "add_related_issue",
    "assign",
    "bulk_assign",
    "close",
    "current_version",
    "extend",
    "log_case",
    "not_accept",
    "refuse_escalation",
    "request_stage2",
    "respond",
    "run",
    "transaction",
    "withdraw",
]
