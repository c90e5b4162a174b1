"""Turn stored rows into the plain facts the rules work on (``rules.facts.CaseFacts``)."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, select

from caseworker.rules.facts import CaseFacts, CaseType, Extension, StageFacts, Status
from caseworker.store.models import Action, Case, Officer, Stage
from caseworker.store.models import Extension as ExtensionRow


def officer_logins(session: Session, ids: set[int]) -> dict[int, str]:
    """Officer id to login for the given ids."""
    if not ids:
        return {}
    rows = session.exec(select(Officer.id, Officer.login).where(Officer.id.in_(ids))).all()
    return {i: login for i, login in rows}


def stage_facts(session: Session, stage: Stage, logins: dict[int, str]) -> StageFacts:
    """One stored stage as rules facts, with its extensions."""
    exts = session.exec(select(ExtensionRow).where(ExtensionRow.stage_id == stage.id).order_by(ExtensionRow.id)).all()
    return StageFacts(
        number=stage.number,
        requested=stage.requested,
        officer=logins.get(stage.officer_id) if stage.officer_id else None,
        acknowledged=stage.acknowledged,
        responded=stage.responded,
        extensions=tuple(
            Extension(
                working_days=e.working_days,
                reason=e.reason,
                resident_told=e.resident_told,
                good_reason=e.good_reason,
                approved_by=e.approved_by,
            )
            for e in exts
        ),
    )


def stages_of(session: Session, case_id: int) -> dict[int, Stage]:
    """The stored stages of a case by number."""
    return {s.number: s for s in session.exec(select(Stage).where(Stage.case_id == case_id)).all()}


def case_facts(session: Session, case: Case) -> CaseFacts:
    """The rules' view of a stored case."""
    stages = stages_of(session, case.id)
    logins = officer_logins(session, {s.officer_id for s in stages.values() if s.officer_id})
    open_actions = session.exec(
        select(func.count()).select_from(Action).where(Action.case_id == case.id, Action.done == False)  # noqa: E712
    ).one()
    return CaseFacts(
        case_type=CaseType(case.case_type),
        received=case.received,
        status=Status(case.status),
        stage1=stage_facts(session, stages[1], logins),
        stage2=stage_facts(session, stages[2], logins) if 2 in stages else None,
        issue_date=case.issue_date,
        open_actions=open_actions,
    )
