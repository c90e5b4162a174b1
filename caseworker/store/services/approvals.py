"""Extensions past the cap, approved by someone else (SPEC rule 4 and 14; Code 6.4, 6.15).

An officer asks (:func:`request_extension`): the request, its good reason and who asked are
recorded and it waits in the supervisors' queue while the clock keeps running. A supervisor
who does not hold the case and did not ask approves or declines it
(:func:`decide_extension`): who, when and why are recorded; an approval writes the
extension (the due date moves), a decline leaves the due date as it was.
"""

from __future__ import annotations

from sqlmodel import func, select

from caseworker.rules import approvals as rules
from caseworker.rules.facts import Extension
from caseworker.store.context import Store
from caseworker.store.mapping import case_facts
from caseworker.store.models import Case, ExtensionRequest, Officer, Stage
from caseworker.store.models import Extension as ExtensionRow
from caseworker.store.services.base import (
    CaseRef,
    DomainError,
    actor_for,
    audit,
    claim_case,
    claim_row,
    local_time,
    officer_name,
    refresh_deadlines,
    refuse,
    utcnow,
)
from caseworker.store.services.cases import _case_change, _ref, _stage_row, transaction


def request_extension(store: Store, login: str, case_id: int, version: int | None, ext: Extension) -> int:
    """Ask for an extension past the cap; returns the request's id. The due date does not move.

    Raises:
        DomainError: within the cap (record it directly), a request already waiting, or what
            :func:`caseworker.rules.lifecycle.check_extend` refuses (field and Code paragraph).
    """
    with _case_change(store, login, case_id, version) as ch:
        policy = store.policy(ch.case.policy_key)
        row = _stage_row(ch.session, case_id, ch.facts.stage)
        pending = ch.session.exec(
            select(func.count())
            .select_from(ExtensionRequest)
            .where(ExtensionRequest.stage_id == row.id, ExtensionRequest.state == rules.RequestState.PENDING.value)
        ).one()
        refuse(rules.check_request_extension(ch.facts, ext, ch.actor, policy, store.calendar, store.today(), pending))
        request = ExtensionRequest(
            case_id=case_id,
            stage_id=row.id,
            working_days=ext.working_days,
            reason=ext.reason.strip(),
            good_reason=ext.good_reason.strip(),
            resident_told=ext.resident_told,
            requested_by=login,
            requested_at=utcnow(store),
            state=rules.RequestState.PENDING.value,
        )
        ch.session.add(request)
        ch.session.flush()
        audit(
            ch.session,
            store,
            login,
            "extension requested",
            case_id=case_id,
            detail=f"Stage {ch.facts.stage}: {ext.working_days} working days past the cap asked for; good reason: "
            f"{ext.good_reason.strip()}; awaiting a supervisor",
            after={"request_id": request.id, "extension": ext},
        )
        return request.id


def decide_extension(
    store: Store, login: str, request_id: int, approve: bool, why: str, *, version: int | None = None
) -> CaseRef:
    """A supervisor who does not hold the case approves or declines an extension request.

    Approving writes the extension (approved by ``login``) and moves the due date; declining
    leaves it as it was. Both record who, when and why. ``version`` is the request's version
    as the supervisor read it (``ExtensionRequestInfo.version``; None: as read now): of two
    supervisors deciding it at once exactly one succeeds.

    Raises:
        DomainError: not a supervisor, holds the case, asked for it, no reason, already
            decided (saying by whom and when), or the extension can no longer be recorded
            (due date passed).
        ConcurrentChange: another supervisor decided or changed the request since ``version``.
    """
    with transaction(store) as session:
        actor, _ = actor_for(session, login)
        request = claim_row(session, store, ExtensionRequest, request_id, version, login, _request_name)
        if request.state != rules.RequestState.PENDING.value:
            raise DomainError(
                f"{_request_name(session, request)} was already {request.state} by "
                f"{officer_name(session, request.decided_by)} at {local_time(request.decided_at)}",
                "",
                "state",
            )
        case = claim_case(session, store, request.case_id, None, login)
        facts = case_facts(session, case, store.policy)
        policy = store.policy(case.policy_key)
        stage = session.get(Stage, request.stage_id)
        if stage is None or stage.number != facts.stage:
            raise DomainError("the case has moved on to another stage since this extension was asked for", "", "state")
        ext = Extension(request.working_days, request.reason, request.resident_told, request.good_reason, login)
        pending = rules.PendingRequest(ext, request.requested_by, rules.RequestState(request.state))
        refuse(rules.check_decide_extension(facts, pending, actor, approve, why, policy, store.calendar, store.today()))
        now = utcnow(store)
        before = case.next_due
        if approve:
            row = ExtensionRow(
                stage_id=stage.id,
                working_days=ext.working_days,
                reason=ext.reason,
                good_reason=ext.good_reason,
                approved_by=login,
                beyond_cap=True,
                resident_told=ext.resident_told,
                recorded_on=store.today(),
                recorded_by=request.requested_by,
                created_at=now,
            )
            session.add(row)
            session.flush()
            request.extension_id = row.id
        request.state = (rules.RequestState.APPROVED if approve else rules.RequestState.DECLINED).value
        request.decided_by, request.decided_at, request.decision_reason = login, now, why.strip()
        session.add(request)
        refresh_deadlines(session, store, case)
        asker = (
            session.exec(select(Officer.name).where(Officer.login == request.requested_by)).first()
            or request.requested_by
        )
        verb = "approved" if approve else "declined"
        audit(
            session,
            store,
            login,
            f"extension {verb}",
            case_id=case.id,
            detail=f"Stage {stage.number}: {request.working_days} working days past the cap asked for by {asker} "
            f"{verb}: {why.strip()}",
            before={"due": before},
            after={"request_id": request.id, "state": request.state, "due": case.next_due},
        )
        return _ref(case)


def _request_name(session, request: ExtensionRequest) -> str:
    reference = session.exec(select(Case.reference).where(Case.id == request.case_id)).first() or "?"
    return f"The extension request on {reference}"


def pending_request_count(store: Store) -> int:
    """How many extension requests wait for a supervisor (the queue's badge)."""
    with store.session() as session:
        return session.exec(
            select(func.count())
            .select_from(ExtensionRequest)
            .where(ExtensionRequest.state == rules.RequestState.PENDING.value)
        ).one()


__all__ = ["decide_extension", "pending_request_count", "request_extension"]
